package fates

// Line's positions are the file's own, whatever //line says.
//
//line fake.y:100
func Line(a int) int {
	return a + 1
}
