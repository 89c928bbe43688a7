package cmd_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gorewrite/gorewrite/cmd"
	"github.com/rogpeppe/go-internal/testscript"
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
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("..", "testdata", "script"),
		Setup: func(env *testscript.Env) error {
			// The go command needs its caches; nothing is downloaded.
			env.Setenv("GOCACHE", gocache)
			env.Setenv("GOMODCACHE", gomodcache)
			env.Setenv("GOPROXY", "off")
			env.Setenv("GOFLAGS", "")
			env.Setenv("GOTOOLCHAIN", "local")
			env.Setenv("GOROOT_SRC", filepath.Join(goroot, "src"))
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

// TestInterrupted checks that a cancelled run exits 130 and writes nothing.
func TestInterrupted(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "x.go")
	src := "package p\n\nfunc f(a, b int) int { return a + b }\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr strings.Builder
	code := cmd.Main(ctx, []string{"rewrite", "-e", "a + b -> a * b", "-w", "."}, strings.NewReader(""), &stdout, &stderr, dir)
	if code != cmd.ExitInterrupted {
		t.Errorf("exit code %d, want %d; stderr:\n%s", code, cmd.ExitInterrupted, stderr.String())
	}
	got, _ := os.ReadFile(file)
	if string(got) != src {
		t.Errorf("file changed by an interrupted run:\n%s", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left behind: %v", entries)
	}
}
