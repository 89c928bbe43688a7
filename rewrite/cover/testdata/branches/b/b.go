// Package b has branches whose outcomes its test knows.
package b

// Flag is a named boolean type: probes must keep it.
type Flag bool

// Sign takes if true 2 times, false 1 time; the else if: true 1, false 0.
func Sign(x int) int {
	if x > 0 {
		return 1
	} else if x < 0 {
		return -1
	}
	return 0
}

// Loop's condition is true 3 times and false once.
func Loop(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += i
	}
	return s
}

// Both: a is evaluated twice (true once), b once (true once).
func Both(a, b bool) bool {
	return a && b
}

// Named keeps a named boolean type through the probes: the if is probed,
// operands of a named type are not (a probe would make them bool).
func Named(f, g Flag) Flag {
	if f || g {
		return f
	}
	return !f
}

// Kind takes case 1 once, case 2, 3 never, and no case once.
func Kind(x int) string {
	switch x {
	case 1:
		return "one"
	case 2, 3:
		return "few"
	}
	return "many"
}

// Type has a default clause: no implicit outcome.
func Type(v any) string {
	switch v.(type) {
	case int:
		return "int"
	default:
		return "other"
	}
}

// Recv selects: the value case once, the default never.
func Recv(c chan int) int {
	select {
	case v := <-c:
		return v
	default:
		return -1
	}
}

const debug = false

// Const leaves constant expressions alone, constant operands too.
func Const() bool {
	const both = debug && true
	var arr [len("ab")]int
	return both || len(arr) == 2
}

// Mixed chains of untyped comparisons in a named-type context compile, and
// their operands get no probes.
func Mixed(b Flag, x int) Flag { return b && x > 2 }

// Assign is another such context.
func Assign(x, y int) Flag {
	var v Flag = x > 0 && y > 0
	return v
}

// Never is not called: its if is untaken both ways.
func Never(x int) int {
	if x > 0 {
		return 1
	}
	return 0
}

// Until's condition is untyped: its operands are probed too. i < n is true
// 3 times and false once; i < 10 is true 3 times.
func Until(n int) int {
	i := 0
	for i < n && i < 10 {
		i++
	}
	return i
}
