package covfmt

// A Diff is the coverage of the lines a change touched.
type Diff struct {
	Lines, Covered        int // changed lines with statements, and those run
	Branches, BranchesHit int // outcomes of branch sites on changed lines
	// Uncovered are the changed lines no test ran, in file order.
	Uncovered []FileLine
}

// A FileLine is a line of a file (File.Name).
type FileLine struct {
	File string
	Line int
}

// DiffOf measures the lines changed reports are changed (file is
// File.Path): the changed lines with statements, the ones that ran, and the
// branch outcomes on them.
func DiffOf(c *Coverage, changed func(file string, line int) bool) Diff {
	var d Diff
	for _, f := range c.Files {
		for _, l := range f.Lines {
			if !changed(f.Path, l.Number) {
				continue
			}
			d.Lines++
			if l.Count > 0 {
				d.Covered++
			} else {
				d.Uncovered = append(d.Uncovered, FileLine{f.Name, l.Number})
			}
		}
		for _, s := range f.Sites {
			if !changed(f.Path, s.Line) {
				continue
			}
			for _, o := range s.Outcomes {
				d.Branches++
				if o.Count > 0 {
					d.BranchesHit++
				}
			}
		}
	}
	return d
}

// Percent is the share of changed lines covered, and false when no
// changed line has statements.
func (d Diff) Percent() (float64, bool) {
	if d.Lines == 0 {
		return 0, false
	}
	return 100 * float64(d.Covered) / float64(d.Lines), true
}
