package cover_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gorewrite/gorewrite/rewrite/cover"
	"github.com/gorewrite/gorewrite/rewrite/internal/stdcopy"
)

var allStd = flag.Bool("allstd", false, "compare profiles on every std package of the parity list, not a slice")

// goTestProfile runs go test -coverprofile and returns the profile's lines,
// sorted, mode line first.
func goTestProfile(t *testing.T, dir string, mode cover.Mode, flags []string, patterns ...string) []string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "go.out")
	args := append([]string{"test", "-count=1", "-covermode=" + string(mode), "-coverprofile=" + out}, flags...)
	cmd := exec.Command("go", append(args, patterns...)...)
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return profileLines(data)
}

// mergeLines adds up the counts of repeated blocks, as go tool cover does.
func mergeLines(lines []string) []string {
	sums := map[string]int{}
	var keys []string
	for _, l := range lines[1:] {
		i := strings.LastIndexByte(l, ' ')
		n, _ := strconv.Atoi(l[i+1:])
		if _, ok := sums[l[:i]]; !ok {
			keys = append(keys, l[:i])
		}
		sums[l[:i]] += n
	}
	out := []string{lines[0]}
	for _, k := range keys {
		out = append(out, fmt.Sprintf("%s %d", k, sums[k]))
	}
	slices.Sort(out[1:])
	return out
}

// ourProfile runs gorewrite's coverage on the same packages.
func ourProfile(t *testing.T, dir string, opts cover.Options, flags []string, patterns ...string) []string {
	t.Helper()
	return ourProfileConfig(t, cover.Config{Dir: dir, Options: opts, Patterns: patterns, GoFlags: flags})
}

func ourProfileConfig(t *testing.T, cfg cover.Config) []string {
	t.Helper()
	ctx := context.Background()
	plan, err := cover.Prepare(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Errs) > 0 {
		t.Fatalf("instrumenting: %v", plan.Errs)
	}
	var output bytes.Buffer
	res, err := cover.Test(ctx, cfg, plan, &output, &output)
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 0 || res.BuildFailed {
		errs, _ := cover.Check(ctx, cfg, plan)
		t.Fatalf("go test with probes: exit %d\n%s\ncheck: %v", res.ExitCode, output.Bytes(), errs)
	}
	var buf bytes.Buffer
	if err := cover.WriteProfile(&buf, plan.Mode, plan.Blocks(), res.Counts); err != nil {
		t.Fatal(err)
	}
	return profileLines(buf.Bytes())
}

func profileLines(data []byte) []string {
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	slices.Sort(lines[1:])
	return lines
}

func comparable(t *testing.T, want, got []string) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("profile differs from go test -coverprofile (-go test +gorewrite):\n%s", diff)
	}
}

func needGo(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
}

// TestParityQuirks compares profiles, counts included, on a module with a
// function for each of cmd/cover's block rules.
func TestParityQuirks(t *testing.T) {
	needGo(t)
	dir, _ := filepath.Abs("testdata/quirks")
	flags := []string{"-tags=quirks_extra"}
	for _, mode := range []cover.Mode{cover.Count, cover.Set, cover.Atomic} {
		t.Run(string(mode), func(t *testing.T) {
			want := notOurs(goTestProfile(t, dir, mode, flags, "./..."))
			got := ourProfile(t, dir, cover.Options{Mode: mode, IncludeGenerated: true}, flags, "./...")
			comparable(t, want, got)
		})
	}
	t.Run("count with branch probes", func(t *testing.T) {
		// Branch probes change nothing in the statement profile.
		want := notOurs(goTestProfile(t, dir, cover.Count, flags, "./..."))
		got := ourProfile(t, dir, cover.Options{Mode: cover.Count, IncludeGenerated: true, Branch: true}, flags, "./...")
		comparable(t, want, got)
	})
	t.Run("coverpkg", func(t *testing.T) {
		// go test -coverpkg writes each package once per test binary;
		// go tool cover adds them up, and so does gorewrite's profile.
		want := notOurs(mergeLines(goTestProfile(t, dir, cover.Count, append([]string{"-coverpkg=./..."}, flags...), "./...")))
		cfg := cover.Config{Dir: dir, Options: cover.Options{Mode: cover.Count, IncludeGenerated: true},
			Patterns: []string{"./..."}, CoverPkg: []string{"./..."}, GoFlags: flags}
		comparable(t, want, ourProfileConfig(t, cfg))
	})
	t.Run("generated", func(t *testing.T) {
		got := ourProfile(t, dir, cover.Options{Mode: cover.Set}, nil, "./q")
		for _, l := range got {
			if strings.HasPrefix(l, "quirks/q/gen.go:") {
				t.Errorf("generated file instrumented: %s", l)
			}
		}
	})
}

// notOurs drops from go test's profile of testdata/quirks what gorewrite
// leaves out on purpose: the function marked //gorewrite:ignore, a file
// the package embeds (probes would change what it embeds), and the module
// nested in it, which go test -coverpkg=./... matches and go list ./...
// does not.
func notOurs(lines []string) []string {
	return slices.DeleteFunc(lines, func(l string) bool {
		return strings.HasPrefix(l, "quirks/q/ignored.go:") || strings.HasPrefix(l, "quirks/emb/self.go:") ||
			strings.HasPrefix(l, "quirks/runnerlib/")
	})
}

// TestParityCgo compares profiles on a cgo package: probes go into the
// original file and positions are the original's.
func TestParityCgo(t *testing.T) {
	needGo(t)
	if out, err := exec.Command("go", "env", "CGO_ENABLED").Output(); err != nil || strings.TrimSpace(string(out)) != "1" {
		t.Skip("cgo not enabled")
	}
	dir, _ := filepath.Abs("testdata/cgomod")
	comparable(t, goTestProfile(t, dir, cover.Count, nil, "./..."), ourProfile(t, dir, cover.Options{Mode: cover.Count}, nil, "./..."))
}

// stdParity are packages of the standard library that build and test
// outside GOROOT, copied into a module. Their tests are deterministic in
// set mode; those also deterministic in count mode are marked (the others
// range over maps, run goroutines against each other or use random input).
var stdParity = []struct {
	path  string
	count bool
}{
	{"encoding/csv", true}, {"text/template/parse", true}, {"text/scanner", true},
	{"regexp/syntax", true}, {"go/constant", true}, {"container/list", true},
	{"encoding/hex", true}, {"encoding/base32", true}, {"encoding/ascii85", true},
	{"encoding/pem", false}, {"container/ring", true}, {"container/heap", false},
	{"go/build/constraint", true}, {"go/format", true}, {"go/ast", true},
	{"html", true}, {"mime/quotedprintable", true}, {"image", true},
	{"image/color", true}, {"math/cmplx", true}, {"maps", false}, {"net/mail", true},
	{"net/textproto", false}, {"testing/iotest", true}, {"testing/quick", false},
	{"cmp", true}, {"text/tabwriter", true}, {"unicode/utf8", true},
}

// stdShort is the slice of stdParity that go test -short compares: the
// packages with the most varied control flow.
var stdShort = []string{"encoding/csv", "text/template/parse", "text/scanner", "go/constant"}

// TestParityStd compares profiles on copies of standard library packages.
func TestParityStd(t *testing.T) {
	needGo(t)
	var paths, set, count []string
	for _, p := range stdParity {
		if (testing.Short() || !*allStd) && !slices.Contains(stdShort, p.path) {
			continue
		}
		paths = append(paths, p.path)
		set = append(set, "./"+p.path)
		if p.count {
			count = append(count, "./"+p.path)
		}
	}
	mod, _ := stdcopy.Module(t, paths...)
	// Generated files (stringer output) are instrumented by go test.
	opts := cover.Options{IncludeGenerated: true}
	for _, tc := range []struct {
		mode     cover.Mode
		branch   bool
		patterns []string
	}{{cover.Set, false, set}, {cover.Count, false, count}, {cover.Count, true, count}} {
		name := string(tc.mode)
		if tc.branch {
			name += "+branch"
		}
		t.Run(name, func(t *testing.T) {
			opts.Mode, opts.Branch = tc.mode, tc.branch
			comparable(t, goTestProfile(t, mod, tc.mode, nil, tc.patterns...), ourProfile(t, mod, opts, nil, tc.patterns...))
		})
	}
}

// TestParityOwn compares profiles on packages of this module.
func TestParityOwn(t *testing.T) {
	needGo(t)
	root, _ := filepath.Abs("../..")
	// Not rewrite/cover/coverrt: it reads GOREWRITE_COVERPROFILE, which
	// gorewrite's test run sets.
	pkgs := []string{"./rewrite/builtin", "./rewrite/internal/golden"}
	if !testing.Short() {
		pkgs = append(pkgs, "./rewrite/swap", "./rewrite/pattern")
	}
	comparable(t, goTestProfile(t, root, cover.Set, nil, pkgs...), ourProfile(t, root, cover.Options{Mode: cover.Set}, nil, pkgs...))
}

// TestRunMarker: the runtime looks for the marker Test writes.
func TestRunMarker(t *testing.T) {
	src, err := os.ReadFile("coverrt/coverrt.go")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), "const RunMarker = "+strconv.Quote(cover.RunMarkerForTest)) {
		t.Errorf("coverrt.RunMarker is not %q", cover.RunMarkerForTest)
	}
}
