package coverrt

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"testing"
)

// startTrace makes the runtime record into a log in a temporary directory.
func startTrace(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "trace.log")
	traceMu.Lock()
	if traceFile != nil {
		traceFile.Close()
	}
	traceFile, traceErr, funcs, funcsOut = nil, nil, nil, 0
	traceRecorded, traceDropped = 0, 0
	traceMu.Unlock()
	initTrace(func(k string) string {
		if k == TraceEnv {
			return path
		}
		return ""
	})
	t.Cleanup(func() {
		atomic0()
		traceMu.Lock()
		if traceFile != nil {
			traceFile.Close()
			traceFile = nil
		}
		tracePath = ""
		traceMu.Unlock()
	})
	return path
}

func atomic0() { traceOn = 0 }

// event is a call as a test reads it back.
type event struct {
	fid          uint32
	panicked     bool
	goid, parent uint64
	start, end   int64
}

// decoded is what a test reads back from a log.
type decoded struct {
	funcs  map[uint32]string
	events []event
	// The goroutine (and its parent) each stream is at.
	goid, parent map[uint64]uint64
	tests        []string
	clocks       int
	dropped      uint64
}

func decode(t *testing.T, path string) decoded {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("GRTRACE2")) {
		t.Fatalf("no magic: %q", data[:min(len(data), 16)])
	}
	d := decoded{funcs: map[uint32]string{}, goid: map[uint64]uint64{}, parent: map[uint64]uint64{}}
	r := bytes.NewReader(data[8:])
	str := func(r *bytes.Reader) string {
		n, _ := binary.ReadUvarint(r)
		b := make([]byte, n)
		r.Read(b)
		return string(b)
	}
	for r.Len() > 0 {
		kind, _ := r.ReadByte()
		n, err := binary.ReadUvarint(r)
		if err != nil {
			t.Fatal(err)
		}
		p := make([]byte, n)
		if _, err := r.Read(p); err != nil {
			t.Fatal(err)
		}
		pr := bytes.NewReader(p)
		switch kind {
		case 'F':
			id, _ := binary.ReadUvarint(pr)
			d.funcs[uint32(id)] = str(pr)
		case 'E':
			stream, _ := binary.ReadUvarint(pr)
			p = p[len(p)-pr.Len():]
			if len(p)%slotSize != 0 {
				t.Fatalf("'E' record of %d bytes of slots", len(p))
			}
			le := binary.LittleEndian
			for i := 0; i < len(p); i += slotSize {
				word, dur, fid := int64(le.Uint64(p[i:])), le.Uint32(p[i+8:]), le.Uint32(p[i+12:])
				if fid == markGoroutine {
					d.goid[stream], d.parent[stream] = uint64(word), le.Uint64(p[i+16:])
					i += slotSize
					continue
				}
				end := word + int64(dur)
				if dur == longDur {
					i += slotSize
					end = int64(le.Uint64(p[i:]))
				}
				if d.goid[stream] == 0 {
					t.Fatalf("a call before its goroutine's marker in stream %d", stream)
				}
				d.events = append(d.events, event{fid: fid &^ flagPanicked, panicked: fid&flagPanicked != 0,
					goid: d.goid[stream], parent: d.parent[stream], start: word, end: end})
			}
		case 'T':
			for range 5 {
				binary.ReadUvarint(pr)
			}
			d.tests = append(d.tests, str(pr))
		case 'C':
			d.clocks++
		case 'D':
			n, _ := binary.ReadUvarint(pr)
			d.dropped += n
		}
	}
	return d
}

//go:noinline
func traced(fid uint32, body func()) {
	defer Leave(Enter(fid))
	body()
}

func TestTraceEvents(t *testing.T) {
	path := startTrace(t)
	if goidOff == 0 || parentOff == 0 || panicOff == 0 {
		t.Logf("layout not found: goid %d parent %d panic %d", goidOff, parentOff, panicOff)
		if runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64" {
			t.Errorf("layout not found on %s", runtime.GOARCH)
		}
	}
	TraceFuncs([]string{"p.a", "p.b"}, []string{"/p/a.go"}, []uint32{1, 0, 10, 2, 0, 20})
	me := slowGoid()
	traced(1, func() { traced(2, func() {}) })
	// A panic recovered by a caller: the panicking call is marked.
	func() {
		defer func() { recover() }()
		traced(1, func() { panic("boom") })
	}()
	// A panic recovered inside the call: it returned normally.
	traced(2, func() {
		defer func() { recover() }()
		panic("caught")
	})
	// A call made while a panic unwinds, returning normally.
	func() {
		defer func() { recover() }()
		defer traced(2, func() {})
		panic("outer")
	}()
	var child uint64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		child = slowGoid()
		traced(1, func() {})
		traced(2, func() { runtime.Goexit() })
	}()
	wg.Wait()
	Flush()
	d := decode(t, path)
	if len(d.funcs) != 2 || d.clocks < 2 {
		t.Errorf("funcs %v, %d clock records", d.funcs, d.clocks)
	}
	type ev struct {
		fid      uint32
		panicked bool
		goid     uint64
		parent   bool
	}
	// In the order the calls ended (buffers are written in any order).
	sort.Slice(d.events, func(i, j int) bool { return d.events[i].end < d.events[j].end })
	var got []ev
	for _, e := range d.events {
		if e.end < e.start {
			t.Errorf("event %+v ends before it starts", e)
		}
		got = append(got, ev{e.fid, e.panicked, e.goid, e.parent == me})
	}
	want := []ev{
		{2, false, me, false}, {1, false, me, false},
		{1, true, me, false},
		{2, false, me, false},
		{2, false, me, false},
		{1, false, child, true}, {2, false, child, true},
	}
	if len(got) != len(want) {
		t.Fatalf("events:\n%v\nwant\n%v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("event %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestTraceOffCostsNothing(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { traced(1, func() {}) }); n != 0 {
		t.Errorf("%v allocations a call with tracing off", n)
	}
}

func TestTraceCap(t *testing.T) {
	path := startTrace(t)
	traceMax = 10
	TraceFuncs([]string{"p.a"}, []string{"/p/a.go"}, []uint32{1, 0, 10})
	for range 2*chunkLen + 5 {
		traced(1, func() {})
	}
	Flush()
	// The cap is checked a chunk at a time: the first is written whole.
	d := decode(t, path)
	if len(d.events) < 10 || len(d.events) > chunkLen {
		t.Errorf("%d events, want 10 to %d", len(d.events), chunkLen)
	}
	if len(d.events)+int(d.dropped) != 2*chunkLen+5 {
		t.Errorf("%d events and %d dropped, want %d in all", len(d.events), d.dropped, 2*chunkLen+5)
	}
}

// A call of 2^32 ticks or more keeps its end in a slot of its own.
func TestTraceLongCall(t *testing.T) {
	path := startTrace(t)
	TraceFuncs([]string{"p.a"}, []string{"/p/a.go"}, []uint32{1, 0, 10})
	record(getg(), 1, 100, 100+1<<33)
	record(getg(), 1|flagPanicked, 200, 300)
	Flush()
	d := decode(t, path)
	if len(d.events) != 2 || d.events[0].end != 100+1<<33 || d.events[1].end != 300 || !d.events[1].panicked {
		t.Errorf("events %+v", d.events)
	}
}

// A log named with %p whose name a process before this one took (the
// system reused its id) is not overwritten.
func TestTraceReusedPID(t *testing.T) {
	dir := t.TempDir()
	taken := filepath.Join(dir, "t."+strconv.Itoa(os.Getpid())+".log")
	if err := os.WriteFile(taken, []byte("earlier"), 0o666); err != nil {
		t.Fatal(err)
	}
	f, err := createLog(filepath.Join(dir, "t.%p.log"))
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if data, _ := os.ReadFile(taken); string(data) != "earlier" {
		t.Errorf("the earlier log was overwritten")
	}
	if want := filepath.Join(dir, "t."+strconv.Itoa(os.Getpid())+"-1.log"); f.Name() != want {
		t.Errorf("log %s, want %s", f.Name(), want)
	}
}

// The calls a panic unwinds are written as it unwinds them: it may end
// the program.
func TestTracePanicWritten(t *testing.T) {
	path := startTrace(t)
	TraceFuncs([]string{"p.a"}, []string{"/p/a.go"}, []uint32{1, 0, 10})
	func() {
		defer func() { recover() }()
		traced(1, func() { traced(1, func() { traced(1, func() { panic("deep") }) }) })
	}()
	d := decode(t, path)
	if len(d.events) != 3 {
		t.Fatalf("%d events written by the panic, want the 3 it unwound", len(d.events))
	}
}

// Functions registered after calls were written (a package initialized
// late) go into the log between records, not inside one.
func TestTraceLateFuncs(t *testing.T) {
	path := startTrace(t)
	TraceFuncs([]string{"p.a"}, []string{"/p/a.go"}, []uint32{1, 0, 10})
	for range chunkLen {
		traced(1, func() {})
	}
	TraceFuncs([]string{"q.b"}, []string{"/q/b.go"}, []uint32{2, 0, 20})
	for range chunkLen {
		traced(2, func() {})
	}
	Flush()
	d := decode(t, path)
	if len(d.funcs) != 2 || len(d.events) != 2*chunkLen {
		t.Errorf("%d functions, %d events; want 2 and %d", len(d.funcs), len(d.events), 2*chunkLen)
	}
}
