package tracelog

import (
	"io"
	"strconv"
	"strings"

	"github.com/google/pprof/profile"
)

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
	samples := map[string]*profile.Sample{}
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
		// locOf is the location of each call, built in nesting order so
		// that the IDs are deterministic.
		locOf := make([]*profile.Location, len(proc.Calls))
		var stack []*profile.Location
		var key strings.Builder
		for _, i := range order {
			c := proc.Calls[i]
			if !haveSpan || c.Start < first {
				first = c.Start
			}
			if !haveSpan || c.End > last {
				last = c.End
			}
			haveSpan = true
			f := proc.Funcs[c.Func]
			locOf[i] = location(f.Name, f.File, f.Line)
			stack = stack[:0]
			for j := i; j >= 0; j = parent[j] {
				stack = append(stack, locOf[j])
			}
			if name := proc.TestOf(c); name != "" {
				stack = append(stack, location(name, "", 0))
			}
			key.Reset()
			for _, loc := range stack {
				key.WriteString(strconv.FormatUint(loc.ID, 10))
				key.WriteByte(',')
			}
			s := samples[key.String()]
			if s == nil {
				s = &profile.Sample{
					Location: append([]*profile.Location(nil), stack...),
					Value:    make([]int64, 2),
				}
				samples[key.String()] = s
				p.Sample = append(p.Sample, s)
			}
			s.Value[0]++
			s.Value[1] += self[i]
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
