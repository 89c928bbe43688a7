package stub

import (
	"fmt"
	"go/types"
	"strings"
)

// nameable reports why a type cannot be written in a test file of the
// package at self (external: in package self_test), or nil when it can.
// A type can be written when every named type in it is declared at package
// level, exported where the test file is in another package, and from a
// package the test may import; an unnamed struct or interface type must
// not have unexported fields or methods of another package.
func nameable(t types.Type, self string, external bool) error {
	seen := make(map[types.Type]bool)
	var walk func(t types.Type) error
	walk = func(t types.Type) error {
		if seen[t] {
			return nil
		}
		seen[t] = true
		switch t := t.(type) {
		case *types.Basic:
			if t.Kind() == types.Invalid {
				return fmt.Errorf("a type that could not be worked out (a cgo type?)")
			}
			if t.Info()&types.IsUntyped != 0 {
				return fmt.Errorf("untyped %s", t)
			}
			return nil
		case *types.Alias:
			if err := objNameable(t.Obj(), self, external); err != nil {
				// The alias cannot be named, maybe what it stands for can.
				return walk(types.Unalias(t))
			}
			if args := t.TypeArgs(); args != nil {
				for i := range args.Len() {
					if err := walk(args.At(i)); err != nil {
						return err
					}
				}
			}
			return nil
		case *types.Named:
			if err := objNameable(t.Obj(), self, external); err != nil {
				return err
			}
			if b, ok := t.Underlying().(*types.Basic); ok && b.Kind() == types.Invalid {
				// type Ctx C.struct_x: incomplete to Go, not allocatable.
				return fmt.Errorf("%s is a type that could not be worked out (a cgo type?)", t.Obj().Name())
			}
			if args := t.TypeArgs(); args != nil {
				for i := range args.Len() {
					if err := walk(args.At(i)); err != nil {
						return err
					}
				}
			}
			return nil
		case *types.Pointer:
			return walk(t.Elem())
		case *types.Slice:
			return walk(t.Elem())
		case *types.Array:
			return walk(t.Elem())
		case *types.Chan:
			return walk(t.Elem())
		case *types.Map:
			if err := walk(t.Key()); err != nil {
				return err
			}
			return walk(t.Elem())
		case *types.Signature:
			for _, tup := range []*types.Tuple{t.Params(), t.Results()} {
				for i := range tup.Len() {
					if err := walk(tup.At(i).Type()); err != nil {
						return err
					}
				}
			}
			return nil
		case *types.Struct:
			for i := range t.NumFields() {
				f := t.Field(i)
				if !f.Exported() && (external || f.Pkg() == nil || f.Pkg().Path() != self) {
					return fmt.Errorf("struct with unexported field %s", f.Name())
				}
				if err := walk(f.Type()); err != nil {
					return err
				}
			}
			return nil
		case *types.Interface:
			for i := range t.NumExplicitMethods() {
				m := t.ExplicitMethod(i)
				if !m.Exported() && (external || m.Pkg() == nil || m.Pkg().Path() != self) {
					return fmt.Errorf("interface with unexported method %s", m.Name())
				}
				if err := walk(m.Type()); err != nil {
					return err
				}
			}
			for i := range t.NumEmbeddeds() {
				if err := walk(t.EmbeddedType(i)); err != nil {
					return err
				}
			}
			return nil
		case *types.Union:
			return fmt.Errorf("constraint %s", t)
		case *types.TypeParam:
			return fmt.Errorf("type parameter %s", t)
		case *types.Tuple:
			return fmt.Errorf("tuple %s", t)
		}
		return fmt.Errorf("type %s", t)
	}
	return walk(t)
}

func objNameable(obj *types.TypeName, self string, external bool) error {
	pkg := obj.Pkg()
	if pkg == nil {
		return nil // predeclared: error, comparable, any
	}
	if obj.Parent() != nil && obj.Parent() != pkg.Scope() || obj.Parent() == nil && pkg.Scope().Lookup(obj.Name()) != obj {
		return fmt.Errorf("%s is declared inside a function", obj.Name())
	}
	if pkg.Path() == self {
		if external && !obj.Exported() {
			return fmt.Errorf("unexported type %s", obj.Name())
		}
		return nil
	}
	if !obj.Exported() {
		return fmt.Errorf("unexported type %s.%s", pkg.Name(), obj.Name())
	}
	if !importable(self, pkg.Path()) {
		return fmt.Errorf("package %s cannot be imported here", pkg.Path())
	}
	return nil
}

// importable applies the go command's rules for internal and vendored
// packages: may code at path from import path to?
func importable(from, to string) bool {
	if to == "main" || strings.HasPrefix(to, "vendor/") || strings.Contains(to, "/vendor/") {
		return false
	}
	elems := strings.Split(to, "/")
	for i, e := range elems {
		if e != "internal" {
			continue
		}
		parent := strings.Join(elems[:i], "/")
		if parent == "" {
			// std's internal packages: only std may import them, and test
			// stubs are not written for std in GOROOT.
			return false
		}
		if from != parent && !strings.HasPrefix(from, parent+"/") {
			return false
		}
	}
	return true
}

// typeArgs chooses type arguments for type parameters: for each, the first
// of its constraint's terms (without ~), or a type among int, string,
// float64, bool and []byte, or a named type of the package, such that the
// instantiation satisfies every constraint. generic is the function
// signature or named type the parameters belong to.
func typeArgs(generic types.Type, tparams *types.TypeParamList, pkg *types.Package, self string, external bool) ([]types.Type, error) {
	n := tparams.Len()
	cands := make([][]types.Type, n)
	guess := make([]types.Type, n)
	for i := range n {
		guess[i] = types.Typ[types.Int]
	}
	smap := func() map[*types.TypeParam]types.Type {
		m := make(map[*types.TypeParam]types.Type, n)
		for i := range n {
			m[tparams.At(i)] = guess[i]
		}
		return m
	}
	basics := []types.Type{types.Typ[types.Int], types.Typ[types.String], types.Typ[types.Float64],
		types.Typ[types.Bool], types.NewSlice(types.Typ[types.Byte])}
	// Terms may mention other parameters (S ~[]E): settle the guesses a
	// few times so that each sees the others'.
	for range 3 {
		m := smap()
		for i := range n {
			cands[i] = nil
			for _, term := range terms(tparams.At(i)) {
				if c := subst(term, m); c != nil && nameable(c, self, external) == nil {
					cands[i] = append(cands[i], c)
				}
			}
			cands[i] = append(cands[i], basics...)
			guess[i] = cands[i][0]
		}
	}
	var extra []types.Type
	for _, name := range pkg.Scope().Names() {
		if tn, ok := pkg.Scope().Lookup(name).(*types.TypeName); ok && !tn.IsAlias() {
			if named, ok := tn.Type().(*types.Named); ok && named.TypeParams() == nil && nameable(named, self, external) == nil {
				extra = append(extra, named, types.NewPointer(named))
			}
		}
	}
	ok := func(args []types.Type) bool {
		_, err := types.Instantiate(nil, generic, args, true)
		return err == nil
	}
	if ok(guess) {
		return guess, nil
	}
	// One parameter at a time, the others at their guesses, and those
	// whose constraint's first term is written with the changed parameter
	// (PT interface{ *T; ... }) worked out again from it.
	settle := func(args []types.Type, fixed int) {
		for range 2 {
			m := make(map[*types.TypeParam]types.Type, n)
			for i := range n {
				m[tparams.At(i)] = args[i]
			}
			for j := range n {
				if j == fixed {
					continue
				}
				for _, term := range terms(tparams.At(j)) {
					if mentionsTypeParam(term) {
						if c := subst(term, m); c != nil {
							args[j] = c
						}
						break
					}
				}
			}
		}
	}
	for i := range n {
		for _, c := range append(cands[i], extra...) {
			try := append([]types.Type(nil), guess...)
			try[i] = c
			settle(try, i)
			if ok(try) {
				return try, nil
			}
		}
	}
	var list []string
	for i := range n {
		list = append(list, tparams.At(i).Obj().Name()+" "+tparams.At(i).Constraint().String())
	}
	return nil, fmt.Errorf("no type arguments found that satisfy [%s]", strings.Join(list, ", "))
}

// mentionsTypeParam reports whether t is written with a type parameter.
func mentionsTypeParam(t types.Type) bool {
	switch t := t.(type) {
	case *types.TypeParam:
		return true
	case *types.Pointer:
		return mentionsTypeParam(t.Elem())
	case *types.Slice:
		return mentionsTypeParam(t.Elem())
	case *types.Array:
		return mentionsTypeParam(t.Elem())
	case *types.Chan:
		return mentionsTypeParam(t.Elem())
	case *types.Map:
		return mentionsTypeParam(t.Key()) || mentionsTypeParam(t.Elem())
	case *types.Named:
		if args := t.TypeArgs(); args != nil {
			for i := range args.Len() {
				if mentionsTypeParam(args.At(i)) {
					return true
				}
			}
		}
	}
	return false
}

// terms returns the types of a type parameter's constraint's union terms,
// in order, with the terms of constraint interfaces among them (Signed |
// Unsigned) expanded; a constraint that is a plain method set (error,
// fmt.Stringer) is its own candidate.
func terms(tp *types.TypeParam) []types.Type {
	var out []types.Type
	seen := make(map[types.Type]bool)
	var expand func(t types.Type)
	expand = func(t types.Type) {
		if seen[t] {
			return
		}
		seen[t] = true
		iface, ok := t.Underlying().(*types.Interface)
		if !ok {
			out = append(out, t)
			return
		}
		for i := range iface.NumEmbeddeds() {
			switch e := iface.EmbeddedType(i).(type) {
			case *types.Union:
				for j := range e.Len() {
					expand(e.Term(j).Type())
				}
			case *types.TypeParam:
			default:
				expand(e)
			}
		}
		if iface.IsMethodSet() && !iface.IsComparable() && iface.NumMethods() > 0 {
			out = append(out, t) // an interface type satisfies itself
		}
	}
	expand(tp.Constraint())
	return out
}

// subst replaces type parameters in t by m's types; nil when it cannot.
func subst(t types.Type, m map[*types.TypeParam]types.Type) types.Type {
	switch t := t.(type) {
	case *types.TypeParam:
		if r, ok := m[t]; ok {
			return r
		}
		return nil
	case *types.Basic:
		return t
	case *types.Pointer:
		if e := subst(t.Elem(), m); e != nil {
			return types.NewPointer(e)
		}
	case *types.Slice:
		if e := subst(t.Elem(), m); e != nil {
			return types.NewSlice(e)
		}
	case *types.Array:
		if e := subst(t.Elem(), m); e != nil {
			return types.NewArray(e, t.Len())
		}
	case *types.Chan:
		if e := subst(t.Elem(), m); e != nil {
			return types.NewChan(t.Dir(), e)
		}
	case *types.Map:
		k, e := subst(t.Key(), m), subst(t.Elem(), m)
		if k != nil && e != nil {
			return types.NewMap(k, e)
		}
	case *types.Named:
		args := t.TypeArgs()
		if args == nil || args.Len() == 0 {
			return t
		}
		var targs []types.Type
		for i := range args.Len() {
			a := subst(args.At(i), m)
			if a == nil {
				return nil
			}
			targs = append(targs, a)
		}
		inst, err := types.Instantiate(nil, t.Origin(), targs, false)
		if err == nil {
			return inst
		}
	case *types.Alias:
		return subst(types.Unalias(t), m)
	default:
		return t
	}
	return nil
}

// hasLock reports whether a value of type t holds a sync.Locker by value
// (a sync.Mutex, or a struct or array holding one), which go vet's
// copylocks check forbids copying: such values cannot sit in a table.
func hasLock(t types.Type) bool {
	seen := make(map[types.Type]bool)
	var walk func(t types.Type) bool
	walk = func(t types.Type) bool {
		if seen[t] {
			return false
		}
		seen[t] = true
		if _, isPtr := t.Underlying().(*types.Pointer); !isPtr {
			if _, isIface := t.Underlying().(*types.Interface); !isIface {
				// vet's rule: a type whose pointer has Lock and Unlock.
				ms := types.NewMethodSet(types.NewPointer(t))
				if ms.Lookup(nil, "Lock") != nil && ms.Lookup(nil, "Unlock") != nil {
					vs := types.NewMethodSet(t)
					if vs.Lookup(nil, "Lock") == nil {
						return true
					}
				}
				if named, ok := types.Unalias(t).(*types.Named); ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "sync" && named.Obj().Name() == "noCopy" {
					return true
				}
			}
		}
		switch u := t.Underlying().(type) {
		case *types.Struct:
			for i := range u.NumFields() {
				if walk(u.Field(i).Type()) {
					return true
				}
			}
		case *types.Array:
			return walk(u.Elem())
		}
		return false
	}
	return walk(t)
}
