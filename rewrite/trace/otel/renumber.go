package otel

import (
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strings"

	"github.com/gorewrite/gorewrite/rewrite"
)

// renumber keeps the //line directives of a file's spans right. Each one
// gives the line after it the number that line has in the file without any
// span (what Remove would give back), so that the numbers stay true after
// lines are added or deleted above a span: a new run of New rewrites the
// directives that no longer say so.
type renumber struct {
	tf    *token.File
	src   []byte
	spans []offsetEdit // Remove's edits, by offset
	ours  []*ast.Comment
	// importsEnd is the offset of the end of the line that ends the
	// import declarations (or the package clause), after which New puts
	// a directive: the imports it adds move the lines below them.
	importsEnd      int
	importDirective *ast.Comment
	// foreign says the file has //line directives of its own (a
	// generator's): then line numbers are left as the directives say.
	foreign bool
	// imports is how many lines the import declarations lose when the
	// spans go (the imports only they use go too).
	imports int
}

type offsetEdit struct {
	start, end int
	text       string
}

func newRenumber(pass *rewrite.Pass, f *ast.File) *renumber {
	r := newRemover(pass, nil, f)
	n := &renumber{tf: r.tf, src: r.src}
	r.eachSpan(func(edits []rewrite.Edit) {
		for _, e := range edits {
			n.spans = append(n.spans, offsetEdit{r.tf.Offset(e.Pos), r.tf.Offset(e.End), e.New})
		}
	})
	slices.SortFunc(n.spans, func(a, b offsetEdit) int { return a.start - b.start })
	if len(n.spans) > 0 {
		n.imports = importLines(pass, f, r.src)
	}
	n.importsEnd, n.importDirective = importsDirective(f, r.tf, r.src)
	for _, g := range f.Comments {
		for _, c := range g.List {
			if !strings.HasPrefix(c.Text, "//line ") && !strings.HasPrefix(c.Text, "/*line ") {
				continue
			}
			if c == n.importDirective {
				n.ours = append(n.ours, c)
			} else if n.containing(r.tf.Offset(c.Pos())) != nil && lineDirective.MatchString(c.Text) {
				n.ours = append(n.ours, c)
			} else {
				n.foreign = true
			}
		}
	}
	return n
}

// containing returns the edit of Remove whose range holds off, or nil.
func (n *renumber) containing(off int) *offsetEdit {
	for i := range n.spans {
		if n.spans[i].start <= off && off < n.spans[i].end {
			return &n.spans[i]
		}
	}
	return nil
}

// line returns the number the line holding offset off, in a function,
// has without the spans.
func (n *renumber) line(off int) int {
	l := n.tf.PositionFor(n.tf.Pos(off), false).Line - n.imports
	for _, e := range n.spans {
		if e.end <= off {
			l -= bytes.Count(n.src[e.start:e.end], []byte("\n")) - strings.Count(e.text, "\n")
		}
	}
	return l
}

// column returns the column offset off has without the spans: the names
// New gave the signature, on its line, are not counted.
func (n *renumber) column(off int) int {
	pos := n.tf.PositionFor(n.tf.Pos(off), false)
	col := pos.Column
	for _, e := range n.spans {
		if e.end <= off && n.tf.PositionFor(n.tf.Pos(e.start), false).Line == pos.Line {
			col -= e.end - e.start - len(e.text)
		}
	}
	return col
}

// number is the line number a new directive before the line at offset off
// gives it.
func (n *renumber) number(pass *rewrite.Pass, off int) int {
	if n.foreign {
		return pass.Fset.Position(n.tf.Pos(off)).Line
	}
	return n.line(off)
}

// fixes returns the edits that correct the directives that are wrong.
func (n *renumber) fixes() []rewrite.Edit {
	if n.foreign {
		return nil
	}
	var edits []rewrite.Edit
	for _, c := range n.ours {
		off := n.tf.Offset(c.Pos())
		next := nextLine(n.src, lineEnd(n.src, off))
		want := directive(n.line(next), 1)
		if e := n.containing(off); e != nil && e.end > next {
			// The first directive of a body that was on one line: its
			// statements were on the line of the opening brace, just
			// before the edit, after "{ ".
			want = directive(n.line(e.start-1), n.column(e.start-1)+1)
		}
		if c.Text != want {
			edits = append(edits, rewrite.Edit{Pos: c.Pos(), End: c.End(), New: want})
		}
	}
	return edits
}

// importLines returns how many lines Remove takes out of the import
// declarations of f: it runs Remove and compares where the first
// declaration after the imports starts.
func importLines(pass *rewrite.Pass, f *ast.File, src []byte) int {
	tf := pass.Fset.File(f.FileStart)
	res, err := rewrite.RunSource(context.Background(), rewrite.Config{IncludeGenerated: true}, []*rewrite.Rule{Remove(nil)}, tf.Name(), src)
	if err != nil || !res.Changed() {
		return 0
	}
	fset := token.NewFileSet()
	out, err := parser.ParseFile(fset, "", res.Out, parser.SkipObjectResolution)
	if err != nil {
		return 0
	}
	first := func(f *ast.File) ast.Decl {
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); !ok || gd.Tok != token.IMPORT {
				return d
			}
		}
		return nil
	}
	before, after := first(f), first(out)
	if before == nil || after == nil {
		return 0
	}
	return tf.PositionFor(before.Pos(), false).Line - fset.PositionFor(after.Pos(), false).Line
}

// importsDirective returns the end of the line that ends f's import
// declarations (the package clause when it has none) and the directive
// New put after it, if any: a //line directive of the form New writes,
// after blank lines only.
func importsDirective(f *ast.File, tf *token.File, src []byte) (int, *ast.Comment) {
	end := f.Name.End()
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			end = gd.End()
		}
	}
	eol := lineEnd(src, tf.Offset(end))
	next := nextLine(src, eol)
	for next < len(src) && len(bytes.TrimSpace(src[next:lineEnd(src, next)])) == 0 {
		next = nextLine(src, lineEnd(src, next))
	}
	for _, g := range f.Comments {
		for _, c := range g.List {
			if tf.Offset(c.Pos()) == next && lineDirective.MatchString(c.Text) && next+len(c.Text) == lineEnd(src, next) {
				return eol, c
			}
		}
	}
	return eol, nil
}
