// Package xconst has external tests, which see its exported constant
// through export data: compiled once, with the unmutated value. A mutant of
// Limit's declaration switched in Cap alone would change one side of the
// test's comparison and not the other, so it must be built alone (where
// both sides change, and it survives).
package xconst

const Limit = 4 * 25

// Cap limits n to Limit.
func Cap(n int) int {
	if n > Limit {
		return Limit
	}
	return n
}
