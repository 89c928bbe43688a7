package mutate

import (
	"fmt"
	"go/ast"
	"go/scanner"
	"go/token"
	"go/types"
	"go/version"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gorewrite/gorewrite/rewrite"
)

// Mutant schemata: every mutant of a package compiled into one test
// binary, each behind a switch on the active mutant's number, read once
// from the environment (SchemaEnv). A run then selects a mutant instead of
// building it. A mutation site takes one of four forms, chosen so that
// every operand is still evaluated exactly once and in the same order, and
// the original code keeps its exact text (and so its lines, its coverage
// probes and everything it uses):
//
//   - a boolean expression (a comparison, && and ||, !x, an if or for
//     condition) becomes a disjunction in which one arm runs:
//     (M != 1 && M != 2 && (a < b) || M == 1 && (a <= b) || M == 2 && (a >= b)).
//     The comparisons with M are untyped booleans, so a named boolean type
//     is kept.
//   - an arithmetic or bitwise operation, or a negation, becomes a call of
//     a small function that applies one operator or the other:
//     P_ADD_int(7, a, b), typed where the operands' type can be named in
//     the package, generic (P_ADD(7, a, b)) where it cannot.
//   - a statement (++, op=, break, return, a removed statement) becomes
//     if M == 3 { x-- } else { x++ }; a simple statement of a for, if or
//     switch header, where no if statement may stand, becomes a function
//     literal called at once: for ...; func() { if M == 3 { i-- } else { i++ } }() {.
//   - a constant expression where a value will do (x := 16 * 16, a case
//     value) becomes P_CONST_int(5, (16 / 16), (16 * 16)): the largest
//     constant expression holding the mutant, so that both values are
//     still computed exactly, at compile time. A mutant of a const
//     declaration takes this form wherever the values it changes are
//     used (schemaconst.go).
//
// The versions of the mutants are copied on one line, so no line of the
// original moves. What cannot take one of these forms is tested the way
// the overlay strategy tests everything, by building the mutant alone:
// constants that must stay constant (array lengths, index keys of array
// and slice literals), that test files or external tests see, or whose
// type cannot be named, untyped expressions, the communication of a select
// case, and whatever does not type-check in the schema (an untyped
// constant that a generic helper would type differently, loops whose
// termination a mutated break or continue changes).

// SchemaEnv is the environment variable a schemata test binary reads the
// active mutant's number from; unset or 0 runs the original code.
const SchemaEnv = "GOREWRITE_MUTANT"

// siteForm is how a mutation site switches.
type siteForm int

const (
	noForm siteForm = iota
	boolForm
	valueForm
	stmtForm
	constForm
	headerForm // stmtForm inside func() { ... }(), for header statements
)

// A site is a node of the source where mutants switch: all the mutants of
// one site share its switch.
type site struct {
	pkg  *pkgSchema
	file string
	form siteForm
	// The node's bytes [start, end) in the file; for valueForm the
	// operator's [opStart, opEnd) and the helper it calls.
	start, end     int
	opStart, opEnd int
	helper         string
	mutants        []*Mutant
	// alt holds, for the mutants of constant declarations switching here,
	// the site's value with the mutant (see schemaconst.go); the others'
	// versions are the node's text with their change.
	alt map[*Mutant]string
}

// pkgSchema is what the sites of one package share.
type pkgSchema struct {
	name   string // the package's name
	prefix string // of the names the schema declares
}

// fallback reasons: why a mutant is not in the schema.
const (
	whyConstant  = "constant expression"
	whyUntyped   = "untyped expression"
	whyPosition  = "communication of a select case"
	whyShape     = "change outside its node"
	whyTypeCheck = "did not type-check in the schema"
	whyGoVersion = "generic helpers need go1.18"
	whyGenerated = "file not instrumented"
	whyConflict  = "overlaps a coverage probe"
	whyBuild     = "the package's schema did not build"
)

// planSchema gives each mutant of a package its site, or the reason it has
// none, and keeps the sites that type-check together. byCand maps each
// mutant to the candidate it came from.
//
// It returns the mutants without those found to change nothing (a constant
// declaration's mutant whose constants' values are the same wherever they
// are used).
func planSchema(pass *rewrite.Pass, mutants []*Mutant, byCand map[*Mutant]*candidate) ([]*Mutant, error) {
	ps := &pkgSchema{name: pass.Pkg.Name(), prefix: freePrefix(pass.Pkg.Scope(), "_gorewriteMut")}
	generics := pass.Pkg.GoVersion() == "" || version.Compare(pass.Pkg.GoVersion(), "go1.18") >= 0
	type key struct {
		file       string
		form       siteForm
		start, end int
	}
	sites := make(map[key]*site)
	var order []*site
	siteAt := func(k key, helper string) *site {
		s := sites[k]
		if s == nil {
			s = &site{pkg: ps, file: k.file, form: k.form, start: k.start, end: k.end, helper: helper}
			sites[k] = s
			order = append(order, s)
		}
		return s
	}
	listed := make(map[*ast.File]bool)
	for _, f := range pass.Files {
		listed[f] = true
	}
	equivalent := make(map[*Mutant]bool)
	for _, m := range mutants {
		c := byCand[m]
		if c == nil || c.form == noForm {
			continue
		}
		if c.constDecl && m.Status == Pending {
			uses, why, same, err := declUses(pass, m, c.felt, listed, generics)
			if err != nil {
				return nil, err
			}
			switch {
			case same:
				equivalent[m] = true
			case why != "":
				m.fallback = why
			case len(uses) == 0:
				m.unused = true // exported, and used nowhere in the package
			}
			for _, u := range uses {
				s := siteAt(key{u.file, constForm, u.start, u.end}, u.helper)
				if s.alt == nil {
					s.alt = make(map[*Mutant]string)
				}
				s.alt[m] = u.text
				s.mutants = append(s.mutants, m)
				m.sites = append(m.sites, s)
				m.uses = append(m.uses, u.cover)
			}
			continue
		}
		if c.why != "" {
			m.fallback = c.why
			continue
		}
		helper := c.helper
		if c.form == constForm {
			name, ok := typeName(pass.Pkg, c.typ)
			switch {
			case ok:
				helper = "CONST:" + name
			case generics:
				helper = "CONST"
			default:
				m.fallback = whyConstant
				continue
			}
		}
		if c.form == valueForm {
			var ok bool
			if helper, ok = helperKey(pass.Pkg, c.schemaForm, generics); !ok {
				m.fallback = whyGoVersion
				continue
			}
		}
		tf := pass.Fset.File(c.anchor.Pos())
		k := key{tf.Name(), c.form, tf.Offset(c.anchor.Pos()), tf.Offset(c.anchor.End())}
		if m.Offset < k.start || m.EndOffset > k.end {
			m.fallback = whyShape
			continue
		}
		s := siteAt(k, helper)
		if c.form == valueForm {
			s.opStart, s.opEnd = tf.Offset(c.opPos), tf.Offset(c.opPos)+len(c.op.String())
		}
		s.mutants = append(s.mutants, m)
		m.sites = []*site{s}
	}
	if len(equivalent) > 0 {
		mutants = slices.DeleteFunc(slices.Clone(mutants), func(m *Mutant) bool { return equivalent[m] })
	}
	if len(order) == 0 {
		return mutants, nil
	}
	// Numbers for the check; the runner gives the real ones.
	ids := make(map[*Mutant]int)
	for i, m := range mutants {
		ids[m] = i + 1
	}
	idOf := func(m *Mutant) int { return ids[m] }
	srcOf := make(map[string][]byte)
	tfOf := make(map[string]*token.File)
	for _, f := range pass.Files {
		tf := pass.Fset.File(f.FileStart)
		srcOf[tf.Name()] = pass.Source(f)
		tfOf[tf.Name()] = tf
	}
	// The helpers are declared at the end of a file of the package for the
	// check; the build gets them in a file of their own.
	var host *ast.File
	for _, f := range pass.Files {
		if !strings.HasSuffix(pass.Fset.File(f.FileStart).Name(), "_test.go") {
			host = f
			break
		}
	}
	edits := func(subset []int) ([]rewrite.Edit, error) {
		active := make(map[*site]bool, len(subset))
		helpers := make(map[string]bool)
		for _, i := range subset {
			active[order[i]] = true
			if order[i].helper != "" {
				helpers[order[i].helper] = true
			}
		}
		var out []rewrite.Edit
		for _, file := range sortedKeys(srcOf) {
			var fileSites []*site
			for _, s := range order {
				if s.file == file {
					fileSites = append(fileSites, s)
				}
			}
			if len(fileSites) == 0 {
				continue
			}
			r := newRenderer(srcOf[file], fileSites, nil, func(s *site) bool { return active[s] }, idOf)
			tf := tfOf[file]
			for _, top := range r.root.children {
				if text, ok := r.outermost(top); ok {
					out = append(out, rewrite.Edit{Pos: tf.Pos(top.start), End: tf.Pos(top.end), New: text})
				}
			}
		}
		if host != nil {
			tf := pass.Fset.File(host.FileStart)
			eof := tf.Pos(tf.Size())
			out = append(out, rewrite.Edit{Pos: eof, End: eof, New: "\n" + helperDecls(ps.prefix, sortedKeys(helpers), false)})
		}
		return out, nil
	}
	keep, err := pass.SelectWellTyped(rewrite.Candidates{
		N:     len(order),
		Edits: edits,
		EditsOf: func(i int) []rewrite.Edit {
			tf := tfOf[order[i].file]
			return []rewrite.Edit{{Pos: tf.Pos(order[i].start), End: tf.Pos(order[i].end)}}
		},
		KeepExports: true,
	})
	if err != nil {
		return nil, err
	}
	for i, s := range order {
		if !keep[i] {
			for _, m := range s.mutants {
				m.sites, m.fallback = nil, whyTypeCheck
			}
		}
	}
	return mutants, nil
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// freePrefix returns base, or base with a number, such that no name of the
// package scope starts with it.
func freePrefix(scope *types.Scope, base string) string {
	for n := 0; ; n++ {
		p := base
		if n > 0 {
			p += strconv.Itoa(n)
		}
		if !slices.ContainsFunc(scope.Names(), func(name string) bool { return strings.HasPrefix(name, p) }) {
			return p
		}
	}
}

// helperOp returns, for a helper's name, the operator it applies, the one
// its mutant applies, and the type set of its operands.
func helperOp(name string) (orig, mut, set string, ok bool) {
	switch name {
	case "ADD":
		return "+", "-", "Number", true
	case "SUB":
		return "-", "+", "Number", true
	case "MUL":
		return "*", "/", "Number", true
	case "QUO":
		return "/", "*", "Number", true
	case "REM":
		return "%", "*", "Integer", true
	case "AND":
		return "&", "|", "Integer", true
	case "OR":
		return "|", "&", "Integer", true
	case "XOR":
		return "^", "&", "Integer", true
	case "AND_NOT":
		return "&^", "&", "Integer", true
	case "SHL":
		return "<<", ">>", "Integer", true
	case "SHR":
		return ">>", "<<", "Integer", true
	case "NEG":
		return "-", "", "Number", true
	}
	return "", "", "", false
}

// helperKey says which helper a value site calls: "OP:TYPE" (or
// "OP:TYPE:COUNT" for shifts) when the operands' types can be named in a
// file of the package, else the generic "OP" when the package may use
// generics; ok is false when neither.
func helperKey(pkg *types.Package, f schemaForm, generics bool) (key string, ok bool) {
	t, ok := typeName(pkg, f.typ)
	if ok && (f.helper == "SHL" || f.helper == "SHR") {
		count := "uint" // an untyped constant count
		if f.count != nil {
			count, ok = typeName(pkg, f.count)
		}
		t += ":" + count
	}
	if ok {
		return f.helper + ":" + t, true
	}
	return f.helper, generics
}

// typeName names t in a file of pkg that imports nothing: a basic type or
// a named type declared at pkg's top level.
func typeName(pkg *types.Package, t types.Type) (string, bool) {
	switch t := types.Unalias(t).(type) {
	case *types.Basic:
		if t.Info()&types.IsUntyped == 0 && t.Kind() != types.UnsafePointer {
			return t.Name(), true
		}
	case *types.Named:
		obj := t.Obj()
		if obj.Pkg() == pkg && obj.Parent() == pkg.Scope() && t.TypeArgs().Len() == 0 && t.TypeParams().Len() == 0 {
			return obj.Name(), true
		}
	}
	return "", false
}

// helperIdent is the name of a helper: the parts of its key joined with _,
// each with its own underscores doubled, so that different keys never
// make the same name.
func helperIdent(prefix, key string) string {
	parts := strings.Split(key, ":")
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(p, "_", "__")
	}
	return prefix + "_" + strings.Join(parts, "_")
}

// helperName names the helper for a binary operator and its mutation, or
// "" when there is none.
func helperName(op, to token.Token) string {
	var name string
	switch op {
	case token.ADD:
		name = "ADD"
	case token.SUB:
		name = "SUB"
	case token.MUL:
		name = "MUL"
	case token.QUO:
		name = "QUO"
	case token.REM:
		name = "REM"
	case token.AND:
		name = "AND"
	case token.OR:
		name = "OR"
	case token.XOR:
		name = "XOR"
	case token.AND_NOT:
		name = "AND_NOT"
	case token.SHL:
		name = "SHL"
	case token.SHR:
		name = "SHR"
	}
	if _, mut, _, ok := helperOp(name); ok && mut == to.String() {
		return name
	}
	return ""
}

// helperDecls declares the schema's switch variable and the named helpers.
// withInit reads the variable from the environment; the type check does
// without, so as to add no imports.
func helperDecls(prefix string, helpers []string, withInit bool) string {
	var b strings.Builder
	if withInit {
		fmt.Fprintf(&b, "var %s = %sActive()\n\n", prefix, prefix)
		fmt.Fprintf(&b, "func %sActive() int32 {\n\tn, _ := %sstrconv.ParseInt(%sos.Getenv(%q), 10, 32)\n\treturn int32(n)\n}\n", prefix, prefix, prefix, SchemaEnv)
	} else {
		fmt.Fprintf(&b, "var %s int32\n", prefix)
	}
	// The generic helpers' constraints are literals: a named constraint
	// would be a new type of the package, which importers could see.
	constraint := map[string]string{
		"Integer": "interface {\n\t~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr\n}",
		"Number":  "interface {\n\t~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr |\n\t\t~float32 | ~float64 | ~complex64 | ~complex128\n}",
	}
	for _, h := range helpers {
		name := helperIdent(prefix, h)
		parts := strings.Split(h, ":")
		orig, mut, set, _ := helperOp(parts[0])
		if parts[0] == "CONST" && len(parts) > 1 {
			fmt.Fprintf(&b, "\nfunc %s(id int32, mut, orig %s) %s {\n\tif %s == id {\n\t\treturn mut\n\t}\n\treturn orig\n}\n", name, parts[1], parts[1], prefix)
			continue
		}
		if len(parts) > 1 {
			// Typed: for packages without generics, and for untyped
			// constants, which a generic helper would give their default
			// type.
			t, u := parts[1], parts[1]
			if len(parts) > 2 {
				u = parts[2]
			}
			switch parts[0] {
			case "NEG":
				fmt.Fprintf(&b, "\nfunc %s(id int32, x %s) %s {\n\tif %s == id {\n\t\treturn x\n\t}\n\treturn -x\n}\n", name, t, t, prefix)
			default:
				fmt.Fprintf(&b, "\nfunc %s(id int32, x %s, y %s) %s {\n\tif %s == id {\n\t\treturn x %s y\n\t}\n\treturn x %s y\n}\n", name, t, u, t, prefix, mut, orig)
			}
			continue
		}
		set = constraint[set]
		switch h {
		case "CONST":
			fmt.Fprintf(&b, "\nfunc %s_%s[T any](id int32, mut, orig T) T {\n\tif %s == id {\n\t\treturn mut\n\t}\n\treturn orig\n}\n", prefix, h, prefix)
			continue
		case "NEG":
			fmt.Fprintf(&b, "\nfunc %s_%s[T %s](id int32, x T) T {\n\tif %s == id {\n\t\treturn x\n\t}\n\treturn -x\n}\n", prefix, h, set, prefix)
		case "SHL", "SHR":
			fmt.Fprintf(&b, "\nfunc %s_%s[T, U %s](id int32, x T, y U) T {\n\tif %s == id {\n\t\treturn x %s y\n\t}\n\treturn x %s y\n}\n", prefix, h, set, prefix, mut, orig)
		default:
			fmt.Fprintf(&b, "\nfunc %s_%s[T %s](id int32, x, y T) T {\n\tif %s == id {\n\t\treturn x %s y\n\t}\n\treturn x %s y\n}\n", prefix, h, set, prefix, mut, orig)
		}
	}
	return b.String()
}

// helperFile is the file a schema adds to its package for the build.
func helperFile(ps *pkgSchema, helpers []string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "// Code generated by gorewrite mutate (schemata). DO NOT EDIT.\n\npackage %s\n\n", ps.name)
	fmt.Fprintf(&b, "import (\n\t%sos \"os\"\n\t%sstrconv \"strconv\"\n)\n\n", ps.prefix, ps.prefix)
	b.WriteString(helperDecls(ps.prefix, helpers, true))
	return []byte(b.String())
}

// CoverEdit is an edit of the coverage instrumentation, in offsets of the
// original file: the schema renders it inside the original code of the
// site that holds it.
type CoverEdit struct {
	Start, End int
	Text       string
}

// A renderer writes a file with its sites switched.
type renderer struct {
	src    []byte
	root   *siteNode
	active func(*site) bool // sites with switches; the others are plain code
	idOf   func(*Mutant) int
	// rendered collects the sites whose switches were written.
	rendered []*site
}

type siteNode struct {
	*site
	start, end int
	children   []*siteNode
	edits      []CoverEdit
}

// newRenderer arranges the sites of a file (nodes of its syntax, so they
// nest) in a tree and puts each coverage edit in the innermost site holding
// it: a point where a site starts or ends belongs to it, so that an edit
// wrapping the node's text stays with it.
func newRenderer(src []byte, sites []*site, cover []CoverEdit, active func(*site) bool, idOf func(*Mutant) int) *renderer {
	sorted := slices.Clone(sites)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].start != sorted[j].start {
			return sorted[i].start < sorted[j].start
		}
		return sorted[i].end > sorted[j].end
	})
	root := &siteNode{start: 0, end: len(src)}
	stack := []*siteNode{root}
	for _, s := range sorted {
		n := &siteNode{site: s, start: s.start, end: s.end}
		for len(stack) > 1 && stack[len(stack)-1].end < n.end {
			stack = stack[:len(stack)-1]
		}
		parent := stack[len(stack)-1]
		if n.start < parent.start || n.end > parent.end {
			// Not nested: cannot happen for syntax nodes; leave it out.
			continue
		}
		parent.children = append(parent.children, n)
		stack = append(stack, n)
	}
	r := &renderer{src: src, root: root, active: active, idOf: idOf}
	for _, e := range cover {
		r.place(root, e)
	}
	return r
}

// place puts e in the innermost node holding it. (renderFile has left out
// the sites an edit overlaps without being inside them.)
func (r *renderer) place(n *siteNode, e CoverEdit) {
	for _, c := range n.children {
		inside := c.start <= e.Start && e.End <= c.end
		if e.Start == e.End {
			inside = c.start <= e.Start && e.Start <= c.end
		}
		if inside && !(e.Start == e.End && e.Start == c.end && r.startsAt(n, c, e.Start)) {
			r.place(c, e)
			return
		}
	}
	n.edits = append(n.edits, e)
}

// startsAt reports whether a sibling after c starts at off: a point between
// two siblings goes to the later one.
func (r *renderer) startsAt(parent, c *siteNode, off int) bool {
	for _, d := range parent.children {
		if d != c && d.start == off {
			return true
		}
	}
	return false
}

// switched reports whether n's switch is written: it is active and has a
// mutant with a number.
func (r *renderer) switched(n *siteNode) bool {
	if n.site == nil || !r.active(n.site) {
		return false
	}
	return slices.ContainsFunc(n.mutants, func(m *Mutant) bool { return r.idOf(m) > 0 })
}

// file renders the whole file.
func (r *renderer) file() []byte {
	var b strings.Builder
	b.Grow(len(r.src) + len(r.src)/4)
	r.emit(&b, r.root, r.root.start, r.root.end)
	return []byte(b.String())
}

// outermost renders a top-level node for the type check: its text and
// whether anything in it is switched.
func (r *renderer) outermost(n *siteNode) (string, bool) {
	before := len(r.rendered)
	var b strings.Builder
	r.node(&b, n)
	return b.String(), len(r.rendered) > before
}

// emit writes the source [from, to) of n: its children's nodes and its
// edits in place.
func (r *renderer) emit(b *strings.Builder, n *siteNode, from, to int) {
	pos := from
	ci, ei := 0, 0
	for {
		for ci < len(n.children) && n.children[ci].start < from {
			ci++
		}
		for ei < len(n.edits) && n.edits[ei].Start < from {
			ei++
		}
		var c *siteNode
		if ci < len(n.children) && n.children[ci].end <= to {
			c = n.children[ci]
		}
		var e *CoverEdit
		if ei < len(n.edits) && n.edits[ei].Start <= to && n.edits[ei].End <= to {
			e = &n.edits[ei]
		}
		if c == nil && e == nil {
			break
		}
		if e != nil && (c == nil || e.Start <= c.start) {
			if e.Start < pos {
				ei++ // inside text an earlier edit replaced
				continue
			}
			b.Write(r.src[pos:e.Start])
			b.WriteString(e.Text)
			pos = e.End
			ei++
			continue
		}
		if c.start < pos {
			ci++ // replaced by a coverage edit
			continue
		}
		b.Write(r.src[pos:c.start])
		r.node(b, c)
		pos = c.end
		ci++
	}
	b.Write(r.src[pos:to])
}

// node writes a site's node: its switch around its original code, or just
// the code.
func (r *renderer) node(b *strings.Builder, n *siteNode) {
	if !r.switched(n) {
		r.emit(b, n, n.start, n.end)
		return
	}
	r.rendered = append(r.rendered, n.site)
	M := n.pkg.prefix
	var ms []*Mutant
	for _, m := range n.mutants {
		if r.idOf(m) > 0 {
			ms = append(ms, m)
		}
	}
	version := func(m *Mutant) string {
		if text, ok := n.alt[m]; ok {
			return text
		}
		return oneLine(string(r.src[n.start:m.Offset]) + m.Replacement + string(r.src[m.EndOffset:n.end]))
	}
	switch n.form {
	case boolForm:
		b.WriteString("(")
		for _, m := range ms {
			fmt.Fprintf(b, "%s != %d && ", M, r.idOf(m))
		}
		b.WriteString("(")
		r.emit(b, n, n.start, n.end)
		b.WriteString(")")
		for _, m := range ms {
			fmt.Fprintf(b, " || %s == %d && (%s)", M, r.idOf(m), version(m))
		}
		b.WriteString(")")
	case valueForm:
		fmt.Fprintf(b, "%s(%d, ", helperIdent(M, n.helper), r.idOf(ms[0]))
		if !strings.HasPrefix(n.helper, "NEG") {
			r.emit(b, n, n.start, n.opStart)
			b.WriteString(", ")
		}
		r.emit(b, n, n.opEnd, n.end)
		b.WriteString(")")
	case constForm:
		for _, m := range ms {
			fmt.Fprintf(b, "%s(%d, (%s), ", helperIdent(M, n.helper), r.idOf(m), version(m))
		}
		b.WriteString("(")
		r.emit(b, n, n.start, n.end)
		b.WriteString(")")
		b.WriteString(strings.Repeat(")", len(ms)))
	case stmtForm, headerForm:
		if n.form == headerForm {
			b.WriteString("func() { ")
		}
		for i, m := range ms {
			if i > 0 {
				b.WriteString(" else ")
			}
			fmt.Fprintf(b, "if %s == %d { %s }", M, r.idOf(m), version(m))
		}
		b.WriteString(" else { ")
		r.emit(b, n, n.start, n.end)
		b.WriteString(" }")
		if n.form == headerForm {
			b.WriteString(" }()")
		}
	}
}

// oneLine writes Go code on one line, so that a copy of it moves no line:
// comments go, line breaks that end statements become semicolons, and raw
// strings holding line breaks are quoted.
func oneLine(code string) string {
	if !strings.ContainsAny(code, "\n\r") {
		return code
	}
	var s scanner.Scanner
	fset := token.NewFileSet()
	s.Init(fset.AddFile("", -1, len(code)), []byte(code), nil, 0)
	var b strings.Builder
	var pending bool // a semicolon the scanner inserted, written only when more follows
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.SEMICOLON && lit == "\n" {
			pending = true
			continue
		}
		if pending {
			b.WriteString("; ")
			pending = false
		}
		switch {
		case tok == token.STRING && strings.HasPrefix(lit, "`") && strings.ContainsAny(lit, "\n\r"):
			// Carriage returns are discarded from raw strings.
			lit = strconv.Quote(strings.ReplaceAll(lit[1:len(lit)-1], "\r", ""))
		case lit == "":
			lit = tok.String()
		}
		b.WriteString(lit)
		b.WriteString(" ")
	}
	return strings.TrimSpace(b.String())
}

// renderFile writes a file with the switches of its sites whose mutants
// have numbers (idOf > 0) and the coverage edits, and reports the sites it
// switched. A site that a coverage edit replaces or overlaps is left plain.
func renderFile(src []byte, sites []*site, cover []CoverEdit, idOf func(*Mutant) int) ([]byte, []*site) {
	var kept []*site
	for _, s := range sites {
		if !slices.ContainsFunc(cover, func(e CoverEdit) bool {
			return e.Start < e.End && e.Start < s.end && s.start < e.End && !(s.start <= e.Start && e.End <= s.end)
		}) {
			kept = append(kept, s)
		}
	}
	r := newRenderer(src, kept, cover, func(*site) bool { return true }, idOf)
	return r.file(), r.rendered
}
