package trace

import (
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/cover"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGolden instruments each testdata/golden/*.txtar case: in.go (and
// in_test.go when there is one), with the selection flags in args
// (closures, exported, func=RE), must give out.go (out_test.go), the
// function table (funcs) and the diff. go test -update rewrites them.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/golden/*.txtar")
	if len(files) == 0 {
		t.Fatal("no golden cases")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			sections := map[string][]byte{}
			for _, f := range ar.Files {
				sections[f.Name] = f.Data
			}
			var sel Selection
			for _, a := range strings.Fields(string(sections["args"])) {
				switch {
				case a == "closures":
					sel.Closures = true
				case a == "exported":
					sel.Exported = true
				case strings.HasPrefix(a, "func="):
					sel.Func = regexp.MustCompile(strings.TrimPrefix(a, "func="))
				default:
					t.Fatalf("unknown arg %q", a)
				}
			}
			src := sections["in.go"]
			name := "/p/in.go"
			parsed, err := parser.ParseFile(token.NewFileSet(), name, src, parser.PackageClauseOnly)
			if err != nil {
				t.Fatal(err)
			}
			pkg := &cover.Package{ImportPath: "example.com/p", Name: parsed.Name.Name, Dir: "/p", Files: []cover.Source{{Name: name, Src: src}}, Seq: 1}
			testSrc, hasTests := sections["in_test.go"]
			if hasTests {
				pkg.TestFiles = []cover.Source{{Name: "/p/in_test.go", Src: testSrc}}
			}
			in := &Instrumenter{Selection: sel}
			res, err := cover.Instrument(pkg, cover.Options{RuntimePath: "rt.invalid/rt", NoCounters: true, Inject: in.Injector})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Errs) > 0 {
				t.Fatal(res.Errs)
			}
			out := res.Changed[name]
			if out == nil {
				out = src
			}
			var funcs strings.Builder
			for _, f := range in.Funcs() {
				fmt.Fprintf(&funcs, "%d %s %s:%d\n", f.ID, f.Name, filepath.Base(f.File), f.Line)
			}
			for _, w := range in.Warnings() {
				fmt.Fprintf(&funcs, "warning: %s\n", w)
			}
			got := map[string]string{"out.go": string(out), "funcs": funcs.String(), "diff": rewrite.UnifiedDiff("in.go", src, out)}
			if hasTests {
				outTest := res.Changed["/p/in_test.go"]
				if outTest == nil {
					outTest = testSrc
				}
				got["out_test.go"] = string(outTest)
			}
			var added [][]byte
			for _, a := range res.Added {
				added = append(added, a.Src)
			}
			checkCompiles(t, append([][]byte{out}, added...), got["out_test.go"])
			// No line moves: every line of the input starts a line of the
			// output, at the same number.
			inLines, outLines := strings.Split(string(src), "\n"), strings.Split(string(out), "\n")
			if len(inLines) != len(outLines) {
				t.Errorf("%d lines in, %d out", len(inLines), len(outLines))
			}
			if *update {
				for i := range ar.Files {
					if v, ok := got[ar.Files[i].Name]; ok {
						ar.Files[i].Data = []byte(v)
						delete(got, ar.Files[i].Name)
					}
				}
				for _, k := range []string{"out.go", "out_test.go", "funcs", "diff"} {
					if v, ok := got[k]; ok {
						ar.Files = append(ar.Files, txtar.File{Name: k, Data: []byte(v)})
					}
				}
				if err := os.WriteFile(file, txtar.Format(ar), 0o666); err != nil {
					t.Fatal(err)
				}
				return
			}
			for k, v := range got {
				if d := cmp.Diff(string(sections[k]), v); d != "" {
					t.Errorf("%s (-want +got):\n%s", k, d)
				}
			}
		})
	}
}

// checkCompiles type-checks the instrumented package (and, when given, its
// instrumented test file) against the real runtime's source: the hooks
// must call what coverrt has.
func checkCompiles(t *testing.T, files [][]byte, testFile string) {
	t.Helper()
	fset := token.NewFileSet()
	std := importer.ForCompiler(fset, "source", nil)
	rtDir := filepath.Join("..", "cover", "coverrt")
	entries, err := os.ReadDir(rtDir)
	if err != nil {
		t.Fatal(err)
	}
	var rtFiles []*ast.File
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		if ok, err := build.Default.MatchFile(rtDir, name); err != nil || !ok {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(rtDir, name), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		rtFiles = append(rtFiles, f)
	}
	rt, err := (&types.Config{Importer: std}).Check("rt.invalid/rt", fset, rtFiles, nil)
	if err != nil {
		t.Fatal(err)
	}
	conf := types.Config{Importer: importerFunc(func(path string) (*types.Package, error) {
		if path == "rt.invalid/rt" {
			return rt, nil
		}
		return std.Import(path)
	})}
	var parsed []*ast.File
	for i, src := range files {
		f, err := parser.ParseFile(fset, fmt.Sprintf("f%d.go", i), src, 0)
		if err != nil {
			t.Fatalf("instrumented code does not parse: %v\n%s", err, src)
		}
		parsed = append(parsed, f)
	}
	if testFile != "" {
		f, err := parser.ParseFile(fset, "f_test.go", testFile, 0)
		if err != nil {
			t.Fatalf("instrumented test does not parse: %v\n%s", err, testFile)
		}
		parsed = append(parsed, f)
	}
	if _, err := conf.Check("example.com/p", fset, parsed, nil); err != nil {
		t.Fatalf("instrumented code does not type-check: %v", err)
	}
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
