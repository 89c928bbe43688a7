package stub

import (
	"fmt"

	"github.com/gorewrite/gorewrite/rewrite/stub/record"
	"go/types"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A spec is one test to write: the target, the instantiated signature and
// what each parameter and result becomes. Text comes later, when the file
// it goes into (and so the import names) is known.
type spec struct {
	t        *target
	name     string // TestFoo
	fuzzName string // FuzzFoo, or "" for no fuzz target
	table    string // package-level table shared with the fuzz target, or ""
	targs    []types.Type
	recv     *recvSpec
	params   []*param
	results  []*result
	err      bool // the last result is an error

	// Recorded calls (--record): the calls to write as rows, the table
	// field holding a recorded receiver ("" when the receiver is built),
	// and, for a test that exists, its name: the rows are appended to
	// its table.
	cases     []*record.Call
	recvField string
	appendTo  string
	// errMsg is the field with the recorded error's message (recorded
	// tables of functions returning an error).
	errMsg string
}

// recvSpec is how a method's test gets its receiver.
type recvSpec struct {
	typ     types.Type // the receiver's type, instantiated, not a pointer
	ctor    *types.Func
	targs   []types.Type // the constructor's type arguments
	ctorErr bool
	params  []*param
}

type paramKind int

const (
	plainParam   paramKind = iota // a field of the table
	contextParam                  // t.Context()
	writerParam                   // a *bytes.Buffer, with a want field
	lockParam                     // a fresh zero value: tables cannot hold locks
)

type param struct {
	name     string // declared name, "" when none
	field    string // the table field ("" when not in the table)
	want     string // writerParam: the field with the expected output
	local    string // writerParam: the buffer variable
	typ      types.Type
	kind     paramKind
	variadic bool
}

type result struct {
	typ     types.Type
	field   string // wantN
	discard bool   // holds a lock: cannot be compared or kept
}

// buildSpec works out how to test t from a file of package p (external:
// from package p_test), or says why it cannot.
func (p *Package) buildSpec(t *target, external bool) (*spec, error) {
	s := &spec{t: t}
	if external && !t.fn.Exported() {
		return nil, fmt.Errorf("unexported %s", t.fn.Name())
	}
	sig := t.fn.Signature()
	if t.recv != nil {
		named, _ := t.recv.Type().(*types.Named)
		if named == nil {
			return nil, fmt.Errorf("receiver type %s is not a named type", t.recv.Name())
		}
		var recvType types.Type = named
		if tps := named.TypeParams(); tps != nil && tps.Len() > 0 {
			inst, _, err := p.instantiate(named, tps, external)
			if err != nil {
				return nil, err
			}
			recvType = inst
			obj, _, _ := types.LookupFieldOrMethod(inst, true, t.fn.Pkg(), t.fn.Name())
			m, ok := obj.(*types.Func)
			if !ok {
				return nil, fmt.Errorf("method %s not found on %s", t.fn.Name(), inst)
			}
			sig = m.Signature()
		}
		if err := nameable(recvType, p.Path, external); err != nil {
			return nil, fmt.Errorf("receiver: %v", err)
		}
		s.recv = &recvSpec{typ: recvType}
		p.findConstructor(s.recv, named, external)
	} else if tps := sig.TypeParams(); tps != nil && tps.Len() > 0 {
		inst, args, err := p.instantiate(sig, tps, external)
		if err != nil {
			return nil, err
		}
		sig, s.targs = inst.(*types.Signature), args
	}
	var err error
	if s.params, err = p.params(sig, external); err != nil {
		return nil, err
	}
	res := sig.Results()
	for i := range res.Len() {
		rt := res.At(i).Type()
		if i == res.Len()-1 && isError(rt) {
			s.err = true
			break
		}
		if err := nameable(rt, p.Path, external); err != nil {
			return nil, fmt.Errorf("result %d: %v", i+1, err)
		}
		s.results = append(s.results, &result{typ: rt, discard: hasLock(rt)})
	}
	return s, nil
}

// instantiate instantiates a generic function signature or named type
// with type arguments chosen by typeArgs.
func (p *Package) instantiate(generic types.Type, tps *types.TypeParamList, external bool) (types.Type, []types.Type, error) {
	args, err := typeArgs(generic, tps, p.Types, p.Path, external)
	if err != nil {
		return nil, nil, err
	}
	inst, err := types.Instantiate(nil, generic, args, true)
	return inst, args, err
}

// params describes a signature's parameters.
func (p *Package) params(sig *types.Signature, external bool) ([]*param, error) {
	var out []*param
	ps := sig.Params()
	for i := range ps.Len() {
		v := ps.At(i)
		pr := &param{name: v.Name(), typ: v.Type()}
		if pr.name == "_" {
			pr.name = ""
		}
		switch {
		case isNamed(v.Type(), "context", "Context"):
			pr.kind = contextParam
		case isNamed(v.Type(), "io", "Writer"):
			pr.kind = writerParam
		case hasLock(v.Type()):
			if !composite(v.Type()) {
				return nil, fmt.Errorf("parameter %d holds a lock and has no literal form", i+1)
			}
			pr.kind = lockParam
		}
		if sig.Variadic() && i == ps.Len()-1 {
			pr.variadic = true
		}
		if pr.kind != contextParam {
			if err := nameable(v.Type(), p.Path, external); err != nil {
				return nil, fmt.Errorf("parameter %s: %v", paramLabel(pr, i), err)
			}
		}
		out = append(out, pr)
	}
	return out, nil
}

func paramLabel(pr *param, i int) string {
	if pr.name != "" {
		return pr.name
	}
	return fmt.Sprint(i + 1)
}

// findConstructor looks for NewT (newT for an unexported T) in the
// package, returning T or *T, optionally with an error, and callable from
// the test file; generic constructors are used when their type parameters
// are the receiver's, in order.
func (p *Package) findConstructor(r *recvSpec, named *types.Named, external bool) {
	name := named.Obj().Name()
	first, size := utf8.DecodeRuneInString(name)
	candidates := []string{"New" + string(unicode.ToUpper(first)) + name[size:]}
	if !named.Obj().Exported() {
		candidates = append(candidates, "new"+string(unicode.ToUpper(first))+name[size:])
	}
	for _, cn := range candidates {
		fn, ok := p.Types.Scope().Lookup(cn).(*types.Func)
		if !ok || external && !fn.Exported() {
			continue
		}
		sig := fn.Signature()
		res := sig.Results()
		if res.Len() == 0 || res.Len() > 2 || res.Len() == 2 && !isError(res.At(1).Type()) {
			continue
		}
		var targs []types.Type
		if tps := sig.TypeParams(); tps != nil && tps.Len() > 0 {
			inst, _ := r.typ.(*types.Named)
			if inst == nil || inst.TypeArgs() == nil || inst.TypeArgs().Len() != tps.Len() {
				continue
			}
			for i := range inst.TypeArgs().Len() {
				targs = append(targs, inst.TypeArgs().At(i))
			}
			is, err := types.Instantiate(nil, sig, targs, true)
			if err != nil {
				continue
			}
			sig = is.(*types.Signature)
			res = sig.Results()
		}
		rt := res.At(0).Type()
		if ptr, ok := rt.(*types.Pointer); ok {
			rt = ptr.Elem()
		}
		if !types.Identical(rt, r.typ) {
			continue
		}
		params, err := p.params(sig, external)
		if err != nil {
			continue
		}
		r.ctor, r.targs, r.ctorErr, r.params = fn, targs, res.Len() == 2, params
		return
	}
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// isNamed reports whether t is the named type pkg.name.
func isNamed(t types.Type, pkg, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkg && n.Obj().Name() == name
}

// composite reports whether T{} is a zero value of t.
func composite(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Struct, *types.Array:
		return true
	}
	return false
}

// fuzzable returns the type a fuzz target's argument takes for a
// parameter of type t (t itself, or its underlying basic type when t is a
// named one), or nil when the fuzzer cannot supply it.
func fuzzable(t types.Type) types.Type {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch u.Kind() {
		case types.String, types.Bool, types.Int, types.Int8, types.Int16, types.Int32, types.Int64,
			types.Uint, types.Uint8, types.Uint16, types.Uint32, types.Uint64, types.Float32, types.Float64:
			return types.Typ[u.Kind()]
		}
	case *types.Slice:
		if b, ok := u.Elem().Underlying().(*types.Basic); ok && b.Kind() == types.Byte && types.Identical(u.Elem(), types.Typ[types.Byte]) {
			return types.NewSlice(types.Universe.Lookup("byte").Type())
		}
	}
	return nil
}

// canFuzz reports whether every parameter of s can come from the fuzzer.
func (s *spec) canFuzz() bool {
	if s.recv != nil || len(s.params) == 0 {
		return false
	}
	for _, p := range s.params {
		if p.kind != plainParam || p.variadic || fuzzable(p.typ) == nil {
			return false
		}
	}
	return true
}

// nameFields gives every table field and want field of s a name: parameters
// keep theirs (arg1... when they have none), results are want, want1...,
// and clashes get a suffix.
func (s *spec) nameFields() {
	used := map[string]bool{"name": true, "wantErr": true}
	fresh := func(base string) string {
		n := base
		for k := 2; used[n]; k++ {
			if k == 2 && !strings.HasSuffix(base, "Arg") {
				n = base + "Arg"
				if !used[n] {
					break
				}
			}
			n = fmt.Sprintf("%s%d", base, k)
		}
		used[n] = true
		return n
	}
	// Results first: want, want1, want2 as users know them.
	for i, r := range s.results {
		if r.discard {
			continue
		}
		if i == 0 {
			r.field = fresh("want")
		} else {
			r.field = fresh(fmt.Sprintf("want%d", i))
		}
	}
	name := func(p *param, i int) {
		base := p.name
		if base == "" {
			base = fmt.Sprintf("arg%d", i+1)
		}
		switch p.kind {
		case plainParam:
			p.field = fresh(base)
		case writerParam:
			first, size := utf8.DecodeRuneInString(base)
			p.want = fresh("want" + string(unicode.ToUpper(first)) + base[size:])
		}
	}
	for i, p := range s.params {
		name(p, i)
	}
	if s.recv != nil {
		for i, p := range s.recv.params {
			if p.name != "" && used[p.name] && p.kind == plainParam {
				first, size := utf8.DecodeRuneInString(p.name)
				p.name = "new" + string(unicode.ToUpper(first)) + p.name[size:]
			}
			name(p, i)
		}
	}
	if len(s.cases) > 0 && usesRecordedRecv(s) {
		s.recvField = fresh(recvFieldName)
	}
	if len(s.cases) > 0 && s.err {
		s.errMsg = fresh("wantErrMsg")
	}
}
