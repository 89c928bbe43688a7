// Package pattern implements gorewrite's pattern rules: "pattern ->
// replacement" rewrites with the semantics of gofmt -r (single lower-case
// letters are wildcards, a wildcard used twice must match equal
// expressions, rewriting is bottom-up), extended to statements, to several
// rules in one pass and to typed wildcards:
//
//	a + b -> a * b                       gofmt -r compatible
//	[x, y int] x + y -> x * y            only where x and y are ints
//	[s string; b []byte] string(b) == s -> bytes.Equal(b, []byte(s))
//	[import "io"; r any] ioutil.ReadAll(r) -> io.ReadAll(r)
//	x := f(); if x != nil { return x } -> if err := f(); err != nil { return err }
//
// Only what a rule changes is edited in the source: comments and spacing
// elsewhere stay as written, and parentheses are added where the result
// would otherwise parse differently (gofmt -r prints a*(b+c) rewritten from
// a+(b+c) as a*b+c).
package pattern
