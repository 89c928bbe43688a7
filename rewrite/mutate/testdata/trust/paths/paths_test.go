package paths

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// source is the path the binary records for this file.
func source() string {
	_, file, _, _ := runtime.Caller(0)
	return file
}

// TestCaller compares the recorded path with one made from the working
// directory, as logging libraries' tests do.
func TestCaller(t *testing.T) {
	abs, err := filepath.Abs("paths_test.go")
	if err != nil {
		t.Fatal(err)
	}
	if source() != abs {
		t.Fatalf("runtime.Caller says %s, filepath.Abs %s", source(), abs)
	}
	if got := Greet(" x "); got != "hello, x" {
		t.Errorf("Greet = %q", got)
	}
}

// TestTestdata reads testdata relative to the working directory and
// beside its source.
func TestTestdata(t *testing.T) {
	rel, err := os.ReadFile("testdata/name.txt")
	if err != nil {
		t.Fatal(err)
	}
	beside, err := os.ReadFile(filepath.Join(filepath.Dir(source()), "testdata", "name.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if string(rel) != string(beside) {
		t.Fatalf("testdata differs: %q and %q", rel, beside)
	}
	if got := Greet(string(rel)); got != "hello, world" {
		t.Errorf("Greet = %q", got)
	}
}

// TestLarge writes beside its source when 5 is large: a mutant makes it
// write into the tree its binary names.
func TestLarge(t *testing.T) {
	if Large(5) {
		os.WriteFile(filepath.Join(filepath.Dir(source()), "testdata", "large.txt"), []byte("5"), 0o666)
	}
	if !Large(500) || strings.Contains(source(), "\x00") {
		t.Error("500 is large")
	}
}
