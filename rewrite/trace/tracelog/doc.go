// Package tracelog reads the binary event log written by the runtime that
// `gorewrite trace` links into a traced program, and turns it into a
// summary table, a pprof profile and a Chrome Trace Event timeline.
//
// # The log
//
// `gorewrite trace` injects `defer RT.Leave(RT.Enter(fid))` into the selected
// functions. The runtime records each completed call as a span (function,
// goroutine, the goroutine that created it, start and end in clock ticks) in
// per-CPU buffers and writes them out as records of a small binary format
// (version 2, integers little-endian):
//
//	file    = segment { segment }              one segment per process
//	segment = "GRTRACE2" { record }            until EOF or the next magic
//	record  = kind:byte  len:uvarint  payload:[len]byte
//	string  = len:uvarint  bytes
//
// Record kinds:
//
//	'P' process    pid:uvarint program:string wall-start-unix-ns:varint
//	'F' function   fid:uvarint name:string file:string line:uvarint
//	'C' clock      ticks:varint ns:varint
//	'E' events     stream:uvarint, then 16-byte slots: word:i64 dur:u32 fid:u32
//	'T' test       goid:uvarint parent:uvarint start:varint end:varint flags:uvarint name:string
//	'D' dropped    count:uvarint
//	'Z' end        "GRTREND!": a test binary's tests have run; the log is whole
//
// An 'E' record's slots continue the stream of the records before it with
// the same stream number (a CPU's buffer between two emptyings). A slot is
// a call (word = start, dur = duration, fid = function id, bit 31 set when
// the call panicked) on the goroutine of the stream's last marker. A
// marker is two slots with fid 0xFFFFFFFF: the goroutine id, then its
// parent's. A call with dur 0xFFFFFFFF (2^32 ticks or more) is followed by a
// slot whose word is its end.
//
// Unknown kinds are skipped so that a newer runtime can add records an
// older reader still copes with. Event times are in ticks of a cheap clock;
// they are converted to nanoseconds by a straight line through the first
// and the last 'C' record of the segment, so the conversion is monotonic
// and spans keep their order.
//
// # What Read guarantees
//
// Records reach the file in no particular order and the tick clock jitters,
// so [Read] normalises what it returns: each process's calls are sorted by
// goroutine, then start, then end descending (a caller before its callees),
// and a call that starts inside another on the same goroutine but ends after
// it is clamped to end with it. Calls on one goroutine therefore nest
// exactly, which is what a timeline viewer needs (Perfetto rejects slices
// that overlap partially) and what makes self time well defined. Calls
// naming an unknown function or ending before they start are dropped and
// counted in [Process.Invalid]; calls the runtime could not record are
// counted in [Process.Dropped]. Each call is attributed to the innermost
// test running when it started, on its goroutine or on the goroutines that
// (transitively) created it.
//
// A truncated or corrupt log is reported as a [*FormatError] naming the
// byte offset; Read never panics on bad input.
//
// # Outputs
//
//   - [Log.Stats], [WriteSummary] and [WriteJSON]: per-function calls,
//     inclusive and self time.
//   - [WritePprof]: a profile for `go tool pprof`, one sample per distinct
//     stack of instrumented functions, rooted at the running test.
//   - [WriteTimeline]: Chrome Trace Event JSON for Perfetto or
//     chrome://tracing, one track per goroutine, with flow arrows from a
//     goroutine to the goroutines it started.
package tracelog
