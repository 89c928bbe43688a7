// Package app imports module lib through the workspace (go.work), without
// a require directive: it builds, vets and tests in workspace mode.
package app

import "example.com/lib"

// Norm takes a type of the other module.
func Norm(p lib.Point) int { return p.X + p.Y }

// Origin returns one.
func Origin() lib.Point { return lib.Point{} }
