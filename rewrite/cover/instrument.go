package cover

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
)

// Mode is how probes count: set records whether a block ran, count how
// often, atomic how often with atomic increments (for concurrent code and
// -race).
type Mode string

// The modes, as go test -covermode names them.
const (
	Set    Mode = "set"
	Count  Mode = "count"
	Atomic Mode = "atomic"
)

// ParseMode checks a mode name.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case Set, Count, Atomic:
		return m, nil
	}
	return "", fmt.Errorf("unknown coverage mode %q: want set, count or atomic", s)
}

// Options says how to instrument.
type Options struct {
	Mode Mode
	// Branch adds branch probes (if/else, for conditions, switch and
	// select clauses, operands of && and ||) to the statement probes.
	Branch bool
	// RuntimePath is the import path of the runtime package (the source
	// RuntimeSource returns) that instrumented code reports to.
	RuntimePath string
	// IncludeGenerated instruments generated files too, as go test -cover
	// does; by default they are left alone.
	IncludeGenerated bool
	// TestFilter restricts what a test binary of the package reports to
	// the package itself, as go test -cover does; without it a test binary
	// reports every instrumented package it contains (go test -coverpkg).
	TestFilter bool
	// Render, when set, writes each non-test file of the packages instead
	// of the instrumenter: it gets the file's name, its original content
	// and the instrumentation's edits (in order, in offsets of that
	// content; none when the file needs none) and returns the file's new
	// content. It lets a caller change the code around the probes (mutate's
	// schemata do). It may be called concurrently for different files.
	Render func(name string, src []byte, edits []Edit) []byte
	// NoCounters leaves out the statement probes: the files get only the
	// exit hooks and Inject's code.
	NoCounters bool
	// Inject, when set, returns for each package an Injector that adds
	// another instrumentation's hooks to its files (gorewrite trace's entry
	// and exit hooks), sharing the runtime, the overlay and the exit hooks.
	Inject func(pkg *Package) Injector
}

// An Injector adds another instrumentation's code to the files of one
// package. It is called for the files that would get probes (not generated
// unless asked, not ignored, not embedded), then for the test files, in
// order; it reads no files.
type Injector interface {
	// Inject returns the edits for one file, in offsets of its source.
	Inject(f *InjectFile) []Edit
	// Added returns the content of a file to add to the package (named
	// pkgName, importing the runtime from runtimePath as runtimeName), or
	// nil.
	Added(pkgName, runtimeName, runtimePath string) []byte
}

// An InjectFile is a file an Injector adds code to.
type InjectFile struct {
	Fset *token.FileSet
	File *ast.File
	Name string
	Src  []byte
	// Test says it is a _test.go file.
	Test bool
	// Runtime is the name the runtime package is imported as, and
	// RuntimePath its import path; Runtime is a prefix no name of the
	// package starts with, so Runtime+"X" names are free too.
	Runtime, RuntimePath string
	// Branches names the file's branch counters (an array of uint32,
	// one per branch outcome, in the package), or is "" when the file has
	// no branch probes.
	Branches string
	// OwnImports is set by an Inject whose edits do not use the runtime
	// package (they import what they use themselves): the file is then
	// not given an import it would not use.
	OwnImports bool
}

// An Edit replaces the bytes [Start, End) of a file with Text; an
// insertion has Start == End.
type Edit struct {
	Start, End int
	Text       string
}

// A Package is one package to instrument, as read by the caller.
type Package struct {
	ImportPath, Name string
	// Dir is the package directory; added files go there.
	Dir string
	// GoVersion is the language version the package is compiled with
	// ("go1.22"), empty when unknown.
	GoVersion string
	// Files are the package's non-test Go files (cgo files included).
	Files []Source
	// TestFiles are its _test.go files, internal and external, when its
	// tests are to be run; they are only changed to make the test binary
	// write the profile.
	TestFiles []Source
	// NoProbes puts no probes in Files: the package is tested, or is the
	// main package of a binary, not measured. Its exits are still hooked.
	NoProbes bool
	// Embedded are files a //go:embed directive reads: they are left
	// alone, since probes would change what the program embeds.
	Embedded map[string]bool
	// BoolOperands are the operands of && and || that the type checker
	// found to be non-constant bools, by file and byte range; only those
	// get branch probes. Without it, operands get none.
	BoolOperands map[string]map[[2]int]bool
	// RunnerArgs are the library parameters (by mKey) a TestMain may pass
	// m to wrapped: interfaces asking for nothing but Run() int.
	RunnerArgs map[string]bool
	// Seq numbers the package among those of one plan (in import path
	// order), for injectors that need ids unique across packages.
	Seq int
}

// Source is a file's name (absolute) and content.
type Source struct {
	Name string
	Src  []byte
}

// A Result is an instrumented package.
type Result struct {
	// Changed holds the new content of each file that changed, by name.
	Changed map[string][]byte
	// Added are the files instrumentation adds to the package directory
	// (counters and registration, and the test binary's hooks).
	Added []Source
	// Blocks lists every statement block, in file order; Branches every
	// branch site.
	Blocks   []Block
	Branches []Branch
	// Skipped explains files left alone (generated, ignored), by name.
	Skipped map[string]string
	// Warnings are other things the user should know.
	Warnings []string
	// Errs are the files that could not be instrumented (they do not
	// parse); the rest of the package still is.
	Errs []error

	originals map[string][]byte
}

// Prefix starts every name instrumentation adds, unless the package
// already uses names that start with it; see Result.
const Prefix = "_gorewriteCover"

// pkgInstr is the state shared by the files of one package.
type pkgInstr struct {
	*Package
	opts   Options
	fset   *token.FileSet
	prefix string
	seen   map[posKey]bool
	// warnings are said once the package is done.
	warnings []string
}

// fileInstr instruments one file.
type fileInstr struct {
	pkg   *pkgInstr
	fset  *token.FileSet
	tf    *token.File
	name  string
	src   []byte
	file  *ast.File
	index int // of the file's counter arrays

	edits    []textInsert
	blocks   []Block
	branches []Branch

	needRuntime bool
	test        bool // a _test.go file
}

type textInsert struct {
	start, end int
	text       string
}

// Instrument adds probes to the files of pkg. It reads no files: what it
// needs is in pkg.
func Instrument(pkg *Package, opts Options) (*Result, error) {
	if opts.Mode == "" {
		opts.Mode = Set
	}
	if opts.RuntimePath == "" {
		return nil, fmt.Errorf("cover: no runtime import path")
	}
	p := &pkgInstr{
		Package: pkg,
		opts:    opts,
		fset:    token.NewFileSet(),
		seen:    map[posKey]bool{},
	}
	res := &Result{Changed: map[string][]byte{}, Skipped: map[string]string{}, originals: map[string][]byte{}}

	var files, tests []*fileInstr
	parse := func(s Source) *fileInstr {
		f, err := parser.ParseFile(p.fset, s.Name, s.Src, parser.ParseComments)
		if err != nil {
			res.Errs = append(res.Errs, syntaxError(s.Name, err))
			return nil
		}
		return &fileInstr{pkg: p, fset: p.fset, tf: p.fset.File(f.Pos()), name: s.Name, src: s.Src, file: f}
	}
	for _, s := range pkg.Files {
		if fi := parse(s); fi != nil {
			files = append(files, fi)
		}
	}
	for _, s := range pkg.TestFiles {
		if fi := parse(s); fi != nil {
			fi.test = true
			tests = append(tests, fi)
		}
	}
	if len(res.Errs) > 0 && len(files) == 0 {
		return res, nil
	}
	p.prefix = p.freePrefix(append(slices.Clone(files), tests...))

	var inject Injector
	if opts.Inject != nil && !pkg.NoProbes {
		inject = opts.Inject(pkg)
	}
	injectInto := func(fi *fileInstr) {
		if inject == nil {
			return
		}
		in := &InjectFile{Fset: p.fset, File: fi.file, Name: fi.name, Src: fi.src, Test: fi.test, Runtime: p.runtimeName(), RuntimePath: opts.RuntimePath}
		if len(fi.branches) > 0 {
			in.Branches = p.branchName(fi.index)
		}
		edits := inject.Inject(in)
		for _, e := range edits {
			fi.replace(e.Start, e.End, e.Text)
		}
		if len(edits) > 0 && !in.OwnImports {
			fi.needRuntime = true
		}
	}
	var probed []*fileInstr
	for _, fi := range files {
		injected := false
		switch {
		case pkg.Embedded[fi.name]:
			res.Skipped[fi.name] = "embedded by a //go:embed directive (probes would change what is embedded)"
			continue
		case pkg.NoProbes:
		case !opts.IncludeGenerated && ast.IsGenerated(fi.file):
			res.Skipped[fi.name] = "generated file"
		case fileIgnored(fi.file):
			res.Skipped[fi.name] = "//gorewrite:ignore at the top of the file"
		case opts.NoCounters:
			injected = true
		default:
			fi.index = len(probed)
			probed = append(probed, fi)
			ast.Walk(&blockWalker{fi: fi}, fi.file)
			if opts.Branch {
				fi.addBranches()
			}
			res.Blocks = append(res.Blocks, fi.blocks...)
			res.Branches = append(res.Branches, fi.branches...)
			injected = true
		}
		// Exits are hooked in every file, probed or not, so that the
		// program writes its profile however it ends.
		fi.hookExits()
		if injected {
			// After main's deferred flush, so that its own exit hook
			// runs (and is written) first.
			injectInto(fi)
		}
		if out := fi.output(); out != nil {
			res.Changed[fi.name] = out
			res.originals[fi.name] = fi.src
		}
	}
	if !pkg.NoProbes && !opts.NoCounters {
		res.Added = append(res.Added, Source{
			Name: p.freeFileName(filepath.Join(pkg.Dir, "gorewrite_cover.go"), files, tests),
			Src:  p.countersFile(probed),
		})
	}
	defer func() { res.Warnings = append(res.Warnings, p.warnings...) }()
	if len(tests) > 0 {
		hasMain := false
		for _, fi := range tests {
			if pkg.Embedded[fi.name] {
				continue
			}
			if fi.wrapTestMain() {
				hasMain = true
			}
			fi.hookExits()
			injectInto(fi)
			if out := fi.output(); out != nil {
				res.Changed[fi.name] = out
				res.originals[fi.name] = fi.src
			}
		}
		// A package of tests only (integration tests, say) may have
		// external test files only: the added file is one of them.
		name := p.Name
		if len(files) == 0 {
			name = tests[0].file.Name.Name
		}
		res.Added = append(res.Added, Source{
			Name: p.freeFileName(filepath.Join(pkg.Dir, "gorewrite_cover_test.go"), files, tests),
			Src:  p.testFile(name, !hasMain),
		})
	}
	if inject != nil && len(files) > 0 {
		if src := inject.Added(p.Name, p.runtimeName(), opts.RuntimePath); src != nil {
			res.Added = append(res.Added, Source{
				Name: p.freeFileName(filepath.Join(pkg.Dir, "gorewrite_trace.go"), files, tests),
				Src:  src,
			})
		}
	}
	return res, nil
}

func syntaxError(name string, err error) error {
	if list, ok := err.(scanner.ErrorList); ok && len(list) > 0 {
		return list[0]
	}
	return fmt.Errorf("%s: %v", name, err)
}

// freePrefix returns Prefix, or Prefix with a number, such that no
// identifier of the package (or its tests) starts with it: every name the
// probes use is then free at every place they are used.
func (p *pkgInstr) freePrefix(files []*fileInstr) string {
	var names []string
	for _, fi := range files {
		ast.Inspect(fi.file, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && strings.HasPrefix(id.Name, Prefix) {
				names = append(names, id.Name)
			}
			return true
		})
	}
	for i := 0; ; i++ {
		prefix := Prefix
		if i > 0 {
			prefix = fmt.Sprintf("%s%d_", Prefix, i)
		}
		if !slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, prefix) }) {
			return prefix
		}
	}
}

// freeFileName returns name, or name with a number before .go, such that no
// file of the package has it.
func (p *pkgInstr) freeFileName(name string, lists ...[]*fileInstr) string {
	taken := map[string]bool{}
	for _, l := range lists {
		for _, fi := range l {
			taken[filepath.Base(fi.name)] = true
		}
	}
	for _, s := range p.Files {
		taken[filepath.Base(s.Name)] = true
	}
	for _, s := range p.TestFiles {
		taken[filepath.Base(s.Name)] = true
	}
	base, test := strings.TrimSuffix(filepath.Base(name), ".go"), false
	if strings.HasSuffix(base, "_test") {
		base, test = strings.TrimSuffix(base, "_test"), true
	}
	for i := 0; ; i++ {
		n := base
		if i > 0 {
			n = fmt.Sprintf("%s%d", base, i)
		}
		if test {
			n += "_test"
		}
		if !taken[n+".go"] {
			return filepath.Join(filepath.Dir(name), n+".go")
		}
	}
}

// ignoreDirective marks a function or file that gets no probes.
const ignoreDirective = "//gorewrite:ignore"

func hasIgnore(groups ...*ast.CommentGroup) bool {
	for _, g := range groups {
		if g == nil {
			continue
		}
		for _, c := range g.List {
			if c.Text == ignoreDirective || strings.HasPrefix(c.Text, ignoreDirective+" ") {
				return true
			}
		}
	}
	return false
}

// fileIgnored reports whether a //gorewrite:ignore comment comes before
// the package clause.
func fileIgnored(f *ast.File) bool {
	for _, g := range f.Comments {
		if g.Pos() >= f.Package {
			break
		}
		if hasIgnore(g) {
			return true
		}
	}
	return false
}

// ignored reports whether fn carries //gorewrite:ignore in its doc comment.
func (fi *fileInstr) ignored(fn *ast.FuncDecl) bool {
	return hasIgnore(fn.Doc)
}

func (fi *fileInstr) offset(pos token.Pos) int { return fi.tf.Offset(pos) }

func (fi *fileInstr) insert(off int, text string) {
	fi.edits = append(fi.edits, textInsert{off, off, text})
}

// insertExpr inserts text that starts with a name before an expression,
// with a space when the byte before is part of a word ("if!x" must not
// become "if_name(!x").
func (fi *fileInstr) insertExpr(off int, text string) {
	if off > 0 {
		if c := fi.src[off-1]; c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 {
			text = " " + text
		}
	}
	fi.insert(off, text)
}

func (fi *fileInstr) replace(start, end int, text string) {
	fi.edits = append(fi.edits, textInsert{start, end, text})
}

// counterName is the name of file i's counter array.
func (p *pkgInstr) counterName(i int) string { return fmt.Sprintf("%sC%d", p.prefix, i) }

// probe is the statement that counts block i of the file.
func (fi *fileInstr) probe(i int) string {
	c := fmt.Sprintf("%s[%d]", fi.pkg.counterName(fi.index), i)
	switch fi.pkg.opts.Mode {
	case Count:
		return c + "++"
	case Atomic:
		return fmt.Sprintf("%sInc(&%s)", fi.pkg.prefix, c)
	}
	return c + " = 1"
}

// runtimeName is the name the runtime package is imported as.
func (p *pkgInstr) runtimeName() string { return p.prefix + "RT" }

// output applies the insertions; nil when there are none. Insertions at the
// same offset keep the order they were made in.
func (fi *fileInstr) output() []byte {
	render := fi.pkg.opts.Render
	if fi.test {
		render = nil
	}
	if len(fi.edits) == 0 && render == nil {
		return nil
	}
	if fi.needRuntime {
		// On the package clause's line, so no line moves.
		fi.insert(fi.offset(fi.file.Name.End()), fmt.Sprintf("; import %s %q", fi.pkg.runtimeName(), fi.pkg.opts.RuntimePath))
		fi.needRuntime = false
	}
	edits := slices.Clone(fi.edits)
	slices.SortStableFunc(edits, func(a, b textInsert) int {
		if a.start != b.start {
			return a.start - b.start
		}
		// An insertion goes before a replacement starting at its offset.
		return (a.end - a.start) - (b.end - b.start)
	})
	if render != nil {
		out := make([]Edit, len(edits))
		for i, e := range edits {
			out[i] = Edit{e.start, e.end, e.text}
		}
		if data := render(fi.name, fi.src, out); !bytes.Equal(data, fi.src) {
			return data
		}
		return nil
	}
	var b strings.Builder
	b.Grow(len(fi.src) + len(edits)*24)
	last := 0
	for _, e := range edits {
		if e.start < last {
			panic(fmt.Sprintf("cover: overlapping edits in %s at offset %d", fi.name, e.start))
		}
		b.Write(fi.src[last:e.start])
		b.WriteString(e.text)
		last = e.end
	}
	b.Write(fi.src[last:])
	return []byte(b.String())
}
