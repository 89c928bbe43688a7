// Package order has a comparator named cmp, as code older than package cmp
// often does: a test that imports go-cmp as cmp does not compile.
package order

import "sort"

// Entry is ordered by Key.
type Entry struct {
	Key string
	Pos int
}

func cmp(a, b Entry) int {
	switch {
	case a.Key < b.Key:
		return -1
	case a.Key > b.Key:
		return 1
	}
	return 0
}

// Sort orders entries by key.
func Sort(es []Entry) []Entry {
	out := append([]Entry(nil), es...)
	sort.SliceStable(out, func(i, j int) bool { return cmp(out[i], out[j]) < 0 })
	return out
}

// Latest returns the entry with the greatest key.
func Latest(es []Entry) (Entry, bool) {
	if len(es) == 0 {
		return Entry{}, false
	}
	s := Sort(es)
	return s[len(s)-1], true
}
