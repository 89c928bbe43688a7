package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/cover"
	"github.com/gorewrite/gorewrite/rewrite/mutate"
	"github.com/spf13/cobra"
)

// exitCode makes Main exit with a code a command chose (go test's).
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

type coverFlags struct {
	mode, output, overlay, html string
	coverpkg, tags              []string
	diff, list, write, branch   bool
	includeGenerated, check     bool
	formats                     coverFormats
}

func (a *app) coverCommand() *cobra.Command {
	var f coverFlags
	c := &cobra.Command{
		Use:   "cover [flags] [packages] [-- go test flags]",
		Short: "Measure test coverage with injected probes, or instrument a build",
		Long: `Cover puts coverage probes into the packages (default: ./..., the packages of
the main module) and runs go test on them through a build overlay: your files
are never written. The profile (-o, default coverage.out) is the text format
of go test -coverprofile, with the same blocks and statement counts, so go
tool cover -func and -html read it. go test's output is streamed and its exit
code returned. Flags after -- go to go test (-run, -race, -v, -tags ...).

With --overlay DIR nothing is run: the instrumented files and DIR/overlay.json
are written, for any go command:

  go build -overlay DIR/overlay.json -o app ./cmd/app
  GOREWRITE_COVERPROFILE=cover.out ./app

Such a binary writes the profile when main returns or panics, when
instrumented code calls os.Exit, and on SIGINT or SIGTERM (a program that
handles the signal itself keeps doing so). When the file exists, the run's
counts are added to it: several runs, or processes, build one profile. With
--branch, GOREWRITE_BRANCHPROFILE names the branch profile; read it with
gorewrite cover report.

-w instruments the files in place (for a throwaway CI checkout) and -d shows
the probes as a diff. Probes are inserted on the lines of the statements they
count: line numbers and comments do not move.

--branch also counts branches: each if (true/false), for condition,
switch and select clause (and a switch taking no case), and each operand of
&& and ||, reported as text after the tests (and as HTML with --html).

Generated files, _test.go files, functions named _ and functions or files
marked //gorewrite:ignore get no probes.`,
		Example: `  gorewrite cover ./... -- -race
  gorewrite cover --mode count -o cover.out ./internal/...
  go tool cover -html cover.out
  gorewrite cover --branch --html branches.html ./...
  gorewrite cover --overlay /tmp/cov ./... && go build -overlay /tmp/cov/overlay.json ./cmd/app`,
		RunE: func(cmd *cobra.Command, args []string) error {
			pkgs, goFlags := args, []string(nil)
			if dash := cmd.ArgsLenAtDash(); dash >= 0 {
				pkgs, goFlags = args[:dash], args[dash:]
			}
			return a.runCover(cmd.Context(), &f, pkgs, goFlags)
		},
	}
	fl := c.Flags()
	fl.StringVar(&f.mode, "mode", "", "set, count or atomic (default set, atomic with -race)")
	fl.StringVarP(&f.output, "output", "o", "coverage.out", "write the coverage profile to this file")
	fl.StringSliceVar(&f.coverpkg, "coverpkg", nil, "instrument these packages (comma-separated patterns) instead of the tested ones, as go test -coverpkg")
	fl.StringVar(&f.overlay, "overlay", "", "only instrument: write the files and DIR/overlay.json for go build -overlay")
	fl.BoolVarP(&f.diff, "diff", "d", false, "print the probes as a diff instead of running tests")
	fl.BoolVarP(&f.list, "list", "l", false, "print the names of the files instrumentation changes or adds")
	fl.BoolVarP(&f.write, "write", "w", false, "instrument the files in place (for a throwaway checkout)")
	fl.BoolVar(&f.branch, "branch", false, "also measure branch coverage and report it")
	fl.StringVar(&f.html, "html", "", "write the coverage as one self-contained HTML page: a file tree with figures, lines colored by statement coverage, and with --branch the branch outcomes marked on their conditions")
	fl.StringSliceVar(&f.tags, "tags", nil, "comma-separated build tags, as for go build -tags")
	fl.BoolVar(&f.includeGenerated, "include-generated", false, "instrument generated files too, as go test -cover does")
	f.formats.register(fl)
	fl.BoolVar(&f.check, "check", false, "type-check the instrumented packages before building (a failure is a gorewrite bug)")
	c.AddCommand(a.coverReportCommand(), a.coverMergeCommand())
	return c
}

func (a *app) runCover(ctx context.Context, f *coverFlags, pkgs, goFlags []string) error {
	for _, bad := range []string{"cover", "covermode", "coverpkg", "coverprofile", "overlay"} {
		if hasGoFlag(goFlags, bad) {
			return usagef("go test flag -%s: gorewrite cover sets it itself; use its own flags", bad)
		}
	}
	for _, bad := range []string{"c", "n", "C"} {
		if hasGoFlag(goFlags, bad) {
			return usagef("go test flag -%s: gorewrite cover runs the tests (for a build with probes, use --overlay)", bad)
		}
	}
	modes := 0
	for _, on := range []bool{f.overlay != "", f.diff || f.list, f.write} {
		if on {
			modes++
		}
	}
	if modes > 1 {
		return usagef("--overlay, -d/-l and -w exclude each other")
	}
	if err := f.formats.check(); err != nil {
		return err
	}
	if f.formats.since != "" {
		// A revision git does not know, before the tests run.
		if _, err := mutate.ChangedLines(ctx, a.dir, f.formats.since); err != nil {
			if errors.Is(err, mutate.ErrBadRevision) {
				return usageError{err}
			}
			return err
		}
	}
	// As go test: -race (here or in GOFLAGS) counts atomically.
	race := hasGoFlag(goFlags, "race") || hasGoFlag(strings.Fields(os.Getenv("GOFLAGS")), "race")
	mode := f.mode
	if mode == "" {
		mode = "set"
		if race {
			mode = "atomic"
		}
	} else if race && mode != "atomic" {
		return usagef("--mode must be atomic with -race (probes in %s mode are data races)", mode)
	}
	m, err := cover.ParseMode(mode)
	if err != nil {
		return usageError{err}
	}
	goFlags, err = a.testArgs(pkgs, f.tags, goFlags)
	if err != nil {
		return err
	}
	cfg := cover.Config{
		Dir:      a.dir,
		Options:  cover.Options{Mode: m, Branch: f.branch, IncludeGenerated: f.includeGenerated},
		Patterns: pkgs, CoverPkg: f.coverpkg, GoFlags: goFlags,
		InPlace: f.write, Binaries: f.write || f.overlay != "",
	}
	plan, err := cover.Prepare(ctx, cfg)
	if err != nil {
		return err
	}
	a.printPlanProblems(plan.Warnings, plan.Errs)
	if f.check {
		if err := a.checkPlan(ctx, cfg, plan); err != nil {
			return err
		}
	}
	failed := len(plan.Errs) > 0
	switch {
	case f.diff || f.list:
		a.printPlan(plan, f.diff)
	case f.write:
		fmt.Fprintln(a.stderr, "gorewrite: warning: cover -w rewrites your files in place; run it on a throwaway checkout only")
		for _, name := range sortedFiles(plan.Files) {
			if err := ctx.Err(); err != nil {
				return err // interrupted: write nothing more
			}
			old, changed := plan.Originals[name]
			var werr error
			if changed {
				werr = rewrite.WriteFile(name, old, plan.Files[name])
			} else {
				werr = writeNewFile(name, plan.Files[name])
			}
			if werr != nil {
				a.printError(rewrite.WriteError(name, werr))
				failed = true
			}
		}
	case f.overlay != "":
		name, err := plan.WriteOverlay(f.overlay)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "gorewrite: instrumented %d packages; build with -overlay %s\n", len(plan.Packages), rewrite.RelPath(a.dir, name))
	default:
		return a.testCover(ctx, cfg, plan, f)
	}
	if failed {
		return errFailed
	}
	return nil
}

// testArgs checks the package arguments of a command that runs go test
// (cover, trace) and returns the go flags with --tags added.
func (a *app) testArgs(pkgs, tags, goFlags []string) ([]string, error) {
	if len(tags) > 0 {
		goFlags = append([]string{"-tags=" + strings.Join(tags, ",")}, goFlags...)
	}
	for _, p := range pkgs {
		if strings.TrimSpace(p) == "" {
			return nil, usagef("empty argument: name packages")
		}
	}
	if err := a.checkDirs(pkgs); err != nil {
		return nil, err
	}
	return goFlags, nil
}

func hasGoFlag(args []string, name string) bool {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			continue
		}
		key, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if key == name {
			return true
		}
	}
	return false
}

// printPlanProblems prints what instrumenting left out (warnings) and the
// files it could not instrument.
func (a *app) printPlanProblems(warnings []string, errs []error) {
	for _, w := range warnings {
		fmt.Fprintf(a.stderr, "gorewrite: %s\n", a.relativize(w))
	}
	for _, e := range errs {
		a.printError(e)
	}
}

// relativize shortens absolute names under the working directory in a
// message.
func (a *app) relativize(msg string) string {
	return strings.ReplaceAll(msg, a.dir+string(filepath.Separator), "")
}

func sortedFiles(m map[string][]byte) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// writeNewFile creates a file instrumentation adds; one that exists with
// other content is not overwritten.
func writeNewFile(name string, data []byte) error {
	if old, err := os.ReadFile(name); err == nil {
		if bytes.Equal(old, data) {
			return nil
		}
		return errors.New("exists already")
	}
	return rewrite.WriteOutput(name, data)
}

// printPlan prints the instrumented files as diffs (new files against
// nothing) or their names.
func (a *app) printPlan(plan *cover.Plan, diff bool) {
	for _, name := range sortedFiles(plan.Files) {
		rel := rewrite.OutputPath(a.dir, name)
		if !diff {
			fmt.Fprintln(a.stdout, rel)
			continue
		}
		io.WriteString(a.stdout, rewrite.UnifiedDiff(rel, plan.Originals[name], plan.Files[name]))
	}
}

// testCover runs the tests and writes the profile and reports.
func (a *app) testCover(ctx context.Context, cfg cover.Config, plan *cover.Plan, f *coverFlags) error {
	res, err := cover.Test(ctx, cfg, plan, a.stdout, a.stderr)
	if err != nil {
		return err
	}
	if res.BuildFailed {
		fmt.Fprintln(a.stderr, "gorewrite: a package did not build: no coverage profile written")
		if !f.check {
			// Tell the user's errors from a broken probe.
			if err := a.checkPlan(ctx, cfg, plan); err != nil {
				return err
			}
		}
		return exitCode(max(res.ExitCode, 1))
	}
	if res.NoTests {
		fmt.Fprintln(a.stderr, "gorewrite: go test failed before any test ran: no coverage profile written")
		return exitCode(max(res.ExitCode, 1))
	}
	out := f.output
	if !filepath.IsAbs(out) {
		out = filepath.Join(a.dir, out)
	}
	var buf bytes.Buffer
	blocks := plan.Blocks()
	if err := cover.WriteProfile(&buf, plan.Mode, blocks, res.Counts); err != nil {
		return err
	}
	if err := writeOutput(out, buf.Bytes()); err != nil {
		a.printError(rewrite.WriteError(out, err))
		return errFailed
	}
	for _, p := range plan.Packages {
		if p.Tested && len(p.Blocks) > 0 && !cover.Reported(p.Blocks, res.Counts) {
			fmt.Fprintf(a.stderr, "gorewrite: %s: its test binary wrote no profile (does its TestMain end in code gorewrite does not instrument?)\n", p.ImportPath)
		}
	}
	a.printSummary(plan, res.Counts, rewrite.RelPath(a.dir, out))
	var branches []cover.Branch
	if f.branch {
		branches = plan.Branches()
	}
	if f.branch {
		report := cover.NewBranchReport(plan.Branches(), res.Branch)
		// Not into go test -json's stream.
		w := a.stdout
		if hasGoFlag(cfg.GoFlags, "json") {
			w = a.stderr
		}
		report.WriteText(w)
	}
	// Every report first, the diff coverage gate last: CI needs them most
	// when it fails.
	f.formats.html = f.html
	gate := a.writeCoverFormats(ctx, &f.formats, blocks, res.Counts, branches, res.Branch)
	if res.ExitCode != 0 {
		return exitCode(res.ExitCode)
	}
	return gate
}

func writeOutput(name string, data []byte) error { return rewrite.WriteOutput(name, data) }

// printSummary prints each package's statement coverage and the total on
// stderr, after go test's own output.
func (a *app) printSummary(plan *cover.Plan, counts cover.Counts, out string) {
	for _, p := range plan.Packages {
		if pct, ok := cover.Percent(p.Blocks, counts); ok {
			fmt.Fprintf(a.stderr, "gorewrite: %s\tcoverage: %.1f%% of statements\n", p.ImportPath, pct)
		} else {
			fmt.Fprintf(a.stderr, "gorewrite: %s\tcoverage: [no statements]\n", p.ImportPath)
		}
	}
	pct, _ := cover.Percent(plan.Blocks(), counts)
	fmt.Fprintf(a.stderr, "gorewrite: total\tcoverage: %.1f%% of statements; profile in %s\n", pct, out)
}

func (a *app) writeBranchHTML(name string, report *cover.BranchReport, plan *cover.Plan) error {
	if !filepath.IsAbs(name) {
		name = filepath.Join(a.dir, name)
	}
	var buf bytes.Buffer
	if err := report.WriteHTML(&buf, plan); err != nil {
		return err
	}
	if err := writeOutput(name, buf.Bytes()); err != nil {
		a.printError(rewrite.WriteError(name, err))
		return errFailed
	}
	return nil
}

// checkPlan type-checks the instrumented packages and reports any error
// the probes caused.
func (a *app) checkPlan(ctx context.Context, cfg cover.Config, plan *cover.Plan) error {
	errs, err := cover.Check(ctx, cfg, plan)
	if err != nil {
		return err
	}
	for _, e := range errs {
		a.printError(e)
	}
	if len(errs) > 0 {
		fmt.Fprintln(a.stderr, "gorewrite: internal error: the instrumented code does not compile (please report this)")
		return errFailed
	}
	return nil
}

func (a *app) coverReportCommand() *cobra.Command {
	var branchFile, html string
	var tags []string
	var includeGenerated bool
	var formats coverFormats
	c := &cobra.Command{
		Use:   "report [PROFILE] [--branch FILE] [--html OUT] [--lcov|--cobertura|--sonar OUT] [packages]",
		Short: "Report or convert a coverage profile, and a branch profile",
		Long: `Report reads a statement profile (PROFILE: gorewrite cover's, or go test
-coverprofile's) and converts it to the formats CI services read (--lcov,
--cobertura, --sonar), finding its blocks in the packages' sources (default:
the packages the profile names).

With --branch it also reads a branch profile that a binary built with
gorewrite cover --overlay --branch wrote (GOREWRITE_BRANCHPROFILE), and
prints each branch site with its outcomes, the branch coverage of each
function and the total; --html writes a page with the untaken branches
marked, and the converted files get the branch records.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			profile := ""
			if len(args) > 0 {
				if st, err := os.Stat(filepath.Join(a.dir, args[0])); filepath.IsAbs(args[0]) {
					if st, err = os.Stat(args[0]); err == nil && st.Mode().IsRegular() && !strings.HasSuffix(args[0], ".go") {
						profile, args = args[0], args[1:]
					}
				} else if err == nil && st.Mode().IsRegular() && !strings.HasSuffix(args[0], ".go") {
					profile, args = args[0], args[1:]
				}
			}
			if branchFile == "" && profile == "" {
				return usagef("report needs a PROFILE or --branch FILE")
			}
			if err := formats.check(); err != nil {
				return err
			}
			if profile == "" && (formats.any() || formats.since != "") {
				return usagef("--lcov, --cobertura and --sonar convert a statement PROFILE: name it")
			}
			var counts, branchCounts cover.Counts
			if profile != "" {
				name := profile
				if !filepath.IsAbs(name) {
					name = filepath.Join(a.dir, name)
				}
				var err error
				if _, counts, err = cover.ReadCounts(name, "mode: "); err != nil {
					return err
				}
				if len(args) == 0 {
					if args, err = profilePackages(name); err != nil {
						return err
					}
				}
			}
			if branchFile != "" {
				name := branchFile
				if !filepath.IsAbs(name) {
					name = filepath.Join(a.dir, name)
				}
				// ReadCounts takes a missing profile for one a binary never
				// wrote (no counts); a file named on the command line that is
				// not there is a mistake, not an empty report.
				if _, err := os.Stat(name); err != nil {
					return fmt.Errorf("--branch %s: %w", branchFile, errors.Unwrap(err))
				}
				var err error
				if _, branchCounts, err = cover.ReadCounts(name, "branchmode: "); err != nil {
					return err
				}
			}
			var goFlags []string
			if len(tags) > 0 {
				goFlags = []string{"-tags=" + strings.Join(tags, ",")}
			}
			// InPlace: the sites are all report needs, not a go.mod to
			// extend (a vendored module has none it could).
			cfg := cover.Config{Dir: a.dir, Options: cover.Options{Branch: branchFile != "", IncludeGenerated: includeGenerated}, Patterns: args, GoFlags: goFlags, InPlace: true}
			plan, err := cover.Prepare(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			var branches []cover.Branch
			if branchFile != "" {
				branches = plan.Branches()
				report := cover.NewBranchReport(branches, branchCounts)
				report.WriteText(a.stdout)
				if html != "" && profile == "" {
					if err := a.writeBranchHTML(html, report, plan); err != nil {
						return err
					}
				}
			}
			if profile != "" {
				if pct, ok := cover.Percent(plan.Blocks(), counts); ok {
					fmt.Fprintf(a.stdout, "total:\t(statements)\t%.1f%%\n", pct)
				}
				formats.html = html
				return a.writeCoverFormats(cmd.Context(), &formats, plan.Blocks(), counts, branches, branchCounts)
			}
			return nil
		},
	}
	c.Flags().StringVar(&branchFile, "branch", "", "the branch profile to read")
	c.Flags().StringVar(&html, "html", "", "also write an HTML page to this file (statements and branches with a PROFILE, else the branches)")
	c.Flags().StringSliceVar(&tags, "tags", nil, "comma-separated build tags")
	c.Flags().BoolVar(&includeGenerated, "include-generated", false, "the binary was instrumented with --include-generated")
	formats.register(c.Flags())
	return c
}

func (a *app) coverMergeCommand() *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "merge -o OUT PROFILES...",
		Short: "Merge coverage profiles of several runs, CI shards or binaries",
		Long: `Merge joins coverage profiles (go test -coverprofile's, gorewrite cover's,
or the branch profiles of gorewrite cover --branch) into one: in set mode a
block counts when it ran in any of them, in count and atomic modes the counts
add up. Profiles of different modes, or a statement and a branch profile,
are an error.`,
		Args: minArgs(1, "profiles"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var b bytes.Buffer
			if err := cover.MergeProfiles(&b, a.dir, args...); err != nil {
				return err
			}
			if out == "" {
				_, err := a.stdout.Write(b.Bytes())
				return err
			}
			name := out
			if !filepath.IsAbs(name) {
				name = filepath.Join(a.dir, name)
			}
			return writeOutput(name, b.Bytes())
		},
	}
	c.Flags().StringVarP(&out, "output", "o", "", "write the merged profile to this file (default: standard output)")
	return c
}
