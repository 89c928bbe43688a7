package otel_test

import (
	"bytes"
	"context"
	"flag"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/internal/stdcopy"
	"github.com/gorewrite/gorewrite/rewrite/trace"
	"github.com/gorewrite/gorewrite/rewrite/trace/otel"
)

// TestStdCorpus writes spans into copies of standard-library packages that
// pass contexts around, code nobody here wrote: the copies are vet-clean
// and their tests pass with the spans in, a second run changes nothing,
// and Remove gives back every file byte for byte.
func TestStdCorpus(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	// database/sql's tests need internal packages: it is built, not
	// tested.
	dir, patterns := stdcopy.Module(t, "database/sql", "net/http/fcgi", "testing/slogtest")
	// The module requires OpenTelemetry as testdata/sdkmod does.
	mod, err := os.ReadFile(filepath.Join("testdata", "sdkmod", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	mod = bytes.Replace(mod, []byte("module example.com/shop"), []byte("module stdcopy"), 1)
	sum, err := os.ReadFile(filepath.Join("testdata", "sdkmod", "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), mod, 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o666); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, dir)

	report := new(otel.Report)
	changed := runRules(t, dir, patterns, otel.New(otel.Options{Selection: trace.Selection{Closures: true}, RecordPanics: true, Report: report}))
	funcs, errs, missed := report.Funcs(), 0, 0
	for _, f := range funcs {
		errs += f.Errors
		missed += len(f.Uncaptured)
	}
	t.Logf("%d functions in %d files get spans; %d error results recorded, %d not; %d skipped", len(funcs), len(changed), errs, missed, len(report.Skipped()))
	if len(funcs) < 50 || errs < 30 {
		t.Errorf("only %d functions, %d error results", len(funcs), errs)
	}
	for _, args := range [][]string{{"build", patterns[0]}, {"vet", patterns[1], patterns[2]}, {"test", "-short", "-count=1", patterns[1], patterns[2]}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	if again := runRules(t, dir, patterns, otel.New(otel.Options{Selection: trace.Selection{Closures: true}, RecordPanics: true})); len(again) > 0 {
		t.Errorf("a second run changed %v", again)
	}
	removal := new(otel.Report)
	runRules(t, dir, patterns, otel.Remove(removal))
	if w := removal.Warnings(); len(w) > 0 || removal.Removed() != len(funcs) {
		t.Errorf("Remove took out %d spans of %d, warned %v", removal.Removed(), len(funcs), w)
	}
	after := readTree(t, dir)
	for name, data := range before {
		if !bytes.Equal(after[name], data) {
			t.Errorf("%s: not given back byte for byte:\n%s", name, diffText(name, data, after[name]))
		}
	}
}

var allStd = flag.Bool("allstd", false, "round-trip every package of the standard library, not a slice")

// stdSlice are standard-library packages that pass contexts around, with
// methods, closures and one-line functions: the slice go test runs.
var stdSlice = []string{"net/http", "net/http/httputil", "database/sql", "os/exec", "log/slog", "net", "context", "crypto/tls"}

// TestStdRoundTrip writes spans (closures and panics too) into standard
// library packages, in memory: every file comes out gofmt-clean with each
// line numbered as before, and Remove gives it back byte for byte, with no
// warning.
func TestStdRoundTrip(t *testing.T) {
	pats := stdSlice
	if *allStd {
		pats = []string{"std"}
	}
	src := filepath.Join(runtime.GOROOT(), "src")
	report := new(otel.Report)
	rule := otel.New(otel.Options{Selection: trace.Selection{Closures: true}, RecordPanics: true, Report: report})
	files := 0
	err := rewrite.Run(context.Background(), rewrite.Config{Dir: src}, []*rewrite.Rule{rule}, pats, func(r *rewrite.FileResult) error {
		for _, e := range r.Errs {
			t.Errorf("%v", e)
		}
		if !r.Changed() {
			return nil
		}
		files++
		if formatted, err := format.Source(r.Out); err != nil || !bytes.Equal(formatted, r.Out) {
			t.Errorf("%s: not gofmt-clean (%v)", r.Filename, err)
		}
		removal := new(otel.Report)
		back, errs := run(t, otel.Remove(removal), r.Out)
		if !bytes.Equal(back, r.Src) || errs != "" {
			t.Errorf("%s: Remove did not give it back (%s):\n%s", r.Filename, errs, diffText(r.Filename, r.Src, back))
		}
		if w := removal.Warnings(); len(w) > 0 {
			t.Errorf("%s: Remove warned: %v", r.Filename, w)
		}
		checkLines(t, r.Out, r.Src)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	funcs, errs := report.Funcs(), 0
	for _, f := range funcs {
		errs += f.Errors
	}
	t.Logf("%d functions in %d files, %d error results recorded, %d skipped", len(funcs), files, errs, len(report.Skipped()))
	if len(funcs) < 200 {
		t.Errorf("only %d functions", len(funcs))
	}
}
