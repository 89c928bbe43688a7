// Command mutatecmp measures gorewrite mutate against gremlins
// (github.com/go-gremlins/gremlins, v0.6.0 by default), in one run on this
// machine, on packages with fast test suites:
//
//   - self:DIR, a package of this module, on a copy of the module (default
//     rewrite/cover/coverrt, whose tests take a twentieth of a second);
//   - MODULE@VERSION[:DIR], a module from the module proxy, copied out of the
//     module cache (default github.com/google/uuid, whole,
//     golang.org/x/mod's semver package, and golang.org/x/sync's semaphore
//     package, whose suite takes seconds: where running only the covering
//     tests matters).
//
// Both tools get the same operators (the eleven gremlins has; gorewrite
// names them alike), the same number of workers and the same packages: DIR
// and the directories below it, as gremlins always recurses. Each run of a
// tool gets a fresh copy of the module; gorewrite must leave its copy
// byte-identical, which is checked. gremlins is built once with go install
// into the temporary directory, so go run's own time is not measured; the
// tests are run once before, which warms the build cache for both.
//
// How the tools differ, which explains most disagreements: gremlins takes
// coverage from one go test -cover of the package and runs the package's
// whole test suite on each mutant (go test, vet included), with a timeout
// of three times that coverage run; gorewrite runs each test alone for its
// coverage and runs only a mutant's covering tests, fastest first.
//
// For each module and tool it prints the mutants by status (gremlins'
// statuses mapped onto Stryker's: KILLED Killed, LIVED Survived, NOT
// COVERED NoCoverage, TIMED OUT Timeout, NOT VIABLE CompileError, SKIPPED
// Ignored), the mutants tested per minute of wall time (tested: any status
// but NoCoverage and Ignored), the wall time, the largest resident set of a
// single process of the tool's process tree, and the ratio of the
// throughputs. Then the agreement of statuses on the mutants both tools
// generate, matched by file, line, column (in bytes, where the operator
// token starts) and operator, and the disagreements. gremlins runs go test
// on the mutated package, so a mutant that does not compile counts as
// KILLED there; gorewrite type-checks every mutant and never makes one that
// does not, so those show up as mutants only gremlins generates.
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
	"unicode/utf8"
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
	modules   = flag.String("modules", "self:rewrite/cover/coverrt,golang.org/x/mod@v0.42.0:semver,github.com/google/uuid@v1.6.0,golang.org/x/sync@v0.25.0:semaphore",
		"comma-separated targets: self:DIR (a package directory of this module) or MODULE@VERSION[:DIR] (from the module proxy)")
	workers   = flag.Int("workers", runtime.GOMAXPROCS(0), "workers for both tools")
	runs      = flag.Int("runs", 1, "timed runs of each tool on each target, alternating; wall time is the median, statuses are the last run's")
	operators = flag.String("operators", strings.Join(sharedOperators, ","), "operators for both tools (of gremlins' eleven)")
	timeout   = flag.Duration("timeout", 30*time.Minute, "limit on one run of one tool")
	show      = flag.Int("show", 30, "disagreements listed per target")
	keep      = flag.Bool("keep", false, "keep the temporary directory (copies, JSON reports, logs) and print its path")
)

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

// A target is a module copy and the directory in it both tools mutate.
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
	file      string // slash-separated, relative to the module root
	line, col int    // col: 1-based byte column of the operator token
	op        string
	orig      string // the token replaced
	repl      string
	status    string // one of statuses
	raw       string // the tool's own status name
	reason    string
}

// A toolRun is one tool's result on one target.
type toolRun struct {
	tool      string
	walls     []time.Duration
	maxRSS    int64 // bytes; 0 when unknown
	mutants   []*mutant
	failed    []string // what went wrong, if anything
	modified  []string // gorewrite: files of its copy that changed
	available bool
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
	ctx       context.Context
	tmp       string
	env       []string
	gorewrite string // absolute; "" when it has no mutate command
	stats     bool   // gorewrite mutate has --stats
	gremlins  string // the installed binary
	ops       []string
	repoRoot  string
	failed    bool
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
		defer removeAll(b.tmp)
	}
	// Both tools and the go commands they start make their temporary
	// files here: gremlins leaves some behind when a test it timed out
	// still runs.
	os.Mkdir(filepath.Join(b.tmp, "tmp"), 0o777)
	b.env = append(os.Environ(), "TMPDIR="+filepath.Join(b.tmp, "tmp"))

	goVersion, _ := exec.Command("go", "version").Output()
	fmt.Printf("mutatecmp: %s, %d CPUs, %d workers, %d run(s) of each tool\n", strings.TrimSpace(string(goVersion)), runtime.NumCPU(), *workers, *runs)
	fmt.Printf("operators: %s\n", strings.Join(b.ops, ","))
	if l := loadAverage(); l != "" {
		fmt.Printf("load average: %s (the timings assume a machine otherwise idle)\n", l)
	}

	if abs, err := filepath.Abs(*gorewrite); err != nil {
		log.Print(err)
		return 1
	} else if out, err := exec.Command(abs, "mutate", "--help").CombinedOutput(); err != nil || !bytes.Contains(out, []byte("--json")) {
		fmt.Printf("gorewrite: %s mutate --help does not show a --json flag: measuring gremlins only\n", abs)
		b.failed = true
	} else {
		b.gorewrite = abs
		b.stats = bytes.Contains(out, []byte("--stats"))
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
	printSummary(summary)
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
	grw, grm      *toolRun
	matched, same int
	err           string
}

// target prepares one target's module, runs both tools on fresh copies of
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
		fmt.Printf("  FAILED: the tests do not pass without mutants: %v\n%s", err, lastLines(string(out), 10))
		b.failed = true
		row.err = "tests fail"
		return row
	}
	fmt.Printf("  go test -count=1 %s alone: %.2fs", t.pattern, time.Since(start).Seconds())
	if l := loadAverage(); l != "" {
		fmt.Printf("; load average %s", l)
	}
	fmt.Println()

	grw := &toolRun{tool: "gorewrite mutate", available: b.gorewrite != ""}
	grm := &toolRun{tool: "gremlins " + versionOf(*gremlins), available: true}
	for r := range *runs {
		order := []*toolRun{grw, grm}
		if r%2 == 1 {
			slices.Reverse(order)
		}
		for _, tr := range order {
			if !tr.available || b.ctx.Err() != nil {
				continue
			}
			if tr == grw {
				b.runGorewrite(i, r, t, pristine, tr)
			} else {
				b.runGremlins(i, r, t, pristine, tr)
			}
		}
	}
	if len(grw.failed)+len(grm.failed) > 0 {
		b.failed = true
	}
	row.grw, row.grm = grw, grm
	row.matched, row.same = report(pristine, grw, grm)
	return row
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
			if err := copyFile(filepath.Join(b.repoRoot, f), filepath.Join(dir, f)); err != nil {
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
		if err := copyTree(info.Dir, dir); err != nil {
			return err
		}
		for _, args := range [][]string{{"go", "mod", "download"}, {"go", "mod", "tidy"}} {
			if out, err := b.command(dir, args...).CombinedOutput(); err != nil {
				return fmt.Errorf("%s: %v\n%s", strings.Join(args, " "), err, lastLines(string(out), 10))
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

// measure runs a tool in its own process group, output to logFile, and
// returns its wall time and the largest resident set of any one process
// of its tree (the rusage of a waited-for child covers the descendants it
// waited for). The group is killed on timeout or interrupt, and after the
// tool ends, so nothing it left running outlives it.
func (b *bench) measure(dir, logFile string, args ...string) (wall time.Duration, maxRSS int64, err error) {
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
	dir := filepath.Join(b.tmp, fmt.Sprintf("t%d-gorewrite-%d", i, r))
	defer removeAll(dir)
	if err := copyTree(pristine, dir); err != nil {
		tr.failed = append(tr.failed, err.Error())
		return
	}
	before, err := hashTree(dir)
	if err != nil {
		tr.failed = append(tr.failed, err.Error())
		return
	}
	jsonOut := filepath.Join(b.tmp, fmt.Sprintf("t%d-gorewrite-%d.json", i, r))
	logFile := filepath.Join(b.tmp, fmt.Sprintf("t%d-gorewrite-%d.log", i, r))
	args := []string{b.gorewrite, "mutate", "--operators", strings.Join(b.ops, ","), "--workers", fmt.Sprint(*workers), "--json", jsonOut}
	if b.stats {
		args = append(args, "--stats")
	}
	args = append(args, t.pattern)
	wall, rss, err := b.measure(dir, logFile, args...)
	// Its own messages, not the survivors' diffs.
	var msgs []string
	for _, l := range strings.Split(readFile(logFile), "\n") {
		if strings.HasPrefix(l, "gorewrite: ") {
			msgs = append(msgs, strings.TrimPrefix(l, "gorewrite: "))
		}
	}
	fmt.Printf("  run %d: gorewrite mutate: %.1fs\n", r+1, wall.Seconds())
	for _, m := range firstN(msgs, 8) {
		fmt.Printf("         %s\n", clip(m, 200))
	}
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 3) {
		detail := lastLines(readFile(logFile), 8)
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
		tr.failed = append(tr.failed, fmt.Sprintf("run %d: the module copy changed: %s", r+1, strings.Join(firstN(changed, 10), ", ")))
	}
	tr.walls = append(tr.walls, wall)
	tr.maxRSS = max(tr.maxRSS, rss)
	if ms, err := readGorewrite(jsonOut); err != nil {
		tr.failed = append(tr.failed, fmt.Sprintf("run %d: %v", r+1, err))
	} else {
		tr.mutants = ms
	}
}

func (b *bench) runGremlins(i, r int, t target, pristine string, tr *toolRun) {
	dir := filepath.Join(b.tmp, fmt.Sprintf("t%d-gremlins-%d", i, r))
	defer removeAll(dir)
	if err := copyTree(pristine, dir); err != nil {
		tr.failed = append(tr.failed, err.Error())
		return
	}
	jsonOut := filepath.Join(b.tmp, fmt.Sprintf("t%d-gremlins-%d.json", i, r))
	logFile := filepath.Join(b.tmp, fmt.Sprintf("t%d-gremlins-%d.log", i, r))
	args := []string{b.gremlins, "unleash", "--workers", fmt.Sprint(*workers), "-o", jsonOut}
	for _, op := range sharedOperators {
		args = append(args, fmt.Sprintf("%s=%t", gremlinsFlag[op], slices.Contains(b.ops, op)))
	}
	// gremlins finds the module root above the path and mutates the path
	// and below; its report names files relative to the path.
	args = append(args, filepath.Join(dir, filepath.FromSlash(t.dir)))
	wall, rss, err := b.measure(dir, logFile, args...)
	fmt.Printf("  run %d: gremlins unleash: %.1fs\n", r+1, wall.Seconds())
	for _, l := range strings.Split(readFile(logFile), "\n") {
		if strings.HasPrefix(l, "Gathering coverage... done") || strings.HasPrefix(l, "Mutation testing completed") {
			fmt.Printf("         %s\n", strings.TrimSpace(l))
		}
	}
	if err != nil {
		tr.failed = append(tr.failed, fmt.Sprintf("run %d: gremlins unleash: %v\n%s", r+1, err, lastLines(readFile(logFile), 8)))
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
func readGorewrite(file string) ([]*mutant, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("gorewrite wrote no report: %v", err)
	}
	var rep struct {
		ProjectRoot string `json:"projectRoot"`
		Files       map[string]struct {
			Source  string `json:"source"`
			Mutants []struct {
				MutatorName  string `json:"mutatorName"`
				Replacement  string `json:"replacement"`
				Status       string `json:"status"`
				StatusReason string `json:"statusReason"`
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
		return nil, fmt.Errorf("gorewrite report: %v", err)
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
			mu := &mutant{file: name, line: m.Location.Start.Line, op: m.MutatorName, repl: m.Replacement,
				status: m.Status, raw: m.Status, reason: m.StatusReason}
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
	return ms, nil
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

// report prints one target's figures and returns how many mutants both
// tools generate and on how many their statuses agree.
func report(root string, grw, grm *toolRun) (matched, same int) {
	for _, tr := range []*toolRun{grw, grm} {
		for _, f := range tr.failed {
			fmt.Printf("  %s FAILED: %s\n", tr.tool, strings.TrimRight(f, "\n"))
		}
	}
	if grw.available && len(grw.walls) > 0 {
		if len(grw.modified) == 0 {
			fmt.Println("  gorewrite left its copy of the module byte-identical: yes")
		} else {
			fmt.Printf("  gorewrite left its copy of the module byte-identical: NO (%d files changed)\n", len(grw.modified))
		}
	}

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

	fmt.Println()
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "tool\tmutants\t")
	for _, s := range statuses {
		fmt.Fprintf(tw, "%s\t", s)
	}
	fmt.Fprint(tw, "tested\twall\ttested/min\tmax RSS\t\n")
	for _, tr := range []*toolRun{grw, grm} {
		if !tr.available || len(tr.walls) == 0 {
			fmt.Fprintf(tw, "%s\t(not run)\t\n", tr.tool)
			continue
		}
		if len(tr.mutants) == 0 && len(tr.failed) > 0 {
			fmt.Fprintf(tw, "%s\t(failed)\t\n", tr.tool)
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
	if len(grw.walls) > 1 || len(grm.walls) > 1 {
		fmt.Printf("  wall times: gorewrite %s; gremlins %s (median shown)\n", seconds(grw.walls), seconds(grm.walls))
	}
	if grw.perMinute() > 0 && grm.perMinute() > 0 {
		fmt.Printf("  throughput gorewrite/gremlins: %.2fx (tested mutants per minute); wall time gorewrite/gremlins: %.2f\n",
			grw.perMinute()/grm.perMinute(), grw.wall().Seconds()/grm.wall().Seconds())
	}
	if len(grw.mutants) == 0 || len(grm.mutants) == 0 {
		return 0, 0
	}

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
	fmt.Println()
	tw = tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
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
				example[k] = fmt.Sprintf("%s:%d:%d %s", m.file, m.line, m.col, clip(text, 60))
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
	for _, p := range firstN(dis, *show) {
		text := ""
		if s, ok := siteAt(p.grm); ok {
			text = s.text
		}
		pos := fmt.Sprintf("%s:%d:%d", p.grm.file, p.grm.line, p.grm.col)
		reason := ""
		if p.grw.reason != "" {
			reason = " (" + clip(oneLine(p.grw.reason), 60) + ")"
		}
		fmt.Fprintf(tw, "    %s\t%s %s -> %s\tgremlins %s\tgorewrite %s%s\t%s\n", pos, p.grm.op, p.grm.orig, p.grm.repl,
			p.grm.raw, p.grw.status, reason, clip(text, 70))
	}
	tw.Flush()
	return matched, same
}

func printSummary(rows []summaryRow) {
	fmt.Println("\n== Summary (tested mutants per minute of wall time) ==")
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "target\tgorewrite\tgremlins\tratio\twall gorewrite\twall gremlins\tsame status\t\n")
	for _, r := range rows {
		if r.err != "" {
			fmt.Fprintf(tw, "%s\tFAILED: %s\t\n", r.name, clip(oneLine(r.err), 60))
			continue
		}
		ratio := "-"
		if r.grw.perMinute() > 0 && r.grm.perMinute() > 0 {
			ratio = fmt.Sprintf("%.2fx", r.grw.perMinute()/r.grm.perMinute())
		}
		agree := "-"
		if r.matched > 0 {
			agree = fmt.Sprintf("%d/%d", r.same, r.matched)
		}
		mark := func(tr *toolRun) string {
			if len(tr.failed) > 0 {
				return " (FAILED)"
			}
			return ""
		}
		fmt.Fprintf(tw, "%s\t%.0f%s\t%.0f%s\t%s\t%.1fs\t%.1fs\t%s\t\n", r.name, r.grw.perMinute(), mark(r.grw),
			r.grm.perMinute(), mark(r.grm), ratio, r.grw.wall().Seconds(), r.grm.wall().Seconds(), agree)
	}
	tw.Flush()
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

// copyTree copies the regular files and directories of src to dst, every
// file and directory writable by its owner (module cache files are not).
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(p, to)
	})
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	fi, err := os.Stat(from)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	return os.WriteFile(to, data, fi.Mode().Perm()|0o200)
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

// removeAll removes a tree even where something made parts of it
// read-only.
func removeAll(dir string) {
	if os.RemoveAll(dir) == nil {
		return
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(p, 0o755)
		}
		return nil
	})
	if err := os.RemoveAll(dir); err != nil {
		log.Printf("mutatecmp: %v", err)
	}
}

// loadAverage is /proc/loadavg's first three figures, or "".
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(data)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return ""
}

func readFile(name string) string {
	data, _ := os.ReadFile(name)
	return string(data)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "    " + strings.Join(lines, "\n    ") + "\n"
}

func firstN[T any](s []T, n int) []T {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-3]) + "..."
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
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
