package stub

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/scanner"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/cover/coverrt/literal"
	"github.com/gorewrite/gorewrite/rewrite/stub/record"
)

// Recorded cases (gorewrite stub --record): the calls the tests made,
// written as rows of the functions' tables. A new test gets them in place
// of the TODO; a table gorewrite wrote before (its fields are the ones
// stub would write) gets the rows it lacks appended; rows a person wrote
// are never changed, and a call whose inputs a row already has is not
// written again. Rows are named "recorded N".

// RowPrefix starts the name of every recorded row.
const RowPrefix = "recorded "

// DefaultMaxCases is the rows a function gets without --max-cases.
const DefaultMaxCases = 10

// RecordedSuffix names the test that holds recorded rows for a function
// whose test a person wrote: TestFoo_recorded.
const RecordedSuffix = "_recorded"

// recordedTable finds the test called name and reports whether its table
// is one gorewrite wrote for t: then the rows are appended to it (at, the
// test's name). ok is false when t was reported as skipped.
func (g *generator) recordedTable(t *target, rec *record.Func, name string) (at *planned, appendTo string, ok bool) {
	f, fd := g.findTest(name)
	if fd == nil || f.Unchecked {
		return nil, "", true
	}
	s, err := g.pkg.buildSpec(t, f.External)
	if err != nil {
		g.skip(t, "%v", err)
		return nil, "", false
	}
	s.cases = rec.Calls
	s.nameFields()
	if _, names := findTable(f.Syntax, fd); !s.fits(names) {
		return nil, "", true
	}
	return g.fileFor(f.Name, f.External, f), name, true
}

// fits reports whether a table with the given field names is one stub
// writes for s, and makes s write rows for it. A table stub wrote without
// recorded calls has no field for the error's message, and one written
// when the receiver was built rather than recorded (or the other way
// round) has no recv field: s's rows then go in without them.
func (s *spec) fits(names []string) bool {
	msg, recv := s.errMsg, s.recvField
	for _, v := range []struct{ msg, recv string }{{msg, recv}, {"", recv}, {msg, ""}, {"", ""}} {
		s.errMsg, s.recvField = v.msg, v.recv
		if slices.Equal(names, s.fieldNames()) {
			return true
		}
	}
	s.errMsg, s.recvField = msg, recv
	return false
}

// fieldNames are the names of the fields of the table testData writes for
// s, in its order.
func (s *spec) fieldNames() []string {
	names := []string{"name"}
	plain := func(ps []*param) {
		for _, p := range ps {
			if p.kind == plainParam {
				names = append(names, p.field)
			}
		}
	}
	switch {
	case s.recvField != "":
		names = append(names, s.recvField)
	case s.recv != nil && s.recv.ctor != nil:
		plain(s.recv.params)
	}
	plain(s.params)
	for _, r := range s.results {
		if !r.discard {
			names = append(names, r.field)
		}
	}
	for _, p := range s.params {
		if p.kind == writerParam {
			names = append(names, p.want)
		}
	}
	if s.err {
		names = append(names, "wantErr")
	}
	if s.errMsg != "" {
		names = append(names, s.errMsg)
	}
	return names
}

// recvFieldName is the table field holding a recorded receiver.
const recvFieldName = "recv"

// A Row is a recorded row written: which test, its name, and the key of
// its inputs, by which a caller may drop it (Options.Drop).
type Row struct {
	Test, Name, Inputs string
}

// DropKey is how Options.Drop names a row: its test and inputs.
func DropKey(test, inputs string) string { return test + "\x00" + inputs }

// DropAll in Options.Drop leaves out every recorded row.
const DropAll = "\x00all"

// DropTest is how Options.Drop leaves out every recorded row of a test.
func DropTest(test string) string { return "\x00test\x00" + test }

// DropPackage is how Options.Drop leaves out every recorded row of the
// package at path.
func DropPackage(path string) string { return "\x00pkg\x00" + path }

// recordedFunc returns what was recorded of t, or nil.
func (g *generator) recordedFunc(t *target) *record.Func {
	if g.opts.Recorded == nil {
		return nil
	}
	return g.opts.Recorded.Funcs[record.Key(g.pkg.Path, objKey(t.fn))]
}

// recordedSkip reports a recorded function that gets no rows, and why.
func (g *generator) recordedSkip(t *target, fn *record.Func) {
	switch {
	case fn == nil:
	case len(fn.Calls) == 0 && fn.Unstable > 0 && fn.RecvWhy != "":
		g.skip(t, "recorded: the receiver has no literal (%s), and the results depended on its state: %d inputs dropped", fn.RecvWhy, fn.Unstable)
	case len(fn.Calls) == 0 && fn.Unstable > 0:
		g.skip(t, "recorded: the same inputs gave different results (time, randomness, map order or state): %d dropped", fn.Unstable)
	case len(fn.Calls) == 0 && fn.Unrepeated > 0:
		g.skip(t, "recorded: no inputs came back in every run (the tests build them from the clock or a random source): %d dropped", fn.Unrepeated)
	case len(fn.Calls) == 0 && len(fn.Skipped) > 0, len(fn.Calls) == 0:
		reasons := fn.Skipped
		if len(reasons) > 3 {
			reasons = append(slices.Clone(reasons[:3]), fmt.Sprintf("and %d more", len(fn.Skipped)-3))
		}
		g.skip(t, "recorded: calls not written: %s", strings.Join(reasons, "; "))
	}
}

// existingRow is a row of a table already in the file: its name and the
// canonical text of its inputs.
type existingRow struct {
	name   string
	inputs string
}

// rowInputs returns the canonical key of a row's inputs: the fields in
// inputs, each field's value printed as gofmt prints it.
func rowInputs(lit *ast.CompositeLit, inputs []string, imports map[string]string) (name, key string) {
	vals := map[string]string{}
	for _, e := range lit.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			return "", "" // a positional row: a person's
		}
		id, ok := kv.Key.(*ast.Ident)
		if !ok {
			return "", ""
		}
		vals[id.Name] = canonical(kv.Value, imports)
	}
	if n, err := strconv.Unquote(vals["name"]); err == nil {
		name = n
	}
	var parts []string
	for _, in := range inputs {
		parts = append(parts, in+"="+vals[in])
	}
	return name, strings.Join(parts, "\x01")
}

// canonical prints a row's value as gofmt would, for comparing rows.
// imports maps the file's import names to their paths: a package is named
// by its path, so that rows written under another import name of it (an
// errors2 "errors") are the same.
func canonical(e ast.Expr, imports map[string]string) string {
	ast.Inspect(e, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && imports[id.Name] != "" {
				sel.X = &ast.Ident{NamePos: id.NamePos, Name: strconv.Quote(imports[id.Name])}
			}
		}
		return true
	})
	var b bytes.Buffer
	printer.Fprint(&b, token.NewFileSet(), e)
	return b.String()
}

// canonicalText is canonical for an expression's text.
func canonicalText(s string, imports map[string]string) string {
	e, err := parser.ParseExpr(s)
	if err != nil {
		return s
	}
	return canonical(e, imports)
}

// importNames maps the names f's imports go by to their paths.
func (r *renderer) importNames() map[string]string {
	m := map[string]string{}
	for _, spec := range r.file.Imports {
		path, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			continue
		}
		name := ""
		switch {
		case spec.Name != nil:
			name = spec.Name.Name
		case r.known(path) != nil:
			name = r.known(path).Name()
		default:
			name = path[strings.LastIndexByte(path, '/')+1:]
		}
		if name != "_" && name != "." {
			m[name] = path
		}
	}
	return m
}

// findTable finds the table a test ranges over, in f: its composite
// literal (a local of the test, or a package-level variable) and its
// struct's field names, or nil.
func findTable(f *ast.File, fd *ast.FuncDecl) (*ast.CompositeLit, []string) {
	var over string
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if rs, ok := n.(*ast.RangeStmt); ok && over == "" {
			if id, ok := rs.X.(*ast.Ident); ok {
				over = id.Name
			}
		}
		return over == ""
	})
	if over == "" {
		return nil, nil
	}
	var lit *ast.CompositeLit
	find := func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name == over && i < len(n.Rhs) {
					lit, _ = n.Rhs[i].(*ast.CompositeLit)
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if id.Name == over && i < len(n.Values) {
					lit, _ = n.Values[i].(*ast.CompositeLit)
				}
			}
		}
		return lit == nil
	}
	ast.Inspect(fd.Body, find)
	if lit == nil {
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.VAR {
				ast.Inspect(gd, find)
			}
		}
	}
	if lit == nil {
		return nil, nil
	}
	at, ok := lit.Type.(*ast.ArrayType)
	if !ok || at.Len != nil {
		return nil, nil
	}
	st, ok := at.Elt.(*ast.StructType)
	if !ok {
		return nil, nil
	}
	var names []string
	for _, fl := range st.Fields.List {
		for _, n := range fl.Names {
			names = append(names, n.Name)
		}
	}
	return lit, names
}

// tableFields are the names of the fields of the table testData writes
// for s, in order.
func tableFields(d *TestData) []string {
	names := []string{"name"}
	for _, f := range d.Fields {
		names = append(names, f.Name)
	}
	if d.Err != "" {
		names = append(names, "wantErr")
	}
	if d.ErrMsg != "" {
		names = append(names, d.ErrMsg)
	}
	return names
}

// inputFields are the fields holding a call's inputs: the receiver and the
// parameters in the table.
func (s *spec) inputFields() []string {
	var out []string
	if s.recvField != "" {
		out = append(out, s.recvField)
	}
	for _, p := range s.params {
		if p.kind == plainParam {
			out = append(out, p.field)
		}
	}
	return out
}

// rows writes the recorded calls of s as rows of its table, leaving out
// calls whose inputs a row of existing has, and numbering after existing's
// recorded rows, up to the function's cap. It returns the rows' text and
// what they are.
func (r *renderer) rows(s *spec, existing []existingRow, maxCases int, drop map[string]bool) ([]string, []Row) {
	if len(s.cases) == 0 || drop[DropAll] || drop[DropPackage(r.pkg.Path)] || drop[DropTest(s.name)] {
		return nil, nil
	}
	have := map[string]bool{}
	next, recorded := 1, 0
	for _, e := range existing {
		have[e.inputs] = true
		if n, ok := strings.CutPrefix(e.name, RowPrefix); ok {
			recorded++
			if k, err := strconv.Atoi(n); err == nil && k >= next {
				next = k + 1
			}
		}
	}
	if maxCases <= 0 {
		maxCases = DefaultMaxCases
	}
	type cand struct {
		fields   []string // "name: value", without the row's name
		inputs   string
		outputs  string
		branches []int
		call     *record.Call
	}
	var cands []cand
	inputs := s.inputFields()
	imports := r.importNames()
	for _, c := range s.cases {
		if c.Unexported && r.external {
			continue
		}
		fields, vals, ok := r.caseFields(s, c, true)
		if !ok {
			continue
		}
		var key []string
		for _, in := range inputs {
			key = append(key, in+"="+canonicalText(vals[in], imports))
		}
		k := strings.Join(key, "\x01")
		if have[k] || drop[DropKey(s.name, k)] {
			continue
		}
		have[k] = true
		cands = append(cands, cand{fields, k, strings.Join(c.Results, "\x01"), c.Branches, c})
	}
	// Short inputs first. Then, until the cap: the call that takes the
	// most branch outcomes (of gorewrite cover's probes in the function's
	// file) no row chosen takes yet, while some call adds one; then calls
	// with results not seen yet; then the rest.
	slices.SortStableFunc(cands, func(a, b cand) int { return len(a.inputs) - len(b.inputs) })
	var picked []cand
	covered := map[int]bool{}
	seenOut := map[string]bool{}
	pick := func(i int) {
		c := &cands[i]
		for _, b := range c.branches {
			covered[b] = true
		}
		seenOut[c.outputs] = true
		picked = append(picked, *c)
		c.fields = nil
	}
	full := func() bool { return recorded+len(picked) >= maxCases }
	for !full() {
		best, gain := -1, 0
		for i := range cands {
			if cands[i].fields == nil {
				continue
			}
			n := 0
			for _, b := range cands[i].branches {
				if !covered[b] {
					n++
				}
			}
			if n > gain {
				best, gain = i, n
			}
		}
		if best < 0 {
			break
		}
		pick(best)
	}
	for pass := 0; pass < 2; pass++ {
		for i := range cands {
			if full() || cands[i].fields == nil || pass == 0 && seenOut[cands[i].outputs] {
				continue
			}
			pick(i)
		}
	}
	var text []string
	var out []Row
	for _, c := range picked {
		fields, _, ok := r.caseFields(s, c.call, false)
		if !ok {
			continue
		}
		c.fields = fields
		name := fmt.Sprintf("%s%d", RowPrefix, next)
		next++
		text = append(text, "{"+strings.Join(append([]string{"name: " + strconv.Quote(name)}, c.fields...), ", ")+"}")
		out = append(out, Row{Test: s.name, Name: name, Inputs: c.inputs})
	}
	return text, out
}

// caseFields writes a recorded call's fields ("field: value"), and the
// values by field, or reports that the call does not fit s.
//
// With dry set, packages are named as they would be, and not imported:
// only the rows chosen are written, and only their packages imported.
func (r *renderer) caseFields(s *spec, c *record.Call, dry bool) ([]string, map[string]string, bool) {
	results := len(s.results)
	if s.err {
		results++
	}
	if len(c.Args) != len(s.params) || len(c.Results) != results || s.recvField != "" && c.Recv == "" {
		return nil, nil, false
	}
	ok := true
	unmark := func(v string) string {
		return literal.Unmark(v, func(path string) string {
			if path == r.pkg.Path && !r.external {
				return ""
			}
			if path == "main" || !isStd(path) && path != r.pkg.Path && r.known(path) == nil {
				// Only the standard library and what the package itself
				// imports: a value's dynamic type may be a program's, a
				// p_test package's, or one whose import would close a
				// cycle with a test in the package.
				ok = false
				return "x"
			}
			if dry {
				return r.dryName(path)
			}
			name, err := r.importName(path)
			if err != nil {
				ok = false
			}
			return name
		})
	}
	var fields []string
	vals := map[string]string{}
	add := func(field, v string) {
		if !r.visible(v) {
			ok = false
		}
		v = unmark(v)
		if versionBefore(r.goVersion, "go1.18") {
			v = withoutAny(v)
		}
		vals[field] = v
		fields = append(fields, field+": "+v)
	}
	if s.recvField != "" {
		add(s.recvField, c.Recv)
	}
	for i, p := range s.params {
		if p.kind == plainParam {
			if c.Args[i] == literal.Placeholder {
				return nil, nil, false
			}
			add(p.field, c.Args[i])
		}
	}
	for i, res := range s.results {
		if !res.discard {
			add(res.field, c.Results[i])
		}
	}
	if s.err && c.Results[len(c.Results)-1] != "nil" {
		fields = append(fields, "wantErr: true")
		if s.errMsg != "" && c.ErrMsg != "" {
			fields = append(fields, s.errMsg+": "+strconv.Quote(c.ErrMsg))
		}
	}
	return fields, vals, ok
}

// dryName is the name the file refers to the package at path by, without
// importing it: the name the engine gives the file's import of it, if it
// has one (rows already there use it), else the package's own name.
func (r *renderer) dryName(path string) string {
	for _, spec := range r.file.Imports {
		if p, err := strconv.Unquote(spec.Path.Value); err == nil && p == path {
			if name, err := r.importName(path); err == nil {
				return name // imported already: nothing is added
			}
			break
		}
	}
	if pkg := r.known(path); pkg != nil {
		return pkg.Name()
	}
	return path[strings.LastIndexByte(path, '/')+1:]
}

// visible reports whether every name a recorded literal qualifies with a
// package is one the test can refer to: a type declared inside a function
// (a test's own) has a name reflect gives like any other, but no test
// elsewhere can use it; nor can a test in package p_test use what the
// package's own tests declare.
func (r *renderer) visible(v string) bool {
	for s := v; ; {
		i := strings.IndexByte(s, 0)
		if i < 0 {
			return true
		}
		j := strings.IndexByte(s[i+1:], 0)
		if j < 0 {
			return true
		}
		path := s[i+1 : i+1+j]
		s = strings.TrimPrefix(s[i+2+j:], ".")
		n := 0
		for n < len(s) && (s[n] == '_' || s[n] >= 'a' && s[n] <= 'z' || s[n] >= 'A' && s[n] <= 'Z' || s[n] >= '0' && s[n] <= '9' || s[n] >= 0x80) {
			n++
		}
		name := s[:n]
		var scope *types.Scope
		if path == r.pkg.Path {
			scope = r.pkg.Types.Scope()
		} else if pkg := r.known(path); pkg != nil && pkg.Scope() != nil && pkg.Scope().Len() > 0 {
			scope = pkg.Scope()
		}
		if scope == nil || name == "" {
			continue // a package the test imports afresh: its exported names
		}
		obj := scope.Lookup(name)
		if obj == nil {
			return false
		}
		if r.external || path != r.pkg.Path {
			if !obj.Exported() {
				return false
			}
			if pos := r.pkg.Fset.Position(obj.Pos()); path == r.pkg.Path && strings.HasSuffix(pos.Filename, "_test.go") {
				return false
			}
		}
	}
}

// recordable says why the recorded calls of s's function cannot become
// rows, or "".
func (s *spec) recordable() string {
	if len(s.targs) > 0 || s.recv != nil && !usesRecordedRecv(s) && hasTypeArgs(s.recv.typ) {
		return "generic: recorded calls are not written (their type arguments are not known)"
	}
	for _, p := range s.params {
		if p.kind == writerParam {
			return "writes to an io.Writer: what it writes is not recorded"
		}
	}
	return ""
}

// usesRecordedRecv reports whether the receiver of s's method goes into
// the table as a recorded literal: it was recorded, and can be copied (no
// lock). Otherwise the test builds it (with the constructor stub finds),
// and the rows whose results depended on the receiver's state fail the
// check run.
func usesRecordedRecv(s *spec) bool {
	if s.recv == nil || hasLock(s.recv.typ) || hasTypeArgs(s.recv.typ) {
		return false
	}
	return slices.ContainsFunc(s.cases, func(c *record.Call) bool { return c.Recv != "" })
}

func hasTypeArgs(t types.Type) bool {
	named, _ := t.(*types.Named)
	return named != nil && named.TypeArgs() != nil && named.TypeArgs().Len() > 0
}

// appendRows appends the rows of s's recorded calls to the table of its
// existing test, when the table is one gorewrite wrote: its fields are
// those stub writes for the function now. Each row goes on a line of its
// own before the table's closing brace; nothing else changes.
//
// It reports false when no row is added: the caller writes the file again
// without s, so that no import its rendering asked for stays.
func (g *generator) appendRows(pass *rewrite.Pass, f *ast.File, r *renderer, s *spec) (bool, error) {
	fd := funcDecl(f, s.appendTo)
	if fd == nil {
		return false, fmt.Errorf("%s not found", s.appendTo)
	}
	d := r.testData(s)
	lit, names := findTable(f, fd)
	if want := tableFields(d); lit == nil || !slices.Equal(names, want) {
		g.skip(s.t, "recorded: %s exists, without a table of the fields gorewrite writes (%s); --force %s writes it anew", s.appendTo, strings.Join(want, ", "), s.appendTo)
		return false, nil
	}
	var existing []existingRow
	for _, e := range lit.Elts {
		if cl, ok := e.(*ast.CompositeLit); ok {
			name, key := rowInputs(cl, s.inputFields(), r.importNames())
			existing = append(existing, existingRow{name, key})
		}
	}
	rows, written := r.rows(s, existing, r.maxCases, r.drop)
	if len(rows) == 0 {
		return false, nil
	}
	r.written = append(r.written, written...)
	src := pass.Source(f)
	tf := pass.Fset.File(f.Pos())
	brace := tf.Offset(lit.Rbrace)
	lineStart := bytes.LastIndexByte(src[:brace], '\n') + 1
	indent := src[lineStart:brace]
	var b strings.Builder
	if len(bytes.TrimLeft(indent, " \t")) == 0 {
		// The brace on a line of its own: the rows go on lines before it.
		for _, row := range rows {
			fmt.Fprintf(&b, "%s\t%s,\n", indent, row)
		}
		pass.Insert(tf.Pos(lineStart), b.String())
		return true, nil
	}
	for _, row := range rows {
		fmt.Fprintf(&b, "\n%s,", row)
	}
	pass.Insert(lit.Rbrace, b.String()+"\n")
	return true, nil
}

// withoutAny spells the predeclared any as interface{}, for a file whose Go
// version predates it.
func withoutAny(expr string) string {
	if !strings.Contains(expr, "any") {
		return expr
	}
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(expr))
	var sc scanner.Scanner
	sc.Init(file, []byte(expr), nil, 0)
	var b strings.Builder
	last := 0
	for {
		pos, tok, lit := sc.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.IDENT && lit == "any" {
			off := file.Offset(pos)
			b.WriteString(expr[last:off])
			b.WriteString("interface{}")
			last = off + len("any")
		}
	}
	b.WriteString(expr[last:])
	return b.String()
}
