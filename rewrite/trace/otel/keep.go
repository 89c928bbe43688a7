package otel

import (
	"cmp"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/gorewrite/gorewrite/rewrite"
	"golang.org/x/tools/go/types/typeutil"
)

// A function keeps its context when the context can outlive the call: it
// returns it or stores it (in a field, an element, a package variable, a
// channel), itself or what carries it: a local variable or a composite
// literal that holds it, a context derived from it, what a ...WithContext
// call attached it to (the request of http.NewRequestWithContext), what a
// function of the package that returns its argument returns. Passing it to
// a function of the package that stores it counts too. Such a function
// keeps the caller's context: the span's context would end up where the
// caller's was (a request compared with the context it was made with, a
// token source refreshed long after) and outlive the span. A request that
// only serves a call the function makes does not count: its spans are
// children of the function's.

// keeps holds, for each function of the package, what it does with each
// of its parameters: returns what carries it, stores it, or neither.
type keeps struct {
	info  *types.Info
	funcs map[types.Object]*summary
}

type summary struct {
	ft     *ast.FuncType
	body   *ast.BlockStmt
	params []types.Object // by argument position; nil: unnamed or blank
	whys   []string       // "returns it", "stores it"...: why it keeps the parameter
}

const returnsIt = "returns it"

// findKeeps summarizes the package's functions, to a fixed point: a
// function that passes a parameter to one that keeps it keeps it too.
func findKeeps(pass *rewrite.Pass) *keeps {
	k := &keeps{info: pass.TypesInfo, funcs: map[types.Object]*summary{}}
	var order []*summary // by position: the same reasons on every run
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil || k.info.Defs[fn.Name] == nil {
				continue
			}
			s := &summary{ft: fn.Type, body: fn.Body}
			for _, field := range fn.Type.Params.List {
				if len(field.Names) == 0 {
					s.params = append(s.params, nil)
				}
				for _, id := range field.Names {
					var obj types.Object
					if id.Name != "_" {
						obj = k.info.Defs[id]
					}
					s.params = append(s.params, obj)
				}
			}
			s.whys = make([]string, len(s.params))
			k.funcs[k.info.Defs[fn.Name]] = s
			order = append(order, s)
		}
	}
	for changed := true; changed; {
		changed = false
		for _, s := range order {
			for i, p := range s.params {
				if p != nil && s.whys[i] == "" {
					if s.whys[i] = k.why(s.ft, s.body, p); s.whys[i] != "" {
						changed = true
					}
				}
			}
		}
	}
	return k
}

// callee returns the summary of the function of the package call calls,
// and the parameter each argument goes to.
func (k *keeps) callee(call *ast.CallExpr) (*summary, func(arg int) int) {
	f := typeutil.StaticCallee(k.info, call)
	if f == nil {
		return nil, nil
	}
	s := k.funcs[f.Origin()] // a generic function's, not its instance's
	if s == nil || len(s.params) == 0 {
		return nil, nil
	}
	return s, func(arg int) int { return min(arg, len(s.params)-1) }
}

// why says how the function (ft, body) keeps param, or "".
func (k *keeps) why(ft *ast.FuncType, body *ast.BlockStmt, param types.Object) string {
	if k == nil || param == nil {
		return ""
	}
	info := k.info
	carriers := map[types.Object]bool{param: true}
	results := map[types.Object]bool{}
	if ft.Results != nil {
		for _, field := range ft.Results.List {
			for _, id := range field.Names {
				results[info.Defs[id]] = true
			}
		}
	}
	// local: a variable or parameter of the function, not a result.
	local := func(obj types.Object) bool {
		return obj != nil && obj.Pos() >= ft.Pos() && obj.Pos() < body.End() && !results[obj]
	}
	var carries func(e ast.Expr) bool
	carries = func(e ast.Expr) bool {
		switch e := ast.Unparen(e).(type) {
		case *ast.Ident:
			return carriers[info.Uses[e]]
		case *ast.UnaryExpr:
			return e.Op == token.AND && carries(e.X)
		case *ast.CompositeLit:
			return slices.ContainsFunc(e.Elts, func(x ast.Expr) bool {
				if kv, ok := x.(*ast.KeyValueExpr); ok {
					x = kv.Value
				}
				return carries(x)
			})
		case *ast.CallExpr:
			if s, param := k.callee(e); s != nil {
				for i, a := range e.Args {
					if s.whys[param(i)] == returnsIt && carries(a) {
						return true
					}
				}
			}
			attach := strings.HasSuffix(callName(e), "WithContext")
			if t, ok := info.TypeOf(e).(*types.Tuple); ok && t.Len() > 0 {
				attach = attach || isContext(t.At(0).Type())
			} else {
				attach = attach || isContext(info.TypeOf(e))
			}
			return attach && slices.ContainsFunc(e.Args, carries)
		}
		return false
	}
	// assign records that lhs gets what carries the parameter, and says
	// why that keeps it ("" for a local variable, which carries it now).
	assign := func(lhs ast.Expr) string {
		id, ok := ast.Unparen(lhs).(*ast.Ident)
		if !ok {
			return "stores it"
		}
		if id.Name == "_" {
			return ""
		}
		obj := info.Defs[id]
		if obj == nil {
			obj = info.Uses[id]
		}
		switch {
		case results[obj]:
			return returnsIt
		case !local(obj):
			return "stores it" // in a package variable
		}
		carriers[obj] = true
		return ""
	}
	why := ""
	inspect := func(n ast.Node) bool {
		if why != "" {
			return false
		}
		switch n := n.(type) {
		case *ast.ReturnStmt:
			if slices.ContainsFunc(n.Results, carries) {
				why = returnsIt
			}
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i, e := range n.Rhs {
					if carries(e) {
						why = cmp.Or(why, assign(n.Lhs[i]))
					}
				}
			} else if len(n.Rhs) == 1 && carries(n.Rhs[0]) {
				for _, l := range n.Lhs {
					why = cmp.Or(why, assign(l))
				}
			}
		case *ast.ValueSpec:
			for i, e := range n.Values {
				if carries(e) && i < len(n.Names) {
					why = cmp.Or(why, assign(n.Names[i]))
				}
			}
		case *ast.SendStmt:
			if carries(n.Value) {
				why = "sends it"
			}
		case *ast.CallExpr:
			if s, param := k.callee(n); s != nil {
				for i, a := range n.Args {
					if w := s.whys[param(i)]; w != "" && w != returnsIt && carries(a) {
						why = "passes it to " + callName(n) + ", which keeps it"
					}
				}
			}
		}
		return true
	}
	// Twice: a loop may make a carrier after a use.
	for range 2 {
		ast.Inspect(body, inspect)
	}
	return why
}
