package cmd

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"runtime"
	"sync"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/cover"
	"github.com/gorewrite/gorewrite/rewrite/trace"
	"github.com/gorewrite/gorewrite/rewrite/trace/tracelog"
	"github.com/spf13/cobra"
)

type traceFlags struct {
	output             traceOutputs
	overlay, funcRE    string
	tags               []string
	diff, list         bool
	exported, closures bool
	includeGenerated   bool
	otel               otelFlags
}

// traceOutputs are what a log is turned into.
type traceOutputs struct {
	timeline, pprof string
	json            bool
	top, maxEvents  int
}

func (o *traceOutputs) register(c *cobra.Command) {
	fl := c.Flags()
	fl.StringVar(&o.timeline, "timeline", "", "write a timeline (Chrome Trace Event JSON, for Perfetto or chrome://tracing) to this file")
	fl.StringVar(&o.pprof, "pprof", "", "write a pprof profile (calls, wall time) to this file, for go tool pprof")
	fl.BoolVar(&o.json, "json", false, "print the summary as JSON")
	fl.IntVar(&o.top, "top", 20, "how many functions the summary lists (0: all)")
	fl.IntVar(&o.maxEvents, "max-events", 200000, "keep at most this many calls in the timeline (the longest), so that it opens")
}

func (a *app) traceCommand() *cobra.Command {
	var f traceFlags
	c := &cobra.Command{
		Use:   "trace [flags] [packages] [-- go test flags]",
		Short: "Time every call of the packages' functions in their tests, or in any binary",
		Long: `Trace adds entry and exit hooks to every function of the packages (default
./..., the packages of the main module) and runs go test on them through a
build overlay: your files are never written. Each call is recorded: its
function, goroutine, start and end, and whether it panicked. Then it prints the
functions that took the most time (self time: not counting the traced
functions they called), and writes what the flags ask for:

  --timeline FILE   every call on a track per goroutine, the running test
                    shown on each, goroutines linked to the ones that
                    started them; open it in https://ui.perfetto.dev
  --pprof FILE      calls and wall time by traced call stack, for
                    go tool pprof -top / -http (a flame graph)
  --json            the summary as JSON

The hook is one statement on the line of the function's opening brace,

  func (s *Server) Handle(r *Request) error {defer RT.Leave(RT.Enter(12));

so panics, runtime.Caller and stack traces report the lines they always do;
-d shows every hook as a diff. Panics go on unchanged (the call is marked as
one that panicked), recover works as before, and runtime.Goexit and
t.FailNow end the calls they unwind.

With --overlay DIR nothing is run: the instrumented files and DIR/overlay.json
are written, for any go build:

  go build -overlay DIR/overlay.json -o app ./cmd/app
  GOREWRITE_TRACE=trace.log ./app
  gorewrite trace report trace.log --timeline app.json

Such a binary records only when GOREWRITE_TRACE names a file ("%p" in it
becomes the process id); otherwise the hooks cost a few nanoseconds a call.
It writes the log when main returns or panics, when instrumented code calls
os.Exit or log.Fatal, and on SIGINT or SIGTERM.

Not traced: generated files (unless --include-generated), init functions,
functions without a body, //go:nosplit functions, //go:linkname targets, and
functions or files marked //gorewrite:ignore; packages outside the main
module (or workspace) are named in a warning.` + otelLong,
		Example: `  gorewrite trace ./...
  gorewrite trace --timeline trace.json --pprof trace.pprof ./internal/parser -- -run TestParse
  gorewrite trace --func 'Parse|Lex' --closures ./...
  gorewrite trace -d ./internal/parser
  gorewrite trace --overlay /tmp/tr ./... && go build -overlay /tmp/tr/overlay.json ./cmd/app
  gorewrite trace --otel -d ./internal/store
  gorewrite trace --otel --record-panics --get -w ./...
  gorewrite trace --remove -w ./...`,
		RunE: func(cmd *cobra.Command, args []string) error {
			pkgs, goFlags := args, []string(nil)
			if dash := cmd.ArgsLenAtDash(); dash >= 0 {
				pkgs, goFlags = args[:dash], args[dash:]
			}
			return a.runTrace(cmd.Context(), &f, pkgs, goFlags)
		},
	}
	f.output.register(c)
	fl := c.Flags()
	fl.StringVar(&f.overlay, "overlay", "", "only instrument: write the files and DIR/overlay.json for go build -overlay")
	fl.BoolVarP(&f.diff, "diff", "d", false, "print the hooks as a diff instead of running tests")
	fl.BoolVarP(&f.list, "list", "l", false, "print the names of the files instrumentation changes or adds")
	fl.StringVar(&f.funcRE, "func", "", "trace only the functions this regular expression matches, spelled importpath.Recv.Func")
	fl.BoolVar(&f.exported, "exported", false, "trace exported functions and methods only")
	fl.BoolVar(&f.closures, "closures", false, "trace function literals too (named Outer.func1, as the runtime names them)")
	fl.StringSliceVar(&f.tags, "tags", nil, "comma-separated build tags, as for go build -tags")
	fl.BoolVar(&f.includeGenerated, "include-generated", false, "trace functions of generated files too")
	f.otel.register(fl)
	c.AddCommand(a.traceReportCommand())
	return c
}

func (a *app) runTrace(ctx context.Context, f *traceFlags, pkgs, goFlags []string) error {
	if f.otel.otel || f.otel.remove {
		return a.runOtel(ctx, f, pkgs, goFlags)
	}
	if o := f.otel; o.write || o.get || o.tracer != "" || o.spanName != "" || o.recordPanics || o.noLineDirs {
		return usagef("-w, --get, --tracer, --span-name, --record-panics and --no-line-directives go with --otel (or -w with --remove)")
	}
	for _, bad := range []string{"cover", "covermode", "coverpkg", "coverprofile", "overlay", "c", "n", "C"} {
		if hasGoFlag(goFlags, bad) {
			return usagef("go test flag -%s: gorewrite trace sets it itself or cannot run with it (for a build with hooks, use --overlay)", bad)
		}
	}
	if f.overlay != "" && (f.diff || f.list) {
		return usagef("--overlay and -d/-l exclude each other")
	}
	if err := f.output.check(); err != nil {
		return err
	}
	var sel trace.Selection
	if f.funcRE != "" {
		re, err := regexp.Compile(f.funcRE)
		if err != nil {
			return usagef("--func: %v", err)
		}
		sel.Func = re
	}
	sel.Exported, sel.Closures = f.exported, f.closures
	goFlags, err := a.testArgs(pkgs, f.tags, goFlags)
	if err != nil {
		return err
	}
	cfg := trace.Config{
		Config: cover.Config{
			Dir:      a.dir,
			Options:  cover.Options{IncludeGenerated: f.includeGenerated},
			Patterns: pkgs, GoFlags: goFlags,
			Binaries: f.overlay != "",
		},
		Selection: sel,
	}
	plan, err := trace.Prepare(ctx, cfg)
	if err != nil {
		return err
	}
	a.printPlanProblems(plan.Warnings, plan.Errs)
	failed := len(plan.Errs) > 0
	switch {
	case f.diff || f.list:
		a.printPlan(plan.Plan, f.diff)
	case f.overlay != "":
		name, err := plan.WriteOverlay(f.overlay)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "gorewrite: %d functions in %d packages get hooks; build with -overlay %s and run with %s=FILE\n",
			len(plan.Funcs), len(plan.Packages), rewrite.RelPath(a.dir, name), trace.LogEnv)
	default:
		return a.testTrace(ctx, cfg, plan, f)
	}
	if failed {
		return errFailed
	}
	return nil
}

func (o *traceOutputs) check() error {
	if o.top < 0 {
		return usagef("--top must be 0 or more")
	}
	if o.maxEvents <= 0 {
		return usagef("--max-events must be more than 0")
	}
	return nil
}

// testTrace runs the tests and reports their log. go test's output goes to
// stderr: stdout is the summary's.
func (a *app) testTrace(ctx context.Context, cfg trace.Config, plan *trace.Plan, f *traceFlags) error {
	if len(plan.Funcs) == 0 {
		fmt.Fprintln(a.stderr, "gorewrite: no function matched: nothing to trace")
	}
	// Each log is read and summed up as soon as it is whole, while other
	// packages' tests may still run.
	var logs readLogs
	run, err := trace.Test(ctx, cfg, plan, a.stderr, a.stderr, logs.read)
	logs.wg.Wait()
	if err != nil {
		return err
	}
	defer run.Close()
	if run.BuildFailed {
		fmt.Fprintln(a.stderr, "gorewrite: a package did not build: no trace")
		return exitCode(max(run.ExitCode, 1))
	}
	if len(run.Logs) == 0 {
		if run.ExitCode != 0 {
			fmt.Fprintln(a.stderr, "gorewrite: go test failed before any test ran: no trace")
			return exitCode(run.ExitCode)
		}
		fmt.Fprintln(a.stderr, "gorewrite: no test binary ran (no package has tests): no trace")
		return nil
	}
	log, err := logs.log(run.Logs)
	if err != nil {
		return err
	}
	if err := a.reportTrace(log, &f.output); err != nil {
		return err
	}
	if run.ExitCode != 0 {
		return exitCode(run.ExitCode)
	}
	return nil
}

// reportTrace prints the summary and writes the files asked for.
func (a *app) reportTrace(log *tracelog.Log, o *traceOutputs) error {
	stats := log.Stats()
	var dropped, invalid uint64
	truncated := 0
	for _, p := range log.Processes {
		dropped += p.Dropped
		invalid += p.Invalid
		if p.Truncated {
			truncated++
		}
	}
	if truncated > 0 {
		fmt.Fprintf(a.stderr, "gorewrite: %d of %d logs end in the middle of a record (a process died while writing it): what came before is reported\n", truncated, len(log.Processes))
	}
	if dropped > 0 {
		fmt.Fprintf(a.stderr, "gorewrite: %d calls not recorded: a process reached its limit (GOREWRITE_TRACE_MAX)\n", dropped)
	}
	if invalid > 0 {
		fmt.Fprintf(a.stderr, "gorewrite: %d damaged records skipped\n", invalid)
	}
	if o.json {
		if err := tracelog.WriteJSON(a.stdout, stats, log); err != nil {
			return err
		}
	} else if err := tracelog.WriteSummary(a.stdout, stats, o.top); err != nil {
		return err
	}
	if o.pprof != "" {
		var buf bytes.Buffer
		if err := tracelog.WritePprof(&buf, log); err != nil {
			return err
		}
		if err := a.writeTraceFile(o.pprof, buf.Bytes()); err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "gorewrite: profile in %s (go tool pprof -http=: %s)\n", o.pprof, o.pprof)
	}
	if o.timeline != "" {
		var buf bytes.Buffer
		written, cut, err := tracelog.WriteTimeline(&buf, log, o.maxEvents)
		if err != nil {
			return err
		}
		if err := a.writeTraceFile(o.timeline, buf.Bytes()); err != nil {
			return err
		}
		note := ""
		if cut > 0 {
			note = fmt.Sprintf("; %d shorter ones left out (--max-events)", cut)
		}
		fmt.Fprintf(a.stderr, "gorewrite: timeline in %s: %d events%s (open it in https://ui.perfetto.dev)\n", o.timeline, written, note)
	}
	return nil
}

func (a *app) writeTraceFile(name string, data []byte) error {
	if !filepath.IsAbs(name) {
		name = filepath.Join(a.dir, name)
	}
	if err := writeOutput(name, data); err != nil {
		a.printError(rewrite.WriteError(name, err))
		return errFailed
	}
	return nil
}

func (a *app) traceReportCommand() *cobra.Command {
	var o traceOutputs
	c := &cobra.Command{
		Use:   "report LOG... [--timeline FILE] [--pprof FILE] [--json]",
		Short: "Report the log a binary built with gorewrite trace --overlay wrote",
		Long: `Report reads the logs that binaries built with gorewrite trace --overlay wrote
(GOREWRITE_TRACE=FILE) and prints the summary, or writes a timeline or a pprof
profile, as gorewrite trace does after the tests. Several logs (processes)
go into one report.`,
		Args: minArgs(1, "a log file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.check(); err != nil {
				return err
			}
			names := make([]string, len(args))
			for i, n := range args {
				if !filepath.IsAbs(n) {
					n = filepath.Join(a.dir, n)
				}
				names[i] = n
			}
			log, err := tracelog.ReadFiles(names...)
			if err != nil {
				return err
			}
			return a.reportTrace(log, &o)
		},
	}
	o.register(c)
	return c
}

// readLogs reads logs in the background, GOMAXPROCS at a time, and sums
// up each process (Process.Summarize).
type readLogs struct {
	wg   sync.WaitGroup
	mu   sync.Mutex
	sem  chan struct{}
	logs map[string]*tracelog.Log
	errs map[string]error
}

func (r *readLogs) read(name string) {
	r.mu.Lock()
	if r.sem == nil {
		r.sem = make(chan struct{}, runtime.GOMAXPROCS(0))
		r.logs, r.errs = map[string]*tracelog.Log{}, map[string]error{}
	}
	r.mu.Unlock()
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		r.sem <- struct{}{}
		defer func() { <-r.sem }()
		log, err := tracelog.ReadFiles(name)
		if err == nil {
			for _, p := range log.Processes {
				p.Summarize()
			}
		}
		r.mu.Lock()
		r.logs[name], r.errs[name] = log, err
		r.mu.Unlock()
	}()
}

// log returns the logs read, as one, in the order of names (after wg.Wait).
func (r *readLogs) log(names []string) (*tracelog.Log, error) {
	all := &tracelog.Log{}
	for _, name := range names {
		if err := r.errs[name]; err != nil {
			return nil, err
		}
		l := r.logs[name]
		if l == nil {
			return nil, fmt.Errorf("%s: not read", name)
		}
		all.Processes = append(all.Processes, l.Processes...)
	}
	return all, nil
}
