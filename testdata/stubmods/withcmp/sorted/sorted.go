// Package sorted uses the standard library's cmp; its test file imports it
// too, and go-cmp under the name gocmp.
package sorted

import (
	"cmp"
	"slices"
)

// Pair is a key and a value.
type Pair struct {
	K string
	V int
}

// ByKey sorts pairs by key.
func ByKey(ps []Pair) []Pair {
	out := slices.Clone(ps)
	slices.SortFunc(out, func(a, b Pair) int { return cmp.Compare(a.K, b.K) })
	return out
}

// Keys returns the keys in order.
func Keys(ps []Pair) []string {
	var ks []string
	for _, p := range ByKey(ps) {
		ks = append(ks, p.K)
	}
	return ks
}
