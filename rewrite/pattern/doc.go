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
//	if x != nil { return x } -> if x != nil { return fmt.Errorf("load: %w", x) }
//	fmt.Println(x) ->                    (an empty replacement deletes)
//
// Only what a rule changes is edited in the source: comments and spacing
// elsewhere stay as written (gofmt -r reprints the whole file and drops
// comments attached to replaced nodes), comments inside a replaced
// expression travel with the subexpressions that carry them, and
// parentheses are added where the result would otherwise parse
// differently.
package pattern
