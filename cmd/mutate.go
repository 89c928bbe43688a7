package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/gocmd"
	"github.com/gorewrite/gorewrite/rewrite/mutate"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// ExitThreshold is mutate's exit code when the score is below --threshold.
const ExitThreshold = 3

// ExitTimeLimit is mutate's exit code when --max-time ran out: the
// reports were written, with the mutants not tested Pending.
const ExitTimeLimit = 4

// sinceHint points who passes the old --diff REF (the revision flag's
// name before -d meant the same in every command) to its new name.
const sinceHint = "to mutate only the lines changed since a git revision, use --since REF"

type mutateFlags struct {
	operators, jsonOut, htmlOut, since, shard string
	htmlPlain, excludeCalls, baseline         string
	markdown, config, excludeFuncs            string
	excludeFiles                              []string
	updateBaseline                            bool
	incremental                               string
	force                                     bool
	strategy                                  string
	list, diff, github, stats, verify         bool
	includeGenerated, ownTests                bool
	tags, ids, testPackages                   []string
	goFlags                                   []string // after --, as mutateGoFlags returns them
	workers                                   int
	threshold, timeoutFactor                  float64
	timeoutGrace, maxTime                     time.Duration
}

func (a *app) mutateCommand() *cobra.Command {
	var f mutateFlags
	c := &cobra.Command{
		Use:   "mutate [flags] [packages] [-- go build flags]",
		Short: "Mutation testing: change the code in small ways and report what the tests miss",
		Long: `Mutate makes small changes to the packages' code (default ./..., the main
module's packages), one at a time (mutants), runs the tests that cover each,
and reports the mutants no test noticed (survivors).

Every mutant is known to compile first: its types prove it (< becoming
<=), or it is type-checked; one that would not compile is never made.
Your files are never written: changed files reach go test -c through
-overlay, and tests run in a copy of the module (one per worker, repaired
after every run), all in a temporary directory removed at the end, also on
Ctrl-C.

A run builds each package's test binary once, with coverage probes and
(--strategy schemata, the default) every mutant of the package compiled in
behind a switch on the GOREWRITE_MUTANT environment variable. Each test runs
alone in it: that gives the tests covering each line and their durations.
Then each mutant is switched on and its covering tests run, the fastest
first, in --workers parallel workers. A mutant of a const declaration
switches where the values it changes are used. Mutants the schema cannot
hold (a constant that must stay constant, that a test file uses or that is
exported; a select case's communication; code that does not type-check
switched) are built alone, as --strategy overlay builds every mutant.
--verify runs both strategies and prints the mutants they judge
differently.

A mutant is tested by every test of the module (or workspace) that covers
it, whichever package the test is in: internal packages tested through
their callers, integration tests in a package of their own. The coverage
phase builds the test binary of every package whose tests link a mutated
package (one build each: the schemata are linked in), with probes in the
mutated packages (as go test -coverpkg), and runs each test alone in it.
--own-tests restricts a mutant to its own package's tests; --test-packages
PATTERNS to those and the tests of the packages matching PATTERNS (leave
out a slow end-to-end suite, say).

--incremental FILE reads the JSON report an earlier run wrote to FILE,
reuses the verdicts that still hold and writes this run's report there. A
verdict holds while the mutant's function, its package's declarations and
its covering (or killing) tests are unchanged, a test being changed when
its code is or any function it runs is. Go, gorewrite, go.mod, go.sum,
the build flags or the timeouts changing re-test everything, as does
--force. Pending mutants (a stopped run's) are tested: the run resumes.

Statuses (as Stryker's report schema): Killed (a covering test failed or
panicked), Survived, NoCoverage (no test runs the code; not run), Timeout
(longer than --timeout-factor times the tests' baseline plus
--timeout-grace, while the same tests without the mutant take less than
half of that and its binary did not wait for a CPU a quarter of it; on
a machine too busy for that, three times as long),
CompileError (type-checked but did not build), RuntimeError (the test
binary crashed without a test failing: a fatal error, os.Exit), Ignored
(//gorewrite:ignore).

Score = Killed / (Killed + Survived + Timeout). Mutant coverage = the share
of mutants some test covers.

//gorewrite:ignore at the end of a line ignores that line's mutants; alone on
a line, the next line's; in a function's doc comment, the function's; above
the package clause, the file's. Operator names after it restrict it:
//gorewrite:ignore RETURN_ZERO,INVERT_LOGICAL.

Ctrl-C (SIGINT or SIGTERM) stops the builds and tests, then writes every
report asked for (summary, --json, --html, --github) with the mutants not
tested as Pending, which the score leaves out, and exits 130. --max-time
does the same when its time (from the start of the command) runs out, and
exits 4. A stopped run's score is not checked against --threshold (stderr
says between which bounds the whole run's would end); merge joins it with
a run of the rest (--mutant with the Pending ids, or the other shards).

Go build flags after -- go to every build of the tests, and those that
decide the packages' files (-tags, -mod, -modfile, -race) to their loading:
-race, -msan, -asan, -trimpath, -tags, -gcflags, -ldflags, -asmflags,
-gccgoflags, -mod, -modfile, -pgo, -toolexec, -p. With -race, the tests'
baseline durations, which the timeouts scale, are measured in the -race
binaries too. Flags of a test run (-run, -count, -v, -json,
-coverprofile, -o, -c ...) are refused: mutate chooses the tests itself.

Exit codes: 0 done, 1 something failed (a package that does not load, tests
that fail without mutants), 2 usage, 3 score below --threshold, 4 --max-time
ran out (reports written, partial), 130 interrupted (reports written,
partial).

Operators (* = default):
` + operatorHelp(),
		Example: `  gorewrite mutate ./...
  gorewrite mutate --list -d ./internal/calc
  gorewrite mutate --operators all,-REMOVE_STATEMENT --threshold 80 ./...
  gorewrite mutate --since origin/main --github ./...
  gorewrite mutate --max-time 20m --json report.json ./...
  gorewrite mutate ./... -- -race -tags=integration
  gorewrite mutate ./internal/clock -- -gcflags=all=-l
  gorewrite mutate --mutant 90c206b1563c,f4ca6fd3ed71 ./...
  gorewrite mutate --shard 2/4 --json shard2.json ./... && gorewrite mutate merge shard*.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			pkgs := args
			if dash := cmd.ArgsLenAtDash(); dash >= 0 {
				var err error
				pkgs = args[:dash]
				if f.goFlags, err = mutateGoFlags(args[dash:]); err != nil {
					return err
				}
			}
			if err := a.applyMutateConfig(cmd.Flags(), &f); err != nil {
				return err
			}
			return a.runMutate(cmd.Context(), &f, pkgs)
		},
	}
	fl := c.Flags()
	fl.StringVar(&f.operators, "operators", "default", `operators to use: names, "default", "all"; -NAME takes one out`)
	fl.BoolVar(&f.list, "list", false, "list the mutants (file:line:col OPERATOR old -> new) without running tests; with --json FILE (- for standard output), as a JSON array")
	// -d/--diff prints diffs, as in swap, rewrite, stub and cover; the
	// revision flag, once --diff REF, is --since (see sinceHint).
	fl.BoolVarP(&f.diff, "diff", "d", false, "with --list, print each mutant's diff")
	fl.IntVar(&f.workers, "workers", 0, "mutants built and tested at once (default GOMAXPROCS)")
	fl.StringVar(&f.jsonOut, "json", "", "write a mutation-testing-report-schema JSON report to this file")
	fl.StringVar(&f.htmlOut, "html", "", "write the report as one self-contained page on Stryker's report app (mutation-testing-elements) to this file")
	fl.StringVar(&f.excludeCalls, "exclude-calls", "", "ignore the mutants in calls whose function, as written, this regular expression matches (their arguments, or the call statement removed), e.g. 'fmt\\.Errorf|log\\.Printf|t\\.Logf'")
	fl.StringVar(&f.baseline, "baseline", "", "a committed file of accepted survivors (a list of mutant ids, or an earlier --json report): only survivors not in it fail the run (exit 3); the ones it lists that are now killed are reported as fixed")
	fl.BoolVar(&f.updateBaseline, "update-baseline", false, "write this run's survivors to the --baseline file (and do not fail on new ones)")
	fl.StringVar(&f.config, "config", "", "read settings from this file instead of "+ConfigFile+" (found in the working directory or a parent, up to the module's root)")
	fl.StringSliceVar(&f.excludeFiles, "exclude-files", nil, "ignore the mutants of files these globs match, relative to the module's root (** matches directories: '**/*_gen.go,internal/legacy/**')")
	fl.StringVar(&f.excludeFuncs, "exclude-funcs", "", "ignore the mutants in functions (Name, or Type.Name) this regular expression matches")
	fl.StringVar(&f.markdown, "markdown", "", "write a summary in Markdown to this file, for $GITHUB_STEP_SUMMARY or a pull-request comment: the score, a table per package, the (new) survivors as diffs")
	fl.StringVar(&f.htmlPlain, "html-plain", "", "write the report as a plain HTML page, without JavaScript, to this file")
	fl.BoolVar(&f.github, "github", false, "print GitHub Actions annotations for surviving mutants")
	fl.Float64Var(&f.threshold, "threshold", 0, "exit 3 when the score (percent) is below this")
	fl.StringVar(&f.since, "since", "", "mutate only lines changed since the git revision `REF` (committed or not)")
	fl.StringVar(&f.shard, "shard", "", "test only shard K of N (K/N) of the mutants; join the --json reports with merge")
	fl.StringSliceVar(&f.tags, "tags", nil, "comma-separated build tags, as for go build -tags")
	fl.StringSliceVar(&f.ids, "mutant", nil, "test only the mutants with these ids (from a --json report), comma-separated or repeated")
	fl.BoolVar(&f.includeGenerated, "include-generated", false, "mutate generated files too")
	fl.StringVar(&f.incremental, "incremental", "", "reuse the verdicts that still hold from this JSON report of an earlier run, and write this run's there (it resumes an interrupted run)")
	fl.BoolVar(&f.force, "force", false, "with --incremental, test every mutant again (the file is still written)")
	fl.StringSliceVar(&f.testPackages, "test-packages", nil, "only these packages' tests (patterns, comma-separated) test other packages' mutants; a mutant's own package's always do")
	fl.BoolVar(&f.ownTests, "own-tests", false, "test a mutant with its own package's tests only (default: every test of the module that covers it)")
	fl.Float64Var(&f.timeoutFactor, "timeout-factor", 3, "a mutant's tests time out after this many times their baseline duration ...")
	fl.DurationVar(&f.timeoutGrace, "timeout-grace", 250*time.Millisecond, "... plus this")
	fl.BoolVar(&f.stats, "stats", false, "print where the time went")
	fl.DurationVar(&f.maxTime, "max-time", 0, "stop testing this long after the start, write the reports with the mutants not tested Pending, and exit 4")
	fl.StringVar(&f.strategy, "strategy", mutate.Schemata, "schemata: one build per package, every mutant compiled in behind a switch; overlay: one build per mutant")
	fl.BoolVar(&f.verify, "verify", false, "test the mutants with both strategies and print the mutants they judge differently (exit 1 if any)")
	c.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		var bad *pflag.InvalidValueError
		if errors.As(err, &bad) && bad.GetFlag().Name == "diff" {
			return usagef("-d/--diff takes no value: it prints diffs with --list; %s", sinceHint)
		}
		return usageError{err}
	})
	c.AddCommand(a.mutateMergeCommand())
	return c
}

func operatorHelp() string {
	var b strings.Builder
	for _, op := range mutate.Operators() {
		mark := " "
		if op.Default {
			mark = "*"
		}
		fmt.Fprintf(&b, "  %s %-24s %s\n", mark, op.Name, op.Doc)
	}
	return b.String()
}

func (a *app) runMutate(ctx context.Context, f *mutateFlags, pkgs []string) error {
	ops, err := mutate.ParseOperators(f.operators)
	if err != nil {
		return usageError{err}
	}
	switch {
	case f.diff && !f.list:
		// Most likely the old --diff REF, REF taken for a package.
		return usagef("-d/--diff prints diffs, with --list; %s", sinceHint)
	case f.workers < 0:
		return usagef("--workers must be positive")
	case f.threshold < 0 || f.threshold > 100:
		return usagef("--threshold is a percentage, 0 to 100")
	case f.timeoutFactor <= 0 || f.timeoutGrace < 0:
		return usagef("--timeout-factor must be positive and --timeout-grace not negative")
	case f.strategy != mutate.Schemata && f.strategy != mutate.Overlay:
		return usagef("--strategy must be %s or %s", mutate.Schemata, mutate.Overlay)
	case f.verify && f.list:
		return usagef("--verify tests mutants; --list does not")
	case f.maxTime < 0:
		return usagef("--max-time must not be negative")
	case f.updateBaseline && f.baseline == "":
		return usagef("--update-baseline writes the --baseline file: name it")
	case f.ownTests && len(f.testPackages) > 0:
		return usagef("--own-tests and --test-packages: choose one (--own-tests is --test-packages with none)")
	}
	var excluded *regexp.Regexp
	if f.excludeCalls != "" {
		if excluded, err = regexp.Compile(f.excludeCalls); err != nil {
			return usagef("--exclude-calls: %v", err)
		}
	}
	var excludedFuncs *regexp.Regexp
	if f.excludeFuncs != "" {
		if excludedFuncs, err = regexp.Compile(f.excludeFuncs); err != nil {
			return usagef("--exclude-funcs: %v", err)
		}
	}
	if f.htmlOut == "-" || f.htmlPlain == "-" || f.jsonOut == "-" && !f.list {
		return usagef("- (standard output) is for --list --json only; name a file")
	}
	shard := mutate.Shard{K: 1, N: 1}
	if f.shard != "" {
		if shard, err = mutate.ParseShard(f.shard); err != nil {
			return usageError{err}
		}
	}
	for _, p := range pkgs {
		if strings.TrimSpace(p) == "" {
			return usagef("empty argument: name packages")
		}
	}
	if err := a.checkDirs(pkgs); err != nil {
		return err
	}
	if len(pkgs) == 0 {
		pkgs = []string{"./..."}
	}
	start := time.Now()
	// runCtx ends at --max-time as well as on a signal (ctx).
	runCtx := ctx
	if f.maxTime > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithDeadline(ctx, start.Add(f.maxTime))
		defer cancel()
	}
	root := mutate.Root(ctx, a.dir, nil)

	// Enumerate: a typed rule over the packages, test files left out.
	var found mutate.Collector
	failures := 0
	rule := mutate.NewRule(ops, found.Add)
	// Tests are loaded so that mutants are type-checked with the test
	// files that use them; only non-test files are mutated.
	tags, buildFlags, loadFlags := splitGoFlags(f.tags, f.goFlags)
	cfg := rewrite.Config{Dir: a.dir, Tags: tags, BuildFlags: loadFlags, Tests: true, IncludeGenerated: f.includeGenerated, Workers: f.workers}
	err = rewrite.Run(runCtx, cfg, []*rewrite.Rule{rule}, pkgs, func(r *rewrite.FileResult) error {
		for _, err := range r.Errs {
			a.printError(err)
		}
		if len(r.Errs) > 0 {
			failures++
		}
		return nil
	})
	if stop := a.stopped(ctx, runCtx); stop != nil {
		// No list of mutants to report on yet.
		fmt.Fprintln(a.stderr, "gorewrite: stopped while finding the mutants: nothing tested, no report written")
		return stop
	}
	if err != nil {
		return err
	}
	mutants, sources, stats := found.Mutants, found.Sources, found.Stats
	mutate.AssignIDs(mutants, root)
	enumerated := time.Since(start)

	// Scope: --since and --shard.
	if f.since != "" {
		lines, err := mutate.ChangedLines(runCtx, a.dir, f.since)
		if errors.Is(err, mutate.ErrBadRevision) {
			return usageError{err}
		}
		if stop := a.stopped(ctx, runCtx); stop != nil {
			fmt.Fprintln(a.stderr, "gorewrite: stopped while finding the changed lines: nothing tested, no report written")
			return stop
		}
		if err != nil {
			return err
		}
		mutants = filter(mutants, func(m *mutate.Mutant) bool { return lines.Holds(m) })
	}
	mutants = filter(mutants, func(m *mutate.Mutant) bool { return shard.Holds(m.ID) })
	if excluded != nil {
		mutate.ExcludeCalls(mutants, sources, excluded)
	}
	if len(f.excludeFiles) > 0 {
		mutate.ExcludeFiles(mutants, f.excludeFiles)
	}
	if excludedFuncs != nil {
		mutate.ExcludeFuncs(mutants, excludedFuncs)
	}
	if len(f.ids) > 0 {
		// A mutant's id is stable (see mutate.Mutant.ID), so one read
		// from an earlier report still names it.
		wanted := make(map[string]bool)
		for _, id := range f.ids {
			wanted[strings.TrimSpace(id)] = true
		}
		mutants = filter(mutants, func(m *mutate.Mutant) bool {
			if !wanted[m.ID] {
				return false
			}
			delete(wanted, m.ID)
			return true
		})
		if len(wanted) > 0 {
			missing := slices.Sorted(maps.Keys(wanted))
			scope := ""
			if f.since != "" || f.shard != "" {
				scope = " (within --since and --shard)"
			}
			return usagef("--mutant: no mutant of these packages%s has the id %s", scope, strings.Join(missing, ", "))
		}
	}
	relSources := make(map[string][]byte)
	for _, m := range mutants {
		relSources[m.RelFile] = sources[m.File]
	}

	if f.list && f.jsonOut != "" {
		var b strings.Builder
		if err := mutate.WriteList(&b, mutants); err != nil {
			return err
		}
		if f.jsonOut == "-" {
			io.WriteString(a.stdout, b.String())
		} else {
			name := f.jsonOut
			if !filepath.IsAbs(name) {
				name = filepath.Join(a.dir, name)
			}
			if err := rewrite.WriteOutput(name, []byte(b.String())); err != nil {
				return err
			}
		}
		fmt.Fprintf(a.stderr, "gorewrite: %d mutants (%d more did not type-check)\n", len(mutants), stats.Rejected)
		if failures > 0 {
			return errFailed
		}
		return nil
	}
	if f.list {
		for _, m := range mutants {
			suffix := ""
			if m.Status == mutate.Ignored {
				suffix = " [ignored]"
			}
			fmt.Fprintf(a.stdout, "%s %s %s%s\n", a.position(m), m.Operator, m.Change(), suffix)
			if f.diff {
				io.WriteString(a.stdout, rewrite.UnifiedDiff(rewrite.OutputPath(a.dir, m.File), sources[m.File], m.Apply(sources[m.File])))
			}
		}
		fmt.Fprintf(a.stderr, "gorewrite: %d mutants (%d more did not type-check)\n", len(mutants), stats.Rejected)
		if failures > 0 {
			return errFailed
		}
		return nil
	}

	if len(mutants) == 0 {
		fmt.Fprintln(a.stderr, "gorewrite: no mutants to test")
		if failures > 0 {
			return errFailed
		}
		return nil
	}
	progress := a.mutateProgress(f.workers)
	progress.start()
	defer progress.close()
	strategy := f.strategy
	var reference []*mutate.Mutant // the overlay strategy's verdicts, with --verify
	if f.verify {
		strategy = mutate.Schemata
		reference = mutate.Fresh(mutants)
	}
	inc, err := a.readIncremental(f)
	if err != nil {
		return err
	}
	runCfg := mutate.RunConfig{
		Incremental:      inc,
		Strategy:         strategy,
		Dir:              a.dir,
		Root:             root,
		BuildFlags:       gocmd.Flags(nil, buildFlags), // go test -c never updates go.mod or go.sum
		Workers:          f.workers,
		TimeoutFactor:    f.timeoutFactor,
		TimeoutGrace:     f.timeoutGrace,
		IncludeGenerated: f.includeGenerated,
		OwnTests:         f.ownTests,
		TestPackages:     f.testPackages,
		Warn: func(msg string) {
			progress.clear()
			fmt.Fprintf(a.stderr, "gorewrite: %s\n", a.relativize(msg))
		},
		Progress: progress.update,
	}
	tests, runStats, err := mutate.Run(runCtx, runCfg, mutants, sources)
	progress.close()
	// A run stopped by a signal or --max-time still reports what it
	// decided: the mutants it did not finish are Pending.
	var stop error
	if err != nil {
		// A run that finished is whole, even when the time ran out just
		// after.
		if stop = a.stopped(ctx, runCtx); stop == nil {
			return err
		}
	}
	if runStats == nil {
		runStats = &mutate.Stats{Strategy: strategy}
	}
	elapsed := time.Since(start) // the run's, without --verify's second one
	var disagreements []mutate.Disagreement
	verified := false
	if f.verify && stop == nil {
		refCfg := runCfg
		refCfg.Strategy = mutate.Overlay
		refCfg.Warn = func(string) {} // said once already
		// The reference tests every mutant: reused verdicts are checked
		// too.
		refCfg.Incremental = nil
		progress.start()
		refTests, _, err := mutate.Run(runCtx, refCfg, reference, sources)
		progress.close()
		if err != nil {
			stop = a.stopped(ctx, runCtx)
		}
		switch {
		case stop != nil:
			// The first run's verdicts are whole: they are the report.
			fmt.Fprintln(a.stderr, "gorewrite: verify: the overlay run was stopped; the strategies were not compared, the reports hold the schemata run's verdicts")
		case err != nil:
			return err
		default:
			disagreements = mutate.Compare(mutants, reference, mutate.FailedTests(tests, refTests))
			verified = true
		}
	}
	failures += runStats.FailedTests + runStats.Untestable
	if runStats.Flaky > 0 {
		fmt.Fprintf(a.stderr, "gorewrite: %d flaky tests were left out after failing without mutants; their kills were not counted\n", runStats.Flaky)
	}
	if runStats.Repairs > 0 {
		fmt.Fprintf(a.stderr, "gorewrite: %d test runs changed files in the copy of the module they ran in (repaired after each; your tree is untouched)\n", runStats.Repairs)
	}
	report := &mutate.Report{
		Root:        root,
		Dir:         a.dir,
		Sources:     relSources,
		Mutants:     mutants,
		Tests:       tests,
		Thresholds:  mutate.Thresholds{High: 80, Low: 60},
		Elapsed:     elapsed,
		Key:         inc.Key,
		Functions:   inc.Functions,
		TestSources: inc.TestSources,
	}
	if f.incremental != "" {
		a.printIncremental(inc, stop != nil, mutants)
	}
	if f.shard != "" {
		report.Shard = shard
	}
	if f.stats {
		a.printStats(report, stats, runStats, enumerated, f.workers)
	}
	if verified {
		real := 0
		for _, d := range disagreements {
			m := d.Mutant
			note := d.How
			if d.Flaky {
				note += "; a covering test is flaky, not counted"
			} else {
				real++
			}
			fmt.Fprintf(a.stderr, "%s: %s %s: schemata %s, overlay %s (%s)\n", a.position(m), m.Operator, m.Change(), d.Schemata, d.Overlay, note)
		}
		fmt.Fprintf(a.stderr, "gorewrite: verify: the strategies agree on %d of %d mutants", len(mutants)-len(disagreements), len(mutants))
		if flaky := len(disagreements) - real; flaky > 0 {
			fmt.Fprintf(a.stderr, " (%d more differ where a flaky test covers them)", flaky)
		}
		fmt.Fprintln(a.stderr)
		if real > 0 {
			failures++
		}
	}
	if stop == nil {
		return a.finishMutate(f, report, failures)
	}
	pending := countPending(mutants)
	report.Stopped = "interrupted"
	if ctx.Err() == nil {
		report.Stopped = fmt.Sprintf("--max-time %v ran out", f.maxTime)
	}
	fmt.Fprintf(a.stderr, "gorewrite: %s: %d of %d mutants decided, %d left Pending in the reports\n",
		report.Stopped, len(mutants)-pending, len(mutants), pending)
	// The reports are what a stopped run is for: a failure to write one
	// is said even though the exit code says the stop.
	if err := a.finishMutate(f, report, failures); err != nil && !errors.Is(err, errFailed) {
		fmt.Fprintf(a.stderr, "gorewrite: %v\n", err)
	}
	if ctx.Err() != nil {
		return errInterruptSaid // said above
	}
	return stop
}

// stopped returns the error that ends a run stopped by a signal (ctx's,
// for exit code 130) or by --max-time (runCtx's deadline, exit code
// ExitTimeLimit); nil while neither happened.
func (a *app) stopped(ctx, runCtx context.Context) error {
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case runCtx.Err() != nil:
		return exitCode(ExitTimeLimit)
	}
	return nil
}

// printStats prints where a run's time went, on stderr.
func (a *app) printStats(report *mutate.Report, enum mutate.EnumStats, rs *mutate.Stats, enumerated time.Duration, workers int) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ms := func(d time.Duration) string { return d.Round(time.Millisecond).String() }
	w := a.stderr
	fmt.Fprintf(w, "gorewrite: stats (strategy %s, %d workers)\n", rs.Strategy, workers)
	fmt.Fprintf(w, "  enumerate  %8s  %d mutants (%d candidates, %d type-checked, %d did not type-check, %d changed no constant's value where it is used)\n", ms(enumerated), len(report.Mutants), enum.Candidates, enum.Checked, enum.Rejected, enum.Equivalent)
	fmt.Fprintf(w, "  coverage   %8s  %d test binaries built in %s, %d tests run alone in %s\n", ms(rs.Coverage), rs.CoverBuilds, ms(rs.CoverBuild), rs.CoverRuns, ms(rs.CoverTest))
	fmt.Fprintf(w, "  mutants    %8s  wall time; times below are summed over workers\n", ms(rs.Mutants))
	fmt.Fprintf(w, "    runs     %8s  %d runs of covering tests, %d of them timed out (%s)\n",
		ms(rs.Test-rs.CheckTime-rs.ConfirmTime-rs.ReproduceTime), rs.Runs-rs.Confirms-rs.Reproductions, rs.Timeouts, ms(rs.TimeoutTime))
	fmt.Fprintf(w, "    confirms %8s  %d runs again, with the ceiling, of tests that ran past the first limit\n", ms(rs.ConfirmTime), rs.Confirms)
	fmt.Fprintf(w, "    repeats  %8s  %d runs again of tests that failed with a mutant; %d failures did not come again (flaky)\n", ms(rs.ReproduceTime), rs.Reproductions, rs.NotReproduced)
	fmt.Fprintf(w, "    checks   %8s  %d kills checked on the unmutated code (%d more not checked: the 1st, 4th, 16th... kill by the same tests are)\n", ms(rs.CheckTime), rs.Checks, rs.ChecksSkipped)
	fmt.Fprintf(w, "    builds   %8s  %d mutants built alone\n", ms(rs.Build), rs.Builds)
	alone := 0
	var reasons []string
	for why, n := range rs.Alone {
		alone += n
		reasons = append(reasons, fmt.Sprintf("%d %s", n, why))
	}
	sort.Strings(reasons)
	line := fmt.Sprintf("%d mutants tested through the schema, %d built alone", rs.Schema, alone)
	if len(reasons) > 0 {
		line += ": " + strings.Join(reasons, ", ")
	}
	fmt.Fprintf(w, "  schema               %s\n", line)
	if len(rs.Binaries) > 0 {
		fmt.Fprintf(w, "  test binaries        per package whose tests ran: its tests, builds, runs against mutants, kills\n")
		for _, pkg := range slices.Sorted(maps.Keys(rs.Binaries)) {
			b := rs.Binaries[pkg]
			fmt.Fprintf(w, "    %s: %d tests, %d builds, %d runs, %d kills\n", pkg, b.Tests, b.Builds, b.Runs, b.Kills)
		}
	}
	tested := 0
	for _, m := range report.Mutants {
		switch m.Status {
		case mutate.NoCoverage, mutate.Ignored, mutate.Pending:
		default:
			tested++
		}
	}
	rate := 0.0
	if report.Elapsed > 0 {
		rate = float64(tested) / report.Elapsed.Minutes()
	}
	fmt.Fprintf(w, "  total      %8s  %d mutants tested, %.0f per minute\n", ms(report.Elapsed), tested, rate)
}

// finishMutate writes the reports and decides the exit code.
func (a *app) finishMutate(f *mutateFlags, report *mutate.Report, failures int) error {
	if err := mutate.WriteSummary(a.stdout, report); err != nil {
		return err
	}
	diff, err := a.baselineDiff(f, report)
	if err != nil {
		return err
	}
	if f.markdown != "" {
		opts := mutate.MarkdownOptions{Threshold: f.threshold, Baseline: diff, BaselineName: f.baseline}
		if f.updateBaseline {
			opts.Baseline = nil // every survivor is accepted now
		}
		write := func(w io.Writer, r *mutate.Report) error { return mutate.WriteMarkdown(w, r, opts) }
		if err := a.writeReport(f.markdown, report, write); err != nil {
			return err
		}
	}
	if f.github {
		if err := mutate.WriteGitHub(a.stdout, a.repoRelative(report)); err != nil {
			return err
		}
	}
	if f.jsonOut != "" {
		if err := a.writeReport(f.jsonOut, report, mutate.WriteJSON); err != nil {
			return err
		}
	}
	if f.htmlOut != "" {
		if err := a.writeReport(f.htmlOut, report, mutate.WriteAppHTML); err != nil {
			return err
		}
	}
	if f.htmlPlain != "" {
		if err := a.writeReport(f.htmlPlain, report, mutate.WriteHTML); err != nil {
			return err
		}
	}
	switch {
	case f.incremental == "":
	case report.Key == "" && report.Stopped != "":
		// Stopped before the verdicts it holds were reused: writing
		// would lose them.
		fmt.Fprintf(a.stderr, "gorewrite: incremental: the run stopped before its coverage phase ended; %s is kept as it was\n", f.incremental)
	default:
		if err := a.writeReport(f.incremental, report, mutate.WriteJSON); err != nil {
			return err
		}
	}
	newSurvivors, err := a.checkBaseline(f, report, diff)
	if err != nil {
		return err
	}
	if report.Stopped != "" {
		a.thresholdNotChecked(f.threshold, report)
	} else if err := a.checkThreshold(f.threshold, report); err != nil {
		return err
	}
	if newSurvivors {
		return exitCode(ExitThreshold)
	}
	if failures > 0 {
		return errFailed
	}
	return nil
}

// baselineDiff compares the run with --baseline (nil without one; a
// missing file is an empty baseline with --update-baseline).
func (a *app) baselineDiff(f *mutateFlags, report *mutate.Report) (*mutate.BaselineDiff, error) {
	if f.baseline == "" {
		return nil, nil
	}
	name := f.baseline
	if !filepath.IsAbs(name) {
		name = filepath.Join(a.dir, name)
	}
	base := mutate.Baseline{}
	data, err := os.ReadFile(name)
	switch {
	case err == nil:
		if base, err = mutate.ReadBaseline(bytes.NewReader(data)); err != nil {
			return nil, fmt.Errorf("--baseline %s: %v", f.baseline, err)
		}
	case !os.IsNotExist(err) || !f.updateBaseline:
		return nil, fmt.Errorf("--baseline: %v", err)
	}
	d := base.Compare(report)
	return &d, nil
}

// checkBaseline lists the run's new survivors and fixed ones against
// --baseline, and reports whether new ones fail the run. With
// --update-baseline it writes the run's survivors there instead.
func (a *app) checkBaseline(f *mutateFlags, report *mutate.Report, d *mutate.BaselineDiff) (bool, error) {
	if d == nil {
		return false, nil
	}
	for _, m := range d.Fixed {
		fmt.Fprintf(a.stderr, "%s: fixed: %s %s (in the baseline, now %s)\n", a.position(m), m.Operator, m.Change(), m.Status)
	}
	if f.updateBaseline {
		if err := a.writeReport(f.baseline, report, mutate.WriteBaseline); err != nil {
			return false, err
		}
		fmt.Fprintf(a.stderr, "gorewrite: baseline %s written: %d survivors (%d new, %d fixed since)\n", f.baseline, len(d.New)+len(d.Known), len(d.New), len(d.Fixed))
		return false, nil
	}
	for _, m := range d.New {
		fmt.Fprintf(a.stderr, "%s: new survivor: %s %s\n", a.position(m), m.Operator, m.Change())
	}
	msg := fmt.Sprintf("gorewrite: baseline %s: %d new survivors, %d known, %d fixed", f.baseline, len(d.New), len(d.Known), len(d.Fixed))
	if d.Gone > 0 {
		msg += fmt.Sprintf(", %d no longer mutants here", d.Gone)
	}
	fmt.Fprintln(a.stderr, msg)
	return len(d.New) > 0, nil
}

// repoRelative returns the report with file names relative to the root of
// the git work tree holding it, as GitHub names files in annotations (a
// module may be a subdirectory of its repository).
func (a *app) repoRelative(r *mutate.Report) *mutate.Report {
	cmd := exec.Command("git", "rev-parse", "--show-toplevel")
	cmd.Dir = r.Root
	out, err := cmd.Output()
	if err != nil {
		return r
	}
	top, root := realPath(strings.TrimSpace(string(out))), realPath(r.Root)
	prefix, err := filepath.Rel(top, root)
	if err != nil || prefix == "." || !filepath.IsLocal(prefix) {
		return r
	}
	c := *r
	c.Sources = make(map[string][]byte, len(r.Sources))
	for k, v := range r.Sources {
		c.Sources[path.Join(filepath.ToSlash(prefix), k)] = v
	}
	c.Mutants = make([]*mutate.Mutant, len(r.Mutants))
	for i, m := range r.Mutants {
		mc := *m
		mc.RelFile = path.Join(filepath.ToSlash(prefix), m.RelFile)
		c.Mutants[i] = &mc
	}
	return &c
}

func realPath(name string) string {
	if r, err := filepath.EvalSymlinks(name); err == nil {
		return r
	}
	return name
}

// checkThreshold returns exit code 3 when the report's score is below the
// threshold (0: none).
func (a *app) checkThreshold(threshold float64, report *mutate.Report) error {
	if threshold <= 0 {
		return nil
	}
	if score, ok := mutate.Score(report.Mutants); ok && score < threshold {
		fmt.Fprintf(a.stderr, "gorewrite: mutation score %.1f%% is below the threshold %.1f%%\n", score, threshold)
		return exitCode(ExitThreshold)
	}
	return nil
}

// thresholdNotChecked says, for a run stopped before it tested every
// mutant, that --threshold was not checked, and between which bounds the
// whole run's score would end: every Pending mutant surviving, or killed.
func (a *app) thresholdNotChecked(threshold float64, report *mutate.Report) {
	if threshold <= 0 {
		return
	}
	var detected, valid, pending int
	for _, m := range report.Mutants {
		switch m.Status {
		case mutate.Killed, mutate.Timeout:
			detected++
			valid++
		case mutate.Survived, mutate.NoCoverage:
			valid++
		case mutate.Pending:
			pending++
		}
	}
	msg := fmt.Sprintf("gorewrite: --threshold %.1f%% not checked: the run was stopped", threshold)
	if total := valid + pending; pending == 0 && total > 0 {
		// --verify's second run was stopped; the first is whole.
		score := 100 * float64(detected) / float64(total)
		verb := "meets"
		if score < threshold {
			verb = "is below"
		}
		msg += fmt.Sprintf(" (its score, %.1f%%, %s it)", score, verb)
	} else if total > 0 {
		lo := 100 * float64(detected) / float64(total)
		hi := 100 * float64(detected+pending) / float64(total)
		msg += fmt.Sprintf("; the whole run's score would be between %.1f%% and %.1f%%", lo, hi)
		switch {
		case lo >= threshold:
			msg += " (met either way)"
		case hi < threshold:
			msg += " (missed either way)"
		}
	}
	fmt.Fprintln(a.stderr, msg)
}

func (a *app) writeReport(name string, r *mutate.Report, write func(io.Writer, *mutate.Report) error) error {
	var b strings.Builder
	if err := write(&b, r); err != nil {
		return err
	}
	if !filepath.IsAbs(name) {
		name = filepath.Join(a.dir, name)
	}
	return rewrite.WriteOutput(name, []byte(b.String()))
}

// readIncremental reads the --incremental file, unless --force or it does
// not exist yet (the first run).
func (a *app) readIncremental(f *mutateFlags) (*mutate.Incremental, error) {
	inc := &mutate.Incremental{}
	if f.force {
		inc.NoPrevious = "--force"
	}
	if f.incremental == "" || f.force {
		return inc, nil
	}
	name := f.incremental
	if !filepath.IsAbs(name) {
		name = filepath.Join(a.dir, name)
	}
	file, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(a.stderr, "gorewrite: incremental: %s does not exist yet: every mutant is tested\n", f.incremental)
		return inc, nil
	}
	if err != nil {
		return nil, err
	}
	defer file.Close()
	prev, err := mutate.ReadJSON(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %v (--force ignores it)", f.incremental, err)
	}
	inc.Previous = prev
	return inc, nil
}

// printIncremental says how many statuses an incremental run reused, and
// why it tested the other mutants.
func (a *app) printIncremental(inc *mutate.Incremental, stopped bool, mutants []*mutate.Mutant) {
	tested := 0
	for _, n := range inc.Retested {
		tested += n
	}
	line := fmt.Sprintf("gorewrite: incremental: %d statuses reused, %d mutants tested", inc.Reused, tested)
	if stopped {
		// The reasons are those of the mutants it set out to test.
		line = fmt.Sprintf("gorewrite: incremental: %d statuses reused, %d mutants to test (%d left Pending)", inc.Reused, tested, countPending(mutants))
	}
	if reasons := inc.RetestReasons(); len(reasons) > 0 {
		line += ": " + strings.Join(reasons, ", ")
	}
	fmt.Fprintln(a.stderr, line)
}

// position is m's "file:line:col", the file named as -l names files
// (../ included), so that --list lines and their -d diffs agree.
func (a *app) position(m *mutate.Mutant) string {
	return fmt.Sprintf("%s:%d:%d", rewrite.OutputPath(a.dir, m.File), m.Start.Line, m.Start.Column)
}

// mutateBuildFlags are the go build flags mutate passes on (after --),
// true for those that take a value.
var mutateBuildFlags = map[string]bool{
	"race": false, "msan": false, "asan": false, "trimpath": false,
	"tags": true, "gcflags": true, "ldflags": true, "asmflags": true, "gccgoflags": true,
	"mod": true, "modfile": true, "pgo": true, "toolexec": true, "p": true,
}

// mutateLoadFlags are the build flags that decide which files packages
// have or how modules resolve: they go to loading too (-tags aside).
var mutateLoadFlags = map[string]bool{"race": true, "msan": true, "asan": true, "mod": true, "modfile": true}

// mutateOwnFlags are go test flags mutate sets itself, or that only mean
// something to a run of the tests mutate does not do.
var mutateOwnFlags = map[string]string{
	"overlay": "mutate gives go its own overlay", "cover": "mutate instruments the code itself",
	"covermode": "mutate instruments the code itself", "coverpkg": "mutate instruments the code itself",
	"o": "mutate builds the test binaries itself", "c": "mutate builds the test binaries itself",
	"C": "run gorewrite in that directory", "vet": "mutate builds with -vet=off",
}

// mutateGoFlags checks the arguments after -- and returns them as
// -name[=value], one argument each. Flags that only make sense when
// running tests (-run, -count, -v ...) are usage errors: mutate chooses
// the tests and runs them itself.
func mutateGoFlags(args []string) ([]string, error) {
	var out []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if !strings.HasPrefix(arg, "-") || arg == "-" || arg == "--" {
			return nil, usagef("after --, only go build flags (such as -race, -tags=T); %q is not one: packages go before --", arg)
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-"), "=")
		takesValue, ok := mutateBuildFlags[name]
		if !ok {
			why := mutateOwnFlags[name]
			if why == "" {
				why = "mutate runs the tests that cover each mutant itself"
			}
			return nil, usagef("go test flag -%s is not for mutate (%s); after -- go build flags only: -race, -tags, -gcflags, -ldflags, -mod ...", name, why)
		}
		if takesValue && !hasValue {
			if i+1 >= len(args) {
				return nil, usagef("go build flag -%s needs a value", name)
			}
			i++
			value, hasValue = args[i], true
		}
		if hasValue {
			out = append(out, "-"+name+"="+value)
		} else {
			out = append(out, "-"+name)
		}
	}
	return out, nil
}

// splitGoFlags joins --tags and the -tags after -- (go build keeps only
// the last -tags) and returns the tags for loading, the flags for every
// build, and the other flags loading needs.
func splitGoFlags(tagsFlag, goFlags []string) (tags, build, load []string) {
	tags = slices.Clone(tagsFlag)
	for _, f := range goFlags {
		name, value, _ := strings.Cut(strings.TrimPrefix(f, "-"), "=")
		switch {
		case name == "tags":
			tags = append(tags, strings.FieldsFunc(value, func(r rune) bool { return r == ',' || r == ' ' })...)
		case mutateLoadFlags[name]:
			load = append(load, f)
			build = append(build, f)
		default:
			build = append(build, f)
		}
	}
	if len(tags) > 0 {
		build = append([]string{"-tags=" + strings.Join(tags, ",")}, build...)
	}
	return tags, build, load
}

func countPending(ms []*mutate.Mutant) int {
	n := 0
	for _, m := range ms {
		if m.Status == mutate.Pending {
			n++
		}
	}
	return n
}

func filter(ms []*mutate.Mutant, keep func(*mutate.Mutant) bool) []*mutate.Mutant {
	var out []*mutate.Mutant
	for _, m := range ms {
		if keep(m) {
			out = append(out, m)
		}
	}
	return out
}

func (a *app) mutateMergeCommand() *cobra.Command {
	var out, html, htmlPlain, markdown, baseline string
	var threshold float64
	c := &cobra.Command{
		Use:   "merge [flags] report.json...",
		Short: "Join the --json reports of mutate --shard runs into one",
		Long: `Merge joins mutation reports (gorewrite mutate --json, typically one per
--shard of a CI matrix) into one report: it prints the summary and writes the
joined JSON to -o (or standard output when no -o and no --html).

Each shard's report records its K/N. Shards of different N, the same shard
twice or two reports with the same mutants are errors; shards missing
from a run are named in a warning, and the merged report leaves their
mutants out.`,
		Args: minArgs(1, "report files"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var reports []*mutate.Report
			for _, name := range args {
				if !filepath.IsAbs(name) {
					name = filepath.Join(a.dir, name)
				}
				fh, err := os.Open(name)
				if err != nil {
					return err
				}
				r, err := mutate.ReadJSON(fh)
				fh.Close()
				if err != nil {
					return fmt.Errorf("%s: %v", rewrite.RelPath(a.dir, name), err)
				}
				reports = append(reports, r)
			}
			missing, err := mutate.CheckShards(args, reports)
			if err != nil {
				return err
			}
			if len(missing) > 0 {
				names := make([]string, len(missing))
				for i, s := range missing {
					names[i] = s.String()
				}
				plural := "s"
				if len(names) == 1 {
					plural = ""
				}
				fmt.Fprintf(a.stderr, "gorewrite: warning: shard%s %s missing\n", plural, strings.Join(names, ", "))
			}
			merged, err := mutate.Merge(reports...)
			if err != nil {
				return err
			}
			if pending := countPending(merged.Mutants); pending > 0 {
				fmt.Fprintf(a.stderr, "gorewrite: warning: %d mutants are Pending (a run was stopped before testing them); the score leaves them out\n", pending)
			}
			f := &mutateFlags{jsonOut: out, htmlOut: html, htmlPlain: htmlPlain, markdown: markdown, baseline: baseline, threshold: threshold}
			if out == "" && html == "" && htmlPlain == "" && markdown == "" && baseline == "" {
				// The JSON is the output: no summary mixed into it.
				if err := mutate.WriteJSON(a.stdout, merged); err != nil {
					return err
				}
				return a.checkThreshold(threshold, merged)
			}
			return a.finishMutate(f, merged, 0)
		},
	}
	c.Flags().StringVarP(&out, "output", "o", "", "write the joined JSON report to this file")
	c.Flags().StringVar(&html, "html", "", "write the joined report as a page on Stryker's report app to this file")
	c.Flags().StringVar(&htmlPlain, "html-plain", "", "write the joined report as a plain HTML page, without JavaScript, to this file")
	c.Flags().Float64Var(&threshold, "threshold", 0, "exit 3 when the joined score (percent) is below this")
	c.Flags().StringVar(&markdown, "markdown", "", "write the joined report's summary in Markdown to this file (as mutate --markdown)")
	c.Flags().StringVar(&baseline, "baseline", "", "fail (exit 3) on survivors the joined report has and this baseline does not (as mutate --baseline)")
	return c
}

// applyMutateConfig reads the config file (see ConfigFile) and sets from
// it the flags the command line did not set.
func (a *app) applyMutateConfig(fl *pflag.FlagSet, f *mutateFlags) error {
	name, err := findConfig(a.dir, f.config)
	if err != nil || name == "" {
		return err
	}
	c, err := readMutateConfig(name, rewrite.RelPath(a.dir, name))
	if err != nil {
		return usageError{err}
	}
	goFlags, set, err := c.apply(fl)
	if err != nil {
		return usageError{fmt.Errorf("%s: %v", rewrite.RelPath(a.dir, name), err)}
	}
	if f.list && set["json"] {
		f.jsonOut = "" // the file's report, not a list
	}
	if f.goFlags == nil && len(goFlags) > 0 {
		if f.goFlags, err = mutateGoFlags(goFlags); err != nil {
			return usageError{fmt.Errorf("%s: go-flags: %v", rewrite.RelPath(a.dir, name), err)}
		}
	}
	return nil
}
