package sorted

import (
	"cmp"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

func TestByKey(t *testing.T) {
	got := ByKey([]Pair{{"b", 1}, {"a", 2}})
	if diff := gocmp.Diff([]Pair{{"a", 2}, {"b", 1}}, got); diff != "" {
		t.Error(diff)
	}
	if cmp.Compare(1, 2) != -1 {
		t.Error("cmp.Compare")
	}
}
