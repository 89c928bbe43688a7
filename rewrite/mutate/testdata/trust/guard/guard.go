// Package guard has code whose mutants block: its tests guard against
// that with a timer of their own, so they fail, well after gorewrite's
// first limit, and such mutants are Killed, not Timeout. Spin's test has
// no guard: its mutants that loop for ever are Timeout.
package guard

// Drain receives n values from ch and returns their sum.
func Drain(ch <-chan int, n int) int {
	sum := 0
	for i := 0; i < n; i++ {
		sum += <-ch
	}
	return sum
}

// Spin counts n down to zero.
func Spin(n int) int {
	for n > 0 {
		n--
	}
	return n
}
