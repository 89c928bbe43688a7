package fates

// Line's positions are the file's own, whatever //line says.
//
//line fake.y:100
func Line(a int) int {
	return a + 1
}

// Unlined is never called: it has no coverage, //line or not.
func Unlined(a int) int {
	return a * 3
}
