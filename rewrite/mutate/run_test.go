package mutate_test

import (
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/internal/golden"
	"github.com/gorewrite/gorewrite/rewrite/mutate"
)

// copyModule copies testdata/name into a temporary directory.
func copyModule(t *testing.T, name string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), name)
	src := filepath.Join("testdata", name)
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o777)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o666)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// treeSum hashes every file under dir, names and modes included.
func treeSum(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %v\n", path, info.Mode())
		if !d.IsDir() {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			h.Write(data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// enumerate finds the mutants of the packages under dir.
func enumerate(t *testing.T, dir string, ops string) ([]*mutate.Mutant, map[string][]byte) {
	t.Helper()
	set, err := mutate.ParseOperators(ops)
	if err != nil {
		t.Fatal(err)
	}
	var found mutate.Collector
	rule := mutate.NewRule(set, found.Add)
	err = rewrite.Run(context.Background(), rewrite.Config{Dir: dir, Tests: true}, []*rewrite.Rule{rule}, []string{"./..."}, func(r *rewrite.FileResult) error {
		for _, e := range r.Errs {
			if strings.Contains(e.Error(), "broken_test.go") {
				continue // testdata/trust/broken: tests that do not build, on purpose
			}
			t.Errorf("%s: %v", r.Filename, e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	mutate.AssignIDs(found.Mutants, dir)
	return found.Mutants, found.Sources
}

func statusLines(mutants []*mutate.Mutant) string {
	var b strings.Builder
	for _, m := range mutants {
		fmt.Fprintf(&b, "%s %s %s: %s", m.Location(), m.Operator, m.Change(), m.Status)
		if len(m.KilledBy) > 0 {
			fmt.Fprintf(&b, " by %s", strings.Join(m.KilledBy, ","))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// checkStatuses compares statuses (see statusLines) with the golden file
// testdata/name (written with -update).
func checkStatuses(t *testing.T, name, got string) {
	t.Helper()
	wantFile := filepath.Join("testdata", name)
	if golden.Update() {
		os.WriteFile(wantFile, []byte(got), 0o666)
	}
	want, err := os.ReadFile(wantFile)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
}

// TestFates runs every operator over a module whose mutants' fates are
// known (see the comments in testdata/fates) and compares the statuses
// with testdata/fates.want; the module's tree must come out unchanged and
// nothing may be left in the temporary directory.
func TestFates(t *testing.T) {
	dir := copyModule(t, "fates")
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Setenv("FATES_STATE", t.TempDir()) // for TestTick, which is flaky on purpose
	before := treeSum(t, dir)
	mutants, sources := enumerate(t, dir, "all")
	tests, stats, err := mutate.Run(context.Background(), mutate.RunConfig{
		Dir: dir, Root: dir, Workers: 2, TimeoutFactor: 2, TimeoutGrace: time.Second,
	}, mutants, sources)
	if err != nil {
		t.Fatal(err)
	}
	checkStatuses(t, "fates.want", statusLines(mutants))
	var names []string
	for _, tt := range tests {
		names = append(names, tt.ID)
		// TestTick is flaky: it fails against the unmutated code after its
		// first run.
		if flaky := tt.Name == "TestTick"; tt.Baseline <= 0 || tt.Failed != flaky {
			t.Errorf("test %s: baseline %v, failed %v", tt.ID, tt.Baseline, tt.Failed)
		}
	}
	wantTests := []string{"example.com/fates.TestAdd", "example.com/fates.TestAt", "example.com/fates.TestCheck",
		"example.com/fates.TestCountdown", "example.com/fates.TestGet", "example.com/fates.TestLine", "example.com/fates.TestMax", "example.com/fates.TestNeg", "example.com/fates.TestSave", "example.com/fates.TestSet",
		"example.com/fates.TestSize", "example.com/fates.TestTick"}
	if diff := cmp.Diff(wantTests, names); diff != "" {
		t.Errorf("tests (-want +got):\n%s", diff)
	}
	if after := treeSum(t, dir); after != before {
		t.Error("the module's tree changed")
	}
	// Save's if true writes into the directory its test runs in: the
	// copy, which is repaired.
	if stats.FailedTests != 0 || stats.Flaky != 1 {
		t.Errorf("%d failed and %d flaky tests, want 0 and 1 (TestTick)", stats.FailedTests, stats.Flaky)
	}
	if stats.Repairs != 1 {
		t.Errorf("%d repairs of the test tree, want 1", stats.Repairs)
	}
	// Not even what the tests put in their TMPDIR (TestSave's writes go
	// to the package directory, Go's to its cache).
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("left behind in TMPDIR: %v", left)
	}
}

// TestStableIDs: IDs do not move with lines, and shards partition the
// mutants.
func TestStableIDs(t *testing.T) {
	dir := copyModule(t, "fates")
	first, _ := enumerate(t, dir, "all")
	name := filepath.Join(dir, "fates.go")
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	// A new function at the top moves every line 6 down and adds mutants of its
	// own.
	edited := strings.Replace(string(src), `import "os"`, "import \"os\"\n\n// Sub is new.\nfunc Sub(a, b int) int {\n\treturn a - b\n}\n", 1)
	if err := os.WriteFile(name, []byte(edited), 0o666); err != nil {
		t.Fatal(err)
	}
	second, _ := enumerate(t, dir, "all")
	ids := make(map[string]*mutate.Mutant)
	for _, m := range second {
		if ids[m.ID] != nil {
			t.Errorf("ID %s twice: %s and %s", m.ID, ids[m.ID].Location(), m.Location())
		}
		ids[m.ID] = m
	}
	for _, m := range first {
		n := ids[m.ID]
		moved := 0
		if m.RelFile == "fates.go" {
			moved = 6
		}
		if n == nil || n.Operator != m.Operator || n.Func != m.Func || n.Start.Line != m.Start.Line+moved {
			t.Errorf("%s %s %s: ID %s not found %d lines down", m.Location(), m.Operator, m.Change(), m.ID, moved)
		}
	}
	if len(second) <= len(first) {
		t.Errorf("%d mutants after adding a function, %d before", len(second), len(first))
	}

	const n = 3
	seen := make(map[string]int)
	for k := 1; k <= n; k++ {
		s := mutate.Shard{K: k, N: n}
		count := 0
		for _, m := range second {
			if s.Holds(m.ID) {
				seen[m.ID]++
				count++
			}
		}
		if count == 0 {
			t.Errorf("shard %d/%d is empty", k, n)
		}
	}
	for _, m := range second {
		if seen[m.ID] != 1 {
			t.Errorf("mutant %s is in %d shards", m.ID, seen[m.ID])
		}
	}
}

// TestStrategiesAgree tests the mutants of testdata modules with both
// strategies: every mutant must get the same status (flaky tests aside),
// and most must go through the schema. testdata/schemata holds the code
// that could make them differ: evaluation order, short-circuits, constant
// contexts and constant declarations (xconst: an exported one with
// external tests), generics, statements in headers, initialization. With -short,
// the overlay strategy (a build per mutant) gets every third mutant of it.
func TestStrategiesAgree(t *testing.T) {
	for _, name := range []string{"fates", "schemata"} {
		t.Run(name, func(t *testing.T) {
			dir := copyModule(t, name)
			t.Setenv("TMPDIR", t.TempDir())
			t.Setenv("FATES_STATE", t.TempDir())
			before := treeSum(t, dir)
			mutants, sources := enumerate(t, dir, "all")
			reference := mutate.Fresh(mutants)
			cfg := mutate.RunConfig{Dir: dir, Root: dir, Workers: 2, TimeoutFactor: 3, TimeoutGrace: time.Second}
			tests, stats, err := mutate.Run(context.Background(), cfg, mutants, sources)
			if err != nil {
				t.Fatal(err)
			}
			alone := 0
			for _, n := range stats.Alone {
				alone += n
			}
			if stats.Schema < 3*alone {
				t.Errorf("%d mutants tested through the schema, %d built alone (%v): want mostly the schema", stats.Schema, alone, stats.Alone)
			}
			pkgs := make(map[string]bool)
			for _, m := range mutants {
				pkgs[m.Package] = true
			}
			if stats.CoverBuilds > len(pkgs) {
				t.Errorf("%d coverage builds for %d packages: want one per package", stats.CoverBuilds, len(pkgs))
			}
			if testing.Short() && name == "schemata" {
				var sm, ref []*mutate.Mutant
				for i := range mutants {
					if i%3 == 0 {
						sm, ref = append(sm, mutants[i]), append(ref, reference[i])
					}
				}
				mutants, reference = sm, ref
			}
			cfg.Strategy = mutate.Overlay
			refTests, _, err := mutate.Run(context.Background(), cfg, reference, sources)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range mutate.Compare(mutants, reference, mutate.FailedTests(tests, refTests)) {
				if !d.Flaky {
					m := d.Mutant
					t.Errorf("%s %s %s: schemata %s (%s), overlay %s", m.Location(), m.Operator, m.Change(), d.Schemata, d.How, d.Overlay)
				}
			}
			if treeSum(t, dir) != before {
				t.Error("the module's tree changed")
			}
		})
	}
}

var trustRuns = flag.Int("trust-runs", 2, "how many times TestTrust runs testdata/trust")

// TestTrust runs the mutants of testdata/trust, a module built to show
// what made verdicts wrong or unstable on real code (see its packages'
// comments): tests that compare runtime.Caller's paths with the working
// directory's, guards that fail a test after the first limit, a slow
// failure before a quick one, a failure that does not come again, tests
// that do not build. The statuses must match testdata/trust.want on every
// run (-trust-runs, 10 in make corpus), no test may fail without
// mutants, and the module's tree must come out unchanged although a
// mutant makes a test write beside its source.
func TestTrust(t *testing.T) {
	var first string
	for run := range *trustRuns {
		dir := copyModule(t, "trust")
		t.Setenv("TMPDIR", t.TempDir())
		t.Setenv("TRUST_STATE", t.TempDir())
		before := treeSum(t, dir)
		mutants, sources := enumerate(t, dir, "all")
		var warnings []string
		_, stats, err := mutate.Run(context.Background(), mutate.RunConfig{
			Dir: dir, Root: dir, Workers: 2, TimeoutFactor: 2, TimeoutGrace: 250 * time.Millisecond,
			Warn: func(s string) { warnings = append(warnings, s) },
		}, mutants, sources)
		if err != nil {
			t.Fatal(err)
		}
		got := statusLines(mutants)
		if run == 0 {
			first = got
			checkStatuses(t, "trust.want", got)
		} else if diff := cmp.Diff(first, got); diff != "" {
			var reasons []string
			for _, m := range mutants {
				reasons = append(reasons, fmt.Sprintf("%s %s: %s (%s)", m.Location(), m.Operator, m.Status, m.StatusReason))
			}
			t.Errorf("run %d: statuses differ from the first run's (-first +this):\n%s\nwhy:\n%s", run+1, diff, strings.Join(reasons, "\n"))
		}
		if stats.FailedTests != 0 || stats.Flaky != 0 || stats.NotReproduced != 1 {
			t.Errorf("%d tests failed without mutants, %d flaky, %d failures did not come again; want 0, 0 and 1 (flaky.TestTag)\nwarnings:\n%s",
				stats.FailedTests, stats.Flaky, stats.NotReproduced, strings.Join(warnings, "\n"))
		}
		if stats.Confirms == 0 {
			t.Error("no confirming runs, though guard's mutants run past the first limit")
		}
		if after := treeSum(t, dir); after != before {
			t.Error("the module's tree changed")
		}
		for _, m := range mutants {
			if m.Status == mutate.NoCoverage && strings.HasPrefix(m.RelFile, "broken/") && !strings.Contains(m.StatusReason, "undefined: undefined") {
				t.Errorf("%s: %s (%s); want the build error's first line", m.Location(), m.Status, m.StatusReason)
			}
		}
	}
}

// TestCrossPackage: a mutant is tested by every test of the module that
// covers it, whichever package the test is in (testdata/cross: calc is
// tested mostly through its callers, and by a package of integration
// tests), and only by its package's own with OwnTests. Test binaries that
// link no mutated package are not built.
func TestCrossPackage(t *testing.T) {
	for _, tc := range []struct {
		name     string
		own      bool
		listed   []string
		binaries []string
	}{
		{"module", false, nil, []string{"example.com/cross", "example.com/cross/go", "example.com/cross/integration", "example.com/cross/internal/calc"}},
		{"own", true, nil, []string{"example.com/cross", "example.com/cross/internal/calc"}},
		// The integration tests test every package; the root package's
		// its own mutants only.
		{"listed", false, []string{"./integration/..."}, []string{"example.com/cross", "example.com/cross/integration", "example.com/cross/internal/calc"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyModule(t, "cross")
			all, sources := enumerate(t, dir, "default")
			var mutants []*mutate.Mutant
			for _, m := range all {
				if !strings.HasPrefix(m.RelFile, "other/") {
					mutants = append(mutants, m)
				}
			}
			_, stats, err := mutate.Run(context.Background(), mutate.RunConfig{
				Dir: dir, Root: dir, Workers: 2, TimeoutFactor: 3, TimeoutGrace: time.Second, OwnTests: tc.own, TestPackages: tc.listed,
			}, mutants, sources)
			if err != nil {
				t.Fatal(err)
			}
			checkStatuses(t, "cross-"+tc.name+".want", statusLines(mutants))
			var bins []string
			for pkg, b := range stats.Binaries {
				bins = append(bins, pkg)
				if b.Builds == 0 || b.Tests == 0 {
					t.Errorf("%s: %d builds, %d tests", pkg, b.Builds, b.Tests)
				}
			}
			sort.Strings(bins)
			if diff := cmp.Diff(tc.binaries, bins); diff != "" {
				t.Errorf("test binaries (-want +got):\n%s", diff)
			}
		})
	}
}

// TestIncremental: a run that reads the report of an earlier one reuses
// the verdicts that still hold and tests the rest: after no change,
// nothing; after a change to a function's body, its mutants and those the
// tests that run it cover; after a change to a test, the mutants it
// covers. Every step's statuses are those of a full run.
func TestIncremental(t *testing.T) {
	dir := copyModule(t, "cross")
	run := func(prev *mutate.Report) ([]*mutate.Mutant, *mutate.Incremental, *mutate.Report, *mutate.Stats) {
		t.Helper()
		mutants, sources := enumerate(t, dir, "default")
		inc := &mutate.Incremental{Previous: prev}
		tests, stats, err := mutate.Run(context.Background(), mutate.RunConfig{
			Dir: dir, Root: dir, Workers: 2, TimeoutFactor: 3, TimeoutGrace: time.Second, Incremental: inc,
		}, mutants, sources)
		if err != nil {
			t.Fatal(err)
		}
		rel := make(map[string][]byte)
		for _, m := range mutants {
			rel[m.RelFile] = sources[m.File]
		}
		var b strings.Builder
		err = mutate.WriteJSON(&b, &mutate.Report{Root: dir, Sources: rel, Mutants: mutants, Tests: tests,
			Key: inc.Key, Functions: inc.Functions, TestSources: inc.TestSources})
		if err != nil {
			t.Fatal(err)
		}
		report, err := mutate.ReadJSON(strings.NewReader(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		return mutants, inc, report, stats
	}
	// step checks a run after an edit against a full run of the same
	// tree, and the reasons for testing mutants again.
	step := func(name string, prev *mutate.Report, wantRetested map[string]int) *mutate.Report {
		t.Helper()
		got, inc, report, stats := run(prev)
		full, _, _, _ := run(nil)
		// Nothing changed: nothing is built.
		if builds := stats.CoverBuilds + stats.Builds; (len(wantRetested) == 0) != (builds == 0) {
			t.Errorf("%s: %d builds", name, builds)
		}
		// A reused kill may name another killer than a full run finds
		// first: the statuses must agree.
		byless := func(ms []*mutate.Mutant) string {
			return regexp.MustCompile(` by .*`).ReplaceAllString(statusLines(ms), "")
		}
		if diff := cmp.Diff(byless(full), byless(got)); diff != "" {
			t.Errorf("%s: statuses differ from a full run's (-full +incremental):\n%s", name, diff)
		}
		if diff := cmp.Diff(wantRetested, inc.Retested); diff != "" {
			t.Errorf("%s: mutants tested again (-want +got):\n%s", name, diff)
		}
		reused := 0
		for _, m := range got {
			if m.Reused {
				reused++
			}
		}
		if reused != inc.Reused {
			t.Errorf("%s: %d mutants marked reused, %d counted", name, reused, inc.Reused)
		}
		return report
	}
	edit := func(file, old, new string) {
		t.Helper()
		name := filepath.Join(dir, file)
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(src), old) {
			t.Fatalf("%s: no %q", file, old)
		}
		if err := os.WriteFile(name, []byte(strings.Replace(string(src), old, new, 1)), 0o666); err != nil {
			t.Fatal(err)
		}
	}

	_, inc, report, _ := run(nil)
	if inc.Retested["no earlier report to reuse"] != 15 {
		t.Errorf("first run: tested %v, want 15 (no earlier report)", inc.Retested)
	}
	report = step("unchanged", report, map[string]int{})
	// An interrupted run leaves mutants Pending: the next run tests them.
	interrupted := 0
	for _, m := range report.Mutants {
		if m.Status != mutate.NoCoverage && interrupted < 4 {
			m.Status, m.StatusReason, m.KilledBy = mutate.Pending, "", nil
			interrupted++
		}
	}
	report = step("resumed", report, map[string]int{"not tested in the earlier run": 4})
	// Add's text changes, not its mutants: they are tested again, and so
	// is Sum's, killed by the test that runs Add.
	edit("internal/calc/calc.go", "return a + b", "// Still a sum.\n\treturn a + b")
	report = step("function", report, map[string]int{"its function changed": 2, "the test that killed it changed": 1})
	// TestClassify covers Classify and Sign: 7 mutants it killed, 2
	// survivors.
	edit("integration/integration_test.go", "Classify(0)", "Classify(1)")
	report = step("test", report, map[string]int{"the test that killed it changed": 7, "its covering tests changed": 2})
	// A new test in calc covers Sign: the mutants it covers that it did
	// not kill before are tested again (it kills one now); TestDouble's
	// code is unchanged, and its kills stand.
	edit("internal/calc/calc_test.go", "func TestDouble", "func TestSign(t *testing.T) {\n\tif Sign(3) != 1 {\n\t\tt.Fatal(\"Sign(3) != 1\")\n\t}\n}\n\nfunc TestDouble")
	step("new test", report, map[string]int{"its covering tests changed": 2})
}
