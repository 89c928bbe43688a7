package inventory

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMerge(t *testing.T) {
	got := Merge([]Item{{Name: "a", Qty: 1}}, []Item{{Name: "a", Qty: 2}, {Name: "b", Qty: 1}})
	want := []Item{{Name: "a", Qty: 3}, {Name: "b", Qty: 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Merge (-want +got):\n%s", diff)
	}
}
