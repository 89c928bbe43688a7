package crosspkg

import (
	"testing"

	"example.com/crosspkg/geom"
)

func TestDistance(t *testing.T) {
	if d := Distance(geom.Point{}, geom.Point{X: 3, Y: 4}); d != 5 {
		t.Errorf("Distance = %v", d)
	}
}
