// Package c uses cgo: probes go into the original file, before cgo runs.
package c

/*
static int add(int a, int b) { return a + b; }
*/
import "C"

import "os"

// F calls C on lines that have more code after the call.
func F(n int) int {
	x := C.add(1, 2); if x > 0 { y := int(x) + int(C.int(3)); return y + n }
	z := int(C.add(C.int(n), 5)); if z > 100 { return z } else { return -z }
}

// G exits in a cgo file.
func G(b bool) int {
	if b {
		os.Exit(int(C.add(7, 8)))
	}
	return 0
}
