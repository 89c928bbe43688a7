package mutate

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOutputWatcher: failures are seen however much the tests print after
// them, and lines split across writes are read whole.
func TestOutputWatcher(t *testing.T) {
	w := &outputWatcher{max: 1 << 10}
	w.Write([]byte("=== RUN TestA\n    --- FA"))
	w.Write([]byte("IL: TestA/sub (0.00s)\n--- FAIL: TestA (0.00s)\n"))
	w.Write([]byte(strings.Repeat("noise noise noise\n", 10000)))
	w.Write([]byte(strings.Repeat("x", 5000) + "\n"))
	w.Write([]byte("--- FAIL: TestB (0.01s)\npanic: boom [recovered]\n\tpanic: boom\nfatal error: all goroutines are asleep"))
	w.close()
	if diff := cmp.Diff([]string{"TestA", "TestB"}, w.failed); diff != "" {
		t.Errorf("failed (-want +got):\n%s", diff)
	}
	if w.panic != "panic: boom [recovered]" {
		t.Errorf("panic = %q", w.panic)
	}
	if w.fatal != "fatal error: all goroutines are asleep" {
		t.Errorf("fatal = %q", w.fatal)
	}
	if out := w.output(); len(out) != 1<<10 || !strings.HasSuffix(string(out), "asleep") {
		t.Errorf("output keeps %d bytes ending %q", len(out), out[max(0, len(out)-20):])
	}
}

// TestOutputWatcherTimeout: the binary's own timeout is no panic of a
// test; the tests it names as running are the ones that hung, top-level
// names once each, in the layouts of Go before and after 1.23.
func TestOutputWatcherTimeout(t *testing.T) {
	for _, out := range []string{
		"panic: test timed out after 300ms\n\trunning tests:\n\t\tTestHang (0s)\n\t\tTestHang/sub (0s)\n\t\tTestOther (1s)\n\ngoroutine 5 [running]:\ntesting.(*M).startAlarm.func1()\n\t/go/src/testing/testing.go:2802 +0x354\n",
		"panic: test timed out after 300ms\nrunning tests:\n\tTestHang (0s)\n\tTestHang/sub (0s)\n\tTestOther (1s)\n\ngoroutine 5 [running]:\n\t/x.go:1\n",
	} {
		w := &outputWatcher{max: 1 << 10}
		w.Write([]byte(out))
		w.close()
		if !w.timedOut || w.panic != "" {
			t.Errorf("timedOut %v, panic %q; want a timeout and no panic", w.timedOut, w.panic)
		}
		if diff := cmp.Diff([]string{"TestHang", "TestOther"}, w.hung); diff != "" {
			t.Errorf("hung (-want +got):\n%s", diff)
		}
	}
}

// TestOutputWatcherEscapes: a failure is seen after output that did not
// end its line (fatih/color's tests leave a terminal escape before it).
func TestOutputWatcherEscapes(t *testing.T) {
	w := &outputWatcher{max: 1 << 10}
	w.Write([]byte("\x1b[31mred\x1b[0m--- FAIL: TestNoFormatString (0.00s)\n    x_test.go:1: --- FAIL: not a marker\n"))
	w.close()
	if diff := cmp.Diff([]string{"TestNoFormatString"}, w.failed); diff != "" {
		t.Errorf("failed (-want +got):\n%s", diff)
	}
}
