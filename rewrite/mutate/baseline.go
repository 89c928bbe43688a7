package mutate

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
)

// A Baseline is the set of surviving mutants a team has accepted, by id:
// with one, only the survivors not in it fail a run. Ids do not change
// when other code does (see Mutant.ID), so comparing a run with its
// baseline is a set difference.
type Baseline map[string]bool

// ReadBaseline reads a baseline: the --json report of an earlier run (its
// Survived and NoCoverage mutants), or a list of ids, one per line, each
// maybe followed by text (what WriteBaseline writes; # starts a comment).
func ReadBaseline(rd io.Reader) (Baseline, error) {
	data, err := io.ReadAll(rd)
	if err != nil {
		return nil, err
	}
	b := Baseline{}
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		r, err := ReadJSON(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		for _, m := range r.Mutants {
			if undetected(m.Status) {
				b[m.ID] = true
			}
		}
		return b, nil
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id := strings.Fields(line)[0]
		if strings.Contains(id, ":") {
			return nil, fmt.Errorf("line %d: %q is a position, not a mutant id (ids are in --json reports and --list --json)", n, id)
		}
		b[id] = true
	}
	return b, sc.Err()
}

func undetected(s Status) bool { return s == Survived || s == NoCoverage }

func detected(s Status) bool { return s == Killed || s == Timeout }

// WriteBaseline writes the undetected mutants of r as a baseline: one id a
// line, in file order, each with where it is and what it changes, so that
// the file reads well in a review.
func WriteBaseline(w io.Writer, r *Report) error {
	var b strings.Builder
	b.WriteString("# gorewrite mutate baseline: the surviving mutants accepted, by id.\n# With --baseline, only survivors not listed here fail the run; --update-baseline rewrites it.\n")
	for _, m := range r.Mutants {
		if undetected(m.Status) {
			fmt.Fprintf(&b, "%s %s:%d:%d %s %s\n", m.ID, m.RelFile, m.Start.Line, m.Start.Column, m.Operator, flatten(m.Change()))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func flatten(s string) string { return strings.Join(strings.Fields(s), " ") }

// A BaselineDiff compares a run with a baseline.
type BaselineDiff struct {
	// New are the undetected mutants not in the baseline: they fail the
	// run. Known are those in it.
	New, Known []*Mutant
	// Fixed are the baseline's mutants the run detected.
	Fixed []*Mutant
	// Gone counts the baseline's ids that no mutant of the run has (the
	// code changed, or was not mutated this time).
	Gone int
}

// Compare compares r's verdicts with the baseline.
func (b Baseline) Compare(r *Report) BaselineDiff {
	var d BaselineDiff
	seen := make(map[string]bool)
	for _, m := range r.Mutants {
		seen[m.ID] = true
		switch {
		case undetected(m.Status) && b[m.ID]:
			d.Known = append(d.Known, m)
		case undetected(m.Status):
			d.New = append(d.New, m)
		case detected(m.Status) && b[m.ID]:
			d.Fixed = append(d.Fixed, m)
		}
	}
	for id := range b {
		if !seen[id] {
			d.Gone++
		}
	}
	return d
}
