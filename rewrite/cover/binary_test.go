package cover_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorewrite/gorewrite/rewrite/cover"
)

// TestBinary builds a program with the overlay and checks that it writes
// its profile however it ends: main returning, os.Exit (in main and in an
// instrumented library), a panic, SIGTERM with and without a handler of
// its own; and that runs add up in one profile.
func TestBinary(t *testing.T) {
	needGo(t)
	if runtime.GOOS == "windows" {
		t.Skip("signals")
	}
	dir, _ := filepath.Abs("testdata/quirks")
	cfg := cover.Config{Dir: dir, Options: cover.Options{Mode: cover.Count}, Patterns: []string{"./..."}}
	plan, err := cover.Prepare(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	overlay, err := plan.WriteOverlay(filepath.Join(tmp, "overlay"))
	if err != nil {
		t.Fatal(err)
	}
	app := filepath.Join(tmp, "app")
	build := exec.Command("go", "build", "-overlay", overlay, "-o", app, "./app")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	// count returns the count of the block of main.go starting at line.
	count := func(t *testing.T, profile string, line int) uint64 {
		t.Helper()
		mode, counts, err := cover.ReadCounts(profile, "mode: ")
		if err != nil {
			t.Fatal(err)
		}
		if mode != cover.Count {
			t.Fatalf("profile mode %q", mode)
		}
		for _, b := range plan.Blocks() {
			if b.File == "quirks/app/main.go" && b.StartLine == line {
				return countOf(counts, b)
			}
		}
		t.Fatalf("no block at main.go:%d", line)
		return 0
	}
	// complete checks that the profile lists every block of the program's
	// packages, run or not.
	complete := func(t *testing.T, profile string) {
		t.Helper()
		_, counts, err := cover.ReadCounts(profile, "mode: ")
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range plan.Blocks() {
			linked := strings.HasPrefix(b.File, "quirks/app/") || strings.HasPrefix(b.File, "quirks/q/")
			if _, ok := counts[keyOf(b)]; !ok && linked {
				t.Errorf("profile lacks %s", keyOf(b))
			}
		}
	}
	run := func(t *testing.T, profile string, args ...string) (*exec.Cmd, *bufio.Reader) {
		cmd := exec.Command(app, args...)
		cmd.Env = append(os.Environ(), "GOREWRITE_COVERPROFILE="+profile)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd, bufio.NewReader(stdout)
	}
	exitCode := func(err error) int {
		var ee *exec.ExitError
		if err == nil {
			return 0
		}
		if errors.As(err, &ee) {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				return -int(ws.Signal())
			}
			return ee.ExitCode()
		}
		return 1000
	}

	// lineOf is the line of main.go that starts with text (after tabs).
	mainSrc, err := os.ReadFile(filepath.Join(dir, "app", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	lineOf := func(text string) int {
		for i, l := range strings.Split(string(mainSrc), "\n") {
			if strings.TrimLeft(l, "\t") == text {
				return i + 1
			}
		}
		t.Fatalf("main.go has no line %q", text)
		return 0
	}
	mainLine := lineOf("func main() {")

	for _, tc := range []struct {
		arg      string
		code     int
		sigterms int // sent after each "ready" line
	}{
		{"return", 0, 0},
		{"exit", 3, 0},
		{"qexit", 4, 0},
		{"panic", 2, 0},
		{"fatal", 1, 0},
		{"wait", -int(syscall.SIGTERM), 1},
		{"graceful", 0, 1},
		{"notifyctx", -int(syscall.SIGTERM), 2},
	} {
		t.Run(tc.arg, func(t *testing.T) {
			profile := filepath.Join(t.TempDir(), "cover.out")
			cmd, stdout := run(t, profile, tc.arg)
			for range tc.sigterms {
				for {
					line, err := stdout.ReadString('\n')
					if err != nil {
						t.Fatalf("no ready line: %v", err)
					}
					if line == "ready\n" {
						break
					}
				}
				cmd.Process.Signal(syscall.SIGTERM)
			}
			done := make(chan error, 1)
			go func() {
				for {
					if _, err := stdout.ReadString('\n'); err != nil {
						break
					}
				}
				done <- cmd.Wait()
			}()
			select {
			case err := <-done:
				if got := exitCode(err); got != tc.code {
					t.Errorf("exit code %d, want %d", got, tc.code)
				}
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Fatal("program did not end")
			}
			if tc.arg != "return" {
				caseLine := lineOf(fmt.Sprintf("case %q:", tc.arg))
				if got := count(t, profile, caseLine); got != 1 {
					t.Errorf("block at main.go:%d counted %d, want 1", caseLine, got)
				}
			}
			if got := count(t, profile, mainLine); got != 1 {
				t.Errorf("main's first block counted %d, want 1", got)
			}
			complete(t, profile)
		})
	}

	t.Run("runs add up", func(t *testing.T) {
		profile := filepath.Join(t.TempDir(), "cover.out")
		for i := 0; i < 3; i++ {
			cmd, stdout := run(t, profile, "return")
			for {
				if _, err := stdout.ReadString('\n'); err != nil {
					break
				}
			}
			if err := cmd.Wait(); err != nil {
				t.Fatal(err)
			}
		}
		if got := count(t, profile, mainLine); got != 3 {
			t.Errorf("main's first block counted %d after three runs, want 3", got)
		}
		if _, err := os.Stat(profile + ".lock"); !os.IsNotExist(err) {
			t.Errorf("lock file left behind: %v", err)
		}
	})

	t.Run("no variable, no profile", func(t *testing.T) {
		cmd := exec.Command(app, "exit")
		cmd.Dir = t.TempDir()
		cmd.Env = os.Environ()
		if err := cmd.Run(); exitCode(err) != 3 {
			t.Fatalf("exit code %d, want 3", exitCode(err))
		}
		if entries, _ := os.ReadDir(cmd.Dir); len(entries) > 0 {
			t.Errorf("files written without GOREWRITE_COVERPROFILE: %v", entries)
		}
	})
}

func keyOf(b cover.Block) string { return cover.KeyOfForTest(b) }

func countOf(counts cover.Counts, b cover.Block) uint64 { return counts[keyOf(b)] }
