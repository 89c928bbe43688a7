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
