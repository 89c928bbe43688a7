package otel

import (
	"bytes"
	"go/ast"
	"go/token"
	"strconv"
	"strings"

	"github.com/gorewrite/gorewrite/rewrite"
)

// Remove returns the rule that takes out the spans [New] wrote, and only
// those: the statements, the //line directives and the names New gave the
// signature. Imports nothing uses any more go. A span whose statements
// are not exactly what New writes (edited by hand) is left in place and
// reported to report (which may be nil) as a warning.
func Remove(report *Report) *rewrite.Rule {
	return &rewrite.Rule{
		Name: "otel-remove",
		Doc:  "take out the OpenTelemetry spans gorewrite trace --otel wrote",
		Run: func(pass *rewrite.Pass) error {
			for _, f := range pass.Files {
				r := newRemover(pass, report, f)
				var taken []rewrite.Edit
				r.eachSpan(func(edits []rewrite.Edit) {
					pass.Apply(edits...)
					report.removedOne()
					taken = append(taken, edits...)
				})
				// The directive after the imports goes with the last span.
				if eol, c := importsDirective(f, r.tf, r.src); c != nil && len(taken) > 0 && allMarkersIn(f, taken) {
					pass.Apply(rewrite.Edit{Pos: r.tf.Pos(eol), End: r.tf.Pos(lineEnd(r.src, r.tf.Offset(c.Pos())))})
				}
			}
			return nil
		},
	}
}

type remover struct {
	pass   *rewrite.Pass
	report *Report
	f      *ast.File
	src    []byte
	tf     *token.File
}

func newRemover(pass *rewrite.Pass, report *Report, f *ast.File) *remover {
	return &remover{pass: pass, report: report, f: f, src: pass.Source(f), tf: pass.Fset.File(f.FileStart)}
}

// eachSpan calls do with the edits that take out each span of the file,
// function by function.
func (r *remover) eachSpan(do func(edits []rewrite.Edit)) {
	ast.Inspect(r.f, func(n ast.Node) bool {
		var edits []rewrite.Edit
		switch n := n.(type) {
		case *ast.FuncDecl:
			if n.Body != nil {
				edits = r.spanEdits(n.Type, n.Body)
			}
		case *ast.FuncLit:
			edits = r.spanEdits(n.Type, n.Body)
		}
		if edits != nil {
			do(edits)
		}
		return true
	})
}

func (r *remover) text(n ast.Node) string {
	return string(r.src[r.tf.Offset(n.Pos()):r.tf.Offset(n.End())])
}

// markerOn returns the marker comment ending the line of pos, if any.
func (r *remover) markerOn(pos token.Pos) (*ast.Comment, []string) {
	line := r.tf.PositionFor(pos, false).Line // physical: directives renumber lines
	for _, g := range r.f.Comments {
		for _, c := range g.List {
			if c.Pos() > pos && r.tf.PositionFor(c.Pos(), false).Line == line {
				if words, ok := parseMarker(c.Text); ok {
					return c, words
				}
			}
		}
	}
	return nil, nil
}

// allMarkersIn reports whether every marker of f is in what edits take
// out: no span stays.
func allMarkersIn(f *ast.File, edits []rewrite.Edit) bool {
	for _, g := range f.Comments {
		for _, c := range g.List {
			if _, ok := parseMarker(c.Text); !ok {
				continue
			}
			in := false
			for _, e := range edits {
				in = in || e.Pos <= c.Pos() && c.End() <= e.End
			}
			if !in {
				return false
			}
		}
	}
	return true
}

// spanEdits returns the edits that take out the span New wrote into the
// function, or nil when it has none (or one edited by hand, which it
// reports).
func (r *remover) spanEdits(ft *ast.FuncType, body *ast.BlockStmt) []rewrite.Edit {
	if len(body.List) < 2 {
		return nil
	}
	first, words := r.markerOn(body.List[0].Pos())
	if first == nil {
		if c, _ := r.markerOn(body.List[1].Pos()); c != nil {
			r.warn(body.List[0].Pos(), "the span's first line was edited by hand: left alone")
		}
		return nil
	}
	code, ok := r.parse(body.List[0], body.List[1])
	if c, _ := r.markerOn(body.List[1].Pos()); !ok || c == nil {
		r.warn(body.List[0].Pos(), "the span was edited by hand: left alone")
		return nil
	}
	code.words = words
	got := string(r.src[r.tf.Offset(body.List[0].Pos()):r.tf.Offset(body.List[1].End())])
	if !sameTokens(got, strings.Join(code.lines(), "\n")) {
		r.warn(body.List[0].Pos(), "the span was edited by hand: left alone")
		return nil
	}

	// What the marker says New changed in the signature.
	var oneLine, namedParams, namedResults bool
	var blank []string
	for _, w := range words {
		k, v, _ := strings.Cut(w, "=")
		switch {
		case w == "oneline":
			oneLine = true
		case k == "named":
			for _, x := range strings.Split(v, ",") {
				switch x {
				case "params":
					namedParams = true
				case "results":
					namedResults = true
				default:
					r.warn(body.List[0].Pos(), "unknown marker word "+strconv.Quote(w)+": left alone")
					return nil
				}
			}
		case k == "blank":
			blank = strings.Split(v, ",")
		default:
			r.warn(body.List[0].Pos(), "unknown marker word "+strconv.Quote(w)+": left alone")
			return nil
		}
	}
	var edits []rewrite.Edit
	unname := func(fields *ast.FieldList) bool {
		for _, field := range fields.List {
			if len(field.Names) != 1 {
				return false
			}
			edits = append(edits, rewrite.Edit{Pos: field.Names[0].Pos(), End: field.Type.Pos()})
		}
		return true
	}
	if namedParams && !unname(ft.Params) {
		r.warn(body.List[0].Pos(), "the parameters were edited by hand: left alone")
		return nil
	}
	if namedResults {
		res := ft.Results
		if res == nil || !unname(res) {
			r.warn(body.List[0].Pos(), "the results were edited by hand: left alone")
			return nil
		}
		if len(res.List) == 1 && res.Opening.IsValid() {
			edits = append(edits, rewrite.Edit{Pos: res.Opening, End: res.Opening + 1}, rewrite.Edit{Pos: res.Closing, End: res.Closing + 1})
		}
	}
	for _, name := range blank {
		id := findName(name, ft.Params, ft.Results)
		if id == nil {
			r.warn(body.List[0].Pos(), "the signature was edited by hand: left alone")
			return nil
		}
		edits = append(edits, rewrite.Edit{Pos: id.Pos(), End: id.End(), New: "_"})
	}

	// The statements and the directives.
	start := r.tf.Offset(body.List[0].Pos())
	for start > 0 && r.src[start-1] != '\n' {
		start--
	}
	end := nextLine(r.src, lineEnd(r.src, r.tf.Offset(body.List[1].End())))
	if e := lineEnd(r.src, end); lineDirective.Match(r.src[end:e]) {
		end = nextLine(r.src, e)
	}
	if !oneLine {
		edits = append(edits, rewrite.Edit{Pos: r.tf.Pos(start), End: r.tf.Pos(end)})
		return edits
	}
	// Close the body up again: { s1; s2 }.
	var stmts []string
	for _, s := range body.List[2:] {
		t := r.text(s)
		if strings.Contains(t, "\n") {
			r.warn(body.List[0].Pos(), "the one-line body was edited by hand: left alone")
			return nil
		}
		stmts = append(stmts, t)
	}
	inner := ""
	if len(stmts) > 0 {
		inner = " " + strings.Join(stmts, "; ") + " "
	}
	edits = append(edits, rewrite.Edit{Pos: body.Lbrace + 1, End: body.Rbrace, New: inner})
	// The directive after the closing brace, which gofmt may have put
	// after a blank line.
	eol := lineEnd(r.src, r.tf.Offset(body.Rbrace))
	next := nextLine(r.src, eol)
	for next < len(r.src) && len(bytes.TrimSpace(r.src[next:lineEnd(r.src, next)])) == 0 {
		next = nextLine(r.src, lineEnd(r.src, next))
	}
	if e := lineEnd(r.src, next); next < len(r.src) && lineDirective.Match(r.src[next:e]) {
		edits = append(edits, rewrite.Edit{Pos: r.tf.Pos(eol), End: r.tf.Pos(e)})
	}
	return edits
}

func (r *remover) warn(pos token.Pos, msg string) {
	r.report.warn(Note{Pos: r.pass.Fset.PositionFor(pos, false), Msg: msg})
}

// parse reads the names and literals of New's two statements, or says
// they are not New's.
func (r *remover) parse(s0, s1 ast.Stmt) (*spanCode, bool) {
	c := &spanCode{}
	as, ok := s0.(*ast.AssignStmt)
	if !ok || as.Tok != token.DEFINE || len(as.Lhs) != 2 || len(as.Rhs) != 1 {
		return nil, false
	}
	c.ctx, c.span = identName(as.Lhs[0]), identName(as.Lhs[1])
	start, ok := as.Rhs[0].(*ast.CallExpr)
	if !ok || len(start.Args) != 2 {
		return nil, false
	}
	if c.ctx == "_" {
		c.ctx, c.keep = identName(start.Args[0]), true
	}
	sel, ok := start.Fun.(*ast.SelectorExpr)
	if !ok {
		return nil, false
	}
	tracer, ok := sel.X.(*ast.CallExpr)
	if !ok || len(tracer.Args) != 1 {
		return nil, false
	}
	if tsel, ok := tracer.Fun.(*ast.SelectorExpr); ok {
		c.otel = identName(tsel.X)
	}
	c.tracer, c.name = r.text(tracer.Args[0]), r.text(start.Args[1])
	d, ok := s1.(*ast.DeferStmt)
	if !ok {
		return nil, false
	}
	if lit, ok := d.Call.Fun.(*ast.FuncLit); ok {
		for _, s := range lit.Body.List {
			is, ok := s.(*ast.IfStmt)
			if !ok {
				continue
			}
			if is.Init != nil {
				c.panics = true
			} else if be, ok := is.Cond.(*ast.BinaryExpr); ok {
				c.errs = append(c.errs, identName(be.X))
			}
			// Package names: from span.SetStatus(codes.Error, ...) and
			// span.RecordError(fmt.Errorf(...), trace.WithStackTrace(true)).
			ast.Inspect(is.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				fs, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				switch fs.Sel.Name {
				case "SetStatus":
					if len(call.Args) > 0 {
						if as, ok := call.Args[0].(*ast.SelectorExpr); ok {
							c.codes = identName(as.X)
						}
					}
				case "Errorf":
					c.fmt = identName(fs.X)
				case "WithStackTrace":
					c.trace = identName(fs.X)
				}
				return true
			})
		}
	}
	return c, c.ctx != "" && c.span != "" && c.otel != ""
}

func identName(e ast.Expr) string {
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// findName returns the parameter or result called name.
func findName(name string, lists ...*ast.FieldList) *ast.Ident {
	for _, l := range lists {
		if l == nil {
			continue
		}
		for _, field := range l.List {
			for _, id := range field.Names {
				if id.Name == name {
					return id
				}
			}
		}
	}
	return nil
}
