package cover_test

import (
	"cmp"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gorewrite/gorewrite/rewrite/cover"
	"github.com/gorewrite/gorewrite/rewrite/internal/golden"
)

// FuzzInstrument checks the invariants of instrumentation on any source
// that parses: every output parses again (probes, hidden braces, branch
// wrappers and the added file are valid syntax), and the blocks of a file do
// not overlap, as cmd/cover's self-check demands.
func FuzzInstrument(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*/*.go")
	for _, name := range seeds {
		if src, err := os.ReadFile(name); err == nil {
			f.Add(src)
		}
	}
	for _, src := range golden.Inputs(f, "../swap/testdata", "../pattern/testdata") {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if _, err := parser.ParseFile(token.NewFileSet(), "in.go", src, parser.ParseComments); err != nil {
			return
		}
		for _, opts := range []cover.Options{
			{Mode: cover.Count, Branch: true, RuntimePath: "rt.invalid/rt", IncludeGenerated: true},
			{Mode: cover.Atomic, RuntimePath: "rt.invalid/rt", IncludeGenerated: true},
		} {
			pkg := &cover.Package{ImportPath: "p", Name: "p", Dir: "/p", GoVersion: "go1.22",
				Files: []cover.Source{{Name: "/p/in.go", Src: src}}}
			res, err := cover.Instrument(pkg, opts)
			if err != nil {
				t.Fatal(err)
			}
			for name, out := range res.Changed {
				if _, err := parser.ParseFile(token.NewFileSet(), name, out, 0); err != nil {
					t.Fatalf("instrumented file does not parse: %v\n%s", err, out)
				}
			}
			for _, a := range res.Added {
				if _, err := parser.ParseFile(token.NewFileSet(), a.Name, a.Src, 0); err != nil {
					t.Fatalf("added file does not parse: %v\n%s", err, a.Src)
				}
			}
			blocks := slices.Clone(res.Blocks)
			slices.SortFunc(blocks, func(a, b cover.Block) int {
				return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.StartLine, b.StartLine), cmp.Compare(a.StartCol, b.StartCol))
			})
			for i := 1; i < len(blocks); i++ {
				a, b := blocks[i-1], blocks[i]
				if a.File == b.File && before(b.StartLine, b.StartCol, a.EndLine, a.EndCol) {
					t.Fatalf("blocks overlap: %+v and %+v", a, b)
				}
			}
		}
	})
}

// before reports whether position l1.c1 comes strictly before l2.c2.
func before(l1, c1, l2, c2 int) bool { return l1 < l2 || l1 == l2 && c1 < c2 }
