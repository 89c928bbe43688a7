package rewrite_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorewrite/gorewrite/rewrite"
)

// TestUnifiedDiffApplies checks diffs of many shapes (nearby and distant
// changes, insertions, deletions, a missing final newline) by applying
// them with patch and comparing, and checks the hunk headers' counts.
func TestUnifiedDiffApplies(t *testing.T) {
	lines := func(s string) string { return strings.Join(strings.Fields(s), "\n") + "\n" }
	cases := []struct{ old, new string }{
		{lines("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20"), lines("1 2 X 4 5 6 7 8 9 10 11 Y 13 14 15 16 17 18 19 20")},
		{"1\n\n3\n\nA\n\nB\n\n9\n\n11\n\n13\n\n15\n\n17\n\nC\n\nD\n", "1\n\n3\n\na\n\nb\n\n9\n\n11\n\n13\n\n15\n\n17\n\nc\n\nd\n"},
		{lines("a b c"), lines("a x y z b c")},
		{lines("a b c d e f g h i j k"), lines("a b e f g h i j k")},
		{"a\nb\nc", "a\nB\nc"},
		{"a\nb\n", "a\nb\nc"},
		{"", "package p\n"},
	}
	dir := t.TempDir()
	for i, c := range cases {
		d := rewrite.UnifiedDiff("f.txt", []byte(c.old), []byte(c.new))
		checkCounts(t, d)
		if _, err := exec.LookPath("patch"); err != nil {
			continue
		}
		name := filepath.Join(dir, "f.txt")
		os.WriteFile(name, []byte(c.old), 0o644)
		cmd := exec.Command("patch", "-p1", "-s", "--no-backup-if-mismatch")
		cmd.Dir = dir
		cmd.Stdin = strings.NewReader(d)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("case %d: patch: %v\n%s\n%s", i, err, out, d)
			continue
		}
		got, _ := os.ReadFile(name)
		if string(got) != c.new {
			t.Errorf("case %d: patched %q, want %q\n%s", i, got, c.new, d)
		}
	}
}

// checkCounts verifies that each hunk has as many old and new lines as its
// header says, and that its new start is its old start moved by the lines
// the hunks before it added or removed.
func checkCounts(t *testing.T, d string) {
	t.Helper()
	var oldN, newN, wantOld, wantNew, delta int
	flush := func() {
		if oldN != wantOld || newN != wantNew {
			t.Errorf("hunk counts %d,%d, header says %d,%d:\n%s", oldN, newN, wantOld, wantNew, d)
		}
		delta += newN - oldN
	}
	inHunk := false
	for _, l := range strings.Split(d, "\n") {
		switch {
		case strings.HasPrefix(l, "@@"):
			if inHunk {
				flush()
			}
			inHunk = true
			oldN, newN = 0, 0
			var os, ns string
			fmtSscan(l, &os, &ns)
			wantOld, wantNew = count(os), count(ns)
			if oldStart, newStart := start(os, wantOld), start(ns, wantNew); newStart-oldStart != delta {
				t.Errorf("hunk %q starts at new line %d, want %d:\n%s", l, newStart, oldStart+delta, d)
			}
		case !inHunk || strings.HasPrefix(l, "\\\\") || l == "":
		case l[0] == ' ':
			oldN++
			newN++
		case l[0] == '-':
			oldN++
		case l[0] == '+':
			newN++
		}
	}
	if inHunk {
		flush()
	}
}

func fmtSscan(header string, old, new *string) {
	f := strings.Fields(header)
	*old, *new = strings.TrimPrefix(f[1], "-"), strings.TrimPrefix(f[2], "+")
}

// start returns a hunk range's first line (for an empty range, the line
// after the one it names).
func start(r string, count int) int {
	first, _, _ := strings.Cut(r, ",")
	n := 0
	for _, ch := range first {
		n = n*10 + int(ch-'0')
	}
	if count == 0 {
		n++
	}
	return n
}

func count(r string) int {
	if _, n, ok := strings.Cut(r, ","); ok {
		c := 0
		for _, ch := range n {
			c = c*10 + int(ch-'0')
		}
		return c
	}
	return 1
}
