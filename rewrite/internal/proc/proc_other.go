//go:build !unix

package proc

import (
	"os"
	"os/exec"
)

// OwnGroup makes cancelling cmd's context interrupt it.
func OwnGroup(cmd *exec.Cmd) {
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
}

// KillGroup kills cmd.
func KillGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		cmd.Process.Kill()
	}
}
