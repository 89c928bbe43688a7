package mutate

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gorewrite/gorewrite/rewrite/internal/proc"
)

// testRun is what one run of a test binary did.
type testRun struct {
	exit     int
	timedOut bool
	started  bool
	output   []byte // the tail of stdout and stderr
	elapsed  time.Duration
	// failed are the top-level tests that reported failing; panic and
	// fatal the first such lines of the output (not the panic of the
	// binary's own timeout).
	failed       []string
	panic, fatal string
	// hung are the top-level tests the binary named as running when its
	// own timeout (-test.timeout) stopped it; empty when the run did not
	// time out, or timed out without saying (see runTests).
	hung []string
}

// runTests runs the named tests of a test binary in dir, stopping at the
// first failure when failfast is set.
//
// The binary is given the timeout itself (-test.timeout, as go test gives
// it ten minutes), so that when it runs out the binary says which tests
// were running: the ones that hung. A binary that does not stop by itself
// (a TestMain or an init that hangs) is killed a little later.
func (r *runner) runTests(ctx context.Context, bin, dir string, env, names []string, timeout time.Duration, failfast bool) (*testRun, error) {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = regexp.QuoteMeta(n)
	}
	tctx, cancel := context.WithTimeout(ctx, timeout+backstop(timeout))
	defer cancel()
	// -test.paniconexit0 as go test passes it: a test calling os.Exit(0)
	// fails instead of passing silently.
	args := []string{"-test.run=^(" + strings.Join(quoted, "|") + ")$", "-test.paniconexit0", "-test.count=1",
		"-test.timeout=" + timeout.String()}
	if failfast {
		args = append(args, "-test.failfast")
	}
	watch := &outputWatcher{max: 64 << 10}
	start := time.Now()
	cmd, err := startBusy(tctx, func() *exec.Cmd {
		cmd := exec.CommandContext(tctx, bin, args...)
		cmd.Dir = dir
		cmd.Env = env
		cmd.Stdout = watch
		cmd.Stderr = watch
		proc.OwnGroup(cmd)
		cmd.Cancel = func() error { proc.KillGroup(cmd); return nil }
		cmd.WaitDelay = time.Second
		return cmd
	})
	if err == nil {
		err = cmd.Wait()
	}
	watch.close()
	res := &testRun{elapsed: time.Since(start), output: watch.output(), started: cmd.Process != nil,
		failed: watch.failed, panic: watch.panic, fatal: watch.fatal, hung: watch.hung}
	proc.KillGroup(cmd)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if tctx.Err() != nil || watch.timedOut {
		res.timedOut = true
		return res, nil
	}
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			res.exit = -1
			res.output = append(res.output, err.Error()...)
			return res, nil
		}
		res.exit = ee.ExitCode()
		if res.exit == 0 {
			res.exit = -1
		}
	}
	return res, nil
}

// failLine matches the line the testing package writes for a failed test
// or subtest: "--- FAIL: TestName/sub (0.01s)".
var failLine = regexp.MustCompile(`--- FAIL: (\S+) \([0-9.]+s\)`)

// startBusy starts the command newCmd makes, and a new one while the
// system says the binary is busy (ETXTBSY): a test binary gorewrite has
// just written (see relocate.go) can be held open for writing, for an
// instant, by a process another goroutine is starting, until that one's
// exec closes it (golang.org/issue/22315). Without this, the run would
// look like a crash.
func startBusy(ctx context.Context, newCmd func() *exec.Cmd) (*exec.Cmd, error) {
	delay := 5 * time.Millisecond
	for {
		cmd := newCmd()
		err := cmd.Start()
		if err == nil || !errors.Is(err, syscall.ETXTBSY) || delay > 2*time.Second {
			return cmd, err
		}
		select {
		case <-ctx.Done():
			return cmd, err
		case <-time.After(delay):
		}
		delay *= 2
	}
}

// backstop is how long after its own timeout a test binary is killed:
// time to print its goroutines.
func backstop(timeout time.Duration) time.Duration {
	return max(timeout/4, 2*time.Second)
}

// outputWatcher reads a test binary's output as it comes: it notes the
// tests that failed, the first panic and the first fatal runtime error,
// however much the tests print, and keeps the last max bytes for reports.
// It is safe for concurrent writers (stdout and stderr).
type outputWatcher struct {
	mu      sync.Mutex
	tail    []byte
	max     int
	partial []byte // an unfinished line
	failed  []string
	panic   string
	fatal   string
	// timedOut says the binary's own timeout stopped it; hung are the
	// tests it named as running then, and listing that the list is being
	// read.
	timedOut bool
	hung     []string
	listing  bool
}

func (w *outputWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.tail = append(w.tail, p...)
	if len(w.tail) > 2*w.max {
		w.tail = append([]byte(nil), w.tail[len(w.tail)-w.max:]...)
	}
	data := append(w.partial, p...)
	for {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			break
		}
		w.line(string(data[:i]))
		data = data[i+1:]
	}
	// A line longer than max is cut: only the start of a line matters.
	if len(data) > w.max {
		data = data[:w.max]
	}
	w.partial = append([]byte(nil), data...)
	return len(p), nil
}

func (w *outputWatcher) line(l string) {
	if w.listing {
		// "running tests:" is followed by a line per test, indented
		// ("\tTestName/sub (2s)"; the runtime indents a panic's lines
		// once more since Go 1.23).
		switch t := strings.TrimSpace(l); {
		case t == "running tests:":
		case strings.HasPrefix(l, "\t") && t != "":
			name, _, _ := strings.Cut(t, " (")
			top, _, _ := strings.Cut(name, "/")
			if !slices.Contains(w.hung, top) {
				w.hung = append(w.hung, top)
			}
		default:
			w.listing = false
		}
		return
	}
	switch {
	case strings.HasPrefix(l, "panic: test timed out after ") && !w.timedOut:
		w.timedOut, w.listing = true, true
	case failLine.MatchString(l):
		// Not always at the start of the line: a test whose output does
		// not end in a newline (a terminal escape, say) leaves it
		// before the marker.
		name := failLine.FindStringSubmatch(l)[1]
		top, _, _ := strings.Cut(name, "/")
		if !slices.Contains(w.failed, top) {
			w.failed = append(w.failed, top)
		}
	case strings.HasPrefix(l, "panic: ") && w.panic == "":
		w.panic = l
	case strings.HasPrefix(l, "fatal error: ") && w.fatal == "":
		w.fatal = l
	}
}

// close takes in an unfinished last line.
func (w *outputWatcher) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.partial) > 0 {
		w.line(string(w.partial))
		w.partial = nil
	}
}

func (w *outputWatcher) output() []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.tail) > w.max {
		return slices.Clone(w.tail[len(w.tail)-w.max:])
	}
	return slices.Clone(w.tail)
}

var _ io.Writer = (*outputWatcher)(nil)
