package flaky

import (
	"os"
	"path/filepath"
	"testing"
)

// TestTag fails the first time it sees a wrong tag, and never again: a
// marker file in $TRUST_STATE remembers.
func TestTag(t *testing.T) {
	if Tag() == "a" {
		return
	}
	f, err := os.OpenFile(filepath.Join(os.Getenv("TRUST_STATE"), "flaked"), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o666)
	if err == nil {
		f.Close()
		t.Fatal("flaked")
	}
}
