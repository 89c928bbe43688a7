package q

// Ignored gets no probes.
//
//gorewrite:ignore
func Ignored(x int) int {
	if x > 0 {
		return 1
	}
	return 0
}
