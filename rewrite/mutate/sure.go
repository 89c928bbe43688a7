package mutate

import (
	"go/ast"
	"go/scanner"
	"go/token"
	"go/types"
	"strings"

	"github.com/gorewrite/gorewrite/rewrite"
)

// Type-checking every candidate is most of what enumeration costs, and for
// most candidates the types findCandidates already holds answer the
// question: swapping < for <= asks nothing of the operands that < did not.
// The functions here say when a change compiles by construction; the rest
// is type-checked. They are conservative, and must be: a sure mutant that
// does not compile is a CompileError in every report. TestSureChecks
// compares them with the type-checker on the standard library.
//
// What none of them takes: a change whose result is a constant (constant
// results are folded at compile time, where overflow, division by zero
// and duplicate switch cases are errors), a constant divisor (x * 0
// becoming x / 0), a shift with a constant operand, arithmetic on a type
// parameter (its type set decides), removing a statement (a variable or
// an import may be left unused) or a condition (the same, and
// if x := f(); true leaves x unused).

// nonConstant reports whether x has a type and is no constant.
func nonConstant(info *types.Info, x ast.Expr) bool {
	tv, ok := info.Types[x]
	return ok && tv.Type != nil && tv.Value == nil && tv.IsValue()
}

// binarySure reports whether n, its operator changed as binaryMutations
// changes it, compiles. Each pair asks the same of the operands' types,
// but for + (strings too) and where constants take part.
func binarySure(info *types.Info, n *ast.BinaryExpr) bool {
	if !nonConstant(info, n) || info.Types[n.X].Type == nil || info.Types[n.Y].Type == nil {
		return false
	}
	switch n.Op {
	case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
		// == and != ask comparable operands, the orderings ordered ones,
		// and the swaps stay within each group. A constant operand is
		// converted to the other's type alike; the result is untyped
		// bool, not constant.
		return true
	case token.LAND, token.LOR:
		// Both ask boolean operands of the same type.
		return true
	}
	// Arithmetic, on typed numbers only: a type parameter's operators
	// depend on its type set, and an untyped result (a shift of an untyped
	// constant by a variable) takes its type from its context.
	b, ok := info.Types[n].Type.Underlying().(*types.Basic)
	if !ok || b.Info()&types.IsUntyped != 0 {
		return false
	}
	// A constant operand is converted to the other's type before the
	// operator is looked at, alike for both; what can fail after is a
	// constant divisor of 0 (x * 0 becoming x / 0), and with shifts, whose
	// constant operands follow rules of their own, we do not try.
	xConst, yConst := !nonConstant(info, n.X), !nonConstant(info, n.Y)
	switch n.Op {
	case token.ADD, token.SUB, token.QUO:
		// -, + and * take any number; + strings too.
		return b.Info()&types.IsNumeric != 0
	case token.MUL:
		// / too, but for a constant divisor.
		return b.Info()&types.IsNumeric != 0 && !yConst
	case token.REM, token.AND, token.OR, token.XOR, token.AND_NOT:
		// Integers, which * and & take too.
		return b.Info()&types.IsInteger != 0
	case token.SHL, token.SHR:
		// The same rules for the operand and the count.
		return b.Info()&types.IsInteger != 0 && !xConst && !yConst
	}
	return false
}

// assignSure is binarySure for x op= y becoming x to= y. x = y (removing
// the operation) is never sure: x += y uses x, x = y does not.
func assignSure(info *types.Info, n *ast.AssignStmt, to token.Token) bool {
	if to == token.ASSIGN || len(n.Lhs) != 1 || len(n.Rhs) != 1 {
		return false
	}
	if !nonConstant(info, n.Lhs[0]) || !nonConstant(info, n.Rhs[0]) {
		return false
	}
	b, ok := info.TypeOf(n.Lhs[0]).Underlying().(*types.Basic)
	if !ok || b.Info()&types.IsUntyped != 0 {
		return false
	}
	switch n.Tok {
	case token.ADD_ASSIGN, token.SUB_ASSIGN, token.MUL_ASSIGN, token.QUO_ASSIGN:
		return b.Info()&types.IsNumeric != 0
	case token.REM_ASSIGN, token.AND_ASSIGN, token.OR_ASSIGN, token.XOR_ASSIGN, token.AND_NOT_ASSIGN,
		token.SHL_ASSIGN, token.SHR_ASSIGN:
		return b.Info()&types.IsInteger != 0
	}
	return false
}

// branchSure reports whether the break or continue on top of the stack
// compiles inverted. A break becomes a continue where there is a loop to
// go on with. A continue becomes a break of the innermost loop, switch or
// select, or of its label's loop: where that is a for with no condition,
// it stops being a terminating statement, and a function may end with no
// return ("missing return"). A switch or select inside the continue's loop
// never ends a function: what the loop holds does not make it terminate.
func branchSure(stack []ast.Node, n *ast.BranchStmt) bool {
	switch n.Tok {
	case token.BREAK:
		return loopAround(stack, n)
	case token.CONTINUE:
		switch t := breakTarget(stack, n).(type) {
		case *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			return true
		case *ast.ForStmt:
			return t.Cond != nil
		}
	}
	return false
}

// loopAround reports whether a continue in n's place has a loop: its
// label's, or for no label any around it in its function.
func loopAround(stack []ast.Node, n *ast.BranchStmt) bool {
	for i := len(stack) - 2; i >= 0; i-- {
		switch s := stack[i].(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			if n.Label == nil {
				return true
			}
		case *ast.LabeledStmt:
			if n.Label != nil && s.Label.Name == n.Label.Name {
				switch s.Stmt.(type) {
				case *ast.ForStmt, *ast.RangeStmt:
					return true
				}
				return false
			}
		}
	}
	return false
}

// breakTarget returns the statement n, a break, would leave: its label's,
// or the innermost for, range, switch or select holding it in its function;
// nil when there is none.
func breakTarget(stack []ast.Node, n *ast.BranchStmt) ast.Stmt {
	for i := len(stack) - 2; i >= 0; i-- {
		switch s := stack[i].(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return nil
		case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			if n.Label == nil {
				return s.(ast.Stmt)
			}
		case *ast.LabeledStmt:
			if n.Label != nil && s.Label.Name == n.Label.Name {
				return s.Stmt
			}
		}
	}
	return nil
}

// tokensStay reports whether the edits' texts scan as they are where they
// go: no token joins its neighbours' (<= becoming < before -x makes <-).
// An unsure answer (a scanning error) is no.
func tokensStay(tf *token.File, src []byte, edits []rewrite.Edit) bool {
	for _, e := range edits {
		start, end := tf.Offset(e.Pos), tf.Offset(e.End)
		var before, after string
		if start > 0 {
			before = joiner(src[start-1])
		}
		if end < len(src) {
			after = joiner(src[end])
		}
		joined, ok1 := scanTokens(before + e.New + after)
		b, ok2 := scanTokens(before)
		m, ok3 := scanTokens(e.New)
		a, ok4 := scanTokens(after)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return false
		}
		apart := append(append(b, m...), a...)
		if len(joined) != len(apart) {
			return false
		}
		for i := range joined {
			if joined[i] != apart[i] {
				return false
			}
		}
	}
	return true
}

// joiner returns c as text when a token could grow across it: not a
// space, a bracket, a separator, or a literal's quote (edits are never
// inside a literal: that quote ends or begins one).
func joiner(c byte) string {
	if strings.IndexByte(" \t\r\n()[]{},;\"'`", c) >= 0 {
		return ""
	}
	return string(c)
}

// scanTokens returns the tokens of s, without the semicolons the scanner
// adds at its end, or false when s does not scan.
func scanTokens(s string) ([]string, bool) {
	var out []string
	if s == "" {
		return out, true
	}
	fset := token.NewFileSet()
	f := fset.AddFile("", -1, len(s))
	var sc scanner.Scanner
	bad := false
	sc.Init(f, []byte(s), func(token.Position, string) { bad = true }, 0)
	for {
		_, tok, lit := sc.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.SEMICOLON && lit == "\n" {
			continue
		}
		out = append(out, tok.String()+" "+lit)
	}
	return out, !bad
}

// returnSure reports whether ret, its results replaced by zeros, compiles.
// Only zeros that are words of the language or literals (nil, false, 0,
// "") are taken, and only where nil and false are not shadowed: a type's
// name could be. The results go, and with them uses of local variables
// and of imports: each must be used elsewhere too (uses counts the file's
// uses), or go/types reports it unused.
func returnSure(pkg *types.Package, info *types.Info, f *ast.File, uses map[types.Object]int, ret *ast.ReturnStmt, zeros string) bool {
	for _, spec := range f.Imports {
		// A dot import is used by names that do not say so; cgo's C is
		// not a package go/types knows.
		if (spec.Name != nil && spec.Name.Name == ".") || spec.Path.Value == `"C"` {
			return false
		}
	}
	scope := pkg.Scope().Innermost(ret.Pos())
	if scope == nil {
		return false
	}
	for _, z := range strings.Split(zeros, ", ") {
		switch z {
		case "0", `""`:
		case "nil", "false":
			if _, obj := scope.LookupParent(z, ret.Pos()); obj != types.Universe.Lookup(z) {
				return false
			}
		default:
			return false
		}
	}
	removed := make(map[types.Object]int)
	for _, x := range ret.Results {
		countUses(pkg, info, x, removed)
	}
	from, to := ret.Results[0].Pos(), ret.Results[len(ret.Results)-1].End()
	for obj, n := range removed {
		// What is declared in the results (in a function literal) goes
		// with its uses.
		if from <= obj.Pos() && obj.Pos() < to {
			continue
		}
		if uses[obj] <= n {
			return false
		}
	}
	return true
}

// countUses adds to counts, per local variable of pkg and per import, the
// identifiers under root that use it, as go/types counts uses: a variable
// assigned to (x = y, not x += y) is not used by it.
func countUses(pkg *types.Package, info *types.Info, root ast.Node, counts map[types.Object]int) {
	assigned := make(map[*ast.Ident]bool)
	lhs := func(xs ...ast.Expr) {
		for _, x := range xs {
			if id, ok := ast.Unparen(x).(*ast.Ident); ok {
				assigned[id] = true
			}
		}
	}
	ast.Inspect(root, func(n ast.Node) bool {
		// Statements come before their identifiers.
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.ASSIGN || n.Tok == token.DEFINE {
				lhs(n.Lhs...)
			}
		case *ast.RangeStmt:
			if n.Tok == token.ASSIGN {
				lhs(n.Key, n.Value)
			}
		case *ast.Ident:
			if !assigned[n] && tracked(pkg, info.Uses[n]) {
				counts[info.Uses[n]]++
			}
		}
		return true
	})
}

// tracked reports whether go/types would report obj unused: an import or a
// variable local to a function of pkg (not a parameter or a result).
func tracked(pkg *types.Package, obj types.Object) bool {
	switch obj := obj.(type) {
	case *types.PkgName:
		return true
	case *types.Var:
		return obj.Kind() == types.LocalVar && obj.Pkg() == pkg
	}
	return false
}
