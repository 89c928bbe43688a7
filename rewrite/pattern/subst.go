package pattern

import (
	"go/ast"
	"go/token"
	"reflect"
)

var (
	commentGroupType = reflect.TypeFor[*ast.CommentGroup]()
	selectorType     = reflect.TypeFor[*ast.SelectorExpr]()
)

// subst returns a copy of the template with each wildcard replaced by what
// it matched (shared, not copied: it may be an original node, whose text
// the engine then keeps) and the template's valid positions set to pos, as
// gofmt -r does. It fails when a match does not fit where the template puts
// it (a statement where an expression must go, say).
func (r *rewriter) subst(tmpl ast.Node, pos token.Pos) (ast.Node, bool) {
	v, ok := r.substValue(reflect.ValueOf(tmpl), pos)
	if !ok || !v.IsValid() {
		return nil, false
	}
	n, ok := v.Interface().(ast.Node)
	return n, ok
}

func (r *rewriter) substValue(v reflect.Value, pos token.Pos) (reflect.Value, bool) {
	if !v.IsValid() {
		return v, true
	}
	switch v.Type() {
	case identType:
		if id := v.Interface().(*ast.Ident); id != nil && r.spec.isWildcard(id.Name) {
			if b, ok := r.m.binds[id.Name]; ok {
				if es, ok := b.(*ast.ExprStmt); ok {
					b = es.X // a statement wildcard used as an expression
				}
				return reflect.ValueOf(b), true
			}
		}
	case exprStmtType:
		if es := v.Interface().(*ast.ExprStmt); es != nil {
			if id, ok := es.X.(*ast.Ident); ok && r.spec.isWildcard(id.Name) {
				if b, ok := r.m.binds[id.Name]; ok {
					if st, ok := b.(ast.Stmt); ok {
						return reflect.ValueOf(st), true
					}
				}
			}
		}
	case positionType:
		if v.Interface().(token.Pos).IsValid() {
			return reflect.ValueOf(pos), true
		}
		return v, true
	case objectPtrType, scopePtrType, commentGroupType:
		return reflect.Zero(v.Type()), true
	}

	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || v.Elem().Kind() != reflect.Struct {
			return v, true
		}
		c := reflect.New(v.Elem().Type())
		if !r.substFields(c.Elem(), v.Elem(), pos) {
			return v, false
		}
		if v.Type() == selectorType {
			r.noteQualifier(v.Interface().(*ast.SelectorExpr), c.Interface().(*ast.SelectorExpr), pos)
		}
		return c, true
	case reflect.Interface:
		if v.IsNil() {
			return v, true
		}
		return r.substValue(v.Elem(), pos)
	case reflect.Slice:
		if v.IsNil() {
			return v, true
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			e, ok := r.substValue(v.Index(i), pos)
			if !ok || !set(c.Index(i), e) {
				return v, false
			}
		}
		return c, true
	}
	return v, true
}

func (r *rewriter) substFields(dst, src reflect.Value, pos token.Pos) bool {
	for i := 0; i < src.NumField(); i++ {
		e, ok := r.substValue(src.Field(i), pos)
		if !ok || !set(dst.Field(i), e) {
			return false
		}
	}
	return true
}

// set stores e in dst when it fits.
func set(dst, e reflect.Value) bool {
	if !e.IsValid() {
		return true // leave the zero value
	}
	if e.Kind() == reflect.Interface && e.IsNil() || e.Kind() == reflect.Pointer && e.IsNil() {
		return true
	}
	if !e.Type().AssignableTo(dst.Type()) {
		return false
	}
	dst.Set(e)
	return true
}

// noteQualifier remembers package names the replacement introduces, so the
// rule can import their packages (see run).
func (r *rewriter) noteQualifier(tmpl, copied *ast.SelectorExpr, pos token.Pos) {
	id, ok := tmpl.X.(*ast.Ident)
	if !ok {
		return
	}
	path, ok := r.spec.qualPaths[id.Name]
	if !ok {
		return
	}
	if cid, ok := copied.X.(*ast.Ident); ok && cid != id {
		r.quals = append(r.quals, qualIdent{id: cid, path: path, at: pos})
	}
}
