package cover

import (
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"strconv"
	"strings"
)

// Hooks make a program write its profile at the points where it ends: when
// main returns (or panics), when it calls os.Exit, and, through the
// runtime's own handler, on SIGINT and SIGTERM. Calls to os.Exit and to
// signal.Notify in instrumented code are redirected to the runtime, which
// flushes before exiting and learns which signals the program handles
// itself (so that it does not end a program that shuts down gracefully).

// importName returns the name path is imported as in f, or "" (not
// imported, or imported with . or _).
func importName(f *ast.File, path string) string {
	names, _ := importNames(f, path)
	if len(names) == 0 {
		return ""
	}
	return names[0]
}

// importNames returns the names path is imported as in f, and whether it
// is also imported with a dot.
func importNames(f *ast.File, path string) (names []string, dot bool) {
	for _, imp := range f.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil || p != path {
			continue
		}
		switch {
		case imp.Name == nil:
			names = append(names, path[strings.LastIndex(path, "/")+1:])
		case imp.Name.Name == ".":
			dot = true
		case imp.Name.Name != "_":
			names = append(names, imp.Name.Name)
		}
	}
	return names, dot
}

// hooked are the functions whose calls the runtime wraps: those that end
// the program (so that it writes its profile first), those of os/signal
// (so that it knows which signals the program handles), and testing's
// coverage queries (so that tests see gorewrite's coverage).
var hooked = map[string][]string{
	"os":        {"Exit"},
	"log":       {"Fatal", "Fatalf", "Fatalln"},
	"os/signal": {"Notify", "NotifyContext", "Stop", "Reset", "Ignore"},
	"testing":   {"CoverMode", "Coverage"},
}

// hookExits wraps the hooked functions in the runtime's versions, which
// take the original ("RT.Exit(os.Exit)(code)": the import stays used and a
// use as a value works too), and makes main flush when it returns.
func (fi *fileInstr) hookExits() {
	wrap := map[[2]string]bool{}
	dotted := map[string]bool{}
	for path, funcs := range hooked {
		names, dot := importNames(fi.file, path)
		for _, f := range funcs {
			for _, n := range names {
				wrap[[2]string{n, f}] = true
			}
			if dot {
				dotted[f] = true
			}
		}
	}
	hook := func(start, end token.Pos, name string) {
		fi.insertExpr(fi.offset(start), fi.pkg.runtimeName()+"."+name+"(")
		fi.insert(fi.offset(end), ")")
		fi.needRuntime = true
	}
	// log.Fatal* are replaced, not wrapped: the runtime's are print
	// wrappers of their own, which go vet's printf check follows. The
	// import is kept used.
	logNames, _ := importNames(fi.file, "log")
	uses, replaced := map[string]int{}, map[string]int{}
	if len(wrap)+len(dotted) > 0 {
		ast.Inspect(fi.file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				// The parser resolves names declared in the file's
				// functions; a name it leaves unresolved that is spelled
				// like an import is that import (a package-level
				// declaration of the same name would not compile).
				id, ok := n.X.(*ast.Ident)
				if !ok || id.Obj != nil {
					return true
				}
				uses[id.Name]++
				if !wrap[[2]string{id.Name, n.Sel.Name}] {
					return true
				}
				if slices.Contains(logNames, id.Name) {
					fi.replace(fi.offset(id.Pos()), fi.offset(id.End()), fi.pkg.runtimeName())
					fi.needRuntime = true
					replaced[id.Name]++
				} else {
					hook(n.Pos(), n.End(), n.Sel.Name)
				}
				return false
			case *ast.CallExpr:
				// A dot-imported function, called.
				if id, ok := n.Fun.(*ast.Ident); ok && id.Obj == nil && dotted[id.Name] {
					name := id.Name
					if strings.HasPrefix(name, "Fatal") {
						name += "Func" // log's, as a value: the import stays used
					}
					hook(id.Pos(), id.End(), name)
				}
			}
			return true
		})
	}
	for _, name := range logNames {
		if replaced[name] > 0 && replaced[name] == uses[name] {
			end := "\n"
			if len(fi.src) > 0 && fi.src[len(fi.src)-1] != '\n' {
				end = "\n\n"
			}
			fi.insert(len(fi.src), end[:len(end)-1]+"\nvar _ = "+name+".Fatal\n")
		}
	}
	if fi.file.Name.Name != "main" {
		return
	}
	for _, d := range fi.file.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if ok && fn.Recv == nil && fn.Name.Name == "main" && fn.Body != nil && fn.Type.TypeParams == nil {
			fi.insert(fi.offset(fn.Body.Lbrace)+1, fmt.Sprintf("defer %s.Flush();", fi.pkg.runtimeName()))
			fi.needRuntime = true
		}
	}
}

// wrapTestMain makes a test file's TestMain write the profile once its
// tests have run: each m.Run() becomes RT.RunTests(m.Run), which writes it
// right after, and a deferred flush covers a TestMain that returns (exits
// are hooked like everywhere else). It reports whether the file declares a
// function named TestMain, which rules out adding one.
func (fi *fileInstr) wrapTestMain() bool {
	for _, d := range fi.file.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv != nil || fn.Name.Name != "TestMain" {
			continue
		}
		if fn.Body == nil || !isTestingM(fi.file, fn.Type) {
			fi.pkg.warnings = append(fi.pkg.warnings, fmt.Sprintf("%s: TestMain is not func(*testing.M): the package's test binary cannot write its profile", fi.fset.Position(fn.Pos())))
			return true
		}
		m := fn.Type.Params.List[0].Names[0].Obj
		fi.insert(fi.offset(fn.Body.Lbrace)+1, fmt.Sprintf("defer %s.Flush();", fi.pkg.runtimeName()))
		fi.needRuntime = true
		selectorCalls(fn.Body, func(call *ast.CallExpr, sel *ast.SelectorExpr, id *ast.Ident) {
			if id.Obj == m && m != nil && sel.Sel.Name == "Run" && len(call.Args) == 0 {
				// m.Run() becomes RT.RunTests(m.Run).
				fi.insertExpr(fi.offset(call.Pos()), fi.pkg.runtimeName()+".RunTests(")
				fi.replace(fi.offset(call.Fun.End()), fi.offset(call.Rparen)+1, ")")
				return
			}
			// lib.F(m) becomes lib.F(RT.M(m)) where F takes a runner.
			if path := importPathOf(fi.file, id.Name); path != "" && id.Obj == nil {
				for i, a := range call.Args {
					if arg, ok := a.(*ast.Ident); ok && arg.Obj == m && m != nil && fi.pkg.RunnerArgs[mKey(path, sel.Sel.Name, i)] {
						fi.insertExpr(fi.offset(arg.Pos()), fi.pkg.runtimeName()+".M(")
						fi.insert(fi.offset(arg.End()), ")")
					}
				}
			}
		})
		return true
	}
	return false
}

// isTestingM reports whether ft is func(m *testing.M), with m named.
func isTestingM(f *ast.File, ft *ast.FuncType) bool {
	if ft.Results != nil && len(ft.Results.List) > 0 || len(ft.Params.List) != 1 || len(ft.Params.List[0].Names) != 1 {
		return false
	}
	star, ok := ft.Params.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	sel, ok := star.X.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "M" {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == importName(f, "testing")
}

// countersFile is the file added to the package: the counter arrays, and
// their registration with the runtime, which writes the profile.
func (p *pkgInstr) countersFile(files []*fileInstr) []byte {
	var b strings.Builder
	rt := p.runtimeName()
	fmt.Fprintf(&b, "// Code generated by gorewrite cover. DO NOT EDIT.\n\npackage %s\n\nimport %s %q\n", p.Name, rt, p.opts.RuntimePath)
	if p.opts.Mode == Atomic {
		fmt.Fprintf(&b, "import %satomic \"sync/atomic\"\n\nfunc %sInc(p *uint32) { %satomic.AddUint32(p, 1) }\n", p.prefix, p.prefix, p.prefix)
	}
	b.WriteString("\n")
	for _, fi := range files {
		fmt.Fprintf(&b, "var %s [%d]uint32\n", p.counterName(fi.index), len(fi.blocks))
		if len(fi.branches) > 0 {
			fmt.Fprintf(&b, "var %s [%d]uint32\n", p.branchName(fi.index), fi.outcomes())
		}
	}
	if p.opts.Branch {
		p.writeBranchHelpers(&b)
	}
	fmt.Fprintf(&b, "\nfunc init() {\n")
	fmt.Fprintf(&b, "\t%s.Register(%q, %q)\n", rt, p.ImportPath, p.opts.Mode)
	for _, fi := range files {
		names, meta := blockTable(fi.blocks)
		fmt.Fprintf(&b, "\t%s.Blocks(%q, %s[:], %s, %s)\n", rt, p.ImportPath, p.counterName(fi.index), names, meta)
		if len(fi.branches) > 0 {
			names, meta := branchTable(fi.branches)
			fmt.Fprintf(&b, "\t%s.Branches(%q, %s[:], %s, %s)\n", rt, p.ImportPath, p.branchName(fi.index), names, meta)
		}
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

// blockTable encodes blocks for the runtime: the file names, and six
// numbers per block (file index, start line and column, end line and
// column, statements).
func blockTable(blocks []Block) (names, meta string) {
	var t fileTable
	for _, b := range blocks {
		t.add(b.File, b.StartLine, b.StartCol, b.EndLine, b.EndCol, b.NumStmt)
	}
	return t.source()
}

// fileTable builds the tables the runtime reads: file names, and rows of a
// file index and five numbers.
type fileTable struct {
	files []string
	index map[string]int
	meta  strings.Builder
	rows  int
}

func (t *fileTable) add(file string, nums ...int) {
	if t.index == nil {
		t.index = map[string]int{}
	}
	j, ok := t.index[file]
	if !ok {
		j = len(t.files)
		t.index[file] = j
		t.files = append(t.files, file)
	}
	if t.rows > 0 {
		t.meta.WriteString(", ")
	}
	t.rows++
	fmt.Fprintf(&t.meta, "%d", j)
	for _, n := range nums {
		fmt.Fprintf(&t.meta, ", %d", n)
	}
}

// source returns the tables as Go expressions.
func (t *fileTable) source() (names, meta string) {
	return quoteList(t.files), "[]uint32{" + t.meta.String() + "}"
}

func quoteList(list []string) string {
	var b strings.Builder
	b.WriteString("[]string{")
	for i, s := range list {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(s))
	}
	b.WriteString("}")
	return b.String()
}

// testFile is the _test.go file added to a package with tests: it tells the
// runtime which package the test binary tests and, unless the package has
// a TestMain of its own, adds one that writes the profile after the tests.
func (p *pkgInstr) testFile(pkgName string, addMain bool) []byte {
	var b strings.Builder
	rt := p.runtimeName()
	fmt.Fprintf(&b, "// Code generated by gorewrite cover. DO NOT EDIT.\n\npackage %s\n\nimport %s %q\n", pkgName, rt, p.opts.RuntimePath)
	if addMain {
		fmt.Fprintf(&b, "import %sos \"os\"\nimport %stesting \"testing\"\n", p.prefix, p.prefix)
	}
	filter := ""
	if p.opts.TestFilter {
		filter = p.ImportPath
	}
	fmt.Fprintf(&b, "\nfunc init() {\n\t%s.Register(%q, %q)\n\t%s.TestBinary(%q)\n}\n", rt, p.ImportPath, p.opts.Mode, rt, filter)
	if addMain {
		fmt.Fprintf(&b, "\nfunc TestMain(m *%stesting.M) { %sos.Exit(%s.RunTests(m.Run)) }\n", p.prefix, p.prefix, rt)
	}
	return []byte(b.String())
}
