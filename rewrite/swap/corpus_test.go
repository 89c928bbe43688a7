package swap_test

import (
	"testing"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/internal/corpus"
	"github.com/gorewrite/gorewrite/rewrite/swap"
)

// TestCorpus swaps many operators at once over the standard library (a
// slice of it by default, all of it with -corpus std) and checks that every
// rewritten package still type-checks and no comment is lost.
func TestCorpus(t *testing.T) {
	pairs, err := swap.ParsePairs("+:-,-:+,*:/,/:*,<:<=,>=:>,==:!=,&&:||,+=:-=,++:--,<<:>>,|:&")
	if err != nil {
		t.Fatal(err)
	}
	corpus.Check(t, []*rewrite.Rule{swap.New(swap.Options{Pairs: pairs})}, 100)
}
