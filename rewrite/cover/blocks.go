package cover

import (
	"bytes"
	"go/ast"
	"go/token"
	"path"
	"path/filepath"
)

// A Block is one basic block of source, as cmd/cover draws it: a run of
// statements that execute together, with the number of statements in it.
// Positions are 1-based lines and byte columns, after //line directives,
// exactly as they appear in a coverage profile.
type Block struct {
	// File is the name the profile gives the block's file:
	// importpath/base.go.
	File                                 string
	StartLine, StartCol, EndLine, EndCol int
	NumStmt                              int
	// Func names the top-level function the block belongs to ("Name" or
	// "Type.Name", "func" for a literal outside any function), for reports.
	Func string
	// Source is the name of the file the block is in and Offset,
	// EndOffset its byte range there, whatever //line directives say
	// (File and the lines follow them, as profiles do).
	Source            string
	Offset, EndOffset int
}

// blockWalker finds the blocks of one file and the byte offsets where their
// probes go, following cmd/cover's Visit, addCounters, statementBoundary and
// endsBasicSourceBlock rule for rule: the profile must be the one go test
// -coverprofile writes, so even its quirks are kept (an else block starts
// right after the else keyword; a labeled statement's label is a statement
// of its own).
type blockWalker struct {
	fi *fileInstr
	funcScope
}

// funcScope follows the walk in and out of functions, for the walkers of
// blocks and branches: both count only inside functions, and both skip
// functions named _ (which never run) and those marked //gorewrite:ignore.
type funcScope struct {
	// inFunc is set while walking a function body; a function literal
	// inside one belongs to the enclosing function, as in cmd/cover's
	// package mode.
	inFunc bool
	// profileFile, funcName and funcLine describe the function being
	// walked.
	profileFile, funcName string
	funcLine              int
}

// walkFunc walks the body of a function declaration or literal with v and
// reports whether node was one (and needs no more walking).
func (s *funcScope) walkFunc(fi *fileInstr, v ast.Visitor, node ast.Node) bool {
	var body *ast.BlockStmt
	name := "func"
	switch n := node.(type) {
	case *ast.FuncDecl:
		if n.Name.Name == "_" || n.Body == nil || fi.ignored(n) {
			return true
		}
		body, name = n.Body, funcDeclName(n)
	case *ast.FuncLit:
		if s.inFunc {
			return false // part of the enclosing function
		}
		body = n.Body
	default:
		return false
	}
	pos := fi.fset.Position(node.Pos())
	s.inFunc, s.funcName, s.funcLine = true, name, pos.Line
	s.profileFile = fi.pkg.ImportPath + "/" + path.Base(filepath.ToSlash(pos.Filename))
	ast.Walk(v, body)
	s.inFunc = false
	return true
}

// Visit implements ast.Visitor.
func (w *blockWalker) Visit(node ast.Node) ast.Visitor {
	switch n := node.(type) {
	case *ast.BlockStmt:
		// The body of a switch or select is a list of clauses, each its
		// own block; the body itself is not one.
		if len(n.List) > 0 {
			switch n.List[0].(type) {
			case *ast.CaseClause:
				for _, s := range n.List {
					c := s.(*ast.CaseClause)
					w.addCounters(c.Colon+1, c.Colon+1, c.End(), c.Body, false)
				}
				return w
			case *ast.CommClause:
				for _, s := range n.List {
					c := s.(*ast.CommClause)
					w.addCounters(c.Colon+1, c.Colon+1, c.End(), c.Body, false)
				}
				return w
			}
		}
		w.addCounters(n.Lbrace, n.Lbrace+1, n.Rbrace+1, n.List, true)
	case *ast.IfStmt:
		if n.Init != nil {
			ast.Walk(w, n.Init)
		}
		ast.Walk(w, n.Cond)
		ast.Walk(w, n.Body)
		if n.Else == nil {
			return nil
		}
		// A probe for "else if y" needs a block to live in, so the else
		// part gets braces of its own: "else {if y {...}}". Its block
		// starts right after the else keyword, as cmd/cover's does.
		elseOff := findText(w.fi.src, w.fi.offset(n.Body.End()), "else")
		if elseOff < 0 {
			panic("cover: lost else")
		}
		w.fi.insert(elseOff+4, "{")
		w.fi.insert(w.fi.offset(n.Else.End()), "}")
		// The block is walked as cmd/cover walks the one it makes up,
		// but its probe goes right before the inner if, or right after
		// the else block's own brace, never between else and what follows
		// (a comment may sit there).
		pos := w.fi.tf.Pos(elseOff + 4)
		switch e := n.Else.(type) {
		case *ast.IfStmt:
			w.addCountersAt(pos, pos+1, e.Pos(), e.End()+1, []ast.Stmt{e}, true)
			ast.Walk(w, e)
		case *ast.BlockStmt:
			w.addCountersAt(pos, pos+1, e.Lbrace+1, e.Rbrace+1, e.List, true)
			for _, s := range e.List {
				ast.Walk(w, s)
			}
		default:
			panic("cover: unexpected else")
		}
		return nil
	case *ast.SelectStmt:
		// An empty select cannot take a probe.
		if n.Body == nil || len(n.Body.List) == 0 {
			return nil
		}
	case *ast.SwitchStmt:
		if n.Body == nil || len(n.Body.List) == 0 {
			if n.Init != nil {
				ast.Walk(w, n.Init)
			}
			if n.Tag != nil {
				ast.Walk(w, n.Tag)
			}
			return nil
		}
	case *ast.TypeSwitchStmt:
		if n.Body == nil || len(n.Body.List) == 0 {
			if n.Init != nil {
				ast.Walk(w, n.Init)
			}
			ast.Walk(w, n.Assign)
			return nil
		}
	case *ast.FuncDecl, *ast.FuncLit:
		if w.walkFunc(w.fi, w, n) {
			return nil
		}
	}
	return w
}

// funcDeclName is the name go tool cover -func shows: Name, Type.Name or
// *Type.Name... it drops the star, as go tool cover does.
func funcDeclName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) != 1 {
		return fn.Name.Name
	}
	t := fn.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fn.Name.Name
	}
	return fn.Name.Name
}

// addCounters splits list, the statements of one block or clause, into
// basic blocks and puts a probe at the start of each: the first at
// insertPos, the others at their first statement. An empty list is a
// block of its own, from insertPos.
func (w *blockWalker) addCounters(pos, insertPos, blockEnd token.Pos, list []ast.Stmt, extendToClosingBrace bool) {
	w.addCountersAt(pos, insertPos, insertPos, blockEnd, list, extendToClosingBrace)
}

// addCountersAt is addCounters with the first probe at at, which need not
// be insertPos: the positions in the profile are cmd/cover's, the place of
// the probe is one where it is valid Go.
func (w *blockWalker) addCountersAt(pos, insertPos, at, blockEnd token.Pos, list []ast.Stmt, extendToClosingBrace bool) {
	if len(list) == 0 {
		w.newCounter(at, insertPos, blockEnd, 0)
		return
	}
	insertPos = at
	list = append([]ast.Stmt(nil), list...)
	for {
		var last int
		end := blockEnd
		for last = 0; last < len(list); last++ {
			stmt := list[last]
			end = statementBoundary(stmt)
			if endsBasicSourceBlock(stmt) {
				// A label may be the target of a goto and so starts a
				// block: "L: stmt" is counted as "L: ; stmt", unless the
				// statement is a loop, switch or select, which cannot be
				// parted from its label.
				if label, ok := stmt.(*ast.LabeledStmt); ok && !isControl(label.Stmt) {
					bare := *label
					bare.Stmt = &ast.EmptyStmt{Semicolon: label.Stmt.Pos(), Implicit: true}
					end = label.Pos()
					list[last] = &bare
					list = append(list, nil)
					copy(list[last+1:], list[last:])
					list[last+1] = label.Stmt
				}
				last++
				extendToClosingBrace = false
				break
			}
		}
		if extendToClosingBrace {
			end = blockEnd
		}
		if pos != end { // blocks can abut, leaving nothing to count
			w.newCounter(insertPos, pos, end, last)
		}
		list = list[last:]
		if len(list) == 0 {
			break
		}
		pos = list[0].Pos()
		insertPos = pos
	}
}

// newCounter records the block from start to end and puts its probe at at.
func (w *blockWalker) newCounter(at, start, end token.Pos, numStmt int) {
	fi := w.fi
	sp, ep := fi.fset.Position(start), fi.fset.Position(end)
	sp, ep = fi.pkg.dedup(sp, ep)
	b := Block{
		File:      w.profileFile,
		StartLine: sp.Line, StartCol: sp.Column,
		EndLine: ep.Line, EndCol: ep.Column,
		NumStmt: min(numStmt, 1<<16-1),
		Func:    w.funcName,
		Source:  fi.name, Offset: fi.offset(start), EndOffset: fi.offset(end),
	}
	fi.insert(fi.offset(at), fi.probe(len(fi.blocks))+";")
	fi.blocks = append(fi.blocks, b)
}

// hasFuncLiteral reports the position of the body of the first function
// literal in n, if any.
func hasFuncLiteral(n ast.Node) (bool, token.Pos) {
	if n == nil {
		return false, token.NoPos
	}
	var found token.Pos
	ast.Inspect(n, func(n ast.Node) bool {
		if found.IsValid() {
			return false
		}
		if lit, ok := n.(*ast.FuncLit); ok {
			found = lit.Body.Lbrace
			return false
		}
		return true
	})
	return found.IsValid(), found
}

// statementBoundary is where the block that s ends stops.
func statementBoundary(s ast.Stmt) token.Pos {
	firstLit := func(nodes ...ast.Node) (token.Pos, bool) {
		for _, n := range nodes {
			if found, pos := hasFuncLiteral(n); found {
				return pos, true
			}
		}
		return token.NoPos, false
	}
	switch s := s.(type) {
	case *ast.BlockStmt:
		return s.Lbrace
	case *ast.IfStmt:
		if pos, ok := firstLit(s.Init, s.Cond); ok {
			return pos
		}
		return s.Body.Lbrace
	case *ast.ForStmt:
		if pos, ok := firstLit(s.Init, s.Cond, s.Post); ok {
			return pos
		}
		return s.Body.Lbrace
	case *ast.LabeledStmt:
		return statementBoundary(s.Stmt)
	case *ast.RangeStmt:
		if pos, ok := firstLit(s.X); ok {
			return pos
		}
		return s.Body.Lbrace
	case *ast.SwitchStmt:
		if pos, ok := firstLit(s.Init, s.Tag); ok {
			return pos
		}
		return s.Body.Lbrace
	case *ast.SelectStmt:
		return s.Body.Lbrace
	case *ast.TypeSwitchStmt:
		if pos, ok := firstLit(s.Init); ok {
			return pos
		}
		return s.Body.Lbrace
	}
	if found, pos := hasFuncLiteral(s); found {
		return pos
	}
	return s.End()
}

// endsBasicSourceBlock reports whether s ends a basic block: it changes the
// flow of control, or holds a function literal, whose body is a block of
// its own. panic(x) is recognised by name, as cmd/cover does.
func endsBasicSourceBlock(s ast.Stmt) bool {
	switch s := s.(type) {
	case *ast.BlockStmt, *ast.BranchStmt, *ast.ForStmt, *ast.IfStmt,
		*ast.LabeledStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.SelectStmt,
		*ast.TypeSwitchStmt:
		return true
	case *ast.ExprStmt:
		if call, ok := s.X.(*ast.CallExpr); ok {
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "panic" && len(call.Args) == 1 {
				return true
			}
		}
	}
	found, _ := hasFuncLiteral(s)
	return found
}

// isControl reports whether s, when labeled, cannot be parted from its
// label.
func isControl(s ast.Stmt) bool {
	switch s.(type) {
	case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.SelectStmt, *ast.TypeSwitchStmt:
		return true
	}
	return false
}

// findText returns the offset of the first text at or after start in src
// that is not inside a comment, or -1. Like cmd/cover's, it does not look
// for string literals: it is only asked for keywords between statements.
func findText(src []byte, start int, text string) int {
	b := []byte(text)
	for i := start; i < len(src); {
		switch {
		case bytes.HasPrefix(src[i:], b):
			return i
		case bytes.HasPrefix(src[i:], []byte("//")):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case bytes.HasPrefix(src[i:], []byte("/*")):
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				return -1
			}
			i += 2 + end + 2
		default:
			i++
		}
	}
	return -1
}

// posKey is a block's extent as dedup compares them: file, line and
// column of both ends.
type posKey struct {
	file           string
	l1, c1, l2, c2 int
}

// dedup gives a block the same start and end as an earlier one a later end
// column, as cmd/cover does for files whose //line directives (or lack of
// formatting) make extents repeat.
func (p *pkgInstr) dedup(sp, ep token.Position) (token.Position, token.Position) {
	k := posKey{sp.Filename + "\x00" + ep.Filename, sp.Line, sp.Column, ep.Line, ep.Column}
	for p.seen[k] {
		k.c2++
	}
	p.seen[k] = true
	ep.Column = k.c2
	return sp, ep
}
