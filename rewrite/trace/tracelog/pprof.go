package tracelog

import (
	"io"

	"github.com/google/pprof/profile"
)

// maxStack is how many frames a sample keeps, leaf first, as pprof's own
// profiles cut deep stacks.
const maxStack = 512

// WritePprof writes l as a gzipped pprof profile with sample types calls
// (count) and wall (nanoseconds, the default). Each distinct stack of
// instrumented functions on one goroutine is one sample whose values are
// the number of calls of its leaf and their self time; pprof derives
// cumulative time from the stacks, so inclusive time is never counted
// twice. A call made while a test ran has the test as its root frame, so a
// flame graph splits by test. Stacks of several processes are merged when
// their functions have the same name and file.
func WritePprof(w io.Writer, l *Log) error {
	p := &profile.Profile{
		SampleType: []*profile.ValueType{
			{Type: "calls", Unit: "count"},
			{Type: "wall", Unit: "nanoseconds"},
		},
		DefaultSampleType: "wall",
		PeriodType:        &profile.ValueType{Type: "wall", Unit: "nanoseconds"},
		Period:            1,
	}
	type fkey struct{ name, file string }
	locs := map[fkey]*profile.Location{}
	location := func(name, file string, line int) *profile.Location {
		k := fkey{name, file}
		if loc := locs[k]; loc != nil {
			return loc
		}
		id := uint64(len(p.Function) + 1)
		fn := &profile.Function{ID: id, Name: name, SystemName: name, Filename: file, StartLine: int64(line)}
		loc := &profile.Location{ID: id, Line: []profile.Line{{Function: fn, Line: int64(line)}}}
		p.Function = append(p.Function, fn)
		p.Location = append(p.Location, loc)
		locs[k] = loc
		return loc
	}
	// Stacks are nodes of a tree (a node is its parent node and a
	// location), so a call's stack is found from its caller's in constant
	// time: walking every call's ancestors would be quadratic in the depth
	// of a recursion.
	type node struct {
		parent int32
		loc    *profile.Location
		sample *profile.Sample
	}
	nodes := []node{{parent: -1}} // 0: the root, above every test
	children := map[[2]uint64]int32{}
	intern := func(parent int32, loc *profile.Location) int32 {
		k := [2]uint64{uint64(parent), loc.ID}
		if n, ok := children[k]; ok {
			return n
		}
		n := int32(len(nodes))
		nodes = append(nodes, node{parent: parent, loc: loc})
		children[k] = n
		return n
	}
	var first, last int64
	haveSpan := false
	for _, proc := range l.Processes {
		if !proc.Start.IsZero() && (p.TimeNanos == 0 || proc.Start.UnixNano() < p.TimeNanos) {
			p.TimeNanos = proc.Start.UnixNano()
		}
		order, parent := proc.nesting()
		self := make([]int64, len(proc.Calls))
		for i, c := range proc.Calls {
			self[i] += c.End - c.Start
			if par := parent[i]; par >= 0 {
				self[par] -= c.End - c.Start
			}
		}
		// nodeOf is each call's stack, found in nesting order (callers
		// first, and deterministic IDs).
		nodeOf := make([]int32, len(proc.Calls))
		for _, i := range order {
			c := proc.Calls[i]
			f, ok := proc.Funcs[c.Func]
			if !ok {
				nodeOf[i] = 0
				continue
			}
			if !haveSpan || c.Start < first {
				first = c.Start
			}
			if !haveSpan || c.End > last {
				last = c.End
			}
			haveSpan = true
			up := int32(0)
			if par := parent[i]; par >= 0 {
				up = nodeOf[par]
			} else if name := proc.TestOf(c); name != "" {
				up = intern(0, location(name, "", 0))
			}
			n := intern(up, location(f.Name, f.File, f.Line))
			nodeOf[i] = n
			if nodes[n].sample == nil {
				// Leaf first, the deepest maxStack frames.
				var locs []*profile.Location
				for m := n; m > 0 && len(locs) < maxStack; m = nodes[m].parent {
					locs = append(locs, nodes[m].loc)
				}
				nodes[n].sample = &profile.Sample{Location: locs, Value: make([]int64, 2)}
				p.Sample = append(p.Sample, nodes[n].sample)
			}
			nodes[n].sample.Value[0]++
			nodes[n].sample.Value[1] += self[i]
		}
	}
	if haveSpan {
		p.DurationNanos = last - first
	}
	if err := p.CheckValid(); err != nil {
		return err
	}
	return p.Write(w)
}
