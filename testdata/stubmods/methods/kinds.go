package methods

import (
	"context"
	"io"
	"sort"
)

// IntList is a named slice type with methods.
type IntList []int

// Sum adds the elements.
func (l IntList) Sum() int {
	s := 0
	for _, v := range l {
		s += v
	}
	return s
}

// Append is a pointer method on a slice type.
func (l *IntList) Append(v ...int) { *l = append(*l, v...) }

// Registry is a named map type with methods.
type Registry map[string]int

// Names returns the sorted keys.
func (r Registry) Names() []string {
	var names []string
	for k := range r {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// Op is a named func type with a method.
type Op func(a, b int) int

// Apply calls the function, or returns 0 for a nil Op.
func (o Op) Apply(a, b int) int {
	if o == nil {
		return 0
	}
	return o(a, b)
}

// Signal is a named channel type with a method.
type Signal chan struct{}

// Fire closes the channel once.
func (s Signal) Fire() {
	select {
	case <-s:
	default:
		close(s)
	}
}

// Animal is embedded by Dog and Cat.
type Animal struct {
	Name string
}

// Describe is promoted to Dog and Cat.
func (a Animal) Describe() string { return "animal " + a.Name }

// Dog embeds Animal by value.
type Dog struct {
	Animal
	Breed string
}

// Bark is Dog's own method.
func (d *Dog) Bark() string { return d.Name + " barks" }

// Cat embeds *Animal.
type Cat struct {
	*Animal
	lives int
}

// Lives returns the lives left.
func (c Cat) Lives() int { return c.lives }

// Logger embeds an interface.
type Logger struct {
	io.Writer
	prefix string
}

// Log writes a line.
func (l Logger) Log(msg string) error {
	_, err := io.WriteString(l.Writer, l.prefix+msg+"\n")
	return err
}

// Do takes a context first (the module says go 1.22: no t.Context()).
func (c Client) Do(ctx context.Context, req string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return c.addr + ":" + req, nil
}
