// Command mutatecmp measures gorewrite mutate, with each of its strategies,
// against gremlins (github.com/go-gremlins/gremlins, v0.6.0 by default), in
// one run on this machine, on packages with fast test suites:
//
//   - self:DIR, a package of this module, on a copy of the module (default
//     rewrite/cover/coverrt, whose tests take a twentieth of a second);
//   - MODULE@VERSION[:DIR], a module from the module proxy, copied out of the
//     module cache (default github.com/google/uuid and
//     github.com/dustin/go-humanize, whole, golang.org/x/mod's semver
//     package, and golang.org/x/sync's semaphore package, whose suite takes
//     seconds: there the tests' own time dominates whatever the strategy,
//     and running only the covering tests is what matters).
//
// On each target it runs up to three tools: gorewrite mutate --strategy
// schemata (all of a package's mutants compiled into one test binary
// behind a switch, one selected per run; with --stats), gorewrite mutate
// --strategy overlay (one test binary per mutant), and gremlins unleash.
// -strategies chooses the gorewrite runs (default schemata,overlay;
// "schemata" skips overlay, "" measures gremlins alone). All get the same
// operators (the eleven gremlins has; gorewrite names them alike), the same
// number of workers and the same packages: DIR and the directories below
// it, as gremlins always recurses. Each run of a tool gets a fresh copy of
// the module; every gorewrite run must leave its copy byte-identical, which
// is checked. gremlins is built once with go install into the temporary
// directory, so go run's own time is not measured; the tests are run once
// before, which warms the build cache for all.
//
// How the tools differ, which explains most disagreements: gremlins takes
// coverage from one go test -cover of the package and runs the package's
// whole test suite on each mutant (go test, vet included), with a timeout
// of three times that coverage run; gorewrite runs each test alone for its
// coverage and runs only a mutant's covering tests, fastest first.
//
// For each target and tool it prints the mutants by status (gremlins'
// statuses mapped onto Stryker's: KILLED Killed, LIVED Survived, NOT
// COVERED NoCoverage, TIMED OUT Timeout, NOT VIABLE CompileError, SKIPPED
// Ignored), the mutants tested per minute of wall time (tested: any status
// but NoCoverage and Ignored), the wall time and the largest resident set
// of a single process of the tool's process tree; under the schemata row,
// the "gorewrite: stats" lines its --stats printed to stderr. Then the
// ratios of the throughputs: schemata/gremlins, schemata/overlay,
// overlay/gremlins.
//
// Then an equivalence check of the two strategies: they make the same
// mutants (matched by the JSON report's mutant id), which must get the same
// statuses; every disagreement and every mutant only one of them reports
// is listed, as each is a bug of one strategy, unless a flaky test (one a
// run found failing without mutants) or timing (a Timeout where the
// schemata run's tests took more than half the limit) explains it, or
// chance: the mutant, tested alone three times more with each strategy,
// gets different statuses from one strategy and one the two share. The
// command exits 1 when anything is left unexplained.
//
// Then the agreement with gremlins (of the schemata run, or the first of
// -strategies without it) on the mutants both tools generate, matched by
// file, line, column (in bytes, where the operator token starts) and
// operator, and the disagreements. gremlins runs go test on the mutated
// package, so a mutant that does not compile counts as KILLED there;
// gorewrite type-checks every mutant and never makes one that does not, so
// those show up as mutants only gremlins generates.
//
// It ends with a summary table in Markdown: per target and over all of
// them, each tool's mutants, wall time, tested mutants per minute and
// largest resident set, and the ratios schemata/gremlins and
// schemata/overlay of the throughputs.
//
// It is a benchmark, run by make bench-mutate, not a test. It writes only
// under a temporary directory, removed at the end (-keep keeps it).
package main

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"github.com/gorewrite/gorewrite/testdata/bench/internal/benchkit"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"io"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

// sharedOperators are gremlins' mutator types, which gorewrite has under
// the same names.
var sharedOperators = []string{
	"ARITHMETIC_BASE", "CONDITIONALS_BOUNDARY", "CONDITIONALS_NEGATION",
	"INCREMENT_DECREMENT", "INVERT_NEGATIVES", "INVERT_LOGICAL", "INVERT_LOOPCTRL",
	"INVERT_ASSIGNMENTS", "INVERT_BITWISE", "INVERT_BWASSIGN", "REMOVE_SELF_ASSIGNMENTS",
}

var (
	gorewrite = flag.String("gorewrite", "bin/gorewrite", "the gorewrite binary")
	gremlins  = flag.String("gremlins", "github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0", "gremlins, as go install takes it")
	modules   = flag.String("modules", "self:rewrite/cover/coverrt,golang.org/x/mod@v0.42.0:semver,github.com/google/uuid@v1.6.0,github.com/dustin/go-humanize@v1.1.0,golang.org/x/sync@v0.25.0:semaphore",
		"comma-separated targets: self:DIR (a package directory of this module) or MODULE@VERSION[:DIR] (from the module proxy)")
	strategies = flag.String("strategies", "schemata,overlay", "gorewrite mutate --strategy values to measure, comma-separated (schemata, overlay); empty: gremlins only")
	workers    = flag.Int("workers", runtime.GOMAXPROCS(0), "workers for every tool")
	runs       = flag.Int("runs", 1, "timed runs of each tool on each target, alternating; wall time is the median, statuses are the last run's")
	operators  = flag.String("operators", strings.Join(sharedOperators, ","), "operators for every tool (of gremlins' eleven)")
	timeout    = flag.Duration("timeout", 30*time.Minute, "limit on one run of one tool")
	show       = flag.Int("show", 30, "disagreements with gremlins listed per target (those between strategies are all listed)")
	keep       = flag.Bool("keep", false, "keep the temporary directory (copies, JSON reports, logs) and print its path")
)

// knownStrategies are gorewrite mutate's --strategy values; the first is
// the one compared with gremlins and with the others.
var knownStrategies = []string{"schemata", "overlay"}

func main() {
	flag.Parse()
	log.SetFlags(0)
	os.Exit(run())
}

// Statuses, as Stryker's mutation-testing-report-schema names them, in the
// order the tables show them.
var statuses = []string{"Killed", "Survived", "NoCoverage", "Timeout", "CompileError", "RuntimeError", "Ignored", "Pending"}

// gremlinsStatus maps gremlins' statuses (mutator.Status.String()) onto
// Stryker's. NOT VIABLE is go test's exit code 2; a build failure exits 1
// and is KILLED. SKIPPED is outside --diff. RUNNABLE is a dry run's.
var gremlinsStatus = map[string]string{
	"KILLED":      "Killed",
	"LIVED":       "Survived",
	"NOT COVERED": "NoCoverage",
	"TIMED OUT":   "Timeout",
	"NOT VIABLE":  "CompileError",
	"SKIPPED":     "Ignored",
	"RUNNABLE":    "Pending",
}

// gremlinsFlag is each operator's enabling flag of gremlins unleash.
var gremlinsFlag = map[string]string{
	"ARITHMETIC_BASE":         "--arithmetic-base",
	"CONDITIONALS_BOUNDARY":   "--conditionals-boundary",
	"CONDITIONALS_NEGATION":   "--conditionals-negation",
	"INCREMENT_DECREMENT":     "--increment-decrement",
	"INVERT_NEGATIVES":        "--invert-negatives",
	"INVERT_LOGICAL":          "--invert-logical",
	"INVERT_LOOPCTRL":         "--invert-loopctrl",
	"INVERT_ASSIGNMENTS":      "--invert-assignments",
	"INVERT_BITWISE":          "--invert-bitwise",
	"INVERT_BWASSIGN":         "--invert-bwassign",
	"REMOVE_SELF_ASSIGNMENTS": "--remove-self-assignments",
}

// gremlinsMutation is what gremlins v0.6.0 puts in place of a token, by
// mutator type (internal/engine/mappings.go). It reports only the type and
// the token's position, so the replacement is worked out from this.
var gremlinsMutation = map[string]map[token.Token]token.Token{
	"ARITHMETIC_BASE":       {token.ADD: token.SUB, token.MUL: token.QUO, token.QUO: token.MUL, token.REM: token.MUL, token.SUB: token.ADD},
	"CONDITIONALS_BOUNDARY": {token.GEQ: token.GTR, token.GTR: token.GEQ, token.LEQ: token.LSS, token.LSS: token.LEQ},
	"CONDITIONALS_NEGATION": {token.EQL: token.NEQ, token.GEQ: token.LSS, token.GTR: token.LEQ, token.LEQ: token.GTR,
		token.LSS: token.GEQ, token.NEQ: token.EQL},
	"INCREMENT_DECREMENT": {token.DEC: token.INC, token.INC: token.DEC},
	"INVERT_ASSIGNMENTS": {token.ADD_ASSIGN: token.SUB_ASSIGN, token.MUL_ASSIGN: token.QUO_ASSIGN, token.QUO_ASSIGN: token.MUL_ASSIGN,
		token.REM_ASSIGN: token.REM_ASSIGN, token.SUB_ASSIGN: token.ADD_ASSIGN},
	"INVERT_BITWISE": {token.AND: token.OR, token.OR: token.AND, token.XOR: token.AND, token.AND_NOT: token.AND,
		token.SHL: token.SHR, token.SHR: token.SHL},
	"INVERT_BWASSIGN": {token.AND_ASSIGN: token.OR_ASSIGN, token.OR_ASSIGN: token.AND_ASSIGN, token.XOR_ASSIGN: token.AND_ASSIGN,
		token.AND_NOT_ASSIGN: token.AND_ASSIGN, token.SHL_ASSIGN: token.SHR_ASSIGN, token.SHR_ASSIGN: token.SHL_ASSIGN},
	"INVERT_LOGICAL":   {token.LAND: token.LOR, token.LOR: token.LAND},
	"INVERT_LOOPCTRL":  {token.BREAK: token.CONTINUE, token.CONTINUE: token.BREAK},
	"INVERT_NEGATIVES": {token.SUB: token.ADD},
	"REMOVE_SELF_ASSIGNMENTS": {token.ADD_ASSIGN: token.ASSIGN, token.AND_ASSIGN: token.ASSIGN, token.AND_NOT_ASSIGN: token.ASSIGN,
		token.MUL_ASSIGN: token.ASSIGN, token.OR_ASSIGN: token.ASSIGN, token.QUO_ASSIGN: token.ASSIGN, token.REM_ASSIGN: token.ASSIGN,
		token.SHL_ASSIGN: token.ASSIGN, token.SHR_ASSIGN: token.ASSIGN, token.SUB_ASSIGN: token.ASSIGN, token.XOR_ASSIGN: token.ASSIGN},
}

// A target is a module copy and the directory in it the tools mutate.
type target struct {
	spec    string
	self    bool
	module  string // MODULE@VERSION, unless self
	dir     string // slash-separated, relative to the module root; "" for all of it
	pattern string // for gorewrite: ./DIR/... or ./...
}

func parseTarget(spec string) (target, error) {
	t := target{spec: spec}
	if d, ok := strings.CutPrefix(spec, "self:"); ok {
		t.self, t.dir = true, d
	} else {
		mod, d, _ := strings.Cut(spec, ":")
		if !strings.Contains(mod, "@") {
			return t, fmt.Errorf("%q: want self:DIR or MODULE@VERSION[:DIR]", spec)
		}
		t.module, t.dir = mod, d
	}
	t.dir = strings.Trim(path.Clean("/"+strings.TrimPrefix(t.dir, "./")), "/")
	if t.dir == "" {
		t.pattern = "./..."
	} else {
		t.pattern = "./" + t.dir + "/..."
	}
	return t, nil
}

func (t target) name() string {
	if t.self {
		return "this module: " + t.pattern
	}
	return t.module + " " + t.pattern
}

// A mutant, as either tool reports it, with its position in bytes.
type mutant struct {
	id        string // gorewrite's report's; "" for gremlins
	file      string // slash-separated, relative to the module root
	line, col int    // col: 1-based byte column of the operator token
	op        string
	orig      string // the token replaced
	repl      string
	status    string // one of statuses
	raw       string // the tool's own status name
	reason    string
	// gorewrite's: the covering tests' ids and how long testing (and, built
	// alone, building) the mutant took.
	coveredBy []string
	killedBy  []string
	duration  time.Duration
}

// A toolRun is one tool's result on one target.
type toolRun struct {
	tool     string
	strategy string // gorewrite's --strategy; "" for gremlins
	walls    []time.Duration
	maxRSS   int64 // bytes; 0 when unknown
	mutants  []*mutant
	failed   []string // what went wrong, if anything
	// flakyTests are the tests a gorewrite run found failing without
	// mutants, by id.
	flakyTests map[string]bool
	modified   []string // gorewrite: files of its copy that changed
	stats      []string // gorewrite --stats: its lines on stderr, the last run's
	available  bool
}

// short is the tool's name in ratios and the summary: the strategy, or
// gremlins.
func (r *toolRun) short() string {
	if r.strategy != "" {
		return r.strategy
	}
	return "gremlins"
}

// measured reports whether the tool ran and reported mutants.
func (r *toolRun) measured() bool {
	return r != nil && r.available && len(r.walls) > 0 && (len(r.mutants) > 0 || len(r.failed) == 0)
}

func (r *toolRun) wall() time.Duration {
	if len(r.walls) == 0 {
		return 0
	}
	ds := slices.Clone(r.walls)
	slices.Sort(ds)
	return ds[len(ds)/2]
}

func (r *toolRun) count() map[string]int {
	n := make(map[string]int)
	for _, m := range r.mutants {
		n[m.status]++
	}
	return n
}

func (r *toolRun) tested() int {
	t := 0
	for _, m := range r.mutants {
		if tested(m.status) {
			t++
		}
	}
	return t
}

func (r *toolRun) perMinute() float64 {
	if w := r.wall(); w > 0 {
		return float64(r.tested()) / w.Minutes()
	}
	return 0
}

func tested(status string) bool {
	switch status {
	case "NoCoverage", "Ignored", "Pending":
		return false
	}
	return true
}

// bench holds what every target shares.
type bench struct {
	ctx        context.Context
	tmp        string
	env        []string
	gorewrite  string // absolute; "" when it has no mutate command or no --strategy
	stats      bool   // gorewrite mutate has --stats
	strategies []string
	gremlins   string // the installed binary
	ops        []string
	repoRoot   string
	failed     bool
}

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	b := &bench{ctx: ctx}
	for _, op := range strings.Split(*operators, ",") {
		op = strings.ToUpper(strings.TrimSpace(op))
		if gremlinsFlag[op] == "" {
			log.Printf("mutatecmp: -operators: %q is not one of gremlins' %s", op, strings.Join(sharedOperators, ","))
			return 2
		}
		b.ops = append(b.ops, op)
	}
	for _, st := range strings.Split(*strategies, ",") {
		st = strings.ToLower(strings.TrimSpace(st))
		switch {
		case st == "" || slices.Contains(b.strategies, st):
			continue
		case !slices.Contains(knownStrategies, st):
			log.Printf("mutatecmp: -strategies: %q is not one of %s", st, strings.Join(knownStrategies, ", "))
			return 2
		}
		b.strategies = append(b.strategies, st)
	}
	// In knownStrategies' order: schemata first, compared with the others.
	slices.SortFunc(b.strategies, func(x, y string) int {
		return cmp.Compare(slices.Index(knownStrategies, x), slices.Index(knownStrategies, y))
	})
	var targets []target
	for _, spec := range strings.Split(*modules, ",") {
		if spec = strings.TrimSpace(spec); spec == "" {
			continue
		}
		t, err := parseTarget(spec)
		if err != nil {
			log.Printf("mutatecmp: -modules: %v", err)
			return 2
		}
		targets = append(targets, t)
	}

	var err error
	if b.tmp, err = os.MkdirTemp("", "mutatecmp-"); err != nil {
		log.Print(err)
		return 1
	}
	if *keep {
		fmt.Printf("mutatecmp: keeping %s\n", b.tmp)
	} else {
		defer benchkit.RemoveAll(b.tmp)
	}
	// Both tools and the go commands they start make their temporary
	// files here: gremlins leaves some behind when a test it timed out
	// still runs.
	os.Mkdir(filepath.Join(b.tmp, "tmp"), 0o777)
	b.env = append(os.Environ(), "TMPDIR="+filepath.Join(b.tmp, "tmp"))

	goVersion, _ := exec.Command("go", "version").Output()
	fmt.Printf("mutatecmp: %s, %d CPUs, %d workers, %d run(s) of each tool\n", strings.TrimSpace(string(goVersion)), runtime.NumCPU(), *workers, *runs)
	fmt.Printf("operators: %s\n", strings.Join(b.ops, ","))
	if len(b.strategies) > 0 {
		fmt.Printf("gorewrite strategies: %s\n", strings.Join(b.strategies, ", "))
	}
	if l := benchkit.LoadAverage(); l != "" {
		fmt.Printf("load average: %s (the timings assume a machine otherwise idle)\n", l)
	}

	if len(b.strategies) == 0 {
		fmt.Println("gorewrite: not measured (-strategies is empty): measuring gremlins only")
	} else if abs, err := filepath.Abs(*gorewrite); err != nil {
		log.Print(err)
		return 1
	} else if out, err := exec.Command(abs, "mutate", "--help").CombinedOutput(); err != nil || !bytes.Contains(out, []byte("--json")) {
		fmt.Printf("gorewrite: %s mutate --help does not show a --json flag: measuring gremlins only\n", abs)
		b.failed = true
	} else if !bytes.Contains(out, []byte("--strategy")) {
		fmt.Printf("gorewrite: %s mutate --help does not show a --strategy flag, which -strategies %s needs: measuring gremlins only (build a newer gorewrite, or pass -strategies \"\")\n",
			abs, strings.Join(b.strategies, ","))
		b.failed = true
	} else {
		b.gorewrite = abs
		b.stats = bytes.Contains(out, []byte("--stats"))
		if !b.stats {
			fmt.Printf("gorewrite: %s mutate --help does not show a --stats flag: no breakdown of the schemata runs\n", abs)
		}
	}

	start := time.Now()
	b.gremlins = filepath.Join(b.tmp, "bin", "gremlins")
	install := exec.CommandContext(ctx, "go", "install", *gremlins)
	install.Dir = b.tmp
	install.Env = append(slices.Clone(b.env), "GOBIN="+filepath.Join(b.tmp, "bin"), "GOFLAGS=")
	if out, err := install.CombinedOutput(); err != nil {
		log.Printf("go install %s: %v\n%s", *gremlins, err, out)
		return 1
	}
	fmt.Printf("gremlins: %s (go install: %.1fs)\n", *gremlins, time.Since(start).Seconds())

	if gomod, _ := exec.Command("go", "env", "GOMOD").Output(); len(bytes.TrimSpace(gomod)) > 0 {
		b.repoRoot = filepath.Dir(string(bytes.TrimSpace(gomod)))
	}

	var summary []summaryRow
	for i, t := range targets {
		if ctx.Err() != nil {
			break
		}
		row := b.target(i, t)
		summary = append(summary, row)
	}
	printSummary(b.strategies, summary)
	if ctx.Err() != nil {
		fmt.Println("mutatecmp: interrupted")
		return 130
	}
	if b.failed {
		return 1
	}
	return 0
}

type summaryRow struct {
	name          string
	tools         []*toolRun // gorewrite's strategies, then gremlins
	equiv         []equivalence
	matched, same int // with gremlins
	err           string
}

// tool returns the row's run of the tool of that short name, or nil.
func (r summaryRow) tool(short string) *toolRun {
	for _, tr := range r.tools {
		if tr.short() == short {
			return tr
		}
	}
	return nil
}

// target prepares one target's module, runs every tool on fresh copies of
// it and prints the comparison.
func (b *bench) target(i int, t target) summaryRow {
	row := summaryRow{name: t.name()}
	fmt.Printf("\n== %s ==\n", t.name())
	pristine := filepath.Join(b.tmp, fmt.Sprintf("t%d-pristine", i))
	if err := b.prepare(t, pristine); err != nil {
		fmt.Printf("  FAILED: %v\n", err)
		b.failed = true
		row.err = err.Error()
		return row
	}
	// The tests alone, which also warms the build cache with the
	// dependencies both tools build against.
	start := time.Now()
	if out, err := b.command(pristine, "go", "test", "-count=1", t.pattern).CombinedOutput(); err != nil {
		fmt.Printf("  FAILED: the tests do not pass without mutants: %v\n%s", err, benchkit.LastLines(string(out), 10))
		b.failed = true
		row.err = "tests fail"
		return row
	}
	fmt.Printf("  go test -count=1 %s alone: %.2fs", t.pattern, time.Since(start).Seconds())
	if l := benchkit.LoadAverage(); l != "" {
		fmt.Printf("; load average %s", l)
	}
	fmt.Println()

	var grws []*toolRun
	for _, st := range b.strategies {
		grws = append(grws, &toolRun{tool: "gorewrite " + st, strategy: st, available: b.gorewrite != ""})
	}
	grm := &toolRun{tool: "gremlins " + versionOf(*gremlins), available: true}
	tools := append(slices.Clone(grws), grm)
	for r := range *runs {
		order := slices.Clone(tools)
		if r%2 == 1 {
			slices.Reverse(order)
		}
		for _, tr := range order {
			if !tr.available || b.ctx.Err() != nil {
				continue
			}
			if tr.strategy != "" {
				b.runGorewrite(i, r, t, pristine, tr)
			} else {
				b.runGremlins(i, r, t, pristine, tr)
			}
		}
	}
	for _, tr := range tools {
		if len(tr.failed) > 0 {
			b.failed = true
		}
	}
	row.tools = tools
	printRuns(tools)
	// The first strategy (schemata) is the one compared with the others
	// and with gremlins.
	var first *toolRun
	if len(grws) > 0 {
		first = grws[0]
	}
	for _, other := range grws[min(1, len(grws)):] {
		retest := func(id string) map[string][]string {
			return b.retest(i, t, pristine, []string{first.strategy, other.strategy}, id)
		}
		eq := compareStrategies(first, other, retest)
		if eq.unexplained() > 0 {
			b.failed = true
		}
		row.equiv = append(row.equiv, eq)
	}
	if first != nil {
		row.matched, row.same = report(pristine, first, grm)
	}
	return row
}

// retests is how many times retest tests a mutant with each strategy.
const retests = 3

// retest tests one mutant (by id) alone, retests times with each of the
// strategies, each time in a fresh copy of the module, and returns its
// statuses by strategy. A run that fails or does not report the mutant
// adds nothing.
func (b *bench) retest(i int, t target, pristine string, strategies []string, id string) map[string][]string {
	got := make(map[string][]string)
	for r := range retests {
		for _, st := range strategies {
			if b.ctx.Err() != nil {
				return got
			}
			name := fmt.Sprintf("t%d-retest-%s-%s-%d", i, id, st, r)
			dir := filepath.Join(b.tmp, name)
			jsonOut := filepath.Join(b.tmp, name+".json")
			logFile := filepath.Join(b.tmp, name+".log")
			if err := benchkit.CopyTree(pristine, dir); err != nil {
				benchkit.RemoveAll(dir)
				continue
			}
			b.measure(dir, logFile, "", b.gorewrite, "mutate", "--strategy", st, "--operators", strings.Join(b.ops, ","),
				"--workers", fmt.Sprint(*workers), "--json", jsonOut, "--mutant", id, t.pattern)
			benchkit.RemoveAll(dir)
			ms, _, err := readGorewrite(jsonOut)
			if err != nil {
				continue
			}
			for _, m := range ms {
				if m.id == id {
					got[st] = append(got[st], m.status)
				}
			}
		}
	}
	return got
}

// prepare copies the target's module to dir, with its dependencies
// downloaded and go.mod tidy.
func (b *bench) prepare(t target, dir string) error {
	if t.self {
		if b.repoRoot == "" {
			return errors.New("not run inside this module (go env GOMOD is empty)")
		}
		files, err := repoFiles(b.repoRoot)
		if err != nil {
			return err
		}
		for _, f := range files {
			if err := benchkit.CopyFile(filepath.Join(b.repoRoot, f), filepath.Join(dir, f)); err != nil {
				return err
			}
		}
	} else {
		out, err := b.command(b.tmp, "go", "mod", "download", "-json", t.module).Output()
		var info struct{ Dir, Error string }
		json.Unmarshal(out, &info)
		if err != nil || info.Dir == "" {
			return fmt.Errorf("go mod download %s: %v %s", t.module, err, info.Error)
		}
		if err := benchkit.CopyTree(info.Dir, dir); err != nil {
			return err
		}
		for _, args := range [][]string{{"go", "mod", "download"}, {"go", "mod", "tidy"}} {
			if out, err := b.command(dir, args...).CombinedOutput(); err != nil {
				return fmt.Errorf("%s: %v\n%s", strings.Join(args, " "), err, benchkit.LastLines(string(out), 10))
			}
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(t.dir))); err != nil || !fi.IsDir() {
		return fmt.Errorf("no directory %q in the module", t.dir)
	}
	return nil
}

// repoFiles lists this repository's files as git has them (tracked, and
// untracked but not ignored), or every file but .git and bin without git.
func repoFiles(root string) ([]string, error) {
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = root
	if out, err := cmd.Output(); err == nil {
		var files []string
		for _, f := range strings.Split(string(out), "\x00") {
			if f == "" {
				continue
			}
			if fi, err := os.Lstat(filepath.Join(root, f)); err == nil && fi.Mode().IsRegular() {
				files = append(files, f)
			}
		}
		return files, nil
	}
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() && (d.Name() == ".git" || rel == "bin") {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			files = append(files, rel)
		}
		return nil
	})
	return files, err
}

// command is a command in dir with the benchmark's environment.
func (b *bench) command(dir string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(b.ctx, args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = b.env
	return cmd
}

// measure runs a tool in its own process group, output to logFile (and
// its standard error also to errFile, unless that is "") and returns its
// wall time and the largest resident set of any one process of its tree
// (the rusage of a waited-for child covers the descendants it waited
// for). The group is killed on timeout or interrupt, and after the tool
// ends, so nothing it left running outlives it.
func (b *bench) measure(dir, logFile, errFile string, args ...string) (wall time.Duration, maxRSS int64, err error) {
	ctx, cancel := context.WithTimeout(b.ctx, *timeout)
	defer cancel()
	out, err := os.Create(logFile)
	if err != nil {
		return 0, 0, err
	}
	defer out.Close()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = b.env
	cmd.Stdout, cmd.Stderr = out, out
	if errFile != "" {
		errOut, err := os.Create(errFile)
		if err != nil {
			return 0, 0, err
		}
		defer errOut.Close()
		cmd.Stderr = io.MultiWriter(out, errOut)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	err = cmd.Run()
	wall = time.Since(start)
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	if ctx.Err() == context.DeadlineExceeded {
		err = fmt.Errorf("killed after -timeout %v", *timeout)
	}
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			maxRSS = int64(ru.Maxrss) * 1024 // kilobytes on Linux
			if runtime.GOOS == "darwin" {
				maxRSS = int64(ru.Maxrss)
			}
		}
	}
	return wall, maxRSS, err
}

func (b *bench) runGorewrite(i, r int, t target, pristine string, tr *toolRun) {
	name := fmt.Sprintf("t%d-gorewrite-%s-%d", i, tr.strategy, r)
	dir := filepath.Join(b.tmp, name)
	defer benchkit.RemoveAll(dir)
	if err := benchkit.CopyTree(pristine, dir); err != nil {
		tr.failed = append(tr.failed, err.Error())
		return
	}
	before, err := hashTree(dir)
	if err != nil {
		tr.failed = append(tr.failed, err.Error())
		return
	}
	jsonOut := filepath.Join(b.tmp, name+".json")
	logFile := filepath.Join(b.tmp, name+".log")
	errFile := filepath.Join(b.tmp, name+".stderr")
	os.Remove(jsonOut) // a report of an earlier run must not pass for this one's
	args := []string{b.gorewrite, "mutate", "--strategy", tr.strategy, "--operators", strings.Join(b.ops, ","),
		"--workers", fmt.Sprint(*workers), "--json", jsonOut}
	withStats := b.stats && tr.strategy == "schemata"
	if withStats {
		args = append(args, "--stats")
	}
	args = append(args, t.pattern)
	wall, rss, err := b.measure(dir, logFile, errFile, args...)
	// Its own messages, not the survivors' diffs; the --stats lines apart.
	msgs, stats := splitStats(benchkit.ReadFile(errFile))
	if withStats {
		tr.stats = stats
		if len(stats) == 0 {
			tr.stats = []string{"(--stats printed no \"gorewrite: stats\" line)"}
		}
	}
	fmt.Printf("  run %d: gorewrite mutate --strategy %s: %.1fs\n", r+1, tr.strategy, wall.Seconds())
	for _, m := range benchkit.FirstN(msgs, 8) {
		fmt.Printf("         %s\n", benchkit.Clip(m, 200))
	}
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 3) {
		detail := benchkit.LastLines(benchkit.ReadFile(logFile), 8)
		if len(msgs) > 0 {
			detail = "    (its messages are above)\n"
		}
		tr.failed = append(tr.failed, fmt.Sprintf("run %d: %s: %v\n%s", r+1, strings.Join(args[1:], " "), err, detail))
	}
	after, herr := hashTree(dir)
	if herr != nil {
		tr.failed = append(tr.failed, herr.Error())
	}
	if changed := diffTrees(before, after); len(changed) > 0 {
		tr.modified = append(tr.modified, changed...)
		tr.failed = append(tr.failed, fmt.Sprintf("run %d: the module copy changed: %s", r+1, strings.Join(benchkit.FirstN(changed, 10), ", ")))
	}
	tr.walls = append(tr.walls, wall)
	tr.maxRSS = max(tr.maxRSS, rss)
	if ms, flaky, err := readGorewrite(jsonOut); err != nil {
		tr.failed = append(tr.failed, fmt.Sprintf("run %d: %v", r+1, err))
	} else {
		tr.mutants, tr.flakyTests = ms, flaky
	}
}

// splitStats splits a gorewrite run's standard error into its messages
// (the lines starting "gorewrite: ", without that) and the --stats
// breakdown: each line starting "gorewrite: stats" and the indented lines
// following it, as they are.
func splitStats(stderr string) (msgs, stats []string) {
	in := false
	for _, l := range strings.Split(stderr, "\n") {
		switch {
		case strings.HasPrefix(l, "gorewrite: stats"):
			in = true
			stats = append(stats, l)
		case in && (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")):
			stats = append(stats, l)
		default:
			in = false
			if m, ok := strings.CutPrefix(l, "gorewrite: "); ok {
				msgs = append(msgs, m)
			}
		}
	}
	return msgs, stats
}

func (b *bench) runGremlins(i, r int, t target, pristine string, tr *toolRun) {
	dir := filepath.Join(b.tmp, fmt.Sprintf("t%d-gremlins-%d", i, r))
	defer benchkit.RemoveAll(dir)
	if err := benchkit.CopyTree(pristine, dir); err != nil {
		tr.failed = append(tr.failed, err.Error())
		return
	}
	jsonOut := filepath.Join(b.tmp, fmt.Sprintf("t%d-gremlins-%d.json", i, r))
	logFile := filepath.Join(b.tmp, fmt.Sprintf("t%d-gremlins-%d.log", i, r))
	os.Remove(jsonOut)
	args := []string{b.gremlins, "unleash", "--workers", fmt.Sprint(*workers), "-o", jsonOut}
	for _, op := range sharedOperators {
		args = append(args, fmt.Sprintf("%s=%t", gremlinsFlag[op], slices.Contains(b.ops, op)))
	}
	// gremlins finds the module root above the path and mutates the path
	// and below; its report names files relative to the path.
	args = append(args, filepath.Join(dir, filepath.FromSlash(t.dir)))
	wall, rss, err := b.measure(dir, logFile, "", args...)
	fmt.Printf("  run %d: gremlins unleash: %.1fs\n", r+1, wall.Seconds())
	for _, l := range strings.Split(benchkit.ReadFile(logFile), "\n") {
		if strings.HasPrefix(l, "Gathering coverage... done") || strings.HasPrefix(l, "Mutation testing completed") {
			fmt.Printf("         %s\n", strings.TrimSpace(l))
		}
	}
	if err != nil {
		tr.failed = append(tr.failed, fmt.Sprintf("run %d: gremlins unleash: %v\n%s", r+1, err, benchkit.LastLines(benchkit.ReadFile(logFile), 8)))
	}
	tr.walls = append(tr.walls, wall)
	tr.maxRSS = max(tr.maxRSS, rss)
	if ms, err := readGremlins(jsonOut, t.dir); err != nil {
		tr.failed = append(tr.failed, fmt.Sprintf("run %d: %v", r+1, err))
	} else {
		tr.mutants = ms
	}
}

// readGremlins reads gremlins' -o report:
//
//	{"go_module": "...", "files": [{"file_name": "x.go", "mutations":
//	  [{"type": "ARITHMETIC_BASE", "status": "KILLED", "line": 3, "column": 9}]}],
//	 "test_efficacy": ..., "mutations_coverage": ..., "mutants_total": ...,
//	 "mutants_killed": ..., "mutants_lived": ..., "mutants_not_viable": ...,
//	 "mutants_not_covered": ..., "elapsed_time": seconds, "mutator_statistics": {...}}
//
// File names are relative to the directory gremlins was given; columns are
// go/token's, in bytes, at the token mutated.
func readGremlins(file, dir string) ([]*mutant, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("gremlins wrote no report: %v", err)
	}
	var rep struct {
		Files []struct {
			FileName  string `json:"file_name"`
			Mutations []struct {
				Type   string `json:"type"`
				Status string `json:"status"`
				Line   int    `json:"line"`
				Column int    `json:"column"`
			} `json:"mutations"`
		} `json:"files"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("gremlins report: %v", err)
	}
	var ms []*mutant
	for _, f := range rep.Files {
		name := path.Join(dir, filepath.ToSlash(f.FileName))
		for _, m := range f.Mutations {
			st, ok := gremlinsStatus[m.Status]
			if !ok {
				st = m.Status
			}
			ms = append(ms, &mutant{file: name, line: m.Line, col: m.Column, op: m.Type, status: st, raw: m.Status})
		}
	}
	return ms, nil
}

// readGorewrite reads gorewrite's --json report, Stryker's
// mutation-testing-report-schema: files keyed by path relative to the
// module root, each with its source and mutants; columns are 1-based UTF-16
// code units (the viewer's), so the byte column comes from gorewrite's own
// extension (the byte offset) when it is there, else from the source.
func readGorewrite(file string) ([]*mutant, map[string]bool, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, fmt.Errorf("gorewrite wrote no report: %v", err)
	}
	var rep struct {
		ProjectRoot string `json:"projectRoot"`
		TestFiles   map[string]struct {
			Tests []struct {
				ID        string `json:"id"`
				Gorewrite *struct {
					Failed bool `json:"failed"`
				} `json:"gorewrite"`
			} `json:"tests"`
		} `json:"testFiles"`
		Files map[string]struct {
			Source  string `json:"source"`
			Mutants []struct {
				ID           string   `json:"id"`
				MutatorName  string   `json:"mutatorName"`
				Replacement  string   `json:"replacement"`
				Status       string   `json:"status"`
				StatusReason string   `json:"statusReason"`
				CoveredBy    []string `json:"coveredBy"`
				KilledBy     []string `json:"killedBy"`
				Duration     float64  `json:"duration"`
				Location     struct {
					Start struct {
						Line   int `json:"line"`
						Column int `json:"column"`
					} `json:"start"`
				} `json:"location"`
				Gorewrite *struct {
					Offset   int    `json:"offset"`
					Original string `json:"original"`
				} `json:"gorewrite"`
			} `json:"mutants"`
		} `json:"files"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, nil, fmt.Errorf("gorewrite report: %v", err)
	}
	flaky := make(map[string]bool)
	for _, tf := range rep.TestFiles {
		for _, t := range tf.Tests {
			if t.Gorewrite != nil && t.Gorewrite.Failed {
				flaky[t.ID] = true
			}
		}
	}
	var ms []*mutant
	for name, f := range rep.Files {
		if filepath.IsAbs(name) && rep.ProjectRoot != "" {
			if rel, err := filepath.Rel(rep.ProjectRoot, name); err == nil {
				name = rel
			}
		}
		name = filepath.ToSlash(name)
		for _, m := range f.Mutants {
			mu := &mutant{id: m.ID, file: name, line: m.Location.Start.Line, op: m.MutatorName, repl: m.Replacement,
				status: m.Status, raw: m.Status, reason: m.StatusReason,
				coveredBy: m.CoveredBy, killedBy: m.KilledBy, duration: time.Duration(m.Duration * float64(time.Millisecond))}
			mu.col = byteColumn(f.Source, m.Location.Start.Line, m.Location.Start.Column)
			if g := m.Gorewrite; g != nil && g.Offset >= 0 && g.Offset <= len(f.Source) {
				mu.orig = g.Original
				off := g.Offset + mutatedToken(g.Original, m.Replacement)
				off = min(off, len(f.Source))
				mu.line = 1 + strings.Count(f.Source[:off], "\n")
				mu.col = off - (strings.LastIndexByte(f.Source[:off], '\n') + 1) + 1
			}
			ms = append(ms, mu)
		}
	}
	return ms, flaky, nil
}

// mutatedToken returns the offset in orig of the token a mutant changes.
// The replaced text can be more than the token: INVERT_LOGICAL on the
// inner && of a && b && c replaces a && b with (a || b), as the operators'
// precedence asks. The token is the first that differs, parentheses left
// out.
func mutatedToken(orig, repl string) int {
	a, b := tokens(orig), tokens(repl)
	for i, t := range a {
		if i >= len(b) || b[i].tok != t.tok || b[i].lit != t.lit {
			return t.off
		}
	}
	return 0
}

type tok struct {
	off int
	tok token.Token
	lit string
}

func tokens(src string) []tok {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var sc scanner.Scanner
	sc.Init(file, []byte(src), nil, 0)
	var out []tok
	for {
		pos, t, lit := sc.Scan()
		if t == token.EOF {
			return out
		}
		if t == token.LPAREN || t == token.RPAREN || (t == token.SEMICOLON && lit == "\n") {
			continue
		}
		out = append(out, tok{file.Offset(pos), t, lit})
	}
}

// byteColumn converts a 1-based UTF-16 column of a line of src to a
// 1-based byte column.
func byteColumn(src string, line, col16 int) int {
	lines := strings.SplitN(src, "\n", line+1)
	if line < 1 || line > len(lines) {
		return col16
	}
	text := lines[line-1]
	units := 0
	for i, r := range text {
		if units >= col16-1 {
			return i + 1
		}
		if r >= 0x10000 {
			units += 2
		} else {
			units++
		}
	}
	return len(text) + 1 + (col16 - 1 - units)
}

// A site is an operator token of the source, where both tools mutate.
type site struct {
	tok  token.Token
	kind string // "binary -", "unary &", "x += y", "x++", "break", with context
	text string // the line, trimmed
}

// sites finds the tokens gremlins looks at (those of binary and unary
// expressions, assignments, ++/-- and branch statements) in a file, keyed
// by line and byte column.
func sites(file string) map[[2]int]site {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.SkipObjectResolution)
	if f == nil {
		return nil
	}
	lines := strings.Split(string(src), "\n")
	out := make(map[[2]int]site)
	var stack []ast.Node
	add := func(pos token.Pos, tok token.Token, kind string) {
		p := fset.Position(pos)
		var constraint, constant bool
		for _, n := range stack {
			switch n := n.(type) {
			case *ast.InterfaceType:
				constraint = true
			case *ast.GenDecl:
				constant = constant || n.Tok == token.CONST
			}
		}
		if constraint {
			kind += " in a type constraint"
		}
		if constant {
			kind += " in a constant declaration"
		}
		text := ""
		if p.Line <= len(lines) {
			text = strings.TrimSpace(lines[p.Line-1])
		}
		out[[2]int{p.Line, p.Column}] = site{tok, kind, text}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		switch n := n.(type) {
		case *ast.BinaryExpr:
			add(n.OpPos, n.Op, "binary "+n.Op.String())
		case *ast.UnaryExpr:
			add(n.OpPos, n.Op, "unary "+n.Op.String())
		case *ast.AssignStmt:
			add(n.TokPos, n.Tok, "x "+n.Tok.String()+" y")
		case *ast.IncDecStmt:
			add(n.TokPos, n.Tok, "x"+n.Tok.String())
		case *ast.BranchStmt:
			add(n.TokPos, n.Tok, n.Tok.String())
		case *ast.FieldList:
			// Type parameter lists: their constraints are unions, not
			// bitwise or.
			if isTypeParams(stack, n) {
				stack = append(stack, &ast.InterfaceType{})
				return true
			}
		}
		stack = append(stack, n)
		return true
	})
	return out
}

func isTypeParams(stack []ast.Node, fl *ast.FieldList) bool {
	if len(stack) == 0 {
		return false
	}
	switch p := stack[len(stack)-1].(type) {
	case *ast.TypeSpec:
		return p.TypeParams == fl
	case *ast.FuncType:
		return p.TypeParams == fl
	}
	return false
}

// printRuns prints what went wrong, whether each gorewrite run left its
// copy untouched, the table of every tool's figures (a schemata run's
// --stats lines under its row) and the ratios of the throughputs.
func printRuns(tools []*toolRun) {
	for _, tr := range tools {
		for _, f := range tr.failed {
			fmt.Printf("  %s FAILED: %s\n", tr.tool, strings.TrimRight(f, "\n"))
		}
	}
	for _, tr := range tools {
		if tr.strategy == "" || !tr.available || len(tr.walls) == 0 {
			continue
		}
		if len(tr.modified) == 0 {
			fmt.Printf("  %s left its copy of the module byte-identical: yes\n", tr.tool)
		} else {
			fmt.Printf("  %s left its copy of the module byte-identical: NO (%d files changed)\n", tr.tool, len(tr.modified))
		}
	}

	// The table goes through a buffer, so that the --stats lines can go
	// under their row without breaking tabwriter's columns.
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "tool\tmutants\t")
	for _, s := range statuses {
		fmt.Fprintf(tw, "%s\t", s)
	}
	fmt.Fprint(tw, "tested\twall\ttested/min\tmax RSS\t\n")
	// A row as wide as the others, or tabwriter ends the columns there.
	short := func(tool, what string) {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", tool, what, strings.Repeat("-\t", len(statuses)+4))
	}
	for _, tr := range tools {
		if !tr.available || len(tr.walls) == 0 {
			short(tr.tool, "(not run)")
			continue
		}
		if len(tr.mutants) == 0 && len(tr.failed) > 0 {
			short(tr.tool, "(failed)")
			continue
		}
		n := tr.count()
		fmt.Fprintf(tw, "%s\t%d\t", tr.tool, len(tr.mutants))
		for _, s := range statuses {
			fmt.Fprintf(tw, "%d\t", n[s])
		}
		fmt.Fprintf(tw, "%d\t%.1fs\t%.0f\t%s\t\n", tr.tested(), tr.wall().Seconds(), tr.perMinute(), megabytes(tr.maxRSS))
	}
	tw.Flush()
	fmt.Println()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	for i, l := range lines {
		fmt.Println(l)
		if i == 0 || i > len(tools) {
			continue
		}
		for _, s := range tools[i-1].stats {
			fmt.Printf("      %s\n", strings.ReplaceAll(s, "\t", "    "))
		}
	}

	var walls []string
	several := false
	for _, tr := range tools {
		if len(tr.walls) > 0 {
			walls = append(walls, tr.short()+" "+seconds(tr.walls))
			several = several || len(tr.walls) > 1
		}
	}
	if several {
		fmt.Printf("  wall times: %s (median shown)\n", strings.Join(walls, "; "))
	}
	for _, p := range ratioPairs(tools) {
		a, b := p[0], p[1]
		if a.perMinute() > 0 && b.perMinute() > 0 {
			fmt.Printf("  throughput %s/%s: %.2fx (tested mutants per minute); wall time %s/%s: %.2f\n",
				a.short(), b.short(), a.perMinute()/b.perMinute(), a.short(), b.short(), a.wall().Seconds()/b.wall().Seconds())
		} else {
			fmt.Printf("  throughput %s/%s: - (not both measured)\n", a.short(), b.short())
		}
	}
}

// ratioPairs are the tools whose throughputs are compared: the first
// strategy with gremlins, the first strategy with each other one, each
// other one with gremlins (schemata/gremlins, schemata/overlay,
// overlay/gremlins).
func ratioPairs(tools []*toolRun) [][2]*toolRun {
	var grws []*toolRun
	var grm *toolRun
	for _, tr := range tools {
		if tr.strategy != "" {
			grws = append(grws, tr)
		} else {
			grm = tr
		}
	}
	if len(grws) == 0 {
		return nil
	}
	var pairs [][2]*toolRun
	if grm != nil {
		pairs = append(pairs, [2]*toolRun{grws[0], grm})
	}
	for _, o := range grws[1:] {
		pairs = append(pairs, [2]*toolRun{grws[0], o})
	}
	if grm != nil {
		for _, o := range grws[1:] {
			pairs = append(pairs, [2]*toolRun{o, grm})
		}
	}
	return pairs
}

// An equivalence is the comparison of two strategies' statuses, mutant by
// mutant.
type equivalence struct {
	a, b     *toolRun
	compared bool
	matched  int
	same     int
	differ   [][2]*mutant
	why      []string // for each of differ: what explains it, or ""
	onlyA    []*mutant
	onlyB    []*mutant
	dupIDs   []string
}

// unexplained counts the differences no flaky test or timing explains:
// each is a bug of one strategy.
func (eq equivalence) unexplained() int {
	n := len(eq.onlyA) + len(eq.onlyB) + len(eq.dupIDs)
	for _, w := range eq.why {
		if w == "" {
			n++
		}
	}
	return n
}

// nondeterministic explains a difference by the statuses runs of the
// mutant alone gave (by strategy): when a strategy gave more than one, and
// the two strategies gave one in common, chance decides the mutant's fate.
func nondeterministic(a, b *toolRun, ma, mb *mutant, again map[string][]string) string {
	all := map[string][]string{
		a.strategy: append([]string{ma.status}, again[a.strategy]...),
		b.strategy: append([]string{mb.status}, again[b.strategy]...),
	}
	varies := false
	for _, sts := range all {
		if len(slices.Compact(slices.Sorted(slices.Values(sts)))) > 1 {
			varies = true
		}
	}
	common := slices.ContainsFunc(all[a.strategy], func(st string) bool { return slices.Contains(all[b.strategy], st) })
	if !varies || !common || len(again[a.strategy]) == 0 || len(again[b.strategy]) == 0 {
		return ""
	}
	return fmt.Sprintf("nondeterministic: tested alone again, %s gave %s; %s gave %s", a.short(), strings.Join(again[a.strategy], ","),
		b.short(), strings.Join(again[b.strategy], ","))
}

// explain says what explains two strategies' statuses of a mutant
// differing, or "" when nothing does: a covering test one of the runs
// found failing without mutants (the runs did not judge the mutant with
// the same tests), or a timeout against a run of the schemata strategy
// (where the duration is the tests' alone) that took more than half the
// limit: a mutant that slows its tests down to about the limit, whose fate
// is the machine's noise.
func explain(a, b *toolRun, ma, mb *mutant) string {
	for _, tr := range []*toolRun{a, b} {
		for _, m := range []*mutant{ma, mb} {
			for _, id := range slices.Concat(m.coveredBy, m.killedBy) {
				if tr.flakyTests[id] {
					return "flaky: " + id[strings.LastIndexByte(id, '.')+1:]
				}
			}
		}
	}
	for _, m := range []*mutant{ma, mb} {
		if strings.Contains(m.reason, "tests that fail without mutants") {
			return "flaky: its covering tests failed without mutants in one run"
		}
	}
	limit := func(m *mutant) time.Duration {
		_, after, ok := strings.Cut(m.reason, "longer than ")
		if m.status != "Timeout" || !ok {
			return 0
		}
		d, _ := time.ParseDuration(strings.Fields(after)[0])
		return d
	}
	for _, p := range [][2]*mutant{{ma, mb}, {mb, ma}} {
		timedOut, other := p[0], p[1]
		otherRun := a
		if other == mb {
			otherRun = b
		}
		if l := limit(timedOut); l > 0 && other.status != "Timeout" && otherRun.strategy == "schemata" && other.duration > l/2 {
			return fmt.Sprintf("at the timeout's edge: %v against a limit of %v", other.duration.Round(time.Millisecond), l)
		}
	}
	return ""
}

// compareStrategies matches two gorewrite runs' mutants by their report's
// id (they make the same mutants) and prints how many have the same
// status, and every one that does not or that only one run reports.
//
// A difference nothing else explains is tested again (retest: each
// strategy's statuses of that mutant in runs of it alone, nil when it
// cannot be): a mutant that gets different statuses from the same strategy,
// where the strategies can agree, is one whose fate is chance (a data race
// it makes, the order of a map it ranges over), not a strategy's bug.
func compareStrategies(a, b *toolRun, retest func(id string) map[string][]string) equivalence {
	eq := equivalence{a: a, b: b}
	fmt.Printf("\n  %s vs %s, mutant by mutant (the same mutants; their statuses must agree):", a.short(), b.short())
	if !a.measured() || !b.measured() || len(a.mutants) == 0 || len(b.mutants) == 0 {
		fmt.Println(" not compared (a run failed or was not made)")
		return eq
	}
	eq.compared = true
	key := func(m *mutant) string {
		if m.id != "" {
			return m.id
		}
		// No id: the position and the change.
		return fmt.Sprintf("%s:%d:%d %s %q->%q", m.file, m.line, m.col, m.op, m.orig, m.repl)
	}
	index := func(ms []*mutant) map[string]*mutant {
		idx := make(map[string]*mutant, len(ms))
		for _, m := range ms {
			k := key(m)
			if _, dup := idx[k]; dup {
				eq.dupIDs = append(eq.dupIDs, k)
			}
			idx[k] = m
		}
		return idx
	}
	ia, ib := index(a.mutants), index(b.mutants)
	for _, m := range a.mutants {
		o, ok := ib[key(m)]
		if !ok {
			eq.onlyA = append(eq.onlyA, m)
			continue
		}
		eq.matched++
		if m.status == o.status {
			eq.same++
		} else {
			eq.differ = append(eq.differ, [2]*mutant{m, o})
		}
	}
	for _, m := range b.mutants {
		if _, ok := ia[key(m)]; !ok {
			eq.onlyB = append(eq.onlyB, m)
		}
	}
	fmt.Printf(" %d in both, %d the same status (%.1f%%), %d different", eq.matched, eq.same,
		100*float64(eq.same)/float64(max(eq.matched, 1)), len(eq.differ))
	if len(eq.onlyA)+len(eq.onlyB) > 0 {
		fmt.Printf("; %d only %s reports, %d only %s", len(eq.onlyA), a.short(), len(eq.onlyB), b.short())
	}
	fmt.Println()
	if len(eq.dupIDs) > 0 {
		slices.Sort(eq.dupIDs)
		fmt.Printf("    ids reported more than once: %s\n", strings.Join(slices.Compact(eq.dupIDs), ", "))
	}
	describe := func(m *mutant) string {
		return fmt.Sprintf("%s:%d:%d\t%s %s -> %s", m.file, m.line, m.col, m.op, benchkit.Clip(benchkit.OneLine(m.orig), 40), benchkit.Clip(benchkit.OneLine(m.repl), 40))
	}
	status := func(tr *toolRun, m *mutant) string {
		s := tr.short() + " " + m.status
		if m.reason != "" {
			s += " (" + benchkit.Clip(benchkit.OneLine(m.reason), 100) + ")"
		}
		return s
	}
	if len(eq.differ) > 0 {
		slices.SortFunc(eq.differ, func(x, y [2]*mutant) int { return byPosition(x[0], y[0]) })
		fmt.Printf("    different statuses (a bug of one strategy unless explained):\n")
		tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
		for _, p := range eq.differ {
			why := explain(a, b, p[0], p[1])
			if why == "" && retest != nil && p[0].id != "" {
				why = nondeterministic(a, b, p[0], p[1], retest(p[0].id))
			}
			eq.why = append(eq.why, why)
			if why == "" {
				why = "UNEXPLAINED"
			}
			fmt.Fprintf(tw, "    %s\t%s\tvs %s\tid %s\t%s\n", describe(p[0]), status(a, p[0]), status(b, p[1]), p[0].id, why)
		}
		tw.Flush()
	}
	for _, only := range []struct {
		tr *toolRun
		ms []*mutant
	}{{a, eq.onlyA}, {b, eq.onlyB}} {
		if len(only.ms) == 0 {
			continue
		}
		slices.SortFunc(only.ms, byPosition)
		fmt.Printf("    only %s reports:\n", only.tr.short())
		tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
		for _, m := range only.ms {
			fmt.Fprintf(tw, "    %s\t%s\tid %s\n", describe(m), status(only.tr, m), m.id)
		}
		tw.Flush()
	}
	return eq
}

// report prints the comparison of a gorewrite run with gremlins' and
// returns how many mutants both tools generate and on how many their
// statuses agree.
func report(root string, grw, grm *toolRun) (matched, same int) {
	// Source facts for both tools' positions.
	siteCache := make(map[string]map[[2]int]site)
	siteAt := func(m *mutant) (site, bool) {
		s, ok := siteCache[m.file]
		if !ok {
			s = sites(filepath.Join(root, filepath.FromSlash(m.file)))
			siteCache[m.file] = s
		}
		st, ok := s[[2]int{m.line, m.col}]
		return st, ok
	}
	for _, m := range grm.mutants {
		if s, ok := siteAt(m); ok {
			m.orig = s.tok.String()
			if to, ok := gremlinsMutation[m.op][s.tok]; ok {
				m.repl = to.String()
			}
		}
	}

	if len(grw.mutants) == 0 || len(grm.mutants) == 0 {
		return 0, 0
	}
	fmt.Printf("\n  against %s (gorewrite below is %s)\n", grm.tool, grw.tool)

	// Match: file, line, byte column of the operator token and operator;
	// among several gorewrite mutants there, the one with gremlins'
	// replacement.
	type key struct {
		file      string
		line, col int
		op        string
	}
	index := make(map[key][]*mutant)
	for _, m := range grw.mutants {
		k := key{m.file, m.line, m.col, m.op}
		index[k] = append(index[k], m)
	}
	type pair struct{ grm, grw *mutant }
	var pairs []pair
	used := make(map[*mutant]bool)
	var onlyGrm []*mutant
	for _, m := range grm.mutants {
		cands := index[key{m.file, m.line, m.col, m.op}]
		var best *mutant
		for _, c := range cands {
			if used[c] {
				continue
			}
			if best == nil || (c.repl == m.repl && best.repl != m.repl) {
				best = c
			}
		}
		if best == nil {
			onlyGrm = append(onlyGrm, m)
			continue
		}
		used[best] = true
		pairs = append(pairs, pair{m, best})
	}
	var onlyGrw []*mutant
	for _, m := range grw.mutants {
		if !used[m] {
			onlyGrw = append(onlyGrw, m)
		}
	}

	// By operator.
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "operator\tgorewrite\tgremlins\tboth\tsame status\t\n")
	opCount := func(ms []*mutant, op string) int {
		n := 0
		for _, m := range ms {
			if m.op == op {
				n++
			}
		}
		return n
	}
	var ops []string
	for _, m := range slices.Concat(grw.mutants, grm.mutants) {
		if !slices.Contains(ops, m.op) {
			ops = append(ops, m.op)
		}
	}
	slices.Sort(ops)
	for _, op := range ops {
		both, sm := 0, 0
		for _, p := range pairs {
			if p.grm.op == op {
				both++
				if p.grm.status == p.grw.status {
					sm++
				}
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t\n", op, opCount(grw.mutants, op), opCount(grm.mutants, op), both, sm)
	}
	tw.Flush()

	// Agreement matrix.
	for _, p := range pairs {
		if p.grm.status == p.grw.status {
			same++
		}
	}
	matched = len(pairs)
	fmt.Printf("\n  statuses on the %d mutants both generate: %d the same (%.1f%%)\n", matched, same, 100*float64(same)/float64(max(matched, 1)))
	var rows, cols []string
	cell := make(map[[2]string]int)
	for _, p := range pairs {
		if !slices.Contains(rows, p.grm.status) {
			rows = append(rows, p.grm.status)
		}
		if !slices.Contains(cols, p.grw.status) {
			cols = append(cols, p.grw.status)
		}
		cell[[2]string{p.grm.status, p.grw.status}]++
	}
	order := func(a, b string) int { return cmp.Compare(statusRank(a), statusRank(b)) }
	slices.SortFunc(rows, order)
	slices.SortFunc(cols, order)
	tw = tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "gremlins \\ gorewrite\t")
	for _, c := range cols {
		fmt.Fprintf(tw, "%s\t", c)
	}
	fmt.Fprintln(tw)
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t", gremlinsName(r))
		for _, c := range cols {
			fmt.Fprintf(tw, "%d\t", cell[[2]string{r, c}])
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()

	// What only one tool generates, grouped by the kind of site.
	group := func(title string, ms []*mutant, statusName func(string) string) {
		fmt.Printf("\n  only %s generates: %d\n", title, len(ms))
		type gk struct{ op, kind string }
		counts := make(map[gk]map[string]int)
		example := make(map[gk]string)
		var keys []gk
		slices.SortFunc(ms, byPosition)
		for _, m := range ms {
			kind := "no operator token there"
			if s, ok := siteAt(m); ok {
				kind = "on " + s.kind
			}
			k := gk{m.op, kind}
			if counts[k] == nil {
				counts[k] = make(map[string]int)
				keys = append(keys, k)
				text := ""
				if s, ok := siteAt(m); ok {
					text = s.text
				}
				example[k] = fmt.Sprintf("%s:%d:%d %s", m.file, m.line, m.col, benchkit.Clip(text, 60))
			}
			counts[k][m.status]++
		}
		slices.SortFunc(keys, func(a, b gk) int { return cmp.Or(cmp.Compare(a.op, b.op), cmp.Compare(a.kind, b.kind)) })
		tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
		for _, k := range keys {
			var parts []string
			total := 0
			for _, s := range statuses {
				if n := counts[k][s]; n > 0 {
					parts = append(parts, fmt.Sprintf("%s %d", statusName(s), n))
					total += n
				}
			}
			fmt.Fprintf(tw, "    %s\t%s\t%d\t%s\te.g. %s\n", k.op, k.kind, total, strings.Join(parts, ", "), example[k])
		}
		tw.Flush()
	}
	// Files only one tool looks at (gremlins walks every .go file,
	// build constraints or not).
	filesOf := func(ms []*mutant) map[string]bool {
		f := make(map[string]bool)
		for _, m := range ms {
			f[m.file] = true
		}
		return f
	}
	grwFiles, grmFiles := filesOf(grw.mutants), filesOf(grm.mutants)
	var onlyGrmFiles []string
	for f := range grmFiles {
		if !grwFiles[f] {
			onlyGrmFiles = append(onlyGrmFiles, f)
		}
	}
	slices.Sort(onlyGrmFiles)
	group("gremlins", onlyGrm, gremlinsName)
	if len(onlyGrmFiles) > 0 {
		fmt.Printf("    (of which in files gorewrite has no mutant in, such as files other build constraints select: %s)\n", strings.Join(onlyGrmFiles, ", "))
	}
	group("gorewrite", onlyGrw, func(s string) string { return s })

	// Disagreements, the ones the brief of this benchmark cares most
	// about first: gremlins KILLED where gorewrite says the mutant
	// survived or did not build.
	var dis []pair
	for _, p := range pairs {
		if p.grm.status != p.grw.status {
			dis = append(dis, p)
		}
	}
	rank := func(p pair) int {
		switch {
		case p.grm.status == "Killed" && (p.grw.status == "Survived" || p.grw.status == "CompileError"):
			return 0
		case p.grm.status == "Killed":
			return 1
		case p.grw.status == "Killed":
			return 2
		}
		return 3
	}
	slices.SortStableFunc(dis, func(a, b pair) int { return cmp.Or(cmp.Compare(rank(a), rank(b)), byPosition(a.grm, b.grm)) })
	fmt.Printf("\n  disagreements: %d", len(dis))
	if len(dis) > *show {
		fmt.Printf(" (first %d; -show for more)", *show)
	}
	fmt.Println()
	tw = tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	for _, p := range benchkit.FirstN(dis, *show) {
		text := ""
		if s, ok := siteAt(p.grm); ok {
			text = s.text
		}
		pos := fmt.Sprintf("%s:%d:%d", p.grm.file, p.grm.line, p.grm.col)
		reason := ""
		if p.grw.reason != "" {
			reason = " (" + benchkit.Clip(benchkit.OneLine(p.grw.reason), 60) + ")"
		}
		fmt.Fprintf(tw, "    %s\t%s %s -> %s\tgremlins %s\tgorewrite %s%s\t%s\n", pos, p.grm.op, p.grm.orig, p.grm.repl,
			p.grm.raw, p.grw.status, reason, benchkit.Clip(text, 70))
	}
	tw.Flush()
	return matched, same
}

// printSummary prints a Markdown table: per target and over all of them,
// each tool's mutants, wall time, tested mutants per minute and largest
// resident set, the ratios of the first strategy's throughput to
// gremlins' and to the other strategies', and the agreements.
func printSummary(strategies []string, rows []summaryRow) {
	fmt.Println("\n== Summary ==")
	fmt.Println()
	fmt.Println("tested/min: mutants tested (any status but NoCoverage and Ignored) per minute of wall time; RSS: the")
	fmt.Println("largest resident set of one process. all: the sums, tested/min over the summed wall time, the largest")
	fmt.Println("RSS; its ratios over the targets both tools measured.")
	fmt.Println()
	tools := append(slices.Clone(strategies), "gremlins")
	// The ratios: the first strategy to gremlins, then to each other
	// strategy.
	var ratios [][2]string
	if len(strategies) > 0 {
		ratios = append(ratios, [2]string{strategies[0], "gremlins"})
		for _, o := range strategies[1:] {
			ratios = append(ratios, [2]string{strategies[0], o})
		}
	}
	var head []string
	head = append(head, "target")
	for _, col := range []string{"mutants", "wall", "tested/min", "RSS"} {
		for _, t := range tools {
			head = append(head, col+" "+t)
		}
	}
	for _, r := range ratios {
		head = append(head, r[0]+"/"+r[1])
	}
	for _, o := range strategies[min(1, len(strategies)):] {
		head = append(head, "same status "+strategies[0]+"="+o)
	}
	if len(strategies) > 0 {
		head = append(head, "same status as gremlins")
	}
	var table [][]string
	table = append(table, head)

	// The totals of the "all" row, per tool, and per ratio over the
	// targets where both tools were measured.
	type total struct {
		n, tested int
		wall      time.Duration
		rss       int64
		measured  bool
		failed    bool
	}
	totals := make(map[string]*total)
	for _, t := range tools {
		totals[t] = &total{}
	}
	ratioTotals := make([][2]total, len(ratios))
	equivTotals := make([][3]int, len(strategies)) // same, matched, unmatched
	var grmSame, grmMatched int

	for _, row := range rows {
		if row.err != "" {
			table = append(table, []string{mdEscape(row.name), "FAILED: " + mdEscape(benchkit.Clip(benchkit.OneLine(row.err), 60))})
			continue
		}
		cells := []string{mdEscape(row.name)}
		get := func(t string) *toolRun {
			if tr := row.tool(t); tr.measured() {
				return tr
			}
			return nil
		}
		mark := func(t string) string {
			if tr := row.tool(t); tr != nil && len(tr.failed) > 0 {
				return " (FAILED)"
			}
			return ""
		}
		for _, t := range tools {
			if tr := get(t); tr != nil {
				cells = append(cells, fmt.Sprint(len(tr.mutants)))
				tot := totals[t]
				tot.n += len(tr.mutants)
				tot.tested += tr.tested()
				tot.wall += tr.wall()
				tot.rss = max(tot.rss, tr.maxRSS)
				tot.measured = true
			} else {
				cells = append(cells, "-")
			}
			if mark(t) != "" {
				totals[t].failed = true
			}
		}
		for _, t := range tools {
			if tr := get(t); tr != nil {
				cells = append(cells, fmt.Sprintf("%.1fs", tr.wall().Seconds()))
			} else {
				cells = append(cells, "-")
			}
		}
		for _, t := range tools {
			if tr := get(t); tr != nil {
				cells = append(cells, fmt.Sprintf("%.0f%s", tr.perMinute(), mark(t)))
			} else {
				cells = append(cells, "-"+mark(t))
			}
		}
		for _, t := range tools {
			if tr := get(t); tr != nil {
				cells = append(cells, megabytes(tr.maxRSS))
			} else {
				cells = append(cells, "-")
			}
		}
		for i, r := range ratios {
			a, b := get(r[0]), get(r[1])
			if a == nil || b == nil || a.perMinute() <= 0 || b.perMinute() <= 0 {
				cells = append(cells, "-")
				continue
			}
			cells = append(cells, fmt.Sprintf("%.2fx", a.perMinute()/b.perMinute()))
			for j, tr := range []*toolRun{a, b} {
				ratioTotals[i][j].tested += tr.tested()
				ratioTotals[i][j].wall += tr.wall()
			}
		}
		for i, o := range strategies[min(1, len(strategies)):] {
			cell := "-"
			for _, eq := range row.equiv {
				if eq.b.strategy != o || !eq.compared {
					continue
				}
				cell = fmt.Sprintf("%d/%d", eq.same, eq.matched)
				if n := len(eq.onlyA) + len(eq.onlyB); n > 0 {
					cell += fmt.Sprintf(" (%d unmatched)", n)
				}
				equivTotals[i+1][0] += eq.same
				equivTotals[i+1][1] += eq.matched
				equivTotals[i+1][2] += len(eq.onlyA) + len(eq.onlyB)
			}
			cells = append(cells, cell)
		}
		if len(strategies) > 0 {
			if row.matched > 0 {
				cells = append(cells, fmt.Sprintf("%d/%d", row.same, row.matched))
			} else {
				cells = append(cells, "-")
			}
			grmSame += row.same
			grmMatched += row.matched
		}
		table = append(table, cells)
	}

	if len(rows) > 1 {
		cells := []string{"**all**"}
		failed := func(t string) string {
			if totals[t].failed {
				return " (FAILED)"
			}
			return ""
		}
		for _, t := range tools {
			cells = append(cells, ifMeasured(totals[t].measured, fmt.Sprint(totals[t].n)))
		}
		for _, t := range tools {
			cells = append(cells, ifMeasured(totals[t].measured, fmt.Sprintf("%.1fs", totals[t].wall.Seconds())))
		}
		perMinute := func(t total) float64 {
			if t.wall <= 0 {
				return 0
			}
			return float64(t.tested) / t.wall.Minutes()
		}
		for _, t := range tools {
			cells = append(cells, ifMeasured(totals[t].measured, fmt.Sprintf("%.0f", perMinute(*totals[t])))+failed(t))
		}
		for _, t := range tools {
			cells = append(cells, ifMeasured(totals[t].measured, megabytes(totals[t].rss)))
		}
		for i := range ratios {
			a, b := perMinute(ratioTotals[i][0]), perMinute(ratioTotals[i][1])
			cells = append(cells, ifMeasured(a > 0 && b > 0, fmt.Sprintf("%.2fx", a/max(b, 1e-9))))
		}
		for i := range strategies[min(1, len(strategies)):] {
			t := equivTotals[i+1]
			cell := ifMeasured(t[1] > 0, fmt.Sprintf("%d/%d", t[0], t[1]))
			if t[2] > 0 {
				cell += fmt.Sprintf(" (%d unmatched)", t[2])
			}
			cells = append(cells, cell)
		}
		if len(strategies) > 0 {
			cells = append(cells, ifMeasured(grmMatched > 0, fmt.Sprintf("%d/%d", grmSame, grmMatched)))
		}
		table = append(table, cells)
	}

	for i, cells := range table {
		// Every row as wide as the header.
		for len(cells) < len(head) {
			cells = append(cells, "")
		}
		fmt.Printf("| %s |\n", strings.Join(cells, " | "))
		if i == 0 {
			seps := make([]string, len(head))
			for j := range seps {
				seps[j] = "---:"
			}
			seps[0] = "---"
			fmt.Printf("|%s|\n", strings.Join(seps, "|"))
		}
	}

	var differ []string
	for _, row := range rows {
		for _, eq := range row.equiv {
			if n := eq.unexplained(); n > 0 {
				differ = append(differ, fmt.Sprintf("%s: %s vs %s on %d mutants", row.name, eq.a.short(), eq.b.short(), n))
			}
		}
	}
	if len(differ) > 0 {
		fmt.Printf("\nmutatecmp: the strategies disagree where neither a flaky test nor timing explains it (listed under each target): %s\n", strings.Join(differ, "; "))
	}
}

func ifMeasured(ok bool, s string) string {
	if !ok {
		return "-"
	}
	return s
}

// mdEscape escapes what would end a Markdown table cell.
func mdEscape(s string) string {
	return strings.ReplaceAll(s, "|", `\|`)
}

func statusRank(s string) int {
	if i := slices.Index(statuses, s); i >= 0 {
		return i
	}
	return len(statuses)
}

// gremlinsName is gremlins' name for a Stryker status.
func gremlinsName(s string) string {
	for g, st := range gremlinsStatus {
		if st == s {
			return g
		}
	}
	return s
}

func byPosition(a, b *mutant) int {
	return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.line, b.line), cmp.Compare(a.col, b.col), cmp.Compare(a.op, b.op))
}

func versionOf(pkg string) string {
	if _, v, ok := strings.Cut(pkg, "@"); ok {
		return v
	}
	return ""
}

// hashTree maps each file and directory of root to its mode and, for files,
// a hash of its content.
func hashTree(root string) (map[string]string, error) {
	out := make(map[string]string)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			out[rel] = fi.Mode().String()
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return err
		}
		out[rel] = fmt.Sprintf("%s %x", fi.Mode(), h.Sum(nil))
		return nil
	})
	return out, err
}

func diffTrees(before, after map[string]string) []string {
	var out []string
	for p, h := range before {
		switch a, ok := after[p]; {
		case !ok:
			out = append(out, p+" (removed)")
		case a != h:
			out = append(out, p+" (changed)")
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			out = append(out, p+" (added)")
		}
	}
	slices.Sort(out)
	return out
}

func megabytes(b int64) string {
	if b <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f MB", float64(b)/(1<<20))
}

func seconds(ds []time.Duration) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, fmt.Sprintf("%.1fs", d.Seconds()))
	}
	return strings.Join(parts, " ")
}
