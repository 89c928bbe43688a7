package coverrt

import (
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The cost of one call of a trivial function, side by side: without hooks,
// with gorewrite trace's hooks and tracing off, with tracing on (recording
// into a log in a temporary directory), and with a hand-written tracer of
// the common defer trace()() kind that reads the goroutine id from
// runtime.Stack and appends to a slice under a mutex. testdata/bench/tracecmp
// runs these and prints the ratios.

//go:noinline
func benchPlain(x int) int { return x + 1 }

//go:noinline
func benchHooked(x int) int {
	defer Leave(Enter(1))
	return x + 1
}

//go:noinline
func benchStack(x int) int {
	defer stackTrace(1)()
	return x + 1
}

// The baseline tracer.
type stackEvent struct {
	fid   uint32
	enter bool
	goid  uint64
	at    time.Time
}

var (
	stackMu     sync.Mutex
	stackEvents []stackEvent
)

func stackTrace(fid uint32) func() {
	stackRecord(fid, true)
	return func() { stackRecord(fid, false) }
}

func stackRecord(fid uint32, enter bool) {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)] // "goroutine N [running]:..."
	var goid uint64
	for _, c := range b[len("goroutine "):] {
		if c < '0' || c > '9' {
			break
		}
		goid = goid*10 + uint64(c-'0')
	}
	now := time.Now()
	stackMu.Lock()
	stackEvents = append(stackEvents, stackEvent{fid: fid, enter: enter, goid: goid, at: now})
	stackMu.Unlock()
}

// benchTrace switches tracing on into a log in a temporary directory, with
// no cap on the calls recorded (so that every call of the benchmark is
// written, not counted as dropped), and off again, the log closed, when the
// benchmark run ends.
func benchTrace(b *testing.B) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "trace.log")
	stopTrace()
	initTrace(func(k string) string {
		if k == TraceEnv {
			return path
		}
		return ""
	})
	traceMu.Lock()
	traceMax = 1 << 62
	traceMu.Unlock()
	TraceFuncs([]string{"coverrt.benchHooked"}, []string{"bench_test.go"}, []uint32{1, 0, 23})
	b.Cleanup(func() {
		Flush() // what the per-P buffers still hold (not timed)
		stopTrace()
	})
}

// stopTrace switches tracing off and forgets the log (closing it).
func stopTrace() {
	atomic.StoreUint32(&traceOn, 0)
	traceMu.Lock()
	defer traceMu.Unlock()
	if traceFile != nil {
		traceFile.Close()
	}
	for i := range shards {
		shards[i].c = nil
	}
	for i := range locked {
		locked[i].c = nil
	}
	tracePath, traceFile, traceErr, funcs, funcsOut = "", nil, nil, nil, 0
	traceRecorded, traceDropped = 0, 0
}

var benchSink int

func BenchmarkCall(b *testing.B) {
	b.Run("plain", func(b *testing.B) {
		x := 0
		for range b.N {
			x = benchPlain(x)
		}
		benchSink = x
	})
	b.Run("off", func(b *testing.B) {
		if atomic.LoadUint32(&traceOn) != 0 {
			b.Fatal("tracing is on")
		}
		x := 0
		for range b.N {
			x = benchHooked(x)
		}
		benchSink = x
	})
	b.Run("on", func(b *testing.B) {
		benchTrace(b)
		x := 0
		b.ResetTimer()
		for range b.N {
			x = benchHooked(x)
		}
		benchSink = x
	})
	b.Run("stack", func(b *testing.B) {
		b.Cleanup(func() { stackEvents = nil })
		x := 0
		for range b.N {
			x = benchStack(x)
		}
		benchSink = x
	})
	b.Run("on-parallel", func(b *testing.B) {
		benchTrace(b)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			x := 0
			for pb.Next() {
				x = benchHooked(x)
			}
			if x < 0 {
				benchSink = x
			}
		})
	})
	if atomic.LoadUint32(&traceOn) != 0 || traceFile != nil {
		b.Error("tracing left on")
	}
}

// BenchmarkTraced is a call that does nothing else, with tracing off and on.
func BenchmarkTraced(b *testing.B) {
	b.Run("off", func(b *testing.B) {
		for range b.N {
			tracedEmpty(1)
		}
	})
	b.Run("on", func(b *testing.B) {
		benchTrace(b)
		b.ResetTimer()
		for range b.N {
			tracedEmpty(1)
		}
	})
}

//go:noinline
func tracedEmpty(fid uint32) {
	defer Leave(Enter(fid))
}
