//go:build !gc || !(amd64 || arm64)

package coverrt

import "unsafe"

// getg cannot read the goroutine record on this platform: the trace takes
// the goroutine id from runtime.Stack (slow, but right).
func getg() unsafe.Pointer { return nil }

// ticks is the runtime's clock in nanoseconds.
func ticks() int64 { return nanotime() }
