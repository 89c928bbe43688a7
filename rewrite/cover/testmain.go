package cover

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strconv"

	"golang.org/x/tools/go/packages"
)

// A TestMain often hands m to a library that runs the tests and exits
// (goleak.VerifyTestMain(m), testscript.Main(m, ...)): the deferred flush
// never runs. Where the library takes an interface that asks for nothing
// but Run() int, m is passed wrapped (RT.M(m)), so that the profile is
// written as soon as the tests have run. Whether the parameter is such an
// interface takes the library's types.

// mCall is a library function a TestMain passes m to, and where.
type mCall struct {
	path, fn string
	arg      int
}

// testMainCalls lists the library calls taking m in the TestMain of src.
func testMainCalls(fset *token.FileSet, name string, src []byte) []mCall {
	f, err := parser.ParseFile(fset, name, src, 0)
	if err != nil {
		return nil
	}
	var out []mCall
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv != nil || fn.Name.Name != "TestMain" || fn.Body == nil || !isTestingM(f, fn.Type) {
			continue
		}
		m := fn.Type.Params.List[0].Names[0].Obj
		selectorCalls(fn.Body, func(call *ast.CallExpr, sel *ast.SelectorExpr, x *ast.Ident) {
			path := importPathOf(f, x.Name)
			if x.Obj != nil || path == "" {
				return
			}
			for i, a := range call.Args {
				if id, ok := a.(*ast.Ident); ok && id.Obj == m {
					out = append(out, mCall{path, sel.Sel.Name, i})
				}
			}
		})
	}
	return out
}

// selectorCalls calls visit for each call in n of the form x.f(...).
func selectorCalls(n ast.Node, visit func(call *ast.CallExpr, sel *ast.SelectorExpr, x *ast.Ident)) {
	ast.Inspect(n, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
				if x, ok := sel.X.(*ast.Ident); ok {
					visit(call, sel, x)
				}
			}
		}
		return true
	})
}

// importPathOf returns the path imported as name in f, or "".
func importPathOf(f *ast.File, name string) string {
	for _, imp := range f.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		if n, _ := importNames(&ast.File{Imports: []*ast.ImportSpec{imp}}, p); len(n) > 0 && n[0] == name {
			return p
		}
	}
	return ""
}

// runnerParams returns, of calls, those whose parameter is an interface
// that asks for nothing but Run() int, keyed as mKey does.
func runnerParams(ctx context.Context, cfg Config, calls []mCall) map[string]bool {
	out := map[string]bool{}
	if len(calls) == 0 {
		return out
	}
	var paths []string
	seen := map[string]bool{}
	for _, c := range calls {
		if !seen[c.path] {
			seen[c.path] = true
			paths = append(paths, c.path)
		}
	}
	pkgs, err := packages.Load(&packages.Config{
		Context: ctx, Mode: packages.NeedName | packages.NeedTypes,
		Dir: cfg.Dir, Env: cfg.env(), BuildFlags: cfg.listFlags(),
	}, paths...)
	if err != nil {
		return out
	}
	byPath := map[string]*types.Package{}
	for _, p := range pkgs {
		if p.Types != nil {
			byPath[p.PkgPath] = p.Types
		}
	}
	for _, c := range calls {
		tp := byPath[c.path]
		if tp == nil {
			continue
		}
		fn, ok := tp.Scope().Lookup(c.fn).(*types.Func)
		if !ok {
			continue
		}
		sig := fn.Type().(*types.Signature)
		params := sig.Params()
		var t types.Type
		switch {
		case c.arg < params.Len()-1 || c.arg < params.Len() && !sig.Variadic():
			t = params.At(c.arg).Type()
		case sig.Variadic() && params.Len() > 0:
			t = params.At(params.Len() - 1).Type().(*types.Slice).Elem()
		default:
			continue
		}
		if runnerInterface(t) {
			out[mKey(c.path, c.fn, c.arg)] = true
		}
	}
	return out
}

// runnerInterface reports whether t is an interface whose only method, if
// any, is Run() int: a wrapped m satisfies it.
func runnerInterface(t types.Type) bool {
	iface, ok := t.Underlying().(*types.Interface)
	if !ok {
		return false
	}
	for i := 0; i < iface.NumMethods(); i++ {
		m := iface.Method(i)
		sig := m.Type().(*types.Signature)
		if m.Name() != "Run" || sig.Params().Len() != 0 || sig.Results().Len() != 1 ||
			!types.Identical(sig.Results().At(0).Type(), types.Typ[types.Int]) {
			return false
		}
	}
	return iface.NumEmbeddeds() == 0 || iface.IsMethodSet()
}

func mKey(path, fn string, arg int) string { return path + "." + fn + "#" + strconv.Itoa(arg) }
