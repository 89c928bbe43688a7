//go:build !unix

package cover

import (
	"os"
	"os/exec"
)

func ownGroup(cmd *exec.Cmd) {
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
}

func killGroup(cmd *exec.Cmd) {}
