package record

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/gorewrite/gorewrite/rewrite/cover/coverrt/literal"
)

// A Call is one recorded call: its receiver (a method's, dereferenced),
// arguments and results as Go expressions whose package names are marked
// (literal.Unmark replaces them).
type Call struct {
	Recv    string
	Args    []string
	Results []string
	// Unexported says the literals use the package's unexported names.
	Unexported bool
	// NoRecv says the method's receiver could not be written; RecvWhy
	// says why.
	NoRecv  bool
	RecvWhy string
	// ErrMsg is the message of the error the call returned, if any.
	ErrMsg string
	// Branches are the branch outcomes of the function's file the call
	// took (indices of gorewrite cover's counters; in any of the runs),
	// sorted.
	Branches []int
}

// Inputs is a key of the call's inputs.
func (c *Call) Inputs() string {
	return c.Recv + "\x01" + strings.Join(c.Args, "\x01")
}

func (c *Call) outputs() string { return strings.Join(c.Results, "\x01") }

// A Func is what was recorded of one function.
type Func struct {
	Pkg  string // import path
	Name string // "Name" or "Recv.Name"
	// Calls are the distinct calls kept, sorted by their inputs.
	Calls []*Call
	// Unstable counts the inputs whose results differed, within a run or
	// between runs, and Unrepeated the inputs only some runs made (the
	// test built them from the clock or a random source): their calls
	// are dropped.
	Unstable, Unrepeated int
	// Skipped are the reasons calls could not be recorded, sorted.
	Skipped []string
	// RecvWhy says why a receiver could not be written, when one could
	// not (the first reason, in log order).
	RecvWhy string
	// capped says a run reached the recorder's limits for the function:
	// the calls only some runs made are then the limit's doing.
	capped bool
}

// Calls are the recorded functions, by Key.
type Calls struct {
	Funcs map[string]*Func
	// Damaged counts lines of the logs that could not be read.
	Damaged int
}

// Key is how Calls names a function.
func Key(pkg, name string) string { return pkg + "." + name }

// Sorted returns the functions sorted by key.
func (cs *Calls) Sorted() []*Func {
	keys := make([]string, 0, len(cs.Funcs))
	for k := range cs.Funcs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]*Func, len(keys))
	for i, k := range keys {
		out[i] = cs.Funcs[k]
	}
	return out
}

// ReadRuns reads the logs of each run (logs[i] are run i's files) and
// keeps, per function, the calls every run made with the same inputs and
// whose inputs always gave the same results.
func ReadRuns(logs [][]string) (*Calls, error) {
	cs := &Calls{Funcs: map[string]*Func{}}
	type seen struct {
		call    *Call
		outputs map[string]bool
		runs    map[int]bool
	}
	byInputs := map[string]map[string]*seen{}
	skipped := map[string]map[string]bool{}
	for runIdx, run := range logs {
		for _, name := range run {
			f, err := os.Open(name)
			if err != nil {
				return nil, err
			}
			sc := bufio.NewScanner(f)
			sc.Buffer(nil, 64<<20)
			for sc.Scan() {
				var r literal.Record
				if err := json.Unmarshal(sc.Bytes(), &r); err != nil || r.Func == "" || r.Pkg == "" {
					cs.Damaged++
					continue
				}
				key := Key(r.Pkg, r.Func)
				fn := cs.Funcs[key]
				if fn == nil {
					fn = &Func{Pkg: r.Pkg, Name: r.Func}
					cs.Funcs[key] = fn
					byInputs[key] = map[string]*seen{}
					skipped[key] = map[string]bool{}
				}
				if r.Skip != "" {
					skipped[key][r.Skip] = true
					continue
				}
				if r.Capped {
					fn.capped = true
					continue
				}
				c := &Call{Recv: r.Recv, Args: r.Args, Results: r.Results, Unexported: r.Unexported, NoRecv: r.NoRecv, RecvWhy: r.RecvWhy, ErrMsg: r.ErrMsg, Branches: r.Branches}
				s := byInputs[key][c.Inputs()]
				if s == nil {
					s = &seen{call: c, outputs: map[string]bool{}, runs: map[int]bool{}}
					byInputs[key][c.Inputs()] = s
				}
				s.outputs[c.outputs()] = true
				if fn.RecvWhy == "" {
					fn.RecvWhy = c.RecvWhy
				}
				s.runs[runIdx] = true
				if s.call != c {
					s.call.Branches = append(s.call.Branches, c.Branches...)
				}
			}
			err = sc.Err()
			f.Close()
			if err != nil {
				return nil, fmt.Errorf("%s: %v", name, err)
			}
		}
	}
	for key, fn := range cs.Funcs {
		for _, s := range byInputs[key] {
			if len(s.outputs) > 1 {
				fn.Unstable++
				continue
			}
			if len(s.runs) < len(logs) {
				if !fn.capped {
					fn.Unrepeated++
				}
				continue
			}
			slices.Sort(s.call.Branches)
			s.call.Branches = slices.Compact(s.call.Branches)
			fn.Calls = append(fn.Calls, s.call)
		}
		slices.SortFunc(fn.Calls, func(a, b *Call) int { return strings.Compare(a.Inputs(), b.Inputs()) })
		for r := range skipped[key] {
			fn.Skipped = append(fn.Skipped, r)
		}
		slices.Sort(fn.Skipped)
	}
	return cs, nil
}
