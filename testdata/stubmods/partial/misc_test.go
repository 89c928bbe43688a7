package partial

import "testing"

func TestMain(m *testing.M) {
	m.Run()
}

func TestReverse(t *testing.T) {
	for _, tc := range []TestCase{{"abc", "cba"}, {"", ""}} {
		if got := Reverse(tc.In); got != tc.Want {
			t.Errorf("Reverse(%q) = %q", tc.In, got)
		}
	}
	if Bar(TestBar) != 42 {
		t.Error("Bar")
	}
}

func TestBuf_Write(t *testing.T) {
	var b Buf
	if n, err := b.Write([]byte("xy")); n != 2 || err != nil {
		t.Errorf("Write = %d, %v", n, err)
	}
}

func TestQux_Edge(t *testing.T) {
	if Qux("") != 0 {
		t.Error("Qux")
	}
}
