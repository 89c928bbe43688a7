package otel

import (
	"cmp"
	"go/token"
	"slices"
	"sync"
)

// A Report collects what a run of [New] or [Remove] did, for the command
// to print. Rules run concurrently on packages; a Report may be shared.
type Report struct {
	mu       sync.Mutex
	funcs    []Instrumented
	skipped  []Note
	warnings []Note
	removed  int
}

// Instrumented is one function that got a span.
type Instrumented struct {
	Pos  token.Position // of the function's opening brace
	Func string         // "importpath.Recv.Func"
	Span string         // the span's name
	// Errors counts the error results recorded on the span; Uncaptured
	// says, for each error result that could not be, why.
	Errors     int
	Uncaptured []string
	// KeepsContext says why the function keeps the caller's context (it
	// stores or returns it): then the span's context is not passed on,
	// and what the function calls does not get child spans.
	KeepsContext string
}

// A Note is something said about one function.
type Note struct {
	Pos  token.Position
	Func string
	Msg  string
}

func (r *Report) add(fn Instrumented) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.funcs = append(r.funcs, fn)
	r.mu.Unlock()
}

func (r *Report) skip(n Note) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.skipped = append(r.skipped, n)
	r.mu.Unlock()
}

func (r *Report) warn(n Note) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.warnings = append(r.warnings, n)
	r.mu.Unlock()
}

func (r *Report) removedOne() {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.removed++
	r.mu.Unlock()
}

// Funcs returns the functions instrumented, in file order.
func (r *Report) Funcs() []Instrumented {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := slices.Clone(r.funcs)
	slices.SortFunc(out, func(a, b Instrumented) int { return comparePos(a.Pos, b.Pos) })
	return out
}

// Skipped returns the functions with a context parameter that were left
// alone, and why, in file order.
func (r *Report) Skipped() []Note { return r.sorted(&r.skipped) }

// Warnings returns what the user should look at: spans edited by hand,
// which Remove leaves in place.
func (r *Report) Warnings() []Note { return r.sorted(&r.warnings) }

// Removed returns how many spans Remove took out.
func (r *Report) Removed() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.removed
}

func (r *Report) sorted(notes *[]Note) []Note {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := slices.Clone(*notes)
	slices.SortFunc(out, func(a, b Note) int { return comparePos(a.Pos, b.Pos) })
	return out
}

func comparePos(a, b token.Position) int {
	return cmp.Or(cmp.Compare(a.Filename, b.Filename), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
}
