package cover

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"go/token"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorewrite/gorewrite/rewrite/gocmd"
	"github.com/gorewrite/gorewrite/rewrite/internal/proc"
)

//go:embed coverrt/coverrt.go coverrt/alive.go coverrt/alive_plan9.go coverrt/trace.go coverrt/linkname.go
//go:embed coverrt/g_asm.go coverrt/g_other.go coverrt/g_amd64.s coverrt/g_arm64.s coverrt/race.go coverrt/norace.go
//go:embed coverrt/publish_tso.go coverrt/publish_other.go
//go:embed coverrt/literal/literal.go coverrt/literal/unsafe.go coverrt/literal/recorder.go
var runtimeFS embed.FS

// LiteralPackage is the import path, relative to the runtime package's,
// of the recorder of gorewrite stub --record, which test binaries import
// when calls are recorded.
const LiteralPackage = "literal"

// runtimeFiles returns the files of the runtime module, by slash-separated
// name relative to its directory (the runtime package probes report to,
// and the recorder in literal/), in order.
func runtimeFiles() ([]string, map[string][]byte) {
	files := map[string][]byte{}
	var names []string
	fs.WalkDir(runtimeFS, "coverrt", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := runtimeFS.ReadFile(name)
		rel := strings.TrimPrefix(name, "coverrt/")
		files[rel] = data
		names = append(names, rel)
		return nil
	})
	return names, files
}

// withoutAssembly returns the runtime's files for a build that adds them
// through the overlay only: the assembler cannot read a directory that
// exists only there, so the portable Go versions of the assembly functions
// take their place (the trace then reads goroutine ids the slow way).
func withoutAssembly(files map[string][]byte) map[string][]byte {
	out := map[string][]byte{}
	for name, data := range files {
		switch {
		case strings.HasSuffix(name, ".s"), name == "g_asm.go":
			continue
		case name == "g_other.go":
			// Built everywhere: drop its build constraint.
			if i := bytes.Index(data, []byte("\npackage ")); i >= 0 {
				data = data[i+1:]
			}
		}
		out[name] = data
	}
	return out
}

// RunMarker is coverrt.RunMarker: a GOCOVERDIR holding a file of this
// name is gorewrite's, and instrumented programs write their profiles
// there when no GOREWRITE_COVERPROFILE says otherwise.
const RunMarker = ".gorewrite-cover"

const runMarker = RunMarker

// runtimeIn reports whether dir holds the runtime's files as they are.
func runtimeIn(dir string) bool {
	_, files := runtimeFiles()
	for name, data := range files {
		if got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name))); err != nil || !bytes.Equal(got, data) {
			return false
		}
	}
	return true
}

// The runtime package is a module of its own, written next to the overlay
// and added to the build by an overlaid go.mod (or go.work) that requires it
// and replaces it with that directory: the user's files stay as they are,
// and the package has a real directory, which go vet needs. Its module path
// uses the reserved .invalid domain, so nothing ever fetches it.
const (
	runtimeModule = "gorewrite.invalid/coverrt"
	// inPlaceDir is where -w puts the runtime, as a package of the main
	// module. A directory starting with _ is left out of ./... patterns,
	// so go test ./... and go vet ./... do not list it.
	inPlaceDir = "_gorewrite/coverrt"
)

// Config says what to instrument and how.
type Config struct {
	// Dir is where go commands run; Env their environment (nil: the
	// process's).
	Dir string
	Env []string
	Options
	// Patterns are the packages to test (default ./...); CoverPkg, when
	// set, the packages to instrument, as go test -coverpkg.
	Patterns, CoverPkg []string
	// GoFlags are extra go test (or go list) flags; build flags among them
	// (-tags, -mod, -race...) also decide which files packages have.
	GoFlags []string
	// InPlace puts the runtime into the main module as a package of its
	// own (for -w), instead of beside the overlay.
	InPlace bool
	// Binaries says the instrumented main packages are to be built and
	// run (--overlay, -w): Prepare warns about what the runtime cannot
	// see in them.
	Binaries bool
	// VetOff says the builds will not run go vet (go test -vet=off):
	// then a vendored module works, with the runtime added to it through
	// the overlay.
	VetOff bool
}

// A Plan is an instrumented set of packages, ready to be built: the new
// content of every changed or added file.
type Plan struct {
	Mode Mode
	// Packages are the instrumented packages, sorted by import path.
	Packages []*PlannedPackage
	// Files maps the absolute name of every changed or added file to its
	// content: what an overlay replaces, or what -w writes.
	Files map[string][]byte
	// Originals holds the original content of the changed files.
	Originals map[string][]byte
	// Warnings are packages or files left out, said in a sentence each.
	Warnings []string
	// Errs are files that could not be instrumented.
	Errs []error

	// modFile is the go.mod or go.work file an overlay extends with the
	// runtime module; empty with InPlace.
	modFile string
	work    bool
}

// A PlannedPackage is one instrumented package.
type PlannedPackage struct {
	ImportPath string
	Dir        string
	Blocks     []Block
	Branches   []Branch
	Tested     bool
}

// Blocks returns the blocks of every instrumented package.
func (p *Plan) Blocks() []Block {
	var out []Block
	for _, pp := range p.Packages {
		out = append(out, pp.Blocks...)
	}
	return out
}

// Branches returns the branch sites of every instrumented package.
func (p *Plan) Branches() []Branch {
	var out []Branch
	for _, pp := range p.Packages {
		out = append(out, pp.Branches...)
	}
	return out
}

func (c *Config) env() []string {
	if c.Env != nil {
		return c.Env
	}
	return os.Environ()
}

// listFlags returns the flags of go list and go/packages: those of GoFlags
// that choose files, and -mod=readonly for -mod=mod (go.mod and go.sum are
// never updated).
func (c *Config) listFlags() []string {
	return gocmd.Flags(c.env(), buildFlags(c.GoFlags))
}

func (c *Config) patterns() []string {
	if len(c.Patterns) == 0 {
		return []string{"./..."}
	}
	return c.Patterns
}

// Prepare lists and instruments the packages.
func Prepare(ctx context.Context, cfg Config) (*Plan, error) {
	flags := buildFlags(cfg.GoFlags)
	tested, err := goList(ctx, cfg.Dir, cfg.env(), flags, cfg.patterns())
	if err != nil {
		return nil, err
	}
	covered := tested
	if len(cfg.CoverPkg) > 0 {
		if covered, err = goList(ctx, cfg.Dir, cfg.env(), flags, cfg.CoverPkg); err != nil {
			return nil, err
		}
	}
	plan := &Plan{Mode: cfg.Mode, Files: map[string][]byte{}, Originals: map[string][]byte{}}
	if plan.Mode == "" {
		plan.Mode = Set
	}
	// Set mode's probes are plain stores: under -race, two goroutines
	// running one block are a data race, which fails the test. Counting
	// atomically says as much (a count above 0 is set), as go test -race
	// -cover does.
	if plan.Mode == Set && raceOn(cfg.env(), cfg.GoFlags) {
		plan.Mode = Atomic
	}

	// The runtime lives in the main module of the first package matched.
	var mod *listedModule
	for _, list := range [][]*listedPackage{covered, tested} {
		for _, p := range list {
			if mod == nil && p.Module != nil && p.Module.Main {
				mod = p.Module
			}
		}
	}
	if mod == nil {
		return nil, errors.New("no package of a main module matched: gorewrite cover instruments packages of the module (or workspace) it runs in")
	}
	opts := cfg.Options
	opts.Mode = plan.Mode
	opts.TestFilter = len(cfg.CoverPkg) == 0
	// A vendored module cannot take the runtime module; when vet does not
	// run (it cannot read a package that exists only in an overlay), the
	// runtime can be a package of the main module, as with -w.
	if cfg.InPlace || (cfg.VetOff && vendored(cfg, mod)) {
		opts.RuntimePath = mod.Path + "/" + inPlaceDir
		_, files := runtimeFiles()
		if !cfg.InPlace {
			files = withoutAssembly(files)
		}
		for name, data := range files {
			plan.Files[filepath.Join(mod.Dir, filepath.FromSlash(inPlaceDir), filepath.FromSlash(name))] = data
		}
	} else {
		opts.RuntimePath = runtimeModule
		if plan.modFile, plan.work, err = modFile(cfg, mod); err != nil {
			return nil, err
		}
	}

	instrument := map[string]bool{}
	var outside []string
	for _, p := range covered {
		switch {
		case p.Error != nil && len(p.GoFiles)+len(p.CgoFiles) == 0:
			// go test reports it.
		case p.Module == nil || !p.Module.Main:
			outside = append(outside, p.ImportPath)
		case len(p.GoFiles)+len(p.CgoFiles) == 0:
		default:
			instrument[p.ImportPath] = true
		}
	}
	if len(outside) > 0 {
		list := strings.Join(outside, ", ")
		if len(outside) > 3 {
			list = fmt.Sprintf("%s and %d more", strings.Join(outside[:3], ", "), len(outside)-3)
		}
		plan.Warnings = append(plan.Warnings, fmt.Sprintf("not instrumented, being outside the main module (or workspace): %s", list))
	}
	testsOf := map[string]bool{}
	// Main packages of the main module get their exits hooked even when
	// they are not measured, so that a binary writes its profile.
	hooked := map[string]bool{}
	embedded := map[string]bool{}
	for _, p := range append(slices.Clone(covered), tested...) {
		for _, list := range [][]string{p.EmbedFiles, p.TestEmbedFiles, p.XTestEmbedFiles} {
			for _, f := range list {
				embedded[filepath.Join(p.Dir, f)] = true
			}
		}
	}
	for _, p := range tested {
		if p.Module == nil || !p.Module.Main {
			continue
		}
		if len(p.TestGoFiles)+len(p.XTestGoFiles) > 0 {
			testsOf[p.ImportPath] = true
		}
		if p.Name == "main" && len(p.GoFiles)+len(p.CgoFiles) > 0 {
			hooked[p.ImportPath] = true
		}
	}
	if cfg.Binaries && len(hooked) > 0 {
		plan.Warnings = append(plan.Warnings, unseenSignalHandlers(ctx, cfg, hooked, instrument)...)
	}
	all := map[string]*listedPackage{}
	for _, p := range append(slices.Clone(covered), tested...) {
		if instrument[p.ImportPath] || testsOf[p.ImportPath] || hooked[p.ImportPath] {
			all[p.ImportPath] = p
		}
	}
	paths := make([]string, 0, len(all))
	for path := range all {
		paths = append(paths, path)
	}
	sort.Strings(paths)

	// TestMains that hand m to a library: which parameters take a runner.
	var calls []mCall
	fset := token.NewFileSet()
	for _, path := range paths {
		if lp := all[path]; testsOf[path] {
			for _, list := range [][]string{lp.TestGoFiles, lp.XTestGoFiles} {
				for _, f := range list {
					name := filepath.Join(lp.Dir, f)
					if src, err := os.ReadFile(name); err == nil && bytes.Contains(src, []byte("TestMain")) {
						calls = append(calls, testMainCalls(fset, name, src)...)
					}
				}
			}
		}
	}
	runners := runnerParams(ctx, cfg, calls)
	var operands map[string]map[[2]int]bool
	if opts.Branch {
		var probed []string
		for _, path := range paths {
			if instrument[path] {
				probed = append(probed, path)
			}
		}
		if operands, err = boolOperands(ctx, cfg, probed); err != nil {
			return nil, err
		}
	}
	results := make([]*Result, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, min(8, len(paths))))
	for i, path := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i], errs[i] = instrumentListed(all[path], i, opts, instrument[path], testsOf[path], embedded, operands, runners)
		}()
	}
	wg.Wait()
	for i, path := range paths {
		if errs[i] != nil {
			return nil, errs[i]
		}
		res, lp := results[i], all[path]
		plan.Errs = append(plan.Errs, res.Errs...)
		for _, name := range sortedNames(res.Skipped) {
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("%s: not instrumented: %s", name, res.Skipped[name]))
		}
		plan.Warnings = append(plan.Warnings, res.Warnings...)
		for name, out := range res.Changed {
			plan.Files[name] = out
		}
		for _, s := range res.Added {
			plan.Files[s.Name] = s.Src
		}
		for name, src := range res.originals {
			plan.Originals[name] = src
		}
		if instrument[path] {
			plan.Packages = append(plan.Packages, &PlannedPackage{
				ImportPath: path, Dir: lp.Dir, Blocks: res.Blocks, Branches: res.Branches, Tested: testsOf[path],
			})
		}
	}
	return plan, nil
}

func sortedNames(m map[string]string) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func instrumentListed(lp *listedPackage, seq int, opts Options, probes, tests bool, embedded map[string]bool, operands map[string]map[[2]int]bool, runners map[string]bool) (*Result, error) {
	files, err := readSources(lp.Dir, lp.GoFiles, lp.CgoFiles)
	if err != nil {
		return nil, err
	}
	pkg := &Package{ImportPath: lp.ImportPath, Name: lp.Name, Dir: lp.Dir, Files: files, NoProbes: !probes,
		Embedded: embedded, BoolOperands: operands, RunnerArgs: runners, Seq: seq}
	if lp.Module != nil {
		pkg.GoVersion = lp.Module.GoVersion
	}
	if tests {
		if pkg.TestFiles, err = readSources(lp.Dir, lp.TestGoFiles, lp.XTestGoFiles); err != nil {
			return nil, err
		}
	}
	return Instrument(pkg, opts)
}

// modFile finds the file that decides the build list: go.work in a
// workspace, the main module's go.mod otherwise. A vendored module cannot
// take the runtime module: it is an error.
func modFile(cfg Config, mod *listedModule) (string, bool, error) {
	if work := goWork(cfg); work != "" {
		return work, true, nil
	}
	goflags := append(strings.Fields(os.Getenv("GOFLAGS")), cfg.GoFlags...)
	if name, ok := flagValue(goflags, "modfile"); ok {
		if !filepath.IsAbs(name) {
			name = filepath.Join(cfg.Dir, name)
		}
		return name, false, nil
	}
	if vendored(cfg, mod) {
		return "", false, fmt.Errorf("%s: the module vendors its dependencies; run with -- -mod=mod, or instrument a copy with -w", mod.Dir)
	}
	return filepath.Join(mod.Dir, "go.mod"), false, nil
}

// vendored reports whether the go command builds the main module from its
// vendor directory: vendor/modules.txt is there and no -mod flag says
// otherwise (nor a workspace).
func vendored(cfg Config, mod *listedModule) bool {
	if goWork(cfg) != "" {
		return false
	}
	goflags := append(strings.Fields(os.Getenv("GOFLAGS")), cfg.GoFlags...)
	_, err := os.Stat(filepath.Join(mod.Dir, "vendor", "modules.txt"))
	return err == nil && !hasFlag(goflags, "mod")
}

// overlayFiles returns every file a build with the plan's probes replaces
// or adds, by absolute name. Changed files start with a //line directive
// naming the original, so that compiler errors and panics point to it
// (probes never move a line). The runtime module is written to rtDir.
func (p *Plan) overlayFiles(rtDir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	for name, data := range p.Files {
		if _, changed := p.Originals[name]; changed {
			// After a byte order mark, which must come first.
			bom := 0
			if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
				bom = 3
			}
			line := "//line " + name + ":1:1\n"
			data = append(append(append(make([]byte, 0, len(data)+len(line)), data[:bom]...), line...), data[bom:]...)
		}
		files[name] = data
	}
	if p.modFile == "" {
		return files, nil
	}
	if !runtimeIn(rtDir) {
		if err := writeRuntime(rtDir); err != nil {
			return nil, err
		}
	}
	old, err := os.ReadFile(p.modFile)
	if err != nil {
		return nil, err
	}
	add := fmt.Sprintf("\nrequire %s v0.0.0\n\nreplace %s => %s\n", runtimeModule, runtimeModule, strconv.Quote(rtDir))
	if p.work {
		add = fmt.Sprintf("\nuse %s\n", strconv.Quote(rtDir))
	}
	files[p.modFile] = append(old[:len(old):len(old)], add...)
	return files, nil
}

// goWork finds the go.work file the go command would use, as it does:
// GOWORK, or the nearest go.work above the directory; "" for none.
func goWork(cfg Config) string {
	work := ""
	for _, kv := range cfg.env() {
		if v, ok := strings.CutPrefix(kv, "GOWORK="); ok {
			work = v
		}
	}
	switch work {
	case "off":
		return ""
	case "":
		for dir := cfg.Dir; ; dir = filepath.Dir(dir) {
			if fi, err := os.Stat(filepath.Join(dir, "go.work")); err == nil && fi.Mode().IsRegular() {
				return filepath.Join(dir, "go.work")
			}
			if filepath.Dir(dir) == dir {
				return ""
			}
		}
	}
	if !filepath.IsAbs(work) {
		work = filepath.Join(cfg.Dir, work)
	}
	return work
}

// WriteOverlay writes the plan's files under dir and an overlay.json that
// maps each to the file it replaces or adds, for go build -overlay. It
// returns the overlay file's name. The runtime module goes to dir/coverrt,
// so that dir is all a later build needs.
func (p *Plan) WriteOverlay(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	return p.writeOverlay(abs, filepath.Join(abs, "coverrt"))
}

// WriteTestOverlay is WriteOverlay for builds that run at once (go test
// -c, say): the runtime module stays in the user's cache, at a path named
// after its content, so that the build cache keeps its compiled packages
// from one run to the next. Only dir needs removing afterwards.
func (p *Plan) WriteTestOverlay(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	rt, err := sharedRuntimeDir()
	if err != nil {
		return "", err
	}
	return p.writeOverlay(abs, rt)
}

// sharedRuntimeDir returns a directory in the user's cache holding the
// runtime module, named after its content. Runs that use it build it at
// the same path every time, so the build cache keeps their compiled
// packages: only the instrumented packages are compiled again.
func sharedRuntimeDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	h := sha256.New()
	h.Write([]byte(runtimeGoMod))
	names, files := runtimeFiles()
	for _, name := range names {
		fmt.Fprintf(h, "%s %d\n", name, len(files[name]))
		h.Write(files[name])
	}
	sum := h.Sum(nil)
	dir := filepath.Join(base, "gorewrite", fmt.Sprintf("coverrt-%x", sum[:8]))
	if runtimeIn(dir) {
		return dir, nil
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o777); err != nil {
		return "", err
	}
	pruneRuntimes(filepath.Dir(dir))
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".coverrt-*")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	if err := writeRuntime(tmp); err != nil {
		return "", err
	}
	os.RemoveAll(dir) // an incomplete one
	if err := os.Rename(tmp, dir); err != nil {
		// Another process made it first.
		if _, serr := os.Stat(filepath.Join(dir, "coverrt.go")); serr != nil {
			return "", err
		}
	}
	return dir, nil
}

// pruneRuntimes removes the runtime directories of other gorewrite versions
// not changed for a month.
func pruneRuntimes(dir string) {
	old, _ := filepath.Glob(filepath.Join(dir, "coverrt-*"))
	for _, d := range old {
		if fi, err := os.Stat(d); err == nil && time.Since(fi.ModTime()) > 30*24*time.Hour {
			os.RemoveAll(d)
		}
	}
}

const runtimeGoMod = "module " + runtimeModule + "\n\ngo 1.16\n"

func writeRuntime(dir string) error {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(runtimeGoMod), 0o666); err != nil {
		return err
	}
	_, files := runtimeFiles()
	for name, data := range files {
		name = filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
			return err
		}
		if err := os.WriteFile(name, data, 0o666); err != nil {
			return err
		}
	}
	return nil
}

func (p *Plan) writeOverlay(abs, rtDir string) (string, error) {
	if err := os.MkdirAll(abs, 0o777); err != nil {
		return "", err
	}
	files, err := p.overlayFiles(rtDir)
	if err != nil {
		return "", err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	replace := map[string]string{}
	// The replacements go in a directory whose name starts with _, so
	// that go build ./... does not take it for a package, should DIR be
	// inside the module (they keep .go: cgo wants it).
	src := filepath.Join(abs, "_src")
	if err := os.MkdirAll(src, 0o777); err != nil {
		return "", err
	}
	for i, n := range names {
		to := filepath.Join(src, fmt.Sprintf("%04d_%s", i, filepath.Base(n)))
		if err := os.WriteFile(to, files[n], 0o666); err != nil {
			return "", err
		}
		replace[n] = to
	}
	data, err := json.MarshalIndent(struct{ Replace map[string]string }{replace}, "", "\t")
	if err != nil {
		return "", err
	}
	name := filepath.Join(abs, "overlay.json")
	return name, os.WriteFile(name, append(data, '\n'), 0o666)
}

// TestResult is what Test did.
type TestResult struct {
	// ExitCode is go test's.
	ExitCode int
	// BuildFailed says a package did not build, NoTests that go test
	// failed before any test binary ran: either way there is no profile.
	BuildFailed, NoTests bool
	Plan                 *Plan
	Counts               Counts // statement counts, by profile line key
	Branch               Counts // branch outcome counts
}

// Test runs go test on the instrumented packages through an overlay,
// streaming its output, and collects the counts. Nothing is written outside
// a temporary directory, which is removed.
func Test(ctx context.Context, cfg Config, plan *Plan, stdout, stderr io.Writer) (*TestResult, error) {
	tmp, err := os.MkdirTemp("", "gorewrite-cover-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	rt, err := sharedRuntimeDir()
	if err != nil {
		return nil, err
	}
	overlay, err := plan.writeOverlay(filepath.Join(tmp, "overlay"), rt)
	if err != nil {
		return nil, err
	}
	// The test binaries write their profiles into a GOCOVERDIR of their
	// own, marked as gorewrite's, so that a test binary started by a test
	// that keeps only GOCOVERDIR in its environment (testscript does)
	// still writes there.
	covdir := filepath.Join(tmp, "covdata")
	if err := os.Mkdir(covdir, 0o777); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(covdir, runMarker), nil, 0o666); err != nil {
		return nil, err
	}
	profile := filepath.Join(covdir, "profile.out")
	branch := filepath.Join(covdir, "branch.out")
	args := []string{"test", "-overlay", overlay}
	if !hasFlag(cfg.GoFlags, "count") {
		// The probes' counts are only written when tests run: a cached
		// result would leave its package at zero.
		args = append(args, "-count=1")
	}
	// Packages go before -args, which passes the rest to the test binaries.
	flags, testArgs := cfg.GoFlags, []string(nil)
	if i := slices.IndexFunc(flags, func(a string) bool { return a == "-args" || a == "--args" }); i >= 0 {
		flags, testArgs = flags[:i], flags[i:]
	}
	flags = gocmd.Flags(cfg.env(), flags) // go.mod and go.sum are never updated
	args = append(args, flags...)
	args = append(args, cfg.patterns()...)
	args = append(args, testArgs...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = cfg.Dir
	// Test binaries write their profile when their tests end; they need no
	// signal handling.
	// The go command's work directory goes in ours too: a go command
	// stopped by an interrupt leaves it behind.
	gotmp := filepath.Join(tmp, "gotmp")
	if err := os.Mkdir(gotmp, 0o777); err != nil {
		return nil, err
	}
	cmd.Env = append(slices.Clone(cfg.env()), "GOREWRITE_COVERPROFILE="+profile, "GOREWRITE_BRANCHPROFILE="+branch,
		"GOCOVERDIR="+covdir, "GOREWRITE_COVER_SIGNALS=off", "GOREWRITE_COVER_SPLIT=1", "GOTMPDIR="+gotmp)
	watch := &failureWatcher{}
	cmd.Stdout = io.MultiWriter(stdout, watch)
	cmd.Stderr = io.MultiWriter(stderr, watch)
	// An interrupt is passed on to go test and its test binaries (which
	// write their counts and stop), and they are given time to clean up
	// before they are killed.
	proc.OwnGroup(cmd)
	cmd.WaitDelay = 10 * time.Second
	res := &TestResult{Plan: plan}
	err = cmd.Run()
	proc.KillGroup(cmd)
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ctx.Err() != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("go test: %v", err)
		}
		res.ExitCode = ee.ExitCode()
		if res.ExitCode < 0 {
			res.ExitCode = 1
		}
	}
	res.BuildFailed = watch.failed()
	// Each test binary wrote profiles of its own: profile.out.PID.
	profiles := perProcess(profile)
	if len(profiles) == 0 && res.ExitCode != 0 {
		// go test failed before any test binary ran (a bad flag, say).
		res.NoTests = true
	}
	if res.Counts, err = readAll(profiles, "mode: ", plan.Mode); err != nil {
		return nil, err
	}
	branches := perProcess(branch)
	if res.Branch, err = readAll(branches, "branchmode: ", plan.Mode); err != nil {
		return nil, err
	}
	return res, nil
}

// flagValue returns the value of the last -name=value or -name value in
// args.
func flagValue(args []string, name string) (string, bool) {
	value, found := "", false
	for i, a := range args {
		if !strings.HasPrefix(a, "-") {
			continue
		}
		key, v, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if key != name {
			continue
		}
		if hasValue {
			value, found = v, true
		} else if i+1 < len(args) {
			value, found = args[i+1], true
		}
	}
	return value, found
}

// unseenSignalHandlers lists, as warnings, the packages built into the main
// packages that use os/signal but get no hooks (dependencies): the runtime
// does not know their handlers, which would see SIGINT and SIGTERM twice.
func unseenSignalHandlers(ctx context.Context, cfg Config, mains, instrumented map[string]bool) []string {
	var paths []string
	for p := range mains {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	deps, err := goList(ctx, cfg.Dir, cfg.env(), append(buildFlags(cfg.GoFlags), "-deps"), paths)
	if err != nil {
		return nil
	}
	var out []string
	for _, p := range deps {
		if p.Standard || mains[p.ImportPath] || instrumented[p.ImportPath] || p.Module != nil && p.Module.Main {
			continue
		}
		if slices.Contains(p.Imports, "os/signal") {
			out = append(out, fmt.Sprintf("%s handles signals in code gorewrite does not instrument: it will get SIGINT and SIGTERM a second time, after the profile is written (GOREWRITE_COVER_SIGNALS=off avoids that)", p.ImportPath))
		}
	}
	return out
}

// perProcess lists the files named name.PID.
func perProcess(name string) []string {
	all, _ := filepath.Glob(name + ".*")
	var out []string
	for _, f := range all {
		if _, err := strconv.Atoi(strings.TrimPrefix(f, name+".")); err == nil {
			out = append(out, f)
		}
	}
	return out
}

// readAll adds up the counts of profiles written in mode.
func readAll(names []string, header string, mode Mode) (Counts, error) {
	total := Counts{}
	for _, name := range names {
		m, counts, err := ReadCounts(name, header)
		if err != nil {
			return nil, err
		}
		if m != mode {
			return nil, fmt.Errorf("%s: written in %s mode, want %s", name, m, mode)
		}
		for k, v := range counts {
			if mode == Set {
				total[k] = max(total[k], v)
			} else {
				total[k] += v
			}
		}
	}
	return total, nil
}

// raceOn reports whether builds have -race, among flags or GOFLAGS.
func raceOn(env, flags []string) bool {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "GOFLAGS="); ok {
			flags = append(strings.Fields(v), flags...)
		}
	}
	on := false
	for _, a := range flags {
		key, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && key == "race" {
			on = !hasValue || value == "true" || value == "1"
		}
	}
	return on
}

func hasFlag(args []string, name string) bool {
	for _, a := range args {
		key, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && key == name {
			return true
		}
	}
	return false
}

// failureWatcher looks in go test's output for packages that failed to
// build.
type failureWatcher struct {
	mu   sync.Mutex
	line []byte
	bad  bool
}

func (w *failureWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.line = append(w.line, p...)
	for {
		i := bytes.IndexByte(w.line, '\n')
		if i < 0 {
			break
		}
		if buildFailure.Match(w.line[:i]) {
			w.bad = true
		}
		w.line = w.line[i+1:]
	}
	return len(p), nil
}

// buildFailure matches go test's line for a package that did not build,
// in text ("FAIL\tpkg [build failed]") and in -json output.
var buildFailure = regexp.MustCompile(`^FAIL\t\S+( \[[^\]]*\])? \[(build|setup) failed\]$|^\{.*"(FailedBuild|Action":"build-fail)"`)

func (w *failureWatcher) failed() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.bad
}
