package mutate

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// WriteGitHub writes GitHub Actions workflow commands that annotate the
// code with what the tests missed: a warning per surviving mutant and a
// notice per mutant no test covers. The other statuses need no attention
// in review. Annotations follow the report's order: file, then position;
// one warning without a file says how many mutants a stopped run left
// Pending.
//
// Columns are go/token's byte columns, as Go's other tools report them
// in the same workflow; they are given only for a mutant on one line, as
// GitHub ignores columns of annotations that span lines.
func WriteGitHub(w io.Writer, r *Report) error {
	mutants := slices.Clone(r.Mutants)
	Sort(mutants)
	var buf bytes.Buffer
	for _, m := range mutants {
		var command, verb string
		switch m.Status {
		case Survived:
			command, verb = "warning", "survived"
		case NoCoverage:
			command, verb = "notice", "no coverage"
		default:
			continue
		}
		msg := fmt.Sprintf("%s: %s %s -> %s", verb, m.Operator, shortText(m.Original), shortText(m.Replacement))
		fmt.Fprintf(&buf, "::%s %s::%s\n", command, githubProperties(m), githubEscapeData(msg))
	}
	// A run stopped early says so once, not per mutant: the mutants it
	// did not test are no finding in the code.
	if n := countStatus(mutants, Pending); n > 0 {
		msg := fmt.Sprintf("incomplete: %d mutants not tested (%s)", n, r.stoppedReason())
		fmt.Fprintf(&buf, "::warning title=%s::%s\n", githubEscapeProperty("gorewrite mutate"), githubEscapeData(msg))
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func githubProperties(m *Mutant) string {
	props := []string{
		"file=" + githubEscapeProperty(m.RelFile),
		fmt.Sprintf("line=%d", m.Start.Line),
	}
	if m.Start.Line == m.End.Line {
		props = append(props, fmt.Sprintf("col=%d", m.Start.Column))
	}
	props = append(props, fmt.Sprintf("endLine=%d", m.End.Line))
	if m.Start.Line == m.End.Line {
		props = append(props, fmt.Sprintf("endColumn=%d", m.End.Column))
	}
	props = append(props, "title="+githubEscapeProperty("gorewrite mutate"))
	return strings.Join(props, ",")
}

// githubEscapeData escapes a workflow command's message as the Actions
// toolkit's escapeData does, so a newline cannot end the command early.
func githubEscapeData(s string) string {
	s = strings.ReplaceAll(s, "%", "%25")
	s = strings.ReplaceAll(s, "\r", "%0D")
	return strings.ReplaceAll(s, "\n", "%0A")
}

// githubEscapeProperty escapes a workflow command's property value as the
// toolkit's escapeProperty does: ':' and ',' delimit properties too.
func githubEscapeProperty(s string) string {
	s = githubEscapeData(s)
	s = strings.ReplaceAll(s, ":", "%3A")
	return strings.ReplaceAll(s, ",", "%2C")
}

// shortTextMax is how many characters of a mutant's text one-line
// messages show.
const shortTextMax = 60

// shortText makes a mutant's original or new text fit a one-line message:
// a removed statement may span lines, and the message points at the
// source anyway. Line breaks and the indentation around them become one
// space; other spacing, as inside a string literal, is kept. Empty text
// (a removal) shows as "(removed)", as in the text summary.
func shortText(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	s = strings.Join(slices.DeleteFunc(lines, func(l string) bool { return l == "" }), " ")
	switch {
	case s == "":
		return "(removed)"
	case utf8.RuneCountInString(s) > shortTextMax:
		return string([]rune(s)[:shortTextMax-1]) + "…"
	}
	return s
}
