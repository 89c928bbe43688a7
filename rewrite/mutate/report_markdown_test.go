package mutate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gorewrite/gorewrite/rewrite/internal/golden"
)

// TestMarkdown compares the CI summary with the golden files in
// testdata/markdown (-update rewrites them): without a baseline, with one
// that knows one survivor and lists a killed mutant (fixed), and capped
// at one survivor.
func TestMarkdown(t *testing.T) {
	r := reportFixture(t)
	var survivor, killed *Mutant
	for _, m := range r.Mutants {
		switch m.Status {
		case Survived:
			survivor = m
		case Killed:
			killed = m
		}
	}
	diff := Baseline{survivor.ID: true, killed.ID: true}.Compare(r)
	for name, opts := range map[string]MarkdownOptions{
		"plain.md":    {Threshold: 80},
		"baseline.md": {Baseline: &diff, BaselineName: ".gorewrite/baseline.txt"},
		"capped.md":   {MaxSurvivors: 1},
	} {
		t.Run(name, func(t *testing.T) {
			var b strings.Builder
			if err := WriteMarkdown(&b, r, opts); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join("testdata", "markdown", name)
			if golden.Update() {
				if err := os.WriteFile(file, []byte(b.String()), 0o666); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(string(want), b.String()); d != "" {
				t.Errorf("%s (-want +got):\n%s", name, d)
			}
		})
	}
}
