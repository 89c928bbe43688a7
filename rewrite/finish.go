package rewrite

import (
	"bytes"
	"errors"
	"fmt"
	"go/scanner"
	"go/token"
	"slices"
	"strings"
)

// A FileResult is what the engine did to one file: its new content when the
// rules changed it, or why it could not be processed.
type FileResult struct {
	// Filename is the absolute file name, or empty for a problem that
	// belongs to no single file (a package that could not be loaded).
	Filename string
	// Src is the content the rules saw; Out the new content, nil when the
	// file is unchanged or failed.
	Src, Out []byte
	// Edits are the rules' edits, in the coordinates of Src.
	Edits []AppliedEdit
	// Errs lists the problems, as *Error values where a position is known.
	Errs []error
	// Skipped says why a file named on the command line was not processed
	// (a generated file, say); empty otherwise.
	Skipped string
}

// Changed reports whether the rules changed the file.
func (r *FileResult) Changed() bool { return r.Out != nil }

// An AppliedEdit is one edit a rule made, for reports.
type AppliedEdit struct {
	Rule string
	// Part and PartIndex say which part of the rule made the edit; see
	// [Edit.Part].
	Part      string
	PartIndex int
	Pos, End  token.Position // in the original file
	Old, New  string
}

// finish applies the edits recorded for fs and returns the result.
func (fs *fileState) finish() *FileResult {
	res := &FileResult{Filename: fs.name, Src: fs.src, Errs: fs.errs}
	if fs.failed || len(fs.edits) == 0 && len(fs.imports) == 0 {
		return res
	}
	edits, err := sortEdits(fs.tf, slices.Clone(fs.edits))
	if err != nil {
		res.Errs = append(res.Errs, err)
		return res
	}
	raw, spans := applyEdits(fs.src, edits)
	imps, err := importEdits(fs, raw)
	if err != nil {
		res.Errs = append(res.Errs, fs.invalidResult(err, edits))
		return res
	}
	if len(imps) > 0 {
		tf := token.NewFileSet().AddFile(fs.name, -1, len(raw))
		tf.SetLinesForContent(raw)
		imps, err = sortEdits(tf, imps)
		if err != nil {
			res.Errs = append(res.Errs, err)
			return res
		}
		raw2, impSpans := applyEdits(raw, imps)
		spans = append(shiftSpans(spans, imps), impSpans...)
		raw = raw2
	}
	out, err := formatEdited(fs.src, raw, spans)
	if err != nil {
		res.Errs = append(res.Errs, fs.invalidResult(err, edits))
		return res
	}
	if usesCRLF(fs.src) {
		// The formatter writes \n; keep the file's line endings.
		out = bytes.ReplaceAll(bytes.ReplaceAll(out, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
	}
	if bytes.Equal(out, fs.src) {
		return res
	}
	res.Out = out
	for _, e := range edits {
		res.Edits = append(res.Edits, AppliedEdit{
			Rule:      e.rule,
			Part:      e.part,
			PartIndex: e.partIndex,
			Pos:       fs.tf.Position(fs.tf.Pos(e.start)),
			End:       fs.tf.Position(fs.tf.Pos(e.end)),
			Old:       string(fs.src[e.start:e.end]),
			New:       e.text,
		})
	}
	return res
}

// invalidResult explains that the edits made the file unparsable, at the
// original position nearest to the first syntax error and naming the rules.
func (fs *fileState) invalidResult(err error, edits []textEdit) error {
	pos := token.Position{Filename: fs.name}
	msg := err.Error()
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		pos = fs.tf.Position(fs.tf.Pos(min(mapBack(list[0].Pos.Offset, edits), fs.tf.Size())))
		pos.Filename = fs.name
		msg = list[0].Msg
	}
	var rules []string
	for _, e := range edits {
		if !slices.Contains(rules, e.rule) {
			rules = append(rules, e.rule)
		}
	}
	return &Error{Pos: pos, Msg: fmt.Sprintf("rule %s produced invalid Go (%s); file left unchanged", strings.Join(rules, ", "), msg)}
}

// shiftSpans moves spans of a text to where they are after edits to it.
func shiftSpans(spans []span, edits []textEdit) []span {
	out := make([]span, len(spans))
	for i, s := range spans {
		delta := 0
		for _, e := range edits {
			if e.end <= s.start {
				delta += len(e.text) - (e.end - e.start)
			}
		}
		out[i] = span{s.start + delta, s.end + delta}
	}
	return out
}

// usesCRLF reports whether every line of src ends in \r\n.
func usesCRLF(src []byte) bool {
	n := bytes.Count(src, []byte("\n"))
	return n > 0 && bytes.Count(src, []byte("\r\n")) == n
}
