package cover

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// A BranchReport is branch coverage: each site with the count of each of
// its outcomes, and the share of outcomes taken per function and in all.
type BranchReport struct {
	Sites        []SiteResult
	Funcs        []FuncResult
	Taken, Total int
}

// SiteResult is a branch site and how often each outcome was taken.
type SiteResult struct {
	Branch
	Counts []uint64
}

// FuncResult is the branch coverage of one function.
type FuncResult struct {
	File         string
	Line         int
	Func         string
	Taken, Total int
}

// NewBranchReport joins branch sites with the counts of a branch profile.
func NewBranchReport(branches []Branch, counts Counts) *BranchReport {
	r := &BranchReport{}
	funcs := map[[2]string]*FuncResult{}
	for _, b := range branches {
		s := SiteResult{Branch: b, Counts: make([]uint64, len(b.Outcomes))}
		key := [2]string{b.File, fmt.Sprint(b.FuncLine, b.Func)}
		f := funcs[key]
		if f == nil {
			f = &FuncResult{File: b.File, Line: b.FuncLine, Func: b.Func}
			funcs[key] = f
		}
		for i := range b.Outcomes {
			s.Counts[i] = counts[outcomeKey(b, i)]
			f.Total++
			r.Total++
			if s.Counts[i] > 0 {
				f.Taken++
				r.Taken++
			}
		}
		r.Sites = append(r.Sites, s)
	}
	sort.SliceStable(r.Sites, func(i, j int) bool {
		a, b := r.Sites[i], r.Sites[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	for _, f := range funcs {
		r.Funcs = append(r.Funcs, *f)
	}
	sort.Slice(r.Funcs, func(i, j int) bool {
		a, b := r.Funcs[i], r.Funcs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Func < b.Func
	})
	return r
}

func percent(taken, total int) string {
	if total == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(taken)/float64(total))
}

// WriteText writes every site with its outcomes ("file:line: if x > 0:
// true 12, false 0"), then the coverage of each function and the total.
func (r *BranchReport) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, s := range r.Sites {
		fmt.Fprintf(bw, "%s:%d: %s: %s\n", s.File, s.Line, s.Label, s.outcomes())
	}
	for _, f := range r.Funcs {
		fmt.Fprintf(bw, "%s:%d:\t%s\t%s (%d/%d branches)\n", f.File, f.Line, f.Func, percent(f.Taken, f.Total), f.Taken, f.Total)
	}
	fmt.Fprintf(bw, "total:\t(branches)\t%s (%d/%d branches)\n", percent(r.Taken, r.Total), r.Taken, r.Total)
	return bw.Flush()
}

func (s SiteResult) outcomes() string {
	parts := make([]string, len(s.Outcomes))
	for i, o := range s.Outcomes {
		sep := " "
		if s.Kind == "switch" || s.Kind == "select" {
			sep = ": "
		}
		parts[i] = fmt.Sprintf("%s%s%d", o, sep, s.Counts[i])
	}
	return strings.Join(parts, ", ")
}

// untaken lists the outcomes never taken.
func (s SiteResult) untaken() []string {
	var out []string
	for i, o := range s.Outcomes {
		if s.Counts[i] == 0 {
			out = append(out, o)
		}
	}
	return out
}

type htmlLine struct {
	N     int
	Parts []htmlPart
	Notes []string
}

type htmlPart struct {
	Text  string
	Class string // "", "taken", "partial", "untaken"
	Title string
}

type htmlFile struct {
	Name         string
	ID           string
	Pct          string
	Lines        []htmlLine
	Funcs        []FuncResult
	Taken, Total int
}

// WriteHTML writes a self-contained page: the sources of the files with
// branch sites, each site marked by how many of its outcomes were taken and
// the untaken outcomes spelled out beside the line.
func (r *BranchReport) WriteHTML(w io.Writer, plan *Plan) error {
	dirs := map[string]string{} // profile file name -> source file
	for _, p := range plan.Packages {
		for _, b := range p.Branches {
			dirs[b.File] = filepath.Join(p.Dir, path.Base(b.File))
		}
	}
	byFile := map[string][]SiteResult{}
	var names []string
	for _, s := range r.Sites {
		if byFile[s.File] == nil {
			names = append(names, s.File)
		}
		byFile[s.File] = append(byFile[s.File], s)
	}
	var files []htmlFile
	for i, name := range names {
		src, err := os.ReadFile(dirs[name])
		if err != nil {
			return err
		}
		hf := htmlFile{Name: name, ID: fmt.Sprintf("f%d", i)}
		for _, f := range r.Funcs {
			if f.File == name {
				hf.Funcs = append(hf.Funcs, f)
				hf.Taken += f.Taken
				hf.Total += f.Total
			}
		}
		hf.Pct = percent(hf.Taken, hf.Total)
		hf.Lines = htmlLines(string(src), byFile[name])
		files = append(files, hf)
	}
	return htmlPage.Execute(w, struct {
		Files []htmlFile
		Pct   string
		Taken int
		Total int
	}{files, percent(r.Taken, r.Total), r.Taken, r.Total})
}

// htmlLines splits src into lines and marks the sites' extents (on their
// first line) with a class saying how many outcomes were taken.
func htmlLines(src string, sites []SiteResult) []htmlLine {
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	marks := map[int][]Mark{}
	notes := map[int][]string{}
	for _, s := range sites {
		if s.Line < 1 || s.Line > len(lines) {
			continue
		}
		line := lines[s.Line-1]
		start := min(max(s.Col-1, 0), len(line))
		end := len(line)
		if s.EndLine == s.Line {
			end = min(max(s.EndCol-1, start), len(line))
		}
		class := "taken"
		if un := s.untaken(); len(un) == len(s.Outcomes) {
			class = "untaken"
		} else if len(un) > 0 {
			class = "partial"
		}
		if un := s.untaken(); len(un) > 0 {
			notes[s.Line] = append(notes[s.Line], fmt.Sprintf("%s: never %s", s.Label, strings.Join(un, ", ")))
		}
		marks[s.Line] = append(marks[s.Line], Mark{start, end, class, s.Label + ": " + s.outcomes()})
	}
	var out []htmlLine
	for i, line := range lines {
		hl := htmlLine{N: i + 1, Notes: notes[i+1]}
		for _, p := range Pieces(line, marks[i+1]) {
			hl.Parts = append(hl.Parts, htmlPart{Text: p.Text, Class: p.Class, Title: p.Title})
		}
		out = append(out, hl)
	}
	return out
}

var htmlPage = template.Must(template.New("branches").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Branch coverage</title>
<style>
body{font-family:sans-serif;margin:0;background:#fff;color:#222}
header{padding:8px 16px;background:#333;color:#eee}
pre{margin:0;font:13px/1.4 monospace;tab-size:4}
.src{padding:8px 0}
.ln{display:inline-block;width:5em;color:#999;text-align:right;padding-right:1em;user-select:none}
.taken{background:#c8f0c8}
.partial{background:#ffe7a0}
.untaken{background:#ffc0c0}
.note{color:#b00;padding-left:2em}
table{border-collapse:collapse;margin:8px 16px}
td,th{padding:2px 10px;text-align:left}
h2{font-size:15px;margin:16px 16px 0}
</style></head><body>
<header>Branch coverage: {{.Pct}} ({{.Taken}}/{{.Total}} outcomes taken).
<span class="taken">&nbsp;all outcomes taken&nbsp;</span>
<span class="partial">&nbsp;some&nbsp;</span>
<span class="untaken">&nbsp;none&nbsp;</span></header>
<table><tr><th>file</th><th>branches</th></tr>
{{range .Files}}<tr><td><a href="#{{.ID}}">{{.Name}}</a></td><td>{{.Pct}} ({{.Taken}}/{{.Total}})</td></tr>
{{end}}</table>
{{range .Files}}<h2 id="{{.ID}}">{{.Name}} — {{.Pct}}</h2>
<table>{{range .Funcs}}<tr><td>{{.Func}}</td><td>line {{.Line}}</td><td>{{.Taken}}/{{.Total}} outcomes</td></tr>{{end}}</table>
<div class="src"><pre>{{range .Lines}}<span class="ln">{{.N}}</span>{{range .Parts}}{{if .Class}}<span class="{{.Class}}" title="{{.Title}}">{{.Text}}</span>{{else}}{{.Text}}{{end}}{{end}}{{range .Notes}}<span class="note">◀ {{.}}</span>{{end}}
{{end}}</pre></div>
{{end}}</body></html>
`))

// A Mark is a marked extent of a line: bytes [Start, End), with a class
// and a title, for HTML reports.
type Mark struct {
	Start, End   int
	Class, Title string
}

// A Piece is a piece of a line and the mark it shows ("" for none).
type Piece struct {
	Text, Class, Title string
}

// Pieces cuts line where marks start and end. Marks nest (an if and the
// operands of its condition): each piece shows the innermost mark that
// covers it.
func Pieces(line string, marks []Mark) []Piece {
	cuts := []int{0, len(line)}
	for _, m := range marks {
		cuts = append(cuts, m.Start, m.End)
	}
	sort.Ints(cuts)
	var out []Piece
	for j := 0; j+1 < len(cuts); j++ {
		a, b := cuts[j], cuts[j+1]
		if a == b {
			continue
		}
		p := Piece{Text: line[a:b]}
		best := -1
		for k, m := range marks {
			if m.Start <= a && b <= m.End && (best < 0 || m.End-m.Start < marks[best].End-marks[best].Start) {
				best = k
			}
		}
		if best >= 0 {
			p.Class, p.Title = marks[best].Class, marks[best].Title
		}
		out = append(out, p)
	}
	return out
}
