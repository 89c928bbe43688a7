package tracelog

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
)

// trackKey names a goroutine's track: processes may reuse goroutine ids.
type trackKey struct {
	proc int
	g    uint64
}

// span is a call or a test on the timeline.
type span struct {
	proc       int // index in Log.Processes
	pid        int
	goroutine  uint64
	start, end int64
	call       *Call // nil for a test
	test       *Test
	order      int // position in the log, for deterministic ties
}

// traceEvent is one Chrome Trace Event. Times are json.Numbers so that
// they are written exactly as formatted from integer nanoseconds.
type traceEvent struct {
	Name string         `json:"name"`
	Cat  string         `json:"cat,omitempty"`
	Ph   string         `json:"ph"`
	Ts   json.Number    `json:"ts,omitempty"`
	Dur  json.Number    `json:"dur,omitempty"`
	Pid  int            `json:"pid"`
	Tid  uint64         `json:"tid"`
	ID   int            `json:"id,omitempty"`
	Bp   string         `json:"bp,omitempty"`
	Args map[string]any `json:"args,omitempty"`

	// For sorting only.
	ts, dur int64
	rank    int // metadata, then slices, then flows at one time
	seq     int
}

// WriteTimeline writes l as Chrome Trace Event JSON, for Perfetto
// (ui.perfetto.dev) or chrome://tracing: one track (tid) per goroutine in
// one process (pid) per log segment, a complete ("X") event per call and
// per test, and flow arrows from a goroutine to the goroutines it started.
//
// If there are more than maxEvents calls and tests (and maxEvents > 0),
// only the maxEvents longest are written, since viewers fail on very large
// files; a subset of nested spans still nests. WriteTimeline returns the
// numbers of calls and tests written and left out.
//
// Times are microseconds since the earliest event of the log, written with
// exactly three decimals from integer nanoseconds, so that spans that nest
// in the log nest in the file (float rounding could make them overlap).
func WriteTimeline(w io.Writer, l *Log, maxEvents int) (written, dropped int, err error) {
	spans := timelineSpans(l)
	if maxEvents > 0 && len(spans) > maxEvents {
		byLength := slices.Clone(spans)
		slices.SortFunc(byLength, func(a, b span) int {
			return cmp.Or(
				cmp.Compare(b.end-b.start, a.end-a.start),
				cmp.Compare(a.start, b.start),
				cmp.Compare(a.order, b.order))
		})
		keep := byLength[:maxEvents]
		slices.SortFunc(keep, func(a, b span) int { return cmp.Compare(a.order, b.order) })
		dropped = len(spans) - maxEvents
		spans = keep
	}
	written = len(spans)

	var origin int64
	for i, s := range spans {
		if i == 0 || s.start < origin {
			origin = s.start
		}
	}
	micros := func(ns int64) json.Number {
		sign := ""
		u := uint64(ns)
		if ns < 0 { // only from overflow in a corrupt log
			sign, u = "-", -u
		}
		return json.Number(fmt.Sprintf("%s%d.%03d", sign, u/1000, u%1000))
	}

	pids := uniquePIDs(l)
	var events []traceEvent
	add := func(e traceEvent) {
		e.seq = len(events)
		events = append(events, e)
	}
	for i, p := range l.Processes {
		add(traceEvent{Name: "process_name", Ph: "M", Pid: pids[i],
			Args: map[string]any{"name": fmt.Sprintf("%s (pid %d)", filepath.Base(p.Program), p.PID)}})
	}

	// Tracks: the spans of each goroutine, in nesting order.
	type track struct {
		proc      int
		goroutine uint64
		spans     []span
	}
	tracks := map[trackKey]*track{}
	var trackList []*track
	for _, s := range spans {
		k := trackKey{s.proc, s.goroutine}
		t := tracks[k]
		if t == nil {
			t = &track{proc: s.proc, goroutine: s.goroutine}
			tracks[k] = t
			trackList = append(trackList, t)
		}
		t.spans = append(t.spans, s)
	}
	// Sort tracks by their first event so the viewer shows goroutines in
	// the order they started.
	slices.SortFunc(trackList, func(a, b *track) int {
		return cmp.Or(cmp.Compare(a.proc, b.proc),
			cmp.Compare(a.spans[0].start, b.spans[0].start),
			cmp.Compare(a.goroutine, b.goroutine))
	})
	for i, t := range trackList {
		pid := pids[t.proc]
		first := t.spans[0]
		var name string
		if first.call != nil {
			name = ShortName(l.Processes[t.proc].Funcs[first.call.Func].Name)
		} else {
			name = first.test.Name
		}
		add(traceEvent{Name: "thread_name", Ph: "M", Pid: pid, Tid: t.goroutine,
			Args: map[string]any{"name": fmt.Sprintf("G%d %s", t.goroutine, name)}})
		add(traceEvent{Name: "thread_sort_index", Ph: "M", Pid: pid, Tid: t.goroutine,
			Args: map[string]any{"sort_index": i}})
	}

	for _, t := range trackList {
		p := l.Processes[t.proc]
		pid := pids[t.proc]
		for _, s := range t.spans {
			e := traceEvent{Ph: "X", Pid: pid, Tid: s.goroutine,
				Ts: micros(s.start - origin), Dur: micros(s.end - s.start),
				ts: s.start, dur: s.end - s.start, rank: 1}
			if s.call != nil {
				full := p.Funcs[s.call.Func].Name
				e.Name = ShortName(full)
				e.Cat = PackagePath(full)
				e.Args = map[string]any{"func": full}
				if name := p.TestOf(*s.call); name != "" {
					e.Args["test"] = name
				}
				if s.call.Panicked {
					e.Args["panicked"] = true
				}
			} else {
				e.Name = s.test.Name
				e.Cat = "test"
				if s.test.Failed {
					e.Args = map[string]any{"failed": true}
				}
			}
			add(e)
		}
	}

	// Flow arrows from the parent goroutine to each child goroutine.
	parentOf := goroutineParents(l)
	flowID := 0
	for _, t := range trackList {
		par, ok := parentOf[trackKey{t.proc, t.goroutine}]
		if !ok {
			continue
		}
		pt := tracks[trackKey{t.proc, par}]
		if pt == nil {
			continue
		}
		ts := t.spans[0].start
		// The arrow starts inside the innermost parent span enclosing ts,
		// or else at the start of the parent span that ended last before
		// ts (the deepest of those ending together), to which the viewer
		// binds it.
		var from, lastEnd int64
		found, enclosed := false, false
		for _, s := range pt.spans {
			if s.start > ts {
				break
			}
			if s.end >= ts {
				enclosed = true
			} else if !found || s.end >= lastEnd {
				from, lastEnd = s.start, s.end
			}
			found = true
		}
		if enclosed {
			from = ts
		}
		if !found {
			continue
		}
		flowID++
		pid := pids[t.proc]
		add(traceEvent{Name: "go", Cat: "goroutine", Ph: "s", Pid: pid, Tid: par,
			Ts: micros(from - origin), ID: flowID, ts: from, rank: 2})
		add(traceEvent{Name: "go", Cat: "goroutine", Ph: "f", Bp: "e", Pid: pid, Tid: t.goroutine,
			Ts: micros(ts - origin), ID: flowID, ts: ts, rank: 2})
	}

	slices.SortStableFunc(events, func(a, b traceEvent) int {
		ma, mb := a.Ph == "M", b.Ph == "M"
		if ma != mb {
			if ma {
				return -1
			}
			return 1
		}
		if ma {
			return cmp.Compare(a.seq, b.seq)
		}
		return cmp.Or(
			cmp.Compare(a.Pid, b.Pid),
			cmp.Compare(a.Tid, b.Tid),
			cmp.Compare(a.ts, b.ts),
			cmp.Compare(b.dur, a.dur),
			cmp.Compare(a.rank, b.rank),
			cmp.Compare(a.seq, b.seq))
	})

	bw := bufio.NewWriter(w)
	bw.WriteString(`{"displayTimeUnit":"ns","traceEvents":[`)
	for i, e := range events {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n")
		b, err := json.Marshal(e)
		if err != nil {
			return 0, 0, err
		}
		bw.Write(b)
	}
	bw.WriteString("\n]}\n")
	if err := bw.Flush(); err != nil {
		return 0, 0, err
	}
	return written, dropped, nil
}

// timelineSpans returns the calls and tests of l in nesting order per
// goroutine. Tests and calls are read separately, so a test and a call on
// its goroutine may overlap by clock jitter; they are clamped here the way
// Read clamps calls, a test coming first when both start together.
func timelineSpans(l *Log) []span {
	var spans []span
	for pi, p := range l.Processes {
		first := len(spans)
		for i := range p.Tests {
			t := &p.Tests[i]
			spans = append(spans, span{proc: pi, goroutine: t.Goroutine, start: t.Start, end: t.End, test: t})
		}
		for i := range p.Calls {
			c := &p.Calls[i]
			spans = append(spans, span{proc: pi, goroutine: c.Goroutine, start: c.Start, end: c.End, call: c})
		}
		ps := spans[first:]
		slices.SortStableFunc(ps, func(a, b span) int {
			return cmpSpan(a.goroutine, a.start, a.end, b.goroutine, b.start, b.end)
		})
		var stack []int
		for i := range ps {
			s := &ps[i]
			if len(stack) > 0 && ps[stack[0]].goroutine != s.goroutine {
				stack = stack[:0]
			}
			for len(stack) > 0 && !(s.start < ps[stack[len(stack)-1]].end) {
				stack = stack[:len(stack)-1]
			}
			if len(stack) > 0 {
				s.end = min(s.end, ps[stack[len(stack)-1]].end)
			}
			stack = append(stack, i)
		}
	}
	for i := range spans {
		spans[i].order = i
	}
	return spans
}

// goroutineParents maps each goroutine to the goroutine that created it,
// as the calls and tests of its process tell.
func goroutineParents(l *Log) map[trackKey]uint64 {
	type key = trackKey
	m := map[key]uint64{}
	set := func(pi int, g, par uint64) {
		if par == 0 || par == g {
			return
		}
		if _, ok := m[key{pi, g}]; !ok {
			m[key{pi, g}] = par
		}
	}
	for pi, p := range l.Processes {
		for _, t := range p.Tests {
			set(pi, t.Goroutine, t.Parent)
		}
		for g, par := range p.Parents {
			set(pi, g, par)
		}
	}
	return m
}

// uniquePIDs returns the pid to use for each process: its own, unless an
// earlier process has it (two runs of one program may reuse a pid, and two
// processes on one pid would mix their goroutines' tracks).
func uniquePIDs(l *Log) []int {
	used := map[int]bool{}
	next := 0
	for _, p := range l.Processes {
		next = max(next, p.PID+1)
	}
	pids := make([]int, len(l.Processes))
	for i, p := range l.Processes {
		pid := p.PID
		if used[pid] {
			pid = next
			next++
		}
		used[pid] = true
		pids[i] = pid
	}
	return pids
}
