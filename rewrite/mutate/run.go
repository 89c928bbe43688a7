package mutate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorewrite/gorewrite/rewrite/internal/proc"
)

// Strategies: how a mutant reaches a test binary.
const (
	// Schemata compiles all of a package's mutants into its one
	// instrumented test binary (see schema.go) and selects one per run;
	// mutants the schema cannot hold are built alone.
	Schemata = "schemata"
	// Overlay builds a test binary for each mutant, with the mutated file
	// replaced through go test -overlay: the reference.
	Overlay = "overlay"
)

// RunConfig says how to test mutants.
type RunConfig struct {
	// Strategy is Schemata (the default) or Overlay.
	Strategy string
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
	// Package is the import path of the test or mutant just done, so a
	// progress line can say where a long run is.
	Package string
}

// Stats says where a run's time went.
type Stats struct {
	Strategy string
	Coverage time.Duration // building instrumented test binaries and running each test alone, wall time
	// CoverBuild is the time spent building them (summed over workers),
	// CoverBuilds how many; CoverTest the time running the tests alone
	// (summed), CoverRuns how many runs.
	CoverBuild, CoverTest  time.Duration
	CoverBuilds, CoverRuns int
	Mutants                time.Duration // building and testing mutants, wall time
	Build, Test            time.Duration // summed over mutants and workers
	Builds                 int
	// Runs counts the test binary runs of the mutants phase.
	Runs int
	// Schema counts the mutants tested through the schema; Alone the ones
	// built alone, by reason (with the overlay strategy, all, under
	// "overlay strategy").
	Schema int
	Alone  map[string]int
	// FailedTests counts the tests that failed without any mutant;
	// Untestable the packages whose tests did not build or list; Flaky the
	// tests that passed at first but failed again without the mutant they
	// seemed to kill.
	FailedTests, Untestable, Flaky int
	// Repairs counts the test runs that changed files in the copy of the
	// module they ran in.
	Repairs int
	// Checks counts the runs that checked a kill on the unmutated code,
	// CheckTime their time (summed); ChecksSkipped the kills not checked
	// (see checkDue).
	Checks, ChecksSkipped int
	CheckTime             time.Duration
	// Timeouts counts the mutants' test runs that timed out, TimeoutTime
	// their time (summed, part of Test); TimeoutChecks the runs without
	// the mutant that confirmed them, TimeoutRetries the runs again with
	// a longer limit when the machine was slow (see confirmTimeout).
	Timeouts, TimeoutChecks, TimeoutRetries int
	TimeoutTime                             time.Duration
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
	if cfg.Strategy == "" {
		cfg.Strategy = Schemata
	}
	if cfg.Strategy != Schemata && cfg.Strategy != Overlay {
		return nil, nil, fmt.Errorf("unknown strategy %q: want %s or %s", cfg.Strategy, Schemata, Overlay)
	}
	// A mutant number the user's environment holds would switch a mutant
	// on where none should be.
	if cfg.Env == nil {
		cfg.Env = os.Environ()
	}
	cfg.Env = slices.DeleteFunc(slices.Clone(cfg.Env), func(kv string) bool { return strings.HasPrefix(kv, SchemaEnv+"=") })
	tmp, err := os.MkdirTemp("", "gorewrite-mutate-")
	if err != nil {
		return nil, nil, err
	}
	defer removeEventually(tmp)
	r := &runner{cfg: cfg, tmp: tmp, gotmp: filepath.Join(tmp, "gotmp"), stats: &Stats{Strategy: cfg.Strategy, Alone: map[string]int{}},
		sources: sources, schemaFiles: make(map[string][]*site)}
	if err := os.Mkdir(r.gotmp, 0o777); err != nil {
		return nil, nil, err
	}

	byPkg := make(map[string][]*Mutant)
	var pkgs []string
	for _, m := range mutants {
		m.schemaID = 0
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
	for _, p := range pkgs {
		r.all = append(r.all, byPkg[p]...)
	}
	if cfg.Strategy == Schemata {
		r.numberSchema(pkgs, byPkg)
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
				switch {
				case m.unused:
					m.StatusReason = "it changes exported constants that nothing in the package uses"
				case m.StatusReason == "":
					m.StatusReason = "no test runs this code"
				}
				continue
			}
			queue = append(queue, m)
		}
	}
	sort.Slice(tests, func(i, j int) bool { return tests[i].ID < tests[j].ID })
	for _, m := range queue {
		switch {
		case m.schemaID > 0:
			r.stats.Schema++
		case cfg.Strategy == Overlay:
			m.Alone = "overlay strategy"
			r.stats.Alone[m.Alone]++
		default:
			m.Alone = m.fallback
			r.stats.Alone[m.Alone]++
		}
	}
	start = time.Now()
	err = r.mutants(ctx, queue, cov, sources)
	if err == nil {
		err = r.rejudge(ctx, queue, cov, sources)
	}
	r.stats.Mutants = time.Since(start)
	return tests, r.stats, err
}

// rejudge tests again the mutants that only tests found flaky afterwards
// killed (the check of a kill passed, and a later one failed), without
// those tests.
func (r *runner) rejudge(ctx context.Context, queue []*Mutant, cov map[string]*pkgCoverage, sources map[string][]byte) error {
	var again []*Mutant
	for _, m := range queue {
		if m.Status != Killed || len(m.KilledBy) == 0 {
			continue
		}
		pc := cov[m.Package]
		flaky := true
		for _, id := range m.KilledBy {
			t := pc.byName[strings.TrimPrefix(id, m.Package+".")]
			flaky = flaky && t != nil && t.Failed
		}
		if flaky {
			m.Status, m.StatusReason, m.KilledBy = Pending, "", nil
			m.CoveredBy = pc.coveredBy(m)
			again = append(again, m)
		}
	}
	if len(again) == 0 {
		return nil
	}
	return parallel(ctx, r.cfg.Workers, len(again), func(i int) error {
		s := <-r.slots
		defer func() { r.slots <- s }()
		m := again[i]
		if len(m.CoveredBy) == 0 {
			m.Status, m.StatusReason = NoCoverage, "covered only by tests that fail without mutants"
			return nil
		}
		return r.testMutant(ctx, s, m, cov[m.Package], sources[m.File])
	})
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

	// The schema (see schemarun.go): the original sources by file name
	// and the sites of each file; filled while instrumenting, each file's
	// content with coverage probes only (nil when it has none: the
	// overlay for packages whose schema does not build), the sites
	// switched and the helper files added.
	sources      map[string][]byte
	schemaFiles  map[string][]*site
	plain        map[string][]byte
	switched     map[*site]bool
	helperFiles  map[string]bool
	all          []*Mutant // the mutants to test
	plainOnce    sync.Once
	plainOverlay string
	plainErr     error
	trash        int // directories moved aside by emptyTmp
	// kills counts the kills by the same tests (their names joined), for
	// checkDue.
	kills map[string]int
}

type slot struct {
	dir string
	sb  *sandbox // nil: tests run in place
	// tmp is the TMPDIR of the worker's test runs, emptied after each:
	// what a test killed at its timeout leaves there goes too.
	tmp string
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
		// Short names: tests put Unix sockets in TMPDIR, whose paths are
		// limited to about a hundred bytes.
		s := &slot{dir: filepath.Join(r.tmp, "w"+strconv.Itoa(w)), tmp: filepath.Join(r.tmp, "t"+strconv.Itoa(w))}
		for _, d := range []string{s.dir, s.tmp} {
			if err := os.MkdirAll(d, 0o777); err != nil {
				return err
			}
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
	env = append(slices.Clone(env), "TMPDIR="+s.tmp)
	res, err := r.runTests(ctx, bin, s.sb.path(dir), env, names, timeout, failfast)
	if err != nil {
		return nil, err
	}
	if err := r.emptyTmp(s); err != nil {
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

// removeEventually removes dir, trying again for a few seconds while
// something (a process a test started, outliving it) still writes there.
func removeEventually(dir string) {
	for i := 0; forceRemove(dir) != nil && i < 20; i++ {
		time.Sleep(250 * time.Millisecond)
	}
}

// emptyTmp empties the TMPDIR of a slot's test runs. A process the test
// started in a process group of its own (a go command, say) may outlive
// the test and still be writing there: then the directory is moved aside,
// into the run's temporary directory, removed at the end.
func (r *runner) emptyTmp(s *slot) error {
	if err := forceRemove(s.tmp); err != nil {
		r.mu.Lock()
		r.trash++
		aside := filepath.Join(r.tmp, "trash", strconv.Itoa(r.trash))
		r.mu.Unlock()
		if err := os.MkdirAll(filepath.Dir(aside), 0o777); err != nil {
			return err
		}
		if err := os.Rename(s.tmp, aside); err != nil {
			return fmt.Errorf("emptying the tests' TMPDIR: %v", err)
		}
	}
	return os.Mkdir(s.tmp, 0o777)
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
			p.Package = m.Package
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
	if m.schemaID > 0 {
		return r.judgeMutant(ctx, s, m, pc, pc.bin, append(slices.Clone(r.env()), SchemaEnv+"="+strconv.Itoa(m.schemaID)))
	}
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
	return r.judgeMutant(ctx, s, m, pc, bin, r.env())
}

// judgeMutant runs the tests covering m in bin, with env, and sets m's
// status.
func (r *runner) judgeMutant(ctx context.Context, s *slot, m *Mutant, pc *pkgCoverage, bin string, env []string) error {
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
		batch, err := r.runBatches(ctx, s, bin, env, m, pc, tests, whole)
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
	// Fastest first, by class of duration, then by name: the test that
	// fails or hangs first decides the fate, and durations measured again
	// (another run, the other strategy) must order the tests the same way.
	// Tests under a tenth of a second, mostly the process's start, are one
	// class; slower ones go by powers of two.
	sort.SliceStable(tests, func(i, j int) bool {
		bi, bj := durationClass(tests[i].Baseline), durationClass(tests[j].Baseline)
		if bi != bj {
			return bi < bj
		}
		return tests[i].Name < tests[j].Name
	})
	return tests, false
}

// durationClass is 0 under a tenth of a second, else the power of two of
// the duration in tenths of a second, plus one.
func durationClass(d time.Duration) int {
	return bits.Len64(uint64(d / (100 * time.Millisecond)))
}

// runBatches runs tests against m's binary and sets m's status. The
// fastest covering test runs alone first: it kills most mutants that are
// killed at all. The rest run in one process, stopping at the first
// failure.
func (r *runner) runBatches(ctx context.Context, s *slot, bin string, env []string, m *Mutant, pc *pkgCoverage, tests []*Test, whole bool) ([]*Test, error) {
	batches := [][]*Test{tests[:1]}
	if len(tests) > 1 {
		batches = append(batches, tests[1:])
	}
	if whole {
		batches = [][]*Test{tests}
	}
	for _, batch := range batches {
		timeout := r.timeout(batch, pc, whole)
		res, err := r.runIn(ctx, s, bin, pc.dir, env, names(batch), timeout)
		if err != nil {
			return nil, err
		}
		r.mu.Lock()
		r.stats.Runs++
		if res.timedOut {
			r.stats.Timeouts++
			r.stats.TimeoutTime += res.elapsed
		}
		r.mu.Unlock()
		if res.timedOut {
			if res, timeout, err = r.confirmTimeout(ctx, s, bin, env, pc, batch, res, timeout); err != nil {
				return nil, err
			}
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

// confirmTimeout decides whether a run of a mutant's tests that timed out
// (res) hung because of the mutant or because the machine was busy. When
// the test binary spent a quarter of the limit waiting for a CPU (the
// machine was busy then: other workers building, say), or when the same
// tests without the mutant do not finish within half of the limit (it is
// busy now), the mutant's tests run again with three times the limit, and
// that run decides. Otherwise the timeout stands. So the grace added to
// the tests' baseline can be short: a mutant that hangs costs its timeout
// and one run of its tests, not seconds of margin for a busy machine.
func (r *runner) confirmTimeout(ctx context.Context, s *slot, bin string, env []string, pc *pkgCoverage, batch []*Test, res *testRun, timeout time.Duration) (*testRun, time.Duration, error) {
	if res.waited < timeout/4 {
		ref, err := r.runIn(ctx, s, pc.bin, pc.dir, r.env(), names(batch), timeout)
		if err != nil {
			return nil, 0, err
		}
		r.mu.Lock()
		r.stats.TimeoutChecks++
		r.mu.Unlock()
		if !ref.timedOut && ref.elapsed < timeout/2 {
			return res, timeout, nil
		}
	}
	timeout *= 3
	res, err := r.runIn(ctx, s, bin, pc.dir, env, names(batch), timeout)
	r.mu.Lock()
	r.stats.TimeoutRetries++
	r.mu.Unlock()
	return res, timeout, err
}

// flakyKillers runs the batch of tests that killed m again, the same
// tests in the same order as far as the killing test (see ranUntil), on
// the unmutated (instrumented) binary. If it fails there too, the tests
// that fail (all of those when none says so) are flaky: they are marked
// failed and returned. A test another
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
	if !r.checkDue(m, batch) {
		return nil, nil
	}
	start := time.Now()
	defer func() {
		r.mu.Lock()
		r.stats.Checks++
		r.stats.CheckTime += time.Since(start)
		r.mu.Unlock()
	}()
	ran, err := r.checkRun(ctx, s, m, pc, batch)
	if err != nil || len(ran) == 0 {
		return nil, err
	}
	timeout := r.timeout(ran, pc, len(pc.orderDependent) > 0 && len(ran) == len(batch))
	res, err := r.runIn(ctx, s, pc.bin, pc.dir, r.env(), names(ran), timeout)
	if err == nil && res.timedOut {
		// A busy machine can stretch a run past its timeout: a test is
		// flaky when it fails, or hangs well past it.
		res, err = r.runIn(ctx, s, pc.bin, pc.dir, r.env(), names(ran), 3*timeout)
	}
	if err != nil || (res.exit == 0 && !res.timedOut) {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var flaky []*Test
	for _, t := range ran {
		if slices.Contains(res.failed, t.Name) {
			flaky = append(flaky, t)
		}
	}
	if len(flaky) == 0 {
		flaky = ran // the run failed, and no test says which
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

// slowCheck is how much longer than the killing tests alone a check may
// take (by the tests' baselines) before the package's tests are run
// together once instead (see checkRun).
const slowCheck = time.Second

// checkRun returns the tests a check of m's kill by batch runs without
// the mutant: those that ran in the killing run, in the same order, as
// far as the killing tests (see ranUntil). When the tests before the
// killers are slow (a long test earlier in the file, say), and the
// package's tests pass when all of them run together without mutants
// (run once, when first needed), only the killers run: a test that
// passes alone and after all the others is not failing because of the
// others, so the check is whether the killers fail by themselves
// (flaky). A crash no test claimed is then no flake either: the same
// tests passed together just now. It returns no tests then.
func (r *runner) checkRun(ctx context.Context, s *slot, m *Mutant, pc *pkgCoverage, batch []*Test) ([]*Test, error) {
	ran := ranUntil(batch, m.KilledBy, m.Package, pc)
	if len(pc.orderDependent) > 0 {
		return ran, nil
	}
	var killers []*Test
	var extra time.Duration
	for _, t := range ran {
		if slices.Contains(m.KilledBy, m.Package+"."+t.Name) {
			killers = append(killers, t)
		} else {
			extra += t.Baseline
		}
	}
	if extra <= slowCheck {
		return ran, nil
	}
	pass, err := r.passTogether(ctx, s, pc)
	if err != nil || !pass {
		return ran, err
	}
	return killers, nil
}

// passTogether reports whether all the package's usable tests pass when
// they run together, in one process, without mutants. The run is made
// once per package, by the first worker that asks.
func (r *runner) passTogether(ctx context.Context, s *slot, pc *pkgCoverage) (bool, error) {
	pc.together.once.Do(func() {
		r.mu.Lock()
		var usable []*Test
		for _, t := range pc.tests {
			if !t.Failed {
				usable = append(usable, t)
			}
		}
		r.mu.Unlock()
		res, err := r.runInMode(ctx, s, pc.bin, pc.dir, r.env(), names(usable), r.timeout(usable, pc, false), false)
		pc.together.err = err
		pc.together.pass = err == nil && res.exit == 0 && !res.timedOut
	})
	return pc.together.pass, pc.together.err
}

// ranUntil returns the tests of batch that ran in a run that stopped at
// the first failure (-test.failfast) of one of killers (test IDs): a test
// binary runs its tests in the order of the package's list, not the
// batch's, so those up to the last killer in that order. Without killers
// (a panic no test claimed) it returns the whole batch.
func ranUntil(batch []*Test, killers []string, pkg string, pc *pkgCoverage) []*Test {
	if len(killers) == 0 {
		return batch
	}
	index := make(map[*Test]int, len(pc.tests))
	for i, t := range pc.tests {
		index[t] = i
	}
	ordered := slices.Clone(batch)
	sort.SliceStable(ordered, func(i, j int) bool { return index[ordered[i]] < index[ordered[j]] })
	last := -1
	for i, t := range ordered {
		if slices.Contains(killers, pkg+"."+t.Name) {
			last = i
		}
	}
	if last < 0 {
		return batch
	}
	return ordered[:last+1]
}

// checkDue counts a kill by the tests that failed (the batch when none
// said so) and reports whether it is to be checked: the first kill by the
// same tests is, then the 4th, the 16th, the 64th and so on (see
// checkScheduled). Checks cost a run of the killing tests to the end,
// which for a slow test is seconds where the kill took milliseconds, and
// checking more often catches little more: a flaky test is caught by any
// check, and the mutants it killed before that are tested again then.
// A test that fails every time without mutants never kills at all (it is
// left out).
func (r *runner) checkDue(m *Mutant, batch []*Test) bool {
	killers := slices.Sorted(slices.Values(m.KilledBy))
	if len(killers) == 0 {
		killers = names(batch)
	}
	key := strings.Join(killers, "\x00")
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.kills == nil {
		r.kills = make(map[string]int)
	}
	r.kills[key]++
	if !checkScheduled(r.kills[key]) {
		r.stats.ChecksSkipped++
		return false
	}
	return true
}

// checkScheduled reports whether the nth kill by the same tests is
// checked: n is a power of 4.
func checkScheduled(n int) bool {
	for n > 1 && n%4 == 0 {
		n /= 4
	}
	return n == 1
}

// timeout is the limit on one run of batch: the timeout factor times its
// expected duration, plus the grace. Each test's baseline is the run of a
// process of its own, so the start of a process, which the package's
// fastest test's baseline shows, counts once.
func (r *runner) timeout(batch []*Test, pc *pkgCoverage, whole bool) time.Duration {
	start := pc.fastest()
	var base time.Duration
	for _, t := range batch {
		base += max(t.Baseline-start, 0)
	}
	base += start
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
