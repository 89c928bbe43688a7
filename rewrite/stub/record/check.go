package record

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorewrite/gorewrite/rewrite/gocmd"
	"github.com/gorewrite/gorewrite/rewrite/internal/proc"
)

// A CheckConfig is a run of written tests before they are kept: the
// test files' new content goes through an overlay, so nothing is written.
type CheckConfig struct {
	Dir     string
	Env     []string // nil: the process's
	GoFlags []string // build flags (-tags...)
	// Files are the test files' new content, by absolute name.
	Files map[string][]byte
	// Tests are the test functions to run.
	Tests []string
	// Count is how many times each runs (go test -count; default 2), so
	// that a case that depends on what ran before fails.
	Count int
}

// A CheckResult is what failed.
type CheckResult struct {
	// Failed are the failing subtests, as "TestFoo/recorded_3", and
	// tests that failed outside any subtest, as "TestFoo".
	Failed map[string]bool
	// BuildErrs are the lines of the files that did not compile, by file
	// name: the rows written there.
	BuildErrs map[string][]int
	// Panicked are the tests (top-level names) in which a subtest
	// panicked: the test binary stopped there.
	Panicked map[string]bool
	// FailedPkgs are the import paths of the packages whose test binary
	// failed (or did not build).
	FailedPkgs map[string]bool
	// Output is go test's output, for a failure that neither explains.
	Output string
	OK     bool
}

// errLine finds a compiler's or vet's position: "x_test.go:12:3: ...",
// "vet: x_test.go:8:2: ...".
var errLine = regexp.MustCompile(`(?m)^(?:\s*|.*?: )(\S+?\.go):(\d+):(\d+): `)

// quiet reports whether a line of go test's output says only that
// something passed or ran.
func quiet(line string) bool {
	for _, p := range []string{"=== ", "--- PASS", "PASS\n", "ok  \t", "?   \t"} {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return false
}

// Check runs the tests in the packages of cfg.Files' directories.
func Check(ctx context.Context, cfg CheckConfig) (*CheckResult, error) {
	tmp, err := os.MkdirTemp("", "gorewrite-check-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	replace := map[string]string{}
	var dirs []string
	names := make([]string, 0, len(cfg.Files))
	for name := range cfg.Files {
		names = append(names, name)
	}
	slices.Sort(names)
	for i, name := range names {
		f := filepath.Join(tmp, strconv.Itoa(i)+"_"+filepath.Base(name))
		if err := os.WriteFile(f, cfg.Files[name], 0o666); err != nil {
			return nil, err
		}
		replace[name] = f
		dirs = append(dirs, filepath.Dir(name))
	}
	slices.Sort(dirs)
	dirs = slices.Compact(dirs)
	overlay, _ := json.Marshal(map[string]any{"Replace": replace})
	overlayFile := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o666); err != nil {
		return nil, err
	}
	count := cfg.Count
	if count <= 0 {
		count = 2
	}
	tests := slices.Clone(cfg.Tests)
	slices.Sort(tests)
	args := []string{"test", "-json", "-overlay", overlayFile, "-count=" + strconv.Itoa(count),
		"-run", "^(" + strings.Join(slices.Compact(tests), "|") + ")$"}
	args = append(args, gocmd.Flags(cfg.Env, cfg.GoFlags)...)
	args = append(args, dirs...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = cfg.Dir
	cmd.Env = cfg.Env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	// Test binaries go with go test when the run is interrupted.
	proc.OwnGroup(cmd)
	cmd.WaitDelay = 10 * time.Second
	out, runErr := cmd.Output()
	proc.KillGroup(cmd)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	res := &CheckResult{Failed: map[string]bool{}, BuildErrs: map[string][]int{}, FailedPkgs: map[string]bool{}, Panicked: map[string]bool{}}
	// The output kept: what failed tests printed, and what was printed
	// outside any test (build errors), without the passing noise.
	var text strings.Builder
	byTest := map[string]*strings.Builder{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var ev struct {
			Action, Package, Test, Output string
		}
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			text.Write(sc.Bytes())
			text.WriteByte('\n')
			continue
		}
		switch {
		case ev.Test != "" && ev.Output != "":
			if byTest[ev.Test] == nil {
				byTest[ev.Test] = &strings.Builder{}
			}
			byTest[ev.Test].WriteString(ev.Output)
		case ev.Test == "" && ev.Output != "" && !quiet(ev.Output):
			text.WriteString(ev.Output)
		}
		if ev.Action == "fail" && ev.Test == "" {
			res.FailedPkgs[ev.Package] = true
		}
		if ev.Action == "fail" && ev.Test != "" {
			res.Failed[ev.Test] = true
			if b := byTest[ev.Test]; b != nil && strings.Contains(b.String(), "panic: ") {
				top, _, _ := strings.Cut(ev.Test, "/")
				res.Panicked[top] = true
			}
			if b := byTest[ev.Test]; b != nil && !strings.Contains(ev.Test, "/") {
				text.WriteString(b.String())
			}
		}
	}
	text.Write(stderr.Bytes())
	res.Output = text.String()
	for _, m := range errLine.FindAllStringSubmatch(res.Output, -1) {
		name := m[1]
		if !filepath.IsAbs(name) {
			name = filepath.Join(cfg.Dir, name)
		}
		for _, f := range names {
			if f == name || filepath.Base(f) == filepath.Base(name) && strings.HasSuffix(f, filepath.FromSlash(strings.TrimPrefix(m[1], "./"))) {
				line, _ := strconv.Atoi(m[2])
				res.BuildErrs[f] = append(res.BuildErrs[f], line)
			}
		}
	}
	res.OK = runErr == nil
	return res, nil
}

// SubtestName is the name go test gives the subtest t.Run(name) of test.
func SubtestName(test, name string) string {
	return test + "/" + strings.ReplaceAll(name, " ", "_")
}
