package mutate

import (
	"bytes"
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Incremental carries an earlier run's report into a run, so that the
// verdicts that still hold are reused rather than tested again, and
// brings back what a report needs to serve the next one.
//
// When nothing changed at all, every verdict is reused and nothing is
// built or run (see unchanged). Otherwise, after the coverage phase (it
// tells which tests run which code now), a test is unchanged when its fingerprint (see
// fingerprint.go) is the earlier run's and no code it runs (no function
// it covers, no declaration of a package it links) changed. A mutant's
// status is reused when its function and its package's declarations are
// unchanged and:
//   - Killed: the tests that killed it are unchanged;
//   - CompileError: always (its code is the same);
//   - Survived, Timeout, RuntimeError, NoCoverage: its covering tests are
//     the earlier run's, and all unchanged.
//
// A mutant that Survived whose function is unchanged is tested with only
// its covering tests that changed (or did not cover it, or failed, then):
// the others passed with it and do the same again. So is one that timed
// out or crashed, when the tests that did so are unchanged: the verdict
// stands unless the tests run again find a stronger one (a kill). One that
// was Killed is tested with the tests that killed it first.
//
// Everything is tested again when the run's settings changed (the Go
// version, gorewrite, go.mod, go.sum, go.work, the build flags, the
// timeouts, the code of module packages tests link but that are not
// mutated). Mutants the earlier run left Pending (interrupted) are
// tested: an interrupted run resumes.
type Incremental struct {
	// Previous is the earlier run's report (nil: none, reuse nothing);
	// NoPrevious, when Previous is nil, says why (the default: "no
	// earlier report to reuse").
	Previous   *Report
	NoPrevious string
	// Set by Run: the run's fingerprints, to put in its report (see
	// Report.Key), how many mutants' statuses were reused, and why the
	// others were tested, by reason.
	Key         string
	Functions   map[string]string
	TestSources map[string][]byte
	Reused      int
	Retested    map[string]int
}

// Reasons a mutant is tested again.
const (
	retestNone     = "no earlier report to reuse"
	retestSettings = "the settings, go.mod/go.sum, Go, gorewrite or unmutated code changed"
	retestNew      = "new (not in the earlier report)"
	retestPending  = "not tested in the earlier run"
	retestCode     = "its function changed"
	retestDecls    = "its package's declarations changed"
	retestKiller   = "the test that killed it changed"
	retestCovering = "its covering tests changed"
)

// reuse sets the status of the mutants of queue whose earlier verdict
// holds, and returns the others, to be tested.
func (r *runner) reuse(inc *Incremental, cov *coverage, queue []*Mutant) []*Mutant {
	inc.Retested = make(map[string]int)
	prev := inc.Previous
	if prev == nil {
		inc.Retested[cmp.Or(inc.NoPrevious, retestNone)] = len(queue)
		return queue
	}
	if prev.Key != r.key {
		inc.Retested[retestSettings] += len(queue)
		return queue
	}
	changed := func(key string) bool {
		old, ok := prev.Functions[key]
		return !ok || old != r.prints.funcs[key]
	}
	dirty := r.changedTests(prev, cov, changed)
	before := make(map[string]*Mutant, len(prev.Mutants))
	for _, m := range prev.Mutants {
		before[m.ID] = m
	}
	clean := func(ids []string) bool {
		for _, id := range ids {
			if t := cov.byID[id]; t == nil || t.Failed || dirty[t] {
				return false
			}
		}
		return true
	}
	var out []*Mutant
	for _, m := range queue {
		old := before[m.ID]
		why := ""
		switch {
		case old == nil:
			why = retestNew
		case old.Status == Pending || old.Status == Ignored:
			why = retestPending
		case changed(r.prints.funcAt(m.File, m.Offset)):
			why = retestCode
		case changed(packageKey(m.Package)):
			why = retestDecls
		case old.Status == Killed:
			if len(old.KilledBy) == 0 || !clean(old.KilledBy) {
				why = retestKiller
				m.prefer = old.KilledBy
			}
		case old.Status == CompileError:
		case !clean(m.CoveredBy) || !sameSet(old.CoveredBy, m.CoveredBy):
			why = retestCovering
			switch {
			case old.Status == Survived:
				m.only = changedCovering(m, old, cov, dirty)
			case (old.Status == Timeout || old.Status == RuntimeError) && len(old.DecidedBy) > 0 && clean(old.DecidedBy):
				m.only = changedCovering(m, old, cov, dirty)
				m.earlier = &verdict{status: old.Status, reason: old.StatusReason}
				for _, id := range old.DecidedBy {
					m.earlier.decidedBy = append(m.earlier.decidedBy, cov.byID[id])
				}
			}
		}
		if why != "" {
			inc.Retested[why]++
			out = append(out, m)
			continue
		}
		m.Status, m.StatusReason, m.KilledBy, m.DecidedBy, m.Duration, m.Reused = old.Status, old.StatusReason, old.KilledBy, old.DecidedBy, old.Duration, true
		inc.Reused++
	}
	return out
}

// unchanged reuses every verdict of the earlier run, without building or
// running anything, when nothing it depends on changed: the settings, the
// mutated code and the tests are the earlier run's (their fingerprints
// and their files' content), and it decided every mutant to test. It
// returns the earlier run's tests.
func (r *runner) unchanged(inc *Incremental, sv *survey, mutants []*Mutant) ([]*Test, bool) {
	prev := inc.Previous
	if prev == nil || prev.Key != r.key || !maps.Equal(prev.Functions, r.prints.funcs) ||
		!maps.EqualFunc(prev.TestSources, r.testSources, bytes.Equal) {
		return nil, false
	}
	now := make(map[string]string)
	for i, tp := range sv.testPkgs {
		for name, p := range sv.tests[i] {
			now[tp.path+"."+name] = p.hash
		}
	}
	for _, t := range prev.Tests {
		if h, ok := now[t.ID]; !ok || t.Hash == "" || h != t.Hash {
			return nil, false
		}
	}
	before := make(map[string]*Mutant, len(prev.Mutants))
	for _, m := range prev.Mutants {
		before[m.ID] = m
	}
	for _, m := range mutants {
		// A package whose tests did not build is to be said again, as
		// a failure: the run goes the long way.
		if old := before[m.ID]; old == nil || old.Status == Pending || old.Status == Ignored || strings.Contains(old.StatusReason, testsDoNotBuild) {
			return nil, false
		}
	}
	inc.Key, inc.Functions, inc.TestSources = r.key, r.prints.funcs, r.testSources
	inc.Retested = map[string]int{}
	for _, m := range mutants {
		old := before[m.ID]
		m.Status, m.StatusReason, m.CoveredBy, m.KilledBy, m.DecidedBy, m.Duration = old.Status, old.StatusReason, old.CoveredBy, old.KilledBy, old.DecidedBy, old.Duration
		if len(m.CoveredBy) > 0 {
			m.Reused = true
			inc.Reused++
		}
	}
	for _, t := range prev.Tests {
		if t.Failed {
			r.stats.FailedTests++
			r.cfg.Warn(fmt.Sprintf("%s: %s failed without any mutant in the earlier run, and nothing changed since; it is not used to judge mutants", t.Package, t.Name))
		}
	}
	return slices.Clone(prev.Tests), true
}

// changedTests returns the tests whose code changed since the earlier
// run (prev), or that run code that did (changed says which function and
// package keys did).
func (r *runner) changedTests(prev *Report, cov *coverage, changed func(string) bool) map[*Test]bool {
	hashes := make(map[string]string, len(prev.Tests))
	for _, t := range prev.Tests {
		hashes[t.ID] = t.Hash
	}
	dirty := make(map[*Test]bool)
	for _, pc := range cov.bins {
		decls := false
		for pkg := range pc.links {
			decls = decls || changed(packageKey(pkg))
		}
		for _, t := range pc.tests {
			if h, ok := hashes[t.ID]; decls || !ok || h == "" || h != t.Hash {
				dirty[t] = true
			}
		}
	}
	for i, b := range cov.blocks {
		if !changed(r.prints.funcAt(b.Source, b.Offset)) {
			continue
		}
		for _, pc := range cov.bins {
			for _, t := range pc.hits[i] {
				dirty[t] = true
			}
		}
	}
	return dirty
}

// changedCovering returns the tests covering m that are to run again, its
// function being unchanged since the earlier run where it survived (old):
// the ones that changed, and the ones that did not cover it or failed
// without mutants then. The others passed with it, and do the same again.
func changedCovering(m, old *Mutant, cov *coverage, dirty map[*Test]bool) map[string]bool {
	only := make(map[string]bool)
	for _, id := range m.CoveredBy {
		if t := cov.byID[id]; t == nil || dirty[t] || !slices.Contains(old.CoveredBy, id) {
			only[id] = true
		}
	}
	return only
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// RetestReasons returns inc's reasons for testing mutants again, most
// frequent first, as "N reason".
func (inc *Incremental) RetestReasons() []string {
	type reason struct {
		why string
		n   int
	}
	var list []reason
	for why, n := range inc.Retested {
		list = append(list, reason{why, n})
	}
	slices.SortFunc(list, func(a, b reason) int {
		if a.n != b.n {
			return b.n - a.n
		}
		return strings.Compare(a.why, b.why)
	})
	out := make([]string, len(list))
	for i, r := range list {
		out[i] = strconv.Itoa(r.n) + " " + r.why
	}
	return out
}
