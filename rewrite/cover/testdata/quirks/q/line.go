package q

// Lined has a //line directive: its positions are those of another file.
//
//line lined.go:100
func Lined(x int) int {
	if x > 0 {
		return 1
	}
	return 0
}
