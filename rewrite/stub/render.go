package stub

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"text/template"

	"github.com/gorewrite/gorewrite/rewrite"
)

// TestData is what a test template executes with. Names of variables are
// given because the usual ones (t, tt, got...) are renamed when the code
// under test has a package-level name the test must refer to.
type TestData struct {
	Name  string // the test function: TestFoo
	Func  string // the function under test as messages name it: Foo, T.Foo
	Table string // a package-level variable holding the cases, or "" for a local one
	Range string // what the loop ranges over: Table or Tests

	T, TT, Tests, Diff string // variables: the *testing.T, the case, the local table, cmp's diff

	Fields []Field // table fields after name: parameters, then expected results
	Err    string  // the error variable, when the function returns a trailing error
	ErrMsg string  // the field with the expected error message (recorded tables), or ""

	Setup  []string // statements before the call: receiver, output buffers
	Gots   string   // left-hand side of the call, "" when there are no results
	Assign string   // ":=" or "="
	Call   string   // the call, reading its arguments from the case
	Checks []Check  // one per result to compare

	// Rows are the table's cases, recorded by gorewrite stub --record
	// ("{name: ..., a: 1, want: 2}"); none: a TODO.
	Rows []string

	Parallel bool   // t.Parallel in the test and its subtests
	LoopCopy bool   // the module's Go version predates per-iteration loop variables
	Compare  string // "reflect" or "cmp"
}

// A Field is a field of the table's struct.
type Field struct{ Name, Type string }

// A Check compares one result with its expected value.
type Check struct {
	Got   string // the variable holding the result (String: a name for Expr's value)
	Expr  string // String only: the expression giving the result
	Want  string // the expected value: tt.want
	Label string // how messages name the result: Foo(), or Foo() w for output
	Verb  string // the fmt verb to print it with
	// String marks output written to an io.Writer, compared as a string.
	String bool
}

// FuzzData is what a fuzz template executes with.
type FuzzData struct {
	Name      string // FuzzFoo
	Table     string // the test's package-level table to seed from, or ""
	Seeds     string // the local seed table, when Table is ""
	F, T, TT  string // variables
	Params    []FuzzParam
	Add, Call string // f.Add's arguments from a case; the call from the fuzz arguments
}

// A FuzzParam is one parameter of a fuzzed function.
type FuzzParam struct {
	Name     string // the fuzz function's argument
	Field    string // the table field
	Type     string // its type in the table
	FuzzType string // the type the fuzzer supplies
}

// renderer writes specs as code for one test file.
type renderer struct {
	pass      *rewrite.Pass
	file      *ast.File
	pkg       *Package
	external  bool
	requires  func(path string) bool
	goVersion string
	compare   string
	parallel  bool
	err       error

	// Recorded rows: the cap, the rows to leave out, and the rows written.
	maxCases int
	drop     map[string]bool
	written  []Row
}

// importName returns the name the file refers to path by, importing it.
func (r *renderer) importName(path string) (string, error) {
	if !r.importable(path) {
		return "", fmt.Errorf("the test would import %s, which the module does not require (go get it first)", path)
	}
	if pkg := r.known(path); pkg != nil {
		return r.pass.AddPackageImport(r.file, pkg, r.file.FileEnd), nil
	}
	return r.pass.AddImport(r.file, path, r.file.FileEnd), nil
}

// importable reports whether the test may import path: a standard
// library package, one the package under test imports already (so it
// builds, in a workspace too), or one of a module the module requires.
func (r *renderer) importable(path string) bool {
	if isStd(path) || path == r.pkg.Path || r.requires != nil && r.requires(path) {
		return true
	}
	for _, imp := range r.pkg.Types.Imports() {
		if imp.Path() == path {
			return true
		}
	}
	return false
}

// known returns the package at path if the package under test is it or
// imports it, or if it is one the built-in templates use, so that its name
// need not be guessed from the path.
func (r *renderer) known(path string) *types.Package {
	if path == r.pkg.Path {
		return r.pkg.Types
	}
	for _, imp := range r.pkg.Types.Imports() {
		if imp.Path() == path {
			return imp
		}
	}
	if name, ok := templatePackages[path]; ok {
		return types.NewPackage(path, name)
	}
	return nil
}

// templatePackages are the packages outside the standard library the
// built-in templates import, by path: their names are known.
var templatePackages = map[string]string{
	"github.com/google/go-cmp/cmp":        "cmp",
	"github.com/stretchr/testify/assert":  "assert",
	"github.com/stretchr/testify/require": "require",
}

func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// typ writes t as the test file refers to it.
func (r *renderer) typ(t types.Type) string {
	s := types.TypeString(t, func(p *types.Package) string {
		if p.Path() == r.pkg.Path && !r.external {
			return ""
		}
		var name string
		var err error
		if !r.importable(p.Path()) {
			err = fmt.Errorf("the test would import %s, which the module does not require", p.Path())
		} else {
			name = r.pass.AddPackageImport(r.file, p, r.file.FileEnd)
		}
		if err != nil && r.err == nil {
			r.err = err
		}
		return name
	})
	if strings.Contains(s, "unsafe.Pointer") {
		r.importName("unsafe")
	}
	return s
}

// refs lists the names the test's code refers to at package level, which
// its variables must not shadow.
func (r *renderer) refs(s *spec) map[string]bool {
	refs := map[string]bool{"testing": true, "reflect": true, "cmp": true, "bytes": true, "context": true, "assert": true, "require": true}
	add := func(t types.Type) {
		types.TypeString(t, func(p *types.Package) string {
			refs[p.Name()] = true
			return p.Name()
		})
		// Unqualified names of the package's own types.
		var walk func(t types.Type)
		seen := map[types.Type]bool{}
		walk = func(t types.Type) {
			if seen[t] {
				return
			}
			seen[t] = true
			switch t := t.(type) {
			case *types.Named:
				refs[t.Obj().Name()] = true
				if a := t.TypeArgs(); a != nil {
					for i := range a.Len() {
						walk(a.At(i))
					}
				}
			case *types.Alias:
				refs[t.Obj().Name()] = true
			case interface{ Elem() types.Type }:
				walk(t.Elem())
			}
			if m, ok := t.(*types.Map); ok {
				walk(m.Key())
			}
			if sig, ok := t.(*types.Signature); ok {
				for _, tup := range []*types.Tuple{sig.Params(), sig.Results()} {
					for i := range tup.Len() {
						walk(tup.At(i).Type())
					}
				}
			}
		}
		walk(t)
	}
	refs[s.t.fn.Name()] = true
	refs[r.pkg.Name] = true
	for _, p := range s.params {
		add(p.typ)
	}
	for _, res := range s.results {
		add(res.typ)
	}
	for _, t := range s.targs {
		add(t)
	}
	if s.recv != nil {
		add(s.recv.typ)
		if s.recv.ctor != nil {
			refs[s.recv.ctor.Name()] = true
			for _, p := range s.recv.params {
				add(p.typ)
			}
			for _, t := range s.recv.targs {
				add(t)
			}
		}
	}
	return refs
}

// namer hands out variable names not in use.
type namer map[string]bool

func (n namer) fresh(base string) string {
	name := base
	for k := 1; n[name] || token.IsKeyword(name) || types.Universe.Lookup(name) != nil; k++ {
		name = fmt.Sprintf("%s%d", base, k)
	}
	n[name] = true
	return name
}

// qualified is how the test file refers to a function of the package under
// test, with its type arguments.
func (r *renderer) qualified(fn *types.Func, targs []types.Type) string {
	name := fn.Name()
	if r.external {
		q, err := r.importName(r.pkg.Path)
		if err != nil && r.err == nil {
			r.err = err
		}
		name = q + "." + name
	}
	if len(targs) > 0 {
		var args []string
		for _, t := range targs {
			args = append(args, r.typ(t))
		}
		name += "[" + strings.Join(args, ", ") + "]"
	}
	return name
}

// testData turns a spec into what the test template needs.
func (r *renderer) testData(s *spec) *TestData {
	vars := namer(r.refs(s))
	d := &TestData{
		Name:     s.name,
		Func:     s.t.display(),
		Table:    s.table,
		T:        vars.fresh("t"),
		TT:       vars.fresh("tt"),
		Parallel: r.parallel,
		LoopCopy: r.parallel && versionBefore(r.goVersion, "go1.22"),
		Compare:  r.compare,
	}
	if s.table == "" {
		d.Tests = vars.fresh("tests")
		d.Range = d.Tests
	} else {
		d.Range = s.table
	}
	tt := d.TT
	args := func(params []*param) string {
		var out []string
		for _, p := range params {
			var a string
			switch p.kind {
			case contextParam:
				if versionBefore(r.goVersion, "go1.24") {
					ctx, _ := r.importName("context")
					a = ctx + ".Background()"
				} else {
					a = d.T + ".Context()"
				}
			case writerParam:
				p.local = vars.fresh(localName(p.name, "w"))
				b, _ := r.importName("bytes")
				d.Setup = append(d.Setup, fmt.Sprintf("%s := &%s.Buffer{}", p.local, b))
				a = p.local
			case lockParam:
				a = r.typ(p.typ) + "{}"
			default:
				a = tt + "." + p.field
				d.Fields = append(d.Fields, Field{p.field, r.typ(p.typ)}) // a variadic's type is its slice
			}
			if p.variadic && p.kind != contextParam && p.kind != writerParam {
				a += "..."
			}
			out = append(out, a)
		}
		return strings.Join(out, ", ")
	}
	callee := r.qualified(s.t.fn, s.targs)
	ctorErr := "" // the error variable the constructor declared
	if s.recv != nil {
		recv := vars.fresh(recvName(s.t))
		switch {
		case s.recvField != "":
			// A recorded receiver: a copy of the table's, which a method
			// with a pointer receiver may change.
			d.Fields = append(d.Fields, Field{s.recvField, r.typ(s.recv.typ)})
			d.Setup = append(d.Setup, fmt.Sprintf("%s := %s.%s", recv, tt, s.recvField))
		case s.recv.ctor != nil && s.recv.ctorErr:
			ctorErr = vars.fresh("err")
			call := r.qualified(s.recv.ctor, s.recv.targs) + "(" + args(s.recv.params) + ")"
			d.Setup = append(d.Setup, fmt.Sprintf("%s, %s := %s", recv, ctorErr, call),
				fmt.Sprintf("if %s != nil {\n%s.Fatalf(\"%s() error = %%v\", %s)\n}", ctorErr, d.T, s.recv.ctor.Name(), ctorErr))
		case s.recv.ctor != nil:
			call := r.qualified(s.recv.ctor, s.recv.targs) + "(" + args(s.recv.params) + ")"
			d.Setup = append(d.Setup, fmt.Sprintf("%s := %s", recv, call))
		default:
			d.Setup = append(d.Setup, fmt.Sprintf("var %s %s", recv, r.typ(s.recv.typ)))
		}
		callee = recv + "." + s.t.fn.Name()
	}
	d.Call = callee + "(" + args(s.params) + ")"
	var lhs []string
	for i, res := range s.results {
		if res.discard {
			lhs = append(lhs, "_")
			continue
		}
		got := "got"
		if i > 0 {
			got = fmt.Sprintf("got%d", i)
		}
		got = vars.fresh(got)
		lhs = append(lhs, got)
		d.Fields = append(d.Fields, Field{res.field, r.typ(res.typ)})
		verb := "%v"
		if _, isFunc := res.typ.Underlying().(*types.Signature); isFunc {
			verb = "%p" // vet: a func value printed with %v is a mistake
		}
		label := d.Func + "()"
		if i > 0 {
			label += " " + got
		}
		d.Checks = append(d.Checks, Check{Got: got, Want: tt + "." + res.field, Label: label, Verb: verb})
	}
	for _, p := range s.params {
		if p.kind == writerParam {
			d.Fields = append(d.Fields, Field{p.want, "string"})
			got := vars.fresh("got" + capitalize(localName(p.name, "w")))
			d.Checks = append(d.Checks, Check{Got: got, Expr: p.local + ".String()", Want: tt + "." + p.want,
				Label: d.Func + "() " + localName(p.name, "w"), String: true})
		}
	}
	d.Assign = ":="
	if s.err {
		if ctorErr != "" {
			d.Err = ctorErr
			if allBlank(lhs) {
				d.Assign = "=" // nothing new on the left
			}
		} else {
			d.Err = vars.fresh("err")
		}
		d.ErrMsg = s.errMsg
		lhs = append(lhs, d.Err)
	}
	if allBlank(lhs) {
		lhs = nil
	}
	d.Gots = strings.Join(lhs, ", ")
	d.Diff = vars.fresh("diff")
	if s.appendTo == "" {
		var rows []Row
		d.Rows, rows = r.rows(s, nil, r.maxCases, r.drop)
		r.written = append(r.written, rows...)
	}
	return d
}

func allBlank(names []string) bool {
	for _, n := range names {
		if n != "_" {
			return false
		}
	}
	return true
}

func localName(name, fallback string) string {
	if name == "" {
		return fallback
	}
	return name
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// recvName is the receiver variable: the method's own receiver name, or
// the type's initial.
func recvName(t *target) string {
	if l := t.decl.Recv.List; len(l) == 1 && len(l[0].Names) == 1 && l[0].Names[0].Name != "_" {
		return l[0].Names[0].Name
	}
	return strings.ToLower(t.recv.Name()[:1])
}

// versionBefore reports whether language version v ("go1.21") is known
// and older than w.
func versionBefore(v, w string) bool {
	if v == "" {
		return false
	}
	return compareVersions(v, w) < 0
}

func compareVersions(a, b string) int {
	pa := strings.Split(strings.TrimPrefix(a, "go"), ".")
	pb := strings.Split(strings.TrimPrefix(b, "go"), ".")
	for i := 0; i < len(pa) || i < len(pb); i++ {
		var x, y int
		if i < len(pa) {
			fmt.Sscan(pa[i], &x)
		}
		if i < len(pb) {
			fmt.Sscan(pb[i], &y)
		}
		if x != y {
			return x - y
		}
	}
	return 0
}

// fuzzData turns a spec into what the fuzz template needs.
func (r *renderer) fuzzData(s *spec) *FuzzData {
	vars := namer(r.refs(s))
	d := &FuzzData{Name: s.fuzzName, Table: s.table, F: vars.fresh("f"), T: vars.fresh("t"), TT: vars.fresh("tt")}
	if s.table == "" {
		d.Seeds = vars.fresh("seeds")
	}
	var add, call []string
	for i, p := range s.params {
		ft := fuzzable(p.typ)
		name := vars.fresh(localName(p.name, fmt.Sprintf("arg%d", i+1)))
		fp := FuzzParam{Name: name, Field: p.field, Type: r.typ(p.typ), FuzzType: r.typ(ft)}
		d.Params = append(d.Params, fp)
		field := d.TT + "." + p.field
		arg := name
		if !types.Identical(ft, p.typ) {
			field = fp.FuzzType + "(" + field + ")"
			arg = "(" + fp.Type + ")(" + name + ")"
			if _, isNamed := p.typ.(*types.Named); isNamed {
				arg = fp.Type + "(" + name + ")"
			}
		}
		add = append(add, field)
		call = append(call, arg)
	}
	d.Add = strings.Join(add, ", ")
	d.Call = r.qualified(s.t.fn, s.targs) + "(" + strings.Join(call, ", ") + ")"
	return d
}

// execute runs a template with data, binding pkg to this file's imports.
func (r *renderer) execute(t *template.Template, data any) (string, error) {
	t, err := t.Clone()
	if err != nil {
		return "", err
	}
	t.Funcs(template.FuncMap{"pkg": r.importName})
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", err
	}
	if r.err != nil {
		return "", r.err
	}
	return b.String(), nil
}
