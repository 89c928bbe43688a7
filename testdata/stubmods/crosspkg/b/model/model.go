// Package model is one of two packages named model.
package model

// User is a user of system b.
type User struct {
	Name string
	ID   int
}

// Valid reports whether u has a name.
func (u User) Valid() bool { return u.Name != "" }
