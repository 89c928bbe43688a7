package rewrite

import (
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"sort"

	"golang.org/x/tools/go/ast/astutil"
)

// checker type-checks a package again, with some files replaced, so that
// rules can find out whether their edits keep the package well typed.
type checker struct {
	path  string
	fset  *token.FileSet
	files []*ast.File // every file of the package, in order
	conf  types.Config

	// What the unedited package gives, per checking mode (function bodies
	// checked, or skipped): its errors, if any, and its API (fingerprint).
	baseline [2]map[errKey]bool
	exports  [2]map[string]string
}

// checkMode says how much of a package to type-check.
type checkMode int

const (
	wholePackage checkMode = iota
	declsOnly              // skip function bodies: enough for the API, and much faster
)

type errKey struct {
	file   string
	offset int
	msg    string
}

func (c *checker) run(files []*ast.File, mode checkMode) ([]types.Error, *types.Package) {
	return c.runInfo(files, mode, nil)
}

// runInfo is run, recording what info asks for.
func (c *checker) runInfo(files []*ast.File, mode checkMode, info *types.Info) ([]types.Error, *types.Package) {
	var errs []types.Error
	conf := c.conf
	conf.IgnoreFuncBodies = mode == declsOnly
	conf.Error = func(err error) {
		// Soft errors ("declared and not used") fail the build too.
		if te, ok := err.(types.Error); ok {
			errs = append(errs, te)
		}
	}
	pkg, _ := conf.Check(c.path, c.fset, files, info) // errors come through conf.Error
	return errs, pkg
}

// fingerprint describes what importers of pkg can see: its exported
// objects with their types (and constants with their values), every named
// type's underlying type and its methods. Two packages with the same
// fingerprint type-check their importers alike.
func fingerprint(pkg *types.Package) map[string]string {
	fp := make(map[string]string)
	if pkg == nil {
		return fp
	}
	qual := types.RelativeTo(pkg)
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		tn, isType := obj.(*types.TypeName)
		if !obj.Exported() && !isType {
			continue
		}
		desc := types.ObjectString(obj, qual)
		if k, ok := obj.(*types.Const); ok {
			desc += " = " + k.Val().ExactString()
		}
		if isType {
			desc += " : " + types.TypeString(tn.Type().Underlying(), qual)
			if named, ok := tn.Type().(*types.Named); ok {
				for i := 0; i < named.NumMethods(); i++ {
					m := named.Method(i)
					fp[name+"."+m.Name()] = types.ObjectString(m, qual)
				}
			}
		}
		fp[name] = desc
	}
	return fp
}

// Check applies edits (not yet recorded) in memory, type-checks the package
// and returns the errors the edits introduce, positioned in the original
// files. It needs a rule with NeedsTypes.
func (p *Pass) Check(edits []Edit) ([]*Error, error) {
	errs, _, err := p.check(edits, wholePackage, false)
	return errs, err
}

// check is Check, also reporting (when exports is set) which parts of the
// package's API the edits change.
func (p *Pass) check(edits []Edit, mode checkMode, exports bool) ([]*Error, []string, error) {
	errs, changed, _, err := p.checkInfo(edits, mode, exports, nil)
	return errs, changed, err
}

// checkInfo is check, recording what info asks for, and returning the
// files it parsed again.
func (p *Pass) checkInfo(edits []Edit, mode checkMode, exports bool, info *types.Info) ([]*Error, []string, []reparsed, error) {
	c := p.unit.checker
	if c == nil {
		return nil, nil, nil, errors.New("Check needs a rule with NeedsTypes")
	}
	if c.baseline[mode] == nil {
		c.baseline[mode] = make(map[errKey]bool)
		errs, pkg := c.run(c.files, mode)
		for _, e := range errs {
			pos := c.fset.Position(e.Pos)
			c.baseline[mode][errKey{pos.Filename, pos.Offset, e.Msg}] = true
		}
		c.exports[mode] = fingerprint(pkg)
	}
	files, edited, out, err := p.reparse(edits)
	if err != nil || len(out) > 0 {
		return out, nil, nil, err
	}
	typeErrs, pkg := c.runInfo(files, mode, info)
	for _, e := range typeErrs {
		pos := c.fset.Position(e.Pos)
		tf := c.fset.File(e.Pos)
		for _, r := range edited {
			if tf == r.tf {
				pos = r.fs.tf.Position(r.fs.tf.Pos(mapBack(pos.Offset, r.edits)))
				break
			}
		}
		if c.baseline[mode][errKey{pos.Filename, pos.Offset, e.Msg}] {
			continue
		}
		out = append(out, &Error{Pos: pos, Msg: e.Msg})
	}
	var changed []string
	if exports && len(out) == 0 {
		now := fingerprint(pkg)
		for name, desc := range c.exports[mode] {
			if now[name] != desc {
				changed = append(changed, name)
			}
		}
		for name := range now {
			if _, ok := c.exports[mode][name]; !ok {
				changed = append(changed, name)
			}
		}
		sort.Strings(changed)
	}
	return out, changed, edited, nil
}

// reparsed is a file of the package parsed again with edits applied.
type reparsed struct {
	fs    *fileState
	tf    *token.File
	edits []textEdit // sorted
}

// reparse applies edits in memory to the files they touch and parses those
// again. It returns every file of the package, the edited ones replaced,
// and the syntax errors the edits make, positioned in the original files.
func (p *Pass) reparse(edits []Edit) ([]*ast.File, []reparsed, []*Error, error) {
	c := p.unit.checker
	byFile := make(map[*fileState][]textEdit)
	for _, e := range edits {
		fs := p.unit.byFile[p.Fset.File(e.Pos)]
		if fs == nil || p.Fset.File(e.End) != fs.tf || e.End < e.Pos {
			return nil, nil, nil, fmt.Errorf("edit at %s is outside the files of this pass", p.Fset.Position(e.Pos))
		}
		byFile[fs] = append(byFile[fs], textEdit{start: fs.offset(e.Pos), end: fs.offset(e.End), text: e.New, seq: len(byFile[fs])})
	}
	files := slices.Clone(c.files)
	var edited []reparsed
	var out []*Error
	for _, fs := range p.unit.files {
		tes, ok := byFile[fs]
		if !ok {
			continue
		}
		sorted, err := sortEdits(fs.tf, tes)
		if err != nil {
			return nil, nil, nil, err
		}
		raw, _ := applyEdits(fs.src, sorted)
		f, err := parser.ParseFile(c.fset, fs.name, raw, parser.SkipObjectResolution)
		if err != nil {
			// The edits do not even parse: report where, in original terms.
			for _, e := range positionedErrors(fs.name, err) {
				pe := e.(*Error)
				out = append(out, &Error{Pos: fs.tf.Position(fs.tf.Pos(mapBack(pe.Pos.Offset, sorted))), Msg: pe.Msg})
			}
			continue
		}
		i := slices.Index(files, fs.syntax)
		if i < 0 {
			return nil, nil, nil, fmt.Errorf("%s is not part of package %s", fs.name, c.path)
		}
		files[i] = f
		edited = append(edited, reparsed{fs, c.fset.File(f.FileStart), sorted})
	}
	return files, edited, out, nil
}

// A ConstantChange is a constant expression of a package whose value
// edits change (see [Pass.ConstantChanges]).
type ConstantChange struct {
	// Path is the expression (Path[0]) and the nodes enclosing it, up to
	// its file, in the unedited syntax (as astutil.PathEnclosingInterval
	// gives them).
	Path []ast.Node
	// Old is the expression's type and value in the unedited package; New
	// its value with the edits, nil when the edits replaced it.
	Old types.TypeAndValue
	New constant.Value
}

// ConstantChanges applies edits in memory, type-checks the whole package
// and, when the edits introduce no error, lists the constant expressions of
// the package's files (all of them, not only this pass's Files) whose
// values the edits change, in file order and outermost first, and the
// exported names whose declarations change for importers (constants'
// values among them). It needs a rule with NeedsTypes. Rules use it to find
// where a changed constant declaration is felt.
func (p *Pass) ConstantChanges(edits []Edit) ([]ConstantChange, []string, []*Error, error) {
	info := &types.Info{Types: make(map[ast.Expr]types.TypeAndValue)}
	errs, exported, edited, err := p.checkInfo(edits, wholePackage, true, info)
	if err != nil || len(errs) > 0 {
		return nil, nil, errs, err
	}
	c := p.unit.checker
	// The values with the edits, by the expression's range in the
	// unedited files.
	type span struct {
		tf         *token.File
		start, end int
	}
	back := make(map[*token.File]reparsed)
	for _, r := range edited {
		back[r.tf] = r
	}
	now := make(map[span]constant.Value)
	for e, tv := range info.Types {
		if tv.Value == nil {
			continue
		}
		tf := c.fset.File(e.Pos())
		start, end := tf.Offset(e.Pos()), tf.Offset(e.End())
		if r, ok := back[tf]; ok {
			tf, start, end = r.fs.tf, mapBack(start, r.edits), mapBack(end, r.edits)
		}
		now[span{tf, start, end}] = tv.Value
	}
	type changed struct {
		e ast.Expr
		v constant.Value
	}
	byFile := make(map[*token.File][]changed)
	for e, tv := range p.TypesInfo.Types {
		if tv.Value == nil {
			continue
		}
		tf := c.fset.File(e.Pos())
		v := now[span{tf, tf.Offset(e.Pos()), tf.Offset(e.End())}]
		if !sameConstant(v, tv.Value) {
			byFile[tf] = append(byFile[tf], changed{e, v})
		}
	}
	var out []ConstantChange
	for _, f := range c.files {
		list := byFile[c.fset.File(f.FileStart)]
		sort.Slice(list, func(i, j int) bool {
			if list[i].e.Pos() != list[j].e.Pos() {
				return list[i].e.Pos() < list[j].e.Pos()
			}
			return list[i].e.End() > list[j].e.End()
		})
		for _, ch := range list {
			path, _ := astutil.PathEnclosingInterval(f, ch.e.Pos(), ch.e.End())
			// Make sure the path starts at the expression itself, not at
			// a node inside it with the same range.
			if i := slices.IndexFunc(path, func(n ast.Node) bool { return n == ast.Node(ch.e) }); i >= 0 {
				path = path[i:]
			} else {
				path = append([]ast.Node{ch.e}, path...)
			}
			out = append(out, ConstantChange{Path: path, Old: p.TypesInfo.Types[ch.e], New: ch.v})
		}
	}
	return out, exported, nil, nil
}

// sameConstant reports whether a and b are the same value (nil is none).
func sameConstant(a, b constant.Value) bool {
	if a == nil || b == nil {
		return a == b
	}
	numeric := func(k constant.Kind) bool {
		return k == constant.Int || k == constant.Float || k == constant.Complex
	}
	if a.Kind() != b.Kind() && !(numeric(a.Kind()) && numeric(b.Kind())) {
		return false
	}
	return constant.Compare(a, token.EQL, b)
}

// mapBack maps an offset of the edited text to the original text: offsets
// inside an edit's new text map to the start of the edit.
func mapBack(off int, edits []textEdit) int {
	delta := 0
	for _, e := range edits {
		newStart := e.start + delta
		if off < newStart {
			break
		}
		if off < newStart+len(e.text) {
			return e.start
		}
		delta += len(e.text) - (e.end - e.start)
	}
	return off - delta
}

// KeepWellTyped chooses, among changes (each a group of edits that go
// together), a set that can be applied at once with the package still well
// typed, and reports which are in it. See [Pass.SelectWellTyped].
func (p *Pass) KeepWellTyped(changes [][]Edit) ([]bool, error) {
	return p.SelectWellTyped(Candidates{
		N: len(changes),
		Edits: func(subset []int) ([]Edit, error) {
			var edits []Edit
			for _, i := range subset {
				edits = append(edits, changes[i]...)
			}
			return edits, nil
		},
		EditsOf: func(i int) []Edit { return changes[i] },
	})
}

// Candidates are the changes SelectWellTyped chooses from.
type Candidates struct {
	N int // how many
	// Edits returns the edits that make the changes of a subset. They need
	// not be the union of the changes' own edits: changes that touch the
	// same expression may be edited together.
	Edits func(subset []int) ([]Edit, error)
	// EditsOf returns the edits of change i alone; they tell where it is.
	EditsOf func(i int) []Edit
	// KeepExports also rejects changes that alter what importers of the
	// package see: the values of exported constants, the types of exported
	// declarations, named types and their methods. Such a change would
	// type-check here and break a package that imports this one.
	KeepExports bool
}

// SelectWellTyped chooses a set of candidate changes that can be applied at
// once with the package still well typed (and, with KeepExports, its API
// unchanged), and reports which are in it.
//
// All changes are tried together first; when that fails, the changes in
// declarations where type errors appeared are tested in halving groups
// (adaptive group testing), so a few bad changes among many cost a few
// type checks each. A change that breaks type checking, alone or with the
// changes kept before it, is dropped. With KeepExports, the changes outside
// function bodies are first vetted the same way with function bodies left
// unchecked, which is all the API depends on and much faster. It needs a
// rule with NeedsTypes.
func (p *Pass) SelectWellTyped(c Candidates) ([]bool, error) {
	keep := make([]bool, c.N)
	if c.N == 0 {
		return keep, nil
	}
	candidates := allIndexes(c.N)
	if c.KeepExports {
		outside, inside := p.outsideBodies(c.N, c.EditsOf)
		okOutside, err := p.groupTest(c, outside, declsOnly, true, func([]*Error) ([]int, []int) {
			return outside, nil // attribution within declarations is no cheaper than testing
		})
		if err != nil {
			return nil, err
		}
		candidates = append(okOutside, inside...)
		slices.Sort(candidates)
	}
	accepted, err := p.groupTest(c, candidates, wholePackage, false, func(errs []*Error) ([]int, []int) {
		return p.attribute(candidates, c.EditsOf, errs)
	})
	if err != nil {
		return nil, err
	}
	for _, i := range accepted {
		keep[i] = true
	}
	return keep, nil
}

// groupTest returns the largest set of candidates it finds that passes the
// check: all at once if they pass; otherwise the ones attribute does not
// suspect (if they pass), then the suspects in halving groups.
func (p *Pass) groupTest(c Candidates, candidates []int, mode checkMode, exports bool, attribute func([]*Error) (suspects, clean []int)) ([]int, error) {
	if len(candidates) == 0 {
		return nil, nil
	}
	ok := func(idx []int) (bool, []*Error, error) {
		edits, err := c.Edits(idx)
		if err != nil {
			return false, nil, err
		}
		errs, changed, err := p.check(edits, mode, exports)
		if err != nil {
			var pe *Error
			if errors.As(err, &pe) {
				return false, nil, nil // conflicting edits: not together
			}
			return false, nil, err
		}
		return len(errs) == 0 && len(changed) == 0, errs, nil
	}
	good, errs, err := ok(candidates)
	if err != nil || good {
		return candidates, err
	}
	suspects, clean := attribute(errs)
	var accepted []int
	if len(clean) > 0 {
		good, _, err := ok(clean)
		if err != nil {
			return nil, err
		}
		if good {
			accepted = clean
		} else {
			suspects = candidates
		}
	}
	var try func(group []int) error
	try = func(group []int) error {
		if len(group) == 0 {
			return nil
		}
		good, _, err := ok(append(slices.Clone(accepted), group...))
		if err != nil {
			return err
		}
		if good {
			accepted = append(accepted, group...)
			return nil
		}
		if len(group) == 1 {
			return nil
		}
		half := len(group) / 2
		if err := try(group[:half]); err != nil {
			return err
		}
		return try(group[half:])
	}
	if err := try(suspects); err != nil {
		return nil, err
	}
	slices.Sort(accepted)
	return accepted, nil
}

// outsideBodies splits changes into those with an edit outside function
// bodies (declarations, where the API is) and the others.
func (p *Pass) outsideBodies(n int, editsOf func(int) []Edit) (outside, inside []int) {
	return p.partition(allIndexes(n), editsOf, func(fs *fileState, pos token.Pos) bool {
		return fs == nil || !inFuncBody(fs.syntax, pos)
	})
}

// partition splits candidates into those with an edit at which in holds
// and the others.
func (p *Pass) partition(candidates []int, editsOf func(int) []Edit, in func(fs *fileState, pos token.Pos) bool) (yes, no []int) {
	for _, i := range candidates {
		if slices.ContainsFunc(editsOf(i), func(e Edit) bool { return in(p.unit.byFile[p.Fset.File(e.Pos)], e.Pos) }) {
			yes = append(yes, i)
		} else {
			no = append(no, i)
		}
	}
	return yes, no
}

// inFuncBody reports whether pos is inside the body of a function
// declaration.
func inFuncBody(f *ast.File, pos token.Pos) bool {
	decls := f.Decls
	i := sort.Search(len(decls), func(i int) bool { return decls[i].End() > pos })
	if i == len(decls) {
		return false
	}
	fd, ok := decls[i].(*ast.FuncDecl)
	return ok && fd.Body != nil && fd.Body.Pos() < pos && pos < fd.Body.End()
}

// attribute splits changes into those in a top-level declaration where an
// error was reported and the others. When an error cannot be placed, every
// change is a suspect.
func (p *Pass) attribute(candidates []int, editsOf func(int) []Edit, errs []*Error) (suspects, clean []int) {
	type declKey struct {
		file string
		decl int
	}
	declOf := func(fs *fileState, offset int) int {
		decls := fs.syntax.Decls
		i := sort.Search(len(decls), func(i int) bool { return fs.offset(decls[i].End()) >= offset })
		if i < len(decls) && fs.offset(decls[i].Pos()) <= offset {
			return i
		}
		return -1
	}
	bad := make(map[declKey]bool)
	for _, e := range errs {
		var fs *fileState
		for _, f := range p.unit.files {
			if f.name == e.Pos.Filename {
				fs = f
			}
		}
		if fs == nil {
			return candidates, nil
		}
		d := declOf(fs, e.Pos.Offset)
		if d < 0 {
			return candidates, nil
		}
		bad[declKey{fs.name, d}] = true
	}
	return p.partition(candidates, editsOf, func(fs *fileState, pos token.Pos) bool {
		return fs != nil && bad[declKey{fs.name, declOf(fs, fs.offset(pos))}]
	})
}

func allIndexes(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}
