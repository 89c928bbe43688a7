package mutate

import (
	"crypto/sha256"
	"encoding/hex"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Fingerprints say what a verdict depends on, so that an incremental run
// (incremental.go) can tell which verdicts of an earlier run still hold:
//   - each function of the mutated packages: its text (doc comment
//     aside), keyed "file#Name" (file relative to the root; "Type.Name"
//     for a method; a second init in a file is "init#2");
//   - each mutated package's declarations outside functions (imports,
//     types, constants, variables) and embedded files, keyed "pkg#path":
//     every function of the package depends on them;
//   - each test: its function's text, the package's other test code
//     (helpers, TestMain, test variables) and its testdata directory;
//   - the run's settings (see runKey): the Go version, gorewrite's build,
//     go.mod, go.sum and go.work, the build flags, the timeouts, and the
//     sources of the module's packages that tests link but that are not
//     mutated (no coverage is measured there).
// A test's behaviour can change only when its own code changes or code it
// runs does: a function it runs (known from the coverage phase), or what
// a package it links declares. That is what makes reuse sound, with
// tests that do the same on every run.

// fingerprints holds the hashes of one run.
type fingerprints struct {
	// funcs maps function and package keys to hashes.
	funcs map[string]string
	// spans finds a file's functions by offset, by absolute file name.
	spans map[string][]funcSpan
	// pkgOf maps an absolute file name to its package's import path.
	pkgOf map[string]string
}

// funcSpan is a function declaration's byte range in its file.
type funcSpan struct {
	start, end int
	key        string
}

func packageKey(path string) string { return "pkg#" + path }

func hashOf(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		// Lengths first: parts cannot run into each other.
		var n [8]byte
		for i, l := 0, len(p); i < 8; i, l = i+1, l>>8 {
			n[i] = byte(l)
		}
		h.Write(n[:])
		h.Write(p)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// fingerprintPackages hashes the functions and declarations of the
// mutated packages (pkgs, as go list gave them), with file names relative
// to root.
func fingerprintPackages(root string, pkgs []*listedTest) (*fingerprints, error) {
	fp := &fingerprints{funcs: make(map[string]string), spans: make(map[string][]funcSpan), pkgOf: make(map[string]string)}
	fset := token.NewFileSet()
	for _, p := range pkgs {
		var decls [][]byte
		for _, name := range slices.Concat(p.GoFiles, p.CgoFiles) {
			file := filepath.Join(p.Dir, name)
			src, err := os.ReadFile(file)
			if err != nil {
				return nil, err
			}
			fp.pkgOf[file] = p.ImportPath
			rel := relSlash(root, file)
			f, err := parser.ParseFile(fset, file, src, parser.SkipObjectResolution)
			if err != nil {
				// The package does not build: hash the whole file as
				// its declarations, so any change tests everything.
				decls = append(decls, []byte(rel), src)
				continue
			}
			tf := fset.File(f.Pos())
			seen := make(map[string]int)
			decls = append(decls, []byte(rel), []byte(f.Name.Name))
			for _, d := range f.Decls {
				start, end := tf.Offset(d.Pos()), tf.Offset(d.End())
				fd, ok := d.(*ast.FuncDecl)
				if !ok {
					decls = append(decls, src[start:end])
					continue
				}
				name := funcName(fd)
				seen[name]++
				key := rel + "#" + name
				if n := seen[name]; n > 1 {
					key += "#" + strconv.Itoa(n)
				}
				fp.funcs[key] = hashOf(src[start:end])
				fp.spans[file] = append(fp.spans[file], funcSpan{start, end, key})
			}
		}
		embedded, err := hashFiles(p.Dir, p.EmbedFiles)
		if err != nil {
			return nil, err
		}
		fp.funcs[packageKey(p.ImportPath)] = hashOf(append(decls, []byte(embedded))...)
	}
	return fp, nil
}

// funcAt returns the key of the function of file holding offset, or its
// package's key outside every function ("" for a file not fingerprinted).
func (fp *fingerprints) funcAt(file string, offset int) string {
	spans := fp.spans[file]
	i := sort.Search(len(spans), func(i int) bool { return spans[i].end > offset })
	if i < len(spans) && spans[i].start <= offset {
		return spans[i].key
	}
	if pkg, ok := fp.pkgOf[file]; ok {
		return packageKey(pkg)
	}
	return ""
}

// testPrints hashes the tests of one package (its _test.go files) and
// finds where each is declared: by test name, the hash, the file
// (relative to root) and the line.
type testPrint struct {
	hash, file string
	line       int
}

func fingerprintTests(root string, p *listedTest, sources map[string][]byte) (map[string]testPrint, error) {
	fset := token.NewFileSet()
	type found struct {
		text       []byte
		file       string
		line       int
		duplicated bool
	}
	tests := make(map[string]*found)
	var helpers [][]byte
	for _, name := range slices.Concat(p.TestGoFiles, p.XTestGoFiles) {
		file := filepath.Join(p.Dir, name)
		src, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		rel := relSlash(root, file)
		sources[rel] = src
		f, err := parser.ParseFile(fset, file, src, parser.SkipObjectResolution)
		if err != nil {
			helpers = append(helpers, []byte(rel), src)
			continue
		}
		tf := fset.File(f.Pos())
		helpers = append(helpers, []byte(rel), []byte(f.Name.Name))
		for _, d := range f.Decls {
			start, end := tf.Offset(d.Pos()), tf.Offset(d.End())
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || !isTestFunc(fd.Name.Name) {
				helpers = append(helpers, src[start:end])
				continue
			}
			if t := tests[fd.Name.Name]; t != nil {
				// The same name in the package and its external test
				// package: hash both.
				t.text, t.duplicated = append(t.text, src[start:end]...), true
				continue
			}
			tests[fd.Name.Name] = &found{text: src[start:end], file: rel, line: tf.Line(fd.Pos())}
		}
	}
	data, err := hashTree(filepath.Join(p.Dir, "testdata"))
	if err != nil {
		return nil, err
	}
	embedded, err := hashFiles(p.Dir, slices.Concat(p.TestEmbedFiles, p.XTestEmbedFiles))
	if err != nil {
		return nil, err
	}
	shared := hashOf(append(helpers, []byte(data), []byte(embedded))...)
	out := make(map[string]testPrint, len(tests))
	for name, t := range tests {
		out[name] = testPrint{hash: hashOf(t.text, []byte(shared)), file: t.file, line: t.line}
	}
	return out, nil
}

// isTestFunc reports whether a function of a test file is one go test
// runs (or lists): a test, example, fuzz target or benchmark.
func isTestFunc(name string) bool {
	for _, prefix := range []string{"Test", "Example", "Fuzz", "Benchmark"} {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

// hashFiles hashes the named files of dir (patterns as go list gives
// embedded files: names).
func hashFiles(dir string, names []string) (string, error) {
	if len(names) == 0 {
		return "", nil
	}
	names = slices.Sorted(slices.Values(names))
	var parts [][]byte
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			return "", err
		}
		parts = append(parts, []byte(n), data)
	}
	return hashOf(parts...), nil
}

// hashTree hashes the files under dir (none: ""), names and contents.
func hashTree(dir string) (string, error) {
	if _, err := os.Stat(dir); err != nil {
		return "", nil
	}
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		io.WriteString(h, rel+"\x00")
		if d.Type().IsRegular() {
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			if _, err := io.Copy(h, f); err != nil {
				return err
			}
			io.WriteString(h, "\x00")
		} else if d.Type()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(path)
			io.WriteString(h, target+"\x00")
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

// runKey hashes what decides every verdict besides the mutated packages'
// code and the tests: see the comment at the top. outside are the
// module's packages the test binaries link that are not mutated.
func (r *runner) runKey(outside []*listedTest) (string, error) {
	var parts [][]byte
	parts = append(parts, []byte(r.goEnv("GOVERSION")), []byte(gorewriteBuild()))
	parts = append(parts, []byte(strings.Join(r.cfg.BuildFlags, "\x00")), []byte(r.goEnv("GOFLAGS")), []byte(r.goEnv("CGO_ENABLED")))
	parts = append(parts, []byte(r.cfg.TimeoutGrace.String()), []byte(strconv.FormatFloat(r.cfg.TimeoutFactor, 'g', -1, 64)))
	if r.cfg.OwnTests {
		parts = append(parts, []byte("own tests"))
	}
	parts = append(parts, []byte(strings.Join(r.cfg.TestPackages, "\x00")))
	root := r.root()
	for _, name := range []string{"go.mod", "go.sum", "go.work", "go.work.sum"} {
		data, _ := os.ReadFile(filepath.Join(root, name))
		parts = append(parts, []byte(name), data)
	}
	for _, p := range outside {
		for _, name := range slices.Concat(p.GoFiles, p.CgoFiles) {
			data, err := os.ReadFile(filepath.Join(p.Dir, name))
			if err != nil {
				return "", err
			}
			parts = append(parts, []byte(relSlash(root, filepath.Join(p.Dir, name))), data)
		}
		embedded, err := hashFiles(p.Dir, p.EmbedFiles)
		if err != nil {
			return "", err
		}
		parts = append(parts, []byte(embedded))
	}
	return hashOf(parts...), nil
}

// gorewriteBuild names the build of gorewrite running: its module version
// and VCS revision, when the binary records them.
func gorewriteBuild() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	out := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
			out += " " + s.Value
		}
	}
	return out
}

func relSlash(root, file string) string {
	if root != "" {
		if rel, err := filepath.Rel(root, file); err == nil && filepath.IsLocal(rel) {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(file)
}

// fingerprint hashes the mutated packages and the run's settings.
func (r *runner) fingerprint(listing *moduleListing, bins []testPackage, pkgs []string) error {
	var mutated []*listedTest
	for _, p := range pkgs {
		if lp := listing.plain[p]; lp != nil {
			mutated = append(mutated, lp)
		}
	}
	fp, err := fingerprintPackages(r.root(), mutated)
	if err != nil {
		return err
	}
	key, err := r.runKey(listing.outside(bins, pkgs))
	if err != nil {
		return err
	}
	r.prints, r.key = fp, key
	return nil
}

// root is the directory report file names are relative to.
func (r *runner) root() string {
	if r.cfg.Root != "" {
		return r.cfg.Root
	}
	return r.cfg.Dir
}
