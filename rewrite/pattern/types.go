package pattern

import (
	"go/ast"
	"go/types"
	"strconv"
	"strings"
)

// resolveType turns the type written in a wildcard declaration into a
// types.Type as seen from pkg. Package-qualified names are looked up among
// the packages pkg depends on; a type from a package pkg cannot see resolves
// to nil, and the wildcard then matches nothing in pkg.
func resolveType(w *wildcard, x ast.Expr, pkg *types.Package) types.Type {
	switch x := x.(type) {
	case *ast.Ident:
		if q, ok := w.quals[x.Name]; ok {
			return lookupQualified(pkg, q.pkg, q.name)
		}
		if obj, ok := types.Universe.Lookup(x.Name).(*types.TypeName); ok {
			return obj.Type()
		}
		if pkg != nil {
			if obj, ok := pkg.Scope().Lookup(x.Name).(*types.TypeName); ok {
				return obj.Type()
			}
		}
	case *ast.SelectorExpr:
		return lookupQualified(pkg, x.X.(*ast.Ident).Name, x.Sel.Name)
	case *ast.ParenExpr:
		return resolveType(w, x.X, pkg)
	case *ast.StarExpr:
		if elem := resolveType(w, x.X, pkg); elem != nil {
			return types.NewPointer(elem)
		}
	case *ast.ArrayType:
		elem := resolveType(w, x.Elt, pkg)
		if elem == nil {
			return nil
		}
		if x.Len == nil {
			return types.NewSlice(elem)
		}
		n, err := strconv.ParseInt(x.Len.(*ast.BasicLit).Value, 0, 64)
		if err != nil {
			return nil
		}
		return types.NewArray(elem, n)
	case *ast.MapType:
		k, v := resolveType(w, x.Key, pkg), resolveType(w, x.Value, pkg)
		if k == nil || v == nil {
			return nil
		}
		return types.NewMap(k, v)
	case *ast.ChanType:
		elem := resolveType(w, x.Value, pkg)
		if elem == nil {
			return nil
		}
		dir := types.SendRecv
		switch x.Dir {
		case ast.SEND:
			dir = types.SendOnly
		case ast.RECV:
			dir = types.RecvOnly
		}
		return types.NewChan(dir, elem)
	case *ast.InterfaceType:
		return types.Universe.Lookup("any").Type()
	}
	return nil
}

// lookupQualified finds type name in the package known as ref (an import
// path, or a package name) among pkg and its dependencies.
func lookupQualified(pkg *types.Package, ref, name string) types.Type {
	if pkg == nil {
		return nil
	}
	var byName *types.Package
	seen := make(map[*types.Package]bool)
	queue := []*types.Package{pkg}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		if p.Path() == ref {
			return typeNamed(p, name)
		}
		if byName == nil && !strings.Contains(ref, "/") && p.Name() == ref {
			byName = p
		}
		queue = append(queue, p.Imports()...)
	}
	if byName != nil {
		return typeNamed(byName, name)
	}
	return nil
}

func typeNamed(p *types.Package, name string) types.Type {
	if obj, ok := p.Scope().Lookup(name).(*types.TypeName); ok {
		return obj.Type()
	}
	return nil
}
