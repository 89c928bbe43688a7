// Package inventory's module requires go-cmp: generated tests compare with
// cmp.Diff.
package inventory

import (
	"errors"
	"sort"
)

// Item is a line of inventory.
type Item struct {
	Name string
	Qty  int
	Tags []string
}

// Merge adds up quantities by name.
func Merge(a, b []Item) []Item {
	idx := Index(append(append([]Item(nil), a...), b...))
	out := make([]Item, 0, len(idx))
	for _, it := range idx {
		out = append(out, it)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Index maps names to items, adding quantities.
func Index(items []Item) map[string]Item {
	m := map[string]Item{}
	for _, it := range items {
		cur := m[it.Name]
		cur.Name = it.Name
		cur.Qty += it.Qty
		cur.Tags = append(cur.Tags, it.Tags...)
		m[it.Name] = cur
	}
	return m
}

// Find looks an item up.
func Find(items []Item, name string) (*Item, bool) {
	for i := range items {
		if items[i].Name == name {
			return &items[i], true
		}
	}
	return nil, false
}

// Store has unexported fields: cmp.Diff needs options for it.
type Store struct {
	items map[string]Item
	log   []string
}

// NewStore returns a store holding items.
func NewStore(items ...Item) *Store {
	return &Store{items: Index(items)}
}

// Take removes qty of name.
func (s *Store) Take(name string, qty int) (Item, error) {
	it, ok := s.items[name]
	if !ok || it.Qty < qty {
		return Item{}, errors.New("not enough " + name)
	}
	it.Qty -= qty
	s.items[name] = it
	s.log = append(s.log, name)
	return it, nil
}
