package xconst_test

import (
	"testing"

	"example.com/schemata/xconst"
)

func TestCapAtLimit(t *testing.T) {
	if got := xconst.Cap(1000); got != xconst.Limit {
		t.Errorf("Cap(1000) = %d", got)
	}
}
