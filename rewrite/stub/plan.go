package stub

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strings"
	"text/template"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/stub/record"
)

// Options say which tests to write and how.
type Options struct {
	Selection

	// Compare is how results are compared: "reflect" (reflect.DeepEqual)
	// or "cmp" (github.com/google/go-cmp's cmp.Diff); the caller decides
	// the default from the module's requirements.
	Compare string
	// Parallel adds t.Parallel() to tests and their subtests.
	Parallel bool
	// Fuzz also writes a fuzz target for each function whose parameters
	// the fuzzer can supply, seeded from the test's table.
	Fuzz bool
	// Templates write the code; nil means the built-in default.
	Templates *Templates
	// PreferExternal writes new test files in package p_test where the
	// function can be tested from there (go:generate in such a file asks
	// for it); otherwise new files follow the package's existing tests:
	// external when all of them are.
	PreferExternal bool

	// Requires reports whether the module requires the module providing
	// an import path outside the standard library: generated code never
	// needs a dependency the module lacks.
	Requires func(path string) bool
	// Exists reports whether a file exists on disk, loaded or not: a test
	// file excluded by build constraints must not be replaced by a new one.
	Exists func(name string) bool

	// Recorded, when set, are the calls gorewrite stub --record recorded:
	// only functions with recorded calls get tests, whose tables get the
	// calls as rows (a gorewrite table of an existing test gets the rows
	// it lacks). MaxCases caps a function's recorded rows (default
	// DefaultMaxCases); Drop leaves out rows by DropKey (rows a check
	// run saw fail).
	Recorded *record.Calls
	MaxCases int
	Drop     map[string]bool
}

// A FileOut is a test file to create or change.
type FileOut struct {
	Name    string // absolute
	Old     []byte // the current content; nil for a new file
	New     []byte
	Created bool
	Tests   []string // the functions written, in order
	Rows    []Row    // the recorded rows written
	Pkg     string   // the import path of the package tested
}

// A Skip is a function that got no test, and why.
type Skip struct {
	Pos    token.Position
	Func   string
	Reason string
}

// Output is what Generate produces for one package.
type Output struct {
	Files   []*FileOut
	Skipped []Skip
	Errs    []error
	// Forced lists the Selection.Force entries that named a function of
	// the package.
	Forced []string
}

// planned is one test file being written.
type planned struct {
	name     string
	external bool
	existing *File // nil for a new file
	header   string
	specs    []*spec
	replace  map[*spec]string // forced specs: the name of the test they replace
}

// Generate works out the tests for pkg's functions and the test files
// that hold them. It reads and writes nothing: the caller prints or
// writes the files.
func Generate(ctx context.Context, pkg *Package, opts Options) *Output {
	out := &Output{}
	if opts.Templates == nil {
		t, err := LoadTemplates("default")
		if err != nil {
			out.Errs = append(out.Errs, err)
			return out
		}
		opts.Templates = t
	}
	g := &generator{pkg: pkg, opts: opts, out: out, files: make(map[string]*planned), taken: make(map[string]bool)}
	g.preferExternal = opts.PreferExternal
	if !g.preferExternal {
		ext, in := 0, 0
		for _, f := range pkg.Files {
			switch {
			case !f.Test || strings.HasSuffix(f.Name, "_internal_test.go"):
				// An x_internal_test.go is there because an external test
				// could not do; it says nothing of the package's choice,
				// and counting it would make the choice depend on earlier
				// runs.
			case f.External:
				ext++
			default:
				in++
			}
		}
		g.preferExternal = ext > 0 && in == 0
	}
	if pkg.Name == "main" {
		g.preferExternal = false
	}
	if pos, ok := pkg.parsesFlagsAtInit(); ok {
		out.Skipped = append(out.Skipped, Skip{Pos: pkg.Fset.Position(pos), Func: "package " + pkg.Name,
			Reason: "flag.Parse runs at init, so a test binary of the package would exit before any test ran; go test passes only while it has no test file"})
		return out
	}
	if pos, ok := pkg.replacesFlags(); opts.Fuzz && ok {
		g.opts.Fuzz = false
		out.Skipped = append(out.Skipped, Skip{Pos: pkg.Fset.Position(pos), Func: "package " + pkg.Name,
			Reason: "no fuzz targets: a test replaces flag.CommandLine, and go test's fuzzing panics without its flags"})
	}
	var used map[string]bool
	if !opts.All {
		used = pkg.usedInTests()
	}
	for _, t := range pkg.targets() {
		if !opts.matches(t) {
			continue
		}
		g.plan(t, used)
	}
	names := make([]string, 0, len(g.files))
	for n := range g.files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		g.write(ctx, g.files[n])
	}
	return out
}

type generator struct {
	pkg            *Package
	opts           Options
	out            *Output
	files          map[string]*planned
	taken          map[string]bool // top-level names given out in this run
	preferExternal bool
}

func (g *generator) skip(t *target, format string, args ...any) {
	pos := g.pkg.Fset.Position(t.decl.Name.Pos())
	g.out.Skipped = append(g.out.Skipped, Skip{Pos: pos, Func: t.display(), Reason: fmt.Sprintf(format, args...)})
}

// scopes are the package scopes a test's name lives in: the package with
// its internal tests, and the external test package.
func (g *generator) lookup(name string) testKind {
	k := lookup(g.pkg.Types.Scope(), name)
	if g.pkg.XTypes != nil {
		if x := lookup(g.pkg.XTypes.Scope(), name); x == nameTest || k == nameFree {
			k = x
		}
	}
	for _, f := range g.pkg.Files {
		if !f.Unchecked || k == nameTest {
			continue
		}
		if x := syntacticLookup(f.Syntax, name); x == nameTest || k == nameFree {
			k = x
		}
	}
	if k == nameFree && g.taken[name] {
		return nameOther
	}
	return k
}

// syntacticLookup is lookup for a file without type information: a test
// is a function taking one parameter written *testing.T (*testing.F).
func syntacticLookup(f *ast.File, name string) testKind {
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv != nil || d.Name.Name != name {
				continue
			}
			want := "T"
			if strings.HasPrefix(name, "Fuzz") {
				want = "F"
			}
			if ps := d.Type.Params.List; d.Type.TypeParams == nil && len(ps) == 1 && len(ps[0].Names) <= 1 && d.Type.Results == nil {
				if star, ok := ps[0].Type.(*ast.StarExpr); ok {
					if sel, ok := star.X.(*ast.SelectorExpr); ok && sel.Sel.Name == want {
						return nameTest
					}
				}
			}
			return nameOther
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch spec := spec.(type) {
				case *ast.ValueSpec:
					for _, id := range spec.Names {
						if id.Name == name {
							return nameOther
						}
					}
				case *ast.TypeSpec:
					if spec.Name.Name == name {
						return nameOther
					}
				}
			}
		}
	}
	return nameFree
}

// testName finds the name of t's test (prefix Test) or fuzz target
// (Fuzz): the conventional name, or when something else has that name,
// the first free one of name2, name3... It reports whether a test of that
// name exists already.
func (g *generator) testName(t *target, prefix string) (string, bool) {
	base := t.testName(prefix)
	for k := 1; ; k++ {
		name := base
		if k > 1 {
			name = fmt.Sprintf("%s%d", base, k)
		}
		switch g.lookup(name) {
		case nameTest:
			return name, true
		case nameFree:
			return name, false
		}
	}
}

// freeName returns base, or base2, base3..., unused at package level.
func (g *generator) freeName(base string) string {
	for k := 1; ; k++ {
		name := base
		if k > 1 {
			name = fmt.Sprintf("%s%d", base, k)
		}
		if g.lookup(name) == nameFree {
			return name
		}
	}
}

// plan decides whether t gets a test (and a fuzz target), under which
// names, and the file they go into.
func (g *generator) plan(t *target, used map[string]bool) {
	name, exists := g.testName(t, "Test")
	entry := g.opts.forced(t, name)
	forced := entry != ""
	if forced {
		g.out.Forced = append(g.out.Forced, entry)
	}
	if g.opts.OnlyForced && !forced {
		return
	}
	var rec *record.Func
	if g.opts.Recorded != nil {
		if rec = g.recordedFunc(t); rec == nil || len(rec.Calls) == 0 {
			g.recordedSkip(t, rec)
			return
		}
		used = nil // recorded calls are worth writing for tested functions too
	}
	var at *planned // where the test goes
	appendTo := ""
	switch {
	case exists && !forced && rec != nil:
		// The rows go into the test's table when gorewrite wrote it;
		// otherwise into a test of their own beside it, TestFoo_recorded.
		var ok bool
		if at, appendTo, ok = g.recordedTable(t, rec, name); ok && appendTo == "" {
			name = name + RecordedSuffix
			switch g.lookup(name) {
			case nameTest:
				at, appendTo, _ = g.recordedTable(t, rec, name)
			case nameFree:
				exists = false
			}
			if exists && appendTo == "" {
				g.skip(t, "recorded: %s exists and is not a table gorewrite wrote", name)
				return
			}
		}
		if !ok {
			return
		}
	case exists && !forced:
		name = "" // tested: only a fuzz target may be missing
	case exists:
		f, fd := g.findTest(name)
		if fd == nil {
			g.skip(t, "--force: %s is not in a file gorewrite may change", name)
			return
		}
		at = g.fileFor(f.Name, f.External, f)
	case used != nil && used[objKey(t.fn)] && !forced:
		name = "" // a test mentions it: only a fuzz target may be missing
	}
	if name == "" && !g.opts.Fuzz {
		return
	}
	s, at, err := g.spec(t, at, rec)
	if err != nil {
		if name != "" { // a tested function that cannot be fuzzed is no news
			g.skip(t, "%v", err)
		}
		return
	}
	if rec != nil {
		if why := s.recordable(); why != "" {
			g.skip(t, "recorded: %s", why)
			return
		}
		s.cases = rec.Calls
		if appendTo != "" {
			s.name, s.appendTo = appendTo, appendTo
			s.nameFields()
			if f, fd := g.findTest(appendTo); fd != nil {
				_, names := findTable(f.Syntax, fd)
				s.fits(names)
			}
			at.specs = append(at.specs, s)
			return
		}
	}
	if g.opts.Fuzz && s.canFuzz() {
		if fz, fexists := g.testName(t, "Fuzz"); !fexists {
			s.fuzzName = fz
			g.taken[fz] = true
		}
	}
	if name == "" && s.fuzzName == "" {
		return
	}
	s.name = name
	if name != "" {
		g.taken[name] = true
		if exists {
			if at.replace == nil {
				at.replace = make(map[*spec]string)
			}
			at.replace[s] = name
		}
	}
	if s.name != "" && s.fuzzName != "" && !exists {
		// A new test and a new fuzz target share the cases, so that the
		// cases a user adds seed the fuzzer.
		s.table = g.freeName("tests" + strings.TrimPrefix(s.name, "Test"))
		g.taken[s.table] = true
	}
	s.nameFields()
	at.specs = append(at.specs, s)
}

// spec builds t's spec for the file at (nil: the file beside t's source),
// falling back from the external test package to an internal test file
// when the test needs names only the package itself sees.
func (g *generator) spec(t *target, at *planned, rec *record.Func) (*spec, *planned, error) {
	if at != nil {
		s, err := g.pkg.buildSpec(t, at.external)
		return s, at, err
	}
	// Recorded calls that use the package's unexported names need a test
	// in the package.
	internal := false
	if rec != nil {
		for _, c := range rec.Calls {
			internal = internal || c.Unexported
		}
	}
	var firstErr error
	for _, c := range g.choices(t.file) {
		if internal && c.external {
			continue
		}
		s, err := g.pkg.buildSpec(t, c.external)
		if err == nil {
			return s, g.fileFor(c.name, c.external, g.pkg.file(c.name)), nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if firstErr == nil {
		b := filepath.Base(strings.TrimSuffix(t.file.Name, ".go"))
		firstErr = fmt.Errorf("%s_test.go and %s_internal_test.go exist but were not loaded, or lack %s.go's build constraints", b, b, b)
	}
	return nil, nil, firstErr
}

type choice struct {
	name     string
	external bool
}

// choices lists the test files a test for a function of src (base.go)
// may go into, best first: base_test.go, in the package or in package
// p_test as it exists or as new files should be; base_stubs_test.go when
// base_test.go lacks base.go's build constraints or checks positions in
// itself; then base_internal_test.go.
func (g *generator) choices(src *File) []choice {
	base := strings.TrimSuffix(src.Name, ".go")
	var out []choice
	// add adds the file name, and reports false when it exists but
	// without src's build constraints.
	add := func(name string, preferExternal bool) bool {
		if p := g.files[name]; p != nil {
			if p.existing == nil || fits(src, p.existing) {
				out = append(out, choice{name, p.external})
				return true
			}
			return false
		}
		if f := g.pkg.file(name); f != nil {
			if !f.Unchecked && fits(src, f) && !mentionsItself(f) {
				out = append(out, choice{name, f.External})
				return true
			}
			return f.Unchecked // not loaded: left alone; otherwise another file
		}
		if g.opts.Exists != nil && g.opts.Exists(name) {
			return true // there, but not loaded: leave it alone
		}
		if preferExternal {
			out = append(out, choice{name, true})
		}
		out = append(out, choice{name, false})
		return true
	}
	if !add(base+"_test.go", g.preferExternal) {
		add(base+"_stubs_test.go", g.preferExternal)
	}
	internal := false
	for _, c := range out {
		internal = internal || !c.external
	}
	if !internal {
		add(base+"_internal_test.go", false)
	}
	return out
}

// fileFor returns the planned file name, creating the plan.
func (g *generator) fileFor(name string, external bool, existing *File) *planned {
	if p := g.files[name]; p != nil {
		return p
	}
	p := &planned{name: name, external: external, existing: existing}
	g.files[name] = p
	return p
}

// findTest finds the declaration of the test called name.
func (g *generator) findTest(name string) (*File, *ast.FuncDecl) {
	for _, f := range g.pkg.Files {
		if !f.Test {
			continue
		}
		for _, d := range f.Syntax.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == name {
				return f, fd
			}
		}
	}
	return nil, nil
}

// write renders a planned file's tests and makes the file's new content.
func (g *generator) write(ctx context.Context, p *planned) {
	if len(p.specs) == 0 {
		return
	}
	var src []byte
	created := p.existing == nil
	goVersion := g.pkg.GoVersion()
	if created {
		pkgName := g.pkg.Name
		if p.external {
			pkgName += "_test"
		}
		h := header(p.specs[0].t.file)
		goVersion = headerVersion(h, goVersion)
		src = []byte(h + "package " + pkgName + "\n")
	} else {
		src = p.existing.Src
		goVersion = fileVersion(p.existing.Syntax, goVersion)
	}
	var written []string
	var rows []Row
	var empty []*spec
	rule := &rewrite.Rule{
		Name: RuleName,
		Doc:  "append test stubs to a test file",
		Run: func(pass *rewrite.Pass) error {
			f := pass.Files[0]
			r := &renderer{pass: pass, file: f, pkg: g.pkg, external: p.external,
				requires: g.opts.Requires, goVersion: goVersion, compare: g.opts.Compare, parallel: g.opts.Parallel,
				maxCases: g.opts.MaxCases, drop: g.opts.Drop}
			// An import must not take a name the test's package declares
			// in another file.
			pass.Reserve(g.packageNames(p.external)...)
			var appended []string
			for _, s := range p.specs {
				if s.appendTo != "" {
					added, err := g.appendRows(pass, f, r, s)
					if err != nil {
						return err
					}
					if !added {
						empty = append(empty, s)
					}
					continue
				}
				var code []string
				var td *TestData
				if s.name != "" {
					td = r.testData(s)
					if len(s.cases) > 0 && len(td.Rows) == 0 {
						// Recorded calls, none of which could be kept: no
						// test. The file is written again without it, so
						// that no import it asked for stays.
						empty = append(empty, s)
						continue
					}
				}
				for _, w := range []struct {
					name string
					tmpl *template.Template
					data func(*spec) any
				}{
					{s.name, g.opts.Templates.Test, func(s *spec) any { return td }},
					{s.fuzzName, g.opts.Templates.Fuzz, func(s *spec) any { return r.fuzzData(s) }},
				} {
					if w.name == "" {
						continue
					}
					text, err := r.execute(w.tmpl, w.data(s))
					if err == nil {
						err = parses(w.tmpl.Name(), text)
					}
					if err != nil {
						return fmt.Errorf("%s: %v", w.name, err)
					}
					code = append(code, strings.TrimSpace(text))
					written = append(written, w.name)
				}
				if old, ok := p.replace[s]; ok {
					fd := funcDecl(f, old)
					if fd == nil {
						return fmt.Errorf("%s not found", old)
					}
					pass.Replace(declPos(fd), fd.End(), strings.Join(code, "\n\n"))
					continue
				}
				appended = append(appended, code...)
			}
			if len(appended) > 0 {
				// A blank line before the new code, so that what the file
				// ends with (a comment, say) stays apart from it.
				sep := "\n"
				if src := pass.Source(f); len(src) > 0 && src[len(src)-1] != '\n' {
					sep = "\n\n"
				}
				pass.Insert(f.FileEnd, sep+strings.Join(appended, "\n\n")+"\n")
			}
			rows = r.written
			return nil
		},
	}
	res, err := rewrite.RunSource(ctx, rewrite.Config{IncludeGenerated: true}, []*rewrite.Rule{rule}, p.name, src)
	if err == nil && len(res.Errs) > 0 {
		err = res.Errs[0]
	}
	if err != nil {
		g.out.Errs = append(g.out.Errs, &rewrite.Error{Pos: token.Position{Filename: p.name}, Msg: "writing tests: " + strings.TrimPrefix(err.Error(), p.name+": ")})
		return
	}
	if len(empty) > 0 {
		for _, s := range empty {
			if s.appendTo == "" {
				g.skip(s.t, "recorded: no call kept (%d recorded; rows dropped or not writable in this file)", len(s.cases))
			}
		}
		p.specs = slices.DeleteFunc(p.specs, func(s *spec) bool { return slices.Contains(empty, s) })
		g.write(ctx, p)
		return
	}
	if res.Out == nil {
		return
	}
	fo := &FileOut{Name: p.name, New: res.Out, Created: created, Tests: written, Rows: rows, Pkg: g.pkg.Path}
	if !created {
		fo.Old = p.existing.Src
	}
	g.out.Files = append(g.out.Files, fo)
}

// parsesFlagsAtInit reports whether a package without test files calls
// flag.Parse while it initializes (in an init function or a package-level
// variable's initializer), and where: its test binary would then stop at
// the testing package's own flags. Old commands do that.
func (p *Package) parsesFlagsAtInit() (token.Pos, bool) {
	for _, f := range p.Files {
		if f.Test {
			return token.NoPos, false
		}
	}
	var at token.Pos
	find := func(n ast.Node) {
		ast.Inspect(n, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || at.IsValid() {
				return !at.IsValid()
			}
			var id *ast.Ident
			switch fun := ast.Unparen(call.Fun).(type) {
			case *ast.Ident:
				id = fun
			case *ast.SelectorExpr:
				id = fun.Sel
			}
			if fn, ok := p.Info.Uses[id].(*types.Func); ok && fn.Pkg() != nil && fn.Pkg().Path() == "flag" && fn.Name() == "Parse" && fn.Signature().Recv() == nil {
				at = call.Pos()
			}
			return true
		})
	}
	for _, f := range p.Files {
		for _, d := range f.Syntax.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.Name == "init" && d.Body != nil {
					find(d.Body)
				}
			case *ast.GenDecl:
				if d.Tok == token.VAR {
					find(d)
				}
			}
		}
	}
	return at, at.IsValid()
}

// packageNames lists the names declared at package level in the package
// a test file is in: the package with its internal tests, or the external
// test package; test files known only as syntax count too.
func (g *generator) packageNames(external bool) []string {
	var names []string
	scope := g.pkg.Types.Scope()
	if external {
		scope = nil
		if g.pkg.XTypes != nil {
			scope = g.pkg.XTypes.Scope()
		}
	}
	if scope != nil {
		names = append(names, scope.Names()...)
	}
	for _, f := range g.pkg.Files {
		if !f.Unchecked || f.External != external {
			continue
		}
		for _, d := range f.Syntax.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					names = append(names, d.Name.Name)
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch spec := spec.(type) {
					case *ast.ValueSpec:
						for _, id := range spec.Names {
							names = append(names, id.Name)
						}
					case *ast.TypeSpec:
						names = append(names, spec.Name.Name)
					}
				}
			}
		}
	}
	return names
}

// mentionsItself reports whether a test file names itself in a string
// ("logger_test.go:89", "source":"stacktrace_test.go"): its tests check
// positions in it, as logging libraries' do, and an import added to it
// would move its lines and fail them.
func mentionsItself(f *File) bool {
	base := filepath.Base(f.Name)
	found := false
	ast.Inspect(f.Syntax, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && strings.Contains(lit.Value, base) {
			found = true
		}
		return !found
	})
	return found
}

// replacesFlags reports whether a test of the package assigns
// flag.CommandLine: go test's fuzzing then finds its flags gone and
// panics, so the package gets no fuzz targets.
func (p *Package) replacesFlags() (token.Pos, bool) {
	for _, f := range p.Files {
		if !f.Test {
			continue
		}
		name := ""
		for _, imp := range f.Syntax.Imports {
			if imp.Path.Value == `"flag"` {
				name = "flag"
				if imp.Name != nil {
					name = imp.Name.Name
				}
			}
		}
		if name == "" {
			continue
		}
		var at token.Pos
		ast.Inspect(f.Syntax, func(n ast.Node) bool {
			if as, ok := n.(*ast.AssignStmt); ok {
				for _, l := range as.Lhs {
					if sel, ok := l.(*ast.SelectorExpr); ok && sel.Sel.Name == "CommandLine" {
						if id, ok := sel.X.(*ast.Ident); ok && id.Name == name {
							at = as.Pos()
						}
					}
				}
			}
			return !at.IsValid()
		})
		if at.IsValid() {
			return at, true
		}
	}
	return token.NoPos, false
}

// parses checks that what a template wrote is Go declarations, so that a
// template's mistake is reported as one, at its line in the output.
func parses(tmpl, text string) error {
	_, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+text, parser.SkipObjectResolution)
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		return fmt.Errorf("template %s wrote code that does not parse: line %d of its output: %s", tmpl, list[0].Pos.Line-1, list[0].Msg)
	}
	return err
}

func funcDecl(f *ast.File, name string) *ast.FuncDecl {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == name {
			return fd
		}
	}
	return nil
}
