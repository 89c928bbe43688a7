// Package store is the example gorewrite trace --otel writes spans into.
package store

import (
	"context"
	"errors"
)

var ErrNotFound = errors.New("not found")

type Store struct{ items map[string]int }

// Get returns the count of an item.
func (s *Store) Get(ctx context.Context, name string) (int, error) {
	n, ok := s.items[name]
	if !ok {
		return 0, ErrNotFound
	}
	return n, nil
}

// Close has nothing to close.
func (s *Store) Close(context.Context) error { return nil }

func total(items map[string]int) int {
	sum := 0
	for _, n := range items {
		sum += n
	}
	return sum
}
