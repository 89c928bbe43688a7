package coverrt

import _ "unsafe" // for go:linkname

// The runtime functions below are ones the Go runtime lets other packages
// link to (it marks them so, as widely used).

//go:linkname nanotime runtime.nanotime
func nanotime() int64

// procPin keeps the goroutine on its P (no preemption) and returns the P's
// number: the trace's buffers are per P, written without a lock.
//
//go:linkname procPin runtime.procPin
func procPin() int

//go:linkname procUnpin runtime.procUnpin
func procUnpin()
