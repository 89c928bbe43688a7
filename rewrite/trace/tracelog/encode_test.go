package tracelog

import (
	"encoding/binary"
)

// encoder writes logs in the version 2 format, the way the runtime does,
// for the tests.
type encoder struct {
	buf     []byte
	streams uint64
}

type ev struct {
	fid        uint32
	flags      uint32
	goid, par  uint64
	start, end int64
}

func (e *encoder) magic() *encoder {
	e.buf = append(e.buf, Magic...)
	return e
}

func (e *encoder) record(kind byte, payload []byte) *encoder {
	e.buf = append(e.buf, kind)
	e.buf = binary.AppendUvarint(e.buf, uint64(len(payload)))
	e.buf = append(e.buf, payload...)
	return e
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func (e *encoder) proc(pid uint64, program string, wallNS int64) *encoder {
	b := binary.AppendUvarint(nil, pid)
	b = appendString(b, program)
	b = binary.AppendVarint(b, wallNS)
	return e.record('P', b)
}

func (e *encoder) fn(fid uint32, name, file string, line uint64) *encoder {
	b := binary.AppendUvarint(nil, uint64(fid))
	b = appendString(b, name)
	b = appendString(b, file)
	b = binary.AppendUvarint(b, line)
	return e.record('F', b)
}

func (e *encoder) clock(ticks, ns int64) *encoder {
	b := binary.AppendVarint(nil, ticks)
	b = binary.AppendVarint(b, ns)
	return e.record('C', b)
}

// events writes the calls as one 'E' record of a new stream: a goroutine
// marker whenever the goroutine changes, a long call's end in a slot of
// its own (and a call ending before it starts the same way).
func (e *encoder) events(evs ...ev) *encoder {
	e.streams++
	b := binary.AppendUvarint(nil, e.streams)
	le := binary.LittleEndian
	slot := func(word int64, dur, fid uint32) {
		b = le.AppendUint64(b, uint64(word))
		b = le.AppendUint32(b, dur)
		b = le.AppendUint32(b, fid)
	}
	var goid uint64
	for _, v := range evs {
		if v.goid != goid || goid == 0 {
			slot(int64(v.goid), 0, markGoroutine)
			slot(int64(v.par), 0, markGoroutine)
			goid = v.goid
		}
		fid := v.fid
		if v.flags&1 != 0 {
			fid |= flagPanicked
		}
		if d := v.end - v.start; d >= 0 && d < longDur {
			slot(v.start, uint32(d), fid)
		} else {
			slot(v.start, longDur, fid)
			slot(v.end, 0, 0)
		}
	}
	return e.record('E', b)
}

func (e *encoder) test(goid, parent uint64, start, end int64, failed bool, name string) *encoder {
	b := binary.AppendUvarint(nil, goid)
	b = binary.AppendUvarint(b, parent)
	b = binary.AppendVarint(b, start)
	b = binary.AppendVarint(b, end)
	flags := uint64(0)
	if failed {
		flags = 1
	}
	b = binary.AppendUvarint(b, flags)
	b = appendString(b, name)
	return e.record('T', b)
}

func (e *encoder) dropped(n uint64) *encoder {
	return e.record('D', binary.AppendUvarint(nil, n))
}
