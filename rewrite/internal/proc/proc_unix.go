//go:build unix

package proc

import (
	"os/exec"
	"syscall"
)

// OwnGroup runs cmd in a process group of its own. Cancelling cmd's
// context sends SIGINT to the whole group, so go test passes it on to its
// test binaries and they can clean up; set cmd.WaitDelay to bound that.
func OwnGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGINT) }
}

// KillGroup kills what is left of cmd's process group.
func KillGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
