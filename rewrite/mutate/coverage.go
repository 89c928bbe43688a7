package mutate

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorewrite/gorewrite/rewrite/cover"
	"github.com/gorewrite/gorewrite/rewrite/internal/proc"
)

// pkgCoverage is one test binary (a package's tests) and what the
// coverage phase learnt from it.
type pkgCoverage struct {
	pkg   string          // the import path of the tests' package
	dir   string          // package directory: tests run there, as go test runs them
	links map[string]bool // the mutated packages the binary links
	tests []*Test
	// hits[i] lists the tests that ran the coverage's blocks[i].
	hits [][]*Test
	// why the binary tests nothing, when it is the package's fault (its
	// tests do not build).
	why string
	// orderDependent are the tests that fail alone but pass with the
	// others (they need what an earlier test leaves behind): the
	// mutants are then tested with all the binary's tests, which took
	// whole together.
	orderDependent map[*Test]bool
	whole          time.Duration
	bin            string // the instrumented test binary
	// together is a run of all the binary's usable tests without
	// mutants, made once when a kill check would be slow (see
	// runner.checkRun).
	together struct {
		once sync.Once
		pass bool
		err  error
	}
}

// fastest returns the shortest baseline of the binary's tests: about
// what starting it takes.
func (pc *pkgCoverage) fastest() time.Duration {
	var d time.Duration
	for _, t := range pc.tests {
		if t.Baseline > 0 && (d == 0 || t.Baseline < d) {
			d = t.Baseline
		}
	}
	return d
}

func inside(p Position, b cover.Block) bool {
	after := p.Line > b.StartLine || (p.Line == b.StartLine && p.Column >= b.StartCol)
	before := p.Line < b.EndLine || (p.Line == b.EndLine && p.Column < b.EndCol)
	return after && before
}

// testsDoNotBuild is said of the mutants no test can test because their
// tests do not build.
const testsDoNotBuild = "the package's tests do not build"

// survey is what a run learns before it builds anything: the test
// packages that may test the mutants, and the fingerprints of their tests
// (by package, by test name) and of the mutated code (in the runner).
type survey struct {
	testPkgs []testPackage
	tests    []map[string]testPrint
}

// survey lists the module's packages and their tests and fingerprints
// them.
func (r *runner) survey(ctx context.Context, pkgs []string) (*survey, error) {
	listing, err := r.listModule(ctx, pkgs)
	if err != nil {
		return nil, err
	}
	allowed, err := r.allowedTests(ctx)
	if err != nil {
		return nil, err
	}
	sv := &survey{testPkgs: listing.testPackages(pkgs, allowed)}
	if err := r.fingerprint(listing, sv.testPkgs, pkgs); err != nil {
		return nil, err
	}
	sv.tests = make([]map[string]testPrint, len(sv.testPkgs))
	for i, tp := range sv.testPkgs {
		if sv.tests[i], err = fingerprintTests(r.root(), tp.listed, r.testSources); err != nil {
			return nil, err
		}
	}
	return sv, nil
}

// coverage builds the test binaries that may test the mutants of pkgs (see
// testbinaries.go), with probes in pkgs, and runs each of their tests
// alone, for the blocks each runs and its duration.
func (r *runner) coverage(ctx context.Context, pkgs []string, sv *survey) (*coverage, error) {
	testPkgs := sv.testPkgs
	opts := cover.Options{Mode: cover.Set, IncludeGenerated: r.cfg.IncludeGenerated}
	if r.cfg.Strategy == Schemata {
		opts.Render = r.render
	}
	patterns := make([]string, len(testPkgs))
	for i, tp := range testPkgs {
		patterns[i] = tp.path
	}
	if len(patterns) == 0 {
		// Nothing tests the mutants; the plan still says which packages
		// have probes.
		patterns = pkgs
	}
	plan, err := cover.Prepare(ctx, cover.Config{
		Dir:      r.cfg.Dir,
		Env:      r.cfg.Env,
		Options:  opts,
		Patterns: patterns,
		// Probes in the mutated packages only, reported by every test
		// binary that links them (go test -coverpkg).
		CoverPkg: pkgs,
		GoFlags:  r.cfg.BuildFlags,
		VetOff:   true, // go test -c -vet=off
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
	if r.cfg.Strategy == Schemata {
		r.finishSchema(plan)
	}
	overlay, err := plan.WriteTestOverlay(filepath.Join(r.tmp, "cover"))
	if err != nil {
		return nil, err
	}
	cov := newCoverage(plan.Blocks(), r.cfg.OwnTests)
	for _, pp := range plan.Packages {
		cov.instrumented[pp.ImportPath] = true
	}
	// A profile line's key finds its blocks (a key may name several,
	// under //line directives).
	byKey := make(map[string][]int, len(cov.blocks))
	for i, b := range cov.blocks {
		byKey[b.Key()] = append(byKey[b.Key()], i)
	}
	prints := sv.tests
	for i, tp := range testPkgs {
		cov.add(&pkgCoverage{pkg: tp.path, dir: tp.dir, links: tp.links, hits: make([][]*Test, len(cov.blocks)),
			bin: filepath.Join(r.tmp, "cover", "bin", strconv.Itoa(i)+".test")})
	}
	// The test binaries are built in the workers, then every test of
	// every binary runs alone in them.
	type job struct {
		pc   *pkgCoverage
		t    *Test
		prof string
	}
	names := make([][]string, len(cov.bins))
	var mu sync.Mutex
	err = parallel(ctx, r.cfg.Workers, len(cov.bins), func(i int) error {
		pc := cov.bins[i]
		start := time.Now()
		built, msg, err := r.buildCoverage(ctx, pc, plan, overlay)
		if err != nil {
			return err
		}
		mu.Lock()
		r.stats.CoverBuild += time.Since(start)
		r.stats.CoverBuilds++
		r.stats.binary(pc.pkg).Builds++
		mu.Unlock()
		untestable := func(why, warning string) {
			mu.Lock()
			defer mu.Unlock()
			pc.why = why
			r.stats.Untestable++
			r.cfg.Warn(warning)
		}
		if !built {
			if msg != "" {
				untestable("untested: "+testsDoNotBuild+": "+r.buildErrorLine(msg), fmt.Sprintf("%s: the tests do not build, so they test no mutant:\n%s", pc.pkg, indent(msg)))
			}
			return nil
		}
		s := <-r.slots
		list, err := r.listTests(ctx, s, pc.bin, s.sb.path(pc.dir))
		if _, rerr := s.sb.repair(); rerr != nil && err == nil {
			err = rerr
		}
		r.slots <- s
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			untestable("its tests could not be listed", fmt.Sprintf("%s: listing the tests: %v", pc.pkg, err))
			return nil
		}
		names[i] = list
		return nil
	})
	if err != nil {
		return nil, err
	}
	var jobs []job
	for i, pc := range cov.bins {
		for j, name := range names[i] {
			t := &Test{ID: pc.pkg + "." + name, Name: name, Package: pc.pkg}
			if tp, ok := prints[i][name]; ok {
				t.File, t.Line, t.Hash = tp.file, tp.line, tp.hash
			}
			pc.tests = append(pc.tests, t)
			cov.byID[t.ID] = t
			jobs = append(jobs, job{pc, t, filepath.Join(r.tmp, "cover", "runs", fmt.Sprintf("%d-%d", i, j))})
		}
		r.stats.binary(pc.pkg).Tests = len(pc.tests)
	}
	r.begin = time.Now()
	r.prog = Progress{Phase: "coverage", Total: len(jobs)}
	err = parallel(ctx, r.cfg.Workers, len(jobs), func(i int) error {
		j := jobs[i]
		s := <-r.slots
		defer func() { r.slots <- s }()
		counts, d, ok, err := r.runCovered(ctx, s, j.pc.bin, j.pc.dir, j.t.Name, j.prof)
		if err != nil {
			return err
		}
		mu.Lock()
		r.stats.CoverTest += d
		r.stats.CoverRuns++
		j.t.Baseline = d
		if !ok {
			j.t.Failed = true
		}
		for key, n := range counts {
			if n == 0 {
				continue
			}
			for _, b := range byKey[key] {
				j.pc.hits[b] = append(j.pc.hits[b], j.t)
			}
		}
		mu.Unlock()
		r.advance(func(p *Progress) { p.Package = j.t.Package })
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, pc := range cov.bins {
		if err := r.failedAlone(ctx, pc); err != nil {
			return nil, err
		}
	}
	return cov, nil
}

// failedAlone sorts out the tests of a package that failed when run alone:
// the ones that pass alone when run again are flaky, and the ones that fail
// again without any mutant are not used, unless they pass when the
// package's tests run together: those depend on the others and are kept.
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
	defer func() { r.slots <- s }()
	// A test that passes alone when run again is flaky (time-dependent,
	// say), not in need of the others: it is left out, as are tests
	// found flaky later, rather than making every mutant it covers run
	// the whole package's tests.
	again := failed[:0]
	for _, name := range failed {
		res, err := r.runInMode(ctx, s, pc.bin, pc.dir, r.env(), []string{name}, baselineTimeout, false)
		if err != nil {
			return err
		}
		if res.exit != 0 || res.timedOut {
			again = append(again, name)
			continue
		}
		r.stats.Flaky++
		r.cfg.Warn(fmt.Sprintf("%s: %s failed once when run alone and passed when run again (flaky); it is not used to judge mutants", pc.tests[0].Package, name))
	}
	if failed = again; len(failed) == 0 {
		return nil
	}
	res, err := r.runInMode(ctx, s, pc.bin, pc.dir, r.env(), all, baselineTimeout, false)
	if err != nil {
		return err
	}
	// Without -failfast every failing test says so: a test that failed
	// alone and not here needs the others.
	named := res.exit == 0 || len(res.failed) > 0
	pc.whole = res.elapsed
	for _, t := range pc.tests {
		switch {
		case !slices.Contains(failed, t.Name):
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

// buildErrorLine is the first line of a go build error that says what is
// wrong (not the "# package" header), with file names relative to the
// module's root.
func (r *runner) buildErrorLine(msg string) string {
	for _, line := range strings.Split(msg, "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if r.cfg.Root != "" {
			line = strings.ReplaceAll(line, r.cfg.Root+string(filepath.Separator), "")
		}
		return line
	}
	return "go test -c failed"
}

// listTests lists the tests, examples and fuzz targets of a test binary
// (not its benchmarks, which tests do not run).
func (r *runner) listTests(ctx context.Context, s *slot, bin, dir string) ([]string, error) {
	bin, err := r.slotBinary(s, bin)
	if err != nil {
		return nil, err
	}
	// Listing runs the package's init and TestMain's setup: bound it.
	lctx, cancel := context.WithTimeout(ctx, baselineTimeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd, err := startBusy(lctx, func() *exec.Cmd {
		cmd := exec.CommandContext(lctx, bin, "-test.list", ".")
		cmd.Dir = dir
		cmd.Env = r.env()
		proc.OwnGroup(cmd)
		cmd.WaitDelay = time.Second
		cmd.Stdout = &stdout
		cmd.Stderr = &stderr
		return cmd
	})
	if err == nil {
		err = cmd.Wait()
	}
	proc.KillGroup(cmd)
	out := stdout.Bytes()
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
