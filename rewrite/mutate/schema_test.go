package mutate

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/internal/golden"
	"golang.org/x/tools/txtar"
)

// TestSchema renders the schema of each testdata/schema/*.txtar case (a
// package of one file, in.go, with every operator on) and compares it with
// schema.go, and the mutants left out of it with the fallbacks section. The
// schema must then build, with its helper file, and go vet clean.
func TestSchema(t *testing.T) {
	cases, _ := filepath.Glob(filepath.Join("testdata", "schema", "*.txtar"))
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
	for _, name := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(name), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(name)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			var in []byte
			for _, f := range ar.Files {
				if f.Name == "in.go" {
					in = f.Data
				}
			}
			if in == nil {
				t.Fatal("no in.go")
			}
			os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/p\n\ngo 1.22\n"), 0o666)
			os.WriteFile(filepath.Join(dir, "in.go"), in, 0o666)
			mutants := enumerateAll(t, dir)
			var fallbacks []string
			for i, m := range mutants {
				if len(m.sites) > 0 {
					m.schemaID = i + 1
					continue
				}
				if m.fallback != "" {
					fallbacks = append(fallbacks, fmt.Sprintf("%d:%d %s %s -> %s: %s", m.Start.Line, m.Start.Column, m.Operator, m.Original, m.Replacement, m.fallback))
				}
			}
			sites := sortedSites(mutants)
			file := filepath.Join(dir, "in.go")
			got, switched := renderFile(in, sites, nil, schemaNumber)
			if len(switched) != len(sites) {
				t.Errorf("%d of %d sites switched", len(switched), len(sites))
			}
			var helpers []string
			seen := map[string]bool{}
			for _, s := range switched {
				if s.helper != "" && !seen[s.helper] {
					seen[s.helper] = true
					helpers = append(helpers, s.helper)
				}
			}
			sort.Strings(helpers)
			gotFallbacks := strings.Join(fallbacks, "\n") + "\n"
			want := map[string]string{"schema.go": string(got), "fallbacks": gotFallbacks}
			if golden.Update() {
				var files []txtar.File
				for _, f := range ar.Files {
					if _, ok := want[f.Name]; !ok {
						files = append(files, f)
					}
				}
				files = append(files, txtar.File{Name: "schema.go", Data: got}, txtar.File{Name: "fallbacks", Data: []byte(gotFallbacks)})
				ar.Files = files
				os.WriteFile(name, txtar.Format(ar), 0o666)
			}
			for _, f := range ar.Files {
				if w, ok := want[f.Name]; ok {
					if diff := cmp.Diff(string(f.Data), w); diff != "" {
						t.Errorf("%s (-want +got):\n%s", f.Name, diff)
					}
					delete(want, f.Name)
				}
			}
			for n := range want {
				t.Errorf("no %s section (run with -update)", n)
			}
			// The schema builds and vets.
			os.WriteFile(file, got, 0o666)
			os.WriteFile(filepath.Join(dir, "00_gorewrite_schemata.go"), helperFile(sites[0].pkg, helpers), 0o666)
			cmd := exec.Command("go", "vet", "./...")
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("go vet: %v\n%s", err, out)
			}
		})
	}
}

// enumerateAll finds the mutants of the package in dir with every operator.
func enumerateAll(t *testing.T, dir string) []*Mutant {
	t.Helper()
	ops, _ := ParseOperators("all")
	var found Collector
	err := rewrite.Run(context.Background(), rewrite.Config{Dir: dir, Tests: true}, []*rewrite.Rule{NewRule(ops, found.Add)}, []string{"./..."}, func(r *rewrite.FileResult) error {
		for _, e := range r.Errs {
			t.Errorf("%s: %v", r.Filename, e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	AssignIDs(found.Mutants, dir)
	return found.Mutants
}
