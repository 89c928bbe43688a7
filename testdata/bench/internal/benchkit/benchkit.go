// Package benchkit holds what the benchmark commands under testdata/bench
// share: copying a module out of the module cache, removing what the go
// command made read-only, and the small text helpers of their reports.
package benchkit

import (
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// CopyTree copies the regular files and directories under src to dst,
// writable (module cache files are read-only), keeping the other
// permission bits.
func CopyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return CopyFile(p, to)
	})
}

// CopyFile copies one file, writable, making its directory.
func CopyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	fi, err := os.Stat(from)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	return os.WriteFile(to, data, fi.Mode().Perm()|0o200)
}

// RemoveAll removes dir, making its directories writable first if it must
// (the go command leaves read-only module directories); it logs what it
// cannot remove.
func RemoveAll(dir string) {
	if os.RemoveAll(dir) == nil {
		return
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(p, 0o755)
		}
		return nil
	})
	if err := os.RemoveAll(dir); err != nil {
		log.Print(err)
	}
}

// LoadAverage is /proc/loadavg's first three figures, or "".
func LoadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(data)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return ""
}

// ReadFile is the file's content, or "".
func ReadFile(name string) string {
	data, _ := os.ReadFile(name)
	return string(data)
}

// LastLines is the last n lines of s, indented.
func LastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "    " + strings.Join(lines, "\n    ") + "\n"
}

// FirstN is s's first n elements.
func FirstN[T any](s []T, n int) []T {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Clip shortens s to n runes, ending in "...".
func Clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-3]) + "..."
}

// OneLine joins s's words with single spaces.
func OneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
