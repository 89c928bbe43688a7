// Package shop is the code the end-to-end test writes spans into. It does
// not use OpenTelemetry itself: its test checks the spans gorewrite wrote.
package shop

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
)

var ErrNoStock = errors.New("no stock")

type Shop struct {
	stock map[string]int
}

func New() *Shop { return &Shop{stock: map[string]int{"apple": 2}} }

// Buy calls Reserve and Charge, so their spans are its children. Its
// error result has no name; err is declared at the top of the body and
// shadowed in a block, which must not hide the error returned.
func (s *Shop) Buy(ctx context.Context, item string, n int) (string, error) {
	err := s.Reserve(ctx, item, n)
	if err != nil {
		return "", err
	}
	if n > 1 {
		err := s.Charge(ctx, n)
		if err != nil {
			return "", fmt.Errorf("charge: %w", err)
		}
	}
	return "receipt-" + strconv.Itoa(n), nil
}

// Reserve has a named error result set without a return value.
func (s *Shop) Reserve(ctx context.Context, item string, n int) (err error) {
	if s.stock[item] < n {
		err = ErrNoStock
		return
	}
	s.stock[item] -= n
	return nil
}

func (s *Shop) Charge(_ context.Context, amount int) error { return s.check(amount) }

func (s *Shop) check(amount int) error {
	if amount > 100 {
		return errors.New("too much")
	}
	return nil
}

// Audit panics on a negative count.
func Audit(ctx context.Context, n int) int {
	if n < 0 {
		panic("negative count " + strconv.Itoa(n))
	}
	return n
}

// Where reports its caller's line, which the spans must not move.
func Where(context.Context) int {
	_, _, line, _ := runtime.Caller(0)
	return line
}

// Order keeps the context it was made with.
type Order struct{ ctx context.Context }

// Track stores its context: it must keep the caller's.
func Track(ctx context.Context) *Order {
	return &Order{ctx: ctx}
}
