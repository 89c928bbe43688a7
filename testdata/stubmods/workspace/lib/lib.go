// Package lib is a module of the workspace.
package lib

// Point is used by module app.
type Point struct{ X, Y int }

// Add adds two points.
func (p Point) Add(q Point) Point { return Point{p.X + q.X, p.Y + q.Y} }
