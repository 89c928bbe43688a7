package mutate

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"
)

// WriteHTML writes r as one self-contained HTML page: a summary per
// package, then each file with mutants as numbered source lines, colored
// by the worst fate of the mutants on them, each mutant noted under its
// line. The page loads nothing (no scripts, fonts or styles from the
// network), so it can be archived as a CI artifact and opened anywhere.
func WriteHTML(w io.Writer, r *Report) error {
	page, err := htmlPageOf(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, page); err != nil {
		return fmt.Errorf("writing mutation report: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

type htmlPage struct {
	Root        string
	Elapsed     string
	Thresholds  Thresholds
	ShowPending bool
	Packages    []htmlSummary
	Total       htmlSummary
	Files       []htmlFile
}

// htmlSummary is one row of the summary table.
type htmlSummary struct {
	Name                                  string
	Mutants, Killed, Survived, NoCoverage int
	Timeout, CompileError, RuntimeError   int
	Ignored, Pending                      int
	Score, Coverage                       string
	ScoreClass                            string
	// ShowPending adds the pending column, which only --list and
	// interrupted runs need.
	ShowPending bool
}

type htmlFile struct {
	Anchor   string
	Name     string
	Package  string
	Survived int
	Open     bool
	Lines    []htmlLine
}

type htmlLine struct {
	Num   int
	Text  string
	Class string
	Notes []htmlNote
}

type htmlNote struct {
	Class       string
	Status      Status
	Operator    string
	Original    string
	Replacement string
	KilledBy    string
	Reason      string
	ID          string
}

func htmlPageOf(r *Report) (*htmlPage, error) {
	mutants := slices.Clone(r.Mutants)
	Sort(mutants)
	page := &htmlPage{
		Root:       r.Root,
		Elapsed:    r.Elapsed.Round(time.Millisecond).String(),
		Thresholds: r.Thresholds,
		Total:      htmlSummaryOf("total", mutants, r.Thresholds),
	}
	page.ShowPending = page.Total.Pending > 0
	page.Total.ShowPending = page.ShowPending
	for _, pkg := range groupMutants(mutants, func(m *Mutant) string { return m.Package }) {
		s := htmlSummaryOf(pkg[0].Package, pkg, r.Thresholds)
		s.ShowPending = page.ShowPending
		page.Packages = append(page.Packages, s)
	}
	names := testNamesByID(r.Tests)
	for i, file := range groupMutants(mutants, func(m *Mutant) string { return m.RelFile }) {
		src, ok := r.Sources[file[0].RelFile]
		if !ok {
			return nil, fmt.Errorf("writing mutation report: no source for %s", file[0].RelFile)
		}
		f := htmlFileOf(file, src, names)
		f.Anchor = fmt.Sprintf("file-%d", i+1)
		page.Files = append(page.Files, f)
	}
	return page, nil
}

// groupMutants splits mutants into groups of equal key, ordered by key, each
// keeping the mutants' order.
func groupMutants(mutants []*Mutant, key func(*Mutant) string) [][]*Mutant {
	sorted := slices.Clone(mutants)
	slices.SortStableFunc(sorted, func(a, b *Mutant) int { return cmp.Compare(key(a), key(b)) })
	var groups [][]*Mutant
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && key(sorted[j]) == key(sorted[i]) {
			j++
		}
		groups = append(groups, sorted[i:j])
		i = j
	}
	return groups
}

func htmlSummaryOf(name string, mutants []*Mutant, th Thresholds) htmlSummary {
	n := make(map[Status]int)
	for _, m := range mutants {
		n[m.Status]++
	}
	s := htmlSummary{
		Name: name, Mutants: len(mutants),
		Killed: n[Killed], Survived: n[Survived], NoCoverage: n[NoCoverage],
		Timeout: n[Timeout], CompileError: n[CompileError], RuntimeError: n[RuntimeError],
		Ignored: n[Ignored], Pending: n[Pending],
	}
	score, ok := Score(mutants)
	s.Score = percent(score, ok)
	switch {
	case !ok:
	case score >= th.High:
		s.ScoreClass = "good"
	case score >= th.Low:
		s.ScoreClass = "warn"
	default:
		s.ScoreClass = "bad"
	}
	s.Coverage = percent(MutantCoverage(mutants))
	return s
}

// testNamesByID maps test IDs to the shorter names notes show.
func testNamesByID(tests []*Test) map[string]string {
	names := make(map[string]string, len(tests))
	for _, t := range tests {
		names[t.ID] = t.Name
	}
	return names
}

// htmlFileOf renders one file's mutants (in report order) onto its lines.
// A line takes the class of the most alarming mutant spanning it; the
// notes go under the line a mutant starts on.
func htmlFileOf(mutants []*Mutant, src []byte, names map[string]string) htmlFile {
	f := htmlFile{Name: mutants[0].RelFile, Package: mutants[0].Package}
	text := strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")
	f.Lines = make([]htmlLine, len(text))
	for i, t := range text {
		f.Lines[i] = htmlLine{Num: i + 1, Text: strings.TrimSuffix(t, "\r")}
	}
	rank := make([]int, len(text))
	for _, m := range mutants {
		if m.Status == Survived {
			f.Survived++
		}
		f.Open = f.Open || m.Status == Survived || m.Status == NoCoverage
		for l := max(m.Start.Line, 1); l <= min(m.End.Line, len(text)); l++ {
			if r := htmlLineRank(m.Status); r > rank[l-1] {
				rank[l-1] = r
				f.Lines[l-1].Class = htmlStatusClass(m.Status)
			}
		}
		if l := m.Start.Line; l >= 1 && l <= len(text) {
			f.Lines[l-1].Notes = append(f.Lines[l-1].Notes, htmlNoteOf(m, names))
		}
	}
	return f
}

// htmlLineRank orders the statuses a line is colored by; the others leave
// it plain, as they say nothing about the tests.
func htmlLineRank(s Status) int {
	switch s {
	case Survived:
		return 4
	case NoCoverage:
		return 3
	case Timeout:
		return 2
	case Killed:
		return 1
	}
	return 0
}

func htmlStatusClass(s Status) string { return strings.ToLower(string(s)) }

func htmlNoteOf(m *Mutant, names map[string]string) htmlNote {
	var killers []string
	for _, id := range m.KilledBy {
		killers = append(killers, cmp.Or(names[id], id))
	}
	return htmlNote{
		Class:       htmlStatusClass(m.Status),
		Status:      m.Status,
		Operator:    m.Operator,
		Original:    shortText(m.Original),
		Replacement: shortText(m.Replacement),
		KilledBy:    strings.Join(killers, ", "),
		Reason:      m.StatusReason,
		ID:          m.ID,
	}
}

// htmlTemplate is written as well-formed XML too, so that tests can check
// its structure with encoding/xml.
var htmlTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>gorewrite mutate report</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; background: #fff; }
h1 { font-size: 1.4em; }
h2 { font-size: 1.1em; display: inline; }
table { border-collapse: collapse; }
.summary th, .summary td { border: 1px solid #ccc; padding: .2em .6em; text-align: right; }
.summary .name { text-align: left; }
.summary tr.total td { font-weight: bold; }
.good { background: #d6f5d6; } .warn { background: #fff1c2; } .bad { background: #f9d2d2; }
details { margin: 1em 0; }
summary { cursor: pointer; }
.src { width: 100%; font-family: ui-monospace, monospace; font-size: 13px; margin-top: .5em; }
.src td { padding: 0 .6em; vertical-align: top; }
.src td.ln { color: #888; text-align: right; width: 1%; user-select: none; }
.src td.code { white-space: pre; tab-size: 4; }
tr.survived td.code { background: #f9c9c9; }
tr.nocoverage td.code { background: #fde2b8; }
tr.timeout td.code { background: #f5e9a8; }
tr.killed td.code { background: #eef8ee; }
tr.notes td { font-family: system-ui, sans-serif; font-size: 12px; }
tr.notes ul { margin: .1em 0 .4em 0; padding-left: 1.2em; }
.st { font-weight: bold; }
li.survived .st { color: #b00000; } li.nocoverage .st { color: #a35a00; }
li.timeout .st { color: #806600; } li.killed .st { color: #2a7a2a; }
.id { color: #888; }
</style>
</head>
<body>
<h1>gorewrite mutate report</h1>
<p>Root: <code>{{.Root}}</code> &#183; elapsed {{.Elapsed}} &#183; thresholds: high {{.Thresholds.High}}%, low {{.Thresholds.Low}}%</p>
<table class="summary">
<tr><th class="name">package</th><th>mutants</th><th>killed</th><th>survived</th><th>no coverage</th><th>timeout</th><th>compile error</th><th>runtime error</th><th>ignored</th>{{if .ShowPending}}<th>pending</th>{{end}}<th>score</th><th>mutant coverage</th></tr>
{{range .Packages}}{{template "row" .}}{{end}}{{with .Total}}<tr class="total">{{template "cells" .}}</tr>{{end}}
</table>
{{range .Files}}
<details id="{{.Anchor}}"{{if .Open}} open="open"{{end}}>
<summary><h2>{{.Name}}</h2> ({{.Package}}{{if .Survived}}, {{.Survived}} survived{{end}})</summary>
<table class="src">
{{range .Lines}}<tr class="line{{with .Class}} {{.}}{{end}}"><td class="ln">{{.Num}}</td><td class="code">{{.Text}}</td></tr>
{{if .Notes}}<tr class="notes"><td></td><td><ul>{{range .Notes}}<li class="{{.Class}}"><span class="st">{{.Status}}</span> {{.Operator}} <code>{{.Original}}</code> -&gt; <code>{{.Replacement}}</code>{{if .KilledBy}}, killed by {{.KilledBy}}{{end}} <span class="id">{{.ID}}</span>{{if .Reason}}<details><summary>reason</summary><pre>{{.Reason}}</pre></details>{{end}}</li>{{end}}</ul></td></tr>
{{end}}{{end}}</table>
</details>
{{end}}
</body>
</html>
{{define "row"}}<tr>{{template "cells" .}}</tr>
{{end}}{{define "cells"}}<td class="name">{{.Name}}</td><td>{{.Mutants}}</td><td>{{.Killed}}</td><td>{{.Survived}}</td><td>{{.NoCoverage}}</td><td>{{.Timeout}}</td><td>{{.CompileError}}</td><td>{{.RuntimeError}}</td><td>{{.Ignored}}</td>{{if .ShowPending}}<td>{{.Pending}}</td>{{end}}<td class="{{.ScoreClass}}">{{.Score}}</td><td>{{.Coverage}}</td>{{end}}
`))
