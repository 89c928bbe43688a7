package pattern_test

import (
	"testing"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/internal/corpus"
	"github.com/gorewrite/gorewrite/rewrite/pattern"
)

// TestCorpus applies typed, meaning-preserving pattern rules (expressions
// and statements) over the standard library and checks that every
// rewritten package still type-checks and no comment is lost.
func TestCorpus(t *testing.T) {
	var specs []*pattern.Spec
	for _, r := range []string{
		"[a, b int] a + b -> b + a",
		"[x, y int] x < y -> y > x",
		"[s string] len(s) == 0 -> s == \"\"",
		"[b []byte] string(b) == \"\" -> len(b) == 0",
		"[e error] if e != nil { return e } -> if e != nil { return (e) }",
	} {
		s, err := pattern.Parse(r)
		if err != nil {
			t.Fatal(err)
		}
		specs = append(specs, s)
	}
	corpus.Check(t, []*rewrite.Rule{pattern.New(specs...)}, 100)
}
