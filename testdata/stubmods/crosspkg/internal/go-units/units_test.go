package units

import "testing"

func TestFormat(t *testing.T) {
	if got := Meter(1.5).Format(Options{Precision: 1}); got != "1.5m" {
		t.Errorf("Format = %q", got)
	}
}
