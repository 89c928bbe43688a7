package record

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/gorewrite/gorewrite/rewrite/cover"
	"github.com/gorewrite/gorewrite/rewrite/cover/coverrt/literal"
	"github.com/gorewrite/gorewrite/rewrite/trace"
)

// LogEnv names the log an instrumented process records into; "%p" in it
// is the process id.
const LogEnv = literal.RecordEnv

// SkipRecorded is the go test -skip pattern of the recorded rows: subtests
// named "recorded N".
const SkipRecorded = "/^recorded_[0-9]+$"

// Config says which packages' tests to run, with which build, and which
// functions to record.
type Config struct {
	cover.Config
	trace.Selection
	// Runs is how many times the tests run (default 2): a call whose
	// results differ between runs for the same inputs is dropped.
	Runs int
}

// A Result is what the test runs gave.
type Result struct {
	// Funcs is the number of functions that got hooks.
	Funcs int
	// ExitCode is the first failed run's go test exit code (0: all
	// passed); BuildFailed says a package did not build.
	ExitCode    int
	BuildFailed bool
	Calls       *Calls
}

// Prepare adds the recorder's hooks to cfg's packages, and returns the
// plan (for cover.Test, or WriteOverlay for any go build) and the number of
// functions that got hooks.
func Prepare(ctx context.Context, cfg Config) (*cover.Plan, int, error) {
	in := &Instrumenter{Selection: cfg.Selection}
	cc := cfg.Config
	// Branch probes, counting: the recorder notes which outcomes of the
	// function's file each call took (Record.Branches).
	cc.NoCounters, cc.Branch, cc.Mode = false, true, cover.Atomic
	cc.Inject = in.Injector
	plan, err := cover.Prepare(ctx, cc)
	if err != nil {
		return nil, 0, err
	}
	if len(plan.Errs) > 0 {
		return nil, 0, plan.Errs[0]
	}
	return plan, in.Funcs(), nil
}

// Record runs the tests of cfg's packages cfg.Runs times with the
// recorder's hooks added through an overlay, and reads back the calls.
// go test's output goes to out.
func Record(ctx context.Context, cfg Config, out io.Writer) (*Result, error) {
	plan, funcs, err := Prepare(ctx, cfg)
	if err != nil {
		return nil, err
	}
	cc := cfg.Config
	// The rows recorded before are not run: their calls are in tables
	// already, and the calls they make would be new only because they
	// were written (a second --record -w must change nothing). A -skip
	// of the user's, later on the command line, wins.
	cc.GoFlags = append([]string{"-skip", SkipRecorded}, cc.GoFlags...)
	res := &Result{Funcs: funcs}
	runs := cfg.Runs
	if runs <= 0 {
		runs = 2
	}
	dir, err := os.MkdirTemp("", "gorewrite-record-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var logs [][]string
	for i := range runs {
		env := cc.Env
		if env == nil {
			env = os.Environ()
		}
		pattern := filepath.Join(dir, fmt.Sprintf("run%d.%%p.jsonl", i))
		run := cc
		run.Env = append(slices.Clone(env), LogEnv+"="+pattern)
		tr, err := cover.Test(ctx, run, plan, out, out)
		if err != nil {
			return nil, err
		}
		if tr.BuildFailed {
			res.BuildFailed, res.ExitCode = true, tr.ExitCode
			return res, nil
		}
		if tr.ExitCode != 0 && res.ExitCode == 0 {
			res.ExitCode = tr.ExitCode
		}
		names, _ := filepath.Glob(filepath.Join(dir, fmt.Sprintf("run%d.*.jsonl", i)))
		slices.Sort(names)
		logs = append(logs, names)
	}
	res.Calls, err = ReadRuns(logs)
	return res, err
}
