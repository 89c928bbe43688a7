package mutate

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

// behaviour is what a test does against a mutant in a recorded run: it
// takes a duration and then passes or fails, or it never finishes.
type behaviour struct {
	took  time.Duration
	fails bool
	hangs bool
	// crashes: the binary dies without the test failing; panics: it dies
	// with a panic no test claims.
	crashes, panics bool
	// failsOnce: it fails the first time it runs and passes after that
	// (a flaky test); needs: it fails only when this test ran before it
	// in the same process.
	failsOnce bool
	needs     string
	// silent: it hangs, and the binary is killed without naming it (a
	// hang in TestMain's cleanup, say).
	silent bool
}

// fakeTrial replays behaviours: a run goes through the tests in the
// binary's order, stopping at the first that fails, hangs past the limit
// or crashes, as a test binary with -test.failfast and -test.timeout does.
type fakeTrial struct {
	order  []*Test
	behave map[string]behaviour
	// broken are the tests that fail without the mutant too.
	broken map[string]bool
	runs   map[string]int
	log    []string
}

func (f *fakeTrial) run(ctx context.Context, tests []*Test, limit time.Duration) (*testRun, error) {
	res := &testRun{}
	var elapsed time.Duration
	ran := make(map[string]bool)
	var names []string
tests:
	for _, t := range f.order {
		if !slices.Contains(tests, t) {
			continue
		}
		names = append(names, t.Name)
		b := f.behave[t.Name]
		f.runs[t.Name]++
		elapsed += b.took
		switch {
		case b.silent:
			res.timedOut = true
		case b.hangs || elapsed > limit:
			res.timedOut, res.hung = true, []string{t.Name}
		case b.crashes:
			res.exit, res.fatal = 2, "fatal error: boom"
		case b.panics:
			res.exit, res.panic = 2, "panic: boom"
		case b.fails, b.failsOnce && f.runs[t.Name] == 1, b.needs != "" && ran[b.needs]:
			res.exit, res.failed = 1, []string{t.Name}
		default:
			ran[t.Name] = true
			continue
		}
		break tests
	}
	f.log = append(f.log, fmt.Sprintf("%s/%v", strings.Join(names, "+"), limit))
	return res, nil
}

func (f *fakeTrial) failWithout(ctx context.Context, killers, ran []*Test) ([]*Test, error) {
	var out []*Test
	for _, k := range killers {
		if f.broken[k.Name] {
			out = append(out, k)
		}
	}
	return out, nil
}

// TestDecide: the fate of a mutant from its tests' recorded behaviour,
// whatever the order the covering tests are tried in.
func TestDecide(t *testing.T) {
	const (
		first   = 265 * time.Millisecond
		ceiling = 5400 * time.Millisecond
	)
	ms := time.Millisecond
	for _, tc := range []struct {
		name   string
		behave map[string]behaviour // by test name; the binary runs them in name order
		broken map[string]bool
		status Status
		by     []string // killed by
		reason string   // in the status reason
		// first, when set, is the test tried first (alone): the fate
		// depends on which tests share a process.
		first string
		// whole: the tests run together (some need others).
		whole bool
	}{
		{name: "every test passes", status: Survived,
			behave: map[string]behaviour{"TestA": {took: 10 * ms}, "TestB": {took: 20 * ms}}},
		{name: "a test fails", status: Killed, by: []string{"TestB"},
			behave: map[string]behaviour{"TestA": {took: 10 * ms}, "TestB": {took: 20 * ms, fails: true}}},
		{name: "a test hangs", status: Timeout, reason: "ran longer than 265ms, and again longer than 5.4s",
			behave: map[string]behaviour{"TestA": {took: 10 * ms}, "TestB": {hangs: true}}},
		{name: "a test fails on its own guard after the first limit", status: Killed, by: []string{"TestB"}, reason: "after running past the first limit",
			behave: map[string]behaviour{"TestA": {took: 10 * ms}, "TestB": {took: 3 * time.Second, fails: true}}},
		{name: "a slow failure and a quick one", status: Killed, by: []string{"TestB"},
			behave: map[string]behaviour{"TestA": {took: 450 * ms, fails: true}, "TestB": {took: 5 * ms, fails: true}, "TestC": {took: 5 * ms}}},
		{name: "a hang and a failure", status: Killed, by: []string{"TestC"},
			behave: map[string]behaviour{"TestA": {hangs: true}, "TestB": {took: 5 * ms}, "TestC": {took: 5 * ms, fails: true}}},
		{name: "a failure that does not come again", status: Survived, reason: "TestB failed with the mutant once and passed when run again with it (flaky)",
			behave: map[string]behaviour{"TestA": {took: 10 * ms}, "TestB": {took: 10 * ms, failsOnce: true}}},
		{name: "a flaky failure and a real one", status: Killed, by: []string{"TestC"},
			behave: map[string]behaviour{"TestA": {took: 10 * ms}, "TestB": {took: 10 * ms, failsOnce: true}, "TestC": {took: 10 * ms, fails: true}}},
		{name: "a failure that needs an earlier test", status: Killed, by: []string{"TestC"}, first: "TestA",
			behave: map[string]behaviour{"TestA": {took: 1 * ms}, "TestB": {took: 10 * ms}, "TestC": {took: 10 * ms, needs: "TestB"}}},
		{name: "a crash", status: RuntimeError, reason: "fatal error: boom",
			behave: map[string]behaviour{"TestA": {took: 10 * ms}, "TestB": {took: 10 * ms, crashes: true}, "TestC": {took: 10 * ms}}},
		{name: "a crash and a failure", status: Killed, by: []string{"TestC"},
			behave: map[string]behaviour{"TestA": {took: 10 * ms}, "TestB": {took: 10 * ms, crashes: true}, "TestC": {took: 10 * ms, fails: true}}},
		{name: "a hang and a crash", status: Timeout,
			behave: map[string]behaviour{"TestA": {hangs: true}, "TestB": {took: 10 * ms, crashes: true}}},
		{name: "a panic no test claims", status: Killed, by: []string{"TestB"}, reason: "panic: boom",
			behave: map[string]behaviour{"TestA": {took: 10 * ms}, "TestB": {took: 10 * ms, panics: true}}},
		{name: "a hang the binary does not name", status: Killed, by: []string{"TestC"},
			behave: map[string]behaviour{"TestA": {took: 10 * ms}, "TestB": {silent: true}, "TestC": {took: 10 * ms, fails: true}}},
		{name: "a hang the binary does not name, alone", status: Timeout, reason: "TestB ran longer",
			behave: map[string]behaviour{"TestA": {took: 10 * ms}, "TestB": {silent: true}, "TestC": {took: 10 * ms}}},
		{name: "tests run together, a hang not named", status: Timeout, whole: true, first: "TestA",
			behave: map[string]behaviour{"TestA": {took: 10 * ms}, "TestB": {silent: true}, "TestC": {took: 10 * ms}}},
		{name: "tests run together, a flaky failure and a real one", status: Killed, by: []string{"TestC"}, whole: true, first: "TestA",
			behave: map[string]behaviour{"TestA": {took: 10 * ms}, "TestB": {took: 10 * ms, failsOnce: true}, "TestC": {took: 10 * ms, fails: true}}},
		{name: "a killer that fails without the mutant", status: Survived, broken: map[string]bool{"TestB": true},
			behave: map[string]behaviour{"TestA": {took: 10 * ms}, "TestB": {took: 10 * ms, fails: true}}},
		{name: "only killers that fail without the mutant", status: NoCoverage, broken: map[string]bool{"TestA": true},
			behave: map[string]behaviour{"TestA": {took: 10 * ms, fails: true}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var order []*Test
			for _, name := range slices.Sorted(maps.Keys(tc.behave)) {
				order = append(order, &Test{Name: name, ID: "p." + name, Package: "p"})
			}
			// Every order of trying the covering tests gives the same fate.
			for _, covering := range permutations(order) {
				if tc.first != "" && covering[0].Name != tc.first {
					continue
				}
				f := &fakeTrial{order: order, behave: tc.behave, broken: tc.broken, runs: make(map[string]int)}
				v, err := decide(context.Background(), f, plan{
					covering: covering,
					order:    order,
					whole:    tc.whole,
					first:    func([]*Test) time.Duration { return first },
					ceiling:  func([]*Test) time.Duration { return ceiling },
				})
				if err != nil {
					t.Fatal(err)
				}
				tried := strings.Join(names(covering), ",")
				if v.status != tc.status || !slices.Equal(names(v.killedBy), tc.by) || !strings.Contains(v.reason, tc.reason) {
					t.Errorf("trying %s: %s by %v (%s); want %s by %v (%q)\nruns: %s", tried, v.status, names(v.killedBy), v.reason, tc.status, tc.by, tc.reason, strings.Join(f.log, " "))
				}
			}
		})
	}
}

// TestDecideCost: the confirming run falls only on mutants whose tests
// run past the first limit, and a kill costs one run more, of the killer
// alone.
func TestDecideCost(t *testing.T) {
	order := []*Test{{Name: "TestA", ID: "p.TestA"}, {Name: "TestB", ID: "p.TestB"}}
	for _, tc := range []struct {
		behave           map[string]behaviour
		runs, confirms   int
		reproductions    int
		wantStatus       Status
		wantLogSubstring string
	}{
		{map[string]behaviour{"TestA": {}, "TestB": {}}, 2, 0, 0, Survived, "TestA/1s TestB/1s"},
		{map[string]behaviour{"TestA": {fails: true}, "TestB": {}}, 2, 0, 1, Killed, "TestA/1s TestA/10s"},
		{map[string]behaviour{"TestA": {hangs: true}, "TestB": {}}, 3, 1, 0, Timeout, "TestA/1s TestB/1s TestA/10s"},
	} {
		f := &fakeTrial{order: order, behave: tc.behave, runs: make(map[string]int)}
		v, err := decide(context.Background(), f, plan{covering: order, order: order,
			first:   func([]*Test) time.Duration { return time.Second },
			ceiling: func([]*Test) time.Duration { return 10 * time.Second }})
		if err != nil {
			t.Fatal(err)
		}
		log := strings.Join(f.log, " ")
		if v.status != tc.wantStatus || v.runs != tc.runs || v.confirms != tc.confirms || v.reproductions != tc.reproductions || log != tc.wantLogSubstring {
			t.Errorf("%v: %s in %d runs (%d confirms, %d reproductions): %s; want %s in %d (%d, %d): %s",
				tc.behave, v.status, v.runs, v.confirms, v.reproductions, log, tc.wantStatus, tc.runs, tc.confirms, tc.reproductions, tc.wantLogSubstring)
		}
	}
}

// permutations returns every order of tests.
func permutations(tests []*Test) [][]*Test {
	if len(tests) <= 1 {
		return [][]*Test{tests}
	}
	var out [][]*Test
	for i := range tests {
		rest := append(slices.Clone(tests[:i]), tests[i+1:]...)
		for _, p := range permutations(rest) {
			out = append(out, append([]*Test{tests[i]}, p...))
		}
	}
	return out
}
