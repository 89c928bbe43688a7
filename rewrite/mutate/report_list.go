package mutate

import (
	"encoding/json"
	"io"
)

// listEntry is one mutant of WriteList's output.
type listEntry struct {
	ID          string   `json:"id"`
	File        string   `json:"file"`
	Start       Position `json:"start"`
	End         Position `json:"end"`
	Package     string   `json:"package"`
	Func        string   `json:"function,omitempty"`
	Operator    string   `json:"operator"`
	Original    string   `json:"original"`
	Replacement string   `json:"replacement"`
	Ignored     string   `json:"ignored,omitempty"`
}

// WriteList writes mutants as a JSON array (gorewrite mutate --list
// --json), for scripts and editors: each one's id (as --mutant takes it),
// file (relative to the report's root), start and end (1-based line and
// byte column), package, function, operator, the text it replaces and its
// replacement, and why it is ignored, if it is.
func WriteList(w io.Writer, mutants []*Mutant) error {
	out := make([]listEntry, 0, len(mutants))
	for _, m := range mutants {
		e := listEntry{ID: m.ID, File: m.RelFile, Start: m.Start, End: m.End, Package: m.Package, Func: m.Func,
			Operator: m.Operator, Original: m.Original, Replacement: m.Replacement}
		if m.Status == Ignored {
			e.Ignored = m.StatusReason
		}
		out = append(out, e)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
