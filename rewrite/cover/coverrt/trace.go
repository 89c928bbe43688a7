package coverrt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// Tracing: gorewrite trace injects "defer RT.Leave(RT.Enter(fid))" on the
// opening brace line of every selected function. When GOREWRITE_TRACE names
// a file, each call becomes one 16-byte slot (function, start, duration,
// whether it panicked; the goroutine and its parent are said when they
// change) in a compact log that gorewrite trace
// report turns into a summary, a pprof profile or a timeline. The log is
// written as buffers fill and when the program ends (the flush points of
// the coverage profile). Without the variable, Enter returns a zero token
// and Leave returns at once: a few nanoseconds a call.
//
// The hot path takes no lock: events go to a buffer per P (the scheduler's
// processor), with the goroutine pinned to it while it writes, and the
// goroutine id is read from the runtime's goroutine record at an offset
// found at start-up (checked against runtime.Stack), not parsed per call.

// TraceEnv names the log file; "%p" in it is replaced by the process id
// (see createLog).
const TraceEnv = "GOREWRITE_TRACE"

// TraceMaxEnv caps the calls one process records (default 20 million,
// some 320 MB of log); the calls after that are counted as dropped.
const TraceMaxEnv = "GOREWRITE_TRACE_MAX"

// traceOn is 1 while calls are recorded.
var traceOn uint32

// A Token is what Enter hands to Leave.
type Token struct {
	start int64 // 0: not recorded
	fid   uint32
	panic uintptr // the goroutine's innermost panic at entry
}

// Enter starts recording a call of function fid.
func Enter(fid uint32) Token {
	if atomic.LoadUint32(&traceOn) == 0 {
		return Token{}
	}
	return enter(fid)
}

// Leave records the call Enter started, however the function ends: by
// returning, by a panic (which it notes, and lets go on: it does not
// recover) or by runtime.Goexit.
func Leave(t Token) {
	if t.start == 0 {
		return
	}
	leave(t)
}

func enter(fid uint32) Token {
	return Token{fid: fid, panic: panicOf(getg()), start: ticks()}
}

// A slot is 16 bytes of a chunk, and of the log: little endian, no
// padding (on a little-endian machine, its memory is the log's bytes). A
// call takes one slot: its start in ticks, its duration in ticks, and its
// function with the panicked bit. The goroutine is said once, before its
// first call in a chunk and whenever it changes, in two marker slots (its
// id; its parent's); a call of 2^32-1 ticks or more is followed by a slot
// holding its end. Writing a third of what a slot per call with the
// goroutine in it would is most of what keeps a call cheap.
type slot struct {
	word  int64  // start; or the goroutine id, its parent, a long call's end
	dur   uint32 // duration in ticks, or longDur
	fidPF uint32 // function id | flagPanicked; or markGoroutine
}

const (
	slotSize      = 16
	flagPanicked  = 1 << 31
	markGoroutine = 0xFFFFFFFF
	longDur       = 0xFFFFFFFF
)

// littleEndian says the machine stores numbers as the log does.
var littleEndian = func() bool {
	x := uint32(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}() && unsafe.Sizeof(slot{}) == slotSize

func leave(t Token) {
	end := ticks()
	g := getg()
	fid := t.fid
	p := panicOf(g)
	panicked := p != t.panic && p != 0 && panicking(p)
	if panicked {
		fid |= flagPanicked
	}
	record(g, fid, t.start, end)
	if panicked {
		// The panic may end the program, from any goroutine, with no
		// flush point on its way: what was recorded is written now.
		writePending()
	}
}

// writePending writes what the per-P buffers hold that is not in the log
// yet: for a frame a panic unwinds, cheaper than a whole flush (a write or
// none, where a flush also goes through the locked buffers and writes a
// clock reading).
func writePending() {
	if raceEnabled {
		flushTrace()
		return
	}
	traceMu.Lock()
	defer traceMu.Unlock()
	for i := range shards {
		if c := shards[i].c; c != nil {
			writeChunk(c)
		}
	}
}

// The layout of the runtime's records, found at start-up. Each is 0 when
// it could not be found: the trace then does without (slower ids, no
// parents, no panics).
var (
	goidOff, parentOff uintptr
	// panicOff is g._panic's (the innermost panic, or runtime.Goexit's
	// record); argOff is the offset in that record of the panic value's
	// type word, nil for a Goexit.
	panicOff, argOff uintptr
)

// word reads the word at offset off of a runtime record (not checked by
// -race's pointer checks, which do not know the records' sizes).
//
//go:nocheckptr
func word(p unsafe.Pointer, off uintptr) uintptr {
	return *(*uintptr)(unsafe.Pointer(uintptr(p) + off))
}

func panicOf(g unsafe.Pointer) uintptr {
	if g == nil || panicOff == 0 {
		return 0
	}
	return word(g, panicOff)
}

// panicking reports whether the runtime's panic record p is a panic's, not
// a Goexit's.
func panicking(p uintptr) bool {
	return word(pointer(p), argOff) != 0
}

// pointer makes p, the address of a live record of the runtime, readable
// (as a local, never stored: it may point into a stack).
//
//go:nocheckptr
func pointer(p uintptr) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Pointer(&p))
}

func goids(g unsafe.Pointer) (goid, parent uint64) {
	if g == nil || goidOff == 0 {
		return slowGoid(), 0
	}
	goid = uint64(word(g, goidOff))
	if parentOff != 0 {
		parent = uint64(word(g, parentOff))
	}
	return goid, parent
}

// slowGoid reads the goroutine id from the first line of runtime.Stack.
func slowGoid() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = b[len("goroutine "):]
	var id uint64
	for i := 0; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		id = id*10 + uint64(b[i]-'0')
	}
	return id
}

// findLayout finds the offsets of the goroutine id, its parent's and the
// panic record in the runtime's goroutine record, by looking for known
// values in goroutines it starts, and keeps only what every probe agrees
// on. Pointers are 8 bytes where this runs (amd64, arm64).
func findLayout() {
	g := getg()
	if g == nil || unsafe.Sizeof(uintptr(0)) != 8 {
		return
	}
	const words = 48
	scan := func(g unsafe.Pointer, v uint64, skip uintptr) map[uintptr]bool {
		m := map[uintptr]bool{}
		for off := uintptr(8); off < words*8; off += 8 {
			if off != skip && uint64(word(g, off)) == v {
				m[off] = true
			}
		}
		return m
	}
	intersect := func(a, b map[uintptr]bool) map[uintptr]bool {
		for k := range a {
			if !b[k] {
				delete(a, k)
			}
		}
		return a
	}
	ids := scan(g, slowGoid(), 0)
	var parents map[uintptr]bool
	for round := 0; round < 4; round++ {
		parent := slowGoid()
		var wg sync.WaitGroup
		wg.Add(1)
		var own, par map[uintptr]bool
		go func() {
			defer wg.Done()
			g := getg()
			own = scan(g, slowGoid(), 0)
			par = scan(g, parent, 0)
		}()
		wg.Wait()
		ids = intersect(ids, own)
		if parents == nil {
			parents = par
		} else {
			parents = intersect(parents, par)
		}
	}
	if len(ids) != 1 {
		return
	}
	for k := range ids {
		goidOff = k
	}
	delete(parents, goidOff)
	if len(parents) == 1 {
		for k := range parents {
			parentOff = k
		}
	}
	// The panic record: g._panic has been the fifth word since Go 1.0
	// (after the stack bounds and guards); it is checked, not assumed.
	// During a panic the record's second word is the panic value's type;
	// during runtime.Goexit it is nil; outside both there is no record.
	const gPanic, pArg = 32, 8
	if word(g, gPanic) != 0 {
		return
	}
	var inPanic, inGoexit uintptr
	var inPanicArg, inGoexitArg uintptr = 0, 1
	done := make(chan bool)
	go func() {
		defer func() {
			g := getg()
			if inPanic = word(g, gPanic); inPanic != 0 {
				inPanicArg = word(pointer(inPanic), pArg)
			}
			recover()
			done <- true
		}()
		panic("gorewrite: probe")
	}()
	<-done
	go func() {
		defer func() {
			if inGoexit = word(getg(), gPanic); inGoexit != 0 {
				inGoexitArg = word(pointer(inGoexit), pArg)
			}
			done <- true
		}()
		runtime.Goexit()
	}()
	<-done
	if inPanic != 0 && inPanicArg != 0 && inGoexit != 0 && inGoexitArg == 0 {
		panicOff, argOff = gPanic, pArg
	}
}

// The recording state. The shards are per P; locked ones serve race builds
// and Ps beyond the count at start-up.
const chunkLen = 8192 // slots

type chunk struct {
	ev [chunkLen]slot
	// n counts the slots in ev, set by publish once they are written;
	// written counts those already in the log.
	n, written int32
	goid       uint64 // the goroutine the last call was on
	// stream numbers the chunk's slots since it was last emptied: the
	// log's 'E' records carry it, so that a reader knows which goroutine
	// marker a record's first calls follow.
	stream uint64
}

type shard struct {
	c *chunk
	_ [56]byte // a cache line each
}

type lockedShard struct {
	mu sync.Mutex
	c  *chunk
	_  [48]byte
}

var (
	shards                                []shard
	locked                                []lockedShard
	traceMu                               sync.Mutex // below: the log file and what was written to it
	tracePath                             string
	traceFile                             *os.File
	traceBuf                              []byte
	traceMax, traceRecorded, traceDropped uint64
	traceErr                              error
	funcs                                 []traceFunc
	funcsOut                              int // funcs already in the log
	spare                                 []*chunk
	streams                               uint64
	startTicks, startNanos                int64
)

type traceFunc struct {
	fid  uint32
	name string
	file string
	line uint32
}

func initTrace(getenv func(string) string) {
	path := getenv(TraceEnv)
	if path == "" {
		return
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	tracePath = path
	// The first clock reading, now: readings taken microseconds apart
	// (a short program's first and last) would scale ticks badly.
	startTicks, startNanos = clockPair()
	traceMax = 20000000
	if n, err := strconv.ParseUint(getenv(TraceMaxEnv), 10, 64); err == nil {
		traceMax = n
	}
	findLayout()
	n := runtime.GOMAXPROCS(0)
	if c := runtime.NumCPU(); c > n {
		n = c
	}
	// The buffers are made, and their pages touched, now: not in the first
	// calls, whose times it would swell.
	traceMu.Lock()
	shards = make([]shard, n)
	for i := range shards {
		shards[i].c = newChunk()
	}
	traceMu.Unlock()
	locked = make([]lockedShard, 16)
	// The recording code runs once, unrecorded, so that its first run in
	// the program (faulting its pages in) is not timed in a call.
	for i := 0; i < 2; i++ {
		leave(enter(0))
	}
	traceMu.Lock()
	for i := range shards {
		emptyChunk(shards[i].c)
	}
	traceMu.Unlock()
	for i := range locked {
		locked[i].c = nil
	}
	atomic.StoreUint32(&traceOn, 1)
}

// record adds a call on goroutine g to the buffer of the P it runs on.
func record(g unsafe.Pointer, fid uint32, start, end int64) {
	goid := goidOf(g)
	if goid == 0 {
		goid = slowGoid() // not while pinned: it prints a stack
	}
	dur := end - start
	if !raceEnabled {
		p := procPin()
		if p < len(shards) {
			s := &shards[p]
			c := s.c
			if c != nil && c.n < chunkLen-4 {
				// The goroutine is still the one of the chunk's last
				// call: one slot, the common case.
				if dur < longDur && c.goid == goid {
					n := c.n
					c.ev[n] = slot{word: start, dur: uint32(dur), fidPF: fid}
					publish(c, n+1)
					procUnpin()
					return
				}
				add(c, g, goid, fid, start, end)
				procUnpin()
				return
			}
			full := s.c
			s.c = nil
			procUnpin()
			refill(full, p, g, goid, fid, start, end)
			return
		}
		procUnpin()
	}
	l := &locked[goid%uint64(len(locked))]
	l.mu.Lock()
	if l.c == nil || l.c.n >= chunkLen-4 {
		traceMu.Lock()
		if l.c == nil {
			l.c = newChunk()
		} else {
			writeChunk(l.c)
			emptyChunk(l.c)
		}
		traceMu.Unlock()
	}
	add(l.c, g, goid, fid, start, end)
	l.mu.Unlock()
}

// goidOf returns g's goroutine id, or 0 when it cannot be read from g.
func goidOf(g unsafe.Pointer) uint64 {
	if g == nil || goidOff == 0 {
		return 0
	}
	return uint64(word(g, goidOff))
}

// parentOf returns the id of the goroutine that started g, or 0.
func parentOf(g unsafe.Pointer) uint64 {
	if g == nil || parentOff == 0 {
		return 0
	}
	return uint64(word(g, parentOff))
}

// add puts a call into c, which has room for four slots, after a
// goroutine marker when the goroutine changed, and with its end in a slot
// of its own when it is long.
func add(c *chunk, g unsafe.Pointer, goid uint64, fid uint32, start, end int64) {
	n := c.n
	if goid != c.goid {
		c.ev[n] = slot{word: int64(goid), fidPF: markGoroutine}
		c.ev[n+1] = slot{word: int64(parentOf(g)), fidPF: markGoroutine}
		n += 2
		c.goid = goid
	}
	if dur := end - start; dur < longDur {
		c.ev[n] = slot{word: start, dur: uint32(dur), fidPF: fid}
		n++
	} else {
		c.ev[n] = slot{word: start, dur: longDur, fidPF: fid}
		c.ev[n+1] = slot{word: end}
		n += 2
	}
	publish(c, n)
}

// newChunk returns an empty chunk (under traceMu, or at start-up).
func newChunk() *chunk {
	if n := len(spare); n > 0 {
		c := spare[n-1]
		spare = spare[:n-1]
		emptyChunk(c)
		return c
	}
	c := new(chunk)
	for i := 0; i < chunkLen; i += 4096 / slotSize {
		c.ev[i].word = 1 // fault the page in
	}
	emptyChunk(c)
	return c
}

// emptyChunk empties c and starts a new stream (under traceMu).
func emptyChunk(c *chunk) {
	streams++
	c.n, c.written, c.goid, c.stream = 0, 0, 0, streams
}

// refill writes P p's full chunk (if any) to the log and gives the P an
// empty one holding the call. It runs unpinned, under the log's lock;
// another goroutine may have given the P a chunk meanwhile, and then the
// call is written on its own.
func refill(full *chunk, p int, g unsafe.Pointer, goid uint64, fid uint32, start, end int64) {
	traceMu.Lock()
	defer traceMu.Unlock()
	c := full
	if c != nil {
		writeChunk(c)
		emptyChunk(c)
	} else {
		c = newChunk()
	}
	add(c, g, goid, fid, start, end)
	if shards[p].c == nil {
		shards[p].c = c
		return
	}
	writeChunk(c)
	spare = append(spare, c)
}

// writeChunk adds c's slots not yet written to the log (under traceMu),
// as an 'E' record: the chunk's stream number, then the slots. Past the
// cap, chunks are counted as dropped calls instead.
func writeChunk(c *chunk) {
	n := atomic.LoadInt32(&c.n) // the flush may read a chunk its P is writing
	if c.written >= n {
		return
	}
	evs := c.ev[c.written:n]
	c.written = n
	if traceRecorded >= traceMax {
		traceDropped += countCalls(evs)
		return
	}
	traceRecorded += countCalls(evs)
	if !openTrace() {
		return
	}
	stream := appendUvarint(nil, c.stream)
	// Functions registered since the last write go first: not between
	// the record's head and its slots.
	b := appendFuncs(traceBuf[:0])
	b = appendHeader(b, 'E', len(stream)+len(evs)*slotSize)
	b = append(b, stream...)
	if littleEndian {
		// The slots in memory are the log's bytes: written as they are,
		// without a copy.
		traceBuf = b
		writeBytes(b)
		writeBytes((*[1 << 30]byte)(unsafe.Pointer(&evs[0]))[: len(evs)*slotSize : len(evs)*slotSize])
		b = appendClock(traceBuf[:0])
		traceBuf = b
		writeLog(b)
		return
	}
	for i := range evs {
		e := &evs[i]
		b = appendUint64(b, uint64(e.word))
		b = appendUint32(b, e.dur)
		b = appendUint32(b, e.fidPF)
	}
	b = appendClock(b)
	traceBuf = b
	writeLog(b)
}

// countCalls counts the calls among slots (which start at a call or a
// marker, not in the middle of a pair).
func countCalls(evs []slot) uint64 {
	n := uint64(0)
	for i := 0; i < len(evs); i++ {
		switch {
		case evs[i].fidPF == markGoroutine:
			i++
		case evs[i].dur == longDur:
			n++
			i++
		default:
			n++
		}
	}
	return n
}

// openTrace opens the log and writes its head (under traceMu), once.
func openTrace() bool {
	if traceErr != nil {
		return false // a write failed, or the log ended
	}
	if traceFile != nil {
		return true
	}
	f, err := createLog(tracePath)
	if err != nil {
		traceErr = err
		fmt.Fprintf(os.Stderr, "gorewrite trace: %v\n", err)
		return false
	}
	traceFile = f
	b := append(traceBuf[:0], "GRTRACE2"...)
	var p []byte
	p = appendUvarint(p, uint64(os.Getpid()))
	p = appendString(p, os.Args[0])
	p = appendVarint(p, time.Now().UnixNano())
	b = appendHeader(b, 'P', len(p))
	b = append(b, p...)
	p = appendVarint(appendVarint(p[:0], startTicks), startNanos)
	b = appendHeader(b, 'C', len(p))
	b = append(b, p...)
	b = appendClock(b)
	traceBuf = b
	writeLog(b)
	return true
}

// createLog creates the log. A name with "%p" gets the process id; if a
// file of that name exists (the id was used by an earlier process of the
// run, which the system has reused), a number is added to the id rather
// than losing that process's log. A name without it is truncated.
func createLog(path string) (*os.File, error) {
	if !strings.Contains(path, "%p") {
		return os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o666)
	}
	pid := strconv.Itoa(os.Getpid())
	for i := 0; ; i++ {
		id := pid
		if i > 0 {
			id += "-" + strconv.Itoa(i)
		}
		f, err := os.OpenFile(strings.Replace(path, "%p", id, -1), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o666)
		if !os.IsExist(err) || i == 100 {
			return f, err
		}
	}
}

func writeLog(b []byte) {
	writeBytes(appendFuncs(b))
}

func writeBytes(b []byte) {
	if _, err := traceFile.Write(b); err != nil && traceErr == nil {
		traceErr = err
		fmt.Fprintf(os.Stderr, "gorewrite trace: %v\n", err)
	}
}

// appendFuncs adds the functions registered since the last write.
func appendFuncs(b []byte) []byte {
	for ; funcsOut < len(funcs); funcsOut++ {
		f := funcs[funcsOut]
		var p []byte
		p = appendUvarint(p, uint64(f.fid))
		p = appendString(p, f.name)
		p = appendString(p, f.file)
		p = appendUvarint(p, uint64(f.line))
		b = appendHeader(b, 'F', len(p))
		b = append(b, p...)
	}
	return b
}

func appendHeader(b []byte, kind byte, n int) []byte {
	return appendUvarint(append(b, kind), uint64(n))
}

func appendString(b []byte, s string) []byte {
	return append(appendUvarint(b, uint64(len(s))), s...)
}

// appendClock adds a reading of the counter and the clock together, which
// the reader turns ticks into nanoseconds with.
func appendClock(b []byte) []byte {
	t, ns := clockPair()
	p := appendVarint(appendVarint(nil, t), ns)
	b = appendHeader(b, 'C', len(p))
	return append(b, p...)
}

// clockPair reads the counter and the clock at about the same moment: of
// three tries, the one whose clock read was closest between two counter
// reads (an interrupt between them would skew the pair).
func clockPair() (t, ns int64) {
	best := int64(-1)
	for i := 0; i < 3; i++ {
		t0 := ticks()
		n := nanotime()
		t1 := ticks()
		if gap := t1 - t0; best < 0 || gap < best {
			best, t, ns = gap, t0+gap/2, n
		}
	}
	return t, ns
}

// TraceFuncs registers the functions of one instrumented file: their ids,
// names, files and lines (two numbers per function in meta: the id and the
// line; names and files share an index).
func TraceFuncs(names, files []string, meta []uint32) {
	traceMu.Lock()
	defer traceMu.Unlock()
	for i := range names {
		funcs = append(funcs, traceFunc{fid: meta[3*i], name: names[i], file: files[meta[3*i+1]], line: meta[3*i+2]})
	}
}

// A TestToken is what TestStart hands to TestEnd.
type TestToken struct {
	t            testingT
	start        int64
	goid, parent uint64
}

type testingT interface {
	Name() string
	Failed() bool
}

// TestStart notes that a test (or subtest, or benchmark) starts on this
// goroutine: the trace shows which test each call ran in.
func TestStart(t testingT) TestToken {
	if atomic.LoadUint32(&traceOn) == 0 || t == nil {
		return TestToken{}
	}
	goid, parent := goids(getg())
	return TestToken{t: t, start: ticks(), goid: goid, parent: parent}
}

// TestEnd records the test TestStart started.
func TestEnd(tt TestToken) {
	if tt.start == 0 {
		return
	}
	end := ticks()
	var p []byte
	p = appendUvarint(p, tt.goid)
	p = appendUvarint(p, tt.parent)
	p = appendVarint(p, tt.start)
	p = appendVarint(p, end)
	failed := uint64(0)
	if tt.t.Failed() {
		failed = 1
	}
	p = appendUvarint(p, failed)
	p = appendString(p, tt.t.Name())
	traceMu.Lock()
	defer traceMu.Unlock()
	if !openTrace() {
		return
	}
	b := appendHeader(traceBuf[:0], 'T', len(p))
	b = append(b, p...)
	traceBuf = b
	writeLog(b)
}

// EndRecord ends the log of a test binary whose tests have run: a reader
// waiting for the log (gorewrite trace reads each as its tests end, while
// other packages' tests run) knows it is whole. It is a record of kind 'Z'
// holding these 8 bytes.
const EndRecord = "Z\x08GRTREND!"

// endTrace writes the end record and closes the log; calls after it (in a
// TestMain, after the tests) are not recorded.
func endTrace() {
	if tracePath == "" {
		return
	}
	atomic.StoreUint32(&traceOn, 0)
	traceMu.Lock()
	defer traceMu.Unlock()
	if traceFile == nil || traceErr != nil {
		return
	}
	b := append(appendFuncs(traceBuf[:0]), EndRecord...)
	traceBuf = b
	traceFile.Write(b)
	traceFile.Close()
	traceErr = errEnded
}

var errEnded = errors.New("log ended")

// flushTrace writes the events recorded so far (under mu, the coverage
// lock, which Flush holds). The per-P chunks are read while their Ps may
// be adding to them: an event added meanwhile is written by the next
// flush, or lost if there is none, as with any event after the last flush.
func flushTrace() {
	if tracePath == "" {
		return
	}
	traceMu.Lock()
	defer traceMu.Unlock()
	for i := range shards {
		if c := shards[i].c; c != nil {
			writeChunk(c)
		}
	}
	traceMu.Unlock()
	// In the order record takes the locks.
	for i := range locked {
		l := &locked[i]
		l.mu.Lock()
		traceMu.Lock()
		if l.c != nil {
			writeChunk(l.c)
		}
		traceMu.Unlock()
		l.mu.Unlock()
	}
	traceMu.Lock()
	if !openTrace() {
		return
	}
	b := traceBuf[:0]
	if traceDropped > 0 {
		var p []byte
		p = appendUvarint(p, traceDropped)
		b = appendHeader(b, 'D', len(p))
		b = append(b, p...)
		traceDropped = 0
	}
	b = appendClock(b)
	traceBuf = b
	writeLog(b)
}

// The encoding helpers (encoding/binary's Append functions are newer than
// what the runtime may use).

func appendUint32(b []byte, v uint32) []byte {
	var a [4]byte
	binary.LittleEndian.PutUint32(a[:], v)
	return append(b, a[:]...)
}

func appendUint64(b []byte, v uint64) []byte {
	var a [8]byte
	binary.LittleEndian.PutUint64(a[:], v)
	return append(b, a[:]...)
}

func appendUvarint(b []byte, v uint64) []byte {
	var a [binary.MaxVarintLen64]byte
	return append(b, a[:binary.PutUvarint(a[:], v)]...)
}

func appendVarint(b []byte, v int64) []byte {
	var a [binary.MaxVarintLen64]byte
	return append(b, a[:binary.PutVarint(a[:], v)]...)
}
