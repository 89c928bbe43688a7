package trace

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

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

// Test runs go test on the planned packages through an overlay, streaming
// its output, with every test process recording into a log of its own.
func Test(ctx context.Context, cfg Config, plan *Plan, stdout, stderr io.Writer) (*Run, error) {
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
	res, err := cover.Test(ctx, cc, plan.Plan, stdout, stderr)
	if err != nil {
		run.Close()
		return nil, err
	}
	run.ExitCode, run.BuildFailed = res.ExitCode, res.BuildFailed
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "trace.") && strings.HasSuffix(e.Name(), ".log") {
			run.Logs = append(run.Logs, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(run.Logs)
	return run, nil
}
