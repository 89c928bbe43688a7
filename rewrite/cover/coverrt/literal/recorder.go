//go:build go1.22

package literal

// The recorder: gorewrite stub --record builds the tests with this package
// added to the build (as gorewrite.invalid/coverrt/literal) and, on the
// opening brace line of each recorded function,
//
//	if RECSites[7].On() { V0, V1, V2 := r, a, b; C := REC.In(&RECSites[7], "p.T.M", "example.com/p", REC.PointerRecv, B3[:], &V0, &V1, &V2); defer func() { W0, W1 := r0, r1; REC.Out(C, &W0, &W1) }() }
//
// In writes the receiver and the arguments as Go literals at entry, which
// is the deep copy: what the function does to them later does not change
// the record. Out writes the results when the function returns, and
// nothing when it panics. Each distinct call becomes one JSON line of the
// log GOREWRITE_RECORD names ("%p": the process id), written at once with
// O_APPEND, so that a process that dies keeps what it recorded and test
// binaries running side by side share a file safely. B3 is the branch
// counters of the function's file (gorewrite cover's probes, counting):
// the outcomes whose counts grew during the call are recorded too, so that
// gorewrite can prefer calls that take other paths.
//
// Names of packages in the literals are marked (NUL, path, NUL) for the
// writer of the test file to replace with the names its imports give.

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"io"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// RecordEnv names the log file.
const RecordEnv = "GOREWRITE_RECORD"

// Receiver kinds, In's recv argument.
const (
	NoRecv      = 0 // a function: every pointer is an argument
	ValueRecv   = 1 // the first pointer is the receiver's
	PointerRecv = 2 // the first pointer points to the receiver, a pointer
)

// Limits per function and process: the distinct calls written, and the
// calls looked at (each costs writing its arguments). Past maxDistinct, a
// call is written only when its inputs hash to 0 modulo sampleMod, up to
// maxSampled: which calls come first depends on the order tests run in,
// but the sample is the same in every run, so that runs still agree on
// some calls. A function that reached a limit says so once (Capped).
const (
	maxDistinct = 200
	maxSampled  = 1000
	sampleMod   = 16
	maxCalls    = 2000
	// maxLiteral is the longest literal of one value a row gets.
	maxLiteral = 2000
	// A function whose calls keep failing to be written (a func or a
	// cycle in every call) is given up after maxFailed failures, when
	// they outnumber the calls written tenfold: each try costs a walk of
	// its arguments.
	maxFailed = 50
)

// A Record is one line of the log.
type Record struct {
	Func string `json:"func"` // "Name" or "Recv.Name"
	Pkg  string `json:"pkg"`  // the import path
	// Recv is the receiver (dereferenced when a pointer); Args the
	// arguments, a context.Context or io.Writer written as Placeholder;
	// Results the results. All are Go expressions with marked package
	// names.
	Recv    string   `json:"recv,omitempty"`
	Args    []string `json:"args"`
	Results []string `json:"results"`
	// Unexported says the literals use unexported names of Pkg.
	Unexported bool `json:"unexported,omitempty"`
	// NoRecv says the method's receiver could not be written (RecvWhy
	// says why): the test builds one with the type's constructor.
	NoRecv  bool   `json:"norecv,omitempty"`
	RecvWhy string `json:"recvwhy,omitempty"`
	// ErrMsg is the message of the last result when it is a non-nil
	// error.
	ErrMsg string `json:"errmsg,omitempty"`
	// Branches are the branch outcomes of the function's file the call
	// took (indices of its counters).
	Branches []int `json:"branches,omitempty"`
	// Skip, on a line of its own, says why a call could not be recorded.
	Skip string `json:"skip,omitempty"`
	// Capped, on a line of its own, says the function reached a limit:
	// which of its calls were written depends on the order of the calls.
	Capped bool `json:"capped,omitempty"`
}

// Placeholder stands for an argument the test supplies itself: a
// context.Context (t.Context()) or an io.Writer (a buffer).
const Placeholder = "\x00arg\x00"

// Mark is how a recorded literal names the package at path.
func Mark(path string) string { return "\x00" + path + "\x00" }

// Unmark replaces the marks in a recorded literal with the names qualify
// gives ("" for none: the package itself).
func Unmark(s string, qualify func(path string) string) string {
	if !strings.Contains(s, "\x00") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, 0)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i+1:], 0)
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		path := s[i+1 : i+1+j]
		s = s[i+2+j:]
		if name := qualify(path); name != "" {
			b.WriteString(name)
		} else {
			s = strings.TrimPrefix(s, ".")
		}
	}
}

// A Call is a call being recorded, from In to Out.
type Call struct {
	rec *Record
	fs  *funcState
	// outcomes are the file's branch counters, and before their counts
	// when the call began.
	outcomes, before []uint32
}

// funcKey names a function: a map key that costs no allocation per call.
type funcKey struct{ path, fn string }

type funcState struct {
	calls   int
	seen    map[string]bool
	skipped map[string]bool
	capped  bool
	failed  int
}

// recording is the process's log; nil file: not recording.
var recording struct {
	once  sync.Once
	mu    sync.Mutex
	file  *os.File
	funcs map[funcKey]*funcState
}

func logFile() *os.File {
	recording.once.Do(func() {
		name := os.Getenv(RecordEnv)
		if name == "" {
			return
		}
		name = strings.ReplaceAll(name, "%p", strconv.Itoa(os.Getpid()))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o666)
		if err != nil {
			os.Stderr.WriteString("gorewrite: recording: " + err.Error() + "\n")
			return
		}
		recording.file = f
		recording.funcs = map[funcKey]*funcState{}
	})
	return recording.file
}

var (
	contextType = reflect.TypeFor[context.Context]()
	writerType  = reflect.TypeFor[io.Writer]()
)

// A Site is the recorder's state for one function in one build of its
// package: a variable of the package (gorewrite adds "var RECSites
// [N]REC.Site"), so that once the function is done with (its limits
// reached, or nothing recorded in this process) a call costs an atomic
// load, not a lock and a lookup.
type Site struct {
	off atomic.Bool
	fs  *funcState // set under recording.mu
}

// On reports whether calls of the site's function may still be recorded.
func (s *Site) On() bool { return !s.off.Load() }

// In records the receiver and arguments of a call of fn (Recv.Name) of
// the package at path; ptrs point to them. It returns nil when the call
// is not recorded.
func In(site *Site, fn, path string, recv int, outcomes []uint32, ptrs ...any) *Call {
	if site.off.Load() {
		return nil
	}
	if logFile() == nil {
		site.off.Store(true)
		return nil
	}
	recording.mu.Lock()
	fs := site.fs
	if fs == nil {
		key := funcKey{path, fn}
		if fs = recording.funcs[key]; fs == nil {
			fs = &funcState{seen: map[string]bool{}, skipped: map[string]bool{}}
			recording.funcs[key] = fs
		}
		site.fs = fs
	}
	fs.calls++
	full := fs.calls > maxCalls || len(fs.seen) >= maxSampled
	hopeless := fs.failed >= maxFailed && fs.failed > 10*len(fs.seen)
	recording.mu.Unlock()
	if hopeless {
		site.off.Store(true)
		return nil
	}
	c := &Call{rec: &Record{Func: fn, Pkg: path, Args: []string{}}, fs: fs}
	if full {
		c.capped()
		site.off.Store(true)
		return nil
	}
	w := &Writer{Home: path, Qualify: Mark, MarkHome: true, MaxLen: maxLiteral}
	for i, p := range ptrs {
		v := reflect.ValueOf(p).Elem()
		if i == 0 && recv != NoRecv {
			if recv == PointerRecv {
				if v.IsNil() {
					c.skip("a nil receiver")
					return nil
				}
				v = v.Elem()
			}
			s, err := w.Write(v)
			if err != nil {
				// The test will build the receiver itself.
				c.rec.NoRecv, c.rec.RecvWhy = true, err.Error()
				w.Unexported = false
				continue
			}
			c.rec.Recv = s
			continue
		}
		if t := v.Type(); t == contextType || t == writerType {
			c.rec.Args = append(c.rec.Args, Placeholder)
			continue
		}
		s, err := w.Write(v)
		if err != nil {
			n := i + 1
			if recv != NoRecv {
				n = i
			}
			c.skip("argument " + strconv.Itoa(n) + ": " + err.Error())
			return nil
		}
		c.rec.Args = append(c.rec.Args, s)
	}
	c.rec.Unexported = w.Unexported
	if len(outcomes) > 0 {
		c.outcomes, c.before = outcomes, make([]uint32, len(outcomes))
		for i := range outcomes {
			c.before[i] = atomic.LoadUint32(&outcomes[i])
		}
	}
	return c
}

// Out records the results of the call In started; ptrs point to them.
// A call that panicked (or ran runtime.Goexit) is not recorded.
func Out(c *Call, ptrs ...any) {
	if c == nil || unwinding() {
		return
	}
	for i := range c.outcomes {
		if atomic.LoadUint32(&c.outcomes[i]) != c.before[i] {
			c.rec.Branches = append(c.rec.Branches, i)
		}
	}
	w := &Writer{Home: c.rec.Pkg, Qualify: Mark, MarkHome: true, Unexported: c.rec.Unexported, MaxLen: maxLiteral}
	c.rec.Results = []string{}
	for i, p := range ptrs {
		v := reflect.ValueOf(p).Elem()
		if i == len(ptrs)-1 && v.Type() == errorType && !v.IsNil() {
			c.rec.ErrMsg = errorMessage(v.Interface().(error))
		}
		s, err := w.Write(v)
		if err != nil {
			c.skip("result " + strconv.Itoa(i+1) + ": " + err.Error())
			return
		}
		c.rec.Results = append(c.rec.Results, s)
	}
	c.rec.Unexported = w.Unexported
	line, err := json.Marshal(c.rec)
	if err != nil {
		return
	}
	// A call is the same call whatever branches it took (the first time
	// through, a sync.Once's, say): the key leaves them out.
	key := c.rec.Recv + "\x00" + strings.Join(c.rec.Args, "\x00") + "\x00" + strings.Join(c.rec.Results, "\x00")
	recording.mu.Lock()
	if c.fs.seen[key] {
		recording.mu.Unlock()
		return
	}
	if n := len(c.fs.seen); n >= maxDistinct && (n >= maxSampled || !sampled(c.rec)) {
		recording.mu.Unlock()
		c.capped()
		return
	}
	c.fs.seen[key] = true
	recording.file.Write(append(line, '\n'))
	recording.mu.Unlock()
}

// sampled reports whether a call's inputs are in the sample kept past
// maxDistinct: a hash of them, the same in every run.
func sampled(r *Record) bool {
	h := fnv.New32a()
	h.Write([]byte(r.Recv))
	for _, a := range r.Args {
		h.Write([]byte{0})
		h.Write([]byte(a))
	}
	return h.Sum32()%sampleMod == 0
}

// capped writes, once, that the function reached a limit.
func (c *Call) capped() {
	recording.mu.Lock()
	defer recording.mu.Unlock()
	if c.fs.capped {
		return
	}
	c.fs.capped = true
	line, err := json.Marshal(&Record{Func: c.rec.Func, Pkg: c.rec.Pkg, Capped: true})
	if err == nil {
		recording.file.Write(append(line, '\n'))
	}
}

// errorMessage returns err's message; an Error method that panics gives
// none.
func errorMessage(err error) (msg string) {
	defer func() {
		if recover() != nil {
			msg = ""
		}
	}()
	return err.Error()
}

// skip writes why a call of the function was not recorded, once per
// reason.
func (c *Call) skip(reason string) {
	line, err := json.Marshal(&Record{Func: c.rec.Func, Pkg: c.rec.Pkg, Skip: reason})
	if err != nil {
		return
	}
	recording.mu.Lock()
	defer recording.mu.Unlock()
	c.fs.failed++
	if c.fs.skipped[reason] {
		return
	}
	c.fs.skipped[reason] = true
	recording.file.Write(append(line, '\n'))
}

// unwinding reports whether the deferred func that called Out runs because
// of a panic or runtime.Goexit rather than a return: then the runtime
// frames between it and the next function's are gopanic's or Goexit's (on
// a return there are none, or deferreturn).
func unwinding() bool {
	var pcs [16]uintptr
	n := runtime.Callers(4, pcs[:]) // past Callers, unwinding, Out and the deferred func
	frames := runtime.CallersFrames(pcs[:n])
	for {
		fr, more := frames.Next()
		switch {
		case fr.Function == "runtime.gopanic", fr.Function == "runtime.Goexit":
			return true
		case !strings.HasPrefix(fr.Function, "runtime."), !more:
			return false
		}
	}
}
