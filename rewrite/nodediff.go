package rewrite

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/printer"
	"go/token"
	"reflect"
	"regexp"
	"sort"
	"strings"
)

// This file turns "replace this node with that tree" into byte edits.
//
// The new tree may reuse nodes of the original file (the same pointers).
// Those keep their original text, comments included. The differ walks the
// old and the new tree together: where a new node is a fresh copy of the
// old one with only an operator, a name or a literal changed, it edits just
// that token; where it is an original node it copies that node's text; only
// where the shapes differ does it print new code, with go/printer, and even
// then original subtrees inside it are pasted from the source rather than
// reprinted. Comments that would vanish with replaced code are kept next to
// the replacement.

// nodeIndex finds nodes of a file's original tree. It searches by
// position rather than indexing every node up front, so that the few
// questions most rewrites ask cost little; after many questions it indexes
// the whole tree once, so that many cost little too.
type nodeIndex struct {
	root    *ast.File
	parents map[ast.Node]ast.Node // found so far; a nil value for the root
	absent  map[ast.Node]bool
	queries int
	all     map[ast.Node]ast.Node // every node and its parent, once built
	copies  map[copyKey]ast.Node  // see original
}

// indexAfter is the number of searches after which the whole tree is indexed.
const indexAfter = 64

func (fs *fileState) nodes() *nodeIndex {
	if fs.index == nil {
		fs.index = &nodeIndex{root: fs.syntax, parents: map[ast.Node]ast.Node{fs.syntax: nil}, absent: map[ast.Node]bool{}}
	}
	return fs.index
}

// original returns the node of the original tree that n, a node not in it,
// is a copy of: the same type at the same positions of its own tokens (a
// copy made as c := *n keeps them, whatever happens to its children). It
// returns nil when there is none. A false match does no harm: a copy is
// rendered as the original's text edited into n (see renderCopy).
func (ix *nodeIndex) original(n ast.Node) ast.Node {
	if ix.copies == nil {
		ix.copies = make(map[copyKey]ast.Node)
		ast.Inspect(ix.root, func(c ast.Node) bool {
			if c != nil {
				if k, ok := keyOf(c); ok {
					if _, dup := ix.copies[k]; !dup {
						ix.copies[k] = c
					}
				}
			}
			return true
		})
	}
	k, ok := keyOf(n)
	if !ok {
		return nil
	}
	if o := ix.copies[k]; o != n {
		return o
	}
	return nil
}

// copyKey identifies a node by its type and the positions of its own
// tokens (its range, for nodes that have none).
type copyKey struct {
	t   reflect.Type
	pos [4]token.Pos
}

func keyOf(n ast.Node) (copyKey, bool) {
	v := reflect.ValueOf(n)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return copyKey{}, false
	}
	k := copyKey{t: v.Type()}
	e := v.Elem()
	i := 0
	for f := 0; f < e.NumField() && i < len(k.pos); f++ {
		if e.Field(f).Type() == posType {
			k.pos[i] = e.Field(f).Interface().(token.Pos)
			i++
		}
	}
	if i == 0 {
		k.pos[0], k.pos[1] = n.Pos(), n.End()
	}
	valid := false
	for _, p := range k.pos {
		valid = valid || p.IsValid()
	}
	return k, valid
}

// has reports whether n is a node of the original tree (the same pointer,
// not a copy).
func (ix *nodeIndex) has(n ast.Node) bool {
	_, ok := ix.parent(n)
	return ok
}

// parent returns the parent of n in the original tree, and whether n is in
// it at all.
func (ix *nodeIndex) parent(n ast.Node) (ast.Node, bool) {
	if n == nil || isNil(n) {
		return nil, false
	}
	if p, ok := ix.parents[n]; ok {
		return p, true
	}
	if ix.absent[n] {
		return nil, false
	}
	if ix.all == nil {
		if ix.queries++; ix.queries > indexAfter {
			ix.all = make(map[ast.Node]ast.Node)
			var stack []ast.Node
			ast.Inspect(ix.root, func(c ast.Node) bool {
				if c == nil {
					stack = stack[:len(stack)-1]
					return false
				}
				var p ast.Node
				if len(stack) > 0 {
					p = stack[len(stack)-1]
				}
				ix.all[c] = p
				stack = append(stack, c)
				return true
			})
		}
	}
	if ix.all != nil {
		p, ok := ix.all[n]
		return p, ok
	}
	pos, end := n.Pos(), n.End()
	if !pos.IsValid() || pos < ix.root.FileStart || end > ix.root.FileEnd {
		ix.absent[n] = true
		return nil, false
	}
	var stack []ast.Node
	found := false
	ast.Inspect(ix.root, func(c ast.Node) bool {
		if found {
			return false
		}
		if c == nil {
			stack = stack[:len(stack)-1]
			return false
		}
		// Prune what cannot contain n. A binary expression's Pos walks
		// its left operands, which is quadratic on long a+b+c+... chains:
		// check only its End.
		if c.End() < end {
			return false
		}
		if _, chain := c.(*ast.BinaryExpr); !chain && c.Pos() > pos {
			return false
		}
		if c == n {
			if len(stack) > 0 {
				ix.parents[n] = stack[len(stack)-1]
			}
			found = true
			return false
		}
		stack = append(stack, c)
		return true
	})
	if !found {
		ix.absent[n] = true
	}
	return ix.parents[n], found
}

// NodeEdits returns the edits that turn old, a node of one of the pass's
// files, into new, without recording them. A nil new deletes old.
func (p *Pass) NodeEdits(old, new ast.Node) ([]Edit, error) {
	if old == nil || isNil(old) {
		return nil, fmt.Errorf("rule %s: replacing a nil node", p.Rule.Name)
	}
	fs := p.unit.byFile[p.Fset.File(old.Pos())]
	if fs == nil {
		return nil, fmt.Errorf("rule %s: node at %s is not in the files of this pass", p.Rule.Name, p.Fset.Position(old.Pos()))
	}
	ix := fs.nodes()
	parent, ok := ix.parent(old)
	if !ok {
		return nil, fmt.Errorf("rule %s: node at %s is not part of the syntax tree of its file", p.Rule.Name, p.Fset.Position(old.Pos()))
	}
	d := &differ{fs: fs, ix: ix, fset: p.Fset}
	if new == nil || isNil(new) {
		start, end := wholeLines(fs.src, fs.offset(old.Pos()), fs.offset(old.End()))
		return []Edit{{Pos: fs.tf.Pos(start), End: fs.tf.Pos(end)}}, nil
	}
	d.root = new
	d.node(slot{parent: parent, field: fieldOf(parent, old)}, old, new)
	return d.edits, d.err
}

func isNil(n ast.Node) bool {
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// slot is where a node sits: its parent (in the new tree) and the field.
type slot struct {
	parent        ast.Node
	field         string
	parentChanged bool // the parent's operator changed: check parentheses
}

type differ struct {
	fs    *fileState
	ix    *nodeIndex
	fset  *token.FileSet
	edits []Edit
	err   error
	root  ast.Node // the new tree
	refs  []span   // extents of the original nodes it reuses, once needed
	found bool     // refs is computed
}

// collectRefs records the original nodes the new tree reuses: the comments
// inside them travel with them and are not orphaned where they were.
func (d *differ) collectRefs() {
	if d.found {
		return
	}
	d.found = true
	ast.Inspect(d.root, func(n ast.Node) bool {
		if n == nil || isNil(n) {
			return false
		}
		if d.ix.has(n) {
			start, end := d.extent(n)
			d.refs = append(d.refs, span{start, end})
			return false
		}
		if o := d.ix.original(n); o != nil {
			// A changed copy keeps the original's text, comments and all,
			// wherever it goes (see renderCopy), except where the copy
			// differs: those parts are looked into further.
			d.refs = append(d.refs, d.unchangedParts(o, n)...)
		}
		return true
	})
}

// unchangedParts returns the parts of o's text that turning o into n
// leaves as they are.
func (d *differ) unchangedParts(o, n ast.Node) []span {
	if !d.sameShape(o, n) {
		return nil // printed anew: nothing of o's text stays
	}
	sub := &differ{fs: d.fs, ix: d.ix, fset: d.fset, root: d.root, found: true}
	sub.node(slot{}, o, n)
	start, end := d.extent(o)
	if sub.err != nil {
		return nil
	}
	var edited []span
	for _, e := range sub.edits {
		edited = append(edited, span{d.fs.offset(e.Pos), d.fs.offset(e.End)})
	}
	sort.Slice(edited, func(i, j int) bool { return edited[i].start < edited[j].start })
	var parts []span
	at := start
	for _, e := range edited {
		if e.start > at {
			parts = append(parts, span{at, e.start})
		}
		at = max(at, e.end)
	}
	if at < end {
		parts = append(parts, span{at, end})
	}
	return parts
}

// extent is the byte range of n, extended over block comments that follow
// it on its line before the next comma or closing bracket: in
// f(err /* the cause */, msg) the comment goes where err goes.
func (d *differ) extent(n ast.Node) (int, int) {
	src := d.fs.src
	start, end := d.fs.offset(n.Pos()), d.fs.offset(n.End())
	if _, ok := n.(ast.Stmt); ok {
		return d.stmtExtent(n, start, end)
	}
	if _, ok := n.(ast.Expr); !ok {
		return start, end
	}
	i := end
	for {
		j := i
		for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
			j++
		}
		if j+1 >= len(src) || src[j] != '/' || src[j+1] != '*' {
			break
		}
		k := bytes.Index(src[j+2:], []byte("*/")) // not the * of /* itself: /*/ */
		if k < 0 || bytes.IndexByte(src[j:j+2+k], '\n') >= 0 {
			break
		}
		i = j + 2 + k + 2
	}
	j := i
	for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
		j++
	}
	if i > end && j < len(src) && strings.IndexByte(",)]};\n", src[j]) >= 0 {
		return start, i
	}
	return start, end
}

// stmtExtent extends a statement's range over the comments that go with
// it: those on the lines right above it (starting their lines, no blank
// line between) and the one ending its line.
func (d *differ) stmtExtent(n ast.Node, start, end int) (int, int) {
	src := d.fs.src
	if _, block := n.(*ast.BlockStmt); !block {
		comments := d.fs.syntax.Comments
		i := sort.Search(len(comments), func(i int) bool { return d.fs.offset(comments[i].End()) > start }) - 1
		for ; i >= 0; i-- {
			cs, ce := d.fs.offset(comments[i].Pos()), d.fs.offset(comments[i].End())
			gap := src[ce:start]
			if len(bytes.TrimSpace(gap)) != 0 || bytes.Count(gap, []byte("\n")) > 1 {
				break
			}
			ls := cs
			for ls > 0 && (src[ls-1] == ' ' || src[ls-1] == '\t') {
				ls--
			}
			if ls > 0 && src[ls-1] != '\n' {
				break // the comment ends another statement's line
			}
			start = cs
		}
	}
	return start, d.fs.offset(d.lineEnd(d.fs.tf.Pos(end)))
}

func (d *differ) failf(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf(format, args...)
	}
}

func (d *differ) text(n ast.Node) string {
	start, end := d.extent(n)
	return string(d.fs.src[start:end])
}

func (d *differ) add(pos, end token.Pos, text string) {
	start, stop := d.fs.offset(pos), d.fs.offset(end)
	var before, after byte
	if start > 0 {
		before = d.fs.src[start-1]
	}
	if stop < len(d.fs.src) {
		after = d.fs.src[stop]
	}
	d.edits = append(d.edits, Edit{Pos: pos, End: end, New: unfuse(before, text, after)})
}

// unfuse spaces text from the bytes around it where they would otherwise
// fuse into another token: - and -x make --x, & and &x make &&x, / and *p
// open a comment, return and x make returnx. gofmt removes the spaces
// where they are not needed.
func unfuse(before byte, text string, after byte) string {
	if text == "" {
		return text
	}
	fuse := func(a, b byte) bool {
		return isOperatorByte(a) && isOperatorByte(b) || isWordByte(a) && isWordByte(b)
	}
	if fuse(before, text[0]) {
		text = " " + text
	}
	if fuse(text[len(text)-1], after) {
		text += " "
	}
	return text
}

// isWordByte reports whether b can be part of an identifier, keyword or
// number (any byte of a non-ASCII letter counts).
func isWordByte(b byte) bool {
	return b == '_' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b >= 0x80
}

// node records the edits turning old into new in slot s.
func (d *differ) node(s slot, old, new ast.Node) {
	if d.err != nil {
		return
	}
	if old == new {
		if s.parentChanged && needParens(s, old, nil) {
			d.add(old.Pos(), old.Pos(), "(")
			d.add(old.End(), old.End(), ")")
		}
		return
	}
	// A node of old's type over exactly old's range is a copy of old
	// (no two nodes of one type share a range), so no search is needed.
	if !(reflect.TypeOf(old) == reflect.TypeOf(new) && old.Pos() == new.Pos() && old.End() == new.End()) && d.ix.has(new) {
		text := d.text(new)
		if needParens(s, new, nil) {
			text = "(" + text + ")"
		}
		d.replaceRange(old, text)
		return
	}
	if !d.sameShape(old, new) {
		d.replaceRendered(s, old, new)
		return
	}
	changed := d.tokenEdits(old, new)
	// A changed operator, or a changed parent, may need new parentheses.
	// (The old node needed none: it would be a ParenExpr.)
	if (changed || s.parentChanged) && needParens(s, new, nil) {
		// Close after the comments that go with old's last operand,
		// which a replacement of that operand takes along (see extent).
		_, end := d.extent(old)
		d.add(old.Pos(), old.Pos(), "(")
		d.add(d.fs.tf.Pos(end), d.fs.tf.Pos(end), ")")
	}
	d.children(old, new, changed)
}

// children diffs the child nodes of old and new, which have the same shape.
func (d *differ) children(old, new ast.Node, parentChanged bool) {
	ov, nv := reflect.ValueOf(old).Elem(), reflect.ValueOf(new).Elem()
	t := ov.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if skipField(t, f) {
			continue
		}
		of, nf := ov.Field(i), nv.Field(i)
		switch {
		case f.Type.Kind() == reflect.Slice && isNodeType(f.Type.Elem()):
			if isListOf(f.Type, stmtType) || isListOf(f.Type, declType) {
				d.list(old, f.Name, of, nf)
				continue
			}
			for j := 0; j < of.Len(); j++ {
				d.child(new, f.Name, parentChanged, of.Index(j), nf.Index(j))
			}
		case isNodeType(f.Type):
			d.child(new, f.Name, parentChanged, of, nf)
		}
	}
}

func (d *differ) child(parent ast.Node, field string, parentChanged bool, of, nf reflect.Value) {
	if of.IsNil() {
		return // sameShape checked that both are nil
	}
	d.node(slot{parent: parent, field: field, parentChanged: parentChanged}, of.Interface().(ast.Node), nf.Interface().(ast.Node))
}

// list diffs statement or declaration lists, which may change length:
// runs of original elements are aligned, the rest replaced.
func (d *differ) list(oldParent ast.Node, field string, ov, nv reflect.Value) {
	n := func(v reflect.Value, i int) ast.Node { return v.Index(i).Interface().(ast.Node) }
	index := make(map[ast.Node]int, ov.Len())
	for i := 0; i < ov.Len(); i++ {
		index[n(ov, i)] = i
	}
	sep := "\n"
	if field == "Decls" {
		sep = "\n\n"
	}
	i, j := 0, 0
	for (i < ov.Len() || j < nv.Len()) && d.err == nil {
		if i < ov.Len() && j < nv.Len() && n(ov, i) == n(nv, j) {
			i, j = i+1, j+1
			continue
		}
		// Find the next new element that is an original one further on.
		i2, j2 := ov.Len(), j
		for ; j2 < nv.Len(); j2++ {
			if k, ok := index[n(nv, j2)]; ok && k >= i {
				i2 = k
				break
			}
		}
		if j2 == nv.Len() {
			i2 = ov.Len()
		}
		olds, news := make([]ast.Node, 0, i2-i), make([]ast.Node, 0, j2-j)
		for k := i; k < i2; k++ {
			olds = append(olds, n(ov, k))
		}
		for k := j; k < j2; k++ {
			news = append(news, n(nv, k))
		}
		d.listRegion(oldParent, olds, news, sep, i)
		i, j = i2, j2
	}
}

func (d *differ) listRegion(oldParent ast.Node, olds, news []ast.Node, sep string, at int) {
	switch {
	case len(olds) == len(news):
		for k := range olds {
			d.node(slot{parent: oldParent}, olds[k], news[k])
		}
	case len(news) == 0:
		for _, o := range olds {
			start, end := wholeLines(d.fs.src, d.fs.offset(o.Pos()), d.fs.offset(o.End()))
			d.add(d.fs.tf.Pos(start), d.fs.tf.Pos(end), "")
		}
	case len(olds) == 0:
		var parts []string
		for _, nn := range news {
			parts = append(parts, d.renderNode(nn))
		}
		text := strings.Join(parts, sep)
		if pos, ok := d.listEnd(oldParent, at); ok {
			d.add(pos, pos, sep+text)
		} else {
			d.failf("cannot insert into %T", oldParent)
		}
	default:
		// New elements that equal old ones (a statement a pattern rule
		// copied from its template, say) stay where they are, with their
		// comments: align them, and insert and delete around them.
		if pairs := d.alignEquivalent(olds, news); len(pairs) > 0 {
			oi, ni := 0, 0
			for _, pr := range append(pairs, [2]int{len(olds), len(news)}) {
				d.listRegion(oldParent, olds[oi:pr[0]], news[ni:pr[1]], sep, at+oi)
				if pr[0] < len(olds) {
					d.node(slot{parent: oldParent}, olds[pr[0]], news[pr[1]])
				}
				oi, ni = pr[0]+1, pr[1]+1
			}
			return
		}
		var parts []string
		for _, nn := range news {
			parts = append(parts, d.renderNode(nn))
		}
		first, last := olds[0], olds[len(olds)-1]
		d.replaceSpan(d.fs.offset(first.Pos()), d.fs.offset(last.End()), strings.Join(parts, sep), true)
	}
}

// alignEquivalent returns the longest sequence of pairs (i, j), increasing
// in both, where news[j] is equivalent to olds[i] (turning one into the
// other takes no edit) or a changed copy of it.
func (d *differ) alignEquivalent(olds, news []ast.Node) [][2]int {
	if len(olds)*len(news) > 4096 {
		return nil
	}
	eq := func(i, j int) bool {
		if d.ix.original(news[j]) == olds[i] {
			return true // a changed copy: edit it in place
		}
		d.collectRefs()
		sub := &differ{fs: d.fs, ix: d.ix, fset: d.fset, root: d.root, refs: d.refs, found: true}
		sub.node(slot{}, olds[i], news[j])
		return sub.err == nil && len(sub.edits) == 0
	}
	// Longest common subsequence, by dynamic programming from the end.
	n, m := len(olds), len(news)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	same := make([][]bool, n)
	for i := n - 1; i >= 0; i-- {
		same[i] = make([]bool, m)
		for j := m - 1; j >= 0; j-- {
			same[i][j] = eq(i, j)
			if same[i][j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var pairs [][2]int
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case same[i][j] && lcs[i][j] == lcs[i+1][j+1]+1:
			pairs = append(pairs, [2]int{i, j})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			i++
		default:
			j++
		}
	}
	return pairs
}

// listEnd returns the position after which new elements go so that they
// come just before element at of the list (or at its end).
func (d *differ) listEnd(parent ast.Node, at int) (token.Pos, bool) {
	var list []ast.Node
	var open token.Pos
	switch p := parent.(type) {
	case *ast.BlockStmt:
		for _, s := range p.List {
			list = append(list, s)
		}
		open = p.Lbrace + 1
	case *ast.CaseClause:
		for _, s := range p.Body {
			list = append(list, s)
		}
		open = p.Colon + 1
	case *ast.CommClause:
		for _, s := range p.Body {
			list = append(list, s)
		}
		open = p.Colon + 1
	case *ast.File:
		for _, s := range p.Decls {
			list = append(list, s)
		}
		open = p.Name.End()
		if len(p.Imports) > 0 {
			open = p.Decls[0].End() // imports come first
		}
	default:
		return token.NoPos, false
	}
	if at > 0 {
		return d.lineEnd(list[at-1].End()), true
	}
	return d.lineEnd(open), true
}

// lineEnd moves pos past the comments that end its line, so that what is
// inserted there goes after a statement's trailing comment, not between.
func (d *differ) lineEnd(pos token.Pos) token.Pos {
	src := d.fs.src
	i := d.fs.offset(pos)
	j := i
	for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
		j++
	}
	switch {
	case j+1 < len(src) && src[j] == '/' && src[j+1] == '/':
		for j < len(src) && src[j] != '\n' && src[j] != '\r' {
			j++
		}
		return d.fs.tf.Pos(j)
	case j+1 < len(src) && src[j] == '/' && src[j+1] == '*':
		k := bytes.Index(src[j+2:], []byte("*/"))
		if k >= 0 && bytes.IndexByte(src[j:j+2+k], '\n') < 0 {
			e := j + 2 + k + 2
			m := e
			for m < len(src) && (src[m] == ' ' || src[m] == '\t') {
				m++
			}
			if m == len(src) || src[m] == '\n' || src[m] == '\r' {
				return d.fs.tf.Pos(e)
			}
		}
	}
	return pos
}

// sameShape reports whether new can be turned into old by editing tokens
// in place and diffing the children one by one.
func (d *differ) sameShape(old, new ast.Node) bool {
	ov, nv := reflect.ValueOf(old), reflect.ValueOf(new)
	if ov.Type() != nv.Type() || ov.Kind() != reflect.Pointer {
		return false
	}
	ov, nv = ov.Elem(), nv.Elem()
	t := ov.Type()
	editable := editableFields[t.Name()]
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if skipField(t, f) {
			continue
		}
		of, nf := ov.Field(i), nv.Field(i)
		switch {
		case f.Type == posType:
			if semanticPos[t.Name()+"."+f.Name] && of.Interface().(token.Pos).IsValid() != nf.Interface().(token.Pos).IsValid() {
				return false
			}
		case f.Type.Kind() == reflect.Slice:
			if isListOf(f.Type, stmtType) || isListOf(f.Type, declType) {
				continue
			}
			if of.Len() != nf.Len() {
				return false
			}
			for j := 0; j < of.Len(); j++ {
				if of.Index(j).IsNil() != nf.Index(j).IsNil() {
					return false
				}
			}
		case isNodeType(f.Type):
			if of.IsNil() != nf.IsNil() {
				return false
			}
		default:
			if of.Interface() != nf.Interface() && !editable[f.Name] {
				return false
			}
		}
	}
	return true
}

var (
	posType   = reflect.TypeFor[token.Pos]()
	nodeType  = reflect.TypeFor[ast.Node]()
	stmtType  = reflect.TypeFor[ast.Stmt]()
	declType  = reflect.TypeFor[ast.Decl]()
	exprType  = reflect.TypeFor[ast.Expr]()
	identType = reflect.TypeFor[*ast.Ident]()
	blockType = reflect.TypeFor[*ast.BlockStmt]()
	specType  = reflect.TypeFor[ast.Spec]()
)

// editableFields are the scalar fields edited in place, by node type.
var editableFields = map[string]map[string]bool{
	"BinaryExpr": {"Op": true},
	"UnaryExpr":  {"Op": true},
	"AssignStmt": {"Tok": true},
	"IncDecStmt": {"Tok": true},
	"BranchStmt": {"Tok": true},
	"Ident":      {"Name": true},
	"BasicLit":   {"Kind": true, "Value": true},
}

// semanticPos are position fields whose validity changes the syntax.
var semanticPos = map[string]bool{
	"CallExpr.Ellipsis": true, // f(x...)
	"TypeSpec.Assign":   true, // type A = B
	"GenDecl.Lparen":    true, // var ( ... )
}

func skipField(t reflect.Type, f reflect.StructField) bool {
	switch f.Type {
	case reflect.TypeFor[*ast.Object](), reflect.TypeFor[*ast.Scope](), reflect.TypeFor[*ast.CommentGroup](),
		reflect.TypeFor[[]*ast.CommentGroup]():
		return true
	}
	if t.Name() == "File" {
		switch f.Name {
		case "Imports", "Unresolved", "Comments", "Scope":
			return true
		}
	}
	return false
}

func isNodeType(t reflect.Type) bool {
	return t.Implements(nodeType) || t == nodeType
}

func isListOf(t, elem reflect.Type) bool {
	return t.Kind() == reflect.Slice && t.Elem() == elem
}

// tokenEdits edits the tokens that differ between old and new (which have
// the same shape) and reports whether there were any.
func (d *differ) tokenEdits(old, new ast.Node) bool {
	switch o := old.(type) {
	case *ast.BinaryExpr:
		return d.tokenEdit(o.OpPos, o.Op, new.(*ast.BinaryExpr).Op)
	case *ast.UnaryExpr:
		return d.tokenEdit(o.OpPos, o.Op, new.(*ast.UnaryExpr).Op)
	case *ast.AssignStmt:
		return d.tokenEdit(o.TokPos, o.Tok, new.(*ast.AssignStmt).Tok)
	case *ast.IncDecStmt:
		return d.tokenEdit(o.TokPos, o.Tok, new.(*ast.IncDecStmt).Tok)
	case *ast.BranchStmt:
		return d.tokenEdit(o.TokPos, o.Tok, new.(*ast.BranchStmt).Tok)
	case *ast.Ident:
		n := new.(*ast.Ident)
		if o.Name != n.Name {
			d.add(o.Pos(), o.End(), n.Name)
			return true
		}
	case *ast.BasicLit:
		n := new.(*ast.BasicLit)
		if o.Value != n.Value || o.Kind != n.Kind {
			d.add(o.Pos(), o.End(), n.Value)
			return true
		}
	}
	return false
}

func (d *differ) tokenEdit(pos token.Pos, old, new token.Token) bool {
	if old == new {
		return false
	}
	if !pos.IsValid() {
		d.failf("cannot edit token %s: no position", old)
		return false
	}
	// add keeps the new token from fusing with its neighbours: a-(-b)
	// written a- -b must not become a--b, nor a+*p become a/*p.
	d.add(pos, pos+token.Pos(len(old.String())), new.String())
	return true
}

func isOperatorByte(b byte) bool {
	return strings.IndexByte("+-*/%&|^<>=!:.", b) >= 0
}

// replaceRange replaces old (with the comments that follow it, see
// extent) with text.
func (d *differ) replaceRange(old ast.Node, text string) {
	_, isStmt := old.(ast.Stmt)
	_, isDecl := old.(ast.Decl)
	start, end := d.extent(old)
	d.replaceSpan(start, end, text, isStmt || isDecl)
}

// replaceSpan replaces [start, end) with text, keeping the comments inside
// the span that the new tree does not carry elsewhere: before the text on
// their own lines (statements) or after it as /* */ comments (expressions).
func (d *differ) replaceSpan(start, end int, text string, lines bool) {
	var orphans []string
	comments := d.fs.syntax.Comments
	first := sort.Search(len(comments), func(i int) bool { return d.fs.offset(comments[i].End()) > start })
	for _, cg := range comments[first:] {
		if d.fs.offset(cg.Pos()) >= end {
			break
		}
		for _, c := range cg.List {
			cs, ce := d.fs.offset(c.Pos()), d.fs.offset(c.End())
			if cs < start || ce > end || d.carried(cs, ce) {
				continue
			}
			orphans = append(orphans, c.Text)
		}
	}
	if len(orphans) > 0 {
		var b strings.Builder
		if lines {
			for _, c := range orphans {
				b.WriteString(c)
				b.WriteString("\n")
			}
			b.WriteString(text)
		} else {
			b.WriteString(text)
			for _, c := range orphans {
				if strings.HasPrefix(c, "//") {
					if strings.Contains(c, "*/") {
						d.failf("%s: cannot keep comment %q next to the replacement", d.fs.tf.Position(d.fs.tf.Pos(start)), c)
						return
					}
					c = "/*" + c[2:] + " */"
				}
				b.WriteString(" ")
				b.WriteString(c)
			}
		}
		text = b.String()
	}
	d.add(d.fs.tf.Pos(start), d.fs.tf.Pos(end), text)
}

// carried reports whether the comment at [start, end) is inside an
// original node the new tree reuses.
func (d *differ) carried(start, end int) bool {
	d.collectRefs()
	for _, r := range d.refs {
		if r.start <= start && end <= r.end {
			return true
		}
	}
	return false
}

// replaceRendered replaces old with new printed as Go code.
func (d *differ) replaceRendered(s slot, old, new ast.Node) {
	text := d.renderNode(new)
	if d.err != nil {
		return
	}
	if needParens(s, new, nil) {
		text = "(" + text + ")"
	}
	d.replaceRange(old, text)
}

// renderNode prints new, pasting the source text of original subtrees.
func (d *differ) renderNode(new ast.Node) string {
	if d.ix.has(new) {
		return d.text(new)
	}
	if text, ok := d.renderCopy(new); ok {
		return text
	}
	r := &renderer{d: d, holes: map[string]ast.Node{}}
	printable := r.copy(reflect.ValueOf(new), reflect.TypeOf(new)).Interface().(ast.Node)
	var buf bytes.Buffer
	cfg := printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}
	if err := cfg.Fprint(&buf, d.fset, printable); err != nil {
		d.failf("printing replacement: %v", err)
		return ""
	}
	out := buf.String()
	for name, n := range r.holes {
		text, ok := r.texts[name]
		if !ok {
			text = d.text(n)
		}
		var re *regexp.Regexp
		switch r.kinds[name] {
		case holeBlock:
			re = regexp.MustCompile(`\{\s*` + name + `\s*\}`)
		case holeDecl:
			re = regexp.MustCompile(`var ` + name)
		default:
			re = regexp.MustCompile(name)
		}
		if loc := re.FindStringIndex(out); loc != nil {
			var before, after byte
			if loc[0] > 0 {
				before = out[loc[0]-1]
			}
			if loc[1] < len(out) {
				after = out[loc[1]]
			}
			out = out[:loc[0]] + unfuse(before, text, after) + out[loc[1]:]
		}
	}
	return out
}

// renderCopy renders new when it is a changed copy of an original node
// that now goes elsewhere (a call's arguments swapped after a rewrite
// inside one of them): the original's text with the differences edited in,
// so its layout, blank lines and comments survive the move.
func (d *differ) renderCopy(new ast.Node) (string, bool) {
	o := d.ix.original(new)
	if o == nil || !d.sameShape(o, new) {
		return "", false // (a different shape would be printed anyway)
	}
	start, end := d.fs.offset(o.Pos()), d.fs.offset(o.End())
	d.collectRefs() // (a no-op while the refs are being collected)
	sub := &differ{fs: d.fs, ix: d.ix, fset: d.fset, root: d.root, refs: d.refs, found: true}
	sub.node(slot{}, o, new)
	if sub.err != nil {
		return "", false
	}
	var edits []textEdit
	for i, e := range sub.edits {
		es, ee := d.fs.offset(e.Pos), d.fs.offset(e.End)
		if es < start || ee > end {
			return "", false // the copy's edits reach outside it
		}
		edits = append(edits, textEdit{start: es - start, end: ee - start, text: e.New, seq: i})
	}
	sorted, err := sortEdits(d.fs.tf, edits)
	if err != nil {
		return "", false
	}
	out, _ := applyEdits(d.fs.src[start:end], sorted)
	return string(out), true
}

type holeKind int

const (
	holeExpr holeKind = iota
	holeBlock
	holeDecl
)

// renderer makes a printable copy of a new tree: fresh nodes are copied with
// their positions collapsed (so the printer keeps them together, as gofmt -r
// does), original subtrees become placeholder identifiers.
type renderer struct {
	d     *differ
	holes map[string]ast.Node
	kinds map[string]holeKind
	texts map[string]string // a hole's text when it is not its node's source
}

func (r *renderer) placeholder(n ast.Node, kind holeKind) *ast.Ident {
	name := fmt.Sprintf("gorewriteHole%d_", len(r.holes))
	r.holes[name] = n
	if r.kinds == nil {
		r.kinds = map[string]holeKind{}
	}
	r.kinds[name] = kind
	return &ast.Ident{Name: name}
}

func (r *renderer) copy(v reflect.Value, static reflect.Type) reflect.Value {
	if !v.IsValid() || (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
		return reflect.Zero(static)
	}
	if v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	if n, ok := v.Interface().(ast.Node); ok && !r.d.ix.has(n) && (static == exprType || static == stmtType) {
		// A changed copy of an original node: its text, edited.
		if text, ok := r.d.renderCopy(n); ok {
			var ph *ast.Ident
			var out reflect.Value
			if static == exprType {
				ph = r.placeholder(n, holeExpr)
				out = reflect.ValueOf(ph)
			} else {
				ph = r.placeholder(n, holeExpr)
				out = reflect.ValueOf(&ast.ExprStmt{X: ph})
			}
			if r.texts == nil {
				r.texts = make(map[string]string)
			}
			r.texts[ph.Name] = text
			return out
		}
	}
	if n, ok := v.Interface().(ast.Node); ok && r.d.ix.has(n) {
		switch {
		case static == exprType || static == identType:
			return reflect.ValueOf(r.placeholder(n, holeExpr))
		case static == stmtType:
			return reflect.ValueOf(&ast.ExprStmt{X: r.placeholder(n, holeExpr)})
		case static == blockType:
			return reflect.ValueOf(&ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: r.placeholder(n, holeBlock)}}})
		case static == declType:
			return reflect.ValueOf(&ast.GenDecl{Tok: token.VAR, Specs: []ast.Spec{&ast.ValueSpec{Names: []*ast.Ident{r.placeholder(n, holeDecl)}}}})
		case static == specType:
			return reflect.ValueOf(&ast.ValueSpec{Names: []*ast.Ident{r.placeholder(n, holeExpr)}})
		}
		// Any other original node (a field list, a function type...) is
		// copied like a fresh one; its expressions become placeholders.
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.Elem().Kind() != reflect.Struct {
			return v
		}
		c := reflect.New(v.Elem().Type())
		r.copyStruct(c.Elem(), v.Elem())
		node, _ := c.Interface().(ast.Node)
		r.parenthesize(node)
		return c
	case reflect.Slice:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			c.Index(i).Set(r.copy(v.Index(i), v.Type().Elem()))
		}
		return c
	}
	return v
}

func (r *renderer) copyStruct(dst, src reflect.Value) {
	t := src.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		sv := src.Field(i)
		switch {
		case skipField(t, f):
		case f.Type == posType:
			if sv.Interface().(token.Pos).IsValid() && semanticPos[t.Name()+"."+f.Name] {
				dst.Field(i).Set(reflect.ValueOf(token.Pos(1)))
			}
		case f.Type.Kind() == reflect.Slice || f.Type.Kind() == reflect.Pointer || f.Type.Kind() == reflect.Interface:
			dst.Field(i).Set(r.copy(sv, f.Type))
		default:
			dst.Field(i).Set(sv)
		}
	}
}

// parenthesize wraps the operands of n that would otherwise bind wrongly.
func (r *renderer) parenthesize(n ast.Node) {
	wrap := func(field string, e *ast.Expr) {
		if *e == nil {
			return
		}
		if needParens(slot{parent: n, field: field}, *e, r.holes) {
			*e = &ast.ParenExpr{X: *e}
		}
	}
	switch n := n.(type) {
	case *ast.BinaryExpr:
		wrap("X", &n.X)
		wrap("Y", &n.Y)
	case *ast.UnaryExpr:
		wrap("X", &n.X)
	case *ast.StarExpr:
		wrap("X", &n.X)
	case *ast.SelectorExpr:
		wrap("X", &n.X)
	case *ast.IndexExpr:
		wrap("X", &n.X)
	case *ast.IndexListExpr:
		wrap("X", &n.X)
	case *ast.SliceExpr:
		wrap("X", &n.X)
	case *ast.TypeAssertExpr:
		wrap("X", &n.X)
	case *ast.CallExpr:
		wrap("Fun", &n.Fun)
	}
}

// needParens reports whether expression e needs parentheses in slot s.
// holes maps placeholder names to the original nodes they stand for.
func needParens(s slot, e ast.Node, holes map[string]ast.Node) bool {
	if id, ok := e.(*ast.Ident); ok && holes != nil {
		if n, ok := holes[id.Name]; ok {
			e = n
		}
	}
	x, ok := e.(ast.Expr)
	if !ok {
		return false
	}
	prec := exprPrec(x)
	switch p := s.parent.(type) {
	case *ast.BinaryExpr:
		switch s.field {
		case "X":
			return prec < p.Op.Precedence()
		case "Y":
			return prec <= p.Op.Precedence()
		}
	case *ast.UnaryExpr, *ast.StarExpr:
		return s.field == "X" && prec < token.UnaryPrec
	case *ast.SelectorExpr, *ast.IndexExpr, *ast.IndexListExpr, *ast.SliceExpr, *ast.TypeAssertExpr:
		return s.field == "X" && (prec < token.HighestPrec || isTypeLiteralNeedingParens(x))
	case *ast.CallExpr:
		return s.field == "Fun" && (prec < token.HighestPrec || isTypeLiteralNeedingParens(x))
	}
	return false
}

func exprPrec(x ast.Expr) int {
	switch x := x.(type) {
	case *ast.BinaryExpr:
		return x.Op.Precedence()
	case *ast.UnaryExpr, *ast.StarExpr:
		return token.UnaryPrec
	case *ast.KeyValueExpr:
		return 0
	}
	return token.HighestPrec
}

func isTypeLiteralNeedingParens(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.FuncType:
		return true
	case *ast.ChanType:
		return x.Dir == ast.RECV
	}
	return false
}

// fieldOf returns the name of the field of parent that holds child.
func fieldOf(parent, child ast.Node) string {
	if parent == nil || isNil(parent) {
		return ""
	}
	pv := reflect.ValueOf(parent).Elem()
	if pv.Kind() != reflect.Struct {
		return ""
	}
	for i := 0; i < pv.NumField(); i++ {
		f := pv.Field(i)
		switch f.Kind() {
		case reflect.Interface, reflect.Pointer:
			if !f.IsNil() && f.Interface() == child {
				return pv.Type().Field(i).Name
			}
		case reflect.Slice:
			for j := 0; j < f.Len(); j++ {
				if e := f.Index(j); (e.Kind() == reflect.Interface || e.Kind() == reflect.Pointer) && !e.IsNil() && e.Interface() == child {
					return pv.Type().Field(i).Name
				}
			}
		}
	}
	return ""
}
