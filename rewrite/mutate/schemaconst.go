package mutate

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"math"
	"strconv"
	"strings"

	"github.com/gorewrite/gorewrite/rewrite"
)

// Mutants of constant declarations. A mutant of const N = 16 * 16 cannot
// switch where it is: a const declaration needs a constant. But its effect
// is felt only where the constants it changes are used, and there it can
// switch: every outermost constant expression whose value it changes
// (N + 1 in x := N + 1) becomes P_CONST_int(id, 255, (N + 1)), the two
// values the compiler worked out, exactly, chosen at run time. The values
// come from type-checking the package with the mutant applied, so iota,
// implicit repetition and constants defined from other constants count.
//
// The mutant is built alone instead when a changed value is needed as a
// constant (an array length, an index of an array or slice literal), when a
// test file uses it (test files are compiled as they are), when it changes
// an exported constant of a package with external tests (they, or a
// package of the module they import, may use it), or when a value's
// type cannot be named. A mutant that changes no value anywhere changes
// nothing the program does: it is no mutant. One that changes only an
// exported constant that nothing in the package uses is kept, with no
// coverage: no test of the package can see it.

// whyConstUse are the reasons a constant declaration's mutant is built
// alone.
const (
	whyConstNeeded   = "changes a value that must stay constant"
	whyConstTest     = "changes a constant a test file uses"
	whyConstExported = "changes an exported constant and the package has external tests"
	whyConstType     = "changes a constant whose type cannot be named"
)

// A constUse is where a constant declaration's mutant is felt: a site of the
// constant form, the text of its value with the mutant, and where coverage
// is read for it.
type constUse struct {
	file       string
	start, end int
	helper     string
	text       string
	cover      usePoint
}

// usePoint is a place whose coverage says whether a test runs a mutant: a
// byte offset and a position in a file.
type usePoint struct {
	file   string
	offset int
	pos    Position
}

// constEffect is what a mutant of a constant declaration changes: the
// constant expressions whose values change, and the exported names.
type constEffect struct {
	changes  []rewrite.ConstantChange
	exported []string
}

// declUses works out the sites of a mutant of a constant declaration, from
// its effect when enumeration found it out (nil: from a check of its own).
// It returns them, or why the mutant cannot switch; equivalent says the
// mutant changes nothing.
func declUses(pass *rewrite.Pass, m *Mutant, felt *constEffect, listed map[*ast.File]bool, generics bool) (uses []constUse, why string, equivalent bool, err error) {
	if felt == nil {
		tf := pass.Fset.File(pass.Files[0].FileStart)
		for _, f := range pass.Files {
			if t := pass.Fset.File(f.FileStart); t.Name() == m.File {
				tf = t
			}
		}
		edit := rewrite.Edit{Pos: tf.Pos(m.Offset), End: tf.Pos(m.EndOffset), New: m.Replacement}
		changes, exported, errs, err := pass.ConstantChanges([]rewrite.Edit{edit})
		if err != nil || len(errs) > 0 {
			// It type-checked alone during enumeration; be safe.
			return nil, whyTypeCheck, false, err
		}
		felt = &constEffect{changes, exported}
	}
	changes, exported := felt.changes, felt.exported
	if len(exported) > 0 && pass.ExternalTests {
		// The external tests see the package's API as export data: they
		// would keep the old values, and so would any package of the
		// module they import that uses them. Without external tests,
		// no other package compiled into the test binary can import
		// this one.
		return nil, whyConstExported, false, nil
	}
	for _, ch := range changes {
		path := ch.Path
		e := path[0].(ast.Expr)
		if !outermostConstant(pass.TypesInfo, path) || inConstDecl(path) {
			continue // a larger constant expression holds it, or another constant's declaration
		}
		if constantNeeded(pass.TypesInfo, path) {
			return nil, whyConstNeeded, false, nil
		}
		file := path[len(path)-1].(*ast.File)
		ftf := pass.Fset.File(file.FileStart)
		if strings.HasSuffix(ftf.Name(), "_test.go") {
			return nil, whyConstTest, false, nil
		}
		if !listed[file] {
			return nil, whyGenerated, false, nil
		}
		typ := ch.Old.Type
		if b, ok := typ.(*types.Basic); ok && b.Kind() == types.UntypedBool {
			// An untyped boolean left untyped is a condition (if greet):
			// any boolean will do.
			typ = types.Typ[types.Bool]
		}
		helper := ""
		if name, ok := typeName(pass.Pkg, typ); ok {
			helper = "CONST:" + name
		} else if generics && !isUntyped(typ) {
			helper = "CONST"
		} else {
			return nil, whyConstType, false, nil
		}
		text, ok := constLiteral(ch.New, typ)
		if !ok {
			return nil, whyConstType, false, nil
		}
		at := e.Pos()
		if anchor := caseAnchorOfPath(path); anchor.IsValid() {
			at = anchor
		}
		p := pass.Fset.PositionFor(at, false)
		uses = append(uses, constUse{
			file: ftf.Name(), start: ftf.Offset(e.Pos()), end: ftf.Offset(e.End()),
			helper: helper, text: text,
			cover: usePoint{file: ftf.Name(), offset: p.Offset, pos: Position{p.Line, p.Column}},
		})
	}
	return uses, "", len(uses) == 0 && len(exported) == 0, nil
}

// outermostConstant reports whether path[0] is a constant expression that
// no larger constant expression holds.
func outermostConstant(info *types.Info, path []ast.Node) bool {
	if len(path) < 2 {
		return false
	}
	parent, ok := path[1].(ast.Expr)
	if !ok {
		return true
	}
	tv, ok := info.Types[parent]
	return !ok || tv.Value == nil
}

// inConstDecl reports whether the path runs through a const declaration.
func inConstDecl(path []ast.Node) bool {
	for _, n := range path {
		if d, ok := n.(*ast.GenDecl); ok && d.Tok == token.CONST {
			return true
		}
	}
	return false
}

// constantNeeded reports whether Go needs path[0] to be a constant: an
// array length, or an index key of an array or slice literal.
func constantNeeded(info *types.Info, path []ast.Node) bool {
	e := path[0]
	switch p := path[1].(type) {
	case *ast.ArrayType:
		return p.Len == e
	case *ast.KeyValueExpr:
		if p.Key != e || len(path) < 3 {
			return false
		}
		lit, ok := path[2].(*ast.CompositeLit)
		if !ok {
			return false
		}
		t := info.TypeOf(lit)
		if t == nil {
			return true
		}
		if ptr, ok := t.Underlying().(*types.Pointer); ok { // an elided &T in a literal of pointers
			t = ptr.Elem()
		}
		switch t.Underlying().(type) {
		case *types.Array, *types.Slice:
			return true
		}
	}
	return false
}

// caseAnchorOfPath is caseAnchor for a path (innermost first): the switch
// or select statement of a case expression, whose coverage is the case's.
func caseAnchorOfPath(path []ast.Node) token.Pos {
	stack := make([]ast.Node, len(path))
	for i, n := range path {
		stack[len(path)-1-i] = n
	}
	return caseAnchor(stack, path[0].Pos())
}

// constLiteral writes v as Go source that, converted to t, gives v: an
// integer, a float, a string or a boolean literal.
func constLiteral(v constant.Value, t types.Type) (string, bool) {
	b, ok := t.Underlying().(*types.Basic)
	if !ok || v == nil {
		return "", false
	}
	var s string
	switch info := b.Info(); {
	case info&types.IsBoolean != 0 && v.Kind() == constant.Bool:
		s = strconv.FormatBool(constant.BoolVal(v))
	case info&types.IsString != 0 && v.Kind() == constant.String:
		s = strconv.Quote(constant.StringVal(v))
	case info&types.IsInteger != 0:
		i := constant.ToInt(v)
		if i.Kind() != constant.Int {
			return "", false
		}
		s = i.ExactString()
	case info&types.IsFloat != 0:
		var f float64
		bits := 64
		if b.Kind() == types.Float32 {
			f32, _ := constant.Float32Val(v)
			f, bits = float64(f32), 32
		} else {
			f, _ = constant.Float64Val(v)
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return "", false
		}
		s = strconv.FormatFloat(f, 'g', -1, bits)
	default:
		return "", false
	}
	if strings.HasPrefix(s, "-") {
		s = "(" + s + ")"
	}
	return s, true
}
