// Package crosspkg uses types of other packages of its module, two of them
// named model and one internal in a directory not named after it, aliases,
// and unexported types in exported signatures.
package crosspkg

import (
	"fmt"

	amodel "example.com/crosspkg/a/model"
	bmodel "example.com/crosspkg/b/model"
	"example.com/crosspkg/geom"
	units "example.com/crosspkg/internal/go-units"
)

// Celsius is an alias of a basic type.
type Celsius = float64

// Path is an alias of a slice of another package's type.
type Path = []geom.Point

// Set is a generic alias (go 1.24).
type Set[T comparable] = map[T]struct{}

// Distance returns a type of an internal package.
func Distance(a, b geom.Point) units.Meter { return units.Meter(a.Dist(b)) }

// Length measures a path.
func Length(p Path) units.Meter {
	var m units.Meter
	for i := 1; i < len(p); i++ {
		m += Distance(p[i-1], p[i])
	}
	return m
}

// Link takes types from two packages named model.
func Link(u amodel.User, a bmodel.Account) string {
	return fmt.Sprintf("%s -> %s", u.Name, a.Owner.Name)
}

// Migrate converts between them.
func Migrate(us []amodel.User) map[int]bmodel.User {
	out := map[int]bmodel.User{}
	for _, u := range us {
		out[u.ID] = bmodel.User{Name: u.Name, ID: u.ID}
	}
	return out
}

// Warm uses the basic alias.
func Warm(c Celsius) Celsius { return c + 1 }

// Union uses the generic alias.
func Union[T comparable](a, b Set[T]) Set[T] {
	out := Set[T]{}
	for k := range a {
		out[k] = struct{}{}
	}
	for k := range b {
		out[k] = struct{}{}
	}
	return out
}

// Format takes an alias of an unexported type of another package: only the
// alias can be written outside units.
func Format(m units.Meter, o units.Options) string { return m.Format(o) }

// config is unexported.
type config struct {
	verbose bool
	name    string
}

// Configure takes and returns an unexported type.
func Configure(c config) *config {
	c.name = "configured"
	return &c
}

// engine is unexported, returned by an exported constructor.
type engine struct {
	cfg   config
	start geom.Point
}

// NewEngine builds an engine.
func NewEngine(verbose bool) *engine { return &engine{cfg: config{verbose: verbose}} }

// Start is an exported method of an unexported type.
func (e *engine) Start(at geom.Point) error {
	e.start = at
	return nil
}

// Move returns a value of another package.
func (e *engine) Move(d geom.Point) geom.Point { return e.start.Add(d) }
