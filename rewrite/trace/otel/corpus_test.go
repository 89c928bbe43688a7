package otel_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

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
