package covfmt

import (
	"fmt"
	"html/template"
	"io"
	"os"
	"path"
	"strings"

	"github.com/gorewrite/gorewrite/rewrite/cover"
)

// WriteHTML writes the statement and branch report as one self-contained
// page (no script, nothing loaded): a file tree with each file's statement
// and branch figures, then each file's source with its lines colored by
// statement coverage and its branch sites marked on their conditions by
// how many outcomes ran, the outcomes never taken written beside them.
func WriteHTML(w io.Writer, c *Coverage) error {
	type part cover.Piece
	type line struct {
		N     int
		Class string // "hit", "miss" or "" (no statement)
		Parts []part
		Notes []string
	}
	type file struct {
		ID, Name, Dir, Base string
		Stmts, Branches     string
		Lines               []line
	}
	var files []file
	for i, f := range c.Files {
		src, err := os.ReadFile(f.Path)
		if err != nil {
			return err
		}
		t := Sum(f)
		hf := file{ID: fmt.Sprintf("f%d", i), Name: f.Name, Dir: path.Dir(f.Name), Base: path.Base(f.Name),
			Stmts: figure(t.StmtsHit, t.Stmts), Branches: figure(t.BranchesHit, t.Branches)}
		counts := make(map[int]uint64)
		has := make(map[int]bool)
		for _, l := range f.Lines {
			counts[l.Number], has[l.Number] = l.Count, true
		}
		marks := make(map[int][]cover.Mark)
		notes := make(map[int][]string)
		text := strings.Split(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n")
		for _, s := range f.Sites {
			if s.Line < 1 || s.Line > len(text) {
				continue
			}
			var taken, never []string
			for _, o := range s.Outcomes {
				if o.Count > 0 {
					taken = append(taken, fmt.Sprintf("%s %d", o.Name, o.Count))
				} else {
					never = append(never, o.Name)
				}
			}
			class := "all"
			switch {
			case len(taken) == 0:
				class = "none"
			case len(never) > 0:
				class = "some"
				notes[s.Line] = append(notes[s.Line], s.Label+": never "+strings.Join(never, ", "))
			}
			if class == "none" {
				notes[s.Line] = append(notes[s.Line], s.Label+": never reached")
			}
			lt := text[s.Line-1]
			start, end := min(max(s.Col-1, 0), len(lt)), len(lt)
			if s.EndLine == s.Line {
				end = min(max(s.EndCol-1, start), len(lt))
			}
			marks[s.Line] = append(marks[s.Line], cover.Mark{Start: start, End: end, Class: "br-" + class, Title: s.Label + ": " + strings.Join(append(taken, never...), ", ")})
		}
		for n, lt := range text {
			hl := line{N: n + 1, Notes: notes[n+1]}
			if has[n+1] {
				hl.Class = "miss"
				if counts[n+1] > 0 {
					hl.Class = "hit"
				}
			}
			for _, p := range cover.Pieces(lt, marks[n+1]) {
				hl.Parts = append(hl.Parts, part(p))
			}
			hf.Lines = append(hf.Lines, hl)
		}
		files = append(files, hf)
	}
	t := Sum(c.Files...)
	return htmlPage.Execute(w, struct {
		Files           []file
		Stmts, Branches string
		HasBranches     bool
	}{files, figure(t.StmtsHit, t.Stmts), figure(t.BranchesHit, t.Branches), t.Branches > 0})
}

// figure is "75.0% (3/4)", or "-" when there is nothing to count.
func figure(hit, total int) string {
	if total == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%% (%d/%d)", 100*float64(hit)/float64(total), hit, total)
}

var htmlPage = template.Must(template.New("coverage").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Coverage</title>
<style>
body{font-family:sans-serif;margin:0;color:#222}
header{padding:8px 16px;background:#333;color:#eee}
table{border-collapse:collapse;margin:8px 16px}
td,th{padding:2px 10px;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.dir td{font-weight:bold;padding-top:8px}
h2{font-size:15px;margin:20px 16px 4px}
pre{margin:0 0 0 16px;font:13px/1.45 monospace;tab-size:4}
.ln{display:inline-block;width:4.5em;text-align:right;padding-right:1em;color:#999;user-select:none}
.hit .ln{background:#c8f0c8;color:#333}
.miss .ln{background:#ffc0c0;color:#333}
.miss .code{background:#fff0f0}
.br-all{background:#a8e6a8}
.br-some{background:#ffe08a}
.br-none{background:#ff9d9d}
.note{color:#a00;padding-left:2em}
</style></head><body>
<header>Statements: {{.Stmts}}{{if .HasBranches}} · branches: {{.Branches}}
(<span class="br-all">&nbsp;all outcomes&nbsp;</span> <span class="br-some">&nbsp;some&nbsp;</span> <span class="br-none">&nbsp;none&nbsp;</span>){{end}}</header>
<table><tr><th>file</th><th>statements</th>{{if .HasBranches}}<th>branches</th>{{end}}</tr>
{{- $dir := "" -}}
{{range .Files}}{{if ne .Dir $dir}}{{$dir = .Dir}}<tr class="dir"><td colspan="3">{{.Dir}}/</td></tr>{{end}}
<tr><td>&nbsp;&nbsp;<a href="#{{.ID}}">{{.Base}}</a></td><td class="num">{{.Stmts}}</td>{{if $.HasBranches}}<td class="num">{{.Branches}}</td>{{end}}</tr>
{{- end}}
</table>
{{range .Files}}<h2 id="{{.ID}}">{{.Name}}: statements {{.Stmts}}{{if $.HasBranches}}, branches {{.Branches}}{{end}}</h2>
<pre>{{range .Lines}}<span class="{{.Class}}"><span class="ln">{{.N}}</span><span class="code">{{range .Parts}}{{if .Class}}<span class="{{.Class}}" title="{{.Title}}">{{.Text}}</span>{{else}}{{.Text}}{{end}}{{end}}</span></span>{{range .Notes}}<span class="note">◀ {{.}}</span>{{end}}
{{end}}</pre>
{{end}}</body></html>
`))
