package pattern

import (
	"context"
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"reflect"
	"strings"
	"testing"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/internal/golden"
)

// FuzzTree checks that what the engine writes is what the rules mean: the
// rewritten source parses to the tree the rewriter built (comments,
// positions and parentheses aside). Minimal byte edits, pasted subtrees
// and added parentheses must never change the structure: an extra block,
// a lost statement or a regrouped operator would show here.
func FuzzTree(f *testing.F) {
	for _, in := range golden.Inputs(f, "testdata") {
		f.Add(in)
	}
	f.Add([]byte("package p\n\nfunc g(c bool) {\n\trun(\"x\", func() {\n\t\tif c {\n\t\t\tx = two(1, 2)\n\t\t} else {\n\t\t\tx = 3\n\t\t}\n\n\t\tprintln(4) // four\n\t})\n}\n"))
	var specs []*Spec
	for _, r := range []string{
		"a + b -> b * a",
		"f(x, y) -> f(y, x)",
		"-x -> x - 1",
		"println(x) ->",
		"if c { s } else { t } -> if !c { t } else { s }",
		"x = y; z = w -> z = w; x = y",
	} {
		s, err := Parse(r)
		if err != nil {
			f.Fatal(err)
		}
		specs = append(specs, s)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, "x.go", src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return
		}
		var want ast.Node = file
		for _, s := range specs {
			want = newRewriter(s, nil).node(want)
		}
		res, err := rewrite.RunSource(context.Background(), rewrite.Config{IncludeGenerated: true}, []*rewrite.Rule{New(specs...)}, "x.go", src)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Errs) > 0 || !res.Changed() {
			return // a refusal (reported) or nothing to do
		}
		got, err := parser.ParseFile(token.NewFileSet(), "x.go", res.Out, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("output does not parse: %v\n%s", err, res.Out)
		}
		if w, g := shape(want), shape(got); w != g {
			t.Fatalf("output is not the rewritten tree\nwant %s\n got %s\noutput:\n%s", w, g, res.Out)
		}
	})
}

// shape serializes a syntax tree without positions, comments and
// parentheses, with literals in canonical form and without what gofmt
// drops (empty result lists).
func shape(n ast.Node) string {
	ast.Inspect(n, func(n ast.Node) bool {
		if ft, ok := n.(*ast.FuncType); ok && ft.Results != nil && len(ft.Results.List) == 0 {
			ft.Results = nil // the test's own copy of the tree
		}
		return true
	})
	var b strings.Builder
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		if !v.IsValid() {
			b.WriteString("nil ")
			return
		}
		switch v.Kind() {
		case reflect.Interface, reflect.Pointer:
			if v.IsNil() {
				b.WriteString("nil ")
				return
			}
			if p, ok := v.Interface().(*ast.ParenExpr); ok {
				walk(reflect.ValueOf(p.X))
				return
			}
			if lit, ok := v.Interface().(*ast.BasicLit); ok {
				fmt.Fprintf(&b, "%s(%s) ", lit.Kind, constant.MakeFromLiteral(lit.Value, lit.Kind, 0).ExactString())
				return
			}
			walk(v.Elem())
		case reflect.Struct:
			t := v.Type()
			b.WriteString(t.Name() + "{")
			for i := 0; i < t.NumField(); i++ {
				switch ft := t.Field(i).Type; {
				case ft == reflect.TypeFor[token.Pos](), ft == reflect.TypeFor[*ast.Object](), ft == reflect.TypeFor[*ast.Scope](),
					ft == reflect.TypeFor[*ast.CommentGroup](), ft == reflect.TypeFor[[]*ast.CommentGroup](),
					t.Name() == "File" && (t.Field(i).Name == "Imports" || t.Field(i).Name == "Unresolved"):
					continue
				}
				walk(v.Field(i))
			}
			b.WriteString("} ")
		case reflect.Slice:
			b.WriteString("[")
			for i := 0; i < v.Len(); i++ {
				if es, ok := v.Index(i).Interface().(*ast.EmptyStmt); ok && es.Implicit {
					continue
				}
				walk(v.Index(i))
			}
			b.WriteString("] ")
		default:
			fmt.Fprintf(&b, "%v ", v.Interface())
		}
	}
	walk(reflect.ValueOf(n))
	return b.String()
}
