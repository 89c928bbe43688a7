package rewrite

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
)

// UnifiedDiff returns a unified diff from old to new of the file at path
// (relative to the working directory), with a/ and b/ prefixes, so that
// git apply and patch -p1 read it. It is empty when the contents are equal.
func UnifiedDiff(path string, old, new []byte) string {
	if bytes.Equal(old, new) {
		return ""
	}
	// An absolute path (a file outside the working directory) gets the
	// prefixes the way git diff gives them: a/tmp/x.go.
	path = strings.TrimPrefix(filepath.ToSlash(path), "/")
	return udiff.Unified("a/"+path, "b/"+path, string(old), string(new))
}

// ErrFileChanged is returned by WriteFile when the file on disk is no longer
// the content the rules saw.
var ErrFileChanged = errors.New("file changed on disk since it was read; not written")

// WriteFile replaces the file at path, whose content was old, with new,
// atomically: the new content goes to a temporary file in the same
// directory, is synced, given the original's permissions and renamed over
// it, so the file is either the old or the new content, never a mix. It
// refuses to write when the file is not writable or no longer holds old.
// A symbolic link is followed: its target is replaced.
func WriteFile(path string, old, new []byte) (err error) {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	fi, err := os.Stat(target)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file", path)
	}
	// Renaming over a read-only file would succeed; refuse, as gofmt -w does.
	f, err := os.OpenFile(target, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	f.Close()
	current, err := os.ReadFile(target)
	if err != nil {
		return err
	}
	if !bytes.Equal(current, old) {
		return ErrFileChanged
	}
	dir, base := filepath.Split(target)
	tmp, err := os.CreateTemp(dir, "."+base+".gorewrite-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(new); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Chmod(fi.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), target); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil {
		d.Sync() // make the rename durable; not all file systems support it
		d.Close()
	}
	return nil
}

// writeErrorMessage words a WriteFile error without the temporary name.
func writeErrorMessage(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) && strings.Contains(pe.Path, ".gorewrite-") {
		return pe.Op + " temporary file: " + pe.Err.Error()
	}
	return readError(err)
}

// WriteError returns err, from WriteFile for path, as an *Error at path.
func WriteError(path string, err error) *Error {
	return &Error{Pos: tokenPosition(path), Msg: writeErrorMessage(err)}
}
