//go:build gc && (amd64 || arm64)

package coverrt

import "unsafe"

// getg returns the calling goroutine's g: the runtime's goroutine record,
// which the trace reads its goroutine id from (g_*.s).
func getg() unsafe.Pointer

// ticks reads the CPU's counter: about twice as fast as the runtime's
// clock, and turned into nanoseconds from the clock readings the trace
// log carries (g_*.s).
func ticks() int64
