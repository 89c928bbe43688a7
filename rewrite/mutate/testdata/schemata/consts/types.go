package consts

// This file: named types. Operators on them keep the named type, and
// comparisons yield untyped bools that convert to a named bool: a helper
// function returning bool (or int) would not fit where these fit.

// Celsius and Fahrenheit are named float types; untyped float constants in
// their expressions take their type.
type (
	Celsius    float64
	Fahrenheit float64
)

// F converts: c*9/5 + 32. The untyped 9, 5, 32 become Celsius.
func (c Celsius) F() Fahrenheit {
	return Fahrenheit(c*9/5 + 32)
}

// C converts back.
func (f Fahrenheit) C() Celsius {
	return Celsius((f - 32) * 5 / 9)
}

// Flag is a named bool.
type Flag bool

// Freezing returns a comparison as a Flag: return c <= 0.0 converts an
// untyped bool.
func (c Celsius) Freezing() Flag {
	return c <= 0.0
}

// Between: var f Flag = a < b, Flag(b < c), and && on Flags.
func Between(a, b, c Celsius) Flag {
	var f Flag = a < b
	g := Flag(b < c)
	return f && g
}

// Pick uses a Flag as an if condition and under !.
func (f Flag) Pick(a, b int) int {
	if !f {
		return b
	}
	return a
}

// Bits is a named uint8: ^, &^ and << wrap at 8 bits.
type Bits uint8

// Read, Write, Exec: 1 << iota, implicitly repeated.
const (
	Read Bits = 1 << iota
	Write
	Exec
)

// Has: b&f != 0, a bitwise site inside a comparison site.
func (b Bits) Has(f Bits) bool {
	return b&f != 0
}

// Clear: &^ (to &).
func (b Bits) Clear(f Bits) Bits {
	return b &^ f
}

// Toggle: ^ (to &).
func (b Bits) Toggle(f Bits) Bits {
	return b ^ f
}

// Rotl rotates left by one: b<<1 | b>>7, wrapping at 8 bits.
func (b Bits) Rotl() Bits {
	return b<<1 | b>>7
}

// Set and Drop: |= and &^= through a pointer (INVERT_BWASSIGN,
// REMOVE_SELF_ASSIGNMENTS, REMOVE_STATEMENT).
func (b *Bits) Set(f Bits) {
	*b |= f
}

func (b *Bits) Drop(f Bits) {
	*b &^= f
}

// Shifted: <<= and >>= on a named type.
func (b Bits) Shifted(l, r uint) Bits {
	b <<= l
	b >>= r
	return b
}
