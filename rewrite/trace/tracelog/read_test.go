package tracelog

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func mustRead(t *testing.T, b []byte) *Log {
	t.Helper()
	l, err := Read(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestRead(t *testing.T) {
	e := (&encoder{}).magic().
		proc(42, "/tmp/prog", 1_700_000_000_000_000_000).
		fn(1, "example.com/m/pkg.A", "/src/pkg/a.go", 10).
		events(
			ev{fid: 1, goid: 7, par: 1, start: 100, end: 200},
			ev{fid: 2, goid: 7, start: 110, end: 120, flags: 1}, // F comes later
			ev{fid: 9, goid: 7, start: 110, end: 120},           // no such function
			ev{fid: 1, goid: 7, start: 300, end: 250},           // ends before it starts
		).
		record('Z', []byte("from the future")).
		fn(2, "example.com/m/pkg.(*T).B", "/src/pkg/b.go", 20).
		fn(2, "example.com/m/pkg.(*T).B", "/src/pkg/b.go", 20).
		test(7, 1, 50, 400, true, "TestA").
		dropped(3).dropped(4)
	l := mustRead(t, e.buf)
	want := &Log{Processes: []*Process{{
		PID:     42,
		Program: "/tmp/prog",
		Start:   time.Unix(0, 1_700_000_000_000_000_000),
		Funcs: map[uint32]Func{
			1: {1, "example.com/m/pkg.A", "/src/pkg/a.go", 10},
			2: {2, "example.com/m/pkg.(*T).B", "/src/pkg/b.go", 20},
		},
		Calls: []Call{
			{Func: 1, Goroutine: 7, Start: 100, End: 200, Test: 0},
			{Func: 2, Goroutine: 7, Start: 110, End: 120, Panicked: true, Test: 0},
		},
		Tests:   []Test{{Name: "TestA", Goroutine: 7, Parent: 1, Start: 50, End: 400, Failed: true}},
		Parents: map[uint64]uint64{7: 1},
		Dropped: 7,
		Invalid: 2,
	}}}
	if diff := cmp.Diff(want, l, cmpopts.IgnoreUnexported(Process{})); diff != "" {
		t.Errorf("Read (-want +got):\n%s", diff)
	}
}

func TestClockCalibration(t *testing.T) {
	ev1 := ev{fid: 1, goid: 1, start: 2000, end: 2600}
	for _, tc := range []struct {
		name       string
		clocks     [][2]int64
		start, end int64
	}{
		{"none", nil, 2000, 2600},
		{"single", [][2]int64{{1000, 5000}}, 6000, 6600},
		{"same ticks", [][2]int64{{1000, 5000}, {1000, 9000}}, 6000, 6600},
		// Half a nanosecond per tick; only the first and the last count.
		{"fit", [][2]int64{{1000, 100}, {5000, 50}, {3000, 1100}}, 600, 900},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := (&encoder{}).magic().fn(1, "m.f", "/f.go", 1)
			for i, c := range tc.clocks {
				if i == 1 {
					e.events(ev1) // events may come before the last 'C'
				}
				e.clock(c[0], c[1])
			}
			if len(tc.clocks) < 2 {
				e.events(ev1)
			}
			c := mustRead(t, e.buf).Processes[0].Calls[0]
			if c.Start != tc.start || c.End != tc.end {
				t.Errorf("call at [%d,%d], want [%d,%d]", c.Start, c.End, tc.start, tc.end)
			}
		})
	}
}

func TestClamp(t *testing.T) {
	e := (&encoder{}).magic().fn(1, "m.f", "/f.go", 1).events(
		ev{fid: 1, goid: 2, start: 0, end: 100},
		ev{fid: 1, goid: 2, start: 50, end: 120}, // overruns its caller
		ev{fid: 1, goid: 2, start: 60, end: 130}, // overruns both
		ev{fid: 1, goid: 2, start: 100, end: 150},
		ev{fid: 1, goid: 1, start: 10, end: 500}, // another goroutine
		ev{fid: 1, goid: 2, start: 0, end: 100},  // same span twice
	)
	var got [][3]int64
	for _, c := range mustRead(t, e.buf).Processes[0].Calls {
		got = append(got, [3]int64{int64(c.Goroutine), c.Start, c.End})
	}
	want := [][3]int64{{1, 10, 500}, {2, 0, 100}, {2, 0, 100}, {2, 50, 100}, {2, 60, 100}, {2, 100, 150}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

func TestTestAttribution(t *testing.T) {
	e := (&encoder{}).magic().fn(1, "m.f", "/f.go", 1).
		test(10, 1, 0, 1000, false, "TestA").
		test(11, 10, 100, 900, false, "TestA/sub").
		test(12, 10, 950, 990, false, "TestA/other").
		events(
			ev{fid: 1, goid: 10, par: 1, start: 10, end: 20},    // TestA's goroutine
			ev{fid: 1, goid: 11, par: 10, start: 150, end: 160}, // the subtest's
			ev{fid: 1, goid: 20, par: 11, start: 200, end: 300}, // started by the subtest
			ev{fid: 1, goid: 21, par: 20, start: 250, end: 260}, // grandchild
			ev{fid: 1, goid: 20, par: 11, start: 920, end: 930}, // after the subtest: TestA
			ev{fid: 1, goid: 30, par: 0, start: 200, end: 210},  // no test
			ev{fid: 1, goid: 12, par: 10, start: 960, end: 970},
			ev{fid: 1, goid: 10, par: 1, start: 1001, end: 1002}, // after every test
		)
	got := map[[2]int64]string{}
	p := mustRead(t, e.buf).Processes[0]
	for _, c := range p.Calls {
		got[[2]int64{int64(c.Goroutine), c.Start}] = p.TestOf(c)
	}
	want := map[[2]int64]string{
		{10, 10}: "TestA", {11, 150}: "TestA/sub", {20, 200}: "TestA/sub", {21, 250}: "TestA/sub",
		{20, 920}: "TestA", {30, 200}: "", {12, 960}: "TestA/other", {10, 1001}: "",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tests (-want +got):\n%s", diff)
	}
}

func TestParentCycle(t *testing.T) {
	// Corrupt parent links must not loop forever.
	e := (&encoder{}).magic().fn(1, "m.f", "/f.go", 1).
		test(3, 0, 0, 10, false, "TestX").
		events(ev{fid: 1, goid: 1, par: 2, start: 5, end: 6}, ev{fid: 1, goid: 2, par: 1, start: 5, end: 6})
	p := mustRead(t, e.buf).Processes[0]
	for _, c := range p.Calls {
		if name := p.TestOf(c); name != "" {
			t.Errorf("call on G%d attributed to %q", c.Goroutine, name)
		}
	}
}

func TestSegments(t *testing.T) {
	a := (&encoder{}).magic().proc(1, "a", 0).fn(1, "m.f", "/f.go", 1).events(ev{fid: 1, goid: 1, start: 0, end: 5})
	b := (&encoder{}).magic().proc(2, "b", 0).fn(1, "m.g", "/g.go", 1).events(ev{fid: 1, goid: 1, start: 0, end: 7}).
		magic().proc(3, "c", 0)
	dir := t.TempDir()
	fa, fb := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	if err := os.WriteFile(fa, a.buf, 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fb, b.buf, 0o666); err != nil {
		t.Fatal(err)
	}
	l, err := ReadFiles(fa, fb)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range l.Processes {
		got = append(got, p.Program)
	}
	if diff := cmp.Diff([]string{"a", "b", "c"}, got); diff != "" {
		t.Errorf("processes (-want +got):\n%s", diff)
	}
	if f := l.Processes[1].Funcs[1].Name; f != "m.g" {
		t.Errorf("second process's function 1 is %q", f)
	}

	cut := filepath.Join(dir, "cut.log")
	os.WriteFile(cut, a.buf[:len(a.buf)-3], 0o666)
	if l, err := ReadFiles(fa, cut); err != nil || !l.Processes[1].Truncated || l.Processes[0].Truncated {
		t.Errorf("ReadFiles of a cut file: %v", err)
	}
	bad := filepath.Join(dir, "bad.log")
	os.WriteFile(bad, []byte("GRTRACE2E\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"), 0o666)
	if _, err := ReadFiles(fa, bad); err == nil || !strings.Contains(err.Error(), "bad.log: trace log: offset") {
		t.Errorf("ReadFiles of a bad file: %v", err)
	}
}

func TestReadErrors(t *testing.T) {
	good := (&encoder{}).magic().proc(1, "p", 0).fn(1, "m.f", "/f.go", 1).
		events(ev{fid: 1, goid: 1, start: 0, end: 5}).test(1, 0, 0, 10, false, "TestX").buf
	// Every proper prefix that cuts a record reads as a truncated log (a
	// process that died while writing); none panics.
	boundaries := map[int]bool{8: true}
	for off := 8; off < len(good); {
		n, w := uvarintAt(good, off+1)
		off += 1 + w + n
		boundaries[off] = true
	}
	for n := 0; n < len(good); n++ {
		_, err := Read(bytes.NewReader(good[:n]))
		if boundaries[n] {
			if err != nil {
				t.Errorf("prefix of %d bytes (a record boundary): %v", n, err)
			}
			continue
		}
		if n < len(Magic) {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Errorf("prefix of %d bytes: got %v, want a FormatError", n, err)
			}
			continue
		}
		if l, err := Read(bytes.NewReader(good[:n])); err != nil || !l.Processes[0].Truncated {
			t.Errorf("prefix of %d bytes: %v, want a truncated log", n, err)
		}
	}

	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "offset 0: empty file"},
		{"not a log", []byte("hello, world"), "offset 0: not a trace log"},
		{"bad events", (&encoder{}).magic().record('E', make([]byte, 41)).buf, "offset 11: events payload of 41 bytes"},
		{"long string", (&encoder{}).magic().record('F', []byte{1, 9, 'a'}).buf, "offset 11: function name of 9 bytes overruns"},
		{"huge record", append((&encoder{}).magic().buf, 'P', 0xff, 0xff, 0xff, 0xff, 0x7f), "offset 8: record 'P': payload of 34359738367 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func uvarintAt(b []byte, off int) (n, w int) {
	v := uint64(0)
	for shift := 0; ; shift += 7 {
		c := b[off+w]
		w++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return int(v), w
		}
	}
}
