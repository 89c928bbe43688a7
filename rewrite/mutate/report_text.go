package mutate

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/gorewrite/gorewrite/rewrite"
)

// statusColumns are the statuses the summary table counts, in its order.
var statusColumns = []Status{Killed, Survived, NoCoverage, Timeout, CompileError, RuntimeError, Ignored}

// WriteSummary writes a table with a row per package (and a total), then
// every surviving mutant as a diff of its file. Mutants left Pending (a
// run stopped before testing them) get a column of their own and a line
// after the table; the score leaves them out.
func WriteSummary(w io.Writer, r *Report) error {
	columns := statusColumns
	pending := countStatus(r.Mutants, Pending)
	if pending > 0 {
		columns = append(slices.Clone(columns), Pending)
	}
	byPkg, pkgs := byPackage(r.Mutants)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "package\tmutants\t")
	for _, s := range columns {
		fmt.Fprintf(tw, "%s\t", strings.ToLower(shortStatus(s)))
	}
	fmt.Fprint(tw, "score\tcoverage\t\n")
	row := func(name string, ms []*Mutant) {
		counts := make(map[Status]int)
		for _, m := range ms {
			counts[m.Status]++
		}
		fmt.Fprintf(tw, "%s\t%d\t", name, len(ms))
		for _, s := range columns {
			fmt.Fprintf(tw, "%d\t", counts[s])
		}
		fmt.Fprintf(tw, "%s\t%s\t\n", percent(Score(ms)), percent(MutantCoverage(ms)))
	}
	for _, p := range pkgs {
		row(p, byPkg[p])
	}
	if len(pkgs) > 1 {
		row("total", r.Mutants)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if pending > 0 {
		fmt.Fprintf(w, "\n%d pending (not tested: %s)\n", pending, r.stoppedReason())
	}
	var survivors []*Mutant
	for _, m := range r.Mutants {
		if m.Status == Survived {
			survivors = append(survivors, m)
		}
	}
	if len(survivors) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\n%d survived:\n", len(survivors))
	for _, m := range survivors {
		name := r.displayName(m)
		fmt.Fprintf(w, "\n%s:%d:%d %s %s\n", name, m.Start.Line, m.Start.Column, m.Operator, m.Change())
		if src := r.Sources[m.RelFile]; src != nil && m.EndOffset <= len(src) {
			io.WriteString(w, rewrite.UnifiedDiff(name, src, m.Apply(src)))
		}
	}
	return nil
}

// byPackage groups mutants by package, and returns the packages sorted.
func byPackage(mutants []*Mutant) (map[string][]*Mutant, []string) {
	byPkg := make(map[string][]*Mutant)
	for _, m := range mutants {
		byPkg[m.Package] = append(byPkg[m.Package], m)
	}
	pkgs := make([]string, 0, len(byPkg))
	for p := range byPkg {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	return byPkg, pkgs
}

// displayName is the name the summary gives m's file: relative to Dir
// when it is set, ../ included, so that the survivors' diffs apply from
// the working directory; RelFile otherwise.
func (r *Report) displayName(m *Mutant) string {
	if r.Dir == "" || r.Root == "" {
		return m.RelFile
	}
	file := filepath.FromSlash(m.RelFile)
	if !filepath.IsAbs(file) {
		file = filepath.Join(r.Root, file)
	}
	return filepath.ToSlash(rewrite.OutputPath(r.Dir, file))
}

// Location is the mutant's position, "file:line:col", with the report's
// relative file name.
func (m *Mutant) Location() string {
	return fmt.Sprintf("%s:%d:%d", m.RelFile, m.Start.Line, m.Start.Column)
}

// Change describes the change on one line: "a + b -> a - b".
func (m *Mutant) Change() string {
	return shortText(m.Original) + " -> " + shortText(m.Replacement)
}

// Apply returns src with the mutant applied.
func (m *Mutant) Apply(src []byte) []byte {
	out := make([]byte, 0, len(src)+len(m.Replacement))
	out = append(out, src[:m.Offset]...)
	out = append(out, m.Replacement...)
	return append(out, src[m.EndOffset:]...)
}

// Diff is the mutant as a unified diff of its file (empty when the source
// is not known).
func Diff(m *Mutant, src []byte) string {
	if src == nil || m.EndOffset > len(src) {
		return ""
	}
	return rewrite.UnifiedDiff(m.RelFile, src, m.Apply(src))
}

func shortStatus(s Status) string {
	switch s {
	case NoCoverage:
		return "NoCov"
	case CompileError:
		return "CompileErr"
	case RuntimeError:
		return "RuntimeErr"
	}
	return string(s)
}

func percent(v float64, ok bool) string {
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", v)
}

// stoppedReason says why the report's Pending mutants were not tested.
func (r *Report) stoppedReason() string {
	if r.Stopped != "" {
		return r.Stopped
	}
	return "the run was stopped"
}

func countStatus(ms []*Mutant, s Status) int {
	n := 0
	for _, m := range ms {
		if m.Status == s {
			n++
		}
	}
	return n
}
