package trace

import (
	"fmt"
	"go/ast"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/gorewrite/gorewrite/rewrite/cover"
)

// Selection says which functions get hooks.
type Selection struct {
	// Func, when set, keeps the functions whose name, spelled
	// "importpath.Recv.Func" (a closure "importpath.Outer.func1"), it
	// matches.
	Func *regexp.Regexp
	// Exported keeps exported functions and methods only.
	Exported bool
	// Closures adds function literals, named as the runtime names them.
	Closures bool
}

// A Func is one instrumented function.
type Func struct {
	ID uint32
	// Name is the runtime's spelling: "example.com/m/p.(*T).M",
	// "example.com/m/p.F.func1".
	Name string
	File string
	Line int
}

// idBits is how many bits of an id number the function in its package;
// the rest number the package (cover.Package.Seq), but for the top bit,
// which the log uses (a call that panicked), and the all-ones ids.
const (
	idBits      = 18
	maxPackages = 1<<(31-idBits) - 1
)

// Instrumenter hands out the per-package injectors of one plan and keeps
// the table of the functions they instrument.
type Instrumenter struct {
	Selection

	mu       sync.Mutex
	funcs    []Func
	warnings []string
}

// Injector returns the injector of pkg (cover.Options.Inject).
func (in *Instrumenter) Injector(pkg *cover.Package) cover.Injector {
	return &pkgInjector{in: in, pkg: pkg}
}

// Funcs returns the instrumented functions, by id.
func (in *Instrumenter) Funcs() []Func {
	in.mu.Lock()
	defer in.mu.Unlock()
	out := append([]Func(nil), in.funcs...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Warnings returns what was left out and why, sorted.
func (in *Instrumenter) Warnings() []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	out := append([]string(nil), in.warnings...)
	sort.Strings(out)
	return out
}

type pkgInjector struct {
	in     *Instrumenter
	pkg    *cover.Package
	funcs  []Func
	warned bool
}

// warnOnce warns once per package.
func (p *pkgInjector) warnOnce(format string, args ...any) {
	if !p.warned {
		p.warned = true
		p.warn(format, args...)
	}
}

func (p *pkgInjector) warn(format string, args ...any) {
	p.in.mu.Lock()
	p.in.warnings = append(p.in.warnings, fmt.Sprintf(format, args...))
	p.in.mu.Unlock()
}

// Inject adds the hooks to one file: entry and exit hooks to its selected
// functions, and, in a test file, test hooks to its tests and subtests,
// which say which test each call ran in.
func (p *pkgInjector) Inject(f *cover.InjectFile) []cover.Edit {
	if f.Test {
		return testHooks(f)
	}
	if len(p.funcs) >= 1<<idBits-1 {
		return nil
	}
	if p.pkg.Seq >= maxPackages {
		p.warnOnce("%s: not traced: more than %d packages", p.pkg.ImportPath, maxPackages)
		return nil
	}
	skip := linknamed(f.File)
	tf := f.Fset.File(f.File.Pos())
	var edits []cover.Edit
	hook := func(body *ast.BlockStmt, name, match string) {
		if len(p.funcs) >= 1<<idBits {
			p.warnOnce("%s: more than %d functions in the package: the rest are not traced", p.pkg.ImportPath, 1<<idBits)
			return
		}
		if p.in.Func != nil && !p.in.Func.MatchString(match) {
			return
		}
		id := uint32(p.pkg.Seq)<<idBits | uint32(len(p.funcs))
		pos := f.Fset.Position(body.Lbrace)
		p.funcs = append(p.funcs, Func{ID: id, Name: name, File: f.Name, Line: pos.Line})
		off := tf.Offset(body.Lbrace) + 1
		edits = append(edits, cover.Edit{Start: off, End: off, Text: fmt.Sprintf("defer %s.Leave(%s.Enter(%d));", f.Runtime, f.Runtime, id)})
	}
	for _, d := range f.File.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Body == nil || !p.in.keeps(fn, skip) {
			continue
		}
		name, match := p.names(fn)
		hook(fn.Body, name, match)
		if p.in.Closures {
			closures(fn.Body, name, match, false, hook)
		}
	}
	return edits
}

// keeps reports whether the selection keeps fn, whatever its name: init
// functions, //go:nosplit functions, //go:linkname targets (skip, from
// [Linknamed]) and functions marked //gorewrite:ignore are left out, and
// unexported ones with Exported. Func is matched by the caller.
func (s *Selection) keeps(fn *ast.FuncDecl, skip map[string]bool) bool {
	switch {
	case fn.Recv == nil && fn.Name.Name == "init":
		return false
	case hasDirective(fn.Doc, "//gorewrite:ignore"), hasDirective(fn.Doc, "//go:nosplit"), skip[fn.Name.Name] && fn.Recv == nil:
		return false
	case s.Exported && !fn.Name.IsExported():
		return false
	}
	return true
}

// Keeps reports whether the selection keeps fn, a function with a body of
// file f of the package with the given import path, and returns the name
// Func is matched against: "importpath.Recv.Func", or "importpath.Func".
// It applies the rules of [Instrumenter]: see keeps.
func (s *Selection) Keeps(importPath string, f *ast.File, fn *ast.FuncDecl) (match string, ok bool) {
	if fn.Body == nil || !s.keeps(fn, linknamed(f)) {
		return "", false
	}
	match = importPath + "." + fn.Name.Name
	if recv := RecvName(fn); recv != "" {
		match = importPath + "." + recv + "." + fn.Name.Name
	}
	return match, s.Func == nil || s.Func.MatchString(match)
}

// RecvName returns the name of the type of fn's receiver, without pointer
// or type parameters, or "" for a function.
func RecvName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return ""
	}
	_, recv, _ := RecvType(fn.Recv.List[0].Type)
	return recv
}

// RecvType takes a receiver's type apart: pointer or not, the type's
// name ("?" when it has none) and whether it has type parameters.
func RecvType(t ast.Expr) (star bool, name string, generic bool) {
	t = ast.Unparen(t)
	if s, ok := t.(*ast.StarExpr); ok {
		star, t = true, ast.Unparen(s.X)
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t, generic = x.X, true
	case *ast.IndexListExpr:
		t, generic = x.X, true
	}
	name = "?"
	if id, ok := t.(*ast.Ident); ok {
		name = id.Name
	}
	return star, name, generic
}

// closures hooks the function literals in body, named as the compiler
// names them: outer.func1, outer.func2 in the order they appear, and
// outer.func1.1 for a literal inside outer.func1.
func closures(body ast.Node, name, match string, nested bool, hook func(*ast.BlockStmt, string, string)) {
	n := 0
	ast.Inspect(body, func(x ast.Node) bool {
		lit, ok := x.(*ast.FuncLit)
		if !ok {
			return true
		}
		n++
		suffix := ".func" + strconv.Itoa(n)
		if nested {
			suffix = "." + strconv.Itoa(n)
		}
		hook(lit.Body, name+suffix, match+suffix)
		closures(lit.Body, name+suffix, match+suffix, true, hook)
		return false
	})
}

// names returns a function's name as the runtime spells it
// ("path.(*T[...]).M") and as --func matches it ("path.T.M").
func (p *pkgInjector) names(fn *ast.FuncDecl) (name, match string) {
	path := runtimePath(p.pkg.ImportPath)
	if p.pkg.Name == "main" {
		path = "main"
	}
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		generic := ""
		if fn.Type.TypeParams != nil {
			generic = "[...]"
		}
		return path + "." + fn.Name.Name + generic, p.pkg.ImportPath + "." + fn.Name.Name
	}
	star, recv, isGeneric := RecvType(fn.Recv.List[0].Type)
	generic := ""
	if isGeneric {
		generic = "[...]"
	}
	match = p.pkg.ImportPath + "." + recv + "." + fn.Name.Name
	if star {
		return path + ".(*" + recv + generic + ")." + fn.Name.Name, match
	}
	return path + "." + recv + generic + "." + fn.Name.Name, match
}

// runtimePath spells an import path as the runtime does in function
// names: dots in the last element escaped (gopkg.in/yaml.v3 is
// gopkg.in/yaml%2ev3), so that the name's package ends at the first dot
// after the last slash.
func runtimePath(path string) string {
	i := strings.LastIndex(path, "/")
	return path[:i+1] + strings.ReplaceAll(path[i+1:], ".", "%2e")
}

// Added registers the package's functions with the runtime, which writes
// their names into the log.
func (p *pkgInjector) Added(pkgName, rt, rtPath string) []byte {
	if len(p.funcs) == 0 {
		return nil
	}
	p.in.mu.Lock()
	p.in.funcs = append(p.in.funcs, p.funcs...)
	p.in.mu.Unlock()
	var files []string
	index := map[string]int{}
	var b strings.Builder
	fmt.Fprintf(&b, "// Code generated by gorewrite trace. DO NOT EDIT.\n\npackage %s\n\nimport %s %q\n\nfunc init() {\n\t%s.TraceFuncs([]string{", pkgName, rt, rtPath, rt)
	for i, fn := range p.funcs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(fn.Name))
		if _, ok := index[fn.File]; !ok {
			index[fn.File] = len(files)
			files = append(files, fn.File)
		}
	}
	b.WriteString("}, []string{")
	for i, f := range files {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(f))
	}
	b.WriteString("}, []uint32{")
	for i, fn := range p.funcs {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%d, %d, %d", fn.ID, index[fn.File], fn.Line)
	}
	b.WriteString("})\n}\n")
	return []byte(b.String())
}

// linknamed returns the local names of the file's //go:linkname
// directives: such functions are the runtime's or another package's, and
// get no hooks.
func linknamed(f *ast.File) map[string]bool {
	out := map[string]bool{}
	for _, g := range f.Comments {
		for _, c := range g.List {
			if fields := strings.Fields(c.Text); len(fields) >= 2 && fields[0] == "//go:linkname" {
				out[fields[1]] = true
			}
		}
	}
	return out
}

func hasDirective(g *ast.CommentGroup, directive string) bool {
	if g == nil {
		return false
	}
	for _, c := range g.List {
		if c.Text == directive || strings.HasPrefix(c.Text, directive+" ") {
			return true
		}
	}
	return false
}

// testHooks marks where tests run: each Test or Benchmark function, and
// each function literal passed to Run taking a *testing.T or *testing.B (a
// subtest), with a named parameter, gets
// "defer RT.TestEnd(RT.TestStart(t))".
func testHooks(f *cover.InjectFile) []cover.Edit {
	testing := ""
	for _, imp := range f.File.Imports {
		if imp.Path.Value == `"testing"` {
			testing = "testing"
			if imp.Name != nil {
				testing = imp.Name.Name
			}
		}
	}
	if testing == "" || testing == "_" || testing == "." {
		return nil
	}
	tf := f.Fset.File(f.File.Pos())
	var edits []cover.Edit
	hook := func(ft *ast.FuncType, body *ast.BlockStmt) {
		if body == nil || ft.Params == nil || len(ft.Params.List) != 1 || len(ft.Params.List[0].Names) != 1 {
			return
		}
		name := ft.Params.List[0].Names[0].Name
		star, ok := ft.Params.List[0].Type.(*ast.StarExpr)
		if !ok || name == "_" {
			return
		}
		sel, ok := star.X.(*ast.SelectorExpr)
		if !ok || (sel.Sel.Name != "T" && sel.Sel.Name != "B") {
			return
		}
		if x, ok := sel.X.(*ast.Ident); !ok || x.Name != testing {
			return
		}
		off := tf.Offset(body.Lbrace) + 1
		edits = append(edits, cover.Edit{Start: off, End: off, Text: fmt.Sprintf("defer %s.TestEnd(%s.TestStart(%s));", f.Runtime, f.Runtime, name)})
	}
	ast.Inspect(f.File, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			if n.Recv == nil && (strings.HasPrefix(n.Name.Name, "Test") || strings.HasPrefix(n.Name.Name, "Benchmark")) {
				hook(n.Type, n.Body)
			}
		case *ast.CallExpr:
			// A subtest: x.Run(name, func(t *testing.T) {...}). Other
			// literals taking a *testing.T are helpers, not tests.
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Run" && len(n.Args) == 2 {
				if lit, ok := n.Args[1].(*ast.FuncLit); ok {
					hook(lit.Type, lit.Body)
				}
			}
		}
		return true
	})
	return edits
}
