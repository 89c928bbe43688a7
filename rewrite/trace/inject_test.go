package trace

import "testing"

// Names are spelled as the runtime spells them, so that a profile's names
// match the program's own (runtime/pprof, tracebacks).
func TestRuntimePath(t *testing.T) {
	for in, want := range map[string]string{
		"example.com/m/p":  "example.com/m/p",
		"gopkg.in/yaml.v3": "gopkg.in/yaml%2ev3",
		"example.com":      "example%2ecom",
	} {
		if got := runtimePath(in); got != want {
			t.Errorf("runtimePath(%q) = %q, want %q", in, got, want)
		}
	}
}
