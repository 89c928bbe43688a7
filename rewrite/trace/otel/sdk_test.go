package otel_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/trace/otel"
)

// TestSDK writes spans into testdata/sdkmod, whose tests check them with
// the real OpenTelemetry SDK and an in-memory exporter: names, parents,
// error status for named and unnamed results, nothing for nil errors, the
// panic record, and runtime.Caller's line. Without the spans those tests
// fail; with them the module is vet-clean and they pass. Then a second run
// changes nothing, and Remove gives back every file byte for byte.
func TestSDK(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "sdkmod"))); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, dir)

	report := new(otel.Report)
	changed := runRule(t, dir, otel.New(otel.Options{RecordPanics: true, Report: report}))
	if len(changed) != 1 {
		t.Fatalf("changed %v, want shop/shop.go only", changed)
	}
	funcs := report.Funcs()
	var names []string
	errs := 0
	for _, f := range funcs {
		names = append(names, f.Span)
		errs += f.Errors
	}
	if got, want := strings.Join(names, " "), "Shop.Buy Shop.Reserve Shop.Charge Audit Where Track"; got != want {
		t.Errorf("spans %s, want %s", got, want)
	}
	if errs != 3 {
		t.Errorf("%d error results recorded, want 3", errs)
	}
	for _, args := range [][]string{{"vet", "./..."}, {"test", "-count=1", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			shop, _ := os.ReadFile(filepath.Join(dir, "shop", "shop.go"))
			t.Fatalf("go %s: %v\n%s\nshop.go:\n%s", strings.Join(args, " "), err, out, shop)
		}
	}

	if again := runRule(t, dir, otel.New(otel.Options{RecordPanics: true})); len(again) > 0 {
		t.Errorf("a second run changed %v", again)
	}
	checkShopLines(t, dir)

	// Lines added above the spans, and a function: the next run gives the
	// directives their right numbers again, and the function its span.
	shop := filepath.Join(dir, "shop", "shop.go")
	src, err := os.ReadFile(shop)
	if err != nil {
		t.Fatal(err)
	}
	edited := bytes.Replace(src, []byte("// Buy calls"), []byte("// Two lines added\n// after the spans were written.\n\n// Buy calls"), 1)
	edited = append(edited, "\n// Added is new.\nfunc Added(ctx context.Context) error { return nil }\n"...)
	if err := os.WriteFile(shop, edited, 0o666); err != nil {
		t.Fatal(err)
	}
	if again := runRule(t, dir, otel.New(otel.Options{RecordPanics: true})); len(again) != 1 {
		t.Errorf("after an edit, a run changed %v", again)
	}
	checkShopLines(t, dir)
	if err := os.WriteFile(shop, src, 0o666); err != nil {
		t.Fatal(err)
	}
	removal := new(otel.Report)
	runRule(t, dir, otel.Remove(removal))
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

// runRule runs rule over the module in dir, writes what changed and
// returns the names of the files changed, relative to dir.
func runRule(t *testing.T, dir string, rule *rewrite.Rule) []string {
	t.Helper()
	return runRules(t, dir, []string{"./..."}, rule)
}

// runRules is runRule on the packages patterns match.
func runRules(t *testing.T, dir string, patterns []string, rule *rewrite.Rule) []string {
	t.Helper()
	var changed []string
	err := rewrite.Run(context.Background(), rewrite.Config{Dir: dir}, []*rewrite.Rule{rule}, patterns, func(r *rewrite.FileResult) error {
		for _, e := range r.Errs {
			t.Errorf("%v", e)
		}
		if r.Changed() {
			rel, _ := filepath.Rel(dir, r.Filename)
			changed = append(changed, filepath.ToSlash(rel))
			return rewrite.WriteFile(r.Filename, r.Src, r.Out)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return changed
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		out[path] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func diffText(name string, old, new []byte) string {
	return rewrite.UnifiedDiff(name, old, new)
}

// checkShopLines checks the line numbers of shop.go (see checkLines).
func checkShopLines(t *testing.T, dir string) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, "shop", "shop.go"))
	if err != nil {
		t.Fatal(err)
	}
	free, errs := run(t, otel.Remove(nil), src)
	if errs != "" {
		t.Fatal(errs)
	}
	checkLines(t, src, free)
}
