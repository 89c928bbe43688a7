package mutate

import (
	"go/ast"
	"go/token"
	"strings"
)

// ignoreDirective is the comment that suppresses mutants. Alone it
// suppresses every operator; followed by names (//gorewrite:ignore
// RETURN_ZERO,INVERT_LOGICAL) only those.
const ignoreDirective = "//gorewrite:ignore"

// ignores are the directives of one file.
type ignores struct {
	file  []string            // before the package clause: the whole file
	funcs map[string][]string // in a function's doc comment: the function
	lines map[int][]string    // at the end of a line: that line; alone on one: the next
}

// all marks a directive with no operator list.
var allOps = []string{"*"}

func parseIgnores(fset *token.FileSet, f *ast.File, src []byte) *ignores {
	ig := &ignores{funcs: make(map[string][]string), lines: make(map[int][]string)}
	docs := make(map[*ast.CommentGroup]string)
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Doc != nil {
			docs[fd.Doc] = funcName(fd)
		}
	}
	tf := fset.File(f.FileStart)
	for _, g := range f.Comments {
		for _, c := range g.List {
			ops, ok := directiveOps(c.Text)
			if !ok {
				continue
			}
			switch name, isDoc := docs[g]; {
			case c.Pos() < f.Package:
				ig.file = append(ig.file, ops...)
			case isDoc:
				ig.funcs[name] = append(ig.funcs[name], ops...)
			default:
				line := tf.Line(c.Pos())
				if aloneOnLine(src, tf.Offset(c.Pos())) {
					line++
				}
				ig.lines[line] = append(ig.lines[line], ops...)
			}
		}
	}
	return ig
}

// directiveOps parses a //gorewrite:ignore comment.
func directiveOps(text string) ([]string, bool) {
	rest, ok := strings.CutPrefix(text, ignoreDirective)
	if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
		return nil, false
	}
	// Anything after a second // is a comment on the directive.
	rest, _, _ = strings.Cut(rest, "//")
	var ops []string
	for _, f := range strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		ops = append(ops, strings.ToUpper(f))
	}
	if len(ops) == 0 {
		return allOps, true
	}
	return ops, true
}

func aloneOnLine(src []byte, off int) bool {
	for i := off - 1; i >= 0 && src[i] != '\n'; i-- {
		if src[i] != ' ' && src[i] != '\t' {
			return false
		}
	}
	return true
}

func (ig *ignores) ignored(line int, fn, op string) bool {
	match := func(ops []string) bool {
		for _, o := range ops {
			if o == "*" || o == op {
				return true
			}
		}
		return false
	}
	return match(ig.file) || (fn != "" && match(ig.funcs[fn])) || match(ig.lines[line])
}
