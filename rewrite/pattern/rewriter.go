package pattern

import (
	"go/ast"
	"go/token"
	"reflect"
)

// rewriter applies one spec to a syntax tree, bottom-up like gofmt -r: the
// children of a node are rewritten first, then the node (with its rewritten
// children) is matched against the pattern and, on a match, replaced by the
// replacement with the wildcards' matches substituted. Unlike gofmt -r it
// never modifies the tree it is given: a changed node is a fresh copy, and
// unchanged subtrees are shared, so the engine can compare the result with
// the original and edit only what changed.
type rewriter struct {
	spec  *Spec
	m     *matcher
	env   *typeEnv
	quals []qualIdent // package qualifiers the replacements introduced

	// The pattern's root, to skip most nodes without a full match.
	rootType reflect.Type
	rootOp   token.Token // for a binary or unary pattern
	rootName string      // for an identifier pattern
	rootAny  bool        // the pattern is a lone wildcard
	stmtK    int         // statements in a statement pattern
	matches  []extent    // where the spec matched, for reports
}

// qualIdent is a package name in a replacement that may need an import.
type qualIdent struct {
	id   *ast.Ident
	path string
	at   token.Pos
}

func newRewriter(s *Spec, env *typeEnv) *rewriter {
	r := &rewriter{spec: s, env: env, m: &matcher{spec: s, binds: make(map[string]ast.Node), types: env}}
	var root ast.Node = s.pattern
	if s.IsStatement() {
		r.stmtK = len(s.patternStmts)
		root = s.patternStmts[0]
		if es, ok := root.(*ast.ExprStmt); ok {
			if id, ok := es.X.(*ast.Ident); ok && s.isWildcard(id.Name) {
				r.rootAny = true
			}
		}
	}
	r.rootType = reflect.TypeOf(root)
	switch p := root.(type) {
	case *ast.BinaryExpr:
		r.rootOp = p.Op
	case *ast.UnaryExpr:
		r.rootOp = p.Op
	case *ast.Ident:
		if s.isWildcard(p.Name) {
			r.rootAny = true
		} else {
			r.rootName = p.Name
		}
	}
	return r
}

// candidate is the cheap test run before a full match.
func (r *rewriter) candidate(n ast.Node) bool {
	if r.rootAny {
		return true
	}
	if reflect.TypeOf(n) != r.rootType {
		return false
	}
	switch n := n.(type) {
	case *ast.BinaryExpr:
		return n.Op == r.rootOp
	case *ast.UnaryExpr:
		return n.Op == r.rootOp
	case *ast.Ident:
		return n.Name == r.rootName
	}
	return true
}

// try replaces n when it matches an expression pattern.
func (r *rewriter) try(n ast.Node) ast.Node {
	if r.spec.IsStatement() {
		return n
	}
	if !r.candidate(n) || !r.m.matches(r.spec.pattern, n) {
		return n
	}
	out, ok := r.subst(r.spec.replace, n.Pos())
	if !ok {
		return n
	}
	if r.env != nil {
		if x, isExpr := n.(ast.Expr); isExpr {
			if y, isExpr := out.(ast.Expr); isExpr {
				if t := r.env.typeOf(x); t != nil {
					r.env.fresh[y] = t
				}
			}
		}
	}
	r.matches = append(r.matches, extentOf(n))
	return out
}

// tryCopy is try for c, a copy of n with rewritten children: for typed
// wildcards the copy has n's type (which the rewrites of its children are
// assumed to keep, as for replacements in try).
func (r *rewriter) tryCopy(n, c ast.Expr) ast.Node {
	if r.env != nil {
		if t := r.env.typeOf(n); t != nil {
			r.env.fresh[c] = t
		}
	}
	return r.try(c)
}

// trySingleStmt replaces statement s, in a place that holds exactly one
// statement, when a one-statement pattern matches it.
func (r *rewriter) trySingleStmt(s ast.Stmt) ast.Stmt {
	if r.stmtK != 1 || len(r.spec.replStmts) != 1 || !r.candidate(s) || !r.m.matches(r.spec.patternStmts[0], s) {
		return s
	}
	out, ok := r.subst(r.spec.replStmts[0], s.Pos())
	if !ok {
		return s
	}
	r.matches = append(r.matches, extentOf(s))
	return out.(ast.Stmt)
}

// stmtList rewrites a statement list and matches statement patterns
// against its runs of consecutive statements, left to right.
func (r *rewriter) stmtList(list []ast.Stmt) []ast.Stmt {
	out := mapList(list, r.stmtInList)
	if r.stmtK == 0 || len(out) < r.stmtK {
		return out
	}
	var result []ast.Stmt
	changed := false
	for i := 0; i < len(out); {
		if i+r.stmtK <= len(out) && r.candidate(out[i]) && r.matchSeq(out[i:i+r.stmtK]) {
			repl, ok := r.substStmts(out[i].Pos())
			if ok {
				result = append(result, repl...)
				r.matches = append(r.matches, extentOf(out[i]).union(extentOf(out[i+r.stmtK-1])))
				changed = true
				i += r.stmtK
				continue
			}
		}
		result = append(result, out[i])
		i++
	}
	if !changed {
		return out
	}
	if result == nil {
		result = []ast.Stmt{}
	}
	return result
}

func (r *rewriter) matchSeq(seq []ast.Stmt) bool {
	r.m.reset()
	for i, p := range r.spec.patternStmts {
		if !r.m.match(reflect.ValueOf(p), reflect.ValueOf(seq[i]), true) {
			return false
		}
	}
	return true
}

func (r *rewriter) substStmts(pos token.Pos) ([]ast.Stmt, bool) {
	out := make([]ast.Stmt, 0, len(r.spec.replStmts))
	for _, s := range r.spec.replStmts {
		n, ok := r.subst(s, pos)
		if !ok {
			return nil, false
		}
		out = append(out, n.(ast.Stmt))
	}
	return out, true
}

// mapList applies f to the elements of list, copying the list only when
// some element changes.
func mapList[T comparable](list []T, f func(T) T) []T {
	var out []T
	for i, x := range list {
		y := f(x)
		if out == nil && y != x {
			out = make([]T, len(list))
			copy(out, list[:i])
		}
		if out != nil {
			out[i] = y
		}
	}
	if out == nil {
		return list
	}
	return out
}

// The helpers below rewrite a child and keep the old one when the result
// does not fit the field, as gofmt -r does.

func (r *rewriter) expr(x ast.Expr) ast.Expr {
	if x == nil {
		return nil
	}
	if y, ok := r.node(x).(ast.Expr); ok {
		return y
	}
	return x
}

func (r *rewriter) ident(x *ast.Ident) *ast.Ident {
	if x == nil {
		return nil
	}
	if y, ok := r.node(x).(*ast.Ident); ok {
		return y
	}
	return x
}

func (r *rewriter) basicLit(x *ast.BasicLit) *ast.BasicLit {
	if x == nil {
		return nil
	}
	if y, ok := r.node(x).(*ast.BasicLit); ok {
		return y
	}
	return x
}

func (r *rewriter) fieldList(x *ast.FieldList) *ast.FieldList {
	if x == nil {
		return nil
	}
	if y, ok := r.node(x).(*ast.FieldList); ok {
		return y
	}
	return x
}

func (r *rewriter) funcType(x *ast.FuncType) *ast.FuncType {
	if x == nil {
		return nil
	}
	if y, ok := r.node(x).(*ast.FuncType); ok {
		return y
	}
	return x
}

func (r *rewriter) callExpr(x *ast.CallExpr) *ast.CallExpr {
	if x == nil {
		return nil
	}
	if y, ok := r.node(x).(*ast.CallExpr); ok {
		return y
	}
	return x
}

func (r *rewriter) block(x *ast.BlockStmt) *ast.BlockStmt {
	if x == nil {
		return nil
	}
	if y, ok := r.node(x).(*ast.BlockStmt); ok {
		return y
	}
	return x
}

// stmt rewrites a statement in a place that holds exactly one.
func (r *rewriter) stmt(x ast.Stmt) ast.Stmt {
	if x == nil {
		return nil
	}
	y, ok := r.node(x).(ast.Stmt)
	if !ok {
		return x
	}
	return r.trySingleStmt(y)
}

// stmtInList rewrites a statement of a list; statement patterns are
// matched by stmtList.
func (r *rewriter) stmtInList(x ast.Stmt) ast.Stmt {
	if y, ok := r.node(x).(ast.Stmt); ok {
		return y
	}
	return x
}

func (r *rewriter) exprs(list []ast.Expr) []ast.Expr      { return mapList(list, r.expr) }
func (r *rewriter) idents(list []*ast.Ident) []*ast.Ident { return mapList(list, r.ident) }

func (r *rewriter) field(x *ast.Field) *ast.Field {
	if y, ok := r.node(x).(*ast.Field); ok {
		return y
	}
	return x
}

func (r *rewriter) spec_(x ast.Spec) ast.Spec {
	if y, ok := r.node(x).(ast.Spec); ok {
		return y
	}
	return x
}

func (r *rewriter) decl(x ast.Decl) ast.Decl {
	if y, ok := r.node(x).(ast.Decl); ok {
		return y
	}
	return x
}

// node rewrites n's children, then n itself.
func (r *rewriter) node(n ast.Node) ast.Node {
	switch n := n.(type) {
	case *ast.Ident, *ast.BasicLit, *ast.BadExpr, *ast.BadStmt, *ast.BadDecl, *ast.EmptyStmt:
		// leaves
	case *ast.Ellipsis:
		if e := r.expr(n.Elt); e != n.Elt {
			c := *n
			c.Elt = e
			return r.tryCopy(n, &c)
		}
	case *ast.FuncLit:
		t, b := r.funcType(n.Type), r.block(n.Body)
		if t != n.Type || b != n.Body {
			c := *n
			c.Type, c.Body = t, b
			return r.tryCopy(n, &c)
		}
	case *ast.CompositeLit:
		t, e := r.expr(n.Type), r.exprs(n.Elts)
		if t != n.Type || !sameSlice(e, n.Elts) {
			c := *n
			c.Type, c.Elts = t, e
			return r.tryCopy(n, &c)
		}
	case *ast.ParenExpr:
		if x := r.expr(n.X); x != n.X {
			c := *n
			c.X = x
			return r.tryCopy(n, &c)
		}
	case *ast.SelectorExpr:
		x, s := r.expr(n.X), r.ident(n.Sel)
		if x != n.X || s != n.Sel {
			c := *n
			c.X, c.Sel = x, s
			return r.tryCopy(n, &c)
		}
	case *ast.IndexExpr:
		x, i := r.expr(n.X), r.expr(n.Index)
		if x != n.X || i != n.Index {
			c := *n
			c.X, c.Index = x, i
			return r.tryCopy(n, &c)
		}
	case *ast.IndexListExpr:
		x, i := r.expr(n.X), r.exprs(n.Indices)
		if x != n.X || !sameSlice(i, n.Indices) {
			c := *n
			c.X, c.Indices = x, i
			return r.tryCopy(n, &c)
		}
	case *ast.SliceExpr:
		x, lo, hi, max := r.expr(n.X), r.expr(n.Low), r.expr(n.High), r.expr(n.Max)
		if x != n.X || lo != n.Low || hi != n.High || max != n.Max {
			c := *n
			c.X, c.Low, c.High, c.Max = x, lo, hi, max
			return r.tryCopy(n, &c)
		}
	case *ast.TypeAssertExpr:
		x, t := r.expr(n.X), r.expr(n.Type)
		if x != n.X || t != n.Type {
			c := *n
			c.X, c.Type = x, t
			return r.tryCopy(n, &c)
		}
	case *ast.CallExpr:
		f, a := r.expr(n.Fun), r.exprs(n.Args)
		if f != n.Fun || !sameSlice(a, n.Args) {
			c := *n
			c.Fun, c.Args = f, a
			return r.tryCopy(n, &c)
		}
	case *ast.StarExpr:
		if x := r.expr(n.X); x != n.X {
			c := *n
			c.X = x
			return r.tryCopy(n, &c)
		}
	case *ast.UnaryExpr:
		if x := r.expr(n.X); x != n.X {
			c := *n
			c.X = x
			return r.tryCopy(n, &c)
		}
	case *ast.BinaryExpr:
		x, y := r.expr(n.X), r.expr(n.Y)
		if x != n.X || y != n.Y {
			c := *n
			c.X, c.Y = x, y
			return r.tryCopy(n, &c)
		}
	case *ast.KeyValueExpr:
		k, v := r.expr(n.Key), r.expr(n.Value)
		if k != n.Key || v != n.Value {
			c := *n
			c.Key, c.Value = k, v
			return r.tryCopy(n, &c)
		}
	case *ast.ArrayType:
		l, e := r.expr(n.Len), r.expr(n.Elt)
		if l != n.Len || e != n.Elt {
			c := *n
			c.Len, c.Elt = l, e
			return r.tryCopy(n, &c)
		}
	case *ast.StructType:
		if f := r.fieldList(n.Fields); f != n.Fields {
			c := *n
			c.Fields = f
			return r.tryCopy(n, &c)
		}
	case *ast.FuncType:
		tp, p, res := r.fieldList(n.TypeParams), r.fieldList(n.Params), r.fieldList(n.Results)
		if tp != n.TypeParams || p != n.Params || res != n.Results {
			c := *n
			c.TypeParams, c.Params, c.Results = tp, p, res
			return r.tryCopy(n, &c)
		}
	case *ast.InterfaceType:
		if m := r.fieldList(n.Methods); m != n.Methods {
			c := *n
			c.Methods = m
			return r.tryCopy(n, &c)
		}
	case *ast.MapType:
		k, v := r.expr(n.Key), r.expr(n.Value)
		if k != n.Key || v != n.Value {
			c := *n
			c.Key, c.Value = k, v
			return r.tryCopy(n, &c)
		}
	case *ast.ChanType:
		if v := r.expr(n.Value); v != n.Value {
			c := *n
			c.Value = v
			return r.tryCopy(n, &c)
		}

	case *ast.Field:
		names, t, tag := r.idents(n.Names), r.expr(n.Type), r.basicLit(n.Tag)
		if !sameSlice(names, n.Names) || t != n.Type || tag != n.Tag {
			c := *n
			c.Names, c.Type, c.Tag = names, t, tag
			return &c
		}
	case *ast.FieldList:
		if l := mapList(n.List, r.field); !sameSlice(l, n.List) {
			c := *n
			c.List = l
			return &c
		}

	case *ast.DeclStmt:
		if d := r.decl(n.Decl); d != n.Decl {
			c := *n
			c.Decl = d
			return &c
		}
	case *ast.LabeledStmt:
		l, s := r.ident(n.Label), r.stmt(n.Stmt)
		if l != n.Label || s != n.Stmt {
			c := *n
			c.Label, c.Stmt = l, s
			return &c
		}
	case *ast.ExprStmt:
		if x := r.expr(n.X); x != n.X {
			c := *n
			c.X = x
			return &c
		}
	case *ast.SendStmt:
		ch, v := r.expr(n.Chan), r.expr(n.Value)
		if ch != n.Chan || v != n.Value {
			c := *n
			c.Chan, c.Value = ch, v
			return &c
		}
	case *ast.IncDecStmt:
		if x := r.expr(n.X); x != n.X {
			c := *n
			c.X = x
			return &c
		}
	case *ast.AssignStmt:
		l, rh := r.exprs(n.Lhs), r.exprs(n.Rhs)
		if !sameSlice(l, n.Lhs) || !sameSlice(rh, n.Rhs) {
			c := *n
			c.Lhs, c.Rhs = l, rh
			return &c
		}
	case *ast.GoStmt:
		if call := r.callExpr(n.Call); call != n.Call {
			c := *n
			c.Call = call
			return &c
		}
	case *ast.DeferStmt:
		if call := r.callExpr(n.Call); call != n.Call {
			c := *n
			c.Call = call
			return &c
		}
	case *ast.ReturnStmt:
		if res := r.exprs(n.Results); !sameSlice(res, n.Results) {
			c := *n
			c.Results = res
			return &c
		}
	case *ast.BranchStmt:
		if l := r.ident(n.Label); l != n.Label {
			c := *n
			c.Label = l
			return &c
		}
	case *ast.BlockStmt:
		if l := r.stmtList(n.List); !sameSlice(l, n.List) {
			c := *n
			c.List = l
			return &c
		}
	case *ast.IfStmt:
		init, cond, body := r.stmt(n.Init), r.expr(n.Cond), r.block(n.Body)
		els := n.Else
		if els != nil {
			switch e := r.stmt(n.Else).(type) {
			case *ast.IfStmt, *ast.BlockStmt:
				els = e
			}
		}
		if init != n.Init || cond != n.Cond || body != n.Body || els != n.Else {
			c := *n
			c.Init, c.Cond, c.Body, c.Else = init, cond, body, els
			return &c
		}
	case *ast.CaseClause:
		l, b := r.exprs(n.List), r.stmtList(n.Body)
		if !sameSlice(l, n.List) || !sameSlice(b, n.Body) {
			c := *n
			c.List, c.Body = l, b
			return &c
		}
	case *ast.SwitchStmt:
		init, tag, body := r.stmt(n.Init), r.expr(n.Tag), r.block(n.Body)
		if init != n.Init || tag != n.Tag || body != n.Body {
			c := *n
			c.Init, c.Tag, c.Body = init, tag, body
			return &c
		}
	case *ast.TypeSwitchStmt:
		init, assign, body := r.stmt(n.Init), r.stmt(n.Assign), r.block(n.Body)
		if init != n.Init || assign != n.Assign || body != n.Body {
			c := *n
			c.Init, c.Assign, c.Body = init, assign, body
			return &c
		}
	case *ast.CommClause:
		comm, b := r.stmt(n.Comm), r.stmtList(n.Body)
		if comm != n.Comm || !sameSlice(b, n.Body) {
			c := *n
			c.Comm, c.Body = comm, b
			return &c
		}
	case *ast.SelectStmt:
		if b := r.block(n.Body); b != n.Body {
			c := *n
			c.Body = b
			return &c
		}
	case *ast.ForStmt:
		init, cond, post, body := r.stmt(n.Init), r.expr(n.Cond), r.stmt(n.Post), r.block(n.Body)
		if init != n.Init || cond != n.Cond || post != n.Post || body != n.Body {
			c := *n
			c.Init, c.Cond, c.Post, c.Body = init, cond, post, body
			return &c
		}
	case *ast.RangeStmt:
		k, v, x, body := r.expr(n.Key), r.expr(n.Value), r.expr(n.X), r.block(n.Body)
		if k != n.Key || v != n.Value || x != n.X || body != n.Body {
			c := *n
			c.Key, c.Value, c.X, c.Body = k, v, x, body
			return &c
		}

	case *ast.ImportSpec:
		name, path := r.ident(n.Name), r.basicLit(n.Path)
		if name != n.Name || path != n.Path {
			c := *n
			c.Name, c.Path = name, path
			return &c
		}
	case *ast.ValueSpec:
		names, t, vals := r.idents(n.Names), r.expr(n.Type), r.exprs(n.Values)
		if !sameSlice(names, n.Names) || t != n.Type || !sameSlice(vals, n.Values) {
			c := *n
			c.Names, c.Type, c.Values = names, t, vals
			return &c
		}
	case *ast.TypeSpec:
		name, tp, t := r.ident(n.Name), r.fieldList(n.TypeParams), r.expr(n.Type)
		if name != n.Name || tp != n.TypeParams || t != n.Type {
			c := *n
			c.Name, c.TypeParams, c.Type = name, tp, t
			return &c
		}
	case *ast.GenDecl:
		if s := mapList(n.Specs, r.spec_); !sameSlice(s, n.Specs) {
			c := *n
			c.Specs = s
			return &c
		}
	case *ast.FuncDecl:
		recv, name, t, body := r.fieldList(n.Recv), r.ident(n.Name), r.funcType(n.Type), r.block(n.Body)
		if recv != n.Recv || name != n.Name || t != n.Type || body != n.Body {
			c := *n
			c.Recv, c.Name, c.Type, c.Body = recv, name, t, body
			return &c
		}
	case *ast.File:
		name, decls := r.ident(n.Name), mapList(n.Decls, r.decl)
		if name != n.Name || !sameSlice(decls, n.Decls) {
			c := *n
			c.Name, c.Decls = name, decls
			return &c
		}
		return n
	}
	return r.try(n)
}

// sameSlice reports whether a and b are the same slice (not merely equal):
// mapList returns its argument when nothing changed.
func sameSlice[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
