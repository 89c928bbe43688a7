package pattern

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
)

var (
	identType     = reflect.TypeFor[*ast.Ident]()
	exprStmtType  = reflect.TypeFor[*ast.ExprStmt]()
	objectPtrType = reflect.TypeFor[*ast.Object]()
	scopePtrType  = reflect.TypeFor[*ast.Scope]()
	positionType  = reflect.TypeFor[token.Pos]()
	callExprType  = reflect.TypeFor[*ast.CallExpr]()
)

// matcher matches one spec's pattern against syntax, with gofmt -r's
// semantics: the trees must be equal except for positions and scope
// objects, a wildcard matches any expression, and a wildcard used twice
// must match equal expressions both times. Declared typed wildcards also
// need a match of the right type, and a wildcard written as a statement
// matches any statement.
type matcher struct {
	spec  *Spec
	binds map[string]ast.Node
	types *typeEnv // nil when the spec has no typed wildcards
}

func (m *matcher) reset() {
	clear(m.binds)
}

// matches matches pattern node p against v.
func (m *matcher) matches(p, v ast.Node) bool {
	m.reset()
	return m.match(reflect.ValueOf(p), reflect.ValueOf(v), true)
}

func (m *matcher) match(p, v reflect.Value, wild bool) bool {
	if wild && p.IsValid() && v.IsValid() {
		switch p.Type() {
		case identType:
			id := p.Interface().(*ast.Ident)
			if id != nil && m.spec.isWildcard(id.Name) {
				if x, ok := v.Interface().(ast.Expr); ok && !v.IsNil() {
					return m.bind(id.Name, x)
				}
			}
		case exprStmtType:
			// A wildcard written as a statement matches any statement,
			// bound whole (an expression statement too: its replacement
			// then keeps the original statement, comments and all).
			es := p.Interface().(*ast.ExprStmt)
			if id, ok := es.X.(*ast.Ident); ok && m.spec.isWildcard(id.Name) {
				if st, ok := v.Interface().(ast.Stmt); ok && !v.IsNil() {
					return m.bind(id.Name, st)
				}
			}
		}
	}
	if !p.IsValid() || !v.IsValid() {
		return !p.IsValid() && !v.IsValid()
	}
	if p.Type() != v.Type() {
		return false
	}
	switch p.Type() {
	case identType:
		pi, vi := p.Interface().(*ast.Ident), v.Interface().(*ast.Ident)
		return pi == nil && vi == nil || pi != nil && vi != nil && pi.Name == vi.Name
	case objectPtrType, scopePtrType, positionType:
		return true
	case callExprType:
		// f(x) and f(x...) differ only in the Ellipsis position.
		pc, vc := p.Interface().(*ast.CallExpr), v.Interface().(*ast.CallExpr)
		if pc != nil && vc != nil && pc.Ellipsis.IsValid() != vc.Ellipsis.IsValid() {
			return false
		}
	}
	p, v = reflect.Indirect(p), reflect.Indirect(v)
	if !p.IsValid() || !v.IsValid() {
		return !p.IsValid() && !v.IsValid()
	}
	switch p.Kind() {
	case reflect.Slice:
		if p.Len() != v.Len() {
			return false
		}
		for i := 0; i < p.Len(); i++ {
			if !m.match(p.Index(i), v.Index(i), wild) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := 0; i < p.NumField(); i++ {
			if !m.match(p.Field(i), v.Field(i), wild) {
				return false
			}
		}
		return true
	case reflect.Interface:
		pe, ve := p.Elem(), v.Elem()
		if !pe.IsValid() || !ve.IsValid() {
			return !pe.IsValid() && !ve.IsValid()
		}
		return m.match(pe, ve, wild)
	}
	return p.Interface() == v.Interface()
}

// bind records that wildcard name matched n, or checks that n equals what
// it matched before.
func (m *matcher) bind(name string, n ast.Node) bool {
	if old, ok := m.binds[name]; ok {
		// Used as a statement once and as an expression elsewhere: an
		// expression statement stands for its expression.
		if es, ok := old.(*ast.ExprStmt); ok {
			if _, isExpr := n.(ast.Expr); isExpr {
				old = es.X
			}
		}
		if es, ok := n.(*ast.ExprStmt); ok {
			if _, isExpr := old.(ast.Expr); isExpr {
				n = es.X
			}
		}
		return m.match(reflect.ValueOf(old), reflect.ValueOf(n), false)
	}
	if w := m.spec.declared[name]; w != nil && !w.any {
		x, ok := n.(ast.Expr)
		if es, isStmt := n.(*ast.ExprStmt); isStmt {
			x, ok = es.X, true
		}
		if !ok || m.types == nil || !m.types.satisfies(w, x) {
			return false
		}
	}
	m.binds[name] = n
	return true
}

// typeEnv answers type questions for typed wildcards in one package.
type typeEnv struct {
	info     *types.Info
	pkg      *types.Package
	fresh    map[ast.Expr]types.Type // types of rewritten expressions
	resolved map[*wildcard]types.Type
	missing  map[*wildcard]bool // type not found in this package's world
}

func (e *typeEnv) typeOf(x ast.Expr) types.Type {
	if t, ok := e.fresh[x]; ok {
		return t
	}
	if e.info == nil {
		return nil
	}
	if tv, ok := e.info.Types[x]; ok && tv.IsValue() {
		return tv.Type
	}
	return nil
}

// satisfies reports whether expression x has the type wildcard w asks for.
func (e *typeEnv) satisfies(w *wildcard, x ast.Expr) bool {
	t := e.typeOf(x)
	if t == nil {
		return false
	}
	if b, ok := t.(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
		t = types.Default(t)
	}
	want := e.wildcardType(w)
	if want == nil {
		return false
	}
	if w.tilde {
		return types.Identical(t.Underlying(), want.Underlying())
	}
	if types.Identical(t, want) {
		return true
	}
	if iface, ok := want.Underlying().(*types.Interface); ok && !iface.Empty() {
		return types.Implements(t, iface)
	}
	return false
}

func (e *typeEnv) wildcardType(w *wildcard) types.Type {
	if t, ok := e.resolved[w]; ok {
		return t
	}
	if e.missing[w] {
		return nil
	}
	w.needed.Store(true)
	t := resolveType(w, w.expr, e.pkg)
	if t == nil {
		e.missing[w] = true
		return nil
	}
	w.resolved.Store(true)
	e.resolved[w] = t
	return t
}
