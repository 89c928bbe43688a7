package rewrite_test

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/pattern"
	"github.com/gorewrite/gorewrite/rewrite/swap"
)

// BenchmarkPatternStd rewrites a + b -> a * b over $GOROOT/src/go (parse,
// match, edit and format every changed file; nothing is written).
func BenchmarkPatternStd(b *testing.B) {
	s, err := pattern.Parse("a + b -> a * b")
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(runtime.GOROOT(), "src", "go")
	rules := []*rewrite.Rule{pattern.New(s)}
	for b.Loop() {
		changed := 0
		err := rewrite.Run(context.Background(), rewrite.Config{Tests: true, IncludeGenerated: true}, rules, []string{dir}, func(r *rewrite.FileResult) error {
			if r.Changed() {
				changed++
			}
			return nil
		})
		if err != nil || changed == 0 {
			b.Fatalf("changed %d files, err %v", changed, err)
		}
	}
}

// BenchmarkSwapStrings swaps several operators in package strings with its
// tests: loading with types, choosing the swaps that type-check, editing.
func BenchmarkSwapStrings(b *testing.B) {
	pairs, err := swap.ParsePairs("+:-,<:<=,==:!=,&&:||")
	if err != nil {
		b.Fatal(err)
	}
	rules := []*rewrite.Rule{swap.New(swap.Options{Pairs: pairs})}
	cfg := rewrite.Config{Dir: filepath.Join(runtime.GOROOT(), "src"), Tests: true}
	for b.Loop() {
		edits := 0
		err := rewrite.Run(context.Background(), cfg, rules, []string{"strings"}, func(r *rewrite.FileResult) error {
			edits += len(r.Edits)
			return nil
		})
		if err != nil || edits == 0 {
			b.Fatalf("%d edits, err %v", edits, err)
		}
	}
}
