package rewrite

import (
	"errors"
	"fmt"
	"go/scanner"
	"go/token"
	"path/filepath"
	"strings"
)

// Error is a problem found at a position of a source file, printed the way
// the go command prints positions: file:line:col: message.
type Error struct {
	Pos token.Position // Filename is absolute; Line and Column may be 0
	Msg string
}

func (e *Error) Error() string {
	if !e.Pos.IsValid() && e.Pos.Filename == "" {
		return e.Msg
	}
	// go/types words follow-up lines as "\tother declaration of x": print
	// them indented, as the go command does.
	if msg, ok := strings.CutPrefix(e.Msg, "\t"); ok {
		return "\t" + e.Pos.String() + ": " + msg
	}
	return e.Pos.String() + ": " + e.Msg
}

// RelativeTo returns the message with the file name made relative to dir
// when the file lies inside it.
func (e *Error) RelativeTo(dir string) string {
	pos := e.Pos
	pos.Filename = RelPath(dir, pos.Filename)
	return (&Error{Pos: pos, Msg: e.Msg}).Error()
}

// RelPath returns path relative to dir when it lies inside dir, and path
// unchanged otherwise. Messages and diff headers use it so that they read
// like the go command's.
func RelPath(dir, path string) string {
	if dir == "" || !filepath.IsAbs(path) {
		return path
	}
	rel, err := filepath.Rel(dir, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return path
	}
	return rel
}

// maxErrorsPerFile bounds the syntax errors reported for one file, as gofmt does.
const maxErrorsPerFile = 10

// positionedErrors turns a parser's error list (or any error) into Errors.
func positionedErrors(filename string, err error) []error {
	var list scanner.ErrorList
	if errors.As(err, &list) {
		list.RemoveMultiples()
		var out []error
		for i, e := range list {
			if i == maxErrorsPerFile {
				out = append(out, &Error{Pos: e.Pos, Msg: fmt.Sprintf("too many errors (%d more)", len(list)-i)})
				break
			}
			out = append(out, &Error{Pos: e.Pos, Msg: e.Msg})
		}
		return out
	}
	var pe *Error
	if errors.As(err, &pe) {
		return []error{pe}
	}
	return []error{&Error{Pos: token.Position{Filename: filename}, Msg: err.Error()}}
}

func tokenPosition(filename string) token.Position {
	return token.Position{Filename: filename}
}
