package tracelog

import (
	"bytes"
	"io"
	"testing"
)

// FuzzRead checks that no input makes Read, or the outputs built from what
// it reads, panic.
func FuzzRead(f *testing.F) {
	f.Add([]byte(Magic))
	f.Add([]byte("GRTRACE"))
	f.Add((&encoder{}).magic().proc(1, "p", 5).fn(1, "m.f", "/f.go", 1).clock(0, 0).clock(10, 5).
		events(ev{fid: 1, goid: 1, par: 2, start: 0, end: 10}, ev{fid: 1, goid: 2, par: 1, start: 2, end: 20, flags: 1}).
		test(1, 2, 0, 30, true, "TestF").dropped(2).record('?', []byte{1, 2}).buf)
	f.Add((&encoder{}).magic().fn(1, "m.f", "/f.go", 1).clock(10, 0).clock(0, 10).
		events(ev{fid: 1, goid: 1, start: -1 << 63, end: 1<<63 - 1}).magic().buf)
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Read(bytes.NewReader(data))
		if err != nil {
			if _, ok := err.(*FormatError); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		WriteSummary(io.Discard, l.Stats(), 10)
		WriteJSON(io.Discard, l.Stats(), l)
		WritePprof(io.Discard, l)
		if _, _, err := WriteTimeline(io.Discard, l, 100); err != nil {
			t.Fatalf("WriteTimeline: %v", err)
		}
	})
}
