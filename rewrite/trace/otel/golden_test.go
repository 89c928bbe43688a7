package otel_test

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/format"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"text/template"

	"github.com/google/go-cmp/cmp"
	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/internal/golden"
	"github.com/gorewrite/gorewrite/rewrite/trace/otel"
	"golang.org/x/tools/txtar"
)

// TestGolden runs the cases in testdata. Each case's args, one per line:
//
//	remove              run Remove on in.go (default: New)
//	no-round-trip       in.go has spans: Remove does not give it back
//	record-panics, exported, closures, no-line-directives
//	tracer NAME, span-name TEMPLATE, func REGEXP
//
// A New case checks its output (out.go, diff, notes: what the report
// says), that the output is gofmt-clean and type-checks against stubs of
// the OpenTelemetry API, that a second run changes nothing, that Remove
// gives back in.go byte for byte, and that every line of the output that
// is in Remove's result has the number it has there (what the //line
// directives are for). New runs on in.go as the one file of a package, in
// a module whose go.opentelemetry.io/otel is testdata/stubs.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			runCase(t, file)
		})
	}
}

func runCase(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	get := func(name string) ([]byte, bool) {
		for _, f := range ar.Files {
			if f.Name == name {
				return f.Data, true
			}
		}
		return nil, false
	}
	argsData, _ := get("args")
	in, ok := get("in.go")
	if !ok {
		t.Fatal("no in.go")
	}
	var opts otel.Options
	remove, noRoundTrip := false, false
	for _, l := range strings.Split(string(argsData), "\n") {
		k, v, _ := strings.Cut(strings.TrimSpace(l), " ")
		switch k {
		case "":
		case "remove":
			remove = true
		case "no-round-trip": // in.go has spans already
			noRoundTrip = true
		case "record-panics":
			opts.RecordPanics = true
		case "exported":
			opts.Exported = true
		case "closures":
			opts.Closures = true
		case "no-line-directives":
			opts.NoLineDirectives = true
		case "tracer":
			opts.Tracer = v
		case "span-name":
			opts.SpanName = template.Must(template.New("span").Parse(v))
		case "func":
			opts.Func = regexp.MustCompile(v)
		default:
			t.Fatalf("unknown arg %q", l)
		}
	}
	report := new(otel.Report)
	opts.Report = report
	var out []byte
	var errs string
	if remove {
		out, errs = run(t, otel.Remove(report), in)
	} else {
		out, errs = runTyped(t, otel.New(opts), in)
	}
	notes := errs + describe(report)
	diff := rewrite.UnifiedDiff("in.go", in, out)

	if golden.Update() {
		files := []txtar.File{{Name: "args", Data: argsData}, {Name: "in.go", Data: in}}
		if !bytes.Equal(in, out) {
			files = append(files, txtar.File{Name: "out.go", Data: out}, txtar.File{Name: "diff", Data: []byte(diff)})
		}
		if notes != "" {
			files = append(files, txtar.File{Name: "notes", Data: []byte(notes)})
		}
		ar.Files = files
		if err := os.WriteFile(file, txtar.Format(ar), 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, ok := get("out.go")
	if !ok {
		want = in
	}
	if d := cmp.Diff(string(want), string(out)); d != "" {
		t.Errorf("output (-want +got):\n%s", d)
	}
	wantDiff, _ := get("diff")
	if d := cmp.Diff(string(wantDiff), diff); d != "" {
		t.Errorf("diff (-want +got):\n%s", d)
	}
	wantNotes, _ := get("notes")
	if d := cmp.Diff(string(wantNotes), notes); d != "" {
		t.Errorf("notes (-want +got):\n%s", d)
	}
	if formatted, err := format.Source(out); err != nil || !bytes.Equal(formatted, out) {
		t.Errorf("output is not gofmt-clean (err %v)", err)
	}
	if err := typeCheck(out); err != nil {
		t.Errorf("output does not type-check: %v", err)
	}
	if remove || bytes.Equal(in, out) {
		return
	}
	again := new(otel.Report)
	opts.Report = again
	if out2, errs := runTyped(t, otel.New(opts), out); !bytes.Equal(out2, out) || errs != "" {
		t.Errorf("a second run changed the output (errors %q):\n%s", errs, rewrite.UnifiedDiff("out.go", out, out2))
	}
	if n := len(again.Funcs()); n > 0 {
		t.Errorf("a second run instrumented %d functions", n)
	}
	removal := new(otel.Report)
	back, errs := run(t, otel.Remove(removal), out)
	if !opts.NoLineDirectives {
		checkLines(t, out, back)
	}
	if noRoundTrip {
		return
	}
	if !bytes.Equal(back, in) || errs != "" {
		t.Errorf("Remove did not give back the input (errors %q):\n%s", errs, rewrite.UnifiedDiff("in.go", in, back))
	}
	if w := describe(removal); w != "" || removal.Removed() != len(report.Funcs()) {
		t.Errorf("Remove took out %d spans of %d, said:\n%s", removal.Removed(), len(report.Funcs()), w)
	}
}

// runTyped runs rule over src as the file in.go of a package
// example.com/p, in a module whose go.opentelemetry.io/otel is
// testdata/stubs.
func runTyped(t *testing.T, rule *rewrite.Rule, src []byte) ([]byte, string) {
	t.Helper()
	stubs, err := filepath.Abs(filepath.Join("testdata", "stubs"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	mod := "module example.com/p\n\ngo 1.22\n\nrequire go.opentelemetry.io/otel v0.0.0\n\nreplace go.opentelemetry.io/otel => " + stubs + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "in.go"), src, 0o666); err != nil {
		t.Fatal(err)
	}
	out := src
	var b strings.Builder
	err = rewrite.Run(context.Background(), rewrite.Config{Dir: dir}, []*rewrite.Rule{rule}, []string{"."}, func(r *rewrite.FileResult) error {
		for _, e := range r.Errs {
			fmt.Fprintln(&b, strings.ReplaceAll(e.Error(), dir+string(filepath.Separator), ""))
		}
		if r.Changed() {
			out = r.Out
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, b.String()
}

func run(t *testing.T, rule *rewrite.Rule, src []byte) ([]byte, string) {
	t.Helper()
	res, err := rewrite.RunSource(context.Background(), rewrite.Config{}, []*rewrite.Rule{rule}, "in.go", src)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range res.Errs {
		fmt.Fprintln(&b, e)
	}
	if res.Changed() {
		return res.Out, b.String()
	}
	return src, b.String()
}

func describe(r *otel.Report) string {
	var b strings.Builder
	for _, f := range r.Funcs() {
		if len(f.Uncaptured) > 0 {
			fmt.Fprintf(&b, "%d: %s: not recorded: %s\n", f.Pos.Line, f.Func, strings.Join(f.Uncaptured, "; "))
		}
		if f.KeepsContext != "" {
			fmt.Fprintf(&b, "%d: %s: keeps its context: %s\n", f.Pos.Line, f.Func, f.KeepsContext)
		}
	}
	for _, n := range r.Skipped() {
		fmt.Fprintf(&b, "%d: %s: skipped: %s\n", n.Pos.Line, n.Func, n.Msg)
	}
	for _, n := range r.Warnings() {
		fmt.Fprintf(&b, "%d:%d: warning: %s\n", n.Pos.Line, n.Pos.Column, n.Msg)
	}
	return b.String()
}

// typeCheck type-checks a file, importing the OpenTelemetry API from the
// stubs in testdata/stubs and the rest from the standard library.
func typeCheck(src []byte) error {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "out.go", src, 0)
	if err != nil {
		return err
	}
	std := importer.ForCompiler(fset, "gc", nil)
	stubs := map[string]*types.Package{}
	var imp importerFunc
	imp = func(p string) (*types.Package, error) {
		rest, ok := strings.CutPrefix(p, "go.opentelemetry.io/otel")
		if !ok {
			return std.Import(p)
		}
		if pkg := stubs[p]; pkg != nil {
			return pkg, nil
		}
		dir := filepath.Join("testdata", "stubs")
		if rest != "" {
			dir = filepath.Join("testdata", "stubs", path.Base(rest))
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		var syntax []*ast.File
		for _, name := range files {
			sf, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				return nil, err
			}
			syntax = append(syntax, sf)
		}
		conf := types.Config{Importer: imp}
		pkg, err := conf.Check(p, fset, syntax, nil)
		stubs[p] = pkg
		return pkg, err
	}
	conf := types.Config{Importer: imp}
	_, err = conf.Check("example.com/p", fset, []*ast.File{f}, nil)
	return err
}

type importerFunc func(string) (*types.Package, error)

func (f importerFunc) Import(p string) (*types.Package, error) { return f(p) }

// checkLines checks that each line of out that is also in free (out
// without the spans) has the number it has in free once out's //line
// directives are applied: each line after the first directive, which
// follows the imports (the imports the spans add move the lines of the
// import declarations), whose text is in each file once, so that which
// line it is in free is certain.
func checkLines(t *testing.T, out, free []byte) {
	t.Helper()
	fset := token.NewFileSet()
	if _, err := parser.ParseFile(fset, "out.go", out, parser.ParseComments); err != nil {
		t.Fatal(err)
	}
	var tf *token.File
	fset.Iterate(func(f *token.File) bool { tf = f; return false })
	first := bytes.Index(out, []byte("\n//line "))
	if first < 0 {
		return
	}
	lines := func(src []byte) map[string][]int { // text -> line numbers
		m := map[string][]int{}
		for i, l := range strings.Split(string(src), "\n") {
			m[l] = append(m[l], i+1)
		}
		return m
	}
	inFree, inOut := lines(free), lines(out)
	bad := 0
	for text, at := range inOut {
		was := inFree[text]
		if len(at) != 1 || len(was) != 1 || strings.TrimSpace(text) == "" || at[0] > tf.LineCount() {
			continue
		}
		pos := tf.LineStart(at[0])
		if tf.Offset(pos) <= first {
			continue
		}
		if got := tf.PositionFor(pos, true).Line; got != was[0] && bad < 10 {
			t.Errorf("out.go:%d (%q) reports line %d; without the spans it is line %d", at[0], strings.TrimSpace(text), got, was[0])
			bad++
		}
	}
}
