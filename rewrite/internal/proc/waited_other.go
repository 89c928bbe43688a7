//go:build !linux

package proc

import "time"

// Waited would return how long the threads of the running process pid have
// spent ready to run but waiting for a CPU; only Linux says, so ok is
// false.
func Waited(pid int) (d time.Duration, ok bool) {
	return 0, false
}
