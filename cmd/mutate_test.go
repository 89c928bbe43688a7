package cmd_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMutateInterrupted sends SIGINT to a gorewrite mutate process while it
// builds and tests mutants, with either strategy: it exits with 130, leaves
// the module as it was and removes its temporary directory, and writes the
// reports asked for, with the mutants it did not test Pending.
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
	out := t.TempDir()
	jsonOut, htmlOut := filepath.Join(out, "r.json"), filepath.Join(out, "r.html")
	c := exec.Command(gorewrite, "mutate", "--strategy", strategy, "--workers", "1", "--threshold", "90", "--json", jsonOut, "--html-plain", htmlOut, "./...")
	c.Dir = dir
	c.Env = append(os.Environ(), "TMPDIR="+tmp)
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
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
	// A second Ctrl-C, impatient, while it stops and writes the reports:
	// the same end (not a death by the signal, half a report written).
	time.Sleep(100 * time.Millisecond)
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
	// F has mutants on three lines; a second of test each, the run
	// is stopped before it tests them all.
	if !regexp.MustCompile(`(?m)^gorewrite: interrupted: \d+ of \d+ mutants decided, [1-9]\d* left Pending in the reports$`).MatchString(stderr.String()) {
		t.Errorf("stderr does not count the Pending mutants:\n%s", stderr.String())
	}
	if regexp.MustCompile(`(?m)^gorewrite: interrupted$`).MatchString(stderr.String()) {
		t.Errorf("stderr says it was interrupted twice:\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "--threshold 90.0% not checked") || strings.Contains(stderr.String(), "below the threshold") {
		t.Errorf("stderr should say --threshold was not checked:\n%s", stderr.String())
	}
	if !regexp.MustCompile(`(?m)^[1-9]\d* pending \(not tested: interrupted\)$`).MatchString(stdout.String()) {
		t.Errorf("the summary does not count the Pending mutants:\n%s", stdout.String())
	}
	data, err := os.ReadFile(jsonOut)
	if err != nil {
		t.Fatalf("no JSON report: %v", err)
	}
	var report struct {
		Files map[string]struct{ Mutants []struct{ Status string } }
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatalf("the JSON report: %v", err)
	}
	statuses := map[string]int{}
	for _, f := range report.Files {
		for _, m := range f.Mutants {
			statuses[m.Status]++
		}
	}
	if statuses["Pending"] == 0 {
		t.Errorf("the JSON report has no Pending mutant: %v", statuses)
	}
	if html, err := os.ReadFile(htmlOut); err != nil || !strings.Contains(string(html), "<th>pending</th>") {
		t.Errorf("the HTML report has no pending column (%v)", err)
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
