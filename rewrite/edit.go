package rewrite

import (
	"bytes"
	"cmp"
	"fmt"
	"go/format"
	"go/scanner"
	"go/token"
	"slices"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
)

// An Edit replaces the source between Pos and End with New. Pos == End
// inserts. Positions are those of the original files of the pass.
type Edit struct {
	Pos, End token.Pos
	New      string

	// Part names, for reports, the part of the rule that made the edit, for
	// a rule made of several (a pattern rule's -e rules, by their text), and
	// PartIndex its place among them. Part is empty when the rule is one
	// whole: reports then name the rule alone.
	Part      string
	PartIndex int
}

// textEdit is an Edit resolved to byte offsets of one file.
type textEdit struct {
	start, end int
	text       string
	rule       string
	part       string // see Edit.Part
	partIndex  int
	seq        int // recording order, the tie-breaker for insertions at one offset
}

// describe names an edit for error messages: "rule swap: replace "+" with "*" at 3:9".
func (e textEdit) describe(tf *token.File) string {
	var what string
	switch {
	case e.start == e.end:
		what = fmt.Sprintf("insert %q", e.text)
	case e.text == "":
		what = fmt.Sprintf("delete %s", plural(e.end-e.start, "byte"))
	default:
		what = fmt.Sprintf("replace %s with %q", plural(e.end-e.start, "byte"), e.text)
	}
	p := tf.Position(tf.Pos(e.start))
	q := tf.Position(tf.Pos(e.end))
	return fmt.Sprintf("rule %s: %s at %d:%d-%d:%d", e.rule, what, p.Line, p.Column, q.Line, q.Column)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// sortEdits orders edits by position and rejects overlapping ones. Identical
// edits (the same change asked for twice) are merged. Insertions at the same
// offset keep the order in which they were recorded.
func sortEdits(tf *token.File, edits []textEdit) ([]textEdit, error) {
	slices.SortStableFunc(edits, func(a, b textEdit) int {
		if c := cmp.Compare(a.start, b.start); c != 0 {
			return c
		}
		if c := cmp.Compare(a.end, b.end); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	out := edits[:0]
	for _, e := range edits {
		if n := len(out); n > 0 {
			prev := out[n-1]
			if prev.start == e.start && prev.end == e.end && prev.text == e.text && e.start != e.end {
				continue // the same replacement twice
			}
			if prev.end > e.start {
				pos := tf.Position(tf.Pos(e.start))
				return nil, &Error{Pos: pos, Msg: fmt.Sprintf("conflicting edits: %s overlaps %s", prev.describe(tf), e.describe(tf))}
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// applyEdits applies sorted, non-overlapping edits to src. It also returns
// the byte ranges of the result that the edits produced, so that later
// steps know which lines were touched.
func applyEdits(src []byte, edits []textEdit) ([]byte, []span) {
	var buf bytes.Buffer
	buf.Grow(len(src) + 64)
	spans := make([]span, 0, len(edits))
	last := 0
	for _, e := range edits {
		buf.Write(src[last:e.start])
		start := buf.Len()
		buf.WriteString(e.text)
		spans = append(spans, span{start, buf.Len()})
		last = e.end
	}
	buf.Write(src[last:])
	return buf.Bytes(), spans
}

// span is a half-open byte range.
type span struct{ start, end int }

// formatEdited runs go/format over raw, the original src with edits applied
// at the given spans of raw. When src was not gofmt-clean, reformatting the
// whole file would rewrite lines no rule touched, so only the formatter's
// changes to edited lines are kept.
func formatEdited(src, raw []byte, edited []span) ([]byte, error) {
	formatted, err := format.Source(raw)
	if err != nil {
		return nil, err
	}
	if bytes.Equal(formatted, raw) {
		return raw, nil
	}
	lines := lineSet(raw, edited)
	changes := udiff.Lines(string(raw), string(formatted))
	onlyEdited := true
	for _, c := range changes {
		if !lines.covers(raw, c.Start, c.End) {
			onlyEdited = false
			break
		}
	}
	if onlyEdited {
		return formatted, nil
	}
	if clean, err := format.Source(src); err == nil && bytes.Equal(clean, src) {
		// The formatter's other changes come from our edits too (alignment
		// of neighbouring lines): the original was clean, keep the result so.
		return formatted, nil
	}
	var keep []udiff.Edit
	for _, c := range changes {
		oldLines := strings.SplitAfter(string(raw[c.Start:c.End]), "\n")
		newLines := strings.SplitAfter(c.New, "\n")
		if len(oldLines) != len(newLines) {
			// Lines joined or split: all or nothing.
			if lines.touches(raw, c.Start, c.End) {
				keep = append(keep, c)
			}
			continue
		}
		// Line for line: take the formatter's version of edited lines only.
		off := c.Start
		for i, ol := range oldLines {
			if ol != newLines[i] && lines.touches(raw, off, off+len(ol)) {
				keep = append(keep, udiff.Edit{Start: off, End: off + len(ol), New: newLines[i]})
			}
			off += len(ol)
		}
	}
	out, err := udiff.ApplyBytes(raw, keep)
	if err != nil || !sameTokens(out, raw) {
		// Taking some of the formatter's line changes and not others may
		// pair lines wrongly; then the whole file is formatted.
		return formatted, nil
	}
	return out, nil
}

// sameTokens reports whether a and b hold the same Go tokens, comments
// included, in any order (the formatter sorts imports) and ignoring what
// the formatter may change: semicolons and the spelling of numbers.
func sameTokens(a, b []byte) bool {
	count := func(src []byte) map[string]int {
		var s scanner.Scanner
		fset := token.NewFileSet()
		s.Init(fset.AddFile("", -1, len(src)), src, nil, scanner.ScanComments)
		m := make(map[string]int)
		for {
			_, tok, lit := s.Scan()
			switch tok {
			case token.EOF:
				return m
			case token.SEMICOLON:
				continue
			case token.INT, token.FLOAT, token.IMAG:
				lit = ""
			case token.COMMENT:
				lit = strings.TrimRight(lit, " \t\r")
			}
			m[tok.String()+" "+lit]++
		}
	}
	ca, cb := count(a), count(b)
	if len(ca) != len(cb) {
		return false
	}
	for k, n := range ca {
		if cb[k] != n {
			return false
		}
	}
	return true
}

// editedLines is the set of line numbers (0-based) of a text that edits produced.
type editedLines map[int]bool

func lineSet(text []byte, edited []span) editedLines {
	set := make(editedLines)
	for _, s := range edited {
		first := bytes.Count(text[:s.start], []byte("\n"))
		last := first + bytes.Count(text[s.start:s.end], []byte("\n"))
		for l := first; l <= last; l++ {
			set[l] = true
		}
	}
	return set
}

// covers reports whether every line of the line-aligned range [start, end)
// of text is an edited line; an empty range (an insertion) needs the line
// before it edited.
func (s editedLines) covers(text []byte, start, end int) bool {
	first := bytes.Count(text[:start], []byte("\n"))
	if end == start {
		return s[first-1] || s[first]
	}
	last := first + bytes.Count(text[start:end-1], []byte("\n"))
	for l := first; l <= last; l++ {
		if !s[l] {
			return false
		}
	}
	return true
}

// touches reports whether the line-aligned range [start, end) of text covers
// an edited line; an empty range (an insertion) touches the lines around it.
func (s editedLines) touches(text []byte, start, end int) bool {
	first := bytes.Count(text[:start], []byte("\n"))
	last := first
	if end > start {
		last = first + bytes.Count(text[start:end-1], []byte("\n"))
	} else {
		first--
	}
	for l := first; l <= last; l++ {
		if s[l] {
			return true
		}
	}
	return false
}
