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

// OutputPath names path the way -l and -d output name files: relative to
// dir, with ../ where the file lies outside it, as gofmt -l ../x does. A
// diff header must name the file from where it will be applied (the working
// directory); the absolute name RelPath keeps for such files would make
// a/tmp/x.go, which applies from no directory. Path is returned unchanged
// when no relative name exists (another volume) or it is not absolute.
func OutputPath(dir, path string) string {
	if dir == "" || !filepath.IsAbs(path) {
		return path
	}
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		return path
	}
	return rel
}

// UnifiedDiff returns a unified diff from old to new of the file at path
// (relative to the working directory), with a/ and b/ prefixes, so that
// git apply and patch -p1 read it. It is empty when the contents are equal.
func UnifiedDiff(path string, old, new []byte) string {
	if bytes.Equal(old, new) {
		return ""
	}
	// Callers name files with OutputPath, so an absolute path is rare (a
	// file on another volume); it gets the prefixes the way git diff gives
	// them: a/tmp/x.go. A name with a blank ends with a tab, which tells
	// patch where it ends.
	path = strings.TrimPrefix(filepath.ToSlash(path), "/")
	end := ""
	if strings.ContainsAny(path, " \t") {
		end = "\t"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "--- a/%s%s\n+++ b/%s%s\n", path, end, path, end)
	writeHunks(&b, lineOps(old, new), 3)
	return b.String()
}

// lineOp is one line of a diff: ' ' kept, '-' deleted, '+' inserted.
type lineOp struct {
	kind byte
	text string // with its newline, if it has one
}

// lineOps lists old's and new's lines as a line diff (computed by
// go-udiff, gopls' diff algorithm).
func lineOps(old, new []byte) []lineOp {
	oldLines := splitLines(string(old))
	var ops []lineOp
	i, off := 0, 0
	for _, e := range udiff.Lines(string(old), string(new)) {
		for i < len(oldLines) && off < e.Start {
			ops = append(ops, lineOp{' ', oldLines[i]})
			off += len(oldLines[i])
			i++
		}
		for i < len(oldLines) && off < e.End {
			ops = append(ops, lineOp{'-', oldLines[i]})
			off += len(oldLines[i])
			i++
		}
		for _, l := range splitLines(e.New) {
			ops = append(ops, lineOp{'+', l})
		}
	}
	for ; i < len(oldLines); i++ {
		ops = append(ops, lineOp{' ', oldLines[i]})
	}
	return ops
}

func splitLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// writeHunks writes the changes in ops as unified diff hunks with context
// lines of context around each.
func writeHunks(b *strings.Builder, ops []lineOp, context int) {
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		// A hunk: from context lines before this change to context lines
		// after the last change that is at most 2*context lines further.
		start := max(0, i-context)
		end := i
		for j := i; j < len(ops); j++ {
			if ops[j].kind != ' ' {
				end = j + 1
			} else if j-end >= 2*context {
				break
			}
		}
		end = min(len(ops), end+context)
		oldStart, newStart := 1, 1
		for _, op := range ops[:start] {
			if op.kind != '+' {
				oldStart++
			}
			if op.kind != '-' {
				newStart++
			}
		}
		oldCount, newCount := 0, 0
		for _, op := range ops[start:end] {
			if op.kind != '+' {
				oldCount++
			}
			if op.kind != '-' {
				newCount++
			}
		}
		fmt.Fprintf(b, "@@ -%s +%s @@\n", hunkRange(oldStart, oldCount), hunkRange(newStart, newCount))
		for _, op := range ops[start:end] {
			b.WriteByte(op.kind)
			b.WriteString(op.text)
			if !strings.HasSuffix(op.text, "\n") {
				b.WriteString("\n\\ No newline at end of file\n")
			}
		}
		i = end
	}
}

// hunkRange formats a hunk's line range as diff does: "l,n", "l" for one
// line, and the line before for none.
func hunkRange(start, count int) string {
	switch count {
	case 0:
		return fmt.Sprintf("%d,0", start-1)
	case 1:
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, count)
}

// ErrReadOnly is returned by WriteFile for a file its owner may not write.
var ErrReadOnly = errors.New("read-only file; not written")

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
	// Renaming over a read-only file would succeed, even for someone who may
	// not write it: refuse, for everyone (root too), as the mode asks.
	if fi.Mode().Perm()&0o200 == 0 {
		return fmt.Errorf("%w (mode %v)", ErrReadOnly, fi.Mode().Perm())
	}
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

// WriteOutput writes a file the tool produces (a profile, a report, a file
// instrumentation adds), atomically like WriteFile: an existing file is
// replaced whatever it holds, keeping its permissions; a new one is created
// with mode 0644, and so are missing directories.
func WriteOutput(path string, data []byte) error {
	target, err := filepath.EvalSymlinks(path)
	if errors.Is(err, os.ErrNotExist) {
		target = path
	} else if err != nil {
		return err
	}
	perm := os.FileMode(0o644)
	if fi, err := os.Stat(target); err == nil {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s: not a regular file", path)
		}
		perm = fi.Mode().Perm()
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+base+".gorewrite-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(perm)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), target)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}
