package stub

import (
	"go/ast"
	"go/build/constraint"
	"path/filepath"
	"strings"
)

// A test must build exactly when the code it calls does: tests for a file
// with build constraints go only into a test file with the same ones, and
// a new test file gets the source file's. The constraints of a file are its
// //go:build line, its name's _GOOS and _GOARCH suffixes, and import "C"
// (the cgo tag).

// buildLine returns the expression of a file's //go:build line, or nil.
func buildLine(f *ast.File) constraint.Expr {
	for _, cg := range f.Comments {
		if cg.Pos() >= f.Package {
			break
		}
		for _, c := range cg.List {
			if constraint.IsGoBuild(c.Text) {
				if x, err := constraint.Parse(c.Text); err == nil {
					return x
				}
			}
		}
	}
	return nil
}

// condition is a file's constraints as one canonical string ("" when it
// always builds), for comparing two files. The cgo tag of import "C" is
// left out: the test files of a cgo package seldom say it, and appending to
// them breaks nothing that CGO_ENABLED=0 did not break already.
func condition(f *File) string {
	var parts []string
	if x := buildLine(f.Syntax); x != nil {
		parts = append(parts, "("+x.String()+")")
	}
	parts = append(parts, nameTags(f.Name)...)
	return strings.Join(parts, " && ")
}

func importsC(f *ast.File) bool {
	for _, imp := range f.Imports {
		if imp.Path.Value == `"C"` {
			return true
		}
	}
	return false
}

// nameTags returns the GOOS and GOARCH a file's name restricts it to
// (x_linux.go, x_linux_amd64_test.go), as the go command reads names.
func nameTags(name string) []string {
	base := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(name), ".go"), "_test")
	elems := strings.Split(base, "_")
	if len(elems) < 2 {
		return nil
	}
	last := elems[len(elems)-1]
	if len(elems) >= 3 && knownArch[last] && knownOS[elems[len(elems)-2]] {
		return []string{elems[len(elems)-2], last}
	}
	if knownOS[last] || knownArch[last] {
		return []string{last}
	}
	return nil
}

var knownOS = setOf("aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js",
	"linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos")

var knownArch = setOf("386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips",
	"mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le", "riscv",
	"riscv64", "s390", "s390x", "sparc", "sparc64", "wasm")

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// fits reports whether tests of code in src may go into the test file
// dest: dest builds only when src does, because they share constraints
// (or src has none).
func fits(src, dest *File) bool {
	c := condition(src)
	return c == "" || c == condition(dest)
}

// header is what a new test file for src starts with: the comments above
// the package clause (copyright, build constraints) but not the package
// documentation, a DO NOT EDIT warning, nor //go:generate lines (go
// generate would run them twice), and the cgo tag when src imports "C", since the test builds only
// with the package's cgo files.
func header(src *File) string {
	f := src.Syntax
	end := f.Package
	if f.Doc != nil {
		end = f.Doc.Pos()
	}
	// A cgo file builds only with cgo: its //go:build line gets "&& cgo",
	// and its // +build lines, which go vet wants to match that line, go
	// (the //go:build line says it all). A file with only // +build lines
	// gets one more, which they AND with.
	cgo := importsC(f)
	goBuild := buildLine(f) != nil
	var parts []string
	for _, cg := range f.Comments {
		if cg.End() > end {
			break
		}
		var lines []string
		for _, c := range cg.List {
			text := string(src.Src[c.Pos()-f.FileStart : c.End()-f.FileStart])
			switch {
			case strings.HasPrefix(text, "//go:generate"):
				continue
			case cgo && constraint.IsGoBuild(text):
				if x, err := constraint.Parse(text); err == nil {
					text = "//go:build " + (&constraint.AndExpr{X: x, Y: &constraint.TagExpr{Tag: "cgo"}}).String()
				}
			case cgo && goBuild && constraint.IsPlusBuild(text):
				continue
			case cgo && !goBuild && constraint.IsPlusBuild(text):
				lines = append(lines, text, "// +build cgo")
				cgo = false
				continue
			}
			lines = append(lines, text)
		}
		text := strings.Join(lines, "\n")
		if text == "" || strings.Contains(text, "DO NOT EDIT") {
			continue
		}
		parts = append(parts, text)
	}
	if cgo && !goBuild {
		parts = append(parts, "//go:build cgo")
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, "\n\n") + "\n\n"
}

// fileVersion is the Go version code in a file is compiled with: its
// //go:build line's goN.M when it has one (which sets a file's version, up
// or down), else the module's.
func fileVersion(f *ast.File, module string) string {
	if x := buildLine(f); x != nil {
		if v := constraint.GoVersion(x); v != "" {
			return v
		}
	}
	return module
}

// headerVersion is fileVersion for a header about to start a new file.
func headerVersion(h, module string) string {
	for _, l := range strings.Split(h, "\n") {
		if constraint.IsGoBuild(l) {
			if x, err := constraint.Parse(l); err == nil {
				if v := constraint.GoVersion(x); v != "" {
					return v
				}
			}
		}
	}
	return module
}
