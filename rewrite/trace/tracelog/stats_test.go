package tracelog

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// statsLog has nesting, recursion, a panic, a second goroutine and a
// second process with the same functions under other ids.
func statsLog(t *testing.T) *Log {
	e := (&encoder{}).magic().proc(1, "prog", 0).
		fn(1, "example.com/m/p.A", "/m/p/a.go", 3).
		fn(2, "example.com/m/p.B", "/m/p/a.go", 9).
		fn(3, "example.com/m/p.(*T).C", "/m/p/c.go", 5).
		events(
			ev{fid: 1, goid: 1, start: 0, end: 100},
			ev{fid: 2, goid: 1, start: 10, end: 40},
			ev{fid: 2, goid: 1, start: 20, end: 30, flags: 1}, // B recursing
			ev{fid: 3, goid: 1, start: 50, end: 90},
			ev{fid: 3, goid: 5, par: 1, start: 60, end: 1060}, // not a callee of A
		).
		magic().proc(2, "prog", 0).
		fn(7, "example.com/m/p.B", "/m/p/a.go", 9).
		events(ev{fid: 7, goid: 1, start: 0, end: 5})
	return mustRead(t, e.buf)
}

func TestStats(t *testing.T) {
	got := statsLog(t).Stats()
	want := []FuncStat{
		{Name: "example.com/m/p.(*T).C", File: "/m/p/c.go", Line: 5, Calls: 2, Total: 1040, Self: 1040, Mean: 520, Max: 1000},
		{Name: "example.com/m/p.B", File: "/m/p/a.go", Line: 9, Calls: 3, Total: 35, Self: 35, Mean: 15, Max: 30, Panics: 1},
		{Name: "example.com/m/p.A", File: "/m/p/a.go", Line: 3, Calls: 1, Total: 100, Self: 30, Mean: 100, Max: 100},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
}

func TestWriteSummary(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSummary(&buf, statsLog(t).Stats(), 2); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	lines := strings.Split(got, "\n")
	if lines[0] != "6 calls of 3 functions" || !strings.HasSuffix(lines[2], "  p.(*T).C") ||
		!strings.HasSuffix(lines[3], "  p.B") || lines[4] != "(1 more functions)" {
		t.Errorf("summary:\n%s", got)
	}
	for _, col := range []string{"self", "self%", "total", "calls", "mean", "max", "1.04µs", "94.1%", "520ns"} {
		if !strings.Contains(got, col) {
			t.Errorf("summary lacks %q:\n%s", col, got)
		}
	}
	// The columns line up: every row has the function at the same column.
	col := func(line, s string) int { return utf8.RuneCountInString(line[:strings.Index(line, s)]) }
	if col(lines[1], "function") != col(lines[2], "p.(*T).C") || col(lines[2], "p.(*T).C") != col(lines[3], "p.B") {
		t.Errorf("columns not aligned:\n%s", got)
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0ns", 830: "830ns", 999: "999ns", 1000: "1µs", 1234: "1.23µs", 56_000: "56µs",
		56_780: "56.8µs", 999_400: "999µs", 999_600: "1ms", 1_234_000: "1.23ms",
		12_345_678_900: "12.3s", 4_000_000_000_000: "4000s", -1500: "-1.5µs",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%d) = %q, want %q", int64(d), got, want)
		}
	}
}

func TestShortName(t *testing.T) {
	for name, want := range map[string][2]string{
		"example.com/m/pkg.(*T).Method":        {"pkg.(*T).Method", "example.com/m/pkg"},
		"example.com/m/pkg.Outer.func1":        {"pkg.Outer.func1", "example.com/m/pkg"},
		"main.main":                            {"main.main", "main"},
		"gopkg.in/yaml%2ev3.Unmarshal":         {"yaml.v3.Unmarshal", "gopkg.in/yaml.v3"},
		"example.com/m/p.F[...]":               {"p.F[...]", "example.com/m/p"},
		"example.com/m/p.G[example.com/x.T]":   {"p.G[example.com/x.T]", "example.com/m/p"},
		"example.com/m/p.(*R[go.shape.int]).M": {"p.(*R[go.shape.int]).M", "example.com/m/p"},
		"noDots":                               {"noDots", "noDots"},
		"github.com/oklog/ulid/v2.ULID.String": {"ulid.ULID.String", "github.com/oklog/ulid/v2"},
		"example.com/v2.F":                     {"v2.F", "example.com/v2"},
		"example.com/m/v10.(*S[...]).M":        {"m.(*S[...]).M", "example.com/m/v10"},
	} {
		if got := ShortName(name); got != want[0] {
			t.Errorf("ShortName(%q) = %q, want %q", name, got, want[0])
		}
		if got := PackagePath(name); got != want[1] {
			t.Errorf("PackagePath(%q) = %q, want %q", name, got, want[1])
		}
	}
}

func TestWriteJSON(t *testing.T) {
	l := statsLog(t)
	l.Processes[0].Dropped = 4
	var buf bytes.Buffer
	if err := WriteJSON(&buf, l.Stats(), l); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"calls": 6.0, "dropped": 4.0, "invalid": 0.0,
		"functions": []any{
			map[string]any{"name": "example.com/m/p.(*T).C", "file": "/m/p/c.go", "line": 5.0, "calls": 2.0,
				"total_ns": 1040.0, "self_ns": 1040.0, "mean_ns": 520.0, "max_ns": 1000.0, "panics": 0.0},
			map[string]any{"name": "example.com/m/p.B", "file": "/m/p/a.go", "line": 9.0, "calls": 3.0,
				"total_ns": 35.0, "self_ns": 35.0, "mean_ns": 15.0, "max_ns": 30.0, "panics": 1.0},
			map[string]any{"name": "example.com/m/p.A", "file": "/m/p/a.go", "line": 3.0, "calls": 1.0,
				"total_ns": 100.0, "self_ns": 30.0, "mean_ns": 100.0, "max_ns": 100.0, "panics": 0.0},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("WriteJSON (-want +got):\n%s", diff)
	}
	buf.Reset()
	WriteJSON(&buf, nil, nil)
	if got := buf.String(); !strings.Contains(got, `"functions": []`) {
		t.Errorf("WriteJSON of nothing: %s", got)
	}
}
