// Package stdcopy copies standard-library packages into a module of their
// own, for tests that instrument real code nobody here wrote and run its
// tests (cover's parity with go test, trace's corpus).
package stdcopy

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Module makes a module named stdcopy in a temporary directory holding
// copies of the packages (import paths of the standard library), and
// returns its directory and the packages' patterns ("./encoding/csv").
func Module(t testing.TB, paths ...string) (dir string, patterns []string) {
	t.Helper()
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module stdcopy\n\ngo 1.26\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		CopyDir(t, filepath.Join(runtime.GOROOT(), "src", filepath.FromSlash(p)), filepath.Join(dir, filepath.FromSlash(p)))
		patterns = append(patterns, "./"+p)
	}
	return dir, patterns
}

// CopyDir copies the Go files and testdata of a package directory.
func CopyDir(t testing.TB, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			if rel != "." && !strings.HasPrefix(filepath.ToSlash(rel), "testdata") {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(to, rel), 0o777)
		}
		if !strings.HasSuffix(path, ".go") && !strings.HasPrefix(filepath.ToSlash(rel), "testdata/") {
			return nil
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(filepath.Join(to, rel))
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
}
