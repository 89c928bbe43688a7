package tracelog

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"time"
)

// Magic starts every segment of a version 1 log.
const Magic = "GRTRACE2"

// Record kinds.
const (
	kindProcess = 'P'
	kindFunc    = 'F'
	kindClock   = 'C'
	kindEvents  = 'E'
	kindTest    = 'T'
	kindDropped = 'D'
	kindEnd     = 'Z' // the log of a test binary is whole; nothing to read
	// An 'E' record's slots (see the package documentation).
	slotSize      = 16
	flagPanicked  = 1 << 31
	markGoroutine = 0xFFFFFFFF
	longDur       = 0xFFFFFFFF
	flagFailed    = 1 << 0
)

// A Log is everything read from one or more log files: one Process per
// segment, in the order read.
type Log struct {
	Processes []*Process
}

// A Process is one segment of a log: the calls recorded in one run of a
// traced program.
type Process struct {
	PID     int
	Program string    // argv[0]
	Start   time.Time // wall clock when the runtime started; zero if unknown
	Funcs   map[uint32]Func
	// Calls are sorted by Goroutine, then Start, then End descending, and
	// nest exactly on each goroutine (see the package documentation).
	Calls []Call
	// Tests are sorted by Goroutine, then Start, then End descending.
	Tests []Test
	// Parents maps a goroutine to the goroutine that created it, where
	// known.
	Parents map[uint64]uint64
	// Dropped counts calls the runtime did not record (its buffer cap was
	// reached); Invalid counts records Read discarded.
	Dropped, Invalid uint64
	// Truncated says the log ends in the middle of a record: the process
	// died while writing it. What came before is read.
	Truncated bool

	// caller is each call's direct caller, as Read found it (nil for a
	// Process built by hand, or if Calls changed length since).
	caller []int32
	// summary is the process's part of Log.Stats, once Summarize ran.
	summary    []funcSum
	summarized bool
}

// A Func is an instrumented function.
type Func struct {
	ID   uint32
	Name string // runtime-style full name, e.g. example.com/m/pkg.(*T).Method
	File string // absolute path
	Line int    // line of the func keyword
}

// A Call is one completed call of an instrumented function. It holds no
// pointers, and is small: logs run to tens of millions of calls.
type Call struct {
	// Start and End are monotonic nanoseconds (the clock of the process;
	// on one machine all processes share its origin).
	Start, End int64
	Goroutine  uint64
	Func       uint32 // key in Process.Funcs
	// Test is the index in Process.Tests of the innermost test running
	// when the call started, or -1 (see Process.TestOf).
	Test     int32
	Panicked bool // the call ended by a panic
}

// TestOf returns the name of the test c ran in, or "".
func (p *Process) TestOf(c Call) string {
	if c.Test < 0 || int(c.Test) >= len(p.Tests) {
		return ""
	}
	return p.Tests[c.Test].Name
}

// A Test is the run of one test or subtest, on its own goroutine.
type Test struct {
	Name       string // e.g. TestFoo/sub_case
	Goroutine  uint64
	Parent     uint64 // goroutine of the parent test (or of testing's runner)
	Start, End int64  // monotonic nanoseconds, like Call
	Failed     bool
}

// A FormatError reports a log that is truncated or corrupt.
type FormatError struct {
	Offset int64 // byte offset in the file of the bad data
	Msg    string
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("trace log: offset %d: %s", e.Offset, e.Msg)
}

// Read reads one log file, which may hold several segments.
func Read(r io.Reader) (*Log, error) {
	return parse(r, 0)
}

// ReadFiles reads the named files and concatenates their processes.
func ReadFiles(names ...string) (*Log, error) {
	log := &Log{}
	for _, name := range names {
		l, err := readFile(name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		log.Processes = append(log.Processes, l.Processes...)
	}
	return log, nil
}

func readFile(name string) (*Log, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, errors.Unwrap(err) // the name goes in front anyway
	}
	defer f.Close()
	size := int64(0)
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	return parse(f, size)
}

type rawTest struct {
	Test
	flags uint64
}

type streamAt struct{ goid, parent uint64 }

type clockPoint struct{ ticks, ns int64 }

// segment accumulates the records of one segment.
type segment struct {
	proc   *Process
	clocks []clockPoint // first and last only
	// calls are the 'E' records, their times still in ticks and their
	// functions unchecked, which can only happen at the end of the
	// segment: the last 'C' record and the 'F' records may come after.
	calls   []Call
	parents map[uint64]uint64
	// streams are where each stream of 'E' records is: the goroutine of
	// its last marker, and its parent.
	streams      map[uint64]streamAt
	tests        []rawTest
	sawProcess   bool
	droppedTotal uint64
}

// parse reads a log as a stream (a big log is not held in memory whole);
// size, when known, sizes the calls' slice.
func parse(r io.Reader, size int64) (*Log, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	if head, err := br.Peek(len(Magic)); err != nil || string(head) != Magic {
		if len(head) == 0 {
			return nil, &FormatError{0, "empty file, not a trace log"}
		}
		return nil, &FormatError{0, fmt.Sprintf("not a trace log (want magic %q)", Magic)}
	}
	log := &Log{}
	var seg *segment
	var payload []byte
	off := int64(0)
	for {
		if head, _ := br.Peek(len(Magic)); string(head) == Magic {
			if seg != nil {
				log.Processes = append(log.Processes, seg.finish())
			}
			seg = &segment{proc: &Process{Funcs: map[uint32]Func{}}, parents: map[uint64]uint64{}}
			// At most this many events: growing the slice by appending
			// would copy a large log's events again and again.
			seg.calls = make([]Call, 0, max(0, size-off)/slotSize)
			seg.streams = map[uint64]streamAt{}
			br.Discard(len(Magic))
			off += int64(len(Magic))
			continue
		}
		start := off
		kind, err := br.ReadByte()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		off++
		n, err := binary.ReadUvarint(br)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			seg.proc.Truncated = true
			break
		}
		if err != nil {
			return nil, &FormatError{off, fmt.Sprintf("record %s: bad length", kindName(kind))}
		}
		off += int64(uvarintLen(n))
		if n > 1<<30 {
			return nil, &FormatError{start, fmt.Sprintf("record %s: payload of %d bytes (corrupt log?)", kindName(kind), n)}
		}
		if uint64(cap(payload)) < n {
			payload = make([]byte, n)
		}
		payload = payload[:n]
		if _, err := io.ReadFull(br, payload); err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				seg.proc.Truncated = true
				break
			}
			return nil, err
		}
		d := &decoder{b: payload, base: int(off)}
		off += int64(n)
		if err := seg.record(kind, d); err != nil {
			return nil, err
		}
	}
	log.Processes = append(log.Processes, seg.finish())
	return log, nil
}

func uvarintLen(n uint64) int {
	l := 1
	for n >= 0x80 {
		n >>= 7
		l++
	}
	return l
}

func kindName(k byte) string {
	if k >= ' ' && k < 0x7f {
		return fmt.Sprintf("'%c'", k)
	}
	return fmt.Sprintf("0x%02x", k)
}

func (s *segment) record(kind byte, d *decoder) error {
	switch kind {
	case kindProcess:
		pid := d.uvarint("pid")
		prog := d.string("program")
		wall := d.varint("start time")
		if d.err == nil && !s.sawProcess {
			s.sawProcess = true
			s.proc.PID = int(pid)
			s.proc.Program = prog
			s.proc.Start = time.Unix(0, wall)
		}
	case kindFunc:
		fid := d.uvarint("function id")
		name := d.string("function name")
		file := d.string("file name")
		line := d.uvarint("line")
		if d.err == nil && fid > math.MaxUint32 {
			d.fail("function id %d does not fit in 32 bits", fid)
		}
		if d.err == nil {
			if _, dup := s.proc.Funcs[uint32(fid)]; !dup {
				s.proc.Funcs[uint32(fid)] = Func{ID: uint32(fid), Name: name, File: file, Line: int(line)}
			}
		}
	case kindClock:
		p := clockPoint{d.varint("ticks"), d.varint("nanoseconds")}
		if d.err == nil {
			if len(s.clocks) < 2 {
				s.clocks = append(s.clocks, p)
			} else {
				s.clocks[1] = p
			}
		}
	case kindEvents:
		stream := d.uvarint("stream")
		if d.err != nil {
			break
		}
		if len(d.b)%slotSize != 0 {
			d.fail("events payload of %d bytes is not a stream number and %d-byte slots", len(d.b)+uvarintLen(stream), slotSize)
			break
		}
		at := s.streams[stream]
		le := binary.LittleEndian
		for b := d.b; len(b) > 0; b = b[slotSize:] {
			word, dur, fid := int64(le.Uint64(b)), le.Uint32(b[8:]), le.Uint32(b[12:])
			if fid == markGoroutine || dur == longDur {
				// Two slots.
				if len(b) < 2*slotSize {
					d.fail("slot pair cut short")
					break
				}
				b = b[slotSize:]
			}
			if fid == markGoroutine {
				at.goid, at.parent = uint64(word), le.Uint64(b)
				if at.parent != 0 && at.parent != at.goid {
					if _, ok := s.parents[at.goid]; !ok {
						s.parents[at.goid] = at.parent
					}
				}
				continue
			}
			end := word + int64(dur)
			if dur == longDur {
				end = int64(le.Uint64(b))
			}
			if at.goid == 0 {
				s.proc.Invalid++ // a call before any goroutine marker
				continue
			}
			s.calls = append(s.calls, Call{
				Func:      fid &^ flagPanicked,
				Panicked:  fid&flagPanicked != 0,
				Goroutine: at.goid,
				Start:     word,
				End:       end,
				Test:      -1,
			})
		}
		s.streams[stream] = at
		d.b = nil
	case kindTest:
		var t rawTest
		t.Goroutine = d.uvarint("goroutine")
		t.Parent = d.uvarint("parent goroutine")
		t.Start = d.varint("start")
		t.End = d.varint("end")
		t.flags = d.uvarint("flags")
		t.Name = d.string("test name")
		if d.err == nil {
			s.tests = append(s.tests, t)
		}
	case kindDropped:
		n := d.uvarint("count")
		if d.err == nil {
			s.proc.Dropped += n
		}
	case kindEnd:
	default:
		// Unknown kind: written by a newer runtime; skip it.
		return nil
	}
	// Trailing bytes in a known record are tolerated: a newer runtime may
	// append fields.
	return d.err
}

// convert returns the function mapping ticks to nanoseconds for the
// segment's clock records.
func (s *segment) convert() func(int64) int64 {
	switch {
	case len(s.clocks) == 0:
		return func(t int64) int64 { return t }
	case len(s.clocks) == 1 || s.clocks[0].ticks == s.clocks[1].ticks:
		c := s.clocks[0]
		return func(t int64) int64 { return c.ns + (t - c.ticks) }
	}
	c0, c1 := s.clocks[0], s.clocks[1]
	ratio := float64(c1.ns-c0.ns) / float64(c1.ticks-c0.ticks)
	if !(ratio > 0) || math.IsInf(ratio, 0) {
		// A clock running backwards would turn spans inside out; nonsense
		// calibration is ignored rather than trusted.
		return func(t int64) int64 { return c0.ns + (t - c0.ticks) }
	}
	// Float multiplication by a positive constant is monotonic, so spans
	// keep their order and their nesting; float64 holds 2^53 ticks (days of
	// a GHz clock) exactly.
	return func(t int64) int64 {
		return c0.ns + int64(math.Round(float64(t-c0.ticks)*ratio))
	}
}

func (s *segment) finish() *Process {
	p := s.proc
	conv := s.convert()
	known, _ := newFidIndex(p.Funcs)
	p.Parents = s.parents
	for _, t := range s.tests {
		if t.Parent != 0 && t.Parent != t.Goroutine {
			p.Parents[t.Goroutine] = t.Parent
		}
	}
	// Checked and converted in place.
	calls := s.calls[:0]
	for _, c := range s.calls {
		if known.get(c.Func) < 0 || c.End < c.Start {
			p.Invalid++
			continue
		}
		c.Start, c.End = conv(c.Start), conv(c.End)
		calls = append(calls, c)
	}
	p.Calls = calls
	s.calls = nil
	for _, t := range s.tests {
		if t.End < t.Start {
			p.Invalid++
			continue
		}
		tt := t.Test
		tt.Start, tt.End = conv(t.Start), conv(t.End)
		tt.Failed = t.flags&flagFailed != 0
		p.Tests = append(p.Tests, tt)
	}
	slices.SortStableFunc(p.Tests, func(a, b Test) int {
		return cmpSpan(a.Goroutine, a.Start, a.End, b.Goroutine, b.Start, b.End)
	})
	p.Calls = orderCalls(p.Calls)
	p.caller = clamp(p.Calls)
	attributeTests(p)
	return p
}

// cmpSpan orders spans by goroutine, start, then end descending, so that
// an enclosing span comes before the spans it contains.
func cmpSpan(ga uint64, sa, ea int64, gb uint64, sb, eb int64) int {
	switch {
	case ga != gb:
		if ga < gb {
			return -1
		}
		return 1
	case sa != sb:
		if sa < sb {
			return -1
		}
		return 1
	case ea != eb:
		if ea > eb {
			return -1
		}
		return 1
	}
	return 0
}

func cmpCall(a, b Call) int {
	return cmpSpan(a.Goroutine, a.Start, a.End, b.Goroutine, b.Start, b.End)
}

// clamp clamps each call (of calls in nesting order) that overruns its
// enclosing call on the same goroutine. Deferred exits run LIFO, so a
// partial overlap can only come from clock jitter between CPUs; clamping
// keeps the start (taken on entry, the better-known point) and gives up the
// few ticks.
//
// It returns each call's direct caller (an index, or -1), which the walk
// finds anyway, for nesting.
func clamp(calls []Call) (caller []int32) {
	caller = make([]int32, len(calls))
	var stack []int32
	for i := range calls {
		c := &calls[i]
		if len(stack) > 0 && calls[stack[0]].Goroutine != c.Goroutine {
			stack = stack[:0]
		}
		for len(stack) > 0 && !(c.Start < calls[stack[len(stack)-1]].End) {
			stack = stack[:len(stack)-1]
		}
		caller[i] = -1
		if len(stack) > 0 {
			top := stack[len(stack)-1]
			caller[i] = top
			if c.End > calls[top].End {
				c.End = calls[top].End
			}
		}
		stack = append(stack, int32(i))
	}
	return caller
}

// nesting returns the calls of p in nesting order (by goroutine, start,
// end descending) as indexes into p.Calls, and for each call (indexed like
// p.Calls) the index of its direct caller on the same goroutine, or -1.
// Read already sorts the calls; nesting does not rely on it so that a Log
// built by hand gives sensible results too.
func (p *Process) nesting() (order, parent []int32) {
	calls := p.Calls
	order = make([]int32, len(calls))
	for i := range order {
		order[i] = int32(i)
	}
	if len(p.caller) == len(calls) {
		return order, p.caller
	}
	if !slices.IsSortedFunc(calls, cmpCall) {
		slices.SortStableFunc(order, func(a, b int32) int { return cmpCall(calls[a], calls[b]) })
	}
	parent = make([]int32, len(calls))
	var stack []int32
	for _, i := range order {
		c := calls[i]
		if len(stack) > 0 && calls[stack[0]].Goroutine != c.Goroutine {
			stack = stack[:0]
		}
		for len(stack) > 0 && !(c.Start < calls[stack[len(stack)-1]].End) {
			stack = stack[:len(stack)-1]
		}
		parent[i] = -1
		if len(stack) > 0 {
			parent[i] = stack[len(stack)-1]
		}
		stack = append(stack, i)
	}
	return order, parent
}

// maxAncestors bounds the walk up goroutine parents: a corrupt log may
// make the parent links a cycle.
const maxAncestors = 1000

// attributeTests fills Call.Test with the innermost test containing the
// call's start, on the call's goroutine or one of its ancestors.
func attributeTests(p *Process) {
	if len(p.Tests) == 0 {
		return
	}
	testsOn := map[uint64][2]int{} // a goroutine's range of p.Tests
	for i, t := range p.Tests {
		r, ok := testsOn[t.Goroutine]
		if !ok {
			r[0] = i
		}
		r[1] = i + 1
		testsOn[t.Goroutine] = r
	}
	// The test each test runs inside on its goroutine (an index, or -1).
	enclosing := make([]int32, len(p.Tests))
	var stack []int32
	for i, t := range p.Tests {
		if i == 0 || t.Goroutine != p.Tests[i-1].Goroutine {
			stack = stack[:0]
		}
		for len(stack) > 0 && p.Tests[stack[len(stack)-1]].End < t.Start {
			stack = stack[:len(stack)-1]
		}
		enclosing[i] = -1
		if len(stack) > 0 {
			enclosing[i] = stack[len(stack)-1]
		}
		stack = append(stack, int32(i))
	}
	// The tests of a goroutine and of its ancestors, nearest first,
	// looked up once per goroutine (calls are grouped by goroutine).
	var chain [][2]int
	for i := range p.Calls {
		c := &p.Calls[i]
		if i == 0 || c.Goroutine != p.Calls[i-1].Goroutine {
			chain = chain[:0]
			g := c.Goroutine
			for range maxAncestors {
				if r, ok := testsOn[g]; ok {
					chain = append(chain, r)
				}
				par, ok := p.Parents[g]
				if !ok {
					break
				}
				g = par
			}
		}
		for _, r := range chain {
			if t, ok := innermost(p.Tests[r[0]:r[1]], enclosing, r[0], c.Start); ok {
				c.Test = int32(t)
				break
			}
		}
	}
}

// innermost returns the index (in p.Tests: tests starts at base) of the
// innermost test of tests (one goroutine's, sorted by start then end
// descending) whose span contains t.
func innermost(tests []Test, enclosing []int32, base int, t int64) (int, bool) {
	// The innermost is the last test starting at or before t, or the
	// nearest test enclosing it that is still running at t: tests on one
	// goroutine nest.
	i, _ := slices.BinarySearchFunc(tests, t, func(x Test, t int64) int {
		if x.Start <= t {
			return -1
		}
		return 1
	})
	for j := i - 1 + base; j >= base; j = int(enclosing[j]) {
		if p := j - base; tests[p].End >= t {
			return j, true
		}
	}
	return 0, false
}

// decoder reads the fields of one record's payload; the first error sticks
// and names the offset in the file.
type decoder struct {
	b    []byte
	base int // file offset of b[0]
	pos  int
	err  error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = &FormatError{int64(d.base + d.pos), fmt.Sprintf(format, args...)}
	}
}

func (d *decoder) uvarint(what string) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("bad or truncated %s", what)
		return 0
	}
	d.b = d.b[n:]
	d.pos += n
	return v
}

func (d *decoder) varint(what string) int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail("bad or truncated %s", what)
		return 0
	}
	d.b = d.b[n:]
	d.pos += n
	return v
}

func (d *decoder) string(what string) string {
	at := d.pos
	n := d.uvarint(what + " length")
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.b)) {
		d.pos = at // name the start of the string
		d.fail("%s of %d bytes overruns its record (%d bytes left)", what, n, len(d.b))
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	d.pos += int(n)
	return s
}
