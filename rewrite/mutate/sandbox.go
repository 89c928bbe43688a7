package mutate

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// A sandbox is a copy of the module tree that test binaries run in.
//
// Tests run in their package's directory, and a mutant is code that does
// what it was not written to do: a mutated condition in code that writes
// files (golden files under an -update flag, say) would write into the
// user's tree. So tests run in a copy, one per worker (a mutant's test
// writing a file must not disturb another worker's run either), and the
// copy is checked after each run and repaired from the original, so that
// one mutant's damage does not change the next one's fate.
type sandbox struct {
	orig, dir string
	stamps    map[string]stamp // by slash-separated path relative to dir
}

type stamp struct {
	size  int64
	mode  fs.FileMode
	mtime time.Time
	link  string
}

// maxSandboxBytes bounds the copy; a bigger tree is not copied and tests
// run in place (with a warning).
const maxSandboxBytes = 1 << 30

// skipInCopy are directories tests have no business reading.
var skipInCopy = map[string]bool{".git": true, ".hg": true, ".svn": true, ".jj": true}

var errTooBig = errors.New("the module tree is too big to copy")

// newSandbox copies orig's tree to dir, leaving out exclude (the run's
// temporary directory, which may well be inside the tree).
func newSandbox(orig, dir, exclude string) (*sandbox, error) {
	s := &sandbox{orig: orig, dir: dir, stamps: make(map[string]stamp)}
	var total int64
	err := filepath.WalkDir(orig, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(orig, path)
		if d.IsDir() && (skipInCopy[d.Name()] || path == exclude) {
			return filepath.SkipDir
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Mode().IsRegular() {
			total += info.Size()
			if total > maxSandboxBytes {
				return errTooBig
			}
		}
		return s.copyEntry(rel, info)
	})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

// copyEntry copies one file, directory or symbolic link and records its
// stamp in the copy.
func (s *sandbox) copyEntry(rel string, info fs.FileInfo) error {
	src, dst := filepath.Join(s.orig, rel), filepath.Join(s.dir, rel)
	switch {
	case info.IsDir():
		if err := os.MkdirAll(dst, 0o777); err != nil {
			return err
		}
	case info.Mode()&fs.ModeSymlink != 0:
		target, err := os.Readlink(src)
		if err != nil {
			return err
		}
		target = s.linkTarget(src, target)
		if err := os.Symlink(target, dst); err != nil {
			return err
		}
	case info.Mode().IsRegular():
		if err := copyFile(src, dst, info.Mode().Perm()); err != nil {
			return err
		}
	default:
		return nil // sockets, devices: not copied
	}
	st, err := os.Lstat(dst)
	if err != nil {
		return err
	}
	s.stamps[filepath.ToSlash(rel)] = stampOf(dst, st)
	return nil
}

// linkTarget is where a copied symbolic link points: into the copy when
// it points into the tree, at the same place (absolute) when it points
// outside it, as a relative link from the copy would dangle.
func (s *sandbox) linkTarget(link, target string) string {
	abs := target
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(filepath.Dir(link), target)
	}
	rel, err := filepath.Rel(s.orig, abs)
	switch {
	case err == nil && filepath.IsLocal(rel):
		if filepath.IsAbs(target) {
			return filepath.Join(s.dir, rel)
		}
		return target // relative and inside: the same in the copy
	case err == nil && rel == ".":
		return s.dir
	}
	return abs
}

func stampOf(path string, info fs.FileInfo) stamp {
	st := stamp{mode: info.Mode()}
	switch {
	case info.Mode()&fs.ModeSymlink != 0:
		st.link, _ = os.Readlink(path)
	case info.Mode().IsRegular():
		st.size, st.mtime = info.Size(), info.ModTime()
	}
	return st
}

func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm|0o200)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(dst, perm)
	}
	return err
}

// path returns where dir, a directory of the original tree, is in the
// copy, or dir itself when it is outside the tree.
func (s *sandbox) path(dir string) string {
	if s == nil {
		return dir
	}
	rel, err := filepath.Rel(s.orig, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return dir
	}
	return filepath.Join(s.dir, rel)
}

// repair undoes what a run changed in the copy: files added are removed,
// files changed or removed are copied again. It reports how many entries
// it repaired.
func (s *sandbox) repair() (int, error) {
	if s == nil {
		return 0, nil
	}
	seen := make(map[string]bool, len(s.stamps))
	var extra []string
	repaired := 0
	err := filepath.WalkDir(s.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			// An unreadable directory a test left: it is removed below
			// (and copied again if it is one of the originals).
			rel, _ := filepath.Rel(s.dir, path)
			extra = append(extra, rel)
			delete(seen, filepath.ToSlash(rel))
			return nil
		}
		rel, _ := filepath.Rel(s.dir, path)
		key := filepath.ToSlash(rel)
		want, ok := s.stamps[key]
		if !ok {
			extra = append(extra, rel)
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		seen[key] = true
		info, err := d.Info()
		if err != nil {
			return nil
		}
		if got := stampOf(path, info); got != want {
			if want.mode.IsDir() && info.IsDir() {
				os.Chmod(path, want.mode.Perm()|0o700)
				return nil
			}
			extra = append(extra, rel)
			delete(seen, key)
			if info.IsDir() {
				return filepath.SkipDir
			}
		}
		return nil
	})
	if err != nil {
		return repaired, err
	}
	for _, rel := range extra {
		p := filepath.Join(s.dir, rel)
		if err := forceRemove(p); err != nil {
			return repaired, fmt.Errorf("repairing the test sandbox: %v", err)
		}
		repaired++
	}
	// Recopy what is missing, parents first (the keys sort that way).
	var missing []string
	for key := range s.stamps {
		if !seen[key] {
			missing = append(missing, key)
		}
	}
	sortPaths(missing)
	for _, key := range missing {
		rel := filepath.FromSlash(key)
		info, err := os.Lstat(filepath.Join(s.orig, rel))
		if err != nil {
			return repaired, fmt.Errorf("repairing the test sandbox: %v", err)
		}
		if err := s.copyEntry(rel, info); err != nil {
			return repaired, fmt.Errorf("repairing the test sandbox: %v", err)
		}
		repaired++
	}
	return repaired, nil
}

// forceRemove removes path and what it holds, first making every
// directory in it writable (a test may leave read-only ones).
func forceRemove(path string) error {
	filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if d != nil && d.IsDir() {
			os.Chmod(p, 0o700)
		}
		return nil
	})
	return os.RemoveAll(path)
}

// sortPaths sorts slash-separated paths so that a directory comes before
// what it holds.
func sortPaths(paths []string) {
	sort.Slice(paths, func(i, j int) bool {
		di, dj := strings.Count(paths[i], "/"), strings.Count(paths[j], "/")
		if di != dj {
			return di < dj
		}
		return paths[i] < paths[j]
	})
}
