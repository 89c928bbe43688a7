package cmd_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorewrite/gorewrite/cmd"
	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/mod/modfile"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"gorewrite": func() { os.Exit(cmd.Execute()) },
	})
}

// TestScripts runs the CLI scripts in testdata/script: every command, flag
// and exit code, against real files and the real go command.
func TestScripts(t *testing.T) {
	goEnv := func(name string) string {
		out, err := exec.Command("go", "env", name).Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(out))
	}
	gocache, gomodcache, goroot := goEnv("GOCACHE"), goEnv("GOMODCACHE"), goEnv("GOROOT")
	// A module in the module cache, for scripts that require one: the
	// version of golang.org/x/mod gorewrite requires.
	xmod := ""
	if data, err := os.ReadFile(filepath.Join("..", "go.mod")); err == nil {
		if mf, err := modfile.Parse("go.mod", data, nil); err == nil {
			for _, r := range mf.Require {
				if r.Mod.Path == "golang.org/x/mod" {
					xmod = r.Mod.String()
				}
			}
		}
	}
	if xmod == "" {
		t.Fatal("go.mod does not require golang.org/x/mod")
	}
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("..", "testdata", "script"),
		Setup: func(env *testscript.Env) error {
			// The go command needs its caches; nothing is downloaded.
			env.Setenv("GOCACHE", gocache)
			env.Setenv("GOMODCACHE", gomodcache)
			env.Setenv("GOPROXY", "off")
			env.Setenv("GOFLAGS", "")
			env.Setenv("GOTOOLCHAIN", "local")
			env.Setenv("XMOD", xmod)
			env.Setenv("GOROOT_SRC", filepath.Join(goroot, "src"))
			dtd, err := filepath.Abs(filepath.Join("..", "testdata", "cobertura", "coverage.dtd"))
			if err != nil {
				return err
			}
			env.Setenv("COBERTURA_DTD", dtd)
			env.Setenv("PATH", filepath.Join(goroot, "bin")+string(os.PathListSeparator)+env.Getenv("PATH"))
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits": exits,
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "root":
				return os.Geteuid() == 0, nil
			case "tools":
				// genhtml and xmllint, which .ci/run installs: there
				// (GOREWRITE_REQUIRE_TOOLS=1) a script must not skip
				// for want of them.
				_, err1 := exec.LookPath("genhtml")
				_, err2 := exec.LookPath("xmllint")
				if err1 != nil || err2 != nil {
					if os.Getenv("GOREWRITE_REQUIRE_TOOLS") == "1" {
						return false, fmt.Errorf("genhtml or xmllint is not installed")
					}
					return false, nil
				}
				return true, nil
			}
			return false, nil
		},
	})
}

// exits runs a program and checks its exit code: exits CODE PROG [ARGS...].
// Its output is kept for the stdout and stderr commands that follow.
func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE PROG [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}

// TestInterrupted interrupts a run in the middle, when the first file is
// about to be written: the run stops with exit code 130, no file is
// changed and no temporary file is left.
func TestInterrupted(t *testing.T) {
	dir := t.TempDir()
	src := "package p\n\nfunc f(a, b int) int { return a + b }\n"
	for i := range 50 {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%02d.go", i)), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// -l prints a file's name just before writing it: interrupt then.
	stdout := &cancelOnWrite{cancel: cancel}
	var stderr strings.Builder
	code := cmd.Main(ctx, []string{"rewrite", "-e", "a + b -> a * b", "-l", "-w", "."}, strings.NewReader(""), stdout, &stderr, dir)
	if code != cmd.ExitInterrupted {
		t.Errorf("exit code %d, want %d; stderr:\n%s", code, cmd.ExitInterrupted, stderr.String())
	}
	if stdout.n == 0 {
		t.Fatal("the run printed nothing: the test did not interrupt it")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 50 {
		t.Errorf("%d entries in the directory, want the 50 files", len(entries))
	}
	for _, e := range entries {
		if got, _ := os.ReadFile(filepath.Join(dir, e.Name())); string(got) != src {
			t.Errorf("%s changed by an interrupted run:\n%s", e.Name(), got)
		}
	}
}

type cancelOnWrite struct {
	cancel func()
	n      int
}

func (w *cancelOnWrite) Write(p []byte) (int, error) {
	w.n++
	w.cancel()
	return len(p), nil
}

// TestCoverInterrupted interrupts gorewrite cover while the tests run: it
// exits with 130, the sources are unchanged and its temporary directory is
// gone.
func TestCoverInterrupted(t *testing.T) {
	// -v prints "=== RUN" on stdout as the test starts: interrupt then.
	interruptTests(t, []string{"cover", "./...", "--", "-v"}, false)
}

// TestTraceInterrupted is TestCoverInterrupted for gorewrite trace, which
// prints go test's output on stderr.
func TestTraceInterrupted(t *testing.T) {
	interruptTests(t, []string{"trace", "./...", "--", "-v"}, true)
}

// interruptTests runs args on a module whose test sleeps, interrupts the
// run when it first writes to stdout (stderr with onStderr), and checks
// that it exits with 130 soon, leaving the module as it was and nothing in
// TMPDIR.
func interruptTests(t *testing.T, args []string, onStderr bool) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	files := map[string]string{
		"go.mod":       "module example.com/slow\n\ngo 1.22\n",
		"slow.go":      "package slow\n\nfunc F() int { return 1 }\n",
		"slow_test.go": "package slow\n\nimport (\n\t\"testing\"\n\t\"time\"\n)\n\nfunc TestSlow(t *testing.T) {\n\tF()\n\ttime.Sleep(time.Minute)\n}\n",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr io.Writer = &cancelOnWrite{cancel: cancel}, &strings.Builder{}
	if onStderr {
		stdout, stderr = stderr, stdout
	}
	start := time.Now()
	code := cmd.Main(ctx, args, strings.NewReader(""), stdout, stderr, dir)
	if code != cmd.ExitInterrupted {
		t.Errorf("exit code %d, want %d", code, cmd.ExitInterrupted)
	}
	if time.Since(start) > 40*time.Second {
		t.Errorf("interrupt took %v", time.Since(start))
	}
	for name, src := range files {
		if got, _ := os.ReadFile(filepath.Join(dir, name)); string(got) != src {
			t.Errorf("%s changed", name)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(files) {
		t.Errorf("files added to the module: %v", entries)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("left in TMPDIR: %v", left)
	}
}
