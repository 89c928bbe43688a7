// Package methods has types with methods of every receiver kind, built by
// constructors of every shape or by none.
package methods

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
)

// Counter is returned by value from its constructor.
type Counter struct {
	n    int
	step int
}

// NewCounter returns a Counter counting by step.
func NewCounter(step int) Counter { return Counter{step: step} }

// Next is a pointer method.
func (c *Counter) Next() int {
	c.n += c.step
	return c.n
}

// Value is a value method.
func (c Counter) Value() int { return c.n }

// Buffer is returned by pointer from its constructor.
type Buffer struct {
	data []byte
	max  int
}

// NewBuffer returns an empty buffer holding at most max bytes.
func NewBuffer(max int) *Buffer { return &Buffer{max: max} }

// Write appends p, up to the buffer's limit.
func (b *Buffer) Write(p []byte) (int, error) {
	if len(b.data)+len(p) > b.max {
		return 0, errors.New("buffer full")
	}
	b.data = append(b.data, p...)
	return len(p), nil
}

// Bytes returns the content.
func (b *Buffer) Bytes() []byte { return b.data }

// Reset empties the buffer; the receiver is unnamed.
func (*Buffer) Reset() {}

// Cap has a blank receiver name.
func (_ *Buffer) Cap() int { return 0 }

// Client is returned by value with an error.
type Client struct {
	addr    string
	retries int
}

// NewClient fails on an empty address: a stub that calls it outside its
// table with zero arguments fails.
func NewClient(addr string) (Client, error) {
	if addr == "" {
		return Client{}, errors.New("no address")
	}
	return Client{addr: addr, retries: 3}, nil
}

// Addr returns the address.
func (c Client) Addr() string { return c.addr }

// Pool is returned by pointer with an error.
type Pool struct {
	size int
	free []int
}

// NewPool returns a pool of n slots.
func NewPool(n int) (*Pool, error) {
	if n < 0 {
		return nil, fmt.Errorf("negative size %d", n)
	}
	p := &Pool{size: n}
	for i := range n {
		p.free = append(p.free, i)
	}
	return p, nil
}

// Get takes a slot.
func (p *Pool) Get() (int, bool) {
	if len(p.free) == 0 {
		return 0, false
	}
	i := p.free[len(p.free)-1]
	p.free = p.free[:len(p.free)-1]
	return i, true
}

// Matrix has no constructor.
type Matrix struct {
	Rows, Cols int
	cells      []float64
}

// Dims has an unnamed value receiver.
func (Matrix) Dims() (int, int) { return 0, 0 }

// At returns a cell.
func (m Matrix) At(i, j int) float64 {
	if m.cells == nil {
		return 0
	}
	return m.cells[i*m.Cols+j]
}

// Grid is an array type with a method.
type Grid [3][3]int

// Sum adds the cells.
func (g Grid) Sum() int {
	s := 0
	for _, row := range g {
		for _, c := range row {
			s += c
		}
	}
	return s
}

// ring is unexported, built by a constructor that panics on zero.
type ring struct {
	buf  []string
	next int
}

func newRing(n int) *ring {
	if n <= 0 {
		panic("ring size must be positive")
	}
	return &ring{buf: make([]string, n)}
}

func (r *ring) add(s string) {
	r.buf[r.next%len(r.buf)] = s
	r.next++
}

// Reset has the same name as Buffer.Reset.
func (r *ring) Reset() { r.next = 0 }

func (r ring) String() string { return strings.Join(r.buf, ",") }

// SafeCounter holds a mutex: copying it is a vet error.
type SafeCounter struct {
	mu sync.Mutex
	m  map[string]int
}

// Inc counts key.
func (c *SafeCounter) Inc(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]int{}
	}
	c.m[key]++
}

// Count returns key's count.
func (c *SafeCounter) Count(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[key]
}

// Stats holds an atomic: copying it is a vet error too.
type Stats struct {
	hits atomic.Int64
	name string
}

// Hit counts one hit.
func (s *Stats) Hit() int64 { return s.hits.Add(1) }

// Guarded embeds its mutex.
type Guarded struct {
	sync.Mutex
	n int
}

// Incr adds one.
func (g *Guarded) Incr() int {
	g.Lock()
	defer g.Unlock()
	g.n++
	return g.n
}
