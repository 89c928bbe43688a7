package covfmt

import (
	"encoding/xml"
	"io"
)

// WriteSonar writes c as SonarQube's generic test coverage XML: each line
// to cover, whether it is, and on lines with branch sites how many
// outcomes there are and how many were taken.
func WriteSonar(w io.Writer, c *Coverage) error {
	type line struct {
		Number          int  `xml:"lineNumber,attr"`
		Covered         bool `xml:"covered,attr"`
		BranchesToCover *int `xml:"branchesToCover,attr"`
		CoveredBranches *int `xml:"coveredBranches,attr"`
	}
	type file struct {
		Path  string `xml:"path,attr"`
		Lines []line `xml:"lineToCover"`
	}
	type coverage struct {
		XMLName xml.Name `xml:"coverage"`
		Version int      `xml:"version,attr"`
		Files   []file   `xml:"file"`
	}
	out := coverage{Version: 1}
	for _, f := range c.Files {
		branches, taken := branchesByLine(f)
		xf := file{Path: f.Name}
		for _, l := range f.Lines {
			xl := line{Number: l.Number, Covered: l.Count > 0}
			if n := branches[l.Number]; n > 0 {
				k := taken[l.Number]
				xl.BranchesToCover, xl.CoveredBranches = &n, &k
			}
			xf.Lines = append(xf.Lines, xl)
		}
		out.Files = append(out.Files, xf)
	}
	return writeXML(w, out, "")
}

// branchesByLine counts each line's outcomes and those taken.
func branchesByLine(f *File) (outcomes, taken map[int]int) {
	outcomes, taken = make(map[int]int), make(map[int]int)
	for _, s := range f.Sites {
		for _, o := range s.Outcomes {
			outcomes[s.Line]++
			if o.Count > 0 {
				taken[s.Line]++
			}
		}
	}
	return outcomes, taken
}

func writeXML(w io.Writer, v any, doctype string) error {
	if _, err := io.WriteString(w, xml.Header+doctype); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
