package covfmt

import (
	"bufio"
	"fmt"
	"io"
)

// WriteLCOV writes c as an LCOV tracefile: per file its functions (FN,
// FNDA), lines (DA) and branch outcomes (BRDA: line, site, outcome, count,
// "-" for a site never reached), with the totals each record needs.
func WriteLCOV(w io.Writer, c *Coverage) error {
	bw := bufio.NewWriter(w)
	for _, f := range c.Files {
		t := Sum(f)
		fmt.Fprintf(bw, "TN:\nSF:%s\n", f.Name)
		for _, fn := range f.Funcs {
			fmt.Fprintf(bw, "FN:%d,%s\n", fn.Line, fn.Name)
		}
		for _, fn := range f.Funcs {
			fmt.Fprintf(bw, "FNDA:%d,%s\n", fn.Count, fn.Name)
		}
		fmt.Fprintf(bw, "FNF:%d\nFNH:%d\n", t.Funcs, t.FuncsHit)
		for _, l := range f.Lines {
			fmt.Fprintf(bw, "DA:%d,%d\n", l.Number, l.Count)
		}
		for i, s := range f.Sites {
			reached := false
			for _, o := range s.Outcomes {
				reached = reached || o.Count > 0
			}
			for j, o := range s.Outcomes {
				taken := "-"
				if reached {
					taken = fmt.Sprint(o.Count)
				}
				fmt.Fprintf(bw, "BRDA:%d,%d,%d,%s\n", s.Line, i, j, taken)
			}
		}
		if len(f.Sites) > 0 {
			fmt.Fprintf(bw, "BRF:%d\nBRH:%d\n", t.Branches, t.BranchesHit)
		}
		fmt.Fprintf(bw, "LF:%d\nLH:%d\nend_of_record\n", t.Lines, t.LinesHit)
	}
	return bw.Flush()
}
