package partial

// TestBar is a variable, not a test.
var TestBar = 21

// TestCase is a table row type, not a test.
type TestCase struct {
	In, Want string
}
