package mutate

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// AssignIDs sets RelFile (relative to root) and a stable ID on every
// mutant, and sorts them by file, position, operator and replacement.
//
// An ID hashes the operator, the file, the enclosing function, the
// original and new text and how many equal changes come before this one
// in the same function: edits elsewhere in the file, even ones that move
// lines, leave it alone.
func AssignIDs(mutants []*Mutant, root string) {
	for _, m := range mutants {
		rel, err := filepath.Rel(root, m.File)
		if err != nil || strings.HasPrefix(rel, "..") {
			rel = m.File
		}
		m.RelFile = filepath.ToSlash(rel)
	}
	Sort(mutants)
	seen := make(map[string]int)
	for _, m := range mutants {
		key := strings.Join([]string{m.Operator, m.RelFile, m.Func, m.Original, m.Replacement}, "\x00")
		n := seen[key]
		seen[key]++
		sum := sha256.Sum256([]byte(key + "\x00" + strconv.Itoa(n)))
		m.ID = hex.EncodeToString(sum[:6])
	}
}

// Sort orders mutants as reports list them.
func Sort(mutants []*Mutant) {
	sort.SliceStable(mutants, func(i, j int) bool {
		a, b := mutants[i], mutants[j]
		if a.RelFile != b.RelFile {
			return a.RelFile < b.RelFile
		}
		if a.Offset != b.Offset {
			return a.Offset < b.Offset
		}
		if a.EndOffset != b.EndOffset {
			return a.EndOffset < b.EndOffset
		}
		if a.Operator != b.Operator {
			return a.Operator < b.Operator
		}
		if a.Replacement != b.Replacement {
			return a.Replacement < b.Replacement
		}
		return a.ID < b.ID
	})
}

// A Shard is part K (1-based) of N of the mutants.
type Shard struct{ K, N int }

// ParseShard parses "K/N".
func ParseShard(s string) (Shard, error) {
	k, n, ok := strings.Cut(s, "/")
	ki, err1 := strconv.Atoi(k)
	ni, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || ni < 1 || ki < 1 || ki > ni {
		return Shard{}, fmt.Errorf("--shard %q: want K/N with 1 <= K <= N", s)
	}
	return Shard{ki, ni}, nil
}

// Holds reports whether the mutant with this ID belongs to the shard. It
// depends on the ID alone, so the shards of a run partition its mutants
// exactly, whatever each shard's machine finds.
func (s Shard) Holds(id string) bool {
	if s.N <= 1 {
		return true
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32()%uint32(s.N)) == s.K-1
}

// Lines are line numbers of files, by absolute file name; line 0
// (wholeFile) stands for all of a file's lines.
type Lines map[string]map[int]bool

const wholeFile = 0

// Holds reports whether m touches one of the lines.
func (l Lines) Holds(m *Mutant) bool {
	lines, ok := l[m.File]
	if !ok {
		// git names files by their real path; the go command by the one
		// the working directory was reached through.
		lines = l[realPath(m.File)]
	}
	if lines[wholeFile] {
		return true
	}
	for line := m.Start.Line; line <= m.End.Line; line++ {
		if lines[line] {
			return true
		}
	}
	return false
}

func realPath(name string) string {
	if r, err := filepath.EvalSymlinks(name); err == nil {
		return r
	}
	return name
}

// ErrBadRevision is ChangedLines' error for a revision git does not know.
var ErrBadRevision = errors.New("not a git revision here")

// ChangedLines returns the lines of Go files in dir's git work tree that
// differ from ref (committed, staged or not), plus every line of untracked
// Go files.
func ChangedLines(ctx context.Context, dir, ref string) (Lines, error) {
	top, err := git(ctx, dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, err
	}
	root := realPath(strings.TrimSpace(string(top)))
	if _, err := git(ctx, dir, "rev-parse", "--verify", "--quiet", ref+"^{commit}"); err != nil {
		return nil, fmt.Errorf("--since %s: %w", ref, ErrBadRevision)
	}
	out, err := git(ctx, root, "diff", "--no-color", "--no-ext-diff", "-U0", "--relative=", ref, "--", "*.go")
	if err != nil {
		return nil, err
	}
	lines := make(Lines)
	var file string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		t := sc.Text()
		switch {
		case strings.HasPrefix(t, "+++ "):
			file = ""
			if name, ok := strings.CutPrefix(t, "+++ b/"); ok {
				file = filepath.Join(root, filepath.FromSlash(unquote(name)))
				lines[file] = make(map[int]bool)
			}
		case strings.HasPrefix(t, "@@ ") && file != "":
			// @@ -a,b +c,d @@: the new side's lines c..c+d-1.
			fields := strings.Fields(t)
			if len(fields) < 3 {
				continue
			}
			start, count := hunkRange(strings.TrimPrefix(fields[2], "+"))
			for l := start; l < start+count; l++ {
				lines[file][l] = true
			}
		}
	}
	untracked, err := git(ctx, root, "ls-files", "--others", "--exclude-standard", "-z", "--", "*.go")
	if err != nil {
		return nil, err
	}
	for _, name := range strings.Split(string(untracked), "\x00") {
		if name == "" {
			continue
		}
		file := filepath.Join(root, filepath.FromSlash(name))
		lines[file] = map[int]bool{wholeFile: true}
	}
	return lines, nil
}

func unquote(s string) string {
	if strings.HasPrefix(s, `"`) {
		if u, err := strconv.Unquote(s); err == nil {
			return u
		}
	}
	return s
}

func hunkRange(s string) (start, count int) {
	a, b, ok := strings.Cut(s, ",")
	start, _ = strconv.Atoi(a)
	count = 1
	if ok {
		count, _ = strconv.Atoi(b)
	}
	return start, count
}

func git(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("git %s: %s", args[0], msg)
	}
	return out, nil
}

// Root returns the directory report file names are relative to: the
// go.work file's directory in a workspace, else the main module's, else
// dir itself.
func Root(ctx context.Context, dir string, env []string) string {
	cmd := exec.CommandContext(ctx, "go", "env", "GOWORK", "GOMOD")
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		return dir
	}
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(line)
		if line != "" && line != "off" && line != os.DevNull {
			return filepath.Dir(line)
		}
	}
	return dir
}

// Has reports whether line of file (an absolute name) is one of the lines.
func (l Lines) Has(file string, line int) bool {
	lines, ok := l[file]
	if !ok {
		lines = l[realPath(file)]
	}
	return lines[wholeFile] || lines[line]
}
