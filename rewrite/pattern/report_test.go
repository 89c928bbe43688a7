package pattern_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/pattern"
)

// TestEditsPerMatch checks that a file's edits are one per match, named by
// the rule that matched, though the engine diffs the result finely and
// rules apply one after the other.
func TestEditsPerMatch(t *testing.T) {
	for _, c := range []struct {
		name  string
		rules []string
		src   string
		want  []string // "index rule: old -> new"
	}{
		{
			name:  "operands swapped: two differences, one match",
			rules: []string{"a * 1 -> a", "a - b -> b - a"},
			src:   "func f(x, y int) int { return x - y }",
			want:  []string{"1 a - b -> b - a: x - y -> y - x"},
		},
		{
			name:  "each rule its own match",
			rules: []string{"a * 1 -> a", "a - b -> b - a"},
			src:   "func f(x, y int) int { return x * 1 }\nfunc g(x, y int) int { return x - y }",
			want:  []string{"0 a * 1 -> a: x * 1 -> x", "1 a - b -> b - a: x - y -> y - x"},
		},
		{
			name:  "a later rule rewrites an earlier one's result: the outermost match",
			rules: []string{"a + 0 -> a", "a * 1 -> a"},
			src:   "func f(x int) int { return x*1 + 0 }",
			want:  []string{"0 a + 0 -> a: x*1 + 0 -> x"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			var specs []*pattern.Spec
			for _, r := range c.rules {
				s, err := pattern.Parse(r)
				if err != nil {
					t.Fatal(err)
				}
				specs = append(specs, s)
			}
			res, err := rewrite.RunSource(context.Background(), rewrite.Config{}, []*rewrite.Rule{pattern.New(specs...)}, "x.go", []byte("package p\n\n"+c.src+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Errs) > 0 {
				t.Fatal(res.Errs)
			}
			var got []string
			for _, e := range res.Edits {
				got = append(got, fmt.Sprintf("%d %s: %s -> %s", e.PartIndex, e.Part, e.Old, e.New))
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("edits:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}
