// Package golden runs golden tests of rewrite rules. Each case is a txtar
// archive under a package's testdata directory:
//
//	-- args --        the rule's arguments, one per line (what the CLI takes)
//	-- in.go --       the input file
//	-- out.go --      the expected output; absent when nothing changes
//	-- diff --        the expected unified diff of the change
//	-- errors --      the expected errors, one per line (optional)
//
// Run with -update to rewrite the expectations from the actual results.
package golden

import (
	"bytes"
	"context"
	"flag"
	"go/ast"
	"go/format"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gorewrite/gorewrite/rewrite"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite golden files from the actual results")

// RuleFunc builds the rules a case runs from its args lines.
type RuleFunc func(args []string) ([]*rewrite.Rule, error)

// Run runs every testdata/*.txtar case of the calling package.
func Run(t *testing.T, rules RuleFunc) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no golden cases in testdata")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			runCase(t, file, rules)
		})
	}
}

func runCase(t *testing.T, file string, rules RuleFunc) {
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
	var args []string
	for _, l := range strings.Split(strings.TrimSpace(string(argsData)), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			args = append(args, l)
		}
	}
	in, ok := get("in.go")
	if !ok {
		t.Fatal("no in.go section")
	}
	rs, err := rules(args)
	if err != nil {
		t.Fatalf("rule %q: %v", args, err)
	}
	res, err := rewrite.RunSource(context.Background(), rewrite.Config{}, rs, "in.go", in)
	if err != nil {
		t.Fatal(err)
	}
	out := in
	if res.Changed() {
		out = res.Out
	}
	var errs []string
	for _, e := range res.Errs {
		errs = append(errs, e.Error())
	}
	diff := rewrite.UnifiedDiff("in.go", in, out)
	gotErrors := strings.Join(errs, "\n")
	if gotErrors != "" {
		gotErrors += "\n"
	}

	if *update {
		var files []txtar.File
		files = append(files, txtar.File{Name: "args", Data: argsData}, txtar.File{Name: "in.go", Data: in})
		if res.Changed() {
			files = append(files, txtar.File{Name: "out.go", Data: out}, txtar.File{Name: "diff", Data: []byte(diff)})
		}
		if gotErrors != "" {
			files = append(files, txtar.File{Name: "errors", Data: []byte(gotErrors)})
		}
		ar.Files = files
		if err := os.WriteFile(file, txtar.Format(ar), 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}

	wantOut, hasOut := get("out.go")
	if !hasOut {
		wantOut = in
	}
	if d := cmp.Diff(string(wantOut), string(out)); d != "" {
		t.Errorf("output (-want +got):\n%s", d)
	}
	wantDiff, _ := get("diff")
	if d := cmp.Diff(string(wantDiff), diff); d != "" {
		t.Errorf("diff (-want +got):\n%s", d)
	}
	wantErrors, _ := get("errors")
	if d := cmp.Diff(string(wantErrors), gotErrors); d != "" {
		t.Errorf("errors (-want +got):\n%s", d)
	}
	if res.Changed() {
		if bytes.Equal(out, in) {
			t.Error("result marked changed but equal to the input")
		}
		if clean, err := format.Source(in); err == nil && bytes.Equal(clean, in) {
			if formatted, err := format.Source(out); err != nil || !bytes.Equal(formatted, out) {
				t.Errorf("output is not gofmt-clean (err %v)", err)
			}
		}
		// Code that compiled before the rewrite must compile after it.
		if typeCheck(in) == nil {
			if err := typeCheck(out); err != nil {
				t.Errorf("output does not type-check: %v", err)
			}
		}
	}
}

// typeCheck type-checks a single file with its standard library imports.
func typeCheck(src []byte) error {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, 0)
	if err != nil {
		return err
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "gc", nil)}
	_, err = conf.Check("p", fset, []*ast.File{f}, nil)
	return err
}

// Inputs returns the in.go sections of the golden cases in dirs, as seeds
// for fuzz tests.
func Inputs(tb testing.TB, dirs ...string) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.txtar"))
		if err != nil {
			tb.Fatal(err)
		}
		for _, file := range files {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				tb.Fatal(err)
			}
			for _, f := range ar.Files {
				if f.Name == "in.go" {
					out = append(out, f.Data)
				}
			}
		}
	}
	return out
}

// Update reports whether the -update flag asks tests to rewrite their
// expected results, for tests with want files of their own.
func Update() bool { return *update }
