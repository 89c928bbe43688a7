package swap_test

import (
	"context"
	"flag"
	"go/parser"
	"go/token"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/swap"
	"golang.org/x/tools/go/packages"
)

var corpus = flag.String("corpus", "", `packages of the standard library to swap in TestCorpus ("std" for all; default a representative slice)`)

// corpusSlice is the part of the standard library make test runs: packages
// with lots of arithmetic, comparisons, shifts and constants, generics,
// and cgo-free code that also builds outside GOROOT.
var corpusSlice = []string{
	"strings", "bytes", "strconv", "sort", "slices", "unicode/utf8", "encoding/binary",
	"go/scanner", "net/url", "math/bits", "text/tabwriter", "container/heap", "hash/crc32",
}

// TestCorpus swaps many operators at once over real code nobody here wrote
// and checks that every rewritten package still type-checks, that no
// comment is lost and that the swaps touch only the operators' lines.
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("loads packages of the standard library")
	}
	patterns := corpusSlice
	if *corpus != "" {
		patterns = strings.Fields(*corpus)
	}
	pairs, err := swap.ParsePairs("+:-,-:+,*:/,/:*,<:<=,>=:>,==:!=,&&:||,+=:-=,++:--,<<:>>,|:&")
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(runtime.GOROOT(), "src")
	overlay := make(map[string][]byte)
	edits := 0
	cfg := rewrite.Config{Dir: src, Tests: true}
	err = rewrite.Run(context.Background(), cfg, []*rewrite.Rule{swap.New(swap.Options{Pairs: pairs})}, patterns, func(r *rewrite.FileResult) error {
		for _, e := range r.Errs {
			if *corpus == "" || !strings.Contains(e.Error(), "could not import") {
				t.Errorf("%v", e)
			}
		}
		if !r.Changed() {
			return nil
		}
		overlay[r.Filename] = r.Out
		edits += len(r.Edits)
		checkComments(t, r.Filename, r.Src, r.Out)
		for _, e := range r.Edits {
			if e.Pos.Line != e.End.Line {
				t.Errorf("%s:%d: swap edit spans lines: %q -> %q", r.Filename, e.Pos.Line, e.Old, e.New)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if edits < 100 {
		t.Fatalf("only %d swaps over %v: the rule is not finding its sites", edits, patterns)
	}
	t.Logf("%d swaps in %d files", edits, len(overlay))

	// Type-check the rewritten packages independently of the engine.
	pkgs, err := packages.Load(&packages.Config{
		Mode:    packages.NeedName | packages.NeedFiles | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo,
		Dir:     src,
		Tests:   true,
		Overlay: overlay,
	}, patterns...)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		touched := slices.ContainsFunc(p.GoFiles, func(f string) bool { return overlay[f] != nil })
		if !touched {
			return
		}
		checked++
		for _, e := range p.Errors {
			if strings.Contains(e.Msg, "could not import C") {
				// go list does not run cgo on overlay files, so go/packages
				// cannot type-check rewritten cgo packages this way.
				continue
			}
			if e.Kind == packages.ListError && strings.Contains(e.Msg, "not allowed in runtime") {
				// Not a type error: the compiler refuses heap allocation in
				// the runtime, and a swapped array length made a local
				// array too big for the stack. The type checker cannot
				// see that; see the swap package's documentation.
				continue
			}
			t.Errorf("%s after swapping: %v", p.ID, e)
		}
	})
	if checked == 0 {
		t.Fatal("no rewritten package was type-checked")
	}
}

// checkComments fails when a comment of src is missing from out.
func checkComments(t *testing.T, name string, src, out []byte) {
	t.Helper()
	count := func(b []byte) map[string]int {
		f, err := parser.ParseFile(token.NewFileSet(), name, b, parser.ParseComments)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			return nil
		}
		m := make(map[string]int)
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				m[c.Text]++
			}
		}
		return m
	}
	before, after := count(src), count(out)
	for text, n := range before {
		if after[text] < n {
			t.Errorf("%s: comment lost: %s", name, text)
		}
	}
}
