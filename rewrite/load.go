package rewrite

import (
	"context"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/gorewrite/gorewrite/rewrite/gocmd"
	"golang.org/x/tools/go/packages"
)

// fileJob is one file to process without types, or a problem found while
// listing files.
type fileJob struct {
	name     string // absolute
	explicit bool   // named on the command line
	errs     []error
}

// argKind classifies a command-line argument.
type argKind int

const (
	argPattern argKind = iota
	argFile
	argDir
	argNotGo // an existing file that is not Go source
)

// classify tells files and directories (which exist on disk) from package
// patterns. A name ending in .go is always a file, so that a missing file is
// reported as such rather than as an unknown package.
func classify(dir, arg string) (argKind, string) {
	path := arg
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	if strings.HasSuffix(arg, ".go") {
		if fi, err := os.Stat(path); err == nil && fi.IsDir() {
			return argDir, path
		}
		return argFile, path
	}
	if strings.Contains(arg, "...") {
		return argPattern, arg
	}
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return argDir, path
		}
		return argNotGo, path
	}
	return argPattern, arg
}

const notGoFile = "not a Go file (want .go files, directories or package patterns)"

// listFiles expands arguments into the files syntax-only rules run over:
// files as named, directories walked as gofmt walks them, package patterns
// listed by the go command.
func listFiles(ctx context.Context, cfg Config, dir string, args []string) ([]fileJob, error) {
	var jobs []fileJob
	seen := make(map[string]bool)
	add := func(j fileJob) {
		if j.errs == nil {
			// The same file named twice, or through a symbolic link, is
			// rewritten once.
			key := evalSymlinks(j.name)
			if seen[key] {
				return
			}
			seen[key] = true
		}
		jobs = append(jobs, j)
	}
	var patterns []string
	patternsAt := -1
	for _, arg := range args {
		kind, path := classify(dir, arg)
		switch kind {
		case argFile:
			add(fileJob{name: path, explicit: true})
		case argNotGo:
			add(fileJob{name: path, errs: []error{&Error{Pos: token.Position{Filename: path}, Msg: notGoFile}}})
		case argDir:
			err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					add(fileJob{name: p, errs: []error{&Error{Pos: token.Position{Filename: p}, Msg: readError(err)}}})
					return nil
				}
				if isGoFile(d) && (cfg.Tests || !strings.HasSuffix(d.Name(), "_test.go")) {
					add(fileJob{name: p})
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
		case argPattern:
			if patternsAt < 0 {
				patternsAt = len(jobs)
			}
			patterns = append(patterns, arg)
		}
	}
	if len(patterns) == 0 {
		return jobs, nil
	}
	pkgs, err := packages.Load(&packages.Config{
		Mode:       packages.NeedName | packages.NeedFiles,
		Context:    ctx,
		Dir:        dir,
		Env:        cfg.Env,
		BuildFlags: buildFlags(cfg),
		Tests:      cfg.Tests,
	}, patterns...)
	var listed []fileJob
	if err != nil {
		listed = append(listed, fileJob{errs: []error{&Error{Msg: gocmd.Explain(loadError(err), cfg.Env, nil)}}})
	}
	files := make(map[string]bool)
	for _, pkg := range pkgs {
		if isTestMain(pkg) {
			continue
		}
		if errs := packageErrors(cfg, pkg); len(errs) > 0 {
			listed = append(listed, fileJob{errs: errs})
		}
		for _, f := range pkg.GoFiles {
			files[f] = true
		}
	}
	if err == nil && len(pkgs) == 0 {
		listed = append(listed, fileJob{errs: []error{&Error{Msg: fmt.Sprintf("no packages match %s", strings.Join(patterns, " "))}}})
	}
	for _, f := range sortedKeys(files) {
		if key := evalSymlinks(f); !seen[key] {
			seen[key] = true
			listed = append(listed, fileJob{name: f})
		}
	}
	return slices.Insert(jobs, patternsAt, listed...), nil
}

// isGoFile is gofmt's test for the files it reads in a directory.
func isGoFile(d fs.DirEntry) bool {
	name := d.Name()
	return !d.IsDir() && !strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".go")
}

// buildFlags returns the go list flags of cfg; the go command never
// updates go.mod or go.sum (-mod=mod is run as -mod=readonly).
func buildFlags(cfg Config) []string {
	var flags []string
	if len(cfg.Tags) > 0 {
		flags = []string{"-tags=" + strings.Join(cfg.Tags, ",")}
	}
	return gocmd.Flags(cfg.Env, append(flags, cfg.BuildFlags...))
}

// isTestMain reports whether pkg is the generated main package of a test
// binary, which has no source of the user's.
func isTestMain(pkg *packages.Package) bool {
	return strings.HasSuffix(pkg.ID, ".test") && pkg.Name == "main"
}

// loadError words a failure of the go command: its own message, without
// go/packages' wrapping.
func loadError(err error) string {
	msg := err.Error()
	if _, after, ok := strings.Cut(msg, "stderr: "); ok {
		msg = after
	}
	return strings.TrimSpace(strings.TrimPrefix(msg, "err: "))
}

// packageErrors converts the errors go/packages reports for pkg.
func packageErrors(cfg Config, pkg *packages.Package) []error {
	var out []error
	seen := make(map[string]bool)
	precise := slices.ContainsFunc(pkg.Errors, func(e packages.Error) bool { return e.Kind != packages.ListError })
	for _, e := range pkg.Errors {
		if precise && e.Kind == packages.ListError && strings.HasPrefix(e.Msg, "# ") {
			continue // the compiler's report of what the parse and type errors say again
		}
		pos := parsePos(e.Pos)
		// One error per line, as the go command reports them: the others
		// on the line are usually the first one's consequences.
		key := fmt.Sprintf("%s:%d", pos.Filename, pos.Line)
		if pos.Line == 0 {
			key = e.Pos + e.Msg
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		msg := e.Msg
		if e.Kind == packages.TypeError {
			msg = importError(pkg, msg)
		}
		out = append(out, &Error{Pos: pos, Msg: gocmd.Explain(msg, cfg.Env, nil)})
		if len(out) == maxErrorsPerFile {
			break
		}
	}
	if len(out) > 0 && pkg.PkgPath != "" {
		if pe := out[0].(*Error); !pe.Pos.IsValid() && pe.Pos.Filename == "" && !strings.Contains(pe.Msg, pkg.PkgPath) {
			pe.Msg = "package " + pkg.PkgPath + ": " + pe.Msg
		}
	}
	return out
}

// importError returns, for the type checker's "could not import P", the
// go command's reason when it gave one (a missing go.sum entry, say, with
// the command that adds it); else msg.
func importError(pkg *packages.Package, msg string) string {
	rest, ok := strings.CutPrefix(msg, "could not import ")
	if !ok {
		return msg
	}
	path, _, _ := strings.Cut(rest, " ")
	if imp := pkg.Imports[path]; imp != nil && len(imp.Errors) > 0 && imp.Errors[0].Kind == packages.ListError {
		return imp.Errors[0].Msg
	}
	return msg
}

// parsePos parses go/packages' "file:line:col" positions.
func parsePos(s string) token.Position {
	var pos token.Position
	if s == "" || s == "-" {
		return pos
	}
	rest := s
	nums := []*int{&pos.Column, &pos.Line}
	for _, n := range nums {
		i := strings.LastIndexByte(rest, ':')
		if i < 0 {
			break
		}
		var v int
		if _, err := fmt.Sscanf(rest[i+1:], "%d", &v); err != nil {
			break
		}
		*n = v
		rest = rest[:i]
	}
	if pos.Line == 0 && pos.Column != 0 { // only file:line
		pos.Line, pos.Column = pos.Column, 0
	}
	pos.Filename = rest
	return pos
}

// typedLoad is the result of loading packages with types.
type typedLoad struct {
	fset    *token.FileSet
	pkgs    []*packages.Package
	sources map[string][]byte
	errs    []error
}

func loadTyped(ctx context.Context, cfg Config, dir string, queries []string) *typedLoad {
	l := &typedLoad{fset: token.NewFileSet(), sources: make(map[string][]byte)}
	var mu sync.Mutex
	pkgs, err := packages.Load(&packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports |
			packages.NeedTypes | packages.NeedTypesInfo | packages.NeedTypesSizes | packages.NeedSyntax | packages.NeedModule,
		Context:    ctx,
		Dir:        dir,
		Env:        cfg.Env,
		BuildFlags: buildFlags(cfg),
		Tests:      cfg.Tests,
		Overlay:    cfg.overlay,
		Fset:       l.fset,
		ParseFile: func(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
			mu.Lock()
			l.sources[filename] = src
			mu.Unlock()
			return parser.ParseFile(fset, filename, src, parser.ParseComments|parser.SkipObjectResolution)
		},
	}, queries...)
	if err != nil {
		l.errs = append(l.errs, &Error{Msg: gocmd.Explain(loadError(err), cfg.Env, nil)})
		return l
	}
	if len(pkgs) == 0 {
		// go/packages hides some failures of go list in this mode (outside
		// a module, say); ask again, simply, to get the go command's words.
		_, err := packages.Load(&packages.Config{Mode: packages.NeedName, Context: ctx, Dir: dir, Env: cfg.Env, BuildFlags: buildFlags(cfg)}, queries...)
		switch {
		case err != nil:
			l.errs = append(l.errs, &Error{Msg: gocmd.Explain(loadError(err), cfg.Env, nil)})
		case strings.HasPrefix(queries[0], "file="):
			for _, q := range queries {
				f := strings.TrimPrefix(q, "file=")
				l.errs = append(l.errs, &Error{Pos: token.Position{Filename: f}, Msg: notInBuildMsg(f, cfg)})
			}
		default:
			l.errs = append(l.errs, &Error{Msg: fmt.Sprintf("no packages match %s", strings.Join(queries, " "))})
		}
	}
	l.pkgs = pkgs
	return l
}

// runTyped loads packages with types and runs the rules once per package
// over the files that package owns.
func runTyped(ctx context.Context, cfg Config, dir string, rules []*Rule, args []string, emit func(*FileResult) error) error {
	var early []*FileResult
	var patterns, fileQueries []string
	wanted := make(map[string]bool) // files named on the command line
	for _, arg := range args {
		kind, path := classify(dir, arg)
		switch kind {
		case argFile:
			if _, err := os.Stat(path); err != nil && cfg.overlay[path] == nil {
				early = append(early, &FileResult{Filename: path, Errs: []error{&Error{Pos: token.Position{Filename: path}, Msg: readError(err)}}})
				continue
			}
			wanted[path] = true
			fileQueries = append(fileQueries, "file="+path)
		case argDir:
			patterns = append(patterns, dirPattern(dir, path))
		case argNotGo:
			early = append(early, &FileResult{Filename: path, Errs: []error{&Error{Pos: token.Position{Filename: path}, Msg: notGoFile}}})
		default:
			patterns = append(patterns, arg)
		}
	}
	var loads []*typedLoad
	var restrict []bool
	if len(patterns) > 0 {
		loads, restrict = append(loads, loadTyped(ctx, cfg, dir, patterns)), append(restrict, false)
	}
	if len(fileQueries) > 0 {
		loads, restrict = append(loads, loadTyped(ctx, cfg, dir, fileQueries)), append(restrict, true)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, l := range loads {
		if len(l.errs) > 0 {
			early = append(early, &FileResult{Errs: l.errs})
		}
	}
	for _, r := range early {
		if err := emit(r); err != nil {
			return err
		}
	}
	units := planUnits(cfg, loads, restrict, wanted)
	// A file named on the command line that no loaded package includes is
	// excluded by build constraints (or is a test file and --tests is off):
	// say so rather than doing nothing.
	included := make(map[string]bool)
	for _, l := range loads {
		for _, pkg := range l.pkgs {
			for _, f := range pkg.GoFiles {
				included[f], included[evalSymlinks(f)] = true, true
			}
		}
	}
	for _, f := range sortedKeys(wanted) {
		if !included[f] && !included[evalSymlinks(f)] && !loadFailed(loads) {
			if err := emit(&FileResult{Filename: f, Errs: []error{&Error{Pos: token.Position{Filename: f}, Msg: notInBuildMsg(f, cfg)}}}); err != nil {
				return err
			}
		}
	}
	return ordered(ctx, len(units), cfg.workers(), func(i int) []*FileResult {
		return units[i].run(rules)
	}, emit)
}

// notInBuildMsg explains why no package loaded includes file.
func notInBuildMsg(file string, cfg Config) string {
	if strings.HasSuffix(file, "_test.go") && !cfg.Tests {
		return "a test file, and --tests is off"
	}
	return "not in any package of this build (excluded by build constraints; try --tags)"
}

func loadFailed(loads []*typedLoad) bool {
	return slices.ContainsFunc(loads, func(l *typedLoad) bool { return len(l.errs) > 0 })
}

// dirPattern turns a directory argument into the package pattern for the
// package in it.
func dirPattern(dir, path string) string {
	if rel, err := filepath.Rel(dir, path); err == nil && !strings.HasPrefix(rel, "..") {
		if rel == "." {
			return "."
		}
		return "./" + filepath.ToSlash(rel)
	}
	return path
}

// plannedUnit is a package and the files it owns, or the errors of a
// package that owns none of its files.
type plannedUnit struct {
	l     *typedLoad
	pkg   *packages.Package
	files []string
	errs  []error
	key   string // for ordering

	includeGenerated bool
	explicit         map[string]bool // files named on the command line
}

// planUnits decides which package each file is rewritten in. A file can be
// in several packages (p, p [p.test]); it goes to the first, by preference
// for packages without errors and with more files (the test variant covers
// the package's own files and its internal tests at once).
func planUnits(cfg Config, loads []*typedLoad, restrict []bool, wanted map[string]bool) []*plannedUnit {
	type cand struct {
		l   *typedLoad
		pkg *packages.Package
	}
	byFile := make(map[string][]cand)
	for i, l := range loads {
		for _, pkg := range l.pkgs {
			if isTestMain(pkg) {
				continue
			}
			for _, f := range pkg.GoFiles {
				if restrict[i] && !wanted[f] && !wanted[evalSymlinks(f)] {
					continue
				}
				byFile[f] = append(byFile[f], cand{l, pkg})
			}
		}
	}
	units := make(map[*packages.Package]*plannedUnit)
	unit := func(c cand) *plannedUnit {
		u := units[c.pkg]
		if u == nil {
			u = &plannedUnit{l: c.l, pkg: c.pkg, includeGenerated: cfg.IncludeGenerated, explicit: wanted}
			units[c.pkg] = u
		}
		return u
	}
	// Packages that could not be loaded at all (a missing import path, say)
	// own no file but must be reported.
	for _, l := range loads {
		for _, pkg := range l.pkgs {
			if len(pkg.GoFiles) == 0 && len(pkg.Errors) > 0 && !isTestMain(pkg) {
				u := unit(cand{l, pkg})
				u.errs = packageErrors(cfg, pkg)
				u.key = pkg.ID
			}
		}
	}
	for _, f := range sortedKeys(byFile) {
		cands := byFile[f]
		slices.SortStableFunc(cands, func(a, b cand) int {
			ae, be := len(a.pkg.Errors) > 0, len(b.pkg.Errors) > 0
			switch {
			case ae != be:
				if ae {
					return 1
				}
				return -1
			case len(a.pkg.GoFiles) != len(b.pkg.GoFiles):
				return len(b.pkg.GoFiles) - len(a.pkg.GoFiles)
			}
			return strings.Compare(a.pkg.ID, b.pkg.ID)
		})
		u := unit(cands[0])
		if len(cands[0].pkg.Errors) > 0 {
			u.errs = packageErrors(cfg, cands[0].pkg)
			if u.key == "" {
				u.key = f
			}
			continue
		}
		u.files = append(u.files, f)
		if u.key == "" {
			u.key = f
		}
	}
	var out []*plannedUnit
	for _, u := range units {
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b *plannedUnit) int { return strings.Compare(a.key, b.key) })
	return out
}

func evalSymlinks(path string) string {
	if p, err := filepath.EvalSymlinks(path); err == nil {
		return p
	}
	return path
}

// run runs the rules over the unit's package and finishes its files.
func (pu *plannedUnit) run(rules []*Rule) []*FileResult {
	if len(pu.errs) > 0 {
		return []*FileResult{{Errs: pu.errs}}
	}
	pkg := pu.pkg
	l := pu.l
	fset := l.fset
	syntax := make(map[string]*ast.File)
	for i, f := range pkg.Syntax {
		if i < len(pkg.CompiledGoFiles) {
			syntax[pkg.CompiledGoFiles[i]] = f
		}
	}
	typesPkg, info, files := pkg.Types, pkg.TypesInfo, pkg.Syntax
	conf := types.Config{
		Importer:  importerFor(pkg),
		Sizes:     pkg.TypesSizes,
		GoVersion: goVersion(pkg),
	}
	var out []*FileResult
	source := func(name string) []byte { return l.sources[name] } // read-only once loaded
	if isCgo(pkg) {
		// The syntax go/packages has is cgo's output; rewrite the original
		// files instead, type-checked with package C faked.
		var err error
		var sources map[string][]byte
		files, typesPkg, info, sources, err = checkCgo(fset, pkg, &conf)
		if err != nil {
			return []*FileResult{{Filename: pu.key, Errs: []error{err}}}
		}
		source = func(name string) []byte { return sources[name] }
		syntax = make(map[string]*ast.File)
		for i, f := range files {
			syntax[pkg.GoFiles[i]] = f
		}
	}
	var states []*fileState
	for _, name := range pu.files {
		f := syntax[name]
		if f == nil {
			out = append(out, &FileResult{Filename: name, Errs: []error{&Error{Pos: token.Position{Filename: name}, Msg: "no syntax for file"}}})
			continue
		}
		if ast.IsGenerated(f) && !pu.includeGenerated {
			if pu.explicit[name] {
				out = append(out, &FileResult{Filename: name, Skipped: "generated file (use --include-generated to rewrite it)"})
			}
			continue
		}
		src := source(name)
		tf := fset.File(f.FileStart)
		if src == nil || tf == nil || tf.Size() != len(src) {
			out = append(out, &FileResult{Filename: name, Errs: []error{&Error{Pos: token.Position{Filename: name}, Msg: "source changed while loading"}}})
			continue
		}
		states = append(states, &fileState{name: name, src: src, tf: tf, syntax: f})
	}
	if len(states) == 0 {
		return out
	}
	u := newUnit(fset, states, &checker{path: pkg.PkgPath, fset: fset, files: files, conf: conf})
	syntaxes := make([]*ast.File, len(states))
	for i, fs := range states {
		syntaxes[i] = fs.syntax
	}
	xtest := slices.ContainsFunc(l.pkgs, func(q *packages.Package) bool { return q.PkgPath == pkg.PkgPath+"_test" })
	for _, r := range rules {
		p := &Pass{Rule: r, Fset: fset, Files: syntaxes, Pkg: typesPkg, TypesInfo: info, TypesSizes: pkg.TypesSizes, ExternalTests: xtest, unit: u}
		runPass(p)
	}
	for _, fs := range states {
		out = append(out, fs.finish())
	}
	slices.SortFunc(out, func(a, b *FileResult) int { return strings.Compare(a.Filename, b.Filename) })
	return out
}

// importerFor imports the dependencies of pkg from what go/packages loaded.
func importerFor(pkg *packages.Package) types.Importer {
	return importerFunc(func(path string) (*types.Package, error) {
		if path == "unsafe" {
			return types.Unsafe, nil
		}
		if ip := pkg.Imports[path]; ip != nil && ip.Types != nil {
			return ip.Types, nil
		}
		if pkg.Types != nil {
			for _, t := range pkg.Types.Imports() {
				if t.Path() == path || strings.HasSuffix(t.Path(), "/vendor/"+path) || t.Path() == "vendor/"+path {
					return t, nil
				}
			}
		}
		return nil, fmt.Errorf("package %s not loaded", path)
	})
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

func goVersion(pkg *packages.Package) string {
	if pkg.Module != nil && pkg.Module.GoVersion != "" {
		return "go" + pkg.Module.GoVersion
	}
	return ""
}

func isCgo(pkg *packages.Package) bool {
	compiled := make(map[string]bool, len(pkg.CompiledGoFiles))
	for _, f := range pkg.CompiledGoFiles {
		compiled[f] = true
	}
	for _, f := range pkg.GoFiles {
		if !compiled[f] {
			return true
		}
	}
	return false
}

// checkCgo parses the original files of a cgo package and type-checks them
// with package C faked: expressions involving C have no types, everything
// else does.
func checkCgo(fset *token.FileSet, pkg *packages.Package, conf *types.Config) ([]*ast.File, *types.Package, *types.Info, map[string][]byte, error) {
	var files []*ast.File
	sources := make(map[string][]byte)
	for _, name := range pkg.GoFiles {
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, nil, nil, nil, &Error{Pos: token.Position{Filename: name}, Msg: readError(err)}
		}
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, nil, nil, nil, positionedErrors(name, err)[0]
		}
		sources[name] = src
		files = append(files, f)
	}
	conf.FakeImportC = true
	info := newInfo()
	c := *conf
	c.Error = func(error) {} // C's unknowns make noise; the real build was checked by go/packages
	tpkg, _ := c.Check(pkg.PkgPath, fset, files, info)
	return files, tpkg, info, sources, nil
}

func newInfo() *types.Info {
	return &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Instances:    make(map[*ast.Ident]types.Instance),
		Scopes:       make(map[ast.Node]*types.Scope),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		FileVersions: make(map[*ast.File]string),
	}
}

// runSourceTyped type-checks one file on its own (standard input) and runs
// the rules over it.
func runSourceTyped(_ context.Context, cfg Config, rules []*Rule, filename string, src []byte) (*FileResult, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return &FileResult{Filename: filename, Src: src, Errs: positionedErrors(filename, err)}, nil
	}
	if !cfg.IncludeGenerated && ast.IsGenerated(f) {
		return &FileResult{Filename: filename, Src: src, Skipped: "generated file (use --include-generated to rewrite it)"}, nil
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "gc", nil), FakeImportC: true}
	var typeErrs []error
	conf.Error = func(err error) {
		if te, ok := err.(types.Error); ok && len(typeErrs) < maxErrorsPerFile {
			typeErrs = append(typeErrs, &Error{Pos: fset.Position(te.Pos), Msg: te.Msg})
		}
	}
	info := newInfo()
	pkg, _ := conf.Check(f.Name.Name, fset, []*ast.File{f}, info)
	if len(typeErrs) > 0 {
		return &FileResult{Filename: filename, Src: src, Errs: typeErrs}, nil
	}
	fs := &fileState{name: filename, src: src, tf: fset.File(f.FileStart), syntax: f}
	conf.Error = nil
	u := newUnit(fset, []*fileState{fs}, &checker{path: f.Name.Name, fset: fset, files: []*ast.File{f}, conf: conf})
	for _, r := range rules {
		runPass(&Pass{Rule: r, Fset: fset, Files: []*ast.File{f}, Pkg: pkg, TypesInfo: info, TypesSizes: types.SizesFor("gc", runtime.GOARCH), unit: u})
	}
	return fs.finish(), nil
}
