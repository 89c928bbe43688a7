package tracelog

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/pprof/profile"
)

// pprofLog has a test with a subtest on another goroutine, nesting and a
// second process whose identical stack must merge with the first's.
func pprofLog(t *testing.T) *Log {
	e := (&encoder{}).magic().proc(1, "p.test", 0).
		fn(1, "example.com/m/p.A", "/m/p/a.go", 3).
		fn(2, "example.com/m/p.Hot", "/m/p/a.go", 9).
		test(10, 1, 0, 10_000, false, "TestA").
		test(11, 10, 100, 9_000, false, "TestA/sub").
		events(
			ev{fid: 1, goid: 11, par: 10, start: 200, end: 5_200},
			ev{fid: 2, goid: 11, par: 10, start: 300, end: 4_300},
			ev{fid: 2, goid: 99, start: 0, end: 100}, // no test
		).
		magic().proc(2, "p.test", 0).
		fn(5, "example.com/m/p.Hot", "/m/p/a.go", 9).
		events(ev{fid: 5, goid: 99, start: 0, end: 50})
	return mustRead(t, e.buf)
}

func TestWritePprof(t *testing.T) {
	var buf bytes.Buffer
	if err := WritePprof(&buf, pprofLog(t)); err != nil {
		t.Fatal(err)
	}
	p, err := profile.Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if p.DefaultSampleType != "wall" || len(p.SampleType) != 2 || p.SampleType[0].Type != "calls" || p.SampleType[1].Unit != "nanoseconds" {
		t.Errorf("sample types %v, default %q", p.SampleType, p.DefaultSampleType)
	}
	got := map[string][]int64{}
	for _, s := range p.Sample {
		var names []string
		for _, loc := range s.Location {
			names = append(names, loc.Line[0].Function.Name)
		}
		got[strings.Join(names, " < ")] = s.Value
	}
	want := map[string][]int64{
		"example.com/m/p.Hot < example.com/m/p.A < TestA/sub": {1, 4000},
		"example.com/m/p.A < TestA/sub":                       {1, 1000},
		"example.com/m/p.Hot":                                 {2, 150},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("samples (-want +got):\n%s", diff)
	}
	for _, f := range p.Function {
		if f.Name == "example.com/m/p.Hot" && (f.Filename != "/m/p/a.go" || f.StartLine != 9 || f.SystemName != f.Name) {
			t.Errorf("function %+v", f)
		}
	}
}

func TestGoToolPprof(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go tool pprof")
	}
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		t.Skipf("no go command: %v", err)
	}
	var buf bytes.Buffer
	if err := WritePprof(&buf, pprofLog(t)); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "trace.pprof")
	if err := os.WriteFile(file, buf.Bytes(), 0o666); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(goTool, "tool", "pprof", "-top", file).CombinedOutput()
	if err != nil {
		t.Fatalf("go tool pprof: %v\n%s", err, out)
	}
	// The first row of the table is the function with the most self time.
	lines := strings.Split(string(out), "\n")
	for i, line := range lines {
		if strings.Contains(line, "flat%") {
			if i+1 >= len(lines) || !strings.HasSuffix(strings.TrimSpace(lines[i+1]), "example.com/m/p.Hot") {
				t.Errorf("top row is not p.Hot:\n%s", out)
			}
			return
		}
	}
	t.Errorf("no table in go tool pprof -top output:\n%s", out)
}
