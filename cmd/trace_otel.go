package cmd

import (
	"context"
	"fmt"
	goversion "go/version"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/trace/otel"
	"golang.org/x/mod/semver"
)

// otelFlags are trace's flags for spans written into the source.
type otelFlags struct {
	otel, remove, write, get bool
	tracer, spanName         string
	recordPanics, noLineDirs bool
}

const otelLong = `

With --otel, trace writes OpenTelemetry spans into the source instead, as a
change you review like any other: every selected function with a
context.Context parameter (a blank or unnamed one gets a name) starts a span
and ends it, recording each error result that is not nil when it returns
(results get names where they had none), and with --record-panics a panic:

  func (s *Store) Get(ctx context.Context, key string) (_ string, err error) {
  	ctx, span := otel.Tracer("example.com/store").Start(ctx, "Store.Get") //gorewrite:trace named=results
  	defer func() { //gorewrite:trace
  		if err != nil {
  			span.RecordError(err)
  			span.SetStatus(codes.Error, err.Error())
  		}
  		span.End()
  	}()
  //line :42:1
  	...

A function that stores, returns or attaches its context (or passes it to one
of its package that does) keeps the caller's: "_, span := ...". The //line
directive gives the next line its old number (and keeps the file name), so
panics, logs and go vet report the lines they always did; a new run fixes
the directives that edits above them made wrong. -d shows
the change, -l lists the files, -w writes them, --json prints the edits. A
second run changes nothing. --remove takes out exactly what --otel wrote
(a span edited by hand stays, with a warning), so that a file nobody else
changed comes back byte for byte, and imports nothing uses go.`

func (f *otelFlags) register(fl interface {
	BoolVar(*bool, string, bool, string)
	BoolVarP(*bool, string, string, bool, string)
	StringVar(*string, string, string, string)
}) {
	fl.BoolVar(&f.otel, "otel", false, "write OpenTelemetry spans into the source of functions with a context.Context parameter")
	fl.BoolVar(&f.remove, "remove", false, "take out the spans --otel wrote")
	fl.BoolVarP(&f.write, "write", "w", false, "with --otel or --remove: write the changes to the files, atomically")
	fl.BoolVar(&f.get, "get", false, "with --otel -w: run the go get that adds OpenTelemetry to go.mod when it is missing")
	fl.StringVar(&f.tracer, "tracer", "", "with --otel: the tracer's name (default: the package's import path)")
	fl.StringVar(&f.spanName, "span-name", "", "with --otel: a text/template for span names, from .Path .Pkg .Recv .Func .Name (default {{.Name}}: Recv.Func)")
	fl.BoolVar(&f.recordPanics, "record-panics", false, "with --otel: record a panic on the span, then panic again")
	fl.BoolVar(&f.noLineDirs, "no-line-directives", false, "with --otel: no //line directives (the lines after each span move down)")
}

// runOtel writes spans into the source, or takes them out.
func (a *app) runOtel(ctx context.Context, f *traceFlags, pkgs, goFlags []string) error {
	o := &f.otel
	switch {
	case o.otel && o.remove:
		return usagef("--otel and --remove exclude each other")
	case len(goFlags) > 0:
		return usagef("--otel and --remove run no tests: no go test flags after --")
	case f.overlay != "" || f.output.timeline != "" || f.output.pprof != "":
		return usagef("--overlay, --timeline and --pprof go with tracing tests, not with --otel or --remove")
	case o.get && (!o.write || o.remove):
		return usagef("--get goes with --otel -w")
	case o.remove && (o.tracer != "" || o.spanName != "" || o.recordPanics || o.noLineDirs):
		return usagef("--tracer, --span-name, --record-panics and --no-line-directives go with --otel")
	case o.remove && (f.funcRE != "" || f.exported || f.closures):
		return usagef("--remove takes out every span of the packages: --func, --exported and --closures go with --otel")
	}
	report := new(otel.Report)
	var rule *rewrite.Rule
	if o.remove {
		rule = otel.Remove(report)
	} else {
		opts := otel.Options{Tracer: o.tracer, RecordPanics: o.recordPanics, NoLineDirectives: o.noLineDirs, Report: report}
		opts.Exported, opts.Closures = f.exported, f.closures
		if f.funcRE != "" {
			re, err := regexp.Compile(f.funcRE)
			if err != nil {
				return usagef("--func: %v", err)
			}
			opts.Func = re
		}
		if o.spanName != "" {
			t, err := template.New("span-name").Option("missingkey=error").Parse(o.spanName)
			if err == nil {
				err = t.Execute(&strings.Builder{}, otel.SpanName{})
			}
			if err != nil {
				return usagef("--span-name: %v", err)
			}
			opts.SpanName = t
		}
		rule = otel.New(opts)
	}
	if len(pkgs) == 0 {
		pkgs = []string{"./..."}
	}
	out := outputFlags{diff: f.diff, list: f.list, write: o.write, json: f.output.json, tags: f.tags, includeGenerated: f.includeGenerated}
	st, runErr := a.runRules(ctx, []*rewrite.Rule{rule}, pkgs, &out)
	if runErr != nil && runErr != errFailed {
		return runErr
	}
	for _, w := range report.Warnings() {
		fmt.Fprintf(a.stderr, "%s: warning: %s\n", a.relPos(w.Pos), w.Msg)
	}
	if o.remove {
		fmt.Fprintf(a.stderr, "gorewrite: %s taken out (files changed: %d)\n", count(report.Removed(), "span", "spans"), st.changed)
		return runErr
	}
	a.otelSummary(report, st)
	if len(report.Funcs()) > 0 && runErr == nil {
		if err := a.otelRequirement(ctx, o); err != nil {
			return err
		}
	}
	return runErr
}

func (a *app) relPos(p fmt.Stringer) string {
	return rewrite.RelPath(a.dir, p.String())
}

// otelSummary says what --otel did: the functions, the error results
// recorded and the ones that could not be, and the functions left alone.
func (a *app) otelSummary(report *otel.Report, st runStats) {
	funcs := report.Funcs()
	recorded, missed := 0, 0
	for _, fn := range funcs {
		recorded += fn.Errors
		missed += len(fn.Uncaptured)
		for _, why := range fn.Uncaptured {
			fmt.Fprintf(a.stderr, "%s: %s: error result not recorded: %s\n", a.relPos(fn.Pos), fn.Func, why)
		}
	}
	kept := 0
	for _, fn := range funcs {
		if fn.KeepsContext != "" {
			kept++
			fmt.Fprintf(a.stderr, "%s: %s: keeps the caller's context (%s): its callees' spans are not children of its span\n", a.relPos(fn.Pos), fn.Func, fn.KeepsContext)
		}
	}
	already := 0
	for _, n := range report.Skipped() {
		if n.Msg == otel.AlreadyInstrumented {
			already++
			continue
		}
		fmt.Fprintf(a.stderr, "%s: %s: no span: %s\n", a.relPos(n.Pos), n.Func, n.Msg)
	}
	msg := fmt.Sprintf("gorewrite: %s a span (files changed: %d); %s recorded", count(len(funcs), "function gets", "functions get"), st.changed, count(recorded, "error result", "error results"))
	if missed > 0 {
		msg += fmt.Sprintf(", %d could not be", missed)
	}
	if kept > 0 {
		msg += "; " + count(kept, "keeps", "keep") + " the caller's context"
	}
	if already > 0 {
		msg += "; " + count(already, "has", "have") + " one already"
	}
	fmt.Fprintln(a.stderr, msg)
}

// otelRequirement checks that the main module requires OpenTelemetry,
// which the spans import, and says how to add it (or, with --get, does).
func (a *app) otelRequirement(ctx context.Context, o *otelFlags) error {
	mods := []string{"go.opentelemetry.io/otel"}
	if o.recordPanics {
		mods = append(mods, "go.opentelemetry.io/otel/trace")
	}
	var missing []string
	for _, m := range mods {
		cmd := exec.CommandContext(ctx, "go", "list", "-m", m)
		cmd.Dir = a.dir
		if err := cmd.Run(); err != nil {
			missing = append(missing, m)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	names := strings.Join(missing, " and ")
	if v := a.otelVersion(ctx); v != "" {
		for i := range missing {
			missing[i] += "@" + v
		}
	}
	// go get alone leaves go.sum without the entries the tests of the
	// module's packages may need when it upgrades a dependency: tidy.
	get := "go get " + strings.Join(missing, " ") + " && go mod tidy"
	if !o.get {
		fmt.Fprintf(a.stderr, "gorewrite: the module does not require %s, which the spans import; add it with:\n\t%s\n", names, get)
		return nil
	}
	before := a.goDirective(ctx)
	fmt.Fprintf(a.stderr, "gorewrite: %s\n", get)
	for _, args := range [][]string{append([]string{"get"}, missing...), {"mod", "tidy"}} {
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir, cmd.Stdout, cmd.Stderr = a.dir, a.stderr, a.stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(a.stderr, "gorewrite: go %s failed: %v\n", strings.Join(args, " "), err)
			return errFailed
		}
	}
	if after := a.goDirective(ctx); before != "" && after != before {
		fmt.Fprintf(a.stderr, "gorewrite: warning: go.mod's go directive went from %s to %s: OpenTelemetry or what it requires needs it (and go vet checks more for newer versions)\n", before, after)
	}
	return nil
}

// goDirective returns the main module's go version, or "".
func (a *app) goDirective(ctx context.Context) string {
	cmd := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.GoVersion}}")
	cmd.Dir = a.dir
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// otelVersion returns the version of OpenTelemetry to add: the one the
// module requires already (otel/trace must match it), else the newest
// whose go.mod asks for no newer Go than the module's, so that adding it
// does not raise the module's go directive; "" when that cannot be told
// (the go command's default, the latest, then).
func (a *app) otelVersion(ctx context.Context) string {
	goList := func(args ...string) string {
		cmd := exec.CommandContext(ctx, "go", append([]string{"list", "-m"}, args...)...)
		cmd.Dir = a.dir
		out, err := cmd.Output()
		if err != nil {
			return ""
		}
		return strings.TrimSpace(string(out))
	}
	if v := goList("-f", "{{.Version}}", "go.opentelemetry.io/otel"); v != "" {
		return v
	}
	goVer := a.goDirective(ctx)
	fields := strings.Fields(goList("-versions", "go.opentelemetry.io/otel"))
	if goVer == "" || len(fields) < 2 {
		return ""
	}
	var versions []string
	for _, v := range fields[1:] {
		if semver.Prerelease(v) == "" && semver.IsValid(v) {
			versions = append(versions, v)
		}
	}
	semver.Sort(versions)
	fits := func(v string) bool {
		need := goList("-f", "{{.GoVersion}}", "go.opentelemetry.io/otel@"+v)
		return need != "" && goversion.Compare("go"+need, "go"+goVer) <= 0
	}
	// Newer versions need newer Go: search for the last that fits.
	i := sort.Search(len(versions), func(i int) bool { return !fits(versions[i]) })
	if i == 0 || i == len(versions) {
		return "" // none fits, or the latest does
	}
	return versions[i-1]
}

// count says "1 one" or "N many".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
