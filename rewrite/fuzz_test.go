package rewrite_test

import (
	"bytes"
	"context"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	udiff "github.com/aymanbagabas/go-udiff"
	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/internal/golden"
	"github.com/gorewrite/gorewrite/rewrite/pattern"
)

// FuzzRewrite feeds arbitrary parseable Go to the engine with rules that
// swap operators, restructure calls and delete statements, and checks what
// must always hold: the output parses, no comment is lost, and every line
// the rules did not edit comes out unchanged in gofmt-clean input (up to
// the realignment gofmt does around an edited line).
func FuzzRewrite(f *testing.F) {
	for _, in := range golden.Inputs(f, "pattern/testdata", "swap/testdata") {
		f.Add(in)
	}
	f.Add([]byte("package p\n\nfunc f() {\n\tx := a + b*c // c\n\tf(x, /* y */ y)\n\tprintln(x)\n}\n"))
	f.Add([]byte("package p\nvar x = []int{1 + 2, 3 +\n\t4}\n"))

	var specs []*pattern.Spec
	for _, r := range []string{
		"a + b -> b * a",
		"f(x, y) -> g(y, x, 1)",
		"println(x) ->",
		"if c { s } -> if !c {} else { s }",
	} {
		s, err := pattern.Parse(r)
		if err != nil {
			f.Fatal(err)
		}
		specs = append(specs, s)
	}
	rules := []*rewrite.Rule{pattern.New(specs...)}

	f.Fuzz(func(t *testing.T, src []byte) {
		if _, err := parser.ParseFile(token.NewFileSet(), "x.go", src, parser.ParseComments); err != nil {
			return
		}
		res, err := rewrite.RunSource(context.Background(), rewrite.Config{IncludeGenerated: true}, rules, "x.go", src)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range res.Errs {
			if strings.Contains(e.Error(), "cannot keep comment") {
				continue // a // comment containing */: documented refusal
			}
			t.Fatalf("engine error on parseable input: %v", e)
		}
		if !res.Changed() {
			return
		}
		out := res.Out
		if _, err := parser.ParseFile(token.NewFileSet(), "x.go", out, parser.ParseComments); err != nil {
			t.Fatalf("output does not parse: %v\n%s", err, out)
		}
		// gofmt itself drops some comments (an empty // before a statement
		// on a badly formatted line): compare with the formatted input.
		base := src
		if formatted, err := format.Source(src); err == nil {
			base = formatted
		}
		if lost := lostComments(base, out); len(lost) > 0 {
			t.Fatalf("comments lost: %q\n%s", lost, out)
		}
		if clean, err := format.Source(src); err != nil || !bytes.Equal(clean, src) {
			return // formatting an edited line of unformatted code may reflow its neighbours
		}
		edited := make(map[int]bool)
		for _, e := range res.Edits {
			for l := e.Pos.Line; l <= e.End.Line; l++ {
				edited[l] = true
			}
		}
		checkUntouched(t, src, out, edited)
	})
}

func lostComments(src, out []byte) []string {
	count := func(b []byte) map[string]int {
		f, _ := parser.ParseFile(token.NewFileSet(), "", b, parser.ParseComments)
		m := make(map[string]int)
		if f != nil {
			for _, cg := range f.Comments {
				for _, c := range cg.List {
					m[normalizeComment(c)]++
				}
			}
		}
		return m
	}
	before, after := count(src), count(out)
	var lost []string
	for text, n := range before {
		if after[text] < n {
			lost = append(lost, text)
		}
	}
	return lost
}

// normalizeComment makes a // comment and the /* */ comment it may become
// next to a replaced expression compare equal; gofmt also trims trailing
// blanks of // comments.
func normalizeComment(c *ast.Comment) string {
	text := c.Text
	if strings.HasPrefix(text, "//") {
		text = text[2:]
	} else {
		text = strings.TrimSuffix(text[2:], "*/")
	}
	return strings.TrimSpace(text)
}

// checkUntouched fails when a line of src that no edit touched is missing
// from out, other than by whitespace.
func checkUntouched(t *testing.T, src, out []byte, edited map[int]bool) {
	t.Helper()
	outLines := make(map[string]int)
	for _, l := range strings.Split(string(out), "\n") {
		outLines[strings.Join(strings.Fields(l), " ")]++
	}
	for _, c := range udiff.Lines(string(src), string(out)) {
		first := bytes.Count(src[:c.Start], []byte("\n")) + 1
		for i, l := range strings.SplitAfter(string(src[c.Start:c.End]), "\n") {
			if l == "" || edited[first+i] {
				continue
			}
			if outLines[strings.Join(strings.Fields(l), " ")] == 0 {
				t.Fatalf("line %d changed though no edit touched it: %q\nedits on lines %v\noutput:\n%s", first+i, l, keys(edited), out)
			}
		}
	}
}

func keys(m map[int]bool) []int {
	var k []int
	for l := range m {
		k = append(k, l)
	}
	return k
}
