package otel

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"
	"text/template"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/trace"
)

// Options says which functions get spans and what the spans are.
type Options struct {
	// Selection picks the functions, as for gorewrite trace; of those,
	// the ones with a context.Context parameter get a span.
	trace.Selection

	// Tracer is the name given to otel.Tracer; empty means the package's
	// import path.
	Tracer string

	// SpanName makes a span's name from a [SpanName]; nil means
	// "Recv.Func" ("Func" for a function).
	SpanName *template.Template

	// RecordPanics records a panic on the span (then panics again).
	RecordPanics bool

	// NoLineDirectives leaves out the //line directives that keep line
	// numbers: the lines after each span then move down.
	NoLineDirectives bool

	// Report, when set, is told what was done.
	Report *Report
}

// SpanName is what a --span-name template sees.
type SpanName struct {
	Path string // import path of the package
	Pkg  string // package name
	Recv string // receiver type name, or ""
	Func string // function name ("Outer.func1" for a function literal)
	Name string // the default: Recv.Func, or Func
}

// New returns the rule that writes spans into the functions opts selects.
func New(opts Options) *rewrite.Rule {
	return &rewrite.Rule{
		Name:       "otel",
		Doc:        "start an OpenTelemetry span in each function with a context.Context parameter, recording returned errors",
		NeedsTypes: true,
		Run: func(pass *rewrite.Pass) error {
			return (&inserter{pass: pass, opts: &opts}).run()
		},
	}
}

type inserter struct {
	pass  *rewrite.Pass
	opts  *Options
	lines *renumber // of the file being instrumented
	// imported says the spans added to the file need an import it does
	// not have.
	imported bool
	// keeps says which parameters of the package's functions each
	// keeps.
	keeps *keeps
}

// addImport makes the package at path usable at the top of body and
// returns the name to use.
func (in *inserter) addImport(f *ast.File, path, name string, body *ast.BlockStmt) string {
	if !slices.ContainsFunc(f.Imports, func(s *ast.ImportSpec) bool { return s.Path.Value == strconv.Quote(path) }) {
		in.imported = true
	}
	return in.pass.AddPackageImport(f, types.NewPackage(path, name), body.Lbrace+1)
}

func (in *inserter) run() error {
	in.keeps = findKeeps(in.pass)
	sel := in.opts.Selection
	sel.Func = nil // matched here, closures too
	for _, f := range in.pass.Files {
		tf := in.pass.Fset.File(f.FileStart)
		if strings.HasSuffix(tf.Name(), "_test.go") || fileIgnored(f) {
			continue
		}
		in.lines = newRenumber(in.pass, f)
		in.pass.Apply(in.lines.fixes()...)
		in.imported = false
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			match, ok := sel.Keeps(in.pass.Pkg.Path(), f, fn)
			if !ok {
				continue
			}
			recv := trace.RecvName(fn)
			name := SpanName{Path: in.pass.Pkg.Path(), Pkg: in.pass.Pkg.Name(), Recv: recv, Func: fn.Name.Name, Name: fn.Name.Name}
			if recv != "" {
				name.Name = recv + "." + fn.Name.Name
			}
			if in.selected(match) {
				if err := in.function(f, fn.Type, fn.Body, match, name, false); err != nil {
					return err
				}
			}
			if in.opts.Closures {
				if err := in.closures(f, fn.Body, match, name, false); err != nil {
					return err
				}
			}
		}
		if in.imported && in.lines.importDirective == nil && !in.opts.NoLineDirectives {
			// The imports the spans need move the lines below them: a
			// directive after the imports gives them their numbers back.
			src, tf, eol := in.pass.Source(f), in.pass.Fset.File(f.FileStart), in.lines.importsEnd
			in.pass.Insert(tf.Pos(eol), "\n"+directive(in.lines.number(in.pass, nextLine(src, eol)), 1))
		}
	}
	return nil
}

func (in *inserter) selected(match string) bool {
	return in.opts.Func == nil || in.opts.Func.MatchString(match)
}

// closures instruments the function literals in body, named as the
// runtime names them (Outer.func1, Outer.func1.1).
func (in *inserter) closures(f *ast.File, body *ast.BlockStmt, match string, name SpanName, nested bool) error {
	n := 0
	var err error
	ast.Inspect(body, func(x ast.Node) bool {
		lit, ok := x.(*ast.FuncLit)
		if !ok || err != nil {
			return err == nil
		}
		n++
		suffix := ".func" + strconv.Itoa(n)
		if nested {
			suffix = "." + strconv.Itoa(n)
		}
		inner := name
		inner.Func += suffix
		inner.Name += suffix
		if in.selected(match + suffix) {
			err = in.function(f, lit.Type, lit.Body, match+suffix, inner, true)
		}
		if err == nil {
			err = in.closures(f, lit.Body, match+suffix, inner, true)
		}
		return false
	})
	return err
}

// fileIgnored reports whether a //gorewrite:ignore comment comes before
// the package clause.
func fileIgnored(f *ast.File) bool {
	for _, g := range f.Comments {
		if g.Pos() > f.Package {
			break
		}
		for _, c := range g.List {
			if c.Text == "//gorewrite:ignore" || strings.HasPrefix(c.Text, "//gorewrite:ignore ") {
				return true
			}
		}
	}
	return false
}

// function instruments one function, if it has a context parameter.
func (in *inserter) function(f *ast.File, ft *ast.FuncType, body *ast.BlockStmt, match string, name SpanName, literal bool) error {
	pass, info := in.pass, in.pass.TypesInfo
	ctxField := -1
	for i, field := range ft.Params.List {
		if isContext(info.TypeOf(field.Type)) {
			ctxField = i
			break
		}
	}
	if ctxField < 0 {
		return nil
	}
	tf := pass.Fset.File(body.Lbrace)
	src := pass.Source(f)
	pos := pass.Fset.PositionFor(body.Lbrace, false) // where an editor shows it
	skip := func(msg string) error {
		in.opts.Report.skip(Note{Pos: pos, Func: match, Msg: msg})
		return nil
	}
	if hasMarker(f, tf, body) {
		return skip(AlreadyInstrumented)
	}
	if startsSpan(info, body) {
		return skip("starts a span itself")
	}
	// Physical lines: //line directives (ours, from an earlier span) renumber them.
	line := func(p token.Pos) int { return tf.PositionFor(p, false).Line }
	oneLine := len(body.List) > 0 && line(body.List[0].Pos()) == line(body.Lbrace) || line(body.Rbrace) == line(body.Lbrace)
	if oneLine {
		switch {
		case literal:
			return skip("a function literal on one line")
		case line(body.Rbrace) != line(body.Lbrace):
			return skip("the body is not formatted as gofmt does")
		case commentIn(f, body.Lbrace, body.Rbrace):
			return skip("a one-line body with a comment")
		}
	}

	names := newNamer(info, ft, body)
	code := &spanCode{panics: in.opts.RecordPanics}
	var edits []rewrite.Edit
	var named, blank []string

	// The context parameter, named if it is not.
	params := ft.Params.List
	if len(params[ctxField].Names) == 0 {
		named = append(named, "params")
		for i, field := range params {
			n := "_"
			if i == ctxField {
				n = names.fresh("ctx")
				code.ctx = n
			}
			edits = append(edits, rewrite.Edit{Pos: field.Type.Pos(), End: field.Type.Pos(), New: n + " "})
		}
	} else {
		id := params[ctxField].Names[0]
		code.ctx = id.Name
		if id.Name == "_" {
			code.ctx = names.fresh("ctx")
			blank = append(blank, code.ctx)
			edits = append(edits, rewrite.Edit{Pos: id.Pos(), End: id.End(), New: code.ctx})
		}
	}

	// The error results, named where they are not.
	rec := Instrumented{Pos: pos, Func: match}
	if res := ft.Results; res != nil {
		capturable := make([]bool, len(res.List))
		anyUnnamed := false
		for i, field := range res.List {
			t := info.TypeOf(field.Type)
			if t == nil || !types.Implements(t, errorType) {
				continue
			}
			why := uncapturable(t)
			if why != "" {
				for range max(len(field.Names), 1) {
					rec.Uncaptured = append(rec.Uncaptured, fmt.Sprintf("%s: %s", types.TypeString(t, types.RelativeTo(pass.Pkg)), why))
				}
				continue
			}
			capturable[i] = true
			if len(field.Names) == 0 {
				anyUnnamed = true
			}
		}
		if anyUnnamed {
			named = append(named, "results")
			if len(res.List) == 1 && !res.Opening.IsValid() {
				// error becomes (err error): the parenthesis goes first.
				edits = append(edits,
					rewrite.Edit{Pos: res.List[0].Type.Pos(), End: res.List[0].Type.Pos(), New: "("},
					rewrite.Edit{Pos: res.List[0].Type.End(), End: res.List[0].Type.End(), New: ")"})
			}
			for i, field := range res.List {
				n := "_"
				if capturable[i] {
					n = names.fresh("err")
					code.errs = append(code.errs, n)
				}
				edits = append(edits, rewrite.Edit{Pos: field.Type.Pos(), End: field.Type.Pos(), New: n + " "})
			}
		} else {
			for i, field := range res.List {
				if !capturable[i] {
					continue
				}
				for _, id := range field.Names {
					n := id.Name
					if n == "_" {
						n = names.fresh("err")
						blank = append(blank, n)
						edits = append(edits, rewrite.Edit{Pos: id.Pos(), End: id.End(), New: n})
					}
					code.errs = append(code.errs, n)
				}
			}
		}
	}
	rec.Errors = len(code.errs)
	if ids := params[ctxField].Names; len(ids) > 0 && ids[0].Name != "_" {
		rec.KeepsContext = in.keeps.why(ft, body, info.Defs[ids[0]])
	}
	code.keep = rec.KeepsContext != ""

	// The span.
	code.span = names.fresh("span")
	code.otel = in.addImport(f, otelPath, "otel", body)
	if len(code.errs) > 0 || code.panics {
		code.codes = in.addImport(f, codesPath, "codes", body)
	}
	if code.panics {
		code.fmt = in.addImport(f, "fmt", "fmt", body)
		code.trace = in.addImport(f, tracePath, "trace", body)
	}
	tracer := in.opts.Tracer
	if tracer == "" {
		tracer = pass.Pkg.Path()
	}
	code.tracer = strconv.Quote(tracer)
	spanName := name.Name
	if in.opts.SpanName != nil {
		var b bytes.Buffer
		if err := in.opts.SpanName.Execute(&b, name); err != nil {
			return fmt.Errorf("--span-name: %v", err)
		}
		spanName = b.String()
	}
	code.name = strconv.Quote(spanName)
	rec.Span = spanName
	if len(named) > 0 {
		code.words = append(code.words, "named="+strings.Join(named, ","))
	}
	if len(blank) > 0 {
		code.words = append(code.words, "blank="+strings.Join(blank, ","))
	}
	if oneLine {
		code.words = append(code.words, "oneline")
	}

	// The statements, on new lines after the opening brace's, and the
	// directive that gives the next line its old number back.
	indent := lineIndent(src, tf.Offset(body.Lbrace)) + "\t"
	block := "\n" + code.text(indent)
	if !oneLine {
		eol := lineEnd(src, tf.Offset(body.Lbrace))
		if !in.opts.NoLineDirectives {
			block += "\n" + directive(in.lines.number(pass, nextLine(src, eol)), 1)
		}
		edits = append(edits, rewrite.Edit{Pos: tf.Pos(eol), End: tf.Pos(eol), New: block})
	} else {
		// func f(ctx context.Context) error { return g(ctx) } opens up;
		// the statements keep their line, and the line after the closing
		// brace gets its number back from a second directive.
		var b strings.Builder
		b.WriteString(block)
		if !in.opts.NoLineDirectives {
			col := pass.Fset.PositionFor(body.Rbrace, false).Column
			if len(body.List) > 0 {
				col = pass.Fset.PositionFor(body.List[0].Pos(), false).Column - 1
			}
			fmt.Fprintf(&b, "\n%s", directive(in.lines.number(pass, tf.Offset(body.Lbrace)), col))
		}
		for _, s := range body.List {
			fmt.Fprintf(&b, "\n%s%s", indent, src[tf.Offset(s.Pos()):tf.Offset(s.End())])
		}
		b.WriteString("\n" + indent[:len(indent)-1])
		edits = append(edits, rewrite.Edit{Pos: body.Lbrace + 1, End: body.Rbrace, New: b.String()})
		if !in.opts.NoLineDirectives {
			eol := lineEnd(src, tf.Offset(body.Rbrace))
			edits = append(edits, rewrite.Edit{Pos: tf.Pos(eol), End: tf.Pos(eol), New: "\n" + directive(in.lines.number(pass, nextLine(src, eol)), 1)})
		}
	}
	pass.Apply(edits...)
	in.opts.Report.add(rec)
	return nil
}

// AlreadyInstrumented is the reason [Report.Skipped] gives for a function
// that has a span from gorewrite.
const AlreadyInstrumented = "has a span from gorewrite already"

var errorType = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

// isContext reports whether t is context.Context.
func isContext(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && n.Obj().Name() == "Context"
}

// uncapturable says why an error result of type t cannot be compared with
// nil, or "" when it can.
func uncapturable(t types.Type) string {
	if _, ok := types.Unalias(t).(*types.TypeParam); ok {
		return "a type parameter, which cannot be compared with nil"
	}
	switch t.Underlying().(type) {
	case *types.Interface, *types.Pointer, *types.Map, *types.Slice, *types.Chan, *types.Signature:
		return ""
	}
	return "a value type, which cannot be compared with nil"
}

// hasMarker reports whether the first statement of body has a marker on
// its line (markers further in belong to function literals).
func hasMarker(f *ast.File, tf *token.File, body *ast.BlockStmt) bool {
	if len(body.List) == 0 {
		return false
	}
	line := tf.PositionFor(body.List[0].Pos(), false).Line
	for _, g := range f.Comments {
		for _, c := range g.List {
			if _, ok := parseMarker(c.Text); ok && c.Pos() > body.List[0].Pos() && tf.PositionFor(c.Pos(), false).Line == line {
				return true
			}
		}
	}
	return false
}

func commentIn(f *ast.File, from, to token.Pos) bool {
	for _, g := range f.Comments {
		if g.Pos() > from && g.Pos() < to {
			return true
		}
	}
	return false
}

// startsSpan reports whether body calls an OpenTelemetry tracer's Start,
// outside the function literals in it.
func startsSpan(info *types.Info, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if _, lit := n.(*ast.FuncLit); found || lit {
			return false
		}
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "Start" {
			if fn, ok := info.Uses[sel.Sel].(*types.Func); ok && fn.Pkg() != nil && fn.Pkg().Path() == tracePath {
				found = true
			}
		}
		return true
	})
	return found
}

// namer picks names for new variables of a function that neither clash
// with its declarations nor hide what its body refers to.
type namer struct {
	scope *types.Scope
	taken map[string]bool
}

func newNamer(info *types.Info, ft *ast.FuncType, body *ast.BlockStmt) *namer {
	n := &namer{scope: info.Scopes[ft], taken: make(map[string]bool)}
	ast.Inspect(body, func(x ast.Node) bool {
		if id, ok := x.(*ast.Ident); ok {
			if obj := info.Uses[id]; obj != nil && (obj.Pos() < ft.Pos() || obj.Pos() > body.End()) {
				n.taken[id.Name] = true // declared outside: a new name would hide it
			}
		}
		return true
	})
	return n
}

func (n *namer) fresh(base string) string {
	for i := 0; ; i++ {
		name := base
		if i > 0 {
			name += strconv.Itoa(i)
		}
		if n.taken[name] || n.scope != nil && n.scope.Lookup(name) != nil {
			continue
		}
		n.taken[name] = true
		return name
	}
}

// lineIndent returns the blanks that start the line holding offset off.
func lineIndent(src []byte, off int) string {
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	end := start
	for end < len(src) && (src[end] == ' ' || src[end] == '\t') {
		end++
	}
	return string(src[start:end])
}

// lineEnd returns the offset of the end of the line holding off: its
// newline, or the \r before it.
func lineEnd(src []byte, off int) int {
	i := bytes.IndexByte(src[off:], '\n')
	if i < 0 {
		return len(src)
	}
	end := off + i
	if end > 0 && src[end-1] == '\r' {
		end--
	}
	return end
}

// nextLine returns the offset of the start of the line after the one
// ending at eol.
func nextLine(src []byte, eol int) int {
	if i := bytes.IndexByte(src[eol:], '\n'); i >= 0 {
		return eol + i + 1
	}
	return len(src)
}

// callName returns the name of the function or method a call calls.
func callName(call *ast.CallExpr) string {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	case *ast.IndexExpr:
		if id, ok := f.X.(*ast.Ident); ok {
			return id.Name
		}
	}
	return ""
}
