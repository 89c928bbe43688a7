package mutate

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"
	"sync"

	"github.com/gorewrite/gorewrite/rewrite"
)

// RuleName is the name of the rule that enumerates mutants.
const RuleName = "mutate"

// EnumStats counts what enumeration threw away.
type EnumStats struct {
	// Candidates is how many mutants the operators proposed; Rejected how
	// many of them did not type-check and were dropped; Equivalent how
	// many changed a constant declaration without changing any value the
	// program uses, and were dropped too.
	Candidates, Rejected, Equivalent int
	// Checked is how many candidates were type-checked: the others
	// compile by construction (see sure.go).
	Checked int
}

// Found is what the rule found in one package.
type Found struct {
	Mutants []*Mutant
	// Sources holds the content of the files with mutants, by absolute
	// name.
	Sources map[string][]byte
	Stats   EnumStats
}

// A Collector gathers what the rule finds in every package; Add is safe
// for concurrent use, as the rule's found callback needs.
type Collector struct {
	mu      sync.Mutex
	Mutants []*Mutant
	// Sources holds the content of the files with mutants, by absolute
	// name.
	Sources map[string][]byte
	Stats   EnumStats
}

// Add takes in one package's findings.
func (c *Collector) Add(f Found) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Mutants = append(c.Mutants, f.Mutants...)
	if c.Sources == nil {
		c.Sources = make(map[string][]byte)
	}
	for k, v := range f.Sources {
		c.Sources[k] = v
	}
	c.Stats.Candidates += f.Stats.Candidates
	c.Stats.Rejected += f.Stats.Rejected
	c.Stats.Equivalent += f.Stats.Equivalent
	c.Stats.Checked += f.Stats.Checked
}

// NewRule returns a rule that makes no edits: it finds the mutants of each
// package it sees, makes sure each compiles alone (its types prove it, or
// it is type-checked), and hands the ones that do to found (called once
// per package, possibly concurrently for different packages). Mutants
// come out with Status Pending, or Ignored under a //gorewrite:ignore
// directive; ID and RelFile are left for the caller, which knows the
// report's root (see AssignIDs).
func NewRule(operators map[string]bool, found func(Found)) *rewrite.Rule {
	return &rewrite.Rule{
		Name:       RuleName,
		Doc:        "find the mutants of a package (no edits)",
		NeedsTypes: true,
		Run: func(pass *rewrite.Pass) error {
			res, err := packageMutants(pass, operators, checkFast)
			if err != nil {
				return err
			}
			found(res)
			return nil
		},
	}
}

// candidate is a proposed mutant: edits that go together, and when they
// do not type-check, an alternative that may (a condition replaced by
// true || (cond) keeps the variables it uses used).
type candidate struct {
	operator string
	fn       string
	edits    []rewrite.Edit
	alt      []rewrite.Edit
	file     *ast.File
	// body is the body of the top-level function holding the change, nil
	// outside function bodies.
	body *ast.BlockStmt
	// coverAt, when valid, is where coverage is read for the change: the
	// switch or select holding a case expression, which coverage blocks
	// leave out.
	coverAt token.Pos
	schemaForm
	// felt is what a change of a const declaration changes, when its
	// check found out.
	felt *constEffect
	// sure says the change compiles whatever the rest of the package is:
	// the types at hand prove it (see sure.go), and it needs no check.
	sure bool
}

// checking is how packageMutants finds out which candidates compile.
type checking int

const (
	// checkFast takes the sure candidates as they are and type-checks the
	// rest in batches: what mutate does.
	checkFast checking = iota
	// checkBatched type-checks every candidate, in batches; tests compare
	// it with checkFast, which must keep the same mutants.
	checkBatched
	// checkAlone type-checks each candidate alone, for tests of the
	// batching.
	checkAlone
)

// schemaForm is how a candidate switches in the schema (see schema.go): its
// form and the node that switches; for the value form the operator and the
// helper. why, when set, says why it cannot be in the schema.
type schemaForm struct {
	form   siteForm
	anchor ast.Node
	op     token.Token
	opPos  token.Pos
	helper string
	// typ is the value form's operand type; count the shift count's type
	// (nil when untyped).
	typ, count types.Type
	why        string
	// constDecl says the change is in a const declaration: it switches
	// where the constants it changes are used (see schemaconst.go).
	constDecl bool
}

// packageMutants finds the candidates of every file of the pass and keeps
// the ones that type-check, each alone.
//
// Checking each alone would type-check the package once per candidate.
// But a change inside a function body can only break that body (or leave
// an import unused): so candidates are checked in batches holding at most
// one candidate per function, and each error is charged to the candidate
// whose function holds it. A batch with an error nobody's function holds,
// and candidates outside function bodies, are checked one by one.
//
// Most candidates need no check at all: the types findCandidates looked
// at prove they compile (a < becoming <=), which how == checkFast trusts.
func packageMutants(pass *rewrite.Pass, operators map[string]bool, how checking) (Found, error) {
	res := Found{Sources: make(map[string][]byte)}
	var all []*candidate
	var files []*ast.File
	for _, f := range pass.Files {
		// The package may be its test variant: test files are type-checked
		// with it (a mutated constant can break a test), never mutated.
		if strings.HasSuffix(pass.Fset.File(f.FileStart).Name(), "_test.go") {
			continue
		}
		files = append(files, f)
		src := pass.Source(f)
		cands := findCandidates(pass, f, src, operators)
		for i := range cands {
			cands[i].file = f
			all = append(all, &cands[i])
		}
	}
	res.Stats.Candidates = len(all)
	ok := make(map[*candidate][]rewrite.Edit) // the edits that type-check
	check := func(c *candidate) error {
		for _, edits := range [][]rewrite.Edit{c.edits, c.alt} {
			if edits == nil {
				continue
			}
			if c.constDecl {
				// One check for both questions: does it type-check, and
				// where is it felt (see schemaconst.go).
				changes, exported, errs, err := pass.ConstantChanges(edits)
				if err != nil {
					return err
				}
				if len(errs) == 0 {
					ok[c] = edits
					c.felt = &constEffect{changes, exported}
					return nil
				}
				continue
			}
			errs, err := pass.Check(edits)
			if err != nil {
				return err
			}
			if len(errs) == 0 {
				ok[c] = edits
				return nil
			}
		}
		return nil
	}
	// Candidates by function body, in order; the rest alone.
	var bodies [][]*candidate
	index := make(map[*ast.BlockStmt]int)
	for _, c := range all {
		if c.sure && how == checkFast {
			ok[c] = c.edits
			continue
		}
		res.Stats.Checked++
		if c.body == nil || how == checkAlone {
			if err := check(c); err != nil {
				return res, err
			}
			continue
		}
		i, seen := index[c.body]
		if !seen {
			i = len(bodies)
			index[c.body] = i
			bodies = append(bodies, nil)
		}
		bodies[i] = append(bodies[i], c)
	}
	for round := 0; ; round++ {
		var batch []*candidate
		var edits []rewrite.Edit
		for _, b := range bodies {
			if round < len(b) {
				batch = append(batch, b[round])
				edits = append(edits, b[round].edits...)
			}
		}
		if len(batch) == 0 {
			break
		}
		errs, err := pass.Check(edits)
		if err != nil {
			return res, err
		}
		failed := make(map[*candidate]bool)
		ambiguous := false
		for _, e := range errs {
			c := holder(pass, batch, e)
			if c == nil {
				ambiguous = true
				break
			}
			failed[c] = true
		}
		for _, c := range batch {
			switch {
			case ambiguous || (failed[c] && c.alt != nil):
				if err := check(c); err != nil {
					return res, err
				}
			case !failed[c]:
				ok[c] = c.edits
			}
		}
	}
	byCand := make(map[*Mutant]*candidate)
	for _, f := range files {
		src := pass.Source(f)
		tf := pass.Fset.File(f.FileStart)
		ign := parseIgnores(pass.Fset, f, src)
		for _, c := range all {
			if c.file != f {
				continue
			}
			edits, good := ok[c]
			var m *Mutant
			if good {
				m, good = mutantOf(pass.Fset, tf, src, edits)
			}
			if !good {
				res.Stats.Rejected++
				continue
			}
			m.Operator = c.operator
			m.Func = c.fn
			if c.coverAt.IsValid() {
				p := pass.Fset.PositionFor(c.coverAt, false)
				m.coverAt = Position{p.Line, p.Column}
				m.coverAtOffset = p.Offset
			}
			m.Package = pass.Pkg.Path()
			m.Status = Pending
			if ign.ignored(m.Start.Line, c.fn, c.operator) {
				m.Status = Ignored
				m.StatusReason = "//gorewrite:ignore"
			}
			res.Mutants = append(res.Mutants, m)
			res.Sources[m.File] = src
			byCand[m] = c
		}
	}
	kept, err := planSchema(pass, res.Mutants, byCand)
	if err != nil {
		return res, err
	}
	res.Stats.Equivalent = len(res.Mutants) - len(kept)
	res.Mutants = kept
	// The runner switches sites only in files whose content it knows.
	for _, m := range kept {
		for _, s := range m.sites {
			if _, ok := res.Sources[s.file]; !ok {
				for _, f := range pass.Files {
					if pass.Fset.File(f.FileStart).Name() == s.file {
						res.Sources[s.file] = pass.Source(f)
					}
				}
			}
		}
	}
	return res, nil
}

// holder returns the candidate of the batch whose function body holds the
// error, or nil.
func holder(pass *rewrite.Pass, batch []*candidate, e *rewrite.Error) *candidate {
	for _, c := range batch {
		tf := pass.Fset.File(c.body.Pos())
		if tf.Name() != e.Pos.Filename {
			continue
		}
		if off := e.Pos.Offset; off >= tf.Offset(c.body.Pos()) && off < tf.Offset(c.body.End()) {
			return c
		}
	}
	return nil
}

// mutantOf collapses edits (of one file) into one replaced range.
func mutantOf(fset *token.FileSet, tf *token.File, src []byte, edits []rewrite.Edit) (*Mutant, bool) {
	// Insertions go before replacements that start where they are.
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].Pos != edits[j].Pos {
			return edits[i].Pos < edits[j].Pos
		}
		return edits[i].End < edits[j].End
	})
	start, end := tf.Offset(edits[0].Pos), tf.Offset(edits[0].End)
	for _, e := range edits {
		end = max(end, tf.Offset(e.End))
	}
	var b strings.Builder
	at := start
	for _, e := range edits {
		s, t := tf.Offset(e.Pos), tf.Offset(e.End)
		if s < at {
			return nil, false // overlapping edits: not a change one range can say
		}
		b.Write(src[at:s])
		b.WriteString(e.New)
		at = t
	}
	b.Write(src[at:end])
	// Positions in the file itself: //line directives do not count.
	sp, ep := fset.PositionFor(tf.Pos(start), false), fset.PositionFor(tf.Pos(end), false)
	return &Mutant{
		File:        tf.Name(),
		Offset:      start,
		EndOffset:   end,
		Start:       Position{sp.Line, sp.Column},
		End:         Position{ep.Line, ep.Column},
		Original:    string(src[start:end]),
		Replacement: b.String(),
	}, true
}

// findCandidates walks f and proposes every mutant the operators allow,
// in source order.
func findCandidates(pass *rewrite.Pass, f *ast.File, src []byte, operators map[string]bool) []candidate {
	info := pass.TypesInfo
	tf := pass.Fset.File(f.FileStart)
	text := func(n ast.Node) string { return string(src[tf.Offset(n.Pos()):tf.Offset(n.End())]) }
	var out []candidate
	var stack []ast.Node
	fn := ""
	var body *ast.BlockStmt
	var form schemaForm // of the candidates being added
	sure := false       // they compile, by their types (see sure.go)
	var fileUses map[types.Object]int
	uses := func() map[types.Object]int { // for returnSure, counted once
		if fileUses == nil {
			fileUses = make(map[types.Object]int)
			countUses(pass.Pkg, info, f, fileUses)
		}
		return fileUses
	}
	add := func(op string, edits []rewrite.Edit, alt []rewrite.Edit) {
		if operators[op] && len(edits) > 0 {
			sf := form
			if sf.why == whyConstant {
				sf = constFormOf(info, stack, sf.anchor)
			}
			c := candidate{operator: op, fn: fn, edits: edits, alt: alt, coverAt: caseAnchor(stack, edits[0].Pos), schemaForm: sf}
			// A constant's change is checked: its check also finds where
			// it is felt.
			c.sure = sure && !sf.constDecl && sf.why != whyConstant && tokensStay(tf, src, edits)
			if body != nil && body.Pos() <= edits[0].Pos && edits[0].End <= body.End() {
				c.body = body
			}
			out = append(out, c)
		}
	}
	replace := func(pos, end token.Pos, s string) []rewrite.Edit {
		return []rewrite.Edit{{Pos: pos, End: end, New: s}}
	}
	tokenEdit := func(pos token.Pos, old, new token.Token) []rewrite.Edit {
		return replace(pos, pos+token.Pos(len(old.String())), new.String())
	}
	condition := func(cond ast.Expr) {
		if cond == nil || isBoolLiteral(cond) {
			return
		}
		op := "IF_CONDITION"
		if _, ok := stack[len(stack)-1].(*ast.ForStmt); ok {
			op = "LOOP_CONDITION"
		}
		form = exprForm(info, boolForm, cond)
		for _, lit := range []string{"true", "false"} {
			guard := "true || "
			if lit == "false" {
				guard = "false && "
			}
			add(op, replace(cond.Pos(), cond.End(), lit), replace(cond.Pos(), cond.End(), guard+"("+text(cond)+")"))
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			if len(stack) == 1 {
				fn, body = "", nil
			}
			return true
		}
		stack = append(stack, n)
		form = schemaForm{}
		sure = false
		switch n := n.(type) {
		case *ast.FuncDecl:
			fn, body = funcName(n), n.Body
		case *ast.BinaryExpr:
			if tv, ok := info.Types[n]; !ok || !tv.IsValue() {
				return true // | in a constraint is not an operator
			}
			for _, tm := range binaryMutations(n.Op) {
				if !operators[tm.operator] || (n.Op == token.ADD && isString(info.TypeOf(n))) {
					continue
				}
				c := *n
				c.Op = tm.to
				edits, err := pass.NodeEdits(n, &c)
				sure = err == nil && binarySure(info, n)
				if err != nil {
					edits = tokenEdit(n.OpPos, n.Op, tm.to)
				}
				form = exprForm(info, boolForm, n)
				if h := helperName(n.Op, tm.to); h != "" {
					form = exprForm(info, valueForm, n)
					form.op, form.opPos, form.helper = n.Op, n.OpPos, h
					form.typ = info.TypeOf(n)
					if n.Op == token.SHL || n.Op == token.SHR {
						if t := info.TypeOf(n.Y); t != nil && !isUntyped(t) {
							form.count = t
						}
					}
				}
				add(tm.operator, edits, nil)
			}
		case *ast.UnaryExpr:
			switch n.Op {
			case token.SUB:
				form = exprForm(info, valueForm, n)
				form.op, form.opPos, form.helper, form.typ = n.Op, n.OpPos, "NEG", info.TypeOf(n)
				sure = nonConstant(info, n)
				add("INVERT_NEGATIVES", replace(n.OpPos, n.X.End(), text(n.X)), nil)
			case token.NOT:
				form = exprForm(info, boolForm, n)
				sure = nonConstant(info, n)
				add("REMOVE_NOT", replace(n.OpPos, n.X.End(), text(n.X)), nil)
			}
		case *ast.AssignStmt:
			form = stmtFormOf(stack)
			for _, tm := range assignMutations(n.Tok) {
				sure = assignSure(info, n, tm.to)
				add(tm.operator, tokenEdit(n.TokPos, n.Tok, tm.to), nil)
			}
		case *ast.IncDecStmt:
			form = stmtFormOf(stack)
			to := token.INC
			if n.Tok == token.INC {
				to = token.DEC
			}
			// ++ and -- ask the same of their operand.
			sure = true
			add("INCREMENT_DECREMENT", tokenEdit(n.TokPos, n.Tok, to), nil)
		case *ast.BranchStmt:
			form = stmtFormOf(stack)
			sure = branchSure(stack, n)
			switch n.Tok {
			case token.BREAK:
				add("INVERT_LOOPCTRL", tokenEdit(n.TokPos, n.Tok, token.CONTINUE), nil)
			case token.CONTINUE:
				add("INVERT_LOOPCTRL", tokenEdit(n.TokPos, n.Tok, token.BREAK), nil)
			}
		case *ast.IfStmt:
			condition(n.Cond)
		case *ast.ForStmt:
			condition(n.Cond)
		case *ast.ReturnStmt:
			if operators["RETURN_ZERO"] && len(n.Results) > 0 {
				if zeros, ok := zeroResults(pass, f, stack, n); ok {
					form = stmtFormOf(stack)
					sure = returnSure(pass.Pkg, info, f, uses(), n, zeros)
					add("RETURN_ZERO", replace(n.Results[0].Pos(), n.Results[len(n.Results)-1].End(), zeros),
						keptResults(pass.TypesInfo, n, text, zeros))
				}
			}
		case *ast.BlockStmt:
			removals(n.List, info, text, &form, add)
		case *ast.CaseClause:
			removals(n.Body, info, text, &form, add)
		case *ast.CommClause:
			removals(n.Body, info, text, &form, add)
		}
		return true
	})
	// A mutant that changes nothing (a zero returned as zero) is no mutant.
	kept := out[:0]
	for _, c := range out {
		same := true
		for _, e := range c.edits {
			if text(&span{e.Pos, e.End}) != e.New {
				same = false
			}
		}
		if !same {
			kept = append(kept, c)
		}
	}
	return kept
}

// exprForm is the schema form of an expression node: constant and untyped
// expressions cannot switch at run time.
func exprForm(info *types.Info, form siteForm, n ast.Expr) schemaForm {
	f := schemaForm{form: form, anchor: n}
	tv, ok := info.Types[n]
	switch {
	case !ok || tv.Type == nil:
		f.why = whyTypeCheck
	case tv.Value != nil:
		f.why = whyConstant
	case form == valueForm && isUntyped(tv.Type):
		f.why = whyUntyped
	case form == boolForm && !isBoolean(tv.Type):
		f.why = whyTypeCheck
	}
	return f
}

// constFormOf is the schema form of a mutant in a constant expression: the
// largest constant expression holding it switches between the constant
// values of the original and of each mutant, so that both are still
// computed exactly, at compile time; only the choice happens at run time.
// Where a constant is required (a const declaration, an array length), or
// the value's type cannot be named, the mutant is built alone.
func constFormOf(info *types.Info, stack []ast.Node, anchor ast.Node) schemaForm {
	f := schemaForm{form: constForm, anchor: anchor, why: whyConstant}
	i := len(stack) - 1
	for i >= 0 && stack[i] != anchor {
		i--
	}
	if i < 0 {
		i = len(stack) // the anchor (a condition) is a child of the top
	}
	for i > 0 {
		parent, ok := stack[i-1].(ast.Expr)
		if !ok {
			break
		}
		if tv, ok := info.Types[parent]; !ok || tv.Value == nil {
			break
		}
		f.anchor = parent
		i--
	}
	for _, n := range stack[:i] {
		switch n := n.(type) {
		case *ast.GenDecl:
			if n.Tok == token.CONST {
				f.constDecl = true
				return f
			}
		case *ast.ArrayType:
			if n.Len != nil && n.Len.Pos() <= f.anchor.Pos() && f.anchor.End() <= n.Len.End() {
				return f
			}
		}
	}
	tv := info.Types[f.anchor.(ast.Expr)]
	if tv.Type == nil || isUntyped(tv.Type) {
		return f
	}
	f.typ, f.why = tv.Type, ""
	return f
}

// stmtFormOf is the schema form of the statement on top of the stack: one in
// a statement list can become an if statement; a simple statement of a
// for, if or switch header (i++ in a for clause) becomes a function literal
// called at once, holding that if statement. A select case's communication
// cannot be wrapped at all.
func stmtFormOf(stack []ast.Node) schemaForm {
	n := stack[len(stack)-1]
	f := schemaForm{form: stmtForm, anchor: n}
	if len(stack) < 2 {
		f.why = whyPosition
		return f
	}
	switch p := stack[len(stack)-2].(type) {
	case *ast.BlockStmt, *ast.CaseClause, *ast.LabeledStmt:
	case *ast.CommClause:
		if p.Comm == n {
			f.why = whyPosition
		}
	case *ast.ForStmt, *ast.IfStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt:
		f.form = headerForm
	default:
		f.why = whyPosition
	}
	return f
}

func isUntyped(t types.Type) bool {
	b, ok := t.(*types.Basic)
	return ok && b.Info()&types.IsUntyped != 0
}

func isBoolean(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsBoolean != 0
}

// caseAnchor returns the switch or select statement whose case list (not
// body) holds pos, or NoPos.
func caseAnchor(stack []ast.Node, pos token.Pos) token.Pos {
	for i := len(stack) - 1; i > 0; i-- {
		var list []ast.Node
		switch c := stack[i].(type) {
		case *ast.CaseClause:
			for _, x := range c.List {
				list = append(list, x)
			}
		case *ast.CommClause:
			if c.Comm != nil {
				list = append(list, c.Comm)
			}
		default:
			continue
		}
		for _, n := range list {
			if n.Pos() <= pos && pos < n.End() {
				// stack[i-1] is the body of the switch or select, i-2 the statement.
				if i >= 2 {
					return stack[i-2].Pos()
				}
			}
		}
		return token.NoPos
	}
	return token.NoPos
}

// span is a node that is only a range, for text.
type span struct{ pos, end token.Pos }

func (s *span) Pos() token.Pos { return s.pos }
func (s *span) End() token.Pos { return s.end }

// removals proposes REMOVE_STATEMENT mutants for the statements of a list:
// assignments become assignments to _ (so that what the right side uses
// stays used, and its calls still happen), ++/-- and calls whose results
// are unused go.
func removals(list []ast.Stmt, info *types.Info, text func(ast.Node) string, form *schemaForm, add func(string, []rewrite.Edit, []rewrite.Edit)) {
	for _, s := range list {
		// Statements of a list can always be wrapped in an if.
		*form = schemaForm{form: stmtForm, anchor: s}
		switch s := s.(type) {
		case *ast.AssignStmt:
			if s.Tok == token.DEFINE || allBlank(s.Lhs) {
				continue
			}
			blanks := strings.Repeat("_, ", len(s.Lhs))
			blanks = blanks[:len(blanks)-2]
			if s.Tok != token.ASSIGN {
				blanks = "_"
			}
			rhs := text(&span{s.Rhs[0].Pos(), s.Rhs[len(s.Rhs)-1].End()})
			add("REMOVE_STATEMENT", []rewrite.Edit{{Pos: s.Pos(), End: s.End(), New: blanks + " = " + rhs}}, nil)
		case *ast.IncDecStmt:
			add("REMOVE_STATEMENT", []rewrite.Edit{{Pos: s.Pos(), End: s.End(), New: ""}}, nil)
		case *ast.ExprStmt:
			call, ok := ast.Unparen(s.X).(*ast.CallExpr)
			if !ok {
				continue
			}
			if tv, ok := info.Types[call]; ok && tv.IsVoid() {
				add("REMOVE_STATEMENT", []rewrite.Edit{{Pos: s.Pos(), End: s.End(), New: ""}}, nil)
			}
		}
	}
}

func allBlank(xs []ast.Expr) bool {
	for _, x := range xs {
		if id, ok := x.(*ast.Ident); !ok || id.Name != "_" {
			return false
		}
	}
	return true
}

func isBoolLiteral(x ast.Expr) bool {
	id, ok := ast.Unparen(x).(*ast.Ident)
	return ok && (id.Name == "true" || id.Name == "false")
}

func isString(t types.Type) bool {
	if t == nil {
		return false
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

// funcName names a function declaration as reports do: "Name" or
// "Type.Name".
func funcName(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return d.Name.Name
	}
	t := d.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.IndexExpr:
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		case *ast.ParenExpr:
			t = x.X
			continue
		case *ast.Ident:
			return x.Name + "." + d.Name.Name
		}
		return d.Name.Name
	}
}

// zeroResults returns the zero values of the results of the function
// enclosing ret, as source text valid in f, or false when one cannot be
// written there (a struct type of a package f does not import).
func zeroResults(pass *rewrite.Pass, f *ast.File, stack []ast.Node, ret *ast.ReturnStmt) (string, bool) {
	var sig *types.Signature
	for i := len(stack) - 1; i >= 0 && sig == nil; i-- {
		switch fn := stack[i].(type) {
		case *ast.FuncLit:
			sig, _ = pass.TypesInfo.TypeOf(fn).(*types.Signature)
		case *ast.FuncDecl:
			if obj := pass.TypesInfo.Defs[fn.Name]; obj != nil {
				sig, _ = obj.Type().(*types.Signature)
			}
		}
	}
	if sig == nil || sig.Results().Len() == 0 {
		return "", false
	}
	qual := qualifier(pass, f)
	var zeros []string
	for v := range sig.Results().Variables() {
		z, ok := zeroText(v.Type(), qual)
		if !ok {
			return "", false
		}
		zeros = append(zeros, z)
	}
	return strings.Join(zeros, ", "), true
}

// keptResults is the RETURN_ZERO mutant for when returning zeros leaves
// a variable or an import unused: the results are still evaluated, into
// blanks, and then the zeros returned ("_ = x; return 0"). Constants and
// nil, which need no evaluating (and cannot be assigned to _ untyped), are
// left out.
func keptResults(info *types.Info, ret *ast.ReturnStmt, text func(ast.Node) string, zeros string) []rewrite.Edit {
	var exprs []string
	blanks := 0
	if len(ret.Results) == 1 {
		if tuple, ok := info.TypeOf(ret.Results[0]).(*types.Tuple); ok {
			exprs, blanks = []string{text(ret.Results[0])}, tuple.Len()
		}
	}
	if exprs == nil {
		for _, x := range ret.Results {
			if tv, ok := info.Types[x]; ok && (tv.Value != nil || tv.IsNil()) {
				continue
			}
			exprs = append(exprs, text(x))
		}
		blanks = len(exprs)
	}
	if blanks == 0 {
		return nil
	}
	lhs := strings.TrimSuffix(strings.Repeat("_, ", blanks), ", ")
	return []rewrite.Edit{{Pos: ret.Pos(), End: ret.End(), New: lhs + " = " + strings.Join(exprs, ", ") + "; return " + zeros}}
}

// qualifier names packages as f does; a package f does not import cannot
// be named, which the result's "\x00" marks.
func qualifier(pass *rewrite.Pass, f *ast.File) types.Qualifier {
	names := make(map[string]string)
	for _, spec := range f.Imports {
		if pn := pass.TypesInfo.PkgNameOf(spec); pn != nil {
			name := pn.Name()
			if name == "." {
				name = ""
			}
			names[pn.Imported().Path()] = name
		}
	}
	return func(p *types.Package) string {
		if p == pass.Pkg {
			return ""
		}
		if name, ok := names[p.Path()]; ok {
			return name
		}
		return "\x00"
	}
}

// zeroText writes the zero value of t.
func zeroText(t types.Type, qual types.Qualifier) (string, bool) {
	if tp, ok := types.Unalias(t).(*types.TypeParam); ok {
		return "*new(" + tp.Obj().Name() + ")", true
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			return "false", true
		case u.Info()&types.IsString != 0:
			return `""`, true
		case u.Info()&types.IsNumeric != 0:
			return "0", true
		case u.Kind() == types.UnsafePointer:
			return "nil", true
		}
		return "", false
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan, *types.Signature, *types.Interface:
		return "nil", true
	case *types.Struct, *types.Array:
		s := types.TypeString(t, qual)
		if strings.Contains(s, "\x00") {
			return "", false
		}
		return s + "{}", true
	}
	return "", false
}
