package cmd_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMutateInterrupted sends SIGINT to a gorewrite mutate process while it
// builds and tests mutants, with either strategy: it exits with 130, leaves
// the module as it was and removes its temporary directory.
func TestMutateInterrupted(t *testing.T) {
	// With overlay, a worker's overlay means mutants are being built; with
	// schemata, the package's binary is built and its one test (a second
	// long) runs, then the mutants.
	t.Run("overlay", func(t *testing.T) {
		testMutateInterrupted(t, "overlay", filepath.Join("w0", "overlay.json"), 300*time.Millisecond)
	})
	t.Run("schemata", func(t *testing.T) {
		testMutateInterrupted(t, "schemata", filepath.Join("cover", "bin", "0.test"), 1500*time.Millisecond)
	})
}

func testMutateInterrupted(t *testing.T, strategy, started string, wait time.Duration) {
	gorewrite, err := exec.LookPath("gorewrite") // installed by testscript.Main
	if err != nil {
		t.Skip("no gorewrite command:", err)
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	tmp := t.TempDir()
	files := map[string]string{
		"go.mod":       "module example.com/slow\n\ngo 1.22\n",
		"slow.go":      "package slow\n\nfunc F(a, b int) int {\n\tif a > b {\n\t\treturn a - b\n\t}\n\treturn a + b\n}\n",
		"slow_test.go": "package slow\n\nimport (\n\t\"testing\"\n\t\"time\"\n)\n\nfunc TestSlow(t *testing.T) {\n\ttime.Sleep(time.Second)\n\tif F(1, 2) != 3 || F(3, 1) != 2 {\n\t\tt.Fail()\n\t}\n}\n",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := exec.Command(gorewrite, "mutate", "--strategy", strategy, "--workers", "1", "./...")
	c.Dir = dir
	c.Env = append(os.Environ(), "TMPDIR="+tmp)
	var stderr bytes.Buffer
	c.Stderr = &stderr
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		found, _ := filepath.Glob(filepath.Join(tmp, "gorewrite-mutate-*", started))
		if len(found) > 0 {
			break
		}
		if time.Now().After(deadline) {
			c.Process.Kill()
			c.Wait()
			t.Fatalf("no mutant started within 2 minutes; stderr:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(wait)
	start := time.Now()
	c.Process.Signal(syscall.SIGINT)
	err = c.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Errorf("exit: %v, want status 130; stderr:\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "gorewrite: interrupted") {
		t.Errorf("stderr does not say the run was interrupted:\n%s", stderr.String())
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("stopping took %v", d)
	}
	for name, src := range files {
		if got, _ := os.ReadFile(filepath.Join(dir, name)); string(got) != src {
			t.Errorf("%s changed", name)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != len(files) {
		t.Errorf("files added to the module: %v", entries)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "gorewrite-*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}
