package cmd

import (
	"context"
	"errors"
	"fmt"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/gocmd"
	"github.com/gorewrite/gorewrite/rewrite/stub"
	"github.com/spf13/cobra"
	"golang.org/x/mod/modfile"
)

type stubFlags struct {
	only, exclude     string
	exported, all     bool
	diff, list, write bool
	force             []string
	compare           string
	parallel, fuzz    bool
	template          string
	tags              []string
	workers           int

	// --record, --record-from, --max-cases, --no-check; go test flags
	// after --.
	record     bool
	recordFrom []string
	overlay    string
	maxCases   int
	noCheck    bool
	goFlags    []string
}

func (a *app) stubCommand() *cobra.Command {
	var f stubFlags
	c := &cobra.Command{
		Use:   "stub [flags] [packages|files]",
		Short: "Write table-driven test skeletons for functions that have no test",
		Long: `Stub writes a table-driven test for each function and method that has none:
a table of cases (name, the parameters, want... per result, wantErr for a
trailing error) with a TODO where the cases go, a t.Run loop, the call, and
the checks. With no cases the test passes, so adding stubs never turns a
green suite red; the code compiles and passes go vet.

Which functions: by default those no test file of the package mentions yet;
--all takes every function and method (a test that exists by name is still
never duplicated: --force NAME regenerates one, by test name or as Foo or
T.Method). --only and --exclude match function names and Type.Method;
--exported keeps exported functions and methods of exported types. init,
main, blank functions and generated files are skipped.

Names: TestFoo, Test_foo for unexported functions, TestT_Method,
Test_t_Method; a name something else in the package has gets a number
(TestFoo2). Receivers come from a constructor in the package (NewT
returning T, *T, or either with an error), else a zero value;
context.Context parameters get t.Context() (context.Background() before
Go 1.24); io.Writer parameters a bytes.Buffer with a want string; generic
functions are instantiated with the first type each constraint allows
(its first union term, else int, string, float64, bool, []byte or a type
of the package). Results are compared with reflect.DeepEqual, or with
go-cmp's cmp.Diff when the module requires github.com/google/go-cmp
(--compare overrides); generated code never imports a module the module
does not require.

Files: tests for x.go go into x_test.go (created with x.go's copyright
header and build constraints when missing), appended after what is there:
an existing file only gains code at its end and imports. A file in package
p_test gets only tests that need nothing unexported; the others go into
x_internal_test.go. New files follow the package's tests: external when all
its test files are (or when run by go:generate from such a file).

Output as gofmt: the new or changed test files (several in txtar form:
"-- name --" lines), -d a diff, -l their names, -w writes them (they
combine, as in gofmt). Functions that cannot get a test (no type arguments
satisfy their constraints, a cgo type) are reported on stderr and skipped,
as is a package without tests that calls flag.Parse at init: its test
binary would exit before any test ran.

From go:generate: //go:generate gorewrite stub -w $GOFILE. With no
arguments, $GOFILE is used when set, else the package in the current
directory.

Recorded cases: --record runs the packages' tests (twice, with any go test
flags after --) with a recorder added through a build overlay (your files
are not written), records each call of the packages' functions with results
(receiver and arguments at entry, results at exit, deep-copied as Go
literals), and writes the calls as rows of the functions' tables:
characterization tests, which pin down what the code does today. Only
functions with recorded calls get tests; a table gorewrite wrote gets the
rows it lacks, a test a person wrote stays as it is and the rows go into
TestFoo_recorded. Rows are named "recorded N"; an error is checked by
message (wantErrMsg). A call is kept only when both runs made it with the
same inputs and got the same results (no clock, randomness or map order);
--max-cases caps the rows per function (short inputs, then new results,
first). Before anything is printed or written, the tests run (twice, in an
overlay): a row that fails on its own (it depended on state the recording's
test set up) or does not compile is dropped and reported (--no-check skips
this). Functions whose calls cannot be written are reported with the
reason: channels, funcs, other packages' unexported fields (a
strings.Reader), cycles, io.Writer output, type parameters.

--record-overlay DIR writes the recorder as an overlay for any go build;
run the binary with GOREWRITE_RECORD=FILE, then --record-from FILE
(repeatable: each log counts as a run).`,
		Example: `  gorewrite stub -d ./...
  gorewrite stub -w --all --only '^Parse' ./parser
  gorewrite stub -w --fuzz --parallel codec.go
  gorewrite stub -w --force TestParse ./parser
  gorewrite stub --record -w ./...
  gorewrite stub --record --max-cases 5 -d ./parser -- -run TestParse`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if dash := cmd.ArgsLenAtDash(); dash >= 0 {
				args, f.goFlags = args[:dash], args[dash:]
			}
			return a.runStub(cmd.Context(), &f, args)
		},
	}
	fl := c.Flags()
	fl.StringVar(&f.only, "only", "", "only functions whose name or Type.Method matches this regular expression")
	fl.StringVar(&f.exclude, "exclude", "", "leave out functions whose name or Type.Method matches this regular expression")
	fl.BoolVar(&f.exported, "exported", false, "only exported functions and methods of exported types")
	fl.BoolVar(&f.all, "all", false, "every function, not only those no test mentions yet")
	fl.BoolVarP(&f.diff, "diff", "d", false, "print a unified diff of each new or changed test file")
	fl.BoolVarP(&f.list, "list", "l", false, "print the names of the test files that would change")
	fl.BoolVarP(&f.write, "write", "w", false, "write the test files (atomically; existing content is kept)")
	fl.StringArrayVar(&f.force, "force", nil, "regenerate this test even though it exists (a test name, Foo or T.Method; repeatable)")
	fl.StringVar(&f.compare, "compare", "", `compare results with "reflect" (reflect.DeepEqual) or "cmp" (cmp.Diff); default cmp when the module requires go-cmp`)
	fl.BoolVar(&f.parallel, "parallel", false, "call t.Parallel() in tests and subtests")
	fl.BoolVar(&f.fuzz, "fuzz", false, "also write FuzzXxx targets for functions taking only strings, []byte, numbers and bools")
	fl.StringVar(&f.template, "template", "default", "the test template: default, testify, or a directory holding test.tmpl (and fuzz.tmpl)")
	fl.StringSliceVar(&f.tags, "tags", nil, "comma-separated build tags, as for go build -tags")
	fl.IntVar(&f.workers, "workers", 0, "packages loaded at once (default GOMAXPROCS)")
	fl.BoolVar(&f.record, "record", false, "run the tests, record the calls they make, and write them as rows of the functions' tables")
	fl.StringArrayVar(&f.recordFrom, "record-from", nil, "read recorded calls from this log (GOREWRITE_RECORD of a binary built with gorewrite stub --record-overlay; repeatable, each a run)")
	fl.StringVar(&f.overlay, "record-overlay", "", "only add the recorder's hooks: write the files and DIR/overlay.json for go build -overlay, for --record-from")
	fl.IntVar(&f.maxCases, "max-cases", stub.DefaultMaxCases, "recorded rows per function at most")
	fl.BoolVar(&f.noCheck, "no-check", false, "write recorded rows without first running them")
	return c
}

func (a *app) runStub(ctx context.Context, f *stubFlags, args []string) error {
	opts, err := f.options()
	if err != nil {
		return err
	}
	patterns, files, err := a.stubPatterns(args)
	if err != nil {
		return err
	}
	opts.Files = files
	if f.overlay != "" {
		return a.recordOverlay(ctx, f, patterns)
	}
	if f.record || len(f.recordFrom) > 0 {
		if opts.Recorded, err = a.recordCalls(ctx, f, patterns); err != nil {
			return err
		}
		opts.MaxCases = f.maxCases
	}
	// go:generate runs the command in the package's directory with
	// $GOFILE and $GOPACKAGE set.
	opts.PreferExternal = strings.HasSuffix(os.Getenv("GOPACKAGE"), "_test")

	var collected stub.Collector
	failed := 0
	// Directories with errors: true when some error is outside test files.
	badDirs := make(map[string]bool)
	type loadErr struct {
		err error
		dir string
	}
	var errs []loadErr
	cfg := rewrite.Config{Dir: a.dir, Tags: f.tags, Tests: true, Workers: f.workers}
	err = rewrite.Run(ctx, cfg, []*rewrite.Rule{collected.Rule()}, patterns, func(r *rewrite.FileResult) error {
		for _, err := range r.Errs {
			var pe *rewrite.Error
			name := r.Filename
			if errors.As(err, &pe) && pe.Pos.Filename != "" {
				name = pe.Pos.Filename
			}
			if name == "" {
				errs = append(errs, loadErr{err, ""})
				continue
			}
			if !filepath.IsAbs(name) {
				name = filepath.Join(a.dir, name)
			}
			dir := filepath.Dir(name)
			badDirs[dir] = badDirs[dir] || !strings.HasSuffix(name, "_test.go")
			errs = append(errs, loadErr{err, dir})
		}
		return nil
	})
	if err != nil {
		return err
	}
	// A package whose only errors are in its test files may still have
	// tests regenerated by --force: the old test of a changed function is
	// the usual culprit. Its errors are printed, as warnings.
	degraded := make(map[string]bool)
	var degradedDirs []string // in order
	for _, pkg := range collected.Packages() {
		if outside, bad := badDirs[pkg.Dir]; bad && !outside && len(f.force) > 0 {
			degraded[pkg.Dir] = true
			degradedDirs = append(degradedDirs, pkg.Dir)
		}
	}
	for _, e := range errs {
		a.printError(e.err)
		if !degraded[e.dir] {
			failed++
		}
	}
	for _, dir := range degradedDirs {
		fmt.Fprintf(a.stderr, "gorewrite: %s: tests do not type-check; regenerating only the tests --force names\n", rewrite.RelPath(a.dir, dir))
	}

	// The packages to generate for, with their options.
	type unit struct {
		pkg *stub.Package
		po  stub.Options
	}
	var units []unit
	mods := make(map[string]*moduleInfo)
	for _, pkg := range collected.Packages() {
		po := opts
		if _, bad := badDirs[pkg.Dir]; bad {
			if !degraded[pkg.Dir] {
				continue // reported: nothing is written for a package with errors
			}
			po.OnlyForced = true
		}
		if err := addUnloadedTests(pkg); err != nil {
			a.printError(err)
			failed++
			continue
		}
		if err := a.moduleOptions(ctx, f, findModule(mods, pkg.Dir), pkg, &po); err != nil {
			fmt.Fprintf(a.stderr, "gorewrite: %s: %v\n", rewrite.RelPath(a.dir, pkg.Dir), err)
			failed++
			continue
		}
		units = append(units, unit{pkg, po})
	}
	forceUsed := make(map[string]bool)
	// generate writes the tests of every package, leaving out the
	// recorded rows drop names; report prints what was skipped.
	generate := func(drop map[string]bool, report bool) ([]*stub.FileOut, int, error) {
		var outs []*stub.FileOut
		failed := 0
		for _, u := range units {
			if err := ctx.Err(); err != nil {
				return nil, 0, err
			}
			po := u.po
			po.Drop = drop
			res := stub.Generate(ctx, u.pkg, po)
			outs = append(outs, res.Files...)
			if !report {
				continue
			}
			for _, s := range res.Skipped {
				s.Pos.Filename = rewrite.RelPath(a.dir, s.Pos.Filename)
				fmt.Fprintf(a.stderr, "%s: %s: no test: %s\n", s.Pos, s.Func, s.Reason)
			}
			for _, err := range res.Errs {
				a.printError(err)
				failed++
			}
			for _, e := range res.Forced {
				forceUsed[e] = true
			}
		}
		return outs, failed, nil
	}
	var outs []*stub.FileOut
	var n int
	if opts.Recorded != nil && !f.noCheck {
		outs, n, err = a.checkRecorded(ctx, f, generate)
	} else {
		outs, n, err = generate(nil, true)
	}
	if err != nil {
		return err
	}
	failed += n
	for _, e := range f.force {
		if !forceUsed[e] {
			fmt.Fprintf(a.stderr, "gorewrite: --force %s: no such test or function in the packages\n", e)
			failed++
		}
	}
	slices.SortFunc(outs, func(x, y *stub.FileOut) int { return strings.Compare(x.Name, y.Name) })
	n, err = a.emitStubs(ctx, f, outs)
	if err != nil {
		return err
	}
	if failed+n > 0 {
		return errFailed
	}
	return nil
}

// options turns the flags into stub options, the module-dependent ones
// aside.
func (f *stubFlags) options() (stub.Options, error) {
	var opts stub.Options
	var err error
	if f.only != "" {
		if opts.Only, err = regexp.Compile(f.only); err != nil {
			return opts, usagef("--only: %v", err)
		}
	}
	if f.exclude != "" {
		if opts.Exclude, err = regexp.Compile(f.exclude); err != nil {
			return opts, usagef("--exclude: %v", err)
		}
	}
	switch {
	case f.compare != "" && f.compare != "reflect" && f.compare != "cmp":
		return opts, usagef(`--compare takes "reflect" or "cmp", not %q`, f.compare)
	case f.workers < 0:
		return opts, usagef("--workers must be positive")
	case f.record && len(f.recordFrom) > 0, f.overlay != "" && (f.record || len(f.recordFrom) > 0):
		return opts, usagef("--record runs the tests, --record-from reads logs, --record-overlay writes an overlay: one of them")
	case f.overlay != "" && (f.diff || f.list || f.write):
		return opts, usagef("--record-overlay writes only the overlay: no -d, -l or -w")
	case len(f.goFlags) > 0 && !f.record:
		return opts, usagef("go test flags after -- go with --record")
	case f.maxCases < 1:
		return opts, usagef("--max-cases must be at least 1")
	case (f.noCheck || f.maxCases != stub.DefaultMaxCases) && !f.record && len(f.recordFrom) == 0:
		return opts, usagef("--max-cases and --no-check go with --record or --record-from")
	}
	if opts.Templates, err = stub.LoadTemplates(f.template); err != nil {
		return opts, usageError{err}
	}
	opts.Exported, opts.All, opts.Force = f.exported, f.all, f.force
	opts.Parallel, opts.Fuzz = f.parallel, f.fuzz
	opts.Exists = func(name string) bool {
		_, err := os.Lstat(name)
		return err == nil
	}
	return opts, nil
}

// stubPatterns turns the arguments into package patterns for the load
// and, for Go files, the files whose functions get tests (a test file
// stands for its whole package). With none, $GOFILE is the argument when
// go generate runs the command, the current directory's package otherwise.
func (a *app) stubPatterns(args []string) (patterns, files []string, err error) {
	if len(args) == 0 {
		if gofile := os.Getenv("GOFILE"); gofile != "" {
			args = []string{gofile}
		} else {
			args = []string{"."}
		}
	}
	if err := a.checkDirs(args); err != nil {
		return nil, nil, err
	}
	for _, arg := range args {
		if strings.TrimSpace(arg) == "" {
			return nil, nil, usagef("empty argument: name packages or files")
		}
		if !strings.HasSuffix(arg, ".go") {
			patterns = append(patterns, arg)
			continue
		}
		name := arg
		if !filepath.IsAbs(name) {
			name = filepath.Join(a.dir, name)
		}
		fi, err := os.Stat(name)
		if err != nil {
			a.printError(&rewrite.Error{Pos: token.Position{Filename: name}, Msg: strings.TrimPrefix(err.Error(), "stat "+name+": ")})
			return nil, nil, errFailed
		}
		if fi.IsDir() {
			patterns = append(patterns, arg)
			continue
		}
		if !strings.HasSuffix(name, "_test.go") {
			files = append(files, name)
			if real, err := filepath.EvalSymlinks(name); err == nil && real != name {
				files = append(files, real) // go list may report either
			}
		}
		patterns = append(patterns, filepath.Dir(name))
	}
	slices.Sort(patterns)
	return slices.Compact(patterns), files, nil
}

// moduleOptions sets what depends on the package's module: what it may
// import and how results are compared. It refuses a template or --compare
// whose package the module lacks, or which would import the package under
// test itself.
func (a *app) moduleOptions(ctx context.Context, f *stubFlags, mod *moduleInfo, pkg *stub.Package, po *stub.Options) error {
	const testify, gocmp = "github.com/stretchr/testify", "github.com/google/go-cmp"
	if f.template == "testify" {
		if !mod.requires(testify + "/assert") {
			return fmt.Errorf("--template testify: the module does not require %s (go get it first)", testify)
		}
		if mod.cycles(ctx, pkg.Dir, pkg.Path, testify+"/assert", testify+"/require") {
			return errors.New("--template testify: testify imports this package, so its tests cannot import testify (an import cycle)")
		}
	}
	if f.compare == "cmp" && !mod.requires(gocmp+"/cmp") {
		return fmt.Errorf("--compare cmp: the module does not require %s (go get it first)", gocmp)
	}
	po.Requires = mod.requires
	switch {
	case f.compare != "":
		po.Compare = f.compare
	case mod.direct(gocmp, gocmp+"/cmp"):
		po.Compare = "cmp"
	default:
		po.Compare = "reflect"
	}
	if po.Compare == "cmp" && mod.cycles(ctx, pkg.Dir, pkg.Path, gocmp+"/cmp") {
		if f.compare == "cmp" {
			return errors.New("--compare cmp: go-cmp imports this package, so its tests cannot import go-cmp (an import cycle)")
		}
		po.Compare = "reflect"
	}
	return nil
}

// emitStubs prints or writes the test files as the output flags say, and
// returns how many could not be written.
func (a *app) emitStubs(ctx context.Context, f *stubFlags, outs []*stub.FileOut) (failed int, err error) {
	for _, o := range outs {
		rel := rewrite.OutputPath(a.dir, o.Name)
		if f.list {
			fmt.Fprintln(a.stdout, rel)
		}
		if f.diff {
			d := rewrite.UnifiedDiff(rel, o.Old, o.New)
			if o.Created {
				// git apply reads a new file's diff from /dev/null.
				d = "--- /dev/null\n" + d[strings.Index(d, "\n")+1:]
			}
			io.WriteString(a.stdout, d)
		}
		if f.write {
			if err := ctx.Err(); err != nil {
				return failed, err // interrupted: write nothing more
			}
			var err error
			if o.Created {
				err = createFile(o.Name, o.New)
			} else {
				err = rewrite.WriteFile(o.Name, o.Old, o.New)
			}
			if err != nil {
				a.printError(rewrite.WriteError(o.Name, err))
				failed++
			}
		}
		if !f.list && !f.diff && !f.write {
			if len(outs) > 1 {
				fmt.Fprintf(a.stdout, "-- %s --\n", rel)
			}
			a.stdout.Write(o.New)
		}
	}
	return failed, nil
}

// addUnloadedTests adds to pkg, as syntax, the test files of its
// directory the load left out: excluded by build constraints, or part of
// test packages that do not type-check. Their names then count: no test
// is added that one of them declares.
func addUnloadedTests(pkg *stub.Package) error {
	entries, err := os.ReadDir(pkg.Dir)
	if err != nil {
		return err
	}
	loaded := make(map[string]bool)
	for _, f := range pkg.Files {
		loaded[filepath.Base(f.Name)] = true
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, "_test.go") || loaded[name] || !e.Type().IsRegular() {
			continue
		}
		path := filepath.Join(pkg.Dir, name)
		src, err := os.ReadFile(path)
		if err != nil {
			return &rewrite.Error{Pos: token.Position{Filename: path}, Msg: err.Error()}
		}
		if err := pkg.AddUnchecked(path, src); err != nil {
			return fmt.Errorf("%v", err) // a syntax error, with its position
		}
	}
	return nil
}

// createFile writes a new file atomically and only if there is none of
// that name yet: the content goes to a temporary file that is then linked
// to the name, which fails if the name exists.
func createFile(name string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".gorewrite-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), name); err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("exists now but did not when the package was loaded; not written")
		}
		return err
	}
	return nil
}

// moduleInfo is what stub needs of a go.mod: which modules it requires.
type moduleInfo struct {
	path    string
	require map[string]bool            // module path -> direct (not // indirect)
	vendor  map[string]bool            // packages in vendor/modules.txt, nil without vendor/
	deps    map[string]map[string]bool // import paths -> what they import, all the way down
}

// requires reports whether an import path is in the module or in a module
// it requires (go get adds a module as // indirect until code imports it).
func (m *moduleInfo) requires(path string) bool {
	if m.path != "" && (path == m.path || strings.HasPrefix(path, m.path+"/")) {
		return true
	}
	if m.vendor != nil {
		// Vendor mode builds from vendor/ alone: a package must be there.
		return m.vendor[path]
	}
	for mod := range m.require {
		if path == mod || strings.HasPrefix(path, mod+"/") {
			return true
		}
	}
	return false
}

// cycles reports whether importing paths from a test of the package at
// pkgPath would make an import cycle: they import it, as testify imports
// gopkg.in/yaml.v3. The go command's answer is cached per module.
func (m *moduleInfo) cycles(ctx context.Context, dir, pkgPath string, paths ...string) bool {
	key := strings.Join(paths, " ")
	if m.deps == nil {
		m.deps = make(map[string]map[string]bool)
	}
	deps, ok := m.deps[key]
	if !ok {
		deps = make(map[string]bool)
		// -mod=mod is run as -mod=readonly: go.mod and go.sum are never updated.
		args := append(append([]string{"list", "-deps", "-f", "{{.ImportPath}}"}, gocmd.Flags(nil, nil)...), paths...)
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir = dir
		if out, err := cmd.Output(); err == nil {
			for _, l := range strings.Fields(string(out)) {
				deps[l] = true
			}
		}
		m.deps[key] = deps
	}
	return deps[pkgPath]
}

// direct reports whether the module requires mod directly and, in vendor
// mode, has pkg (a package of mod) vendored.
func (m *moduleInfo) direct(mod, pkg string) bool {
	return m.require[mod] && (m.vendor == nil || m.vendor[pkg])
}

// vendored returns the packages listed in the module's vendor/modules.txt
// when the go command builds in vendor mode (a vendor directory and go 1.14
// or later; -mod flags in GOFLAGS aside), else nil.
func vendored(dir string, mf *modfile.File) map[string]bool {
	data, err := os.ReadFile(filepath.Join(dir, "vendor", "modules.txt"))
	if err != nil || mf.Go == nil || semverLess(mf.Go.Version, "1.14") {
		return nil
	}
	if flags := os.Getenv("GOFLAGS"); strings.Contains(flags, "-mod=mod") || strings.Contains(flags, "-mod=readonly") {
		return nil
	}
	pkgs := make(map[string]bool)
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			pkgs[l] = true
		}
	}
	return pkgs
}

// semverLess compares go versions like "1.21" and "1.21.3".
func semverLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		x, _ := strconv.Atoi(pa[i])
		y, _ := strconv.Atoi(pb[i])
		if x != y {
			return x < y
		}
	}
	return len(pa) < len(pb)
}

// findModule reads the go.mod governing dir (cached by go.mod directory).
func findModule(cache map[string]*moduleInfo, dir string) *moduleInfo {
	for d := dir; ; d = filepath.Dir(d) {
		if m, ok := cache[d]; ok {
			return m
		}
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil {
			m := &moduleInfo{require: make(map[string]bool)}
			if mf, err := modfile.ParseLax(filepath.Join(d, "go.mod"), data, nil); err == nil {
				if mf.Module != nil {
					m.path = mf.Module.Mod.Path
				}
				for _, r := range mf.Require {
					m.require[r.Mod.Path] = !r.Indirect
				}
				m.vendor = vendored(d, mf)
			}
			cache[d] = m
			return m
		}
		if filepath.Dir(d) == d {
			m := &moduleInfo{require: map[string]bool{}}
			cache[dir] = m
			return m
		}
	}
}
