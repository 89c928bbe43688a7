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

	"github.com/gorewrite/gorewrite/rewrite/gocmd"
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
	// Incremental, when set, brings an earlier run's report, whose
	// verdicts that still hold are reused, and takes back the run's
	// fingerprints for its report (see incremental.go).
	Incremental *Incremental
	// OwnTests tests a mutant with its own package's tests only; by
	// default every test of the module (the packages under Root, or
	// matching ./... in Dir) that covers it does (see testbinaries.go).
	// TestPackages, when set, are the package patterns (as go list takes
	// them, in Dir) whose tests test other packages' mutants too.
	OwnTests     bool
	TestPackages []string
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
	// their time (summed, part of Test). Confirms counts the runs again
	// with the ceiling of tests that ran past the first limit,
	// ConfirmTime their time; Reproductions the runs again of tests that
	// failed with a mutant, ReproduceTime their time, NotReproduced the
	// failures that did not come again (see verdict.go).
	Timeouts, Confirms, Reproductions, NotReproduced int
	TimeoutTime, ConfirmTime, ReproduceTime          time.Duration
	// Binaries says what each test binary did, by the import path of its
	// package.
	Binaries map[string]*BinaryStats
}

// BinaryStats is what one package's test binary did in a run.
type BinaryStats struct {
	// Builds counts its builds: the one with probes (and the schema),
	// and one per mutant built alone that its tests cover.
	Builds int
	// Tests is how many tests it has; Runs how many times its tests ran
	// against mutants; Kills how many mutants its tests killed.
	Tests, Runs, Kills int
}

// binary returns the stats of the test binary of pkg; the caller holds
// the runner's lock, if any.
func (s *Stats) binary(pkg string) *BinaryStats {
	if s.Binaries == nil {
		s.Binaries = make(map[string]*BinaryStats)
	}
	b := s.Binaries[pkg]
	if b == nil {
		b = &BinaryStats{}
		s.Binaries[pkg] = b
	}
	return b
}

// Run tests the Pending mutants and sets their status. A mutant is tested
// by the tests of the module that cover the mutated code (its package's
// own only, with OwnTests), the fastest alone first. It returns the tests
// it found.
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
		sources: sources, schemaFiles: make(map[string][]*site), testSources: make(map[string][]byte)}
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
	sv, err := r.survey(ctx, pkgs)
	if err != nil {
		return nil, r.stats, err
	}
	if inc := cfg.Incremental; inc != nil {
		if tests, ok := r.unchanged(inc, sv, r.all); ok {
			return tests, r.stats, nil
		}
	}
	if err := r.makeSlots(); err != nil {
		return nil, r.stats, err
	}
	cov, err := r.coverage(ctx, pkgs, sv)
	r.stats.Coverage = time.Since(start)
	if err != nil {
		return nil, r.stats, err
	}
	var tests []*Test
	for _, pc := range cov.bins {
		tests = append(tests, pc.tests...)
	}
	var queue []*Mutant
	for _, p := range pkgs {
		for _, m := range byPkg[p] {
			m.CoveredBy = cov.coveredBy(m)
			if len(m.CoveredBy) == 0 {
				untested(m, cov.why(m.Package)).apply(m)
				continue
			}
			queue = append(queue, m)
		}
	}
	sort.Slice(tests, func(i, j int) bool { return tests[i].ID < tests[j].ID })
	if inc := cfg.Incremental; inc != nil {
		inc.Key, inc.Functions, inc.TestSources = r.key, r.prints.funcs, r.testSources
		queue = r.reuse(inc, cov, queue)
	}
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
func (r *runner) rejudge(ctx context.Context, queue []*Mutant, cov *coverage, sources map[string][]byte) error {
	var again []*Mutant
	for _, m := range queue {
		if m.Status != Killed || len(m.KilledBy) == 0 {
			continue
		}
		flaky := true
		for _, id := range m.KilledBy {
			t := cov.byID[id]
			flaky = flaky && t != nil && t.Failed
		}
		if flaky {
			m.Status, m.StatusReason, m.KilledBy = Pending, "", nil
			m.CoveredBy = cov.coveredBy(m)
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
			(&verdict{status: NoCoverage, reason: onlyFailing}).apply(m)
			return nil
		}
		return r.testMutant(ctx, s, m, cov, sources[m.File])
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
	// rel, when tests run in copies, is where builds see the tree and
	// how binaries are made to name the copies' files (relocate.go).
	rel *relocation
	// prints and key are the run's fingerprints (fingerprint.go).
	prints *fingerprints
	key    string
	// testSources are the test files of the test binaries, by name
	// relative to the root.
	testSources map[string][]byte
}

type slot struct {
	dir string
	sb  *sandbox // nil: tests run in place
	// bins are the slot's relocated copies of shared test binaries, by
	// the shared binary's path, the most recently made last (see
	// slotBinary).
	bins      map[string]string
	made      []string
	relocated int
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
	if !inPlace {
		rel, err := newRelocation(r.cfg.Root, r.tmp)
		if err != nil {
			return fmt.Errorf("linking the module for builds: %v", err)
		}
		r.rel = rel
	}
	for w := range r.cfg.Workers {
		// Short names: tests put Unix sockets in TMPDIR, whose paths are
		// limited to about a hundred bytes.
		s := &slot{dir: filepath.Join(r.tmp, "w"+strconv.Itoa(w)), tmp: filepath.Join(r.tmp, "x"+strconv.Itoa(w)), bins: make(map[string]string)}
		for _, d := range []string{s.dir, s.tmp} {
			if err := os.MkdirAll(d, 0o777); err != nil {
				return err
			}
		}
		if !inPlace {
			copyPath := filepath.Join(r.tmp, "tree"+strconv.Itoa(w))
			if r.rel != nil {
				copyPath = r.rel.copyName(w)
			}
			sb, err := newSandbox(r.cfg.Root, copyPath, exclude)
			switch {
			case errors.Is(err, errTooBig):
				r.cfg.Warn(fmt.Sprintf("%s is bigger than %d MiB: tests run in place, where a mutant could change files", r.cfg.Root, maxSandboxBytes>>20))
				inPlace = true
				r.rel = nil
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
	bin, err := r.slotBinary(s, bin)
	if err != nil {
		return nil, err
	}
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

// slotBinary returns the test binary to run in slot s for bin: bin
// itself when tests run in place or bin is the slot's own (a mutant built
// alone, relocated when built), else a copy of bin that names the files
// of the slot's copy of the tree, made once.
func (r *runner) slotBinary(s *slot, bin string) (string, error) {
	if r.rel == nil || s.sb == nil || strings.HasPrefix(bin, s.dir+string(filepath.Separator)) {
		return bin, nil
	}
	if b, ok := s.bins[bin]; ok {
		return b, nil
	}
	// Mutants come package by package, so a few copies serve: the
	// oldest goes, or a module of many packages would fill the disk.
	if len(s.made) == maxSlotBinaries {
		old := s.made[0]
		os.Remove(s.bins[old])
		delete(s.bins, old)
		s.made = s.made[1:]
	}
	s.relocated++
	b := filepath.Join(s.dir, fmt.Sprintf("shared%d.test", s.relocated))
	if err := r.rel.relocate(bin, b, s.sb.dir); err != nil {
		return "", err
	}
	s.bins[bin] = b
	s.made = append(s.made, bin)
	return b, nil
}

// maxSlotBinaries is how many relocated test binaries a slot keeps.
const maxSlotBinaries = 8

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
	overlay, err := r.rel.overlay(overlay)
	if err != nil {
		return false, "", err
	}
	args := []string{"test", "-c", "-vet=off", "-o", bin, "-overlay", overlay}
	args = append(args, withoutDWARF(r.goEnv("GOFLAGS"), gocmd.Flags(r.env(), r.cfg.BuildFlags))...)
	args = append(args, pkg)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = r.rel.buildPath(r.cfg.Dir)
	// The go command's work directory goes in ours: a go command stopped
	// by an interrupt leaves it behind.
	cmd.Env = append(r.rel.buildEnv(r.env(), cmd.Dir), "GOTMPDIR="+r.gotmp)
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
		return false, r.rel.original(strings.TrimSpace(string(out))), nil
	}
	if _, err := os.Stat(bin); err != nil {
		return false, "", nil // no test files
	}
	return true, "", nil
}

// withoutDWARF adds -w to the linker flags of a test build: test binaries
// without DWARF link about a quarter faster, and linking is most of a
// build. To the user's -ldflags when flags has them (the last wins); not
// when GOFLAGS has them (the user's choice, which the command line would
// override).
func withoutDWARF(goflags string, flags []string) []string {
	if strings.Contains(goflags, "-ldflags") {
		return flags
	}
	out := slices.Clone(flags)
	for i := len(out) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(out[i], "-ldflags="); ok {
			out[i] = "-ldflags=" + strings.TrimSpace(v+" -w")
			return out
		}
	}
	return append(out, "-ldflags=-w")
}

// mutants builds and tests each mutant of the queue in the workers.
func (r *runner) mutants(ctx context.Context, queue []*Mutant, cov *coverage, sources map[string][]byte) error {
	r.mu.Lock()
	r.begin = time.Now()
	r.prog = Progress{Phase: "mutants", Total: len(queue)}
	r.mu.Unlock()
	return parallel(ctx, r.cfg.Workers, len(queue), func(i int) error {
		s := <-r.slots
		defer func() { r.slots <- s }()
		m := queue[i]
		if err := r.testMutant(ctx, s, m, cov, sources[m.File]); err != nil {
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

// testMutant tests m in each test binary with tests that cover it, its own
// package's first, until one kills it, and sets its status (see combine).
// A mutant of the schema is switched on in the binaries built already; one
// built alone is built into each binary it is tested in.
func (r *runner) testMutant(ctx context.Context, s *slot, m *Mutant, cov *coverage, src []byte) error {
	start := time.Now()
	defer func() { m.Duration = time.Since(start) }()
	var verdicts []*verdict
	for _, pc := range cov.binsCovering(m) {
		if m.only != nil && !slices.ContainsFunc(pc.tests, func(t *Test) bool { return m.only[t.ID] }) {
			continue // its tests here are unchanged (see Incremental)
		}
		v, err := r.testMutantIn(ctx, s, m, pc, src)
		if err != nil {
			return err
		}
		verdicts = append(verdicts, v)
		if v.status == Killed || v.status == CompileError {
			break
		}
	}
	if m.earlier != nil {
		verdicts = append(verdicts, m.earlier)
	}
	v := combine(verdicts)
	if m.only != nil && len(verdicts) == 0 {
		// The tests to run again all turned out flaky: the others
		// passed.
		v = &verdict{status: Survived}
	}
	if m.only != nil && v.status == Survived {
		v.reason = fmt.Sprintf("%d covering test(s) passed, %d of them run again (the others did in an earlier run, and they and the code they run are unchanged)",
			len(m.CoveredBy), v.passed) + flakyNote(v.flaky)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	v.apply(m)
	if v.status == Killed && len(v.killedBy) > 0 {
		r.stats.binary(v.killedBy[0].Package).Kills++
	}
	return nil
}

// testMutantIn tests m with the tests of one binary.
func (r *runner) testMutantIn(ctx context.Context, s *slot, m *Mutant, pc *pkgCoverage, src []byte) (*verdict, error) {
	if m.schemaID > 0 {
		return r.judgeMutant(ctx, s, m, pc, pc.bin, append(slices.Clone(r.env()), SchemaEnv+"="+strconv.Itoa(m.schemaID)))
	}
	if src == nil {
		return nil, fmt.Errorf("%s: source not kept", m.File)
	}
	dir := s.dir
	start := time.Now()
	mutated := m.Apply(src)
	file := filepath.Join(dir, filepath.Base(m.File))
	if err := os.WriteFile(file, mutated, 0o666); err != nil {
		return nil, err
	}
	data, err := json.Marshal(struct{ Replace map[string]string }{map[string]string{m.File: file}})
	if err != nil {
		return nil, err
	}
	overlay := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(overlay, data, 0o666); err != nil {
		return nil, err
	}
	bin := filepath.Join(dir, "mutant.test")
	os.Remove(bin)
	built, msg, err := r.buildTest(ctx, pc.pkg, overlay, bin)
	buildTime := time.Since(start)
	r.mu.Lock()
	r.stats.Build += buildTime
	r.stats.Builds++
	r.stats.binary(pc.pkg).Builds++
	r.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if built && r.rel != nil && s.sb != nil {
		if err := r.rel.relocate(bin, bin, s.sb.dir); err != nil {
			return nil, err
		}
	}
	if !built {
		return compileError(msg), nil
	}
	return r.judgeMutant(ctx, s, m, pc, bin, r.env())
}

// judgeMutant runs the tests of pc covering m in bin, with env, and
// decides m's fate in that binary by the rules of verdict.go.
func (r *runner) judgeMutant(ctx context.Context, s *slot, m *Mutant, pc *pkgCoverage, bin string, env []string) (*verdict, error) {
	testStart := time.Now()
	tests, whole := r.coveringTests(m, pc)
	v, err := decide(ctx, &mutantTrial{r: r, s: s, m: m, pc: pc, bin: bin, env: env}, plan{
		covering: tests,
		order:    pc.tests,
		whole:    whole,
		first:    func(batch []*Test) time.Duration { return r.timeout(batch, pc, whole) },
		ceiling:  func(batch []*Test) time.Duration { return r.ceiling(batch, pc, whole) },
	})
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stats.Test += time.Since(testStart)
	if err != nil {
		return nil, err
	}
	r.stats.Confirms += v.confirms
	r.stats.ConfirmTime += v.confirmTime
	r.stats.Reproductions += v.reproductions
	r.stats.ReproduceTime += v.reproduceTime
	for _, t := range v.flaky {
		r.stats.NotReproduced++
		r.cfg.Warn(fmt.Sprintf("%s: %s failed with mutant %s at %s once and passed when run again with it (flaky); it did not kill it", t.Package, t.Name, m.ID, m.Location()))
	}
	return v, nil
}

// mutantTrial runs a mutant's tests for decide.
type mutantTrial struct {
	r   *runner
	s   *slot
	m   *Mutant
	pc  *pkgCoverage
	bin string
	env []string
}

func (t *mutantTrial) run(ctx context.Context, tests []*Test, limit time.Duration) (*testRun, error) {
	res, err := t.r.runIn(ctx, t.s, t.bin, t.pc.dir, t.env, names(tests), limit)
	if err != nil {
		return nil, err
	}
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	t.r.stats.Runs++
	t.r.stats.binary(t.pc.pkg).Runs++
	if res.timedOut {
		t.r.stats.Timeouts++
		t.r.stats.TimeoutTime += res.elapsed
	}
	return res, nil
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
	var tests []*Test
	for _, t := range pc.tests {
		if !t.Failed && slices.Contains(m.CoveredBy, t.ID) && (m.only == nil || m.only[t.ID]) {
			tests = append(tests, t)
		}
	}
	// Fastest first, by class of duration, then by name: the test that
	// fails or hangs first decides the fate, and durations measured again
	// (another run, the other strategy) must order the tests the same way.
	// Tests under a tenth of a second, mostly the process's start, are one
	// class; slower ones go by powers of two.
	sort.SliceStable(tests, func(i, j int) bool {
		// An incremental run tries the tests that killed the mutant in
		// the earlier run first: most kills stand.
		pi, pj := slices.Contains(m.prefer, tests[i].ID), slices.Contains(m.prefer, tests[j].ID)
		if pi != pj {
			return pi
		}
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

// ceiling is the limit on a run of tests that ran past the first limit
// (see verdict.go): 1.5 times their expected duration plus 5 s, as
// Stryker's timeouts, and at least twice the first limit. It leaves the
// time for a test's own guards (a select on time.After) to fail it.
func (r *runner) ceiling(batch []*Test, pc *pkgCoverage, whole bool) time.Duration {
	base := r.expected(batch, pc, whole)
	return max(time.Duration(1.5*float64(base))+5*time.Second, 2*r.timeout(batch, pc, whole))
}

// failWithout is trial.failWithout: it runs the tests of a kill again on
// the unmutated (instrumented) binary, as far as the killing tests (see
// checkRun), when a check is due (see checkDue). The killers that fail
// there too are flaky: they are marked failed and returned. A test
// another worker already found failing is returned too: its kill does not
// count.
func (t *mutantTrial) failWithout(ctx context.Context, killers, ran []*Test) ([]*Test, error) {
	r, s, pc := t.r, t.s, t.pc
	r.mu.Lock()
	var known []*Test
	for _, k := range killers {
		if k.Failed {
			known = append(known, k)
		}
	}
	r.mu.Unlock()
	if len(known) > 0 {
		return known, nil
	}
	if !r.checkDue(killers) {
		return nil, nil
	}
	start := time.Now()
	defer func() {
		r.mu.Lock()
		r.stats.Checks++
		r.stats.CheckTime += time.Since(start)
		r.mu.Unlock()
	}()
	check, err := r.checkRun(ctx, s, pc, killers, ran)
	if err != nil || len(check) == 0 {
		return nil, err
	}
	timeout := r.timeout(check, pc, len(pc.orderDependent) > 0)
	res, err := r.runIn(ctx, s, pc.bin, pc.dir, r.env(), names(check), timeout)
	if err == nil && res.timedOut {
		// A busy machine can stretch a run past its timeout: a test is
		// flaky when it fails, or hangs well past it.
		res, err = r.runIn(ctx, s, pc.bin, pc.dir, r.env(), names(check), r.ceiling(check, pc, len(pc.orderDependent) > 0))
	}
	if err != nil || (res.exit == 0 && !res.timedOut) {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	flaky := named(res.failed, killers)
	if len(flaky) == 0 {
		flaky = killers // the run failed, and no killer says so
	}
	for _, k := range flaky {
		if !k.Failed {
			k.Failed = true
			r.stats.Flaky++
			r.cfg.Warn(fmt.Sprintf("%s: %s failed again without the mutant it seemed to kill (flaky); it is not used to judge mutants", k.Package, k.Name))
		}
	}
	return flaky, nil
}

// slowCheck is how much longer than the killing tests alone a check may
// take (by the tests' baselines) before the package's tests are run
// together once instead (see checkRun).
const slowCheck = time.Second

// checkRun returns the tests a check of a kill by killers runs without
// the mutant: those that ran in the killing run, in the same order, as
// far as the killers (ran). When the tests before the killers are slow
// (a long test earlier in the file, say), and the package's tests pass
// when all of them run together without mutants (run once, when first
// needed), only the killers run: a test that passes alone and after all
// the others is not failing because of the others, so the check is
// whether the killers fail by themselves (flaky).
func (r *runner) checkRun(ctx context.Context, s *slot, pc *pkgCoverage, killers, ran []*Test) ([]*Test, error) {
	if len(pc.orderDependent) > 0 {
		return ran, nil
	}
	var extra time.Duration
	for _, t := range ran {
		if !slices.Contains(killers, t) {
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

// checkDue counts a kill by the tests that failed and reports whether it is to be checked: the first kill by the
// same tests is, then the 4th, the 16th, the 64th and so on (see
// checkScheduled). Checks cost a run of the killing tests to the end,
// which for a slow test is seconds where the kill took milliseconds, and
// checking more often catches little more: a flaky test is caught by any
// check, and the mutants it killed before that are tested again then.
// A test that fails every time without mutants never kills at all (it is
// left out).
func (r *runner) checkDue(killers []*Test) bool {
	key := strings.Join(slices.Sorted(slices.Values(testIDs(killers))), "\x00")
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

// timeout is the first limit on one run of batch: the timeout factor
// times its expected duration, plus the grace.
func (r *runner) timeout(batch []*Test, pc *pkgCoverage, whole bool) time.Duration {
	return time.Duration(float64(r.expected(batch, pc, whole))*r.cfg.TimeoutFactor) + r.cfg.TimeoutGrace
}

// expected is how long a run of batch takes without mutants. Each test's
// baseline is the run of a process of its own, so the start of a process,
// which the package's fastest test's baseline shows, counts once.
func (r *runner) expected(batch []*Test, pc *pkgCoverage, whole bool) time.Duration {
	if whole {
		return pc.whole
	}
	start := pc.fastest()
	var base time.Duration
	for _, t := range batch {
		base += max(t.Baseline-start, 0)
	}
	return base + start
}

func names(tests []*Test) []string {
	out := make([]string, len(tests))
	for i, t := range tests {
		out[i] = t.Name
	}
	return out
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
