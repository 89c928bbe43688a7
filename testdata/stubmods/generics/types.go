package generics

import (
	"cmp"
	"iter"
	"sync"
)

// Set is a generic map type with methods.
type Set[T comparable] map[T]struct{}

// NewSet is a generic constructor.
func NewSet[T comparable](xs ...T) Set[T] {
	s := Set[T]{}
	for _, x := range xs {
		s.Add(x)
	}
	return s
}

// Add names the type parameter as declared.
func (s Set[T]) Add(v T) { s[v] = struct{}{} }

// Has renames the receiver's type parameter.
func (s Set[E]) Has(v E) bool {
	_, ok := s[v]
	return ok
}

// All returns an iterator.
func (s Set[T]) All() iter.Seq[T] {
	return func(yield func(T) bool) {
		for v := range s {
			if !yield(v) {
				return
			}
		}
	}
}

// Pair has two type parameters.
type Pair[K comparable, V any] struct {
	Key K
	Val V
}

// Swap returns a pair with the types exchanged: its result instantiates
// Pair with the receiver's parameters reversed.
func (p Pair[K, V]) Swap() Pair[string, K] {
	return Pair[string, K]{Key: "swapped", Val: p.Key}
}

// List is a generic linked list with an unexported generic node type.
type List[T any] struct {
	head *node[T]
	n    int
}

type node[T any] struct {
	val  T
	next *node[T]
}

// Push adds v at the front.
func (l *List[T]) Push(v T) {
	l.head = &node[T]{val: v, next: l.head}
	l.n++
}

// Len has a blank type parameter in its receiver.
func (l *List[_]) Len() int { return l.n }

func (n *node[T]) last() *node[T] {
	for n.next != nil {
		n = n.next
	}
	return n
}

// Tree is constrained by cmp.Ordered.
type Tree[T cmp.Ordered] struct {
	root *treeNode[T]
}

type treeNode[T cmp.Ordered] struct {
	v           T
	left, right *treeNode[T]
}

// Insert adds v.
func (t *Tree[T]) Insert(v T) {
	p := &t.root
	for *p != nil {
		if v < (*p).v {
			p = &(*p).left
		} else {
			p = &(*p).right
		}
	}
	*p = &treeNode[T]{v: v}
}

// Cache mixes generics and a mutex.
type Cache[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]V
}

// Get looks key up.
func (c *Cache[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	return v, ok
}

// Put stores a value.
func (c *Cache[K, V]) Put(key K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[K]V)
	}
	c.m[key] = v
}

// Stack's first type parameter is constrained by the second.
type Stack[S ~[]E, E any] struct {
	items S
}

// Push appends e.
func (s *Stack[S, E]) Push(e E) { s.items = append(s.items, e) }

// Peek returns the top.
func (s Stack[S, E]) Peek() (E, bool) {
	var zero E
	if len(s.items) == 0 {
		return zero, false
	}
	return s.items[len(s.items)-1], true
}
