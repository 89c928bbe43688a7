package mutate

import (
	"cmp"
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/gorewrite/gorewrite/rewrite"
)

// MarkdownOptions says what WriteMarkdown adds to the report.
type MarkdownOptions struct {
	// Threshold is --threshold (0: none).
	Threshold float64
	// Baseline, when set, is the run compared with BaselineName: the
	// survivors shown are its new ones.
	Baseline     *BaselineDiff
	BaselineName string
	// MaxSurvivors caps the survivors shown as diffs (0: 20); MaxBytes
	// the size of the whole (0: 60,000 bytes, under GitHub's limit for a
	// pull-request comment).
	MaxSurvivors, MaxBytes int
}

// WriteMarkdown writes the run for people reading CI: a step summary
// ($GITHUB_STEP_SUMMARY) or a pull-request comment. It has the score, a
// table per package, and the survivors (the new ones, with a baseline)
// as diffs in collapsible blocks, capped at a readable length; the --json
// report has them all.
func WriteMarkdown(w io.Writer, r *Report, opts MarkdownOptions) error {
	maxShown, maxBytes := cmp.Or(opts.MaxSurvivors, 20), cmp.Or(opts.MaxBytes, 60000)
	var b strings.Builder
	score, ok := Score(r.Mutants)
	title := "## Mutation testing"
	if ok {
		title += fmt.Sprintf(": %.1f%%", score)
		if t := opts.Threshold; t > 0 {
			mark := "✅"
			if score < t {
				mark = "❌"
			}
			title += fmt.Sprintf(" %s (threshold %.1f%%)", mark, t)
		}
	}
	b.WriteString(title + "\n\n")
	if d := opts.Baseline; d != nil {
		mark := "✅"
		if len(d.New) > 0 {
			mark = "❌"
		}
		fmt.Fprintf(&b, "%s Baseline `%s`: **%d new survivors**, %d known, %d fixed.\n\n", mark, opts.BaselineName, len(d.New), len(d.Known), len(d.Fixed))
	}
	if n := countStatus(r.Mutants, Pending); n > 0 {
		fmt.Fprintf(&b, "⚠️ %d mutants not tested (%s): the score leaves them out.\n\n", n, r.stoppedReason())
	}

	byPkg, pkgs := byPackage(r.Mutants)
	b.WriteString("| package | mutants | killed | survived | no coverage | timeout | score |\n|:--|--:|--:|--:|--:|--:|--:|\n")
	row := func(name string, ms []*Mutant) {
		c := make(map[Status]int)
		for _, m := range ms {
			c[m.Status]++
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %s |\n", name, len(ms), c[Killed], c[Survived], c[NoCoverage], c[Timeout], percent(Score(ms)))
	}
	for _, p := range pkgs {
		row("`"+p+"`", byPkg[p])
	}
	if len(pkgs) > 1 {
		row("**total**", r.Mutants)
	}
	b.WriteString("\n")

	var shown []*Mutant
	heading := "survivors"
	if d := opts.Baseline; d != nil {
		shown, heading = d.New, "new survivors"
	} else {
		for _, m := range r.Mutants {
			if undetected(m.Status) {
				shown = append(shown, m)
			}
		}
	}
	if len(shown) == 0 {
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "### %d %s\n\n", len(shown), heading)
	left := len(shown)
	for i, m := range shown {
		block := survivorBlock(r, m)
		if i >= maxShown || b.Len()+len(block) > maxBytes-200 {
			break
		}
		b.WriteString(block)
		left--
	}
	if left > 0 {
		fmt.Fprintf(&b, "_…and %d more, not shown here: the JSON report (--json) has every mutant._\n", left)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// survivorBlock is one survivor: where, which operator, what it changes,
// and its diff, folded.
func survivorBlock(r *Report, m *Mutant) string {
	var b strings.Builder
	status := ""
	if m.Status == NoCoverage {
		status = " (no test covers it)"
	}
	fmt.Fprintf(&b, "<details><summary><code>%s:%d:%d</code> %s: <code>%s</code>%s</summary>\n\n",
		html.EscapeString(m.RelFile), m.Start.Line, m.Start.Column, m.Operator, html.EscapeString(flatten(m.Change())), status)
	if src := r.Sources[m.RelFile]; src != nil && m.EndOffset <= len(src) {
		diff := rewrite.UnifiedDiff(m.RelFile, src, m.Apply(src))
		// The file is in the summary line: keep the hunks.
		if i := strings.Index(diff, "\n@@"); i >= 0 {
			diff = diff[i+1:]
		}
		fence := "```"
		for strings.Contains(diff, fence) {
			fence += "`"
		}
		fmt.Fprintf(&b, "%sdiff\n%s%s\n\n", fence, diff, fence)
	}
	b.WriteString("</details>\n\n")
	return b.String()
}
