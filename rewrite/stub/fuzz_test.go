package stub_test

import (
	"context"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/gorewrite/gorewrite/rewrite/stub"
)

// FuzzGenerate checks, on any single-file package without imports that
// type-checks, that Generate reports no error and that the test file it
// writes (with --all --fuzz --parallel) type-checks with the package.
func FuzzGenerate(f *testing.F) {
	for _, seed := range []string{
		"package p\n\nfunc Add(a, b int) int { return a + b }\n",
		"package p\n\ntype T struct{ n int }\n\nfunc NewT(n int) (*T, error) { return &T{n}, nil }\n\nfunc (t *T) Get(k string) (int, bool, error) { return t.n, true, nil }\n",
		"package p\n\ntype t int\n\nfunc got(t t, tt, tests string, name ...bool) (want, wantErr t) { return }\n",
		"package p\n\ntype Number interface{ ~int | ~float64 }\n\nfunc Sum[N Number](xs ...N) (s N) { return }\n\ntype Set[K comparable] map[K]bool\n\nfunc (s Set[K]) Has(k K) bool { return s[k] }\n",
		"package p\n\nfunc F(int, []byte, string, float32, uint8) {}\n\nfunc G(func(int) error, chan<- int, map[string][]int, [3]int, interface{ M() }) {}\n",
		"package p\n\ntype S struct{ _ [0]func() }\n\nfunc (S) M(s S) S { return s }\n\nfunc init() {}\n\nfunc _() {}\n",
	} {
		f.Add(seed)
	}
	imp := importer.Default()
	f.Fuzz(func(t *testing.T, src string) {
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, "/p/p.go", src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil || file.Name.Name != "p" || len(file.Imports) > 0 || ast.IsGenerated(file) {
			return
		}
		info := &types.Info{
			Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
			Uses: map[*ast.Ident]types.Object{}, Implicits: map[ast.Node]types.Object{},
			Selections: map[*ast.SelectorExpr]*types.Selection{}, Scopes: map[ast.Node]*types.Scope{},
			Instances: map[*ast.Ident]types.Instance{},
		}
		conf := types.Config{GoVersion: "go1.26", Error: func(error) {}}
		pkg, err := conf.Check("example.com/p", fset, []*ast.File{file}, info)
		if err != nil {
			return
		}
		p := &stub.Package{Dir: "/p", Path: "example.com/p", Name: "p", Fset: fset, Types: pkg, Info: info,
			Files: []*stub.File{{Name: "/p/p.go", Src: []byte(src), Syntax: file}}}
		out := stub.Generate(context.Background(), p, stub.Options{Selection: stub.Selection{All: true}, Fuzz: true, Parallel: true, Compare: "reflect"})
		for _, err := range out.Errs {
			t.Fatalf("Generate: %v\n%s", err, src)
		}
		for _, fo := range out.Files {
			tf, err := parser.ParseFile(fset, fo.Name, fo.New, parser.SkipObjectResolution)
			if err != nil {
				t.Fatalf("generated test does not parse: %v\n%s", err, fo.New)
			}
			if strings.HasSuffix(tf.Name.Name, "_test") {
				t.Fatalf("external test file for a package without tests:\n%s", fo.New)
			}
			file2, _ := parser.ParseFile(fset, "/p/p.go", src, parser.SkipObjectResolution)
			conf := types.Config{GoVersion: "go1.26", Importer: imp}
			if _, err := conf.Check("example.com/p", fset, []*ast.File{file2, tf}, nil); err != nil {
				t.Fatalf("generated test does not type-check: %v\n--- source\n%s\n--- test\n%s", err, src, fo.New)
			}
		}
	})
}
