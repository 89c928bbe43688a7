package stub

import (
	"go/ast"
	"go/token"
	"go/types"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A target is one function or method to write a test for.
type target struct {
	file *File
	decl *ast.FuncDecl
	fn   *types.Func
	recv *types.TypeName // the receiver's base type, nil for a function
}

// display is how messages and the --only/--exclude expressions name the
// target: Foo, or T.Foo for a method.
func (t *target) display() string {
	if t.recv != nil {
		return t.recv.Name() + "." + t.fn.Name()
	}
	return t.fn.Name()
}

// testName is the conventional name of the target's test (prefix "Test")
// or fuzz target ("Fuzz"): TestFoo, Test_foo, TestT_Foo, Test_t_Foo.
func (t *target) testName(prefix string) string {
	first := t.fn.Name()
	if t.recv != nil {
		first = t.recv.Name()
		return prefix + sep(first) + first + "_" + t.fn.Name()
	}
	return prefix + sep(first) + first
}

// sep is "_" before a name that does not start with an upper-case letter,
// so that go test still sees a test: TestFoo but Test_foo.
func sep(name string) string {
	r, _ := utf8.DecodeRuneInString(name)
	if unicode.IsUpper(r) {
		return ""
	}
	return "_"
}

// Selection says which functions get tests.
type Selection struct {
	// Only and Exclude match against a function's name and, for a method,
	// against Type.Method too; nil matches nothing (Only: everything).
	Only, Exclude *regexp.Regexp
	// Exported keeps exported functions and exported methods of exported
	// types.
	Exported bool
	// All takes functions that tests already use too; without it only
	// functions no test file of the package mentions are taken.
	All bool
	// Files restricts targets to functions declared in these files
	// (absolute names); empty means every file.
	Files []string
	// Force names tests to regenerate even though they exist: test names
	// (TestFoo) or functions (Foo, T.Foo).
	Force []string
	// OnlyForced writes nothing but the forced tests: for a package whose
	// test files do not type-check, the old test of a changed function
	// being the usual reason.
	OnlyForced bool
}

func (s *Selection) matches(t *target) bool {
	names := []string{t.fn.Name()}
	if t.recv != nil {
		names = append(names, t.display())
	}
	match := func(re *regexp.Regexp) bool {
		for _, n := range names {
			if re.MatchString(n) {
				return true
			}
		}
		return false
	}
	if s.Only != nil && !match(s.Only) {
		return false
	}
	if s.Exclude != nil && match(s.Exclude) {
		return false
	}
	if s.Exported && (!t.fn.Exported() || t.recv != nil && !t.recv.Exported()) {
		return false
	}
	if len(s.Files) > 0 {
		found := false
		for _, f := range s.Files {
			if f == t.file.Name {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// forced returns the --force entry asking to regenerate t's test, or "".
func (s *Selection) forced(t *target, testName string) string {
	for _, f := range s.Force {
		if f == testName || f == t.display() || t.recv == nil && f == t.fn.Name() {
			return f
		}
	}
	return ""
}

// targets lists the functions and methods declared in the package's own
// (non-test) files, in file and source order. init, main in package main,
// blank functions and methods of types the test cannot name are left out.
func (p *Package) targets() []*target {
	var out []*target
	for _, f := range p.Files {
		if f.Test {
			continue
		}
		for _, d := range f.Syntax.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Name.Name == "_" || fd.Recv == nil && fd.Name.Name == "init" ||
				fd.Recv == nil && fd.Name.Name == "main" && p.Name == "main" {
				continue
			}
			fn, ok := p.Info.Defs[fd.Name].(*types.Func)
			if !ok {
				continue
			}
			t := &target{file: f, decl: fd, fn: fn}
			if fd.Recv != nil {
				t.recv = receiverBase(fn)
				if t.recv == nil {
					continue
				}
			}
			out = append(out, t)
		}
	}
	return out
}

// receiverBase returns the named type a method is declared on.
func receiverBase(fn *types.Func) *types.TypeName {
	recv := fn.Signature().Recv()
	if recv == nil {
		return nil
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Origin().Obj()
	}
	return nil
}

// usedInTests returns the functions and methods of the package that test
// files mention, by object key (see objKey).
func (p *Package) usedInTests() map[string]bool {
	used := make(map[string]bool)
	for _, f := range p.Files {
		if !f.Test {
			continue
		}
		info := p.Info
		if f.External {
			info = p.XInfo
		}
		if info == nil {
			continue
		}
		ast.Inspect(f.Syntax, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			if fn, ok := info.Uses[id].(*types.Func); ok && fn.Pkg() != nil && fn.Pkg().Path() == p.Path {
				used[objKey(fn)] = true
			}
			return true
		})
	}
	return used
}

// objKey names a function or method independently of which type-checked
// variant of the package it comes from.
func objKey(fn *types.Func) string {
	fn = fn.Origin()
	if b := receiverBase(fn); b != nil {
		return b.Name() + "." + fn.Name()
	}
	return fn.Name()
}

// testKind is what a top-level name of a test package is: free, a test
// (or fuzz target) of that name, or something else.
type testKind int

const (
	nameFree testKind = iota
	nameTest
	nameOther
)

// lookup says what name is in the scope of a test package: tests are
// functions taking one *testing.T (or *testing.F for prefix "Fuzz").
func lookup(scope *types.Scope, name string) testKind {
	if scope == nil {
		return nameFree
	}
	obj := scope.Lookup(name)
	if obj == nil {
		return nameFree
	}
	fn, ok := obj.(*types.Func)
	if !ok || fn.Signature().Recv() != nil {
		return nameOther
	}
	sig := fn.Signature()
	if sig.Params().Len() != 1 || sig.Results().Len() != 0 || sig.TypeParams().Len() != 0 {
		return nameOther
	}
	ptr, ok := sig.Params().At(0).Type().(*types.Pointer)
	if !ok {
		return nameOther
	}
	named, ok := types.Unalias(ptr.Elem()).(*types.Named)
	if !ok || named.Obj().Pkg() == nil || named.Obj().Pkg().Path() != "testing" {
		return nameOther
	}
	want := "T"
	if strings.HasPrefix(name, "Fuzz") {
		want = "F"
	}
	if named.Obj().Name() != want {
		return nameOther
	}
	return nameTest
}

// declPos is where a top-level function declaration starts, its doc
// comment included.
func declPos(fd *ast.FuncDecl) token.Pos {
	if fd.Doc != nil {
		return fd.Doc.Pos()
	}
	return fd.Pos()
}
