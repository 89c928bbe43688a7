package proc

import (
	"os"
	"os/exec"
	"runtime"
	"testing"
	"time"
)

// TestWaited starts more busy processes than there are CPUs and checks
// that the run delay of one of them grows, and that a sleeping process's
// does not.
func TestWaited(t *testing.T) {
	if _, ok := Waited(os.Getpid()); !ok {
		t.Skip("no schedstat here")
	}
	var busy []*exec.Cmd
	defer func() {
		for _, c := range busy {
			c.Process.Kill()
			c.Wait()
		}
	}()
	for range 2*runtime.NumCPU() + 1 {
		c := exec.Command("sh", "-c", "while :; do :; done")
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		busy = append(busy, c)
	}
	sleeper := exec.Command("sleep", "5")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { sleeper.Process.Kill(); sleeper.Wait() }()
	time.Sleep(time.Second)
	waited, ok := Waited(busy[0].Process.Pid)
	if !ok || waited < 200*time.Millisecond {
		t.Errorf("a busy process among %d on %d CPUs waited %v (ok %v) in a second; want at least 200ms", len(busy), runtime.NumCPU(), waited, ok)
	}
	if slept, _ := Waited(sleeper.Process.Pid); slept > 100*time.Millisecond {
		t.Errorf("a sleeping process waited %v for a CPU; want next to nothing", slept)
	}
}
