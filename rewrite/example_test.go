package rewrite_test

import (
	"context"
	"fmt"
	"go/ast"
	"os"
	"path/filepath"

	"github.com/gorewrite/gorewrite/rewrite"
)

// A Go program can run its own rules through the same driver as the
// built-in ones. This rule replaces calls of the (hypothetical) deprecated
// function errs.Wrap(err, msg) with fmt.Errorf(msg+": %w", err): it builds
// the new call as syntax and lets the engine turn that into minimal edits,
// add the fmt import and drop the errs import it left unused.
func Example() {
	wrap := &rewrite.Rule{
		Name: "unwrap",
		Doc:  "replace errs.Wrap(err, msg) by fmt.Errorf",
		Run: func(pass *rewrite.Pass) error {
			for _, f := range pass.Files {
				ast.Inspect(f, func(n ast.Node) bool {
					call, ok := n.(*ast.CallExpr)
					if !ok || len(call.Args) != 2 {
						return true
					}
					sel, ok := call.Fun.(*ast.SelectorExpr)
					if !ok || sel.Sel.Name != "Wrap" || !isIdent(sel.X, "errs") {
						return true
					}
					msg, ok := call.Args[1].(*ast.BasicLit)
					if !ok {
						return true
					}
					fmtName := pass.AddImport(f, "fmt", call.Pos())
					pass.ReplaceNode(call, &ast.CallExpr{
						Fun:  &ast.SelectorExpr{X: ast.NewIdent(fmtName), Sel: ast.NewIdent("Errorf")},
						Args: []ast.Expr{&ast.BasicLit{Kind: msg.Kind, Value: msg.Value[:len(msg.Value)-1] + `: %w"`}, call.Args[0]},
					})
					return false
				})
			}
			return nil
		},
	}

	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "load.go")
	os.WriteFile(file, []byte(`package load

import (
	"os"

	"example.com/errs"
)

// Load reads the configuration.
func Load(name string) ([]byte, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, errs.Wrap(err /* the cause */, "reading config")
	}
	return b, nil
}
`), 0o666)

	err := rewrite.Run(context.Background(), rewrite.Config{Dir: dir}, []*rewrite.Rule{wrap}, []string{"load.go"},
		func(r *rewrite.FileResult) error {
			for _, e := range r.Errs {
				fmt.Println(e)
			}
			fmt.Printf("%s", r.Out)
			return nil
		})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// package load
	//
	// import (
	// 	"fmt"
	// 	"os"
	// )
	//
	// // Load reads the configuration.
	// func Load(name string) ([]byte, error) {
	// 	b, err := os.ReadFile(name)
	// 	if err != nil {
	// 		return nil, fmt.Errorf("reading config: %w", err /* the cause */)
	// 	}
	// 	return b, nil
	// }
}

func isIdent(x ast.Expr, name string) bool {
	id, ok := x.(*ast.Ident)
	return ok && id.Name == name
}
