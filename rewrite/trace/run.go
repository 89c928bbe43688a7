package trace

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gorewrite/gorewrite/rewrite/cover"
)

// LogEnv names the file an instrumented program records into
// (coverrt.TraceEnv; the runtime is not imported here, since its init
// would run in gorewrite itself). "%p" in the name is the process id.
const LogEnv = "GOREWRITE_TRACE"

// Config says what to trace: the packages and build as for cover (its
// counters are left out), and which functions.
type Config struct {
	cover.Config
	Selection
}

// A Plan is the instrumented packages, ready to build, and the table of the
// functions that got hooks.
type Plan struct {
	*cover.Plan
	Funcs    []Func
	Warnings []string
}

// Prepare lists the packages and adds the hooks.
func Prepare(ctx context.Context, cfg Config) (*Plan, error) {
	in := &Instrumenter{Selection: cfg.Selection}
	cc := cfg.Config
	cc.NoCounters = true
	cc.Inject = in.Injector
	plan, err := cover.Prepare(ctx, cc)
	if err != nil {
		return nil, err
	}
	return &Plan{Plan: plan, Funcs: in.Funcs(), Warnings: append(slices.Clone(plan.Warnings), in.Warnings()...)}, nil
}

// A Run is a finished go test run of instrumented packages: its exit code
// and the logs its processes wrote, in a temporary directory that Close
// removes.
type Run struct {
	ExitCode    int
	BuildFailed bool
	// Logs are the log files, one per process that recorded.
	Logs []string
	dir  string
}

// Close removes the logs.
func (r *Run) Close() error { return os.RemoveAll(r.dir) }

// endRecord ends the log of a test binary whose tests have run
// (coverrt.EndRecord).
const endRecord = "Z\x08GRTREND!"

// Test runs go test on the planned packages through an overlay, streaming
// its output, with every test process recording into a log of its own.
// When ready is not nil, it is called with each log's name as soon as the
// log is whole: a test binary's when its tests have run (while other
// packages' tests may still run), the others' after go test ends. It is
// called from one goroutine at a time, and has been called for every log
// when Test returns.
func Test(ctx context.Context, cfg Config, plan *Plan, stdout, stderr io.Writer, ready func(name string)) (*Run, error) {
	dir, err := os.MkdirTemp("", "gorewrite-trace-")
	if err != nil {
		return nil, err
	}
	run := &Run{dir: dir}
	cc := cfg.Config
	env := cc.Env
	if env == nil {
		env = os.Environ()
	}
	cc.Env = append(slices.Clone(env), LogEnv+"="+filepath.Join(dir, "trace.%p.log"))
	seen := map[string]bool{}
	// dispatch hands the logs found whole (or all, at the end) to ready.
	dispatch := func(all bool) {
		for _, name := range logsIn(dir) {
			if seen[name] || !all && !ended(name) {
				continue
			}
			seen[name] = true
			if ready != nil {
				ready(name)
			}
		}
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				dispatch(false)
			}
		}
	}()
	res, err := cover.Test(ctx, cc, plan.Plan, stdout, stderr)
	close(stop)
	<-done
	if err != nil {
		run.Close()
		return nil, err
	}
	dispatch(true)
	run.ExitCode, run.BuildFailed = res.ExitCode, res.BuildFailed
	run.Logs = logsIn(dir)
	return run, nil
}

// logsIn lists the logs in dir, sorted.
func logsIn(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var logs []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "trace.") && strings.HasSuffix(e.Name(), ".log") {
			logs = append(logs, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(logs)
	return logs
}

// ended reports whether the log ends with the end record.
func ended(name string) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	buf := make([]byte, len(endRecord))
	fi, err := f.Stat()
	if err != nil || fi.Size() < int64(len(buf)) {
		return false
	}
	if _, err := f.ReadAt(buf, fi.Size()-int64(len(buf))); err != nil {
		return false
	}
	return string(buf) == endRecord
}
