// Package consts has operators in constant expressions and constant
// contexts. A schemata site turns an operator into a run-time choice: it
// cannot stand where Go needs a constant (const declarations, array
// lengths), it changes what the compiler checks where constants are allowed
// but not needed (case values, constant indexes), and it can change the
// unmutated value (constant arithmetic is exact and untyped constants take
// their type from the context). Such sites must fall back to building the
// mutant alone, and mutants that do not compile alone must not exist.
package consts

const (
	// Size is an array length below: [Size + 1]int.
	Size = 3
	// Half: 128 / 2 fits a uint8; the mutant 128 * 2 overflows it, a
	// compile error, so that mutant must not exist.
	Half uint8 = 128 / 2
	// Top: 0x80 >> 7 is 1; the INVERT_BITWISE mutant 0x80 << 7 overflows.
	Top uint8 = 0x80 >> 7
	// Big is a constant bool from a comparison: its mutants live in a const
	// declaration.
	Big = Size > 2
	// None is zero: x * None has a mutant x / None, division by constant
	// zero, a compile error.
	None = 0
)

// KB, MB, GB repeat one expression implicitly: one site, three constants.
// Its mutant iota - 1 makes a negative shift count: a compile error.
const (
	KB = 1 << (10 * (iota + 1))
	MB
	GB
)

// Level's constants are the cases of a switch in String: the mutants that
// make two of them equal (iota / 10 + 1) do not compile there.
type Level int

const (
	Low Level = iota*10 + 1
	Mid
	High
)

func (l Level) String() string {
	switch l {
	case Low:
		return "low"
	case Mid:
		return "mid"
	case High:
		return "high"
	}
	return "?"
}

// Buf's length is a constant expression: no run-time switch can choose it.
// Its mutant Size - 1 does not compile, but only because of Penult's
// constant index, in another declaration.
type Buf [Size + 1]int

// Fill returns a Buf with v, v+1, ...
func Fill(v int) Buf {
	var b Buf
	for i := range b {
		b[i] = v + i
	}
	return b
}

// Penult indexes with a constant: the mutant b[Size+1] is out of range at
// compile time; rewritten into a run-time index it would compile and panic.
func Penult(b Buf) int {
	return b[Size-1]
}

// Kind switches on a variable with constant cases 2, 4, 6. Size+1 -> Size-1
// and Size-1 -> Size+1 duplicate a case: compile errors alone; as run-time
// case expressions they compile and nobody notices the duplicate.
func Kind(n int) string {
	switch n {
	case Size - 1:
		return "small"
	case Size + 1:
		return "big"
	case Size * 2:
		return "double"
	}
	return "other"
}

// Window's array length Size * 2 has a valid mutant Size / 2 (a shorter
// array), which len shows at run time; len of an array is a constant too.
func Window(v int) (int, int) {
	var w [Size * 2]int
	sum := 0
	for i := range w {
		w[i] = v
		sum += w[i]
	}
	return len(w), sum
}

// Nothing: x * None; see None.
func Nothing(x int) int {
	return x * None
}

// PointThree: 0.1 + 0.2 is exact as a constant (== 0.3); at run time in
// float64 it is 0.30000000000000004. A run-time helper here changes the
// unmutated result.
func PointThree() float64 {
	return 0.1 + 0.2
}

// Ratio: 7 / 2 is an untyped integer constant division (3), converted to
// float64 by the result type. A helper would infer int from 7 and not
// compile; float64 would give 3.5.
func Ratio() float64 {
	return 7 / 2
}

// Wide: 1 << 62 * 4 / 8 is exact as a constant (1 << 61); in int at run
// time 1 << 62 * 4 overflows to 0. The mutant ... * 8 overflows int: a
// compile error.
func Wide() int {
	return 1 << 62 * 4 / 8
}

// Mask: in var m uint8 = 1 << n the untyped 1 takes uint8 from the
// context (the non-constant shift rule), so Mask(8) is 0. A helper
// _gmShift(id, 1, n) would infer int and not compile (or give 256).
func Mask(n uint) uint8 {
	var m uint8 = 1 << n
	return m
}

// Pow2: in int64(1 << n) the 1 is an int64.
func Pow2(n uint) int64 {
	return int64(1 << n)
}

// Shift3: x << 3 on a typed variable; << 3 -> >> 3.
func Shift3(x int32) int32 {
	return x << 3
}

// Mixed: untyped float constants with a typed int var: 2.0 is an int here.
// The mutant n / 2.0 is integer division.
func Mixed(n int) int {
	return n*2.0 + 1
}

// Debug is a constant condition: IF_CONDITION and CONDITIONALS_* on
// constant operands.
func Debug() string {
	if Big && Size*2 > 5 {
		return "big"
	}
	return "small"
}

// Units formats n bytes with the largest of KB, MB, GB that fits.
func Units(n int) (int, string) {
	switch {
	case n >= GB:
		return n / GB, "G"
	case n >= MB:
		return n / MB, "M"
	case n >= KB:
		return n / KB, "K"
	}
	return n, "B"
}
