// Command tracecmp measures what gorewrite trace costs, in one run on this
// machine:
//
//   - per call: the coverrt package's BenchmarkCall (a trivial function
//     without hooks, with the hooks and tracing off, with tracing on, on
//     every P at once, and with a hand-written defer trace()() tracer that
//     reads the goroutine id from runtime.Stack), median ns/op of a few
//     counts, against the goals: on at most 50 ns a call, at least 10 times
//     cheaper than the runtime.Stack tracer;
//   - real test suites (modules fetched through the module proxy): go test
//     against gorewrite trace (everything instrumented and recorded), and
//     against the same overlay built by gorewrite trace --overlay with
//     tracing off and on, median wall time of interleaved runs, against
//     the goals trace/plain at most 1.5 and off/plain at most 1.1.
//
// make bench runs it. -modules, -runs and -timeout choose.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gorewrite/gorewrite/testdata/bench/internal/benchkit"
)

var (
	gorewrite = flag.String("gorewrite", "bin/gorewrite", "the gorewrite binary")
	modules   = flag.String("modules", "golang.org/x/mod@v0.43.0,github.com/spf13/cobra@v1.10.2,github.com/dustin/go-humanize@v1.1.0", "comma-separated module@version list whose tests are run")
	runs      = flag.Int("runs", 3, "timed runs of each variant")
	timeout   = flag.Duration("timeout", 10*time.Minute, "bound on each command")
	benchtime = flag.String("benchtime", "1s", "-benchtime of the per-call benchmarks")
	count     = flag.Int("count", 3, "-count of the per-call benchmarks (the median is reported)")
	skipCalls = flag.Bool("skip-calls", false, "skip the per-call benchmarks")
)

// Goals.
const (
	goalOnNs       = 50.0
	goalStackRatio = 10.0
	goalTrace      = 1.5
	goalOff        = 1.1
)

func main() {
	flag.Parse()
	log.SetFlags(0)
	bin, err := filepath.Abs(*gorewrite)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		log.Fatalf("tracecmp: %v (make build, or -gorewrite)", err)
	}
	root := repoRoot()
	ver, _ := exec.Command("go", "version").Output()
	fmt.Printf("tracecmp: %s, %d CPUs, GOMAXPROCS %d\n", strings.TrimSpace(string(ver)), runtime.NumCPU(), runtime.GOMAXPROCS(0))
	fmt.Printf("load average at start: %s\n\n", benchkit.LoadAverage())
	start := time.Now()
	failed := false
	if !*skipCalls {
		failed = !perCall(root) || failed
	}
	var results []*module
	for _, m := range strings.Split(*modules, ",") {
		if m = strings.TrimSpace(m); m != "" {
			r := suite(bin, m)
			results = append(results, r)
			failed = failed || r.err != nil
		}
	}
	if len(results) > 1 {
		summary(results)
	}
	fmt.Printf("\nload average at end: %s (%.0fs in all)\n", benchkit.LoadAverage(), time.Since(start).Seconds())
	if failed {
		os.Exit(1)
	}
}

// repoRoot is gorewrite's module directory: the main module's, if the
// program runs in it, else three levels above this file's directory.
func repoRoot() string {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Path}} {{.Dir}}").Output()
	if f := strings.SplitN(strings.TrimSpace(string(out)), " ", 2); err == nil && len(f) == 2 && f[0] == "github.com/gorewrite/gorewrite" {
		return f[1]
	}
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		log.Fatal("tracecmp: cannot find the gorewrite module")
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

// result is one command's run.
type result struct {
	wall   time.Duration
	code   int // exit code; -1: did not start or was killed
	stdout string
	stderr string
	err    error
}

func (r result) ok() bool { return r.err == nil && r.code == 0 }

// run runs args in dir with env added, bounded by -timeout; the process
// group is killed when the time is up (go test's test binaries with it).
func run(dir string, env []string, args ...string) result {
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := result{wall: time.Since(start), stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		r.code, r.err = -1, fmt.Errorf("timed out after %v", *timeout)
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		r.code, r.err = -1, err
	}
	return r
}

// cleanEnv is the environment without GOREWRITE_TRACE: only the variant
// that records says where to.
func cleanEnv() []string {
	return slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "GOREWRITE_TRACE=") || strings.HasPrefix(kv, "GOREWRITE_TRACE_MAX=")
	})
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return "    " + strings.Join(benchkit.FirstN(lines, n), "\n    ") + "\n"
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return ds[len(ds)/2]
}

func medianF(fs []float64) float64 {
	fs = slices.Clone(fs)
	slices.Sort(fs)
	return fs[len(fs)/2]
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

// perCall runs BenchmarkCall and prints ns/call and ratios.
func perCall(root string) bool {
	args := []string{"go", "test", "-run", "XXX", "-bench", "BenchmarkCall", "-benchtime", *benchtime, "-count", strconv.Itoa(*count), "./rewrite/cover/coverrt/"}
	fmt.Printf("Per call: %s (a trivial //go:noinline function; median of %d)\n", strings.Join(args, " "), *count)
	r := run(root, nil, args...)
	if !r.ok() {
		fmt.Printf("  FAILED: exit %d %v\n%s", r.code, r.err, benchkit.LastLines(r.stdout+r.stderr, 20))
		return false
	}
	re := regexp.MustCompile(`(?m)^BenchmarkCall/(\S+?)(?:-\d+)?\s+\d+\s+([0-9.]+) ns/op`)
	ns := map[string][]float64{}
	var names []string
	for _, m := range re.FindAllStringSubmatch(r.stdout, -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		if _, seen := ns[m[1]]; !seen {
			names = append(names, m[1])
		}
		ns[m[1]] = append(ns[m[1]], v)
	}
	if len(ns["plain"]) == 0 {
		fmt.Printf("  FAILED: no results in\n%s", benchkit.LastLines(r.stdout, 20))
		return false
	}
	med := map[string]float64{}
	for _, n := range names {
		med[n] = medianF(ns[n])
	}
	describe := map[string]string{
		"plain":       "no hooks",
		"off":         "defer Leave(Enter(1)), tracing off",
		"on":          "tracing on, into a log file",
		"stack":       "defer trace()(): runtime.Stack goid, time.Now, mutex, slice",
		"on-parallel": "tracing on, RunParallel (wall time per call)",
	}
	fmt.Printf("  %-12s %10s %9s  %-60s %s\n", "", "ns/call", "x plain", "", "all runs (ns)")
	for _, n := range names {
		var all []string
		for _, v := range ns[n] {
			all = append(all, strconv.FormatFloat(v, 'f', -1, 64))
		}
		fmt.Printf("  %-12s %10.2f %9.1f  %-60s %s\n", n, med[n], med[n]/med["plain"], describe[n], strings.Join(all, " "))
	}
	ok := true
	if on, have := med["on"]; have {
		fmt.Printf("  goal: on <= %.0f ns/call: %.2f ns, %s\n", goalOnNs, on, verdict(on <= goalOnNs))
		ok = on <= goalOnNs
		if st, have := med["stack"]; have {
			fmt.Printf("  goal: stack/on >= %.0fx: the runtime.Stack tracer costs %.0fx as much a call, %s\n", goalStackRatio, st/on, verdict(st/on >= goalStackRatio))
			ok = ok && st/on >= goalStackRatio
		}
		if off, have := med["off"]; have {
			fmt.Printf("  hooks with tracing off: %.2f ns/call more than plain\n", off-med["plain"])
		}
	}
	fmt.Println()
	return true // a missed goal is reported, not a failure of the program
}

// The variants of a module's test run.
const (
	vPlain = iota
	vTrace
	vOff
	vOn
	nVariants
)

var variantNames = [nVariants]string{"plain", "trace", "off", "on-overlay"}

var variantDescr = [nVariants]string{
	"go test -count=1 ./...",
	"gorewrite trace ./... -- -count=1",
	"go test -count=1 -overlay OVL/overlay.json ./...  (GOREWRITE_TRACE unset)",
	"the same, GOREWRITE_TRACE=$TMP/t.%p.log",
}

type variant struct {
	walls    []time.Duration
	codes    []int // warm-up first
	failOut  string
	failCode string
	calls    string // trace: "N calls of M functions"
	head     string // trace: the summary's first lines
	logBytes []int64
	failures map[string]bool // top-level tests and packages that failed, over all runs
}

type module struct {
	name string
	err  error // could not be prepared
	v    [nVariants]*variant
	tidy bool
}

var callsRe = regexp.MustCompile(`(\d+) calls of (\d+) functions`)

// suite prepares one module and times its test runs.
func suite(bin, mod string) *module {
	m := &module{name: mod}
	for i := range m.v {
		m.v[i] = &variant{}
	}
	fmt.Printf("== %s ==\n", mod)
	tmp, err := os.MkdirTemp("", "tracecmp-")
	if err != nil {
		m.err = err
		fmt.Printf("  FAILED: %v\n\n", err)
		return m
	}
	defer benchkit.RemoveAll(tmp)
	src := filepath.Join(tmp, "src")
	if err := m.prepare(tmp, src); err != nil {
		m.err = err
		fmt.Printf("  FAILED to prepare: %v\n\n", err)
		return m
	}
	ovl := filepath.Join(tmp, "ovl")
	r := run(src, nil, bin, "trace", "--overlay", ovl, "./...")
	if !r.ok() {
		m.err = fmt.Errorf("gorewrite trace --overlay: exit %d %v", r.code, r.err)
		fmt.Printf("  FAILED: %v\n%s\n", m.err, firstLines(r.stderr, 30))
		return m
	}
	logs := filepath.Join(tmp, "logs")
	overlay := filepath.Join(ovl, "overlay.json")
	fmt.Printf("  overlay: %d files instrumented (gorewrite trace --overlay, %.2fs, not timed below)\n", countOverlay(overlay), r.wall.Seconds())
	for round := -1; round < *runs; round++ {
		order := []int{vPlain, vTrace, vOff, vOn}
		if round >= 0 {
			// A different variant first in each round.
			k := round % nVariants
			order = append(order[k:], order[:k]...)
		}
		for _, v := range order {
			var r result
			switch v {
			case vPlain:
				r = run(src, nil, "go", "test", "-count=1", "./...")
			case vTrace:
				r = run(src, nil, bin, "trace", "./...", "--", "-count=1")
			case vOff:
				r = run(src, nil, "go", "test", "-count=1", "-overlay", overlay, "./...")
			case vOn:
				os.RemoveAll(logs)
				os.MkdirAll(logs, 0o755)
				r = run(src, []string{"GOREWRITE_TRACE=" + filepath.Join(logs, "t.%p.log")}, "go", "test", "-count=1", "-overlay", overlay, "./...")
			}
			va := m.v[v]
			va.codes = append(va.codes, r.code)
			if round >= 0 {
				va.walls = append(va.walls, r.wall)
			}
			if !r.ok() && va.failOut == "" {
				va.failCode = fmt.Sprintf("exit %d", r.code)
				if r.err != nil {
					va.failCode += fmt.Sprintf(" (%v)", r.err)
				}
				va.failOut = r.stderr
				if strings.TrimSpace(va.failOut) == "" {
					va.failOut = r.stdout
				}
			}
			for _, f := range failures(r.stdout + "\n" + r.stderr) {
				if va.failures == nil {
					va.failures = map[string]bool{}
				}
				va.failures[f] = true
			}
			if v == vTrace {
				if c := callsRe.FindString(r.stdout); c != "" {
					va.calls = c
				}
				va.head = r.stdout
			}
			if v == vOn {
				va.logBytes = append(va.logBytes, dirSize(logs))
				os.RemoveAll(logs)
			}
			label := "warm-up"
			if round >= 0 {
				label = fmt.Sprintf("run %d", round+1)
			}
			status := "ok"
			if !r.ok() {
				status = "FAIL " + va.failCode
			}
			fmt.Printf("  %-7s %-10s %7.2fs  %s\n", label, variantNames[v], r.wall.Seconds(), status)
		}
	}
	m.report()
	return m
}

// prepare copies the module out of the module cache into src, writable,
// with its dependencies downloaded (and go.mod tidied if the tests do not
// build without).
func (m *module) prepare(tmp, src string) error {
	dl := filepath.Join(tmp, "dl")
	os.MkdirAll(dl, 0o755)
	r := run(dl, []string{"GOFLAGS=-mod=mod"}, "go", "mod", "download", "-json", m.name)
	var info struct{ Dir, Error string }
	json.Unmarshal([]byte(r.stdout), &info)
	if !r.ok() || info.Dir == "" {
		return fmt.Errorf("go mod download -json %s: exit %d %v %s %s", m.name, r.code, r.err, info.Error, benchkit.OneLine(r.stderr))
	}
	if err := benchkit.CopyTree(info.Dir, src); err != nil {
		return err
	}
	if r := run(src, nil, "go", "mod", "download"); !r.ok() {
		return fmt.Errorf("go mod download: exit %d %v\n%s", r.code, r.err, benchkit.LastLines(r.stderr, 10))
	}
	// Do the tests build? (-run ^$: compiled and linked, nothing run.)
	if r := run(src, nil, "go", "test", "-count=1", "-run", "^$", "./..."); !r.ok() {
		m.tidy = true
		fmt.Printf("  note: the tests do not build as published; running go mod tidy:\n%s", benchkit.LastLines(r.stderr+r.stdout, 5))
		if r := run(src, nil, "go", "mod", "tidy"); !r.ok() {
			return fmt.Errorf("go mod tidy: exit %d %v\n%s", r.code, r.err, benchkit.LastLines(r.stderr, 10))
		}
	}
	return nil
}

var failRe = regexp.MustCompile(`(?m)^(?:--- FAIL: (\S+)|FAIL[ \t]+(\S+)[ \t\n])`)

// failures lists the top-level tests and the packages go test's output
// says failed.
func failures(out string) []string {
	var fs []string
	for _, m := range failRe.FindAllStringSubmatch(out, -1) {
		if m[1] != "" {
			fs = append(fs, m[1])
		} else {
			fs = append(fs, "package "+m[2])
		}
	}
	return fs
}

func same(a, b map[string]bool) bool {
	return maps.Equal(a, b)
}

func countOverlay(path string) int {
	var o struct{ Replace map[string]string }
	json.Unmarshal([]byte(benchkit.ReadFile(path)), &o)
	return len(o.Replace)
}

func dirSize(dir string) int64 {
	var n int64
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if fi, err := e.Info(); err == nil {
			n += fi.Size()
		}
	}
	return n
}

func secs(ds []time.Duration) string {
	var s []string
	for _, d := range ds {
		s = append(s, fmt.Sprintf("%.2f", d.Seconds()))
	}
	return strings.Join(s, " ")
}

func (v *variant) passed() string {
	bad := 0
	for _, c := range v.codes {
		if c != 0 {
			bad++
		}
	}
	if bad == 0 {
		return fmt.Sprintf("passed (%d/%d)", len(v.codes), len(v.codes))
	}
	return fmt.Sprintf("FAILED %d of %d", bad, len(v.codes))
}

func (v *variant) allPassed() bool {
	return !slices.ContainsFunc(v.codes, func(c int) bool { return c != 0 })
}

func (m *module) ratio(v int) float64 {
	p := median(m.v[vPlain].walls)
	if p == 0 {
		return 0
	}
	return median(m.v[v].walls).Seconds() / p.Seconds()
}

func (m *module) report() {
	fmt.Printf("  wall time, median of %d (all runs), tests (warm-up included):\n", *runs)
	for v := range nVariants {
		va := m.v[v]
		ratio := ""
		if v != vPlain {
			ratio = fmt.Sprintf("x%.2f", m.ratio(v))
		}
		fmt.Printf("    %-10s %7.2fs %6s  (%s)  %s   %s\n", variantNames[v], median(va.walls).Seconds(), ratio, secs(va.walls), va.passed(), variantDescr[v])
	}
	fmt.Printf("  goal trace/plain <= %.1f: x%.2f, %s\n", goalTrace, m.ratio(vTrace), verdict(m.ratio(vTrace) <= goalTrace))
	fmt.Printf("  goal off/plain   <= %.1f: x%.2f, %s\n", goalOff, m.ratio(vOff), verdict(m.ratio(vOff) <= goalOff))
	fmt.Printf("  on-overlay/off (the recording alone): x%.2f\n", median(m.v[vOn].walls).Seconds()/median(m.v[vOff].walls).Seconds())
	if t := m.v[vTrace]; t.calls != "" {
		fmt.Printf("  recorded by gorewrite trace: %s\n", t.calls)
		fmt.Printf("  its summary's first lines:\n%s", firstLines(t.head, 8))
	} else {
		fmt.Printf("  recorded by gorewrite trace: no summary header found\n")
	}
	if lb := m.v[vOn].logBytes; len(lb) > 0 {
		fmt.Printf("  on-overlay logs: %.1f MB a run (last)\n", float64(lb[len(lb)-1])/1e6)
	}
	if m.tidy {
		fmt.Printf("  note: go mod tidy was needed\n")
	}
	plainOK := m.v[vPlain].allPassed()
	if !plainOK {
		fmt.Printf("  note: the tests FAIL under plain go test in this sandbox (%s); the other variants' failures may be the same ones\n", m.v[vPlain].failCode)
		fmt.Printf("  plain's first stderr lines:\n%s", firstLines(m.v[vPlain].failOut, 30))
	}
	for v := vTrace; v < nVariants; v++ {
		va := m.v[v]
		if va.allPassed() {
			continue
		}
		what := "fails"
		if plainOK {
			what = "FAILS WHILE PLAIN PASSES (a bug)"
		} else if same(va.failures, m.v[vPlain].failures) {
			fmt.Printf("  %s fails the same tests as plain: %s\n", variantNames[v], strings.Join(slices.Sorted(maps.Keys(va.failures)), ", "))
			continue
		} else {
			what = "fails OTHER tests than plain (" + strings.Join(slices.Sorted(maps.Keys(va.failures)), ", ") + ")"
		}
		fmt.Printf("  %s %s, %s; first lines of its stderr:\n%s", variantNames[v], what, va.failCode, firstLines(va.failOut, 30))
	}
	fmt.Println()
}

func summary(ms []*module) {
	fmt.Printf("Summary (median wall times; goals trace/plain <= %.1f, off/plain <= %.1f):\n", goalTrace, goalOff)
	fmt.Printf("  %-36s %8s %8s %8s %8s %11s %10s %14s  %s\n", "module", "plain", "trace", "off", "on-ovl", "trace/plain", "off/plain", "on-ovl/plain", "tests")
	for _, m := range ms {
		if m.err != nil {
			fmt.Printf("  %-36s not measured: %s\n", m.name, benchkit.Clip(benchkit.OneLine(m.err.Error()), 80))
			continue
		}
		tests := "all passed"
		for v := range nVariants {
			if !m.v[v].allPassed() {
				if tests == "all passed" {
					tests = "failed:"
				}
				tests += " " + variantNames[v]
			}
		}
		fmt.Printf("  %-36s %7.2fs %7.2fs %7.2fs %7.2fs %11.2f %10.2f %14.2f  %s\n", m.name,
			median(m.v[vPlain].walls).Seconds(), median(m.v[vTrace].walls).Seconds(), median(m.v[vOff].walls).Seconds(), median(m.v[vOn].walls).Seconds(),
			m.ratio(vTrace), m.ratio(vOff), m.ratio(vOn), tests)
	}
}
