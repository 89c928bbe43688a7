package mutate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorewrite/gorewrite/rewrite/cover"
	"github.com/gorewrite/gorewrite/rewrite/internal/proc"
)

// RunConfig says how to test mutants.
type RunConfig struct {
	// Dir is where go commands run; Env their environment (nil: the
	// process's).
	Dir string
	Env []string
	// BuildFlags are go build flags (-tags, -mod ...) for every build.
	BuildFlags []string
	// Workers is how many mutants are built and tested at once; 0 means
	// GOMAXPROCS.
	Workers int
	// A mutant's tests time out after TimeoutFactor times their baseline
	// durations plus TimeoutGrace.
	TimeoutFactor float64
	TimeoutGrace  time.Duration
	// IncludeGenerated instruments generated files for coverage too.
	IncludeGenerated bool
	// Root is the tree the tests run in a copy of (the module's, or the
	// workspace's); empty runs them in place.
	Root string
	// Warn receives warnings, one sentence each; Progress is called after
	// every test of the coverage phase and every mutant (never
	// concurrently).
	Warn     func(string)
	Progress func(Progress)
}

// Progress is how far a run got.
type Progress struct {
	Phase                    string // "coverage" or "mutants"
	Done, Total              int
	Killed, Survived, Others int
	Elapsed                  time.Duration
}

// Stats says where a run's time went.
type Stats struct {
	Coverage    time.Duration // building instrumented test binaries and running each test alone
	Mutants     time.Duration // building and testing mutants, wall time
	Build, Test time.Duration // summed over mutants and workers
	Builds      int
	// FailedTests counts the tests that failed without any mutant;
	// Untestable the packages whose tests did not build or list; Flaky the
	// tests that passed at first but failed again without the mutant they
	// seemed to kill.
	FailedTests, Untestable, Flaky int
	// Repairs counts the test runs that changed files in the copy of the
	// module they ran in.
	Repairs int
}

// Run tests the Pending mutants and sets their status. Mutants of one
// package are tested by that package's tests: the ones that cover the
// mutated code, the fastest alone first. It returns the tests it found.
// Mutants reach go test -c through -overlay, from a temporary directory
// that is removed when Run returns, and tests run in copies of cfg.Root:
// the user's files are not written (unless Root is empty, or too big to
// copy).
//
// When ctx is cancelled Run stops the builds and tests under way, leaves
// the mutants it did not finish Pending, and returns ctx's error.
func Run(ctx context.Context, cfg RunConfig, mutants []*Mutant, sources map[string][]byte) ([]*Test, *Stats, error) {
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.TimeoutFactor <= 0 {
		cfg.TimeoutFactor = 3
	}
	if cfg.Warn == nil {
		cfg.Warn = func(string) {}
	}
	tmp, err := os.MkdirTemp("", "gorewrite-mutate-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(tmp)
	r := &runner{cfg: cfg, tmp: tmp, gotmp: filepath.Join(tmp, "gotmp"), stats: &Stats{}}
	if err := os.Mkdir(r.gotmp, 0o777); err != nil {
		return nil, nil, err
	}

	byPkg := make(map[string][]*Mutant)
	var pkgs []string
	for _, m := range mutants {
		if m.Status != Pending {
			continue
		}
		if _, ok := byPkg[m.Package]; !ok {
			pkgs = append(pkgs, m.Package)
		}
		byPkg[m.Package] = append(byPkg[m.Package], m)
	}
	sort.Strings(pkgs)
	if len(pkgs) == 0 {
		return nil, r.stats, nil
	}
	start := time.Now()
	if err := r.makeSlots(); err != nil {
		return nil, r.stats, err
	}
	cov, err := r.coverage(ctx, pkgs)
	r.stats.Coverage = time.Since(start)
	if err != nil {
		return nil, r.stats, err
	}
	var tests []*Test
	var queue []*Mutant
	for _, p := range pkgs {
		pc := cov[p]
		tests = append(tests, pc.tests...)
		for _, m := range byPkg[p] {
			m.CoveredBy = pc.coveredBy(m)
			if len(m.CoveredBy) == 0 {
				m.Status = NoCoverage
				m.StatusReason = pc.why
				if m.StatusReason == "" {
					m.StatusReason = "no test runs this code"
				}
				continue
			}
			queue = append(queue, m)
		}
	}
	sort.Slice(tests, func(i, j int) bool { return tests[i].ID < tests[j].ID })
	start = time.Now()
	err = r.mutants(ctx, queue, cov, sources)
	r.stats.Mutants = time.Since(start)
	return tests, r.stats, err
}

type runner struct {
	cfg   RunConfig
	tmp   string
	gotmp string // GOTMPDIR for the go commands
	stats *Stats
	mu    sync.Mutex // guards stats and progress
	prog  Progress
	begin time.Time
	// slots hold what a worker needs to itself: a directory for the
	// mutated file, the overlay and the binary, and a copy of the tree.
	slots chan *slot
}

type slot struct {
	dir string
	sb  *sandbox // nil: tests run in place
}

// makeSlots makes a slot per worker.
func (r *runner) makeSlots() error {
	r.slots = make(chan *slot, r.cfg.Workers)
	inPlace := r.cfg.Root == ""
	// The temporary directory may be inside the tree (TMPDIR in a
	// module): the copies must not copy it, whatever path reaches it.
	exclude := r.tmp
	if rel, err := filepath.Rel(realPath(r.cfg.Root), realPath(r.tmp)); err == nil && filepath.IsLocal(rel) {
		exclude = filepath.Join(r.cfg.Root, rel)
	}
	for w := range r.cfg.Workers {
		s := &slot{dir: filepath.Join(r.tmp, "w"+strconv.Itoa(w))}
		if err := os.MkdirAll(s.dir, 0o777); err != nil {
			return err
		}
		if !inPlace {
			sb, err := newSandbox(r.cfg.Root, filepath.Join(r.tmp, "tree"+strconv.Itoa(w)), exclude)
			switch {
			case errors.Is(err, errTooBig):
				r.cfg.Warn(fmt.Sprintf("%s is bigger than %d MiB: tests run in place, where a mutant could change files", r.cfg.Root, maxSandboxBytes>>20))
				inPlace = true
			case err != nil:
				return fmt.Errorf("copying the module for the tests: %v", err)
			}
			s.sb = sb
		}
		r.slots <- s
	}
	return nil
}

// runIn runs a test binary in a worker's slot, in its copy of dir, and
// repairs the copy afterwards.
func (r *runner) runIn(ctx context.Context, s *slot, bin, dir string, env, names []string, timeout time.Duration) (*testRun, error) {
	return r.runInMode(ctx, s, bin, dir, env, names, timeout, true)
}

// runInMode is runIn, where failfast says whether the run stops at the
// first failing test.
func (r *runner) runInMode(ctx context.Context, s *slot, bin, dir string, env, names []string, timeout time.Duration, failfast bool) (*testRun, error) {
	res, err := r.runTests(ctx, bin, s.sb.path(dir), env, names, timeout, failfast)
	if err != nil {
		return nil, err
	}
	n, err := s.sb.repair()
	if err != nil {
		return nil, err
	}
	if n > 0 {
		r.mu.Lock()
		r.stats.Repairs++
		r.mu.Unlock()
	}
	return res, nil
}

// goEnv returns a variable of the go command's environment.
func (r *runner) goEnv(name string) string {
	env := r.env()
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], name+"="); ok {
			return v
		}
	}
	return ""
}

func (r *runner) env() []string {
	if r.cfg.Env != nil {
		return r.cfg.Env
	}
	return os.Environ()
}

// pkgCoverage is what the coverage phase learnt about one package.
type pkgCoverage struct {
	dir    string // package directory: tests run there, as go test runs them
	tests  []*Test
	byName map[string]*Test
	blocks []cover.Block
	// hits[i] lists the tests that ran blocks[i].
	hits [][]*Test
	// why a package's mutants have no coverage, when it is the package's
	// fault (no tests, a build failure).
	why string
	// orderDependent are the tests that fail alone but pass with the
	// others (they need what an earlier test leaves behind): the
	// package's mutants are then tested with all its tests, which took
	// whole together.
	orderDependent map[*Test]bool
	whole          time.Duration
	bin            string // the instrumented test binary
}

// coveredBy returns the IDs of the tests that run the code m changes: the
// tests that ran the innermost block holding its start. Code outside every
// block (package-level declarations) is run by every test.
func (pc *pkgCoverage) coveredBy(m *Mutant) []string {
	if pc == nil || len(pc.tests) == 0 {
		return nil
	}
	file := m.Package + "/" + filepath.Base(m.File)
	at := m.Start
	if m.coverAt.Line > 0 {
		at = m.coverAt
	}
	best := -1
	for i, b := range pc.blocks {
		if b.File != file || !inside(at, b) {
			continue
		}
		if best < 0 || inside(Position{b.StartLine, b.StartCol}, pc.blocks[best]) {
			best = i
		}
	}
	var ids []string
	if best < 0 {
		for _, t := range pc.tests {
			if !t.Failed {
				ids = append(ids, t.ID)
			}
		}
		return ids
	}
	for _, t := range pc.hits[best] {
		if !t.Failed {
			ids = append(ids, t.ID)
		}
	}
	return ids
}

func inside(p Position, b cover.Block) bool {
	after := p.Line > b.StartLine || (p.Line == b.StartLine && p.Column >= b.StartCol)
	before := p.Line < b.EndLine || (p.Line == b.EndLine && p.Column < b.EndCol)
	return after && before
}

// coverage builds one instrumented test binary per package and runs each
// of its tests alone, for the blocks each runs and its duration.
func (r *runner) coverage(ctx context.Context, pkgs []string) (map[string]*pkgCoverage, error) {
	plan, err := cover.Prepare(ctx, cover.Config{
		Dir:      r.cfg.Dir,
		Env:      r.cfg.Env,
		Options:  cover.Options{Mode: cover.Set, IncludeGenerated: r.cfg.IncludeGenerated, TestFilter: true},
		Patterns: pkgs,
		GoFlags:  r.cfg.BuildFlags,
	})
	if err != nil {
		return nil, fmt.Errorf("coverage: %v", err)
	}
	for _, w := range plan.Warnings {
		r.cfg.Warn(w)
	}
	for _, e := range plan.Errs {
		r.cfg.Warn(e.Error())
	}
	overlay, err := plan.WriteTestOverlay(filepath.Join(r.tmp, "cover"))
	if err != nil {
		return nil, err
	}
	planned := make(map[string]*cover.PlannedPackage)
	for _, pp := range plan.Packages {
		planned[pp.ImportPath] = pp
	}
	out := make(map[string]*pkgCoverage, len(pkgs))
	for _, p := range pkgs {
		out[p] = &pkgCoverage{}
	}
	// The packages' binaries are built in the workers, then every test
	// of every package runs alone in them.
	type job struct {
		pc   *pkgCoverage
		t    *Test
		bin  string
		prof string
	}
	names := make([][]string, len(pkgs))
	var mu sync.Mutex
	err = parallel(ctx, r.cfg.Workers, len(pkgs), func(i int) error {
		p := pkgs[i]
		pc := out[p]
		pp := planned[p]
		if pp == nil {
			pc.why = "the package was not instrumented for coverage"
			return nil
		}
		pc.dir = pp.Dir
		pc.blocks = pp.Blocks
		pc.hits = make([][]*Test, len(pp.Blocks))
		bin := filepath.Join(r.tmp, "cover", "bin", strconv.Itoa(i)+".test")
		pc.bin = bin
		built, msg, err := r.buildTest(ctx, p, overlay, bin)
		if err != nil {
			return err
		}
		untestable := func(why, warning string) {
			mu.Lock()
			defer mu.Unlock()
			pc.why = why
			r.stats.Untestable++
			r.cfg.Warn(warning)
		}
		if !built {
			if msg == "" {
				pc.why = "the package has no tests"
			} else {
				untestable("its tests do not build", fmt.Sprintf("%s: the tests do not build, so its mutants are not tested:\n%s", p, indent(msg)))
			}
			return nil
		}
		s := <-r.slots
		list, err := r.listTests(ctx, bin, s.sb.path(pp.Dir))
		if _, rerr := s.sb.repair(); rerr != nil && err == nil {
			err = rerr
		}
		r.slots <- s
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			untestable("its tests could not be listed", fmt.Sprintf("%s: listing the tests: %v", p, err))
			return nil
		}
		if len(list) == 0 {
			pc.why = "the package has no tests"
		}
		names[i] = list
		return nil
	})
	if err != nil {
		return nil, err
	}
	var jobs []job
	for i, p := range pkgs {
		pc := out[p]
		pc.byName = make(map[string]*Test)
		for j, name := range names[i] {
			t := &Test{ID: p + "." + name, Name: name, Package: p}
			pc.tests = append(pc.tests, t)
			pc.byName[name] = t
			jobs = append(jobs, job{pc, t, filepath.Join(r.tmp, "cover", "bin", strconv.Itoa(i)+".test"),
				filepath.Join(r.tmp, "cover", "runs", fmt.Sprintf("%d-%d", i, j))})
		}
	}
	r.begin = time.Now()
	r.prog = Progress{Phase: "coverage", Total: len(jobs)}
	err = parallel(ctx, r.cfg.Workers, len(jobs), func(i int) error {
		j := jobs[i]
		s := <-r.slots
		defer func() { r.slots <- s }()
		counts, d, ok, err := r.runCovered(ctx, s, j.bin, j.pc.dir, j.t.Name, j.prof)
		if err != nil {
			return err
		}
		mu.Lock()
		j.t.Baseline = d
		if !ok {
			j.t.Failed = true
		}
		for b, blk := range j.pc.blocks {
			if counts[blk.Key()] > 0 {
				j.pc.hits[b] = append(j.pc.hits[b], j.t)
			}
		}
		mu.Unlock()
		r.advance(func(p *Progress) {})
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, p := range pkgs {
		if err := r.failedAlone(ctx, out[p]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// failedAlone sorts out the tests of a package that failed when run alone:
// the ones that pass when the package's tests run together depend on the
// others and are kept; the others fail without any mutant and are not
// used.
func (r *runner) failedAlone(ctx context.Context, pc *pkgCoverage) error {
	var failed, all []string
	for _, t := range pc.tests {
		all = append(all, t.Name)
		if t.Failed {
			failed = append(failed, t.Name)
		}
	}
	if len(failed) == 0 {
		return nil
	}
	s := <-r.slots
	res, err := r.runInMode(ctx, s, pc.bin, pc.dir, r.env(), all, baselineTimeout, false)
	r.slots <- s
	if err != nil {
		return err
	}
	// Without -failfast every failing test says so: a test that failed
	// alone and not here needs the others.
	named := res.exit == 0 || len(res.failed) > 0
	pc.whole = res.elapsed
	for _, t := range pc.tests {
		switch {
		case !t.Failed:
		case named && !res.timedOut && !slices.Contains(res.failed, t.Name):
			t.Failed = false
			if pc.orderDependent == nil {
				pc.orderDependent = make(map[*Test]bool)
			}
			pc.orderDependent[t] = true
			r.cfg.Warn(fmt.Sprintf("%s: %s fails when run alone but passes with the package's other tests; mutants it covers are tested with all of them", t.Package, t.Name))
		default:
			r.stats.FailedTests++
			r.cfg.Warn(fmt.Sprintf("%s: %s fails without any mutant; it is not used to judge mutants", t.Package, t.Name))
		}
	}
	return nil
}

// buildTest builds pkg's test binary at bin. It reports false with go's
// message when the package's tests do not build, and false with no
// message when it has no test files.
func (r *runner) buildTest(ctx context.Context, pkg, overlay, bin string) (bool, string, error) {
	args := []string{"test", "-c", "-vet=off", "-o", bin, "-overlay", overlay}
	// Test binaries without DWARF link about a quarter faster, and
	// linking is most of a mutant's build. Flags the user set in GOFLAGS
	// win.
	if !strings.Contains(r.goEnv("GOFLAGS"), "-ldflags") {
		args = append(args, "-ldflags=-w")
	}
	args = append(args, r.cfg.BuildFlags...)
	args = append(args, pkg)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = r.cfg.Dir
	// The go command's work directory goes in ours: a go command stopped
	// by an interrupt leaves it behind.
	cmd.Env = append(slices.Clone(r.env()), "GOTMPDIR="+r.gotmp)
	proc.OwnGroup(cmd)
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	proc.KillGroup(cmd)
	if ctx.Err() != nil {
		return false, "", ctx.Err()
	}
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return false, "", fmt.Errorf("go test -c: %v", err)
		}
		return false, strings.TrimSpace(string(out)), nil
	}
	if _, err := os.Stat(bin); err != nil {
		return false, "", nil // no test files
	}
	return true, "", nil
}

// listTests lists the tests, examples and fuzz targets of a test binary
// (not its benchmarks, which tests do not run).
func (r *runner) listTests(ctx context.Context, bin, dir string) ([]string, error) {
	// Listing runs the package's init and TestMain's setup: bound it.
	lctx, cancel := context.WithTimeout(ctx, baselineTimeout)
	defer cancel()
	cmd := exec.CommandContext(lctx, bin, "-test.list", ".")
	cmd.Dir = dir
	cmd.Env = r.env()
	proc.OwnGroup(cmd)
	cmd.WaitDelay = time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	proc.KillGroup(cmd)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	var names []string
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "Benchmark") || strings.ContainsAny(line, " \t") {
			continue
		}
		names = append(names, line)
	}
	return names, nil
}

// baselineTimeout bounds a test's run of its own with probes.
const baselineTimeout = 10 * time.Minute

// runCovered runs one test alone in an instrumented binary and returns the
// blocks it ran, how long it took and whether it passed.
func (r *runner) runCovered(ctx context.Context, s *slot, bin, dir, name, profDir string) (cover.Counts, time.Duration, bool, error) {
	if err := os.MkdirAll(profDir, 0o777); err != nil {
		return nil, 0, false, err
	}
	// As gorewrite cover's test runs: a marked GOCOVERDIR, so that test
	// binaries a test starts with a scrubbed environment still report.
	if err := os.WriteFile(filepath.Join(profDir, cover.RunMarker), nil, 0o666); err != nil {
		return nil, 0, false, err
	}
	prof := filepath.Join(profDir, "profile.out")
	env := append(slices.Clone(r.env()), "GOREWRITE_COVERPROFILE="+prof, "GOCOVERDIR="+profDir,
		"GOREWRITE_COVER_SIGNALS=off", "GOREWRITE_COVER_SPLIT=1")
	res, err := r.runIn(ctx, s, bin, dir, env, []string{name}, baselineTimeout)
	if err != nil {
		return nil, 0, false, err
	}
	counts := make(cover.Counts)
	names, _ := filepath.Glob(prof + ".*")
	for _, n := range names {
		// profile.out.PID; not the lock or temporary files of a process
		// killed while it wrote.
		if _, err := strconv.Atoi(strings.TrimPrefix(n, prof+".")); err != nil {
			continue
		}
		_, c, err := cover.ReadCounts(n, "mode: ")
		if err != nil {
			return nil, 0, false, err
		}
		for k, v := range c {
			counts[k] += v
		}
	}
	os.RemoveAll(profDir)
	return counts, res.elapsed, res.exit == 0 && !res.timedOut, nil
}

// testRun is what one run of a test binary did.
type testRun struct {
	exit     int
	timedOut bool
	started  bool
	output   []byte // the tail of stdout and stderr
	elapsed  time.Duration
	// failed are the top-level tests that reported failing; panic and
	// fatal the first such lines of the output.
	failed       []string
	panic, fatal string
}

// runTests runs the named tests of a test binary in dir, stopping at the
// first failure when failfast is set.
func (r *runner) runTests(ctx context.Context, bin, dir string, env, names []string, timeout time.Duration, failfast bool) (*testRun, error) {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = regexp.QuoteMeta(n)
	}
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// -test.paniconexit0 as go test passes it: a test calling os.Exit(0)
	// fails instead of passing silently.
	args := []string{"-test.run=^(" + strings.Join(quoted, "|") + ")$", "-test.paniconexit0", "-test.count=1"}
	if failfast {
		args = append(args, "-test.failfast")
	}
	cmd := exec.CommandContext(tctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = env
	watch := &outputWatcher{max: 64 << 10}
	cmd.Stdout = watch
	cmd.Stderr = watch
	proc.OwnGroup(cmd)
	cmd.Cancel = func() error { proc.KillGroup(cmd); return nil }
	cmd.WaitDelay = time.Second
	start := time.Now()
	err := cmd.Run()
	watch.close()
	res := &testRun{elapsed: time.Since(start), output: watch.output(), started: cmd.Process != nil,
		failed: watch.failed, panic: watch.panic, fatal: watch.fatal}
	proc.KillGroup(cmd)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if tctx.Err() != nil {
		res.timedOut = true
		return res, nil
	}
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			res.exit = -1
			res.output = append(res.output, err.Error()...)
			return res, nil
		}
		res.exit = ee.ExitCode()
		if res.exit == 0 {
			res.exit = -1
		}
	}
	return res, nil
}

// outputWatcher reads a test binary's output as it comes: it notes the
// tests that failed, the first panic and the first fatal runtime error,
// however much the tests print, and keeps the last max bytes for reports.
// It is safe for concurrent writers (stdout and stderr).
type outputWatcher struct {
	mu      sync.Mutex
	tail    []byte
	max     int
	partial []byte // an unfinished line
	failed  []string
	panic   string
	fatal   string
}

func (w *outputWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.tail = append(w.tail, p...)
	if len(w.tail) > 2*w.max {
		w.tail = append([]byte(nil), w.tail[len(w.tail)-w.max:]...)
	}
	data := append(w.partial, p...)
	for {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			break
		}
		w.line(string(data[:i]))
		data = data[i+1:]
	}
	// A line longer than max is cut: only the start of a line matters.
	if len(data) > w.max {
		data = data[:w.max]
	}
	w.partial = append([]byte(nil), data...)
	return len(p), nil
}

func (w *outputWatcher) line(l string) {
	switch t := strings.TrimSpace(l); {
	case strings.HasPrefix(t, "--- FAIL: "):
		name := strings.Fields(strings.TrimPrefix(t, "--- FAIL: "))
		if len(name) > 0 {
			top, _, _ := strings.Cut(name[0], "/")
			if !slices.Contains(w.failed, top) {
				w.failed = append(w.failed, top)
			}
		}
	case strings.HasPrefix(l, "panic: ") && w.panic == "":
		w.panic = l
	case strings.HasPrefix(l, "fatal error: ") && w.fatal == "":
		w.fatal = l
	}
}

// close takes in an unfinished last line.
func (w *outputWatcher) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.partial) > 0 {
		w.line(string(w.partial))
		w.partial = nil
	}
}

func (w *outputWatcher) output() []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.tail) > w.max {
		return slices.Clone(w.tail[len(w.tail)-w.max:])
	}
	return slices.Clone(w.tail)
}

// mutants builds and tests each mutant of the queue in the workers.
func (r *runner) mutants(ctx context.Context, queue []*Mutant, cov map[string]*pkgCoverage, sources map[string][]byte) error {
	r.mu.Lock()
	r.begin = time.Now()
	r.prog = Progress{Phase: "mutants", Total: len(queue)}
	r.mu.Unlock()
	return parallel(ctx, r.cfg.Workers, len(queue), func(i int) error {
		s := <-r.slots
		defer func() { r.slots <- s }()
		m := queue[i]
		if err := r.testMutant(ctx, s, m, cov[m.Package], sources[m.File]); err != nil {
			return err
		}
		r.advance(func(p *Progress) {
			switch m.Status {
			case Killed:
				p.Killed++
			case Survived:
				p.Survived++
			default:
				p.Others++
			}
		})
		return nil
	})
}

func (r *runner) advance(f func(*Progress)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.prog.Done++
	f(&r.prog)
	r.prog.Elapsed = time.Since(r.begin)
	if r.cfg.Progress != nil {
		r.cfg.Progress(r.prog)
	}
}

// testMutant builds m's test binary and runs the tests that cover it,
// fastest first, and sets its status.
func (r *runner) testMutant(ctx context.Context, s *slot, m *Mutant, pc *pkgCoverage, src []byte) error {
	dir := s.dir
	start := time.Now()
	defer func() { m.Duration = time.Since(start) }()
	if src == nil {
		return fmt.Errorf("%s: source not kept", m.File)
	}
	mutated := m.Apply(src)
	file := filepath.Join(dir, filepath.Base(m.File))
	if err := os.WriteFile(file, mutated, 0o666); err != nil {
		return err
	}
	data, err := json.Marshal(struct{ Replace map[string]string }{map[string]string{m.File: file}})
	if err != nil {
		return err
	}
	overlay := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(overlay, data, 0o666); err != nil {
		return err
	}
	bin := filepath.Join(dir, "mutant.test")
	os.Remove(bin)
	built, msg, err := r.buildTest(ctx, m.Package, overlay, bin)
	buildTime := time.Since(start)
	r.mu.Lock()
	r.stats.Build += buildTime
	r.stats.Builds++
	r.mu.Unlock()
	if err != nil {
		return err
	}
	if !built {
		m.Status = CompileError
		m.StatusReason = firstLines(msg, 5)
		if msg == "" {
			m.StatusReason = "go test -c wrote no test binary"
		}
		return nil
	}
	testStart := time.Now()
	defer func() {
		r.mu.Lock()
		r.stats.Test += time.Since(testStart)
		r.mu.Unlock()
	}()
	// A kill is checked: the killing tests run again on the unmutated
	// code, and a test that fails there too is flaky. It is dropped and
	// the mutant judged again without it.
	for {
		tests, whole := r.coveringTests(m, pc)
		if len(tests) == 0 {
			m.Status = NoCoverage
			m.StatusReason = "covered only by tests that fail without mutants"
			return nil
		}
		batch, err := r.runBatches(ctx, s, bin, m, pc, tests, whole)
		if err != nil {
			return err
		}
		if m.Status != Killed {
			return nil
		}
		flaky, err := r.flakyKillers(ctx, s, m, pc, batch)
		if err != nil || len(flaky) == 0 {
			return err
		}
		m.Status, m.StatusReason, m.KilledBy = Pending, "", nil
	}
}

// coveringTests returns the tests to run against m: its covering tests,
// fastest first, or all the package's tests when some depend on others
// (whole). Tests known to fail without mutants are left out.
func (r *runner) coveringTests(m *Mutant, pc *pkgCoverage) ([]*Test, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	// When some tests only pass after others, any test may depend on
	// what a mutant changes through an earlier one: the package's tests
	// all run, as go test runs them.
	if len(pc.orderDependent) > 0 {
		var usable []*Test
		covered := false
		for _, t := range pc.tests {
			if !t.Failed {
				usable = append(usable, t)
				covered = covered || slices.Contains(m.CoveredBy, t.ID)
			}
		}
		if !covered {
			return nil, true
		}
		return usable, true
	}
	tests := make([]*Test, 0, len(m.CoveredBy))
	for _, id := range m.CoveredBy {
		name := strings.TrimPrefix(id, m.Package+".")
		if t := pc.byName[name]; t != nil && !t.Failed {
			tests = append(tests, t)
		}
	}
	sort.SliceStable(tests, func(i, j int) bool { return tests[i].Baseline < tests[j].Baseline })
	return tests, false
}

// runBatches runs tests against m's binary and sets m's status. The
// fastest covering test runs alone first: it kills most mutants that are
// killed at all. The rest run in one process, stopping at the first
// failure.
func (r *runner) runBatches(ctx context.Context, s *slot, bin string, m *Mutant, pc *pkgCoverage, tests []*Test, whole bool) ([]*Test, error) {
	batches := [][]*Test{tests[:1]}
	if len(tests) > 1 {
		batches = append(batches, tests[1:])
	}
	if whole {
		batches = [][]*Test{tests}
	}
	for _, batch := range batches {
		timeout := r.timeout(batch, pc, whole)
		res, err := r.runIn(ctx, s, bin, pc.dir, r.env(), names(batch), timeout)
		if err != nil {
			return nil, err
		}
		if judge(m, res, batch, timeout) && m.Status != RuntimeError {
			return batch, nil
		}
		// A crash without a failing test (an example calling log.Fatal,
		// say) is no verdict while other covering tests remain.
	}
	if m.Status == RuntimeError {
		return nil, nil
	}
	m.Status = Survived
	m.StatusReason = fmt.Sprintf("%d covering test(s) passed", len(tests))
	return nil, nil
}

// flakyKillers runs the batch of tests that killed m again, the same
// tests in the same order, on the unmutated (instrumented) binary. If it
// fails there too, the tests that fail (all of the batch when none says
// so) are flaky: they are marked failed and returned. A test another
// worker already found flaky is returned too: its kill does not count.
func (r *runner) flakyKillers(ctx context.Context, s *slot, m *Mutant, pc *pkgCoverage, batch []*Test) ([]*Test, error) {
	r.mu.Lock()
	var known []*Test
	for _, t := range batch {
		if t.Failed {
			known = append(known, t)
		}
	}
	r.mu.Unlock()
	if len(known) > 0 {
		return known, nil
	}
	timeout := r.timeout(batch, pc, len(pc.orderDependent) > 0)
	res, err := r.runIn(ctx, s, pc.bin, pc.dir, r.env(), names(batch), timeout)
	if err != nil || (res.exit == 0 && !res.timedOut) {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var flaky []*Test
	for _, t := range batch {
		if slices.Contains(res.failed, t.Name) {
			flaky = append(flaky, t)
		}
	}
	if len(flaky) == 0 {
		flaky = batch // the run failed, and no test of the batch says which
	}
	for _, t := range flaky {
		if !t.Failed {
			t.Failed = true
			r.stats.Flaky++
			r.cfg.Warn(fmt.Sprintf("%s: %s failed again without the mutant it seemed to kill (flaky); it is not used to judge mutants", t.Package, t.Name))
		}
	}
	return flaky, nil
}

func (r *runner) timeout(batch []*Test, pc *pkgCoverage, whole bool) time.Duration {
	var base time.Duration
	for _, t := range batch {
		base += t.Baseline
	}
	if whole {
		base = pc.whole
	}
	return time.Duration(float64(base)*r.cfg.TimeoutFactor) + r.cfg.TimeoutGrace
}

func names(tests []*Test) []string {
	out := make([]string, len(tests))
	for i, t := range tests {
		out[i] = t.Name
	}
	return out
}

// judge sets m's status from a failed or timed-out run and reports
// whether it did; a run that passed decides nothing.
func judge(m *Mutant, res *testRun, batch []*Test, timeout time.Duration) bool {
	switch {
	case res.timedOut:
		m.Status = Timeout
		m.StatusReason = fmt.Sprintf("the covering tests ran longer than %v", timeout.Round(time.Millisecond))
		return true
	case res.exit == 0:
		return false
	}
	if len(res.failed) > 0 {
		m.Status = Killed
		for _, name := range res.failed {
			m.KilledBy = append(m.KilledBy, m.Package+"."+name)
		}
		m.StatusReason = "failed: " + strings.Join(m.KilledBy, ", ")
		return true
	}
	if res.panic != "" {
		m.Status = Killed
		if len(batch) == 1 {
			m.KilledBy = []string{batch[0].ID}
		}
		m.StatusReason = res.panic
		return true
	}
	m.Status = RuntimeError
	m.StatusReason = firstLines(string(res.output), 3)
	if res.fatal != "" {
		m.StatusReason = res.fatal
	}
	if m.StatusReason == "" {
		m.StatusReason = fmt.Sprintf("the test binary exited with status %d and no test failed", res.exit)
	}
	return true
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(strings.TrimSpace(s), "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

func indent(s string) string {
	return "\t" + strings.ReplaceAll(s, "\n", "\n\t")
}

// parallel calls f(0..n-1) in up to workers goroutines, in order of i,
// and returns the first error (after which no new calls start).
func parallel(ctx context.Context, workers, n int, f func(int) error) error {
	var (
		mu    sync.Mutex
		next  int
		first error
		wg    sync.WaitGroup
	)
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				if first != nil || next >= n || ctx.Err() != nil {
					mu.Unlock()
					return
				}
				i := next
				next++
				mu.Unlock()
				if err := f(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}

var _ io.Writer = (*outputWatcher)(nil)
