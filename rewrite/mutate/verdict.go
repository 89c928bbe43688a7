package mutate

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// This file is the definition of the statuses: the rules that decide a
// mutant's fate from what its tests did. run.go runs the tests (through
// the trial interface); nothing here starts a process, so the rules are
// tested on recorded outcomes (verdict_test.go).
//
// Before any test runs:
//   - CompileError: the mutant's test binary did not build (compileError).
//   - NoCoverage: no usable test runs the mutated code, or the package's
//     tests do not build, so that none can (untested says why).
//
// Then the covering tests run against the mutant, the fastest alone first
// and the rest in one process that stops at the first failure, each run
// bounded by the first limit: --timeout-factor times the tests' baselines
// plus --timeout-grace (see decide):
//   - A test that fails (or panics) with the mutant fails again when the
//     mutant's killing tests run again with it (alone, then as far as the
//     failure in the same order), or its failure was not the mutant's:
//     it is flaky, named in the status reason, and the other covering
//     tests go on. A kill that reproduces is checked now and then without
//     the mutant (trial.failWithout): tests that fail there too are
//     dropped for good and the mutant is judged again without them.
//   - A test that runs past the first limit does not stop the others: it
//     is set aside, and the other covering tests run. Only when none of
//     them kills are the set-aside tests run again, with the ceiling
//     (1.5 times their baselines plus 5 s, as Stryker's timeout), long
//     enough for a test's own guards (time.After) to fail it; the first
//     that fails or hangs again decides. After three tests set aside,
//     the rest go to that run too, so a mutant that makes every test hang
//     costs four limits, not one per test.
//
// So the fate does not depend on the order of the tests or the load of
// the machine: any covering test that fails with the mutant, twice, kills
// it.
//   - Killed: a covering test failed with the mutant, and failed again.
//   - Timeout: no covering test failed, and one ran past the first limit
//     and past the ceiling.
//   - RuntimeError: no covering test failed or hung, and the test binary
//     crashed without a test failing (a fatal error, os.Exit, a signal).
//   - Survived: every covering test passed (those set aside within the
//     ceiling), failures that did not reproduce aside.

// trial is what deciding a fate needs: runs of tests against the mutant,
// and the check of a kill without it.
type trial interface {
	// run runs tests with the mutant, in the order the test binary runs
	// them, stopping at the first failure, bounded by limit.
	run(ctx context.Context, tests []*Test, limit time.Duration) (*testRun, error)
	// failWithout checks, when a check is due, that killers fail only
	// with the mutant: it runs ran (the killing run as far as the
	// killers) without it, and returns the killers that fail there too;
	// those are no longer used to judge any mutant.
	failWithout(ctx context.Context, killers, ran []*Test) ([]*Test, error)
}

// plan is what a fate is decided on.
type plan struct {
	// covering are the usable tests that cover the mutant, in the order
	// they are tried (fastest first); order is the package's tests in
	// the order its test binary runs them.
	covering, order []*Test
	// whole says covering is all of the package's tests, run together,
	// because some need others to run first.
	whole bool
	// first and ceiling are the limits of a run of tests (see decide).
	first, ceiling func(tests []*Test) time.Duration
}

// verdict is a decided fate and how it was reached.
type verdict struct {
	status   Status
	reason   string
	killedBy []*Test
	// decidedBy are the tests that ran past the ceiling (Timeout) or
	// whose run crashed (RuntimeError).
	decidedBy []*Test
	// flaky are the tests whose failure with the mutant did not come
	// again; broken the ones found failing without it.
	flaky, broken []*Test
	// passed counts the covering tests that passed, when it Survived.
	passed int
	// Runs of the tests, and among them the ones with the ceiling
	// (confirms) and the ones that reproduced a failure, with their time.
	runs, confirms, reproductions int
	confirmTime, reproduceTime    time.Duration
}

// compileError is the fate of a mutant whose test binary did not build;
// msg is go's message.
func compileError(msg string) *verdict {
	v := &verdict{status: CompileError, reason: firstLines(msg, 5)}
	if msg == "" {
		v.reason = "go test -c wrote no test binary"
	}
	return v
}

// untested is the fate of a mutant m that no test covers: NoCoverage, and
// the reason is the package's when there is one (why: its tests do not
// build, with the error's first line, or none links it).
func untested(m *Mutant, why string) *verdict {
	v := &verdict{status: NoCoverage, reason: why}
	switch {
	case m.unused:
		v.reason = "it changes exported constants that nothing in the package uses"
	case v.reason == "":
		v.reason = "no test runs this code"
	}
	return v
}

// onlyFailing is why a mutant whose covering tests all fail without
// mutants is NoCoverage.
const onlyFailing = "covered only by tests that fail without mutants"

// apply sets m's status from v.
func (v *verdict) apply(m *Mutant) {
	m.Status, m.StatusReason, m.KilledBy, m.DecidedBy = v.status, v.reason, nil, nil
	for _, t := range v.killedBy {
		m.KilledBy = append(m.KilledBy, t.ID)
	}
	for _, t := range v.decidedBy {
		m.DecidedBy = append(m.DecidedBy, t.ID)
	}
}

// decide runs a mutant's covering tests through tr and decides its fate.
func decide(ctx context.Context, tr trial, p plan) (*verdict, error) {
	v := &verdict{}
	covering := p.covering
	for {
		if len(covering) == 0 {
			v.status, v.reason = NoCoverage, onlyFailing
			return v, nil
		}
		v.flaky = nil
		first, err := v.pass(ctx, tr, p, covering, p.first, false)
		if err != nil {
			return nil, err
		}
		out := first
		if len(first.killers) == 0 && len(first.hung) > 0 {
			// The tests that ran past the first limit, again with the
			// ceiling: a test's own guard fails it, or it hangs.
			out, err = v.pass(ctx, tr, p, first.hung, p.ceiling, true)
			if err != nil {
				return nil, err
			}
			if out.crash == nil {
				out.crash, out.crashed = first.crash, first.crashed
			}
		}
		if len(out.killers) > 0 {
			broken, err := tr.failWithout(ctx, out.killers, out.ran)
			if err != nil {
				return nil, err
			}
			if len(broken) > 0 {
				v.broken = append(v.broken, broken...)
				covering = slices.DeleteFunc(slices.Clone(covering), func(t *Test) bool { return slices.Contains(broken, t) })
				continue
			}
			v.status, v.killedBy = Killed, out.killers
			v.reason = "failed: " + strings.Join(testIDs(out.killers), ", ")
			if out != first {
				v.reason += fmt.Sprintf(" (after running past the first limit, %v)", p.first(first.hung).Round(time.Millisecond))
			} else if out.panic != "" {
				v.reason = out.panic
			}
			return v, nil
		}
		switch {
		case len(out.hung) > 0:
			v.status, v.decidedBy = Timeout, out.hung
			v.reason = fmt.Sprintf("%s ran longer than %v, and again longer than %v", strings.Join(names(out.hung), ", "),
				p.first(first.hung).Round(time.Millisecond), p.ceiling(out.hung).Round(time.Millisecond))
		case out.crash != nil:
			v.status, v.reason, v.decidedBy = RuntimeError, crashReason(out.crash), out.crashed
		default:
			v.status, v.passed = Survived, len(covering)
			v.reason = survivedReason(v.passed)
		}
		v.reason += flakyNote(v.flaky)
		return v, nil
	}
}

func survivedReason(passed int) string {
	return fmt.Sprintf("%d covering test(s) passed", passed)
}

// flakyNote is what a status reason adds about flaky tests.
func flakyNote(flaky []*Test) string {
	if len(flaky) == 0 {
		return ""
	}
	return fmt.Sprintf("; %s failed with the mutant once and passed when run again with it (flaky)", strings.Join(testIDs(flaky), ", "))
}

// combine is the fate of a mutant tested in several test binaries (its own
// package's first, see testMutant), from its verdict in each: a kill in
// any decides (testing stops there, as at a CompileError); else a Timeout
// in any, else a RuntimeError, else Survived, with the covering tests of
// all of them; NoCoverage when every binary's covering tests turned out
// to fail without mutants. So the fate does not depend on the order of
// the binaries either.
func combine(vs []*verdict) *verdict {
	switch len(vs) {
	case 0:
		return &verdict{status: NoCoverage, reason: onlyFailing}
	case 1:
		return vs[0]
	}
	rank := func(s Status) int {
		return slices.Index([]Status{Killed, CompileError, Timeout, RuntimeError, Survived, NoCoverage}, s)
	}
	best := vs[0]
	var flaky []*Test
	passed := 0
	for _, v := range vs {
		if rank(v.status) < rank(best.status) {
			best = v
		}
		flaky = append(flaky, v.flaky...)
		passed += v.passed
	}
	out := *best
	out.flaky = flaky
	if out.status == Survived {
		out.passed = passed
		out.reason = survivedReason(passed) + flakyNote(flaky)
	}
	return &out
}

// passOutcome is what one pass over tests found.
type passOutcome struct {
	// killers failed with the mutant, twice; ran is the run they failed
	// in, as far as them; panic the panic that named no test, when the
	// killer was alone.
	killers, ran []*Test
	panic        string
	// hung ran past the limit; crash is a run that ended without a test
	// failing.
	hung    []*Test
	crash   *testRun
	crashed []*Test // the tests of the crashed run
}

// maxSetAside is how many tests that ran past the first limit pass sets
// aside before it leaves the rest to the confirming run.
const maxSetAside = 3

// pass runs tests against the mutant until one kills it: the first alone
// (the fastest kills most mutants that are killed at all), then the rest
// together, stopping at the first failure. limit bounds each run. A test
// that hangs is set aside and the tests after it go on, so that a kill
// by any test is found whatever the order; when a run ends without saying
// which test hung or crashed, the tests go on one at a time.
func (v *verdict) pass(ctx context.Context, tr trial, p plan, tests []*Test, limit func([]*Test) time.Duration, confirming bool) (*passOutcome, error) {
	out := &passOutcome{}
	pending := slices.Clone(tests)
	alone := false
	for n := 0; len(pending) > 0; n++ {
		// Every run but one (the switch to one test at a time) settles a
		// test at least.
		if n > len(tests)+1 {
			return nil, fmt.Errorf("deciding a mutant's fate: no progress after %d runs of its tests (please report this)", n)
		}
		batch := pending
		if !p.whole && (n == 0 || alone) {
			batch = pending[:1]
		}
		start := time.Now()
		res, err := tr.run(ctx, batch, limit(batch))
		if err != nil {
			return nil, err
		}
		v.runs++
		if confirming {
			v.confirms++
			v.confirmTime += time.Since(start)
		}
		failed := named(res.failed, batch)
		panicked := res.panic != "" && !res.timedOut && len(batch) == 1
		switch {
		case len(failed) > 0 || panicked:
			if len(failed) == 0 {
				failed = batch
			}
			ran := ranUntil(batch, failed, p.order)
			killers, err := v.reproduce(ctx, tr, p, failed, ran)
			if err != nil {
				return nil, err
			}
			if len(killers) > 0 {
				out.killers, out.ran = killers, ran
				if len(named(res.failed, batch)) == 0 {
					out.panic = res.panic
				}
				return out, nil
			}
			v.flaky = append(v.flaky, failed...)
			pending = without(pending, ran)
		case res.timedOut:
			hung := named(res.hung, batch)
			if len(hung) == 0 {
				if len(batch) > 1 && !p.whole {
					alone = true // which test hung is not known
					continue
				}
				hung = batch // all of them, when they must run together
			}
			out.hung = append(out.hung, hung...)
			pending = without(pending, ranUntil(batch, hung, p.order))
			switch {
			case confirming:
				// A hang past the ceiling is the verdict's: the tests
				// set aside with it ran past the first limit too.
				return out, nil
			case len(out.hung) >= maxSetAside:
				// A mutant that makes test after test hang would cost
				// a limit each: the rest go to the confirming run,
				// where the first to fail or hang decides.
				out.hung = append(out.hung, pending...)
				return out, nil
			}
		case res.exit != 0:
			if len(batch) > 1 && !p.whole {
				alone = true // which test crashed is not known
				continue
			}
			out.crash, out.crashed = res, batch
			pending = without(pending, batch)
		default:
			pending = without(pending, batch)
		}
	}
	return out, nil
}

// reproduce runs the tests that failed with the mutant (failed, in a run
// that got as far as ran) again with it: alone, then, if they pass alone,
// the same run again (the failure may need what the tests before leave
// behind). It returns the ones that fail again. The ceiling bounds these
// runs: a failing test is quick to say so, and a busy machine must not
// make a failure look flaky.
func (v *verdict) reproduce(ctx context.Context, tr trial, p plan, failed, ran []*Test) ([]*Test, error) {
	start := time.Now()
	defer func() { v.reproduceTime += time.Since(start) }()
	runs := [][]*Test{failed}
	if len(ran) > len(failed) {
		runs = append(runs, ran)
	}
	for _, tests := range runs {
		res, err := tr.run(ctx, tests, p.ceiling(tests))
		if err != nil {
			return nil, err
		}
		v.runs++
		v.reproductions++
		if again := named(res.failed, failed); len(again) > 0 {
			return again, nil
		}
		if len(tests) == 1 && res.panic != "" && !res.timedOut {
			return tests, nil
		}
	}
	return nil, nil
}

// named returns the tests whose names are in names.
func named(names []string, tests []*Test) []*Test {
	var out []*Test
	for _, t := range tests {
		if slices.Contains(names, t.Name) {
			out = append(out, t)
		}
	}
	return out
}

// without returns tests without those in drop.
func without(tests, drop []*Test) []*Test {
	return slices.DeleteFunc(slices.Clone(tests), func(t *Test) bool { return slices.Contains(drop, t) })
}

// ranUntil returns the tests of batch that ran in a run stopped by
// stoppers (tests that failed or hung): a test binary runs its tests in
// the order of the package's list (order), not the batch's, so those up
// to the last stopper in that order.
func ranUntil(batch, stoppers, order []*Test) []*Test {
	index := make(map[*Test]int, len(order))
	for i, t := range order {
		index[t] = i
	}
	ordered := slices.Clone(batch)
	slices.SortStableFunc(ordered, func(a, b *Test) int { return index[a] - index[b] })
	last := -1
	for i, t := range ordered {
		if slices.Contains(stoppers, t) {
			last = i
		}
	}
	if last < 0 {
		return ordered
	}
	return ordered[:last+1]
}

func testIDs(tests []*Test) []string {
	out := make([]string, len(tests))
	for i, t := range tests {
		out[i] = t.ID
	}
	return out
}

// crashReason says how a test binary ended without a test failing.
func crashReason(res *testRun) string {
	switch {
	case res.fatal != "":
		return res.fatal
	case res.panic != "":
		return res.panic
	}
	if s := firstLines(string(res.output), 3); s != "" {
		return s
	}
	return fmt.Sprintf("the test binary exited with status %d and no test failed", res.exit)
}
