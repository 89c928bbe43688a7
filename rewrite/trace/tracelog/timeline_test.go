package tracelog

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

type jsonEvent struct {
	Name string         `json:"name"`
	Cat  string         `json:"cat"`
	Ph   string         `json:"ph"`
	Ts   json.Number    `json:"ts"`
	Dur  json.Number    `json:"dur"`
	Pid  int            `json:"pid"`
	Tid  uint64         `json:"tid"`
	ID   int            `json:"id"`
	Bp   string         `json:"bp"`
	Args map[string]any `json:"args"`
}

// nanos parses a time written by WriteTimeline (microseconds with exactly
// three decimals) back into integer nanoseconds.
func nanos(t *testing.T, n json.Number) int64 {
	t.Helper()
	whole, frac, ok := strings.Cut(string(n), ".")
	if !ok || len(frac) != 3 {
		t.Fatalf("time %q does not have three decimals", n)
	}
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("bad time %q", n)
	}
	return w*1000 + f
}

func parseTimeline(t *testing.T, data []byte) []jsonEvent {
	t.Helper()
	var file struct {
		TraceEvents     []jsonEvent `json:"traceEvents"`
		DisplayTimeUnit string      `json:"displayTimeUnit"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatalf("timeline is not JSON: %v", err)
	}
	if file.DisplayTimeUnit != "ns" {
		t.Errorf("displayTimeUnit %q", file.DisplayTimeUnit)
	}
	return file.TraceEvents
}

// checkNested verifies that the X events of every (pid, tid) nest
// perfectly, as Perfetto requires, and returns how many X events there are.
func checkNested(t *testing.T, events []jsonEvent) int {
	t.Helper()
	type key struct {
		pid int
		tid uint64
	}
	type iv struct{ start, end int64 }
	tracks := map[key][]iv{}
	n := 0
	for _, e := range events {
		if e.Ph != "X" {
			continue
		}
		n++
		s, d := nanos(t, e.Ts), nanos(t, e.Dur)
		if d < 0 {
			t.Errorf("negative duration: %+v", e)
		}
		tracks[key{e.Pid, e.Tid}] = append(tracks[key{e.Pid, e.Tid}], iv{s, s + d})
	}
	for k, ivs := range tracks {
		slices.SortFunc(ivs, func(a, b iv) int { return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(b.end, a.end)) })
		var stack []iv
		for _, x := range ivs {
			for len(stack) > 0 && stack[len(stack)-1].end <= x.start {
				stack = stack[:len(stack)-1]
			}
			if len(stack) > 0 && x.end > stack[len(stack)-1].end {
				t.Fatalf("pid %d tid %d: [%d,%d] overlaps [%d,%d] partially", k.pid, k.tid,
					x.start, x.end, stack[len(stack)-1].start, stack[len(stack)-1].end)
			}
			stack = append(stack, x)
		}
	}
	return n
}

func TestWriteTimeline(t *testing.T) {
	e := (&encoder{}).magic().proc(7, "/bin/p.test", 0).
		fn(1, "example.com/m/p.A", "/m/p/a.go", 3).
		fn(2, "example.com/m/p.(*T).B", "/m/p/a.go", 9).
		test(10, 1, 1_000, 9_000, true, "TestA").
		events(
			// A test span and a call on its goroutine that overlap by jitter.
			ev{fid: 1, goid: 10, par: 1, start: 1_500, end: 9_001},
			ev{fid: 2, goid: 10, par: 1, start: 2_000, end: 2_500, flags: 1},
			// A goroutine started inside A, and one started after it.
			ev{fid: 2, goid: 11, par: 10, start: 3_000, end: 3_333},
			ev{fid: 2, goid: 12, par: 10, start: 9_500, end: 9_600},
			// A goroutine whose parent has no track: no flow.
			ev{fid: 2, goid: 13, par: 50, start: 1_234, end: 1_235},
		).
		magic().proc(7, "/bin/p.test", 0). // same pid: must get its own
		fn(1, "example.com/m/p.A", "/m/p/a.go", 3).
		events(ev{fid: 1, goid: 10, start: 0, end: 1})
	l := mustRead(t, e.buf)
	var buf bytes.Buffer
	written, dropped, err := WriteTimeline(&buf, l, 0)
	if err != nil {
		t.Fatal(err)
	}
	if written != 7 || dropped != 0 {
		t.Errorf("written, dropped = %d, %d, want 7, 0", written, dropped)
	}
	events := parseTimeline(t, buf.Bytes())
	checkNested(t, events)

	var got []string
	for _, e := range events {
		s := fmt.Sprintf("%s %d/%d %s", e.Ph, e.Pid, e.Tid, e.Name)
		switch e.Ph {
		case "X":
			s += fmt.Sprintf(" cat=%s ts=%s dur=%s", e.Cat, e.Ts, e.Dur)
		case "s", "f":
			s += fmt.Sprintf(" cat=%s ts=%s id=%d bp=%s", e.Cat, e.Ts, e.ID, e.Bp)
		}
		if len(e.Args) > 0 {
			b, _ := json.Marshal(e.Args)
			s += " " + string(b)
		}
		got = append(got, s)
	}
	want := []string{
		`M 7/0 process_name {"name":"p.test (pid 7)"}`,
		`M 8/0 process_name {"name":"p.test (pid 7)"}`,
		`M 7/10 thread_name {"name":"G10 TestA"}`,
		`M 7/10 thread_sort_index {"sort_index":0}`,
		`M 7/13 thread_name {"name":"G13 p.(*T).B"}`,
		`M 7/13 thread_sort_index {"sort_index":1}`,
		`M 7/11 thread_name {"name":"G11 p.(*T).B"}`,
		`M 7/11 thread_sort_index {"sort_index":2}`,
		`M 7/12 thread_name {"name":"G12 p.(*T).B"}`,
		`M 7/12 thread_sort_index {"sort_index":3}`,
		`M 8/10 thread_name {"name":"G10 p.A"}`,
		`M 8/10 thread_sort_index {"sort_index":4}`,
		`X 7/10 TestA cat=test ts=1.000 dur=8.000 {"failed":true}`,
		`X 7/10 p.A cat=example.com/m/p ts=1.500 dur=7.500 {"func":"example.com/m/p.A","test":"TestA"}`,
		`s 7/10 go cat=goroutine ts=1.500 id=2 bp=`,
		`X 7/10 p.(*T).B cat=example.com/m/p ts=2.000 dur=0.500 {"func":"example.com/m/p.(*T).B","panicked":true,"test":"TestA"}`,
		`s 7/10 go cat=goroutine ts=3.000 id=1 bp=`,
		`X 7/11 p.(*T).B cat=example.com/m/p ts=3.000 dur=0.333 {"func":"example.com/m/p.(*T).B","test":"TestA"}`,
		`f 7/11 go cat=goroutine ts=3.000 id=1 bp=e`,
		`X 7/12 p.(*T).B cat=example.com/m/p ts=9.500 dur=0.100 {"func":"example.com/m/p.(*T).B"}`,
		`f 7/12 go cat=goroutine ts=9.500 id=2 bp=e`,
		`X 7/13 p.(*T).B cat=example.com/m/p ts=1.234 dur=0.001 {"func":"example.com/m/p.(*T).B"}`,
		`X 8/10 p.A cat=example.com/m/p ts=0.000 dur=0.001 {"func":"example.com/m/p.A"}`,
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
}

// randomLog builds a log of n calls on a few goroutines of two processes,
// nested as deferred exits nest, with jitter added to the ends so that
// Read has to clamp, and with tests around them.
func randomLog(t *testing.T, n int, seed uint64) *Log {
	rng := rand.New(rand.NewPCG(seed, seed))
	e := &encoder{}
	for pid := range uint64(2) {
		e.magic().proc(100+pid, "prog", 0).clock(0, 0).clock(1_000_000, 333_333)
		for f := range uint32(20) {
			e.fn(f, fmt.Sprintf("example.com/m/p%d.F%d", f%3, f), "/f.go", uint64(f))
		}
		var evs []ev
		var gen func(g, par uint64, start, end int64, depth int)
		gen = func(g, par uint64, start, end int64, depth int) {
			for t := start; len(evs) < n/2 && t < end; {
				s := t + rng.Int64N(50)
				d := rng.Int64N(max(1, min(end-s, 5_000)))
				if s+d > end {
					break
				}
				jitter := rng.Int64N(3)
				evs = append(evs, ev{fid: rng.Uint32N(20), goid: g, par: par, start: s, end: s + d + jitter})
				if depth < 8 && d > 10 {
					gen(g, par, s+1, s+d-1, depth+1)
				}
				if rng.IntN(50) == 0 {
					child := g*10 + uint64(rng.IntN(9)) + 1
					gen(child, g, s, s+rng.Int64N(20_000), 0)
				}
				t = s + d
			}
		}
		e.test(1, 0, 0, 1<<40, false, "TestRandom")
		gen(1, 0, 0, 1<<40, 0)
		rng.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
		for len(evs) > 0 {
			k := min(len(evs), 100)
			e.events(evs[:k]...)
			evs = evs[k:]
		}
	}
	return mustRead(t, e.buf)
}

func TestTimelineRandom(t *testing.T) {
	l := randomLog(t, 20_000, 1)
	calls := 0
	for _, p := range l.Processes {
		calls += len(p.Calls) + len(p.Tests)
	}
	for _, max := range []int{0, 5_000} {
		var buf bytes.Buffer
		written, dropped, err := WriteTimeline(&buf, l, max)
		if err != nil {
			t.Fatal(err)
		}
		if written+dropped != calls || (max > 0 && written != max) {
			t.Errorf("max %d: written %d + dropped %d, of %d", max, written, dropped, calls)
		}
		events := parseTimeline(t, buf.Bytes())
		if n := checkNested(t, events); n != written {
			t.Errorf("max %d: %d X events, want %d", max, n, written)
		}
		if max > 0 {
			// The longest spans are kept.
			var shortestKept int64 = 1 << 62
			for _, e := range events {
				if e.Ph == "X" {
					shortestKept = min(shortestKept, nanos(t, e.Dur))
				}
			}
			longer := 0
			for _, p := range l.Processes {
				for _, c := range p.Calls {
					if c.End-c.Start > shortestKept {
						longer++
					}
				}
			}
			if longer > max {
				t.Errorf("%d spans longer than the shortest kept (%dns), but only %d kept", longer, shortestKept, max)
			}
		}
		// Deterministic.
		var again bytes.Buffer
		WriteTimeline(&again, l, max)
		if !bytes.Equal(buf.Bytes(), again.Bytes()) {
			t.Errorf("max %d: two runs differ", max)
		}
	}
	// The other outputs cope with a big log too.
	stats := l.Stats()
	var self int64
	for _, s := range stats {
		self += int64(s.Self)
		if s.Self < 0 || s.Total < s.Self || s.Max < s.Mean {
			t.Errorf("inconsistent stats: %+v", s)
		}
	}
	if err := WritePprof(&bytes.Buffer{}, l); err != nil {
		t.Fatal(err)
	}
}
