// Package special has what a generator must skip or name carefully: a
// generated file, init and blank functions, colliding test names.
package special

//go:generate stringer -type=Color

// Color is a color.
type Color int

// Colors.
const (
	Red Color = iota
	Green
	Blue
)

// Hex is declared here; String is in the generated file.
func (c Color) Hex() string {
	switch c {
	case Red:
		return "#f00"
	case Green:
		return "#0f0"
	}
	return "#00f"
}
