//go:build !plan9

package coverrt

import (
	"errors"
	"os"
	"syscall"
)

// alive reports whether process pid exists. Where signal 0 cannot tell,
// the process counts as alive and its lock is broken only when it is old.
func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || !errors.Is(err, os.ErrProcessDone) && !errors.Is(err, syscall.ESRCH)
}
