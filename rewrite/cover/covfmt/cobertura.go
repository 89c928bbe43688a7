package covfmt

import (
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"time"
)

// coberturaDoctype declares Cobertura's DTD, coverage-04, as Cobertura
// itself and the tools that read its reports expect.
const coberturaDoctype = `<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">` + "\n"

// WriteCobertura writes c as Cobertura XML: a package per import path, a
// class per file (named by its path relative to the source, as GitLab
// needs), a method per function; each line with its hits, and a line with
// branch sites marked branch="true" with its condition-coverage
// ("50% (1/2)") and a condition per site. now is the timestamp written.
func WriteCobertura(w io.Writer, c *Coverage, now time.Time) error {
	type condition struct {
		Number   int    `xml:"number,attr"`
		Type     string `xml:"type,attr"`
		Coverage string `xml:"coverage,attr"`
	}
	type conditions struct {
		List []condition `xml:"condition"`
	}
	type line struct {
		Number            int         `xml:"number,attr"`
		Hits              uint64      `xml:"hits,attr"`
		Branch            bool        `xml:"branch,attr"`
		ConditionCoverage string      `xml:"condition-coverage,attr,omitempty"`
		Conditions        *conditions `xml:"conditions,omitempty"`
	}
	type method struct {
		Name       string `xml:"name,attr"`
		Signature  string `xml:"signature,attr"`
		LineRate   string `xml:"line-rate,attr"`
		BranchRate string `xml:"branch-rate,attr"`
		Complexity string `xml:"complexity,attr"`
		Lines      []line `xml:"lines>line"`
	}
	type class struct {
		Name       string   `xml:"name,attr"`
		Filename   string   `xml:"filename,attr"`
		LineRate   string   `xml:"line-rate,attr"`
		BranchRate string   `xml:"branch-rate,attr"`
		Complexity string   `xml:"complexity,attr"`
		Methods    []method `xml:"methods>method"`
		Lines      []line   `xml:"lines>line"`
	}
	type pkg struct {
		Name       string  `xml:"name,attr"`
		LineRate   string  `xml:"line-rate,attr"`
		BranchRate string  `xml:"branch-rate,attr"`
		Complexity string  `xml:"complexity,attr"`
		Classes    []class `xml:"classes>class"`
	}
	type coverage struct {
		XMLName         xml.Name `xml:"coverage"`
		LineRate        string   `xml:"line-rate,attr"`
		BranchRate      string   `xml:"branch-rate,attr"`
		LinesCovered    int      `xml:"lines-covered,attr"`
		LinesValid      int      `xml:"lines-valid,attr"`
		BranchesCovered int      `xml:"branches-covered,attr"`
		BranchesValid   int      `xml:"branches-valid,attr"`
		Complexity      string   `xml:"complexity,attr"`
		Version         string   `xml:"version,attr"`
		Timestamp       int64    `xml:"timestamp,attr"`
		Sources         []string `xml:"sources>source"`
		Packages        []pkg    `xml:"packages>package"`
	}
	rateOf := func(hit, total int) string { return strconv.FormatFloat(rate(hit, total), 'f', -1, 64) }
	linesOf := func(f *File, from, to int) []line {
		outcomes, taken := branchesByLine(f)
		var out []line
		for _, l := range f.Lines {
			if l.Number < from || l.Number > to {
				continue
			}
			xl := line{Number: l.Number, Hits: l.Count}
			if n := outcomes[l.Number]; n > 0 {
				k := taken[l.Number]
				xl.Branch = true
				xl.ConditionCoverage = fmt.Sprintf("%d%% (%d/%d)", 100*k/n, k, n)
				i := 0
				for _, s := range f.Sites {
					if s.Line != l.Number {
						continue
					}
					hit := 0
					for _, o := range s.Outcomes {
						if o.Count > 0 {
							hit++
						}
					}
					if xl.Conditions == nil {
						xl.Conditions = &conditions{}
					}
					xl.Conditions.List = append(xl.Conditions.List, condition{Number: i, Type: "jump", Coverage: fmt.Sprintf("%d%%", 100*hit/max(len(s.Outcomes), 1))})
					i++
				}
			}
			out = append(out, xl)
		}
		return out
	}
	all := Sum(c.Files...)
	out := coverage{
		LineRate: rateOf(all.LinesHit, all.Lines), BranchRate: rateOf(all.BranchesHit, all.Branches),
		LinesCovered: all.LinesHit, LinesValid: all.Lines, BranchesCovered: all.BranchesHit, BranchesValid: all.Branches,
		Complexity: "0", Version: "gorewrite", Timestamp: now.UnixMilli(), Sources: []string{c.Root},
	}
	byPkg := make(map[string][]*File)
	for _, f := range c.Files {
		byPkg[f.Package] = append(byPkg[f.Package], f)
	}
	names := make([]string, 0, len(byPkg))
	for p := range byPkg {
		names = append(names, p)
	}
	slices.Sort(names)
	for _, name := range names {
		files := byPkg[name]
		t := Sum(files...)
		p := pkg{Name: name, LineRate: rateOf(t.LinesHit, t.Lines), BranchRate: rateOf(t.BranchesHit, t.Branches), Complexity: "0"}
		for _, f := range files {
			ft := Sum(f)
			cl := class{Name: path.Base(f.Name), Filename: f.Name, LineRate: rateOf(ft.LinesHit, ft.Lines), BranchRate: rateOf(ft.BranchesHit, ft.Branches), Complexity: "0", Lines: linesOf(f, 0, 1<<31-1)}
			for _, fn := range f.Funcs {
				ls := linesOf(f, fn.Line, fn.EndLine)
				hit, branches, taken := 0, 0, 0
				for _, l := range ls {
					if l.Hits > 0 {
						hit++
					}
				}
				for _, s := range f.Sites {
					if s.Line >= fn.Line && s.Line <= fn.EndLine {
						for _, o := range s.Outcomes {
							branches++
							if o.Count > 0 {
								taken++
							}
						}
					}
				}
				cl.Methods = append(cl.Methods, method{Name: fn.Name, Signature: "", LineRate: rateOf(hit, len(ls)), BranchRate: rateOf(taken, branches), Complexity: "0", Lines: ls})
			}
			p.Classes = append(p.Classes, cl)
		}
		out.Packages = append(out.Packages, p)
	}
	return writeXML(w, out, coberturaDoctype)
}
