// Package corpus runs rules over packages of the Go standard library, real
// code nobody here wrote, and checks what every rewrite must preserve: the
// rewritten packages still type-check (loaded again, independently of the
// engine) and no comment is lost.
package corpus

import (
	"context"
	"flag"
	"go/parser"
	"go/token"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/gorewrite/gorewrite/rewrite"
	"golang.org/x/tools/go/packages"
)

var patterns = flag.String("corpus", "", `packages of the standard library for the corpus tests ("std" for all; default a representative slice)`)

// Slice is the part of the standard library make test runs: packages with
// lots of arithmetic, comparisons, shifts and constants, generics, and no
// cgo.
var Slice = []string{
	"strings", "bytes", "strconv", "sort", "slices", "unicode/utf8", "encoding/binary",
	"go/scanner", "net/url", "math/bits", "text/tabwriter", "container/heap", "hash/crc32",
}

// Patterns returns the packages to run on: -corpus, or Slice.
func Patterns() []string {
	if *patterns != "" {
		return strings.Fields(*patterns)
	}
	return Slice
}

// Check runs rules over the corpus and checks the results; it fails when
// fewer than minEdits edits were made, which would mean the rules are not
// finding their sites.
func Check(t *testing.T, rules []*rewrite.Rule, minEdits int) {
	t.Helper()
	if testing.Short() {
		t.Skip("loads packages of the standard library")
	}
	pats := Patterns()
	src := filepath.Join(runtime.GOROOT(), "src")
	overlay := make(map[string][]byte)
	edits := 0
	cfg := rewrite.Config{Dir: src, Tests: true}
	err := rewrite.Run(context.Background(), cfg, rules, pats, func(r *rewrite.FileResult) error {
		for _, e := range r.Errs {
			t.Errorf("%v", e)
		}
		if !r.Changed() {
			return nil
		}
		overlay[r.Filename] = r.Out
		edits += len(r.Edits)
		checkComments(t, r.Filename, r.Src, r.Out)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if edits < minEdits {
		t.Fatalf("only %d edits over %v: the rules are not finding their sites", edits, pats)
	}
	t.Logf("%d edits in %d files", edits, len(overlay))

	pkgs, err := packages.Load(&packages.Config{
		Mode:    packages.NeedName | packages.NeedFiles | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo,
		Dir:     src,
		Tests:   true,
		Overlay: overlay,
	}, pats...)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		if !slices.ContainsFunc(p.GoFiles, func(f string) bool { return overlay[f] != nil }) {
			return
		}
		checked++
		for _, e := range p.Errors {
			if strings.Contains(e.Msg, "could not import C") {
				// go list does not run cgo on overlay files, so go/packages
				// cannot type-check rewritten cgo packages this way.
				continue
			}
			if e.Kind == packages.ListError && strings.Contains(e.Msg, "not allowed in runtime") {
				// Not a type error: the compiler refuses heap allocation in
				// the runtime, and a changed array length made a local array
				// too big for the stack. The type checker cannot see that.
				continue
			}
			t.Errorf("%s after rewriting: %v", p.ID, e)
		}
	})
	if checked == 0 {
		t.Fatal("no rewritten package was type-checked")
	}
}

// checkComments fails when a comment of src is missing from out. A //
// comment that had to become a /* */ one (kept next to an expression that
// was replaced) counts as kept.
func checkComments(t *testing.T, name string, src, out []byte) {
	t.Helper()
	count := func(b []byte) map[string]int {
		f, err := parser.ParseFile(token.NewFileSet(), name, b, parser.ParseComments)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			return nil
		}
		m := make(map[string]int)
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				text := c.Text
				if rest, ok := strings.CutPrefix(text, "//"); ok {
					text = rest
				} else {
					text = strings.TrimSuffix(strings.TrimPrefix(text, "/*"), "*/")
				}
				m[strings.TrimSpace(text)]++
			}
		}
		return m
	}
	before, after := count(src), count(out)
	for text, n := range before {
		if after[text] < n {
			t.Errorf("%s: comment lost: %s", name, text)
		}
	}
}
