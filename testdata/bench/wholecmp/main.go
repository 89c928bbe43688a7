// Command wholecmp measures gorewrite mutate on whole multi-package
// modules, in one run, in two parts.
//
// Part 1, tests from every package. gorewrite mutate tests a mutant with
// every test of the module that covers it, whichever package the test
// lives in; --own-tests restricts it to its own package's tests (the old
// behaviour). On each of -modules (real modules from the module proxy,
// copied writable out of the module cache; defaults participle, goldmark
// and expr, whose packages test each other's code: internal packages
// tested through their callers, extensions through the parser) it runs
//
//	gorewrite mutate --shard S --json own.json --own-tests ./...
//	gorewrite mutate --shard S --json all.json ./...
//
// each on a fresh copy, after warming the build cache once with
// go test -count=1 -run XXX ./... (which builds every test binary and its
// dependencies, and runs no test), so that neither run pays for the
// dependencies. (The --own-tests run goes first: the instrumented builds
// of the packages' own test binaries it leaves in the build cache can
// spare the second run some work, which favours that one.) -shard keeps it
// minutes long: the shard is the same set of mutants in both runs. It
// prints, per module, the mutants by status for each run, the wall times
// and their ratio (what the extra coverage costs), the transitions of each
// mutant's status from own to all matched by mutant id (NoCoverage→Killed
// is a mutant only another package's tests reach; Survived→Killed one they
// notice), and a few of the new kills with the tests that killed them.
//
// Part 2, --incremental. On -incremental-module (goldmark by default), a
// fresh copy, the same shard: (a) a first run with --incremental inc.json
// (wall time T1); (b) the same again, nothing changed, which should reuse
// every status; (c) after a comment line inserted at the top of one
// function's body (-edit-func), which should test again only what that
// function's change can affect; (d) with that function restored, the
// report of (b) put back, and a comment line inserted in one test
// (-edit-test), which should test again the mutants that test covers.
// Each with its wall time, its ratio to T1 and gorewrite's "incremental:"
// line. Then (e): on another fresh copy, a run with
// --incremental inc2.json --max-time T1/2 (stopped: exit 4, the
// mutants not tested Pending), resumed with --incremental inc2.json; the
// resumed run's final statuses are compared by mutant id with run (a)'s.
// A difference is not a failure (a flaky or time-dependent test explains
// some); each is listed.
//
// gorewrite's exit codes 0 and 1 (1: some test fails without mutants,
// which real modules have) are both accepted, and recorded.
//
// It is a benchmark, run by make bench-mutate-whole, not a test. Tables go
// to standard output, progress to standard error. It writes only under a
// temporary directory, removed at the end (-keep keeps it).
package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"github.com/gorewrite/gorewrite/testdata/bench/internal/benchkit"
	"go/ast"
	"go/parser"
	"go/token"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

var (
	gorewrite = flag.String("gorewrite", "bin/gorewrite", "the gorewrite binary")
	modules   = flag.String("modules", "github.com/alecthomas/participle/v2@v2.1.4,github.com/yuin/goldmark@v1.8.7,github.com/expr-lang/expr@v1.17.8",
		"comma-separated MODULE@VERSION for part 1 (empty: skip it)")
	shard     = flag.String("shard", "1/10", "gorewrite mutate --shard for every run (empty: all mutants)")
	incModule = flag.String("incremental-module", "github.com/yuin/goldmark@v1.8.7", "MODULE@VERSION for part 2 (empty: skip it)")
	editFunc  = flag.String("edit-func", "parser/attribute.go:parseAttributeNumber", "FILE:FUNC whose body part 2 (c) edits")
	editTest  = flag.String("edit-test", "extension/footnote_test.go:TestFootnoteOptions", "FILE:FUNC, a test, whose body part 2 (d) edits")
	samples   = flag.Int("samples", 5, "new kills listed per module")
	timeout   = flag.Duration("timeout", 40*time.Minute, "limit on one gorewrite run")
	keep      = flag.Bool("keep", false, "keep the temporary directory (copies, reports, logs) and print its path")
)

// statuses are the columns of the status tables, Stryker's names; every
// other status is counted under "other".
var statuses = []string{"Killed", "Survived", "NoCoverage", "Timeout"}

func main() {
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("wholecmp: ")
	os.Exit(run())
}

// bench holds what every part shares.
type bench struct {
	ctx       context.Context
	tmp       string
	env       []string
	gorewrite string            // absolute
	pristine  map[string]string // MODULE@VERSION -> its prepared copy
	failed    bool
	runs      int // names the runs' files apart
}

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	b := &bench{ctx: ctx, pristine: make(map[string]string)}

	abs, err := filepath.Abs(*gorewrite)
	if err != nil {
		log.Print(err)
		return 2
	}
	help, _ := exec.Command(abs, "mutate", "--help").CombinedOutput()
	for _, f := range []string{"--own-tests", "--incremental", "--max-time", "--shard"} {
		if !bytes.Contains(help, []byte(f)) {
			log.Printf("%s mutate --help shows no %s flag: build a newer gorewrite", abs, f)
			return 2
		}
	}
	b.gorewrite = abs

	if b.tmp, err = os.MkdirTemp("", "wholecmp-"); err != nil {
		log.Print(err)
		return 1
	}
	if *keep {
		fmt.Printf("wholecmp: keeping %s\n", b.tmp)
	} else {
		defer benchkit.RemoveAll(b.tmp)
	}
	// The go commands gorewrite starts make their temporary files here.
	os.Mkdir(filepath.Join(b.tmp, "tmp"), 0o777)
	b.env = append(os.Environ(), "TMPDIR="+filepath.Join(b.tmp, "tmp"))

	goVersion, _ := exec.Command("go", "version").Output()
	fmt.Printf("wholecmp: %s, %d CPUs; gorewrite mutate --shard %q\n", strings.TrimSpace(string(goVersion)), runtime.NumCPU(), *shard)
	if l := benchkit.LoadAverage(); l != "" {
		fmt.Printf("load average: %s (the timings assume a machine otherwise idle)\n", l)
	}

	for _, mod := range splitList(*modules) {
		if ctx.Err() != nil {
			break
		}
		b.allTests(mod)
	}
	if *incModule != "" && ctx.Err() == nil {
		b.incremental(*incModule)
	}
	if ctx.Err() != nil {
		fmt.Println("wholecmp: interrupted")
		return 130
	}
	if b.failed {
		return 1
	}
	return 0
}

// A mutant, as a gorewrite JSON report has it.
type mutant struct {
	id, file   string
	line       int
	op         string
	orig, repl string
	status     string
	killedBy   []string // test names, package-qualified
}

func (m *mutant) String() string {
	return fmt.Sprintf("%s:%d %s %s → %s", m.file, m.line, m.op, benchkit.Clip(benchkit.OneLine(m.orig), 40), benchkit.Clip(benchkit.OneLine(m.repl), 40))
}

// A result is one gorewrite run.
type result struct {
	args    []string
	wall    time.Duration
	exit    int      // -1: it did not run or was killed
	msgs    []string // its stderr lines starting "gorewrite: ", without that
	incLine string   // its "gorewrite: incremental: " line, if any
	mutants map[string]*mutant
	err     error // no report, or a report that does not parse
}

// mutate runs gorewrite mutate in dir with args, its report at report
// (which --json or --incremental names: it is removed first only when
// fresh is set, as --incremental reads it).
func (b *bench) mutate(dir, report string, fresh bool, args ...string) *result {
	b.runs++
	logBase := filepath.Join(b.tmp, fmt.Sprintf("run%02d", b.runs))
	if fresh {
		os.Remove(report)
	}
	full := append([]string{b.gorewrite, "mutate"}, args...)
	if *shard != "" {
		full = append(full, "--shard", *shard)
	}
	full = append(full, "./...")
	r := &result{args: full[1:], exit: -1}
	fmt.Fprintf(os.Stderr, "wholecmp: %s: gorewrite %s\n", time.Now().Format("15:04:05"), strings.Join(r.args, " "))
	wall, err := b.measure(dir, logBase+".out", logBase+".err", full...)
	r.wall = wall
	var exit *exec.ExitError
	switch {
	case err == nil:
		r.exit = 0
	case errors.As(err, &exit):
		r.exit = exit.ExitCode()
	default:
		r.err = err
	}
	inMsg := false
	for _, l := range strings.Split(benchkit.ReadFile(logBase+".err"), "\n") {
		// A message's indented lines (go's error under a warning) are
		// part of it.
		if inMsg && strings.HasPrefix(l, "\t") {
			r.msgs[len(r.msgs)-1] += " " + strings.TrimSpace(l)
			continue
		}
		m, ok := strings.CutPrefix(l, "gorewrite: ")
		inMsg = ok
		if ok {
			r.msgs = append(r.msgs, m)
			if strings.HasPrefix(m, "incremental: ") {
				r.incLine = l
			}
		}
	}
	if r.err == nil {
		r.mutants, r.err = readReport(report)
	}
	fmt.Fprintf(os.Stderr, "wholecmp: %.1fs, exit %d\n", wall.Seconds(), r.exit)
	return r
}

// accepted reports whether the run's exit code is one of want, or 0 or 1
// (1: tests that fail without mutants, which real modules have).
func (r *result) accepted(want ...int) bool {
	return r.err == nil && (r.exit == 0 || r.exit == 1 || slices.Contains(want, r.exit))
}

func (r *result) count() map[string]int {
	n := make(map[string]int)
	for _, m := range r.mutants {
		if slices.Contains(statuses, m.status) {
			n[m.status]++
		} else {
			n["other"]++
		}
	}
	return n
}

// others spells out the statuses counted as "other", e.g. "RuntimeError 2".
func (r *result) others() string {
	n := make(map[string]int)
	for _, m := range r.mutants {
		if !slices.Contains(statuses, m.status) {
			n[m.status]++
		}
	}
	var parts []string
	for s, c := range n {
		parts = append(parts, fmt.Sprintf("%s %d", s, c))
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

// allTests is part 1 on one module: --own-tests against every test.
func (b *bench) allTests(mod string) {
	fmt.Printf("\n== Part 1, tests from every package: %s ==\n", mod)
	pristine, err := b.prepare(mod)
	if err != nil {
		fmt.Printf("  FAILED: %v\n", err)
		b.failed = true
		return
	}
	own := b.onFreshCopy(pristine, "own", "--own-tests")
	all := b.onFreshCopy(pristine, "all")
	printRuns([]string{"--own-tests", "every test"}, []*result{own, all}, nil)
	if own.err != nil || all.err != nil {
		b.failed = true
		return
	}
	if own.wall > 0 {
		fmt.Printf("  wall time, every test / --own-tests: %.2fx\n", all.wall.Seconds()/own.wall.Seconds())
	}
	printTransitions(own, all)
	printNewKills(own, all)
}

// onFreshCopy runs gorewrite mutate --json on a fresh copy of pristine.
func (b *bench) onFreshCopy(pristine, name string, args ...string) *result {
	dir := filepath.Join(b.tmp, filepath.Base(pristine)+"-"+name)
	defer benchkit.RemoveAll(dir)
	if err := benchkit.CopyTree(pristine, dir); err != nil {
		return &result{exit: -1, err: err}
	}
	report := filepath.Join(b.tmp, filepath.Base(pristine)+"-"+name+".json")
	return b.mutate(dir, report, true, append([]string{"--json", report}, args...)...)
}

// printRuns prints the runs' statuses, wall times and exit codes, then
// each run's messages worth a look: errors and warnings, not progress.
func printRuns(names []string, rs []*result, base *result) {
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "  run\t")
	for _, s := range statuses {
		fmt.Fprintf(tw, "%s\t", s)
	}
	fmt.Fprint(tw, "other\ttotal\twall\t")
	if base != nil {
		fmt.Fprint(tw, "/T1\t")
	}
	fmt.Fprintln(tw, "exit\t")
	for i, r := range rs {
		fmt.Fprintf(tw, "  %s\t", names[i])
		n := r.count()
		for _, s := range statuses {
			fmt.Fprintf(tw, "%d\t", n[s])
		}
		fmt.Fprintf(tw, "%d\t%d\t%.1fs\t", n["other"], len(r.mutants), r.wall.Seconds())
		if base != nil {
			fmt.Fprintf(tw, "%.2f\t", ratio(r.wall, base.wall))
		}
		fmt.Fprintf(tw, "%d\t\n", r.exit)
	}
	tw.Flush()
	for i, r := range rs {
		if o := r.others(); o != "" {
			fmt.Printf("  %s: other = %s\n", names[i], o)
		}
		if r.err != nil {
			fmt.Printf("  %s: FAILED: %v\n", names[i], r.err)
		}
		for _, m := range benchkit.FirstN(notable(r.msgs), 6) {
			fmt.Printf("  %s says: %s\n", names[i], benchkit.Clip(m, 180))
		}
	}
}

// notable leaves out of a run's messages the summary lines every run
// prints, keeping what says something went wrong or was skipped.
func notable(msgs []string) []string {
	var out []string
	for _, m := range msgs {
		if strings.HasPrefix(m, "incremental: ") {
			continue
		}
		low := strings.ToLower(m)
		for _, w := range []string{"fail", "error", "warn", "skip", "flaky", "timeout", "could not", "cannot", "did not", "please report", "stopp", "pending"} {
			if strings.Contains(low, w) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

// printTransitions prints how the mutants' statuses moved from one run to
// the other, matched by id: the three moves every test is expected to
// make, then any other, then the mutants only one run reports (which a
// shard should not have: both runs shard the same mutants).
func printTransitions(from, to *result) {
	moves := make(map[[2]string]int)
	onlyFrom, onlyTo := 0, 0
	for id, m := range from.mutants {
		if n, ok := to.mutants[id]; !ok {
			onlyFrom++
		} else if m.status != n.status {
			moves[[2]string{m.status, n.status}]++
		}
	}
	for id := range to.mutants {
		if _, ok := from.mutants[id]; !ok {
			onlyTo++
		}
	}
	fmt.Println("  transitions --own-tests → every test (by mutant id):")
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	expected := [][2]string{{"NoCoverage", "Killed"}, {"NoCoverage", "Survived"}, {"Survived", "Killed"}}
	for _, k := range expected {
		fmt.Fprintf(tw, "    %s → %s\t%d\n", k[0], k[1], moves[k])
		delete(moves, k)
	}
	var rest [][2]string
	for k := range moves {
		rest = append(rest, k)
	}
	slices.SortFunc(rest, func(a, b [2]string) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	if len(rest) == 0 {
		fmt.Fprintf(tw, "    anything else\t0\n")
	}
	for _, k := range rest {
		fmt.Fprintf(tw, "    else: %s → %s\t%d\n", k[0], k[1], moves[k])
	}
	if onlyFrom+onlyTo > 0 {
		fmt.Fprintf(tw, "    only in --own-tests / only in every test\t%d / %d\n", onlyFrom, onlyTo)
	}
	tw.Flush()
}

// printNewKills lists -samples mutants every test kills that --own-tests
// did not, spread over the files.
func printNewKills(own, all *result) {
	var kills []*mutant
	for id, m := range all.mutants {
		if o, ok := own.mutants[id]; ok && m.status == "Killed" && o.status != "Killed" {
			kills = append(kills, m)
		}
	}
	slices.SortFunc(kills, byPosition)
	fmt.Printf("  new kills: %d", len(kills))
	if len(kills) > 0 {
		fmt.Printf(" (a few, one per file first):")
	}
	fmt.Println()
	for _, m := range spread(kills, *samples) {
		fmt.Printf("    %s (was %s), killed by %s\n", m, own.mutants[m.id].status, benchkit.Clip(strings.Join(m.killedBy, ", "), 120))
	}
}

// spread picks n mutants, one per file before a second from any.
func spread(ms []*mutant, n int) []*mutant {
	var out []*mutant
	taken := make(map[string]int)
	for round := 0; len(out) < n && len(out) < len(ms); round++ {
		for _, m := range ms {
			if len(out) < n && taken[m.file] == round && !slices.Contains(out, m) {
				out = append(out, m)
				taken[m.file]++
			}
		}
	}
	slices.SortFunc(out, byPosition)
	return out
}

// incremental is part 2.
func (b *bench) incremental(mod string) {
	fmt.Printf("\n== Part 2, --incremental: %s ==\n", mod)
	pristine, err := b.prepare(mod)
	if err != nil {
		fmt.Printf("  FAILED: %v\n", err)
		b.failed = true
		return
	}
	funcFile, funcName, ok1 := strings.Cut(*editFunc, ":")
	testFile, testName, ok2 := strings.Cut(*editTest, ":")
	if !ok1 || !ok2 {
		fmt.Println("  FAILED: -edit-func and -edit-test take FILE:FUNC")
		b.failed = true
		return
	}

	dir := filepath.Join(b.tmp, filepath.Base(pristine)+"-inc")
	defer benchkit.RemoveAll(dir)
	if err := benchkit.CopyTree(pristine, dir); err != nil {
		fmt.Printf("  FAILED: %v\n", err)
		b.failed = true
		return
	}
	inc := filepath.Join(b.tmp, "inc.json")
	names := []string{"(a) first", "(b) unchanged", "(c) func edited", "(d) test edited"}
	var rs []*result
	step := func(fresh bool) *result {
		r := b.mutate(dir, inc, fresh, "--incremental", inc)
		rs = append(rs, r)
		return r
	}
	a := step(true)
	step(false)
	// The report of the unchanged code, for (d).
	unchanged, err := os.ReadFile(inc)
	// (c): a comment line at the top of the function's body: its code is
	// the same, its text is not.
	var restoreFunc func() error
	if err == nil {
		restoreFunc, err = insertComment(filepath.Join(dir, funcFile), funcName)
	}
	if err == nil {
		step(false)
		// (d): the function as it was, and a test edited alike, against
		// the report of the unchanged code: only the test changed.
		err = restoreFunc()
	}
	if err == nil {
		err = os.WriteFile(inc, unchanged, 0o666)
	}
	if err == nil {
		if _, err = insertComment(filepath.Join(dir, testFile), testName); err == nil {
			step(false)
		}
	}
	printRuns(names[:len(rs)], rs, a)
	if err != nil {
		fmt.Printf("  FAILED: %v\n", err)
		b.failed = true
	}
	fmt.Println("  gorewrite's incremental: lines:")
	for i, r := range rs {
		fmt.Printf("    %s: %s\n", names[i], cmp.Or(r.incLine, "(none)"))
	}
	for i, r := range rs[1:] {
		if n := len(differing(a, r)); n > 0 {
			fmt.Printf("  %s: %d statuses differ from (a)'s\n", names[i+1], n)
		}
	}
	for _, r := range rs {
		if !r.accepted() {
			b.failed = true
		}
	}
	if a.err != nil || a.wall <= 0 {
		return
	}
	b.resume(pristine, a)
}

// resume is part 2 (e): a run stopped by --max-time at half of run (a)'s
// wall time, then resumed, compared with run (a).
func (b *bench) resume(pristine string, a *result) {
	fmt.Println("\n  (e) interrupted, then resumed (a fresh copy)")
	dir := filepath.Join(b.tmp, filepath.Base(pristine)+"-inc2")
	defer benchkit.RemoveAll(dir)
	if err := benchkit.CopyTree(pristine, dir); err != nil {
		fmt.Printf("  FAILED: %v\n", err)
		b.failed = true
		return
	}
	inc := filepath.Join(b.tmp, "inc2.json")
	half := (a.wall / 2).Round(time.Second)
	stopped := b.mutate(dir, inc, true, "--incremental", inc, "--max-time", half.String())
	pending := 0
	for _, m := range stopped.mutants {
		if m.status == "Pending" {
			pending++
		}
	}
	resumed := b.mutate(dir, inc, false, "--incremental", inc)
	printRuns([]string{"(e1) --max-time " + half.String(), "(e2) resumed"}, []*result{stopped, resumed}, a)
	if stopped.exit != 4 {
		fmt.Printf("  (e1) exited %d, not 4 (--max-time ran out)\n", stopped.exit)
	}
	if stopped.err != nil {
		fmt.Printf("  (e1) left no report to resume from: %v\n", stopped.err)
	} else {
		fmt.Printf("  Pending after the interruption: %d of %d\n", pending, len(stopped.mutants))
	}
	fmt.Printf("  resumed run: %.1fs (%.2f of T1); stopped + resumed: %.1fs (%.2f of T1)\n", resumed.wall.Seconds(), ratio(resumed.wall, a.wall),
		(stopped.wall + resumed.wall).Seconds(), ratio(stopped.wall+resumed.wall, a.wall))
	fmt.Printf("    (e1): %s\n    (e2): %s\n", cmp.Or(stopped.incLine, "(no incremental: line)"), cmp.Or(resumed.incLine, "(no incremental: line)"))
	if !stopped.accepted(4) || !resumed.accepted() {
		b.failed = true
		return
	}
	diff := differing(a, resumed)
	fmt.Printf("  final statuses differing from run (a)'s, by mutant id: %d of %d\n", len(diff), len(a.mutants))
	for _, d := range diff {
		fmt.Printf("    %s\n", d)
	}
}

// differing lists the mutants whose statuses differ between two runs, and
// those only one reports.
func differing(x, y *result) []string {
	var out []string
	for id, m := range x.mutants {
		n, ok := y.mutants[id]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s %s: %s, then missing", id, m, m.status))
		case n.status != m.status:
			out = append(out, fmt.Sprintf("%s %s: %s → %s", id, m, m.status, n.status))
		}
	}
	for id, n := range y.mutants {
		if _, ok := x.mutants[id]; !ok {
			out = append(out, fmt.Sprintf("%s %s: missing, then %s", id, n, n.status))
		}
	}
	slices.Sort(out)
	return out
}

// insertComment inserts a comment line as the first line of the body of
// the function name in file, and returns what puts the file back.
func insertComment(file, name string) (restore func() error, err error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Name.Name != name || fd.Body == nil {
			continue
		}
		at := fset.Position(fd.Body.Lbrace).Offset + 1 // just after the {
		edited := slices.Concat(src[:at], []byte("\n\t// wholecmp: an edit that changes no code"), src[at:])
		if err := os.WriteFile(file, edited, 0o644); err != nil {
			return nil, err
		}
		fmt.Fprintf(os.Stderr, "wholecmp: edited %s: %s\n", filepath.Base(file), name)
		return func() error { return os.WriteFile(file, src, 0o644) }, nil
	}
	return nil, fmt.Errorf("%s: no function %s with a body", file, name)
}

// prepare copies a module out of the module cache (writable), with its
// dependencies downloaded, and warms the build cache with every test
// binary and what it links, once per module.
func (b *bench) prepare(mod string) (string, error) {
	if dir, ok := b.pristine[mod]; ok {
		return dir, nil
	}
	if !strings.Contains(mod, "@") {
		return "", fmt.Errorf("%q: want MODULE@VERSION", mod)
	}
	dir := filepath.Join(b.tmp, fmt.Sprintf("m%d", len(b.pristine)))
	out, err := b.command(b.tmp, "go", "mod", "download", "-json", mod).Output()
	var info struct{ Dir, Error string }
	json.Unmarshal(out, &info)
	if err != nil || info.Dir == "" {
		return "", fmt.Errorf("go mod download %s: %v %s", mod, err, info.Error)
	}
	if err := benchkit.CopyTree(info.Dir, dir); err != nil {
		return "", err
	}
	fmt.Fprintf(os.Stderr, "wholecmp: %s: downloading dependencies, warming the build cache\n", mod)
	for _, args := range [][]string{{"go", "mod", "download"}, {"go", "mod", "tidy"}} {
		if out, err := b.command(dir, args...).CombinedOutput(); err != nil {
			return "", fmt.Errorf("%s: %v\n%s", strings.Join(args, " "), err, benchkit.LastLines(string(out), 10))
		}
	}
	// Builds every package's test binary (and vets it) and runs no test.
	start := time.Now()
	if out, err := b.command(dir, "go", "test", "-count=1", "-run", "XXX", "./...").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go test -count=1 -run XXX ./...: %v\n%s", err, benchkit.LastLines(string(out), 10))
	}
	fmt.Printf("  build cache warmed: go test -count=1 -run XXX ./...: %.1fs\n", time.Since(start).Seconds())
	b.pristine[mod] = dir
	return dir, nil
}

// readReport reads a gorewrite JSON report: its mutants by id, with the
// killing tests by name rather than id.
func readReport(file string) (map[string]*mutant, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("no report: %v", err)
	}
	var rep struct {
		ProjectRoot string `json:"projectRoot"`
		TestFiles   map[string]struct {
			Tests []struct {
				ID, Name  string
				Gorewrite *struct{ Package string }
			}
		}
		Files map[string]struct {
			Mutants []struct {
				ID, MutatorName, Replacement, Status string
				KilledBy                             []string
				Location                             struct{ Start struct{ Line int } }
				Gorewrite                            *struct{ Original string }
			}
		}
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("report %s: %v", filepath.Base(file), err)
	}
	testName := make(map[string]string)
	for _, tf := range rep.TestFiles {
		for _, t := range tf.Tests {
			name := t.Name
			if t.Gorewrite != nil && t.Gorewrite.Package != "" {
				name = t.Gorewrite.Package + "." + name
			}
			testName[t.ID] = name
		}
	}
	ms := make(map[string]*mutant)
	for name, f := range rep.Files {
		if rel, err := filepath.Rel(rep.ProjectRoot, name); err == nil && filepath.IsAbs(name) {
			name = rel
		}
		for _, m := range f.Mutants {
			mu := &mutant{id: m.ID, file: filepath.ToSlash(name), line: m.Location.Start.Line, op: m.MutatorName,
				repl: m.Replacement, status: m.Status}
			if m.Gorewrite != nil {
				mu.orig = m.Gorewrite.Original
			}
			for _, id := range m.KilledBy {
				mu.killedBy = append(mu.killedBy, cmp.Or(testName[id], id))
			}
			ms[m.ID] = mu
		}
	}
	return ms, nil
}

// command is a command in dir with the benchmark's environment.
func (b *bench) command(dir string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(b.ctx, args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = b.env
	return cmd
}

// measure runs a command in its own process group, its output to outFile
// and errFile, and returns its wall time. The group is killed on timeout
// or interrupt, and after the command ends, so nothing it left running
// outlives it (and slows the next run).
func (b *bench) measure(dir, outFile, errFile string, args ...string) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(b.ctx, *timeout)
	defer cancel()
	out, err := os.Create(outFile)
	if err != nil {
		return 0, err
	}
	defer out.Close()
	errOut, err := os.Create(errFile)
	if err != nil {
		return 0, err
	}
	defer errOut.Close()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = b.env
	cmd.Stdout, cmd.Stderr = out, errOut
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	if ctx.Err() == context.DeadlineExceeded {
		err = fmt.Errorf("killed after -timeout %v", *timeout)
	}
	return wall, err
}

func byPosition(a, b *mutant) int {
	return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.line, b.line), cmp.Compare(a.op, b.op), cmp.Compare(a.id, b.id))
}

func ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return 0
	}
	return a.Seconds() / b.Seconds()
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
