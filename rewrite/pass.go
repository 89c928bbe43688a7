package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
)

// A Pass is one run of one rule over a set of files: the files of one
// package when the rule needs types, a single file otherwise. It holds what
// the rule may read and the only ways it may change the source.
//
// Edits are buffered: they take effect when Run returns without error.
type Pass struct {
	Rule *Rule

	// Fset maps the positions of Files (and of every node in them).
	Fset *token.FileSet

	// Files are the files this pass may change, in a deterministic order.
	// Other files of the package (generated ones, or files another package
	// variant owns) are not listed but are part of type checking.
	Files []*ast.File

	// Pkg, TypesInfo and TypesSizes describe the package; they are nil
	// unless Rule.NeedsTypes.
	Pkg        *types.Package
	TypesInfo  *types.Info
	TypesSizes types.Sizes

	// ExternalTests says the load holds an external test package of this
	// one (package p_test, loaded with Config.Tests): code outside the
	// package that its test binary compiles with it.
	ExternalTests bool

	unit     *unit
	known    map[string]string // import path -> package name, from AddPackageImport
	reserved map[string]bool   // names AddImport must not give an import, from Reserve
	pending  []pendingEdit
	imports  []pendingImport
	err      error
}

type pendingEdit struct {
	fs *fileState
	e  textEdit
}

type pendingImport struct {
	fs         *fileState
	path, name string
}

// unit is the set of files rewritten together: one file (syntactic rules)
// or the owned files of one package (typed rules).
type unit struct {
	fset    *token.FileSet
	files   []*fileState
	byFile  map[*token.File]*fileState
	checker *checker // nil without types
	seq     int
}

// fileState is one editable file and what the rules asked of it.
type fileState struct {
	name    string // absolute file name
	src     []byte
	tf      *token.File
	syntax  *ast.File
	edits   []textEdit
	imports []pendingImport
	names   map[string]string // import path -> local name chosen by AddImport
	index   *nodeIndex        // parent links, built on first use
	failed  bool              // a rule failed on this file: leave it alone
	errs    []error
}

func newUnit(fset *token.FileSet, files []*fileState, c *checker) *unit {
	u := &unit{fset: fset, files: files, byFile: make(map[*token.File]*fileState, len(files)), checker: c}
	for _, fs := range files {
		u.byFile[fs.tf] = fs
	}
	return u
}

func (p *Pass) fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf(format, args...)
	}
}

// state returns the editable file holding pos, or nil (and fails the pass).
func (p *Pass) state(pos token.Pos) *fileState {
	if !pos.IsValid() {
		p.fail("edit at an invalid position")
		return nil
	}
	fs := p.unit.byFile[p.Fset.File(pos)]
	if fs == nil {
		p.fail("edit at %s, outside the files of this pass", p.Fset.Position(pos))
	}
	return fs
}

// Source returns the original bytes of f. The slice must not be modified.
func (p *Pass) Source(f *ast.File) []byte {
	if fs := p.unit.byFile[p.Fset.File(f.FileStart)]; fs != nil {
		return fs.src
	}
	return nil
}

// Replace records an edit replacing the source between pos and end with text.
func (p *Pass) Replace(pos, end token.Pos, text string) {
	p.Apply(Edit{Pos: pos, End: end, New: text})
}

// Insert records an edit inserting text at pos.
func (p *Pass) Insert(pos token.Pos, text string) {
	p.Apply(Edit{Pos: pos, End: pos, New: text})
}

// Delete removes node n. When n is alone on its lines (a statement or a
// declaration, typically) the lines go too, so no blank line is left.
func (p *Pass) Delete(n ast.Node) {
	fs := p.state(n.Pos())
	if fs == nil {
		return
	}
	start, end := fs.offset(n.Pos()), fs.offset(n.End())
	start, end = wholeLines(fs.src, start, end)
	p.record(fs, textEdit{start: start, end: end})
}

// ReplaceNode replaces old, a node of one of the pass's files, with new.
// Parts of new taken from the original file (the same pointers) keep their
// source text, comments included; only what differs is edited, and
// parentheses are added where the new tree needs them. See [Pass.NodeEdits].
func (p *Pass) ReplaceNode(old, new ast.Node) {
	edits, err := p.NodeEdits(old, new)
	if err != nil {
		if p.err == nil {
			p.err = err
		}
		return
	}
	p.Apply(edits...)
}

// Apply records edits.
func (p *Pass) Apply(edits ...Edit) {
	for _, e := range edits {
		fs := p.state(e.Pos)
		if fs == nil {
			return
		}
		if e.End < e.Pos || p.Fset.File(e.End) != fs.tf {
			p.fail("edit at %s: end %d out of range", p.Fset.Position(e.Pos), e.End)
			return
		}
		p.record(fs, textEdit{start: fs.offset(e.Pos), end: fs.offset(e.End), text: e.New, part: e.Part, partIndex: e.PartIndex})
	}
}

func (p *Pass) record(fs *fileState, e textEdit) {
	e.rule = p.Rule.Name
	p.unit.seq++
	e.seq = p.unit.seq
	p.pending = append(p.pending, pendingEdit{fs, e})
}

// commit makes the buffered edits of a successful run part of the files.
func (p *Pass) commit() {
	for _, pe := range p.pending {
		pe.fs.edits = append(pe.fs.edits, pe.e)
	}
	for _, pi := range p.imports {
		pi.fs.imports = append(pi.fs.imports, pi)
	}
	p.pending, p.imports = nil, nil
}

func (fs *fileState) offset(pos token.Pos) int {
	return int(pos) - fs.tf.Base()
}

// wholeLines widens [start, end) to whole lines when only blanks share
// those lines with it.
func wholeLines(src []byte, start, end int) (int, int) {
	ls := start
	for ls > 0 && (src[ls-1] == ' ' || src[ls-1] == '\t') {
		ls--
	}
	if ls > 0 && src[ls-1] != '\n' {
		return start, end
	}
	le := end
	for le < len(src) && (src[le] == ' ' || src[le] == '\t' || src[le] == '\r') {
		le++
	}
	if le < len(src) && src[le] != '\n' {
		return start, end
	}
	if le < len(src) {
		le++
	}
	return ls, le
}
