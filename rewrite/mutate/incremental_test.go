package mutate

import (
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gorewrite/gorewrite/rewrite/cover"
)

// TestReuse checks the rules of incremental.go on a made-up run: one
// test binary with a test that changed (TestNew's code), one that runs a
// changed function (TestCaller) and unchanged ones, and mutants of each
// earlier status.
func TestReuse(t *testing.T) {
	const pkg = "example.com/p"
	const file = "/m/p.go"
	// Two functions: F (changed since the earlier run) at [0, 100), G at
	// [100, 200); a block in each.
	prints := &fingerprints{
		funcs: map[string]string{"p.go#F": "f2", "p.go#G": "g1", packageKey(pkg): "d1"},
		spans: map[string][]funcSpan{file: {{0, 100, "p.go#F"}, {100, 200, "p.go#G"}}},
		pkgOf: map[string]string{file: pkg},
	}
	earlierFuncs := map[string]string{"p.go#F": "f1", "p.go#G": "g1", packageKey(pkg): "d1"}
	blocks := []cover.Block{{Source: file, Offset: 10, EndOffset: 90}, {Source: file, Offset: 110, EndOffset: 190}}
	cov := newCoverage(blocks, false)
	cov.instrumented[pkg] = true
	tests := map[string]*Test{}
	pc := &pkgCoverage{pkg: pkg, links: map[string]bool{pkg: true}, hits: make([][]*Test, len(blocks))}
	for _, name := range []string{"TestCaller", "TestNew", "TestSame", "TestOther", "TestHang"} {
		tt := &Test{ID: pkg + "." + name, Name: name, Package: pkg, Hash: "h-" + name}
		tests[name] = tt
		pc.tests = append(pc.tests, tt)
		cov.byID[tt.ID] = tt
	}
	cov.add(pc)
	pc.hits[0] = []*Test{tests["TestCaller"]} // F runs in TestCaller only
	pc.hits[1] = pc.tests                     // G in all
	var earlierTests []*Test
	for name, tt := range tests {
		e := *tt
		if name == "TestNew" {
			e.Hash = "old"
		}
		earlierTests = append(earlierTests, &e)
	}
	ids := func(names ...string) []string {
		var out []string
		for _, n := range names {
			out = append(out, pkg+"."+n)
		}
		return out
	}
	mutant := func(id string, offset int, covered ...string) *Mutant {
		return &Mutant{ID: id, Package: pkg, File: file, Offset: offset, CoveredBy: ids(covered...)}
	}
	earlier := func(id string, status Status, covered, killed, decided []string) *Mutant {
		return &Mutant{ID: id, Status: status, StatusReason: "earlier", CoveredBy: covered, KilledBy: killed, DecidedBy: decided}
	}
	all := []string{"TestCaller", "TestNew", "TestSame", "TestOther", "TestHang"}
	prev := &Report{Key: "k", Functions: earlierFuncs, Tests: earlierTests, Mutants: []*Mutant{
		earlier("inF", Killed, ids("TestCaller"), ids("TestCaller"), nil),
		earlier("killedSame", Killed, ids(all...), ids("TestSame"), nil),
		earlier("killedCaller", Killed, ids(all...), ids("TestCaller"), nil),
		earlier("survived", Survived, ids(all...), nil, nil),
		earlier("timeoutSame", Timeout, ids(all...), nil, ids("TestHang")),
		earlier("timeoutNew", Timeout, ids(all...), nil, ids("TestNew")),
		earlier("compile", CompileError, nil, nil, nil),
		earlier("timeoutStands", Timeout, ids("TestSame", "TestHang"), nil, ids("TestHang")),
		earlier("pending", Pending, nil, nil, nil),
	}}
	queue := []*Mutant{
		mutant("inF", 50, "TestCaller"),
		mutant("killedSame", 150, all...),
		mutant("killedCaller", 150, all...),
		mutant("survived", 150, all...),
		mutant("timeoutSame", 150, all...),
		mutant("timeoutNew", 150, all...),
		mutant("compile", 150, all...),
		mutant("timeoutStands", 150, "TestSame", "TestHang"),
		mutant("pending", 150, all...),
		mutant("new", 150, all...),
	}
	r := &runner{prints: prints, key: "k"}
	inc := &Incremental{Previous: prev}
	tested := r.reuse(inc, cov, queue)
	type outcome struct {
		Tested bool
		Status Status
		Only   []string
		Prefer []string
		Keeps  Status
	}
	got := map[string]outcome{}
	if m := queue[slices.IndexFunc(queue, func(m *Mutant) bool { return m.ID == "killedSame" })]; !slices.Equal(m.KilledBy, ids("TestSame")) {
		t.Errorf("reused kill by %v", m.KilledBy)
	}
	for _, m := range queue {
		o := outcome{Tested: slices.Contains(tested, m), Status: m.Status, Only: slices.Sorted(maps.Keys(m.only)), Prefer: m.prefer}
		if m.earlier != nil {
			o.Keeps = m.earlier.status
		}
		got[m.ID] = o
	}
	// TestCaller runs F, which changed, and TestNew's code changed: both
	// run again; the others stand.
	changed := ids("TestCaller", "TestNew")
	want := map[string]outcome{
		"inF":           {Tested: true},
		"killedSame":    {Status: Killed},
		"killedCaller":  {Tested: true, Prefer: ids("TestCaller")},
		"survived":      {Tested: true, Only: changed},
		"timeoutSame":   {Tested: true, Only: changed, Keeps: Timeout},
		"timeoutNew":    {Tested: true},
		"compile":       {Status: CompileError},
		"timeoutStands": {Status: Timeout},
		"pending":       {Tested: true},
		"new":           {Tested: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reuse (-want +got):\n%s", diff)
	}
	wantWhy := map[string]int{retestCode: 1, retestKiller: 1, retestCovering: 3, retestPending: 1, retestNew: 1}
	if diff := cmp.Diff(wantWhy, inc.Retested); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
	if inc.Reused != 3 {
		t.Errorf("%d reused, want 3", inc.Reused)
	}
	if m := queue[slices.IndexFunc(queue, func(m *Mutant) bool { return m.ID == "timeoutStands" })]; !slices.Equal(m.DecidedBy, ids("TestHang")) {
		t.Errorf("reused timeout decided by %v", m.DecidedBy)
	}

	// Other settings: everything is tested again.
	r.key = "other"
	inc = &Incremental{Previous: prev}
	if got := r.reuse(inc, cov, queue); len(got) != len(queue) || inc.Retested[retestSettings] != len(queue) {
		t.Errorf("with other settings %d of %d tested (%v)", len(got), len(queue), inc.Retested)
	}
}
