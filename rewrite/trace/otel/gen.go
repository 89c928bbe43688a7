package otel

import (
	"fmt"
	"go/scanner"
	"go/token"
	"regexp"
	"strings"
)

// Marker ends every statement line gorewrite inserts.
const Marker = "//gorewrite:trace"

// Import paths of the packages the spans use.
const (
	otelPath  = "go.opentelemetry.io/otel"
	codesPath = "go.opentelemetry.io/otel/codes"
	tracePath = "go.opentelemetry.io/otel/trace"
)

// spanCode is what the inserted statements are made of: the names they
// use and what they record. New fills it from the function; Remove reads
// it back from the statements and regenerates them to check that nobody
// edited them.
type spanCode struct {
	ctx, span               string // variables
	keep                    bool   // the span's context goes to _, not to ctx
	otel, codes, fmt, trace string // package names
	tracer, name            string // Go literals
	errs                    []string
	panics                  bool
	words                   []string // after the marker
}

// lines returns the statements, one line each, without indentation.
func (c *spanCode) lines() []string {
	marker := Marker
	if len(c.words) > 0 {
		marker += " " + strings.Join(c.words, " ")
	}
	bind := c.ctx
	if c.keep {
		bind = "_"
	}
	out := []string{fmt.Sprintf("%s, %s := %s.Tracer(%s).Start(%s, %s) %s", bind, c.span, c.otel, c.tracer, c.ctx, c.name, marker)}
	if len(c.errs) == 0 && !c.panics {
		return append(out, fmt.Sprintf("defer %s.End() %s", c.span, Marker))
	}
	out = append(out, "defer func() { "+Marker)
	if c.panics {
		out = append(out,
			"\tif r := recover(); r != nil {",
			fmt.Sprintf("\t\t%s.RecordError(%s.Errorf(\"panic: %%v\", r), %s.WithStackTrace(true))", c.span, c.fmt, c.trace),
			fmt.Sprintf("\t\t%s.SetStatus(%s.Error, %s.Sprint(\"panic: \", r))", c.span, c.codes, c.fmt),
			fmt.Sprintf("\t\t%s.End()", c.span),
			"\t\tpanic(r)",
			"\t}")
	}
	for _, e := range c.errs {
		out = append(out,
			fmt.Sprintf("\tif %s != nil {", e),
			fmt.Sprintf("\t\t%s.RecordError(%s)", c.span, e),
			fmt.Sprintf("\t\t%s.SetStatus(%s.Error, %s.Error())", c.span, c.codes, e),
			"\t}")
	}
	return append(out, fmt.Sprintf("\t%s.End()", c.span), "}()")
}

// text returns the statements indented, joined by newlines.
func (c *spanCode) text(indent string) string {
	lines := c.lines()
	for i := range lines {
		lines[i] = indent + lines[i]
	}
	return strings.Join(lines, "\n")
}

// lineDirective matches the directives New writes.
var lineDirective = regexp.MustCompile(`^//line :[0-9]+:[0-9]+$`)

func directive(line, col int) string {
	return fmt.Sprintf("//line :%d:%d", line, max(col, 1))
}

// sameTokens reports whether a and b are the same Go tokens, comments
// and layout aside.
func sameTokens(a, b string) bool {
	ta, ok1 := tokens(a)
	tb, ok2 := tokens(b)
	if !ok1 || !ok2 || len(ta) != len(tb) {
		return false
	}
	for i := range ta {
		if ta[i] != tb[i] {
			return false
		}
	}
	return true
}

func tokens(src string) ([]string, bool) {
	var s scanner.Scanner
	fset := token.NewFileSet()
	ok := true
	s.Init(fset.AddFile("", -1, len(src)), []byte(src), func(token.Position, string) { ok = false }, 0)
	var out []string
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			return out, ok
		}
		if tok == token.SEMICOLON && lit == "\n" {
			continue
		}
		out = append(out, tok.String()+" "+lit)
	}
}

// parseMarker returns the words after the marker in comment text, and
// whether text is a marker.
func parseMarker(text string) ([]string, bool) {
	rest, ok := strings.CutPrefix(text, Marker)
	if !ok || rest != "" && rest[0] != ' ' {
		return nil, false
	}
	return strings.Fields(rest), true
}
