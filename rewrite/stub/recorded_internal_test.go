package stub

import "testing"

func TestWithoutAny(t *testing.T) {
	for in, want := range map[string]string{
		`[]any{1, "any"}`:             `[]interface{}{1, "any"}`,
		`map[string]any{"a": anyway}`: `map[string]interface{}{"a": anyway}`,
		`Point{X: 1}`:                 `Point{X: 1}`,
	} {
		if got := withoutAny(in); got != want {
			t.Errorf("withoutAny(%s) = %s, want %s", in, got, want)
		}
	}
}
