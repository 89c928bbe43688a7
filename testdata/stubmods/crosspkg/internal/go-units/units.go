// Package units lives in a directory whose name is not the package's.
package units

import "strconv"

// Meter is a length.
type Meter float64

// options is unexported; Options names it for other packages.
type options struct {
	Precision int
}

// Options is an alias of an unexported type.
type Options = options

// Format formats m.
func (m Meter) Format(o Options) string {
	return strconv.FormatFloat(float64(m), 'f', o.Precision, 64) + "m"
}
