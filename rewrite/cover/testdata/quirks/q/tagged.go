//go:build quirks_extra

package q

// Tagged is only built with -tags quirks_extra.
func Tagged(x int) int {
	for x > 10 {
		x /= 2
	}
	return x
}
