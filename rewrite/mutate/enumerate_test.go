package mutate

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/internal/golden"
)

var allStd = flag.Bool("allstd", false, "TestBatchedChecks: every package of the standard library")

// TestBatchedChecks: type-checking candidates in batches (one per function
// body) keeps exactly the mutants that checking each alone keeps, on
// standard-library packages and this project's.
func TestBatchedChecks(t *testing.T) {
	patterns := []string{"strconv", "strings", "sort", "container/...", "text/tabwriter", "github.com/gorewrite/gorewrite/rewrite/swap"}
	if testing.Short() {
		patterns = []string{"strconv", "container/...", "github.com/gorewrite/gorewrite/rewrite/swap"}
	}
	if *allStd {
		patterns = []string{"std"}
	}
	ops, err := ParseOperators("all")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	total := 0
	rule := &rewrite.Rule{Name: "batch-check", Doc: "compare", NeedsTypes: true, Run: func(pass *rewrite.Pass) error {
		batched, err := packageMutants(pass, ops, false)
		if err != nil {
			return err
		}
		alone, err := packageMutants(pass, ops, true)
		if err != nil {
			return err
		}
		key := func(m *Mutant) string {
			return fmt.Sprintf("%s:%d-%d %s %q", m.File, m.Offset, m.EndOffset, m.Operator, m.Replacement)
		}
		got := make(map[string]bool)
		for _, m := range batched.Mutants {
			got[key(m)] = true
		}
		mu.Lock()
		defer mu.Unlock()
		total += len(alone.Mutants)
		for _, m := range alone.Mutants {
			if !got[key(m)] {
				t.Errorf("batched checks lost %s", key(m))
			}
			delete(got, key(m))
		}
		for k := range got {
			t.Errorf("batched checks kept %s, which does not type-check alone", k)
		}
		return nil
	}}
	err = rewrite.Run(context.Background(), rewrite.Config{}, []*rewrite.Rule{rule}, patterns, func(r *rewrite.FileResult) error {
		for _, e := range r.Errs {
			t.Errorf("%s: %v", r.Filename, e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if total < 1000 {
		t.Errorf("only %d mutants: the corpus did not load", total)
	}
	t.Logf("%d mutants agree", total)
}

// FuzzEnumerate checks, on any file that type-checks alone, that every
// mutant enumerated type-checks when applied, that its recorded original
// text is the file's, and that IDs are unique.
func FuzzEnumerate(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*.go")
	for _, name := range seeds {
		if src, err := os.ReadFile(name); err == nil {
			f.Add(src)
		}
	}
	for _, src := range golden.Inputs(f, "../swap/testdata", "../pattern/testdata") {
		f.Add(src)
	}
	ops, err := ParseOperators("all")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var found []*Mutant
		rule := NewRule(ops, func(fd Found) { found = append(found, fd.Mutants...) })
		const name = "/fuzz/in.go"
		res, err := rewrite.RunSource(context.Background(), rewrite.Config{IncludeGenerated: true}, []*rewrite.Rule{rule}, name, src)
		if err != nil || len(res.Errs) > 0 {
			return // does not parse or type-check alone
		}
		AssignIDs(found, "/fuzz")
		ids := make(map[string]bool)
		for _, m := range found {
			if ids[m.ID] {
				t.Errorf("ID %s twice", m.ID)
			}
			ids[m.ID] = true
			if m.Offset < 0 || m.EndOffset > len(src) || m.Offset > m.EndOffset || string(src[m.Offset:m.EndOffset]) != m.Original {
				t.Fatalf("%s %s: range %d-%d does not hold %q", m.Location(), m.Operator, m.Offset, m.EndOffset, m.Original)
			}
			out := m.Apply(src)
			fset := token.NewFileSet()
			file, err := parser.ParseFile(fset, name, out, parser.SkipObjectResolution)
			if err != nil {
				t.Fatalf("%s %s %s does not parse: %v\n%s", m.Location(), m.Operator, m.Change(), err, out)
			}
			conf := types.Config{Importer: importer.ForCompiler(fset, "gc", nil), FakeImportC: true}
			if _, err := conf.Check(file.Name.Name, fset, []*ast.File{file}, nil); err != nil {
				t.Errorf("%s %s %s does not type-check: %v", m.Location(), m.Operator, m.Change(), err)
			}
		}
		checkSchema(t, name, src, found)
	})
}

// checkSchema checks that the schema of a one-file package parses and
// type-checks with its helper file, and moves no line.
func checkSchema(t *testing.T, name string, src []byte, found []*Mutant) {
	for i, m := range found {
		m.schemaID = 0
		if len(m.sites) > 0 {
			m.schemaID = i + 1
		}
	}
	sites := sortedSites(found)
	if len(sites) == 0 {
		return
	}
	out, switched := renderFile(src, sites, nil, schemaNumber)
	if len(switched) != len(sites) {
		t.Errorf("%d of %d sites switched", len(switched), len(sites))
	}
	if bytes.Count(out, []byte("\n")) != bytes.Count(src, []byte("\n")) {
		t.Errorf("the schema moves lines:\n%s", out)
	}
	helpers := map[string]bool{}
	for _, s := range sites {
		if s.helper != "" {
			helpers[s.helper] = true
		}
	}
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, name, out, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("the schema does not parse: %v\n%s", err, out)
	}
	hf, err := parser.ParseFile(fset, "/fuzz/00_gorewrite_schemata.go", helperFile(sites[0].pkg, sortedKeys(helpers)), 0)
	if err != nil {
		t.Fatalf("the helper file does not parse: %v", err)
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "gc", nil), FakeImportC: true}
	if _, err := conf.Check(file.Name.Name, fset, []*ast.File{file, hf}, nil); err != nil {
		t.Errorf("the schema does not type-check: %v\n%s", err, out)
	}
}
