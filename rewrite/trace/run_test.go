package trace_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/pprof/profile"
	"github.com/gorewrite/gorewrite/rewrite/cover"
	"github.com/gorewrite/gorewrite/rewrite/cover/coverrt"
	"github.com/gorewrite/gorewrite/rewrite/trace"
	"github.com/gorewrite/gorewrite/rewrite/trace/tracelog"
)

func needGo(t *testing.T) {
	t.Helper()
	if testing.Short() && os.Getenv("CI") == "" && false {
		t.Skip("builds")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
}

// snapshot returns every file under dir with its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			out[path] = string(data)
		}
		return nil
	})
	return out
}

func modDir(t *testing.T) string {
	dir, err := filepath.Abs("testdata/mod")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestRun traces the test module's tests and checks what the log says:
// the calls, nesting, tests, goroutines and panics; the timeline nests on
// every track; the profile reads back. The module's files are unchanged and
// nothing is left in TMPDIR.
func TestRun(t *testing.T) {
	needGo(t)
	dir := modDir(t)
	before := snapshot(t, dir)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	cfg := trace.Config{Config: cover.Config{Dir: dir, Patterns: []string{"./..."}}, Selection: trace.Selection{Closures: true}}
	plan, err := trace.Prepare(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	var ready []string
	run, err := trace.Test(context.Background(), cfg, plan, &out, &out, func(name string) {
		ready = append(ready, name)
		// The test binary's log is whole when it is handed over.
		if _, err := tracelog.ReadFiles(name); err != nil {
			t.Errorf("log handed over: %v", err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if run.ExitCode != 0 || len(run.Logs) != 1 {
		t.Fatalf("exit %d, logs %v:\n%s", run.ExitCode, run.Logs, out.String())
	}
	if !slices.Equal(ready, run.Logs) {
		t.Errorf("logs handed over %v, want %v", ready, run.Logs)
	}
	log, err := tracelog.ReadFiles(run.Logs...)
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Close(); err != nil {
		t.Fatal(err)
	}

	stats := map[string]tracelog.FuncStat{}
	for _, s := range log.Stats() {
		stats[s.Name] = s
	}
	// Fib(5) is 15 calls, Fib(10) 177, Work(6) runs Fib(6) twice (25 each).
	if got := stats["example.com/tr/lib.Fib"].Calls; got != 15+177+2*25 {
		t.Errorf("Fib: %d calls, want %d", got, 15+177+2*25)
	}
	for name, n := range map[string]int{"example.com/tr/lib.(*Stack[...]).Push": 3, "example.com/tr/lib.(*Stack[...]).Pop": 1, "example.com/tr/lib.Map[...]": 1} {
		if stats[name].Calls != n {
			t.Errorf("%s: %d calls, want %d", name, stats[name].Calls, n)
		}
	}
	for _, name := range []string{"example.com/tr/lib.Work", "example.com/tr/lib.Work.func1", "example.com/tr/lib.Safe", "example.com/tr/lib.Safe.func1"} {
		if stats[name].Calls != 1 {
			t.Errorf("%s: %d calls, want 1", name, stats[name].Calls)
		}
	}
	if s := stats["example.com/tr/lib.Boom"]; s.Calls != 1 || s.Panics != 1 {
		t.Errorf("Boom: %d calls, %d panics; want 1, 1", s.Calls, s.Panics)
	}
	if s := stats["example.com/tr/lib.Safe"]; s.Panics != 0 {
		t.Errorf("Safe recovered, yet it is counted as panicking")
	}
	// Every call ran in a test, the goroutine Work starts too.
	p := log.Processes[0]
	tests := map[string]bool{}
	for _, c := range p.Calls {
		test := p.TestOf(c)
		if test == "" {
			t.Errorf("call of %s on goroutine %d: no test", p.Funcs[c.Func].Name, c.Goroutine)
		}
		tests[test] = true
		if p.Funcs[c.Func].Name == "example.com/tr/lib.Work.func1" && test != "TestWork" {
			t.Errorf("Work's goroutine is in test %q, want TestWork", test)
		}
	}
	for _, want := range []string{"TestFib/n", "TestFib/n#01", "TestWork", "TestSafe", "TestWhere", "TestGeneric"} {
		if !tests[want] {
			t.Errorf("no call in %s (tests seen: %v)", want, tests)
		}
	}

	var tl bytes.Buffer
	if _, _, err := tracelog.WriteTimeline(&tl, log, 1000); err != nil {
		t.Fatal(err)
	}
	checkTimeline(t, tl.Bytes())
	var pp bytes.Buffer
	if err := tracelog.WritePprof(&pp, log); err != nil {
		t.Fatal(err)
	}
	prof, err := profile.Parse(&pp)
	if err != nil {
		t.Fatal(err)
	}
	var calls int64
	for _, s := range prof.Sample {
		if s.Location[0].Line[0].Function.Name == "example.com/tr/lib.Fib" {
			calls += s.Value[0]
		}
	}
	if calls != 15+177+2*25 {
		t.Errorf("profile: %d calls of Fib", calls)
	}

	if after := snapshot(t, dir); !equalMaps(before, after) {
		t.Errorf("the module's files changed")
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("left in TMPDIR: %v", left)
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestInterrupted stops a run in the middle: nothing is left behind.
func TestInterrupted(t *testing.T) {
	needGo(t)
	dir := modDir(t)
	before := snapshot(t, dir)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	cfg := trace.Config{Config: cover.Config{Dir: dir, Patterns: []string{"./..."}, GoFlags: []string{"-run", "TestWork"}}}
	plan, err := trace.Prepare(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	run, err := trace.Test(ctx, cfg, plan, io.Discard, io.Discard, nil)
	if err == nil {
		run.Close()
	}
	if after := snapshot(t, dir); !equalMaps(before, after) {
		t.Errorf("the module's files changed")
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("left in TMPDIR: %v", left)
	}
}

// TestBinary builds the app with the overlay and checks that it writes its
// log however it ends (return, os.Exit, a panic, SIGTERM), that it records
// nothing without GOREWRITE_TRACE, and that a panic's traceback names the
// same lines as the program built without hooks.
func TestBinary(t *testing.T) {
	needGo(t)
	if runtime.GOOS == "windows" {
		t.Skip("signals")
	}
	dir := modDir(t)
	cfg := trace.Config{Config: cover.Config{Dir: dir, Patterns: []string{"./..."}, Binaries: true}}
	plan, err := trace.Prepare(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	overlay, err := plan.WriteOverlay(filepath.Join(tmp, "overlay"))
	if err != nil {
		t.Fatal(err)
	}
	build := func(name string, args ...string) string {
		bin := filepath.Join(tmp, name)
		cmd := exec.Command("go", append(append([]string{"build", "-o", bin}, args...), "./app")...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		return bin
	}
	app := build("app", "-overlay", overlay)
	plain := build("plain")

	calls := func(t *testing.T, logFile string) map[string]int {
		t.Helper()
		log, err := tracelog.ReadFiles(logFile)
		if err != nil {
			t.Fatal(err)
		}
		n := map[string]int{}
		for _, s := range log.Stats() {
			n[s.Name] = int(s.Calls)
		}
		return n
	}
	for _, tc := range []struct {
		how  string
		code int
		want []string
	}{
		{"return", 0, []string{"main.main", "example.com/tr/lib.Fib"}},
		{"exit", 3, []string{"example.com/tr/lib.Fib"}},
		{"panic", 2, []string{"main.main", "main.crash", "example.com/tr/lib.Boom"}},
		{"gopanic", 2, []string{"main.crash", "example.com/tr/lib.Boom"}},
		{"term", -int(syscall.SIGTERM), []string{"example.com/tr/lib.Fib"}},
	} {
		t.Run(tc.how, func(t *testing.T) {
			logFile := filepath.Join(t.TempDir(), "trace.%p.log")
			cmd := exec.Command(app, tc.how)
			cmd.Env = append(os.Environ(), "GOREWRITE_TRACE="+logFile)
			stdout, _ := cmd.StdoutPipe()
			cmd.Stderr = io.Discard
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			r := bufio.NewReader(stdout)
			r.ReadString('\n')
			if tc.how == "term" {
				if line, _ := r.ReadString('\n'); line != "ready\n" {
					t.Fatalf("app said %q", line)
				}
				cmd.Process.Signal(syscall.SIGTERM)
			}
			io.Copy(io.Discard, r)
			err := cmd.Wait()
			if code := exitCode(err); code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			logs, _ := filepath.Glob(filepath.Join(filepath.Dir(logFile), "trace.*.log"))
			if len(logs) != 1 {
				t.Fatalf("logs: %v", logs)
			}
			n := calls(t, logs[0])
			for _, f := range tc.want {
				if n[f] == 0 {
					t.Errorf("no call of %s in the log (%v)", f, n)
				}
			}
		})
	}

	t.Run("off", func(t *testing.T) {
		cmd := exec.Command(app)
		cmd.Dir = t.TempDir()
		cmd.Env = os.Environ()
		if out, err := cmd.CombinedOutput(); err != nil || string(out) != "21\n" {
			t.Fatalf("%v: %s", err, out)
		}
		if left, _ := os.ReadDir(cmd.Dir); len(left) > 0 {
			t.Errorf("tracing off wrote %v", left)
		}
	})

	t.Run("panic lines", func(t *testing.T) {
		traceback := func(bin string) string {
			cmd := exec.Command(bin, "panic")
			cmd.Env = append(os.Environ(), "GOREWRITE_TRACE="+filepath.Join(t.TempDir(), "t.log"))
			out, _ := cmd.CombinedOutput()
			// Keep the file:line lines, without the frame offsets.
			var lines []string
			for _, l := range strings.Split(string(out), "\n") {
				if strings.HasPrefix(l, "\t") {
					lines = append(lines, offset.ReplaceAllString(strings.TrimSpace(l), ""))
				}
			}
			return strings.Join(lines, "\n")
		}
		want, got := traceback(plain), traceback(app)
		if got != want || !strings.Contains(got, "lib.go:34") {
			t.Errorf("traceback with hooks:\n%s\nwithout:\n%s", got, want)
		}
	})
}

var offset = regexp.MustCompile(` \+0x[0-9a-f]+$`)

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return -int(ws.Signal())
		}
		return ee.ExitCode()
	}
	return 1000
}

// checkTimeline checks a timeline as Perfetto would: valid JSON, and on
// every track complete events that nest (none ends inside another after
// starting inside it).
func checkTimeline(t *testing.T, data []byte) {
	t.Helper()
	var tl struct {
		TraceEvents []struct {
			Ph       string
			Name     string
			Ts, Dur  float64
			Pid, Tid uint64
		}
	}
	if err := json.Unmarshal(data, &tl); err != nil {
		t.Fatalf("timeline: %v", err)
	}
	type span struct{ start, end int64 }
	tracks := map[[2]uint64][]span{}
	for _, e := range tl.TraceEvents {
		if e.Ph != "X" {
			continue
		}
		// Microseconds with three decimals: whole nanoseconds.
		start := int64(math.Round(e.Ts * 1000))
		tracks[[2]uint64{e.Pid, e.Tid}] = append(tracks[[2]uint64{e.Pid, e.Tid}], span{start, start + int64(math.Round(e.Dur*1000))})
	}
	if len(tracks) == 0 {
		t.Fatal("timeline has no complete events")
	}
	for k, spans := range tracks {
		sort.Slice(spans, func(i, j int) bool {
			if spans[i].start != spans[j].start {
				return spans[i].start < spans[j].start
			}
			return spans[i].end > spans[j].end
		})
		var stack []span
		for _, s := range spans {
			for len(stack) > 0 && stack[len(stack)-1].end <= s.start {
				stack = stack[:len(stack)-1]
			}
			if len(stack) > 0 && s.end > stack[len(stack)-1].end {
				t.Errorf("track %v: %v overlaps %v", k, s, stack[len(stack)-1])
				return
			}
			stack = append(stack, s)
		}
	}
}

func TestEndRecordIsTheRuntimes(t *testing.T) {
	if trace.EndRecord != coverrt.EndRecord {
		t.Errorf("end record %q, the runtime writes %q", trace.EndRecord, coverrt.EndRecord)
	}
	if trace.LogEnv != coverrt.TraceEnv {
		t.Errorf("LogEnv %q, the runtime reads %q", trace.LogEnv, coverrt.TraceEnv)
	}
}
