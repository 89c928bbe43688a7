package cover

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"
)

// A Branch is one place where control chooses between outcomes: an if
// (true, false), a for condition (true, false), a switch or select (one
// outcome per clause, and "no case" for a switch without default), or an
// operand of && or || (true, false).
type Branch struct {
	// File is the profile name of the file, as for blocks; the extent is
	// the site's: the statement's keyword to the end of its condition, or
	// the operand.
	File                       string
	Line, Col, EndLine, EndCol int
	Kind                       string // "if", "for", "switch", "select", "&&" or "||"
	Label                      string // the source it stands for, on one line: "if x > 0"
	Outcomes                   []string
	// Func names the enclosing top-level function, FuncLine is the line
	// of its func keyword.
	Func     string
	FuncLine int
	first    int // of its outcomes in the file's branch counters
}

// branchName is the name of file i's branch counter array.
func (p *pkgInstr) branchName(i int) string { return fmt.Sprintf("%sB%d", p.prefix, i) }

// outcomes is the number of branch counters the file needs.
func (fi *fileInstr) outcomes() int {
	n := 0
	for _, b := range fi.branches {
		n += len(b.Outcomes)
	}
	return n
}

// writeBranchHelpers adds the function branch probes call: it records
// which way a condition went and returns it. Conditions are converted to
// bool for it (always valid in if and for); operands of && and || are
// probed only where their type is bool itself, so the chain keeps its type.
func (p *pkgInstr) writeBranchHelpers(b *strings.Builder) {
	inc := func(v string) string {
		switch p.opts.Mode {
		case Count:
			return "*" + v + "++"
		case Atomic:
			return p.prefix + "Inc(" + v + ")"
		}
		return "*" + v + " = 1"
	}
	fmt.Fprintf(b, "\nfunc %sBr(t, f *uint32, v bool) bool {\n\tif v {\n\t\t%s\n\t} else {\n\t\t%s\n\t}\n\treturn v\n}\n", p.prefix, inc("t"), inc("f"))
}

// branchWalker finds the branch sites of a file's functions.
type branchWalker struct {
	fi *fileInstr
	funcScope
}

func (fi *fileInstr) addBranches() {
	ast.Walk(&branchWalker{fi: fi}, fi.file)
}

func (w *branchWalker) Visit(node ast.Node) ast.Visitor {
	fi := w.fi
	switch n := node.(type) {
	case *ast.FuncDecl, *ast.FuncLit:
		if w.walkFunc(fi, w, n) {
			return nil
		}
	case *ast.GenDecl:
		if n.Tok == token.CONST {
			return nil // constant expressions must stay constant
		}
	case *ast.ArrayType:
		return nil // so must array lengths
	}
	if !w.inFunc {
		return w
	}
	switch n := node.(type) {
	case *ast.IfStmt:
		if n.Init != nil {
			ast.Walk(w, n.Init)
		}
		w.condition(n.Pos(), "if", n.Cond)
		ast.Walk(w, n.Body)
		if n.Else != nil {
			ast.Walk(w, n.Else)
		}
		return nil
	case *ast.ForStmt:
		if n.Init != nil {
			ast.Walk(w, n.Init)
		}
		if n.Cond != nil {
			w.condition(n.Pos(), "for", n.Cond)
		}
		if n.Post != nil {
			ast.Walk(w, n.Post)
		}
		ast.Walk(w, n.Body)
		return nil
	case *ast.SwitchStmt:
		label := "switch"
		if n.Tag != nil {
			label += " " + fi.text(n.Tag)
		}
		w.clauses(n.Pos(), n.Body, "switch", label, true)
	case *ast.TypeSwitchStmt:
		w.clauses(n.Pos(), n.Body, "switch", "switch "+fi.text(n.Assign), true)
	case *ast.SelectStmt:
		w.clauses(n.Pos(), n.Body, "select", "select", false)
	case *ast.BinaryExpr:
		if n.Op == token.LAND || n.Op == token.LOR {
			w.operands(n)
			return nil
		}
	}
	return w
}

// add records a branch site from start to end with the given outcomes.
func (w *branchWalker) add(start, end token.Pos, kind, label string, outcomes ...string) *Branch {
	fi := w.fi
	sp, ep := fi.fset.Position(start), fi.fset.Position(end)
	b := Branch{
		File: w.profileFile,
		Line: sp.Line, Col: sp.Column, EndLine: ep.Line, EndCol: ep.Column,
		Kind: kind, Label: label, Outcomes: outcomes, Func: w.funcName, FuncLine: w.funcLine,
		first: fi.outcomes(),
	}
	fi.branches = append(fi.branches, b)
	return &fi.branches[len(fi.branches)-1]
}

// counterRef is the address of outcome i of the file's branch counters.
func (w *branchWalker) counterRef(i int) string {
	return fmt.Sprintf("&%s[%d]", w.fi.pkg.branchName(w.fi.index), i)
}

// condition probes an if or for condition, then its operands.
func (w *branchWalker) condition(kw token.Pos, kind string, cond ast.Expr) {
	fi := w.fi
	b := w.add(kw, cond.End(), kind, kind+" "+fi.text(cond), "true", "false")
	first := b.first
	fi.insertExpr(fi.offset(cond.Pos()), fmt.Sprintf("%sBr(%s, %s, bool(", fi.pkg.prefix, w.counterRef(first), w.counterRef(first+1)))
	ast.Walk(w, cond)
	fi.insert(fi.offset(cond.End()), "))")
}

// operands probes each operand of a chain of && and || whose type is bool
// (as the type checker found, in Package.BoolOperands). Other operands (of
// a named boolean type, constant, or in a package without types) are only
// walked, for nested chains.
func (w *branchWalker) operands(e *ast.BinaryExpr) {
	for _, x := range []ast.Expr{e.X, e.Y} {
		inner := ast.Unparen(x)
		if b, ok := inner.(*ast.BinaryExpr); ok && (b.Op == token.LAND || b.Op == token.LOR) {
			w.operands(b)
			continue
		}
		if !w.fi.boolOperand(x) {
			ast.Walk(w, x)
			continue
		}
		b := w.add(x.Pos(), x.End(), e.Op.String(), w.fi.text(x), "true", "false")
		first := b.first
		w.fi.insertExpr(w.fi.offset(x.Pos()), fmt.Sprintf("%sBr(%s, %s, ", w.fi.pkg.prefix, w.counterRef(first), w.counterRef(first+1)))
		ast.Walk(w, x)
		w.fi.insert(w.fi.offset(x.End()), ")")
	}
}

// boolOperand reports whether the type checker found x to be a bool that
// is not constant.
func (fi *fileInstr) boolOperand(x ast.Expr) bool {
	return fi.pkg.BoolOperands[fi.name][[2]int{fi.offset(x.Pos()), fi.offset(x.End())}]
}

// clauses probes each clause of a switch or select and, for a switch
// without a default clause, the case where no clause is taken (with a
// default clause added before the closing brace, on its line).
func (w *branchWalker) clauses(kw token.Pos, body *ast.BlockStmt, kind, label string, implicit bool) {
	fi := w.fi
	if body == nil || len(body.List) == 0 {
		return
	}
	var outcomes []string
	hasDefault := false
	for _, s := range body.List {
		switch c := s.(type) {
		case *ast.CaseClause:
			if c.List == nil {
				hasDefault = true
				outcomes = append(outcomes, "default")
			} else {
				outcomes = append(outcomes, "case "+fi.textList(c.List))
			}
		case *ast.CommClause:
			if c.Comm == nil {
				hasDefault = true
				outcomes = append(outcomes, "default")
			} else {
				outcomes = append(outcomes, "case "+fi.text(c.Comm))
			}
		}
	}
	addImplicit := implicit && !hasDefault
	if addImplicit {
		outcomes = append(outcomes, "no case")
	}
	b := w.add(kw, body.Lbrace, kind, label, outcomes...)
	first := b.first
	for i, s := range body.List {
		var colon token.Pos
		switch c := s.(type) {
		case *ast.CaseClause:
			colon = c.Colon
		case *ast.CommClause:
			colon = c.Colon
		}
		fi.insert(fi.offset(colon)+1, w.branchProbe(first+i)+";")
	}
	if addImplicit {
		// The semicolon ends the last statement when the closing brace
		// shares its line.
		fi.insert(fi.offset(body.Rbrace), "; default: "+w.branchProbe(first+len(body.List))+"; ")
	}
}

// branchProbe counts outcome i.
func (w *branchWalker) branchProbe(i int) string {
	c := fmt.Sprintf("%s[%d]", w.fi.pkg.branchName(w.fi.index), i)
	switch w.fi.pkg.opts.Mode {
	case Count:
		return c + "++"
	case Atomic:
		return fmt.Sprintf("%sInc(&%s)", w.fi.pkg.prefix, c)
	}
	return c + " = 1"
}

// text is n's source on one line, shortened to a readable length.
func (fi *fileInstr) text(n ast.Node) string {
	s := string(fi.src[fi.offset(n.Pos()):fi.offset(n.End())])
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

func (fi *fileInstr) textList(list []ast.Expr) string {
	parts := make([]string, len(list))
	for i, e := range list {
		parts[i] = fi.text(e)
	}
	return strings.Join(parts, ", ")
}

// branchTable encodes branch outcomes for the runtime like blockTable:
// six numbers per outcome (file index, site start line and column, end
// line and column, outcome index).
func branchTable(branches []Branch) (names, meta string) {
	var t fileTable
	for _, b := range branches {
		for k := range b.Outcomes {
			t.add(b.File, b.Line, b.Col, b.EndLine, b.EndCol, k)
		}
	}
	return t.source()
}
