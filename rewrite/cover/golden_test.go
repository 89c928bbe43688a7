package cover

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gorewrite/gorewrite/rewrite"
	"golang.org/x/tools/txtar"
)

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// TestGolden instruments each testdata/golden/*.txtar case: in.go, with the
// mode (and "branch") in args, must give out.go, the blocks (as profile
// lines without counts) and the diff. go test -update rewrites them.
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
			args := strings.Fields(string(sections["args"]))
			opts := Options{Mode: Mode(args[0]), RuntimePath: "rt.invalid/rt", Branch: strings.Contains(string(sections["args"]), "branch")}
			src := sections["in.go"]
			name := "/p/in.go"
			parsed, err := parser.ParseFile(token.NewFileSet(), name, src, parser.PackageClauseOnly)
			if err != nil {
				t.Fatal(err)
			}
			pkg := &Package{ImportPath: "p", Name: parsed.Name.Name, Dir: "/p", Files: []Source{{Name: name, Src: src}}}
			if opts.Branch {
				pkg.BoolOperands = map[string]map[[2]int]bool{name: typedOperands(t, name, src)}
			}
			res, err := Instrument(pkg, opts)
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
			var blocks strings.Builder
			for _, b := range res.Blocks {
				fmt.Fprintf(&blocks, "%s %s\n", blockKey(b), b.Func)
			}
			for _, b := range res.Branches {
				fmt.Fprintf(&blocks, "branch %s:%d.%d %s %q %q\n", b.File, b.Line, b.Col, b.Kind, b.Label, b.Outcomes)
			}
			diff := rewrite.UnifiedDiff("in.go", src, out)
			got := map[string]string{"out.go": string(out), "blocks": blocks.String(), "diff": diff}

			// The output must compile with the added counters file
			// and a stand-in runtime.
			checkCompiles(t, out, res.Added)

			if updating() {
				ar.Files = []txtar.File{{Name: "args", Data: sections["args"]}, {Name: "in.go", Data: src}}
				for _, n := range []string{"out.go", "blocks", "diff"} {
					ar.Files = append(ar.Files, txtar.File{Name: n, Data: []byte(got[n])})
				}
				if err := os.WriteFile(file, txtar.Format(ar), 0o666); err != nil {
					t.Fatal(err)
				}
				return
			}
			for _, n := range []string{"out.go", "blocks", "diff"} {
				if d := cmp.Diff(string(sections[n]), got[n]); d != "" {
					t.Errorf("%s (-want +got):\n%s", n, d)
				}
			}
		})
	}
}

// typedOperands type-checks one file on its own.
func typedOperands(t *testing.T, name string, src []byte) map[[2]int]bool {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	conf := types.Config{Importer: importer.Default()}
	if _, err := conf.Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	return operandRanges(fset.File(f.Pos()), f, info)
}

// runtimeStub declares what instrumented code calls in the runtime.
const runtimeStub = `package rt

import (
	"context"
	"os"
)

func Register(pkg, mode string)                                        {}
func Blocks(pkg string, c []uint32, files []string, meta []uint32)     {}
func Branches(pkg string, c []uint32, files []string, meta []uint32)   {}
func Flush()                                                           {}
func Exit(f func(int)) func(int)                                       { return f }
func Fatal(v ...interface{})                                           {}
func Fatalln(v ...interface{})                                         {}
func Fatalf(format string, v ...interface{})                           {}
func FatalFunc(f func(...interface{})) func(...interface{})            { return f }
func FatallnFunc(f func(...interface{})) func(...interface{})          { return f }
func FatalfFunc(f func(string, ...interface{})) func(string, ...interface{}) { return f }
func Notify(f func(chan<- os.Signal, ...os.Signal)) func(chan<- os.Signal, ...os.Signal) { return f }
func Stop(f func(chan<- os.Signal)) func(chan<- os.Signal)             { return f }
func Reset(f func(...os.Signal)) func(...os.Signal)                    { return f }
func Ignore(f func(...os.Signal)) func(...os.Signal)                   { return f }
func CoverMode(f func() string) func() string                          { return f }
func Coverage(f func() float64) func() float64                         { return f }
func NotifyContext(f func(context.Context, ...os.Signal) (context.Context, context.CancelFunc)) func(context.Context, ...os.Signal) (context.Context, context.CancelFunc) {
	return f
}
`

// checkCompiles type-checks the instrumented file with the added files
// against the stand-in runtime.
func checkCompiles(t *testing.T, out []byte, added []Source) {
	t.Helper()
	fset := token.NewFileSet()
	rtFile, err := parser.ParseFile(fset, "rt.go", runtimeStub, 0)
	if err != nil {
		t.Fatal(err)
	}
	std := importer.Default()
	rt, err := (&types.Config{Importer: std}).Check("rt.invalid/rt", fset, []*ast.File{rtFile}, nil)
	if err != nil {
		t.Fatal(err)
	}
	files := []*ast.File{}
	for i, src := range append([][]byte{out}, sourcesOf(added)...) {
		f, err := parser.ParseFile(fset, fmt.Sprintf("f%d.go", i), src, 0)
		if err != nil {
			t.Fatalf("instrumented code does not parse: %v\n%s", err, src)
		}
		files = append(files, f)
	}
	conf := types.Config{Importer: importerFunc(func(path string) (*types.Package, error) {
		if path == "rt.invalid/rt" {
			return rt, nil
		}
		return std.Import(path)
	})}
	if _, err := conf.Check("p", fset, files, nil); err != nil {
		var all bytes.Buffer
		for _, src := range append([][]byte{out}, sourcesOf(added)...) {
			all.Write(src)
		}
		t.Fatalf("instrumented code does not type-check: %v\n%s", err, all.String())
	}
}

func sourcesOf(list []Source) [][]byte {
	var out [][]byte
	for _, s := range list {
		out = append(out, s.Src)
	}
	return out
}

type importerFunc func(string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
