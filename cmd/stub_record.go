package cmd

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/cover"
	"github.com/gorewrite/gorewrite/rewrite/stub"
	"github.com/gorewrite/gorewrite/rewrite/stub/record"
)

// recordCalls runs the tests of patterns with the recorder (--record),
// or reads the logs --record-from names, and says what was recorded.
func (a *app) recordCalls(ctx context.Context, f *stubFlags, patterns []string) (*record.Calls, error) {
	start := time.Now()
	var calls *record.Calls
	if len(f.recordFrom) > 0 {
		var runs [][]string
		for _, name := range f.recordFrom {
			runs = append(runs, []string{name})
		}
		var err error
		if calls, err = record.ReadRuns(runs); err != nil {
			return nil, err
		}
	} else {
		goFlags, err := a.testArgs(patterns, f.tags, f.goFlags)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(a.stderr, "gorewrite: recording the calls the tests of %s make (go test, twice)\n", strings.Join(patterns, " "))
		var out bytes.Buffer
		cfg := record.Config{Config: cover.Config{Dir: a.dir, Patterns: patterns, CoverPkg: patterns, GoFlags: goFlags}}
		res, err := record.Record(ctx, cfg, &out)
		if err != nil {
			return nil, err
		}
		if res.BuildFailed {
			a.stderr.Write(out.Bytes())
			return nil, fmt.Errorf("the tests did not build: nothing recorded")
		}
		if res.ExitCode != 0 {
			a.stderr.Write(tail(out.Bytes(), 40))
			fmt.Fprintf(a.stderr, "gorewrite: warning: tests failed (exit %d); the calls they made are recorded all the same\n", res.ExitCode)
		}
		calls = res.Calls
		fmt.Fprintf(a.stderr, "gorewrite: %d functions had hooks\n", res.Funcs)
	}
	n, funcs, unstable, unrepeated := 0, 0, 0, 0
	for _, fn := range calls.Sorted() {
		if len(fn.Calls) > 0 {
			funcs++
		}
		n += len(fn.Calls)
		unstable += fn.Unstable
		unrepeated += fn.Unrepeated
	}
	fmt.Fprintf(a.stderr, "gorewrite: recorded %d distinct calls of %d %s in %.1fs", n, funcs, plural(funcs, "function", "functions"), time.Since(start).Seconds())
	if unstable > 0 {
		fmt.Fprintf(a.stderr, "; %d inputs dropped: their results differed between calls", unstable)
	}
	if unrepeated > 0 {
		fmt.Fprintf(a.stderr, "; %d inputs dropped: not made in every run", unrepeated)
	}
	fmt.Fprintln(a.stderr)
	if calls.Damaged > 0 {
		fmt.Fprintf(a.stderr, "gorewrite: warning: %d damaged lines of the log skipped\n", calls.Damaged)
	}
	return calls, nil
}

// recordOverlay writes the recorder's hooks as an overlay for any go
// build (--record-overlay DIR).
func (a *app) recordOverlay(ctx context.Context, f *stubFlags, patterns []string) error {
	goFlags, err := a.testArgs(patterns, f.tags, nil)
	if err != nil {
		return err
	}
	plan, funcs, err := record.Prepare(ctx, record.Config{Config: cover.Config{Dir: a.dir, Patterns: patterns, GoFlags: goFlags, Binaries: true}})
	if err != nil {
		return err
	}
	for _, w := range plan.Warnings {
		fmt.Fprintf(a.stderr, "gorewrite: warning: %s\n", w)
	}
	name, err := plan.WriteOverlay(f.overlay)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "gorewrite: %d functions get the recorder's hooks; build with -overlay %s, run with %s=FILE, then gorewrite stub --record-from FILE\n",
		funcs, name, record.LogEnv)
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// tail returns the last n lines of b.
func tail(b []byte, n int) []byte {
	lines := bytes.SplitAfter(b, []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return bytes.Join(lines, nil)
}

// maxCheckRounds bounds the check runs: each drops the rows that failed
// (a row that panics stops its package's other tests, whose rows are
// then checked in the next round). After the last, the rows of the
// packages still failing are all dropped.
const maxCheckRounds = 6

// checkRecorded generates the tests with recorded rows, and runs them
// (twice each, through an overlay) before anything is printed or written:
// a row that fails on its own, because the call depended on state the
// recording's test had set up, the environment or the order, is dropped
// and reported, and the tests are generated again without it.
func (a *app) checkRecorded(ctx context.Context, f *stubFlags, generate func(map[string]bool, bool) ([]*stub.FileOut, int, error)) ([]*stub.FileOut, int, error) {
	drop := map[string]bool{}
	// strikes counts the rounds in which a test's rows failed: the rows
	// that take the place of dropped ones failing too, or a row that
	// panics, say the test's setup (a receiver its constructor builds)
	// does not fit the calls, and all its rows go.
	strikes := map[string]int{}
	// Dropped rows, counted by file and test, said once at the end.
	type testKey struct{ file, test, why string }
	dropped := map[testKey]int{}
	report := func() {
		keys := make([]testKey, 0, len(dropped))
		for k := range dropped {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(x, y testKey) int {
			return cmp.Or(strings.Compare(x.file, y.file), strings.Compare(x.test, y.test), strings.Compare(x.why, y.why))
		})
		for _, k := range keys {
			if dropped[k] == 0 {
				fmt.Fprintf(a.stderr, "%s: %s: every recorded row dropped: %s\n", rewrite.RelPath(a.dir, k.file), k.test, strings.TrimPrefix(k.why, "and the rest: "))
				continue
			}
			rows := "row"
			if dropped[k] > 1 {
				rows = "rows"
			}
			fmt.Fprintf(a.stderr, "%s: %s: %d recorded %s dropped: %s\n", rewrite.RelPath(a.dir, k.file), k.test, dropped[k], rows, k.why)
		}
	}
	defer report()
	var goFlags []string
	if len(f.tags) > 0 {
		goFlags = []string{"-tags=" + strings.Join(f.tags, ",")}
	}
	for round := 1; ; round++ {
		outs, _, err := generate(drop, false)
		if err != nil {
			return nil, 0, err
		}
		files := map[string][]byte{}
		var tests []string
		type written struct {
			stub.Row
			file, pkg string
		}
		var rows []written
		for _, o := range outs {
			files[o.Name] = o.New
			for _, r := range o.Rows {
				rows = append(rows, written{r, o.Name, o.Pkg})
				tests = append(tests, r.Test)
			}
		}
		if len(rows) == 0 {
			return generate(drop, true)
		}
		fmt.Fprintf(a.stderr, "gorewrite: running the %d recorded %s in %d test %s (go test, twice)\n",
			len(rows), plural(len(rows), "row", "rows"), len(files), plural(len(files), "file", "files"))
		res, err := record.Check(ctx, record.CheckConfig{Dir: a.dir, GoFlags: goFlags, Files: files, Tests: tests})
		if err != nil {
			return nil, 0, err
		}
		// Rows on lines that did not compile.
		brokenLine := map[string]bool{}
		for file, lines := range res.BuildErrs {
			for _, l := range lines {
				if test, name := rowAt(files[file], l); name != "" {
					brokenLine[file+"\x00"+test+"\x00"+name] = true
				}
			}
		}
		var bad []written
		for _, r := range rows {
			if brokenLine[r.file+"\x00"+r.Test+"\x00"+r.Name] || res.Failed[record.SubtestName(r.Test, r.Name)] {
				bad = append(bad, r)
			}
		}
		switch {
		case len(bad) == 0 && !res.OK && len(res.BuildErrs) > 0, len(bad) > 0 && round == maxCheckRounds:
			// A build failure no row explains, or rows still failing
			// after every round: the failing packages keep no recorded
			// row (the others passed with theirs).
			a.stderr.Write(tail([]byte(res.Output), 30))
			var pkgs []string
			for _, r := range rows {
				if res.FailedPkgs[r.pkg] {
					drop[stub.DropPackage(r.pkg)] = true
					if !slices.Contains(pkgs, r.pkg) {
						pkgs = append(pkgs, r.pkg)
					}
				}
			}
			if len(pkgs) == 0 {
				drop[stub.DropAll] = true
				pkgs = append(pkgs, "all packages")
			}
			slices.Sort(pkgs)
			fmt.Fprintf(a.stderr, "gorewrite: the tests with recorded rows still fail (above): no recorded row is written for %s\n", strings.Join(pkgs, ", "))
			return generate(drop, true)
		case len(bad) == 0 && !res.OK:
			// Rows a person wrote, in a table that got recorded ones.
			a.stderr.Write(tail([]byte(res.Output), 30))
			fmt.Fprintf(a.stderr, "gorewrite: warning: the tests that got recorded rows fail, but not in those rows (above)\n")
			return generate(drop, true)
		case len(bad) == 0:
			return generate(drop, true)
		}
		struck := map[string]bool{}
		for _, r := range bad {
			if !struck[r.Test] {
				struck[r.Test] = true
				if strikes[r.Test]++; strikes[r.Test] >= 2 || res.Panicked[r.Test] {
					drop[stub.DropTest(r.Test)] = true
					dropped[testKey{r.file, r.Test, "and the rest: its rows panic or keep failing (a receiver the constructor builds may not fit the calls)"}] = 0
				}
			}
			drop[stub.DropKey(r.Test, r.Inputs)] = true
			why := "they fail when the test runs them (the call depended on state, time or order)"
			if brokenLine[r.file+"\x00"+r.Test+"\x00"+r.Name] {
				why = "they do not compile"
			}
			dropped[testKey{r.file, r.Test, why}]++
		}
	}
}

var (
	testFuncLine = regexp.MustCompile(`^func (Test\w*)\(`)
	rowNameField = regexp.MustCompile(`\{name: ("` + regexp.QuoteMeta(stub.RowPrefix) + `\d+")`)
)

// rowAt returns the recorded row on line n of a test file, and its test.
func rowAt(src []byte, n int) (test, name string) {
	lines := strings.Split(string(src), "\n")
	if n < 1 || n > len(lines) {
		return "", ""
	}
	m := rowNameField.FindStringSubmatch(lines[n-1])
	if m == nil {
		return "", ""
	}
	name, _ = strconv.Unquote(m[1])
	for i := n - 1; i >= 0; i-- {
		if m := testFuncLine.FindStringSubmatch(lines[i]); m != nil {
			return m[1], name
		}
	}
	return "", ""
}
