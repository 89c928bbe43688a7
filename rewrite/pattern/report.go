package pattern

import (
	"cmp"
	"go/ast"
	"go/token"
	"slices"
	"strings"

	"github.com/gorewrite/gorewrite/rewrite"
)

// extent is the stretch of the original file that a match covers, as far
// as its positions tell.
type extent struct{ pos, end token.Pos }

// extentOf spans every valid position in n. A node that earlier specs
// rewrote mixes original nodes, in any order (a + b -> b + a), with
// template positions set to the match's: its Pos and End alone may not
// cover it, the positions of all its parts do.
func extentOf(n ast.Node) extent {
	var x extent
	ast.Inspect(n, func(c ast.Node) bool {
		if c == nil {
			return false
		}
		if p := c.Pos(); p.IsValid() && (!x.pos.IsValid() || p < x.pos) {
			x.pos = p
		}
		if e := c.End(); e.IsValid() && e > x.end {
			x.end = e
		}
		return true
	})
	return x
}

func (x extent) union(y extent) extent {
	if !x.pos.IsValid() {
		return y
	}
	if y.pos.IsValid() {
		x.pos = min(x.pos, y.pos)
	}
	x.end = max(x.end, y.end)
	return x
}

// match is where one spec matched.
type match struct {
	extent
	spec int
}

// perMatch turns the edits of a file's rewrite into one edit per match, so
// that reports (--json) show each match once, named by the spec that
// matched: the engine's node diff splits a replacement into its smallest
// differences (a + b -> b + a is two edits), and a file is rewritten by all
// the specs at once. Matches inside another (a later spec matching what an
// earlier one produced, or a spec matching inside its own match) count as
// the outermost, under the first spec that matched there. Edits outside
// every match are kept as they are.
func perMatch(src []byte, tf *token.File, edits []rewrite.Edit, matches []match, specs []*Spec) []rewrite.Edit {
	slices.SortStableFunc(matches, func(a, b match) int {
		if c := cmp.Compare(a.pos, b.pos); c != 0 {
			return c
		}
		return cmp.Compare(b.end, a.end)
	})
	var groups []match
	for _, m := range matches {
		if !m.pos.IsValid() {
			continue
		}
		if n := len(groups); n > 0 && m.pos <= groups[n-1].end {
			groups[n-1].end = max(groups[n-1].end, m.end)
			continue
		}
		groups = append(groups, m)
	}
	slices.SortStableFunc(edits, func(a, b rewrite.Edit) int {
		if c := cmp.Compare(a.Pos, b.Pos); c != 0 {
			return c
		}
		return cmp.Compare(a.End, b.End)
	})
	off := func(p token.Pos) int { return int(p) - tf.Base() }
	var out []rewrite.Edit
	for i := 0; i < len(edits); {
		e := edits[i]
		g, ok := findGroup(groups, e)
		if !ok {
			out = append(out, e)
			i++
			continue
		}
		// Join the edits of the group, with the original text between
		// them, into one.
		j := i + 1
		for j < len(edits) && edits[j].Pos >= edits[j-1].End && edits[j].End <= g.end {
			j++
		}
		var b strings.Builder
		last := e.Pos
		for _, f := range edits[i:j] {
			b.Write(src[off(last):off(f.Pos)])
			b.WriteString(f.New)
			last = f.End
		}
		out = append(out, rewrite.Edit{Pos: e.Pos, End: last, New: b.String(), Part: specs[g.spec].Text, PartIndex: g.spec})
		i = j
	}
	return out
}

// findGroup returns the match holding e.
func findGroup(groups []match, e rewrite.Edit) (match, bool) {
	i, _ := slices.BinarySearchFunc(groups, e.Pos, func(g match, p token.Pos) int {
		return cmp.Compare(g.end, p)
	})
	if i < len(groups) && groups[i].pos <= e.Pos && e.End <= groups[i].end {
		return groups[i], true
	}
	return match{}, false
}
