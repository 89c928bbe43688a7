// Package swap implements gorewrite's operator swap rule: replace operators
// (+ by *, < by <=, && by ||, += by -=, ++ by --, unary - by +, ...) wherever
// the result still type-checks.
//
// A site is swapped only when the new operator is defined on its operands
// and the package, with all the swaps applied, still type-checks: + on
// strings never becomes *, | in a type constraint is not an operator, a
// constant expression whose new value would overflow or divide by zero is
// left alone, and so is one that would change what importers of the package
// see (an exported constant's value, an array length in a type). Parentheses are added where the new operator's precedence
// would regroup the expression (a - b*c with *:+ becomes a - (b + c)).
package swap

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"sync"

	"github.com/gorewrite/gorewrite/rewrite"
)

// Name and Doc describe the rule.
const (
	Name = "swap"
	Doc  = "replace operators (+ by *, < by <=, && by ||, += by -=, ++ by --, ...) where the result still type-checks"
)

// A Pair swaps one operator for another.
type Pair struct {
	Old, New token.Token
}

func (p Pair) String() string { return p.Old.String() + ":" + p.New.String() }

// Site limits a swap to one place: the operator at Line (and Col, when
// not 0) of File, an absolute file name.
type Site struct {
	File      string
	Line, Col int
}

func (s Site) String() string {
	if s.Col == 0 {
		return fmt.Sprintf("%s:%d", s.File, s.Line)
	}
	return fmt.Sprintf("%s:%d:%d", s.File, s.Line, s.Col)
}

// Options configure the rule.
type Options struct {
	Pairs []Pair
	// At, when set, limits the swap to one site.
	At *Site
	// AtReport, when set with At, records what the rule found at the
	// site, so that a run that swapped nothing can say why.
	AtReport *AtReport
}

// AtReport records what a rule limited to a Site found there: whether
// the site's file was among the packages' files, and whether an operator
// the pairs name was at the site (swapped or not). The rule runs on
// several packages at once, so it is safe for concurrent use.
type AtReport struct {
	mu             sync.Mutex
	file, operator bool
}

// File reports whether the site's file was in the packages.
func (r *AtReport) File() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.file
}

// Operator reports whether an operator to swap was at the site.
func (r *AtReport) Operator() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.operator
}

func (r *AtReport) set(file, operator bool) {
	if r == nil || !file && !operator {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.file = r.file || file
	r.operator = r.operator || operator
}

// operator kinds, as a bit set: an operator may be both binary and unary.
type kind int

const (
	binary kind = 1 << iota
	unary
	assign
	incdec
)

var kinds = map[token.Token]kind{
	token.ADD: binary | unary, token.SUB: binary | unary, token.MUL: binary, token.QUO: binary, token.REM: binary,
	token.AND: binary, token.OR: binary, token.XOR: binary | unary, token.SHL: binary, token.SHR: binary, token.AND_NOT: binary,
	token.LAND: binary, token.LOR: binary,
	token.EQL: binary, token.NEQ: binary, token.LSS: binary, token.LEQ: binary, token.GTR: binary, token.GEQ: binary,
	token.NOT:        unary,
	token.ADD_ASSIGN: assign, token.SUB_ASSIGN: assign, token.MUL_ASSIGN: assign, token.QUO_ASSIGN: assign,
	token.REM_ASSIGN: assign, token.AND_ASSIGN: assign, token.OR_ASSIGN: assign, token.XOR_ASSIGN: assign,
	token.SHL_ASSIGN: assign, token.SHR_ASSIGN: assign, token.AND_NOT_ASSIGN: assign,
	token.INC: incdec, token.DEC: incdec,
}

// ParsePairs parses "OLD:NEW[,OLD:NEW...]". The operators of a pair must be
// of a common kind (binary, unary, assignment, increment/decrement), and an
// operator may be swapped to one operator only.
func ParsePairs(spec string) ([]Pair, error) {
	var pairs []Pair
	seen := make(map[token.Token]bool)
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		oldText, newText, ok := cutColon(item)
		if !ok {
			return nil, fmt.Errorf("swap %q: want OLD:NEW, such as '+:*' or '<:<='", item)
		}
		old, ok1 := kindOf(oldText)
		new, ok2 := kindOf(newText)
		switch {
		case !ok1:
			return nil, fmt.Errorf("swap %q: %q is not an operator gorewrite swaps", item, oldText)
		case !ok2:
			return nil, fmt.Errorf("swap %q: %q is not an operator gorewrite swaps", item, newText)
		case old == new:
			return nil, fmt.Errorf("swap %q: the operators are the same", item)
		case kinds[old]&kinds[new] == 0:
			return nil, fmt.Errorf("swap %q: %s and %s are not operators of the same kind", item, old, new)
		case seen[old]:
			return nil, fmt.Errorf("swap %q: %s is already swapped by an earlier pair", item, old)
		}
		seen[old] = true
		pairs = append(pairs, Pair{old, new})
	}
	return pairs, nil
}

// cutColon splits "OLD:NEW" at the colon that separates two operators;
// operators themselves never contain a colon, except := which is not one
// gorewrite swaps.
func cutColon(s string) (string, string, bool) {
	i := strings.IndexByte(s, ':')
	if i <= 0 || i == len(s)-1 {
		return "", "", false
	}
	return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1:]), true
}

func kindOf(text string) (token.Token, bool) {
	for tok := range kinds {
		if tok.String() == text {
			return tok, true
		}
	}
	return token.ILLEGAL, false
}

// New returns the swap rule.
func New(opts Options) *rewrite.Rule {
	return &rewrite.Rule{
		Name:       Name,
		Doc:        Doc,
		NeedsTypes: true,
		Run: func(pass *rewrite.Pass) error {
			return run(pass, opts)
		},
	}
}

// site is one operator to swap. Sites nested directly in one another
// (a + b*c with both operators swapped) are edited together, so that the
// parentheses each needs are decided knowing the other's new operator.
type site struct {
	node   ast.Node
	new    token.Token
	parent int // index of the site directly enclosing this one, or -1
}

func run(pass *rewrite.Pass, opts Options) error {
	to := make(map[token.Token]token.Token, len(opts.Pairs))
	for _, p := range opts.Pairs {
		to[p.Old] = p.New
	}
	var sites []*site
	index := make(map[ast.Node]int)
	for _, f := range pass.Files {
		if opts.At != nil {
			opts.AtReport.set(pass.Fset.Position(f.FileStart).Filename == opts.At.File, false)
		}
		var stack []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			stack = append(stack, n)
			new, opPos, ok := swapFor(pass, n, to)
			// swapFor gives the operator's position even when the new
			// operator is not defined on the operands: it is there, but
			// cannot be swapped.
			if opts.At != nil && opPos.IsValid() && opts.at(pass.Fset, opPos) {
				opts.AtReport.set(false, true)
			}
			if !ok || !opts.at(pass.Fset, opPos) {
				return true
			}
			parent := -1
			if len(stack) > 1 {
				if i, ok := index[stack[len(stack)-2]]; ok {
					parent = i
				}
			}
			index[n] = len(sites)
			sites = append(sites, &site{node: n, new: new, parent: parent})
			return true
		})
	}
	if len(sites) == 0 {
		return nil
	}
	children := make(map[int][]int)
	for i, s := range sites {
		if s.parent >= 0 {
			children[s.parent] = append(children[s.parent], i)
		}
	}
	root := func(i int) int {
		for sites[i].parent >= 0 {
			i = sites[i].parent
		}
		return i
	}
	// editsFor edits each tree of nested sites once, swapping the sites of
	// the subset and leaving the others as they are.
	editsFor := func(subset []int) ([]rewrite.Edit, error) {
		on := make(map[int]bool, len(subset))
		var roots []int
		for _, i := range subset {
			on[i] = true
			if r := root(i); !slices.Contains(roots, r) {
				roots = append(roots, r)
			}
		}
		var edits []rewrite.Edit
		for _, r := range roots {
			e, err := pass.NodeEdits(sites[r].node, build(sites, children, on, r))
			if err != nil {
				return nil, err
			}
			edits = append(edits, e...)
		}
		return edits, nil
	}
	keep, err := pass.SelectWellTyped(rewrite.Candidates{
		N:     len(sites),
		Edits: editsFor,
		// Only where a change is matters to SelectWellTyped here: the
		// site's position stands for its edits.
		EditsOf: func(i int) []rewrite.Edit {
			pos := sites[i].node.Pos()
			return []rewrite.Edit{{Pos: pos, End: pos}}
		},
		KeepExports: true,
	})
	if err != nil {
		return err
	}
	var kept []int
	for i, k := range keep {
		if k {
			kept = append(kept, i)
		}
	}
	if len(kept) == 0 {
		return nil
	}
	edits, err := editsFor(kept)
	if err != nil {
		return err
	}
	pass.Apply(edits...)
	return nil
}

// build returns a copy of site i with its operator swapped when it is on,
// and with its nested sites built the same way.
func build(sites []*site, children map[int][]int, on map[int]bool, i int) ast.Node {
	s := sites[i]
	sub := func(x ast.Expr) ast.Expr {
		for _, c := range children[i] {
			if sites[c].node == x {
				return build(sites, children, on, c).(ast.Expr)
			}
		}
		return x
	}
	switch n := s.node.(type) {
	case *ast.BinaryExpr:
		c := *n
		if on[i] {
			c.Op = s.new
		}
		c.X, c.Y = sub(n.X), sub(n.Y)
		return &c
	case *ast.UnaryExpr:
		c := *n
		if on[i] {
			c.Op = s.new
		}
		c.X = sub(n.X)
		return &c
	case *ast.AssignStmt:
		c := *n
		if on[i] {
			c.Tok = s.new
		}
		c.Lhs = []ast.Expr{sub(n.Lhs[0])}
		c.Rhs = []ast.Expr{sub(n.Rhs[0])}
		return &c
	case *ast.IncDecStmt:
		c := *n
		if on[i] {
			c.Tok = s.new
		}
		c.X = sub(n.X)
		return &c
	}
	return s.node
}

func (o Options) at(fset *token.FileSet, pos token.Pos) bool {
	if o.At == nil {
		return true
	}
	p := fset.Position(pos)
	return p.Filename == o.At.File && p.Line == o.At.Line && (o.At.Col == 0 || p.Column == o.At.Col)
}

// swapFor returns the operator site n is swapped to and the position of
// its operator, or false when n is not a site to swap.
func swapFor(pass *rewrite.Pass, n ast.Node, to map[token.Token]token.Token) (token.Token, token.Pos, bool) {
	info := pass.TypesInfo
	switch n := n.(type) {
	case *ast.BinaryExpr:
		new, ok := to[n.Op]
		if !ok || kinds[new]&binary == 0 {
			return 0, 0, false
		}
		tv, ok := info.Types[n]
		if !ok || !tv.IsValue() { // a | in a type constraint is not an operator
			return 0, 0, false
		}
		return new, n.OpPos, binaryAllowed(info, n, new)
	case *ast.UnaryExpr:
		new, ok := to[n.Op]
		if !ok || kinds[new]&unary == 0 {
			return 0, 0, false
		}
		return new, n.OpPos, unaryAllowed(typeOf(info, n.X), new)
	case *ast.AssignStmt:
		new, ok := to[n.Tok]
		if !ok || kinds[new]&assign == 0 || len(n.Lhs) != 1 || len(n.Rhs) != 1 {
			return 0, 0, false
		}
		return new, n.TokPos, operandsAllowed(assignOp(new), typeOf(info, n.Lhs[0]), typeOf(info, n.Rhs[0]))
	case *ast.IncDecStmt:
		new, ok := to[n.Tok]
		if !ok || kinds[new]&incdec == 0 {
			return 0, 0, false
		}
		return new, n.TokPos, true
	}
	return 0, 0, false
}

func typeOf(info *types.Info, x ast.Expr) types.Type {
	if tv, ok := info.Types[x]; ok {
		return tv.Type
	}
	return nil
}

// assignOp returns the binary operator of an assignment operator (+= → +).
func assignOp(tok token.Token) token.Token {
	return tok - token.ADD_ASSIGN + token.ADD
}

// binaryAllowed is a quick check that the new operator is defined on the
// operands and gives a result of the same kind; the type checker has the
// last word (see KeepWellTyped), this only spares it hopeless candidates.
func binaryAllowed(info *types.Info, n *ast.BinaryExpr, new token.Token) bool {
	// Comparisons and logical operators give booleans, the others their
	// operands' type: a swap across the two changes the expression's type.
	oldBool := isComparison(n.Op) || isLogical(n.Op)
	newBool := isComparison(new) || isLogical(new)
	if oldBool != newBool {
		return false
	}
	x, y := typeOf(info, n.X), typeOf(info, n.Y)
	if !operandsAllowed(new, x, y) {
		return false
	}
	// A constant division by zero does not compile.
	if new == token.QUO || new == token.REM {
		if tv, ok := info.Types[n.Y]; ok && tv.Value != nil && constant.Sign(tv.Value) == 0 {
			return false
		}
	}
	return true
}

func isComparison(op token.Token) bool {
	switch op {
	case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
		return true
	}
	return false
}

func isLogical(op token.Token) bool { return op == token.LAND || op == token.LOR }

// class is what an operand's type allows.
type class int

const (
	unknown class = iota // type parameters and the like: let the type checker decide
	integer
	float
	complexNum
	str
	boolean
	other
)

func classOf(t types.Type) class {
	if t == nil {
		return unknown
	}
	if _, ok := t.(*types.TypeParam); ok {
		return unknown
	}
	b, ok := t.Underlying().(*types.Basic)
	if !ok {
		return other
	}
	info := b.Info()
	switch {
	case info&types.IsInteger != 0:
		return integer
	case info&types.IsFloat != 0:
		return float
	case info&types.IsComplex != 0:
		return complexNum
	case info&types.IsString != 0:
		return str
	case info&types.IsBoolean != 0:
		return boolean
	}
	return other
}

func operandsAllowed(op token.Token, xt, yt types.Type) bool {
	x, y := classOf(xt), classOf(yt)
	if x == unknown || y == unknown {
		return true
	}
	numeric := func(c class) bool { return c == integer || c == float || c == complexNum }
	switch op {
	case token.ADD:
		return numeric(x) || x == str
	case token.SUB, token.MUL, token.QUO:
		return numeric(x)
	case token.REM, token.AND, token.OR, token.XOR, token.AND_NOT:
		return x == integer
	case token.SHL, token.SHR:
		return (x == integer || x == float) && y == integer // untyped float constants may shift
	case token.LAND, token.LOR:
		return x == boolean
	case token.EQL, token.NEQ:
		return true
	case token.LSS, token.LEQ, token.GTR, token.GEQ:
		return x == integer || x == float || x == str
	}
	return false
}

func unaryAllowed(t types.Type, op token.Token) bool {
	c := classOf(t)
	switch {
	case c == unknown:
		return true
	case op == token.ADD || op == token.SUB:
		return c == integer || c == float || c == complexNum
	case op == token.NOT:
		return c == boolean
	case op == token.XOR:
		return c == integer
	}
	return false
}
