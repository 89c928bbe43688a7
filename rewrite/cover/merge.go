package cover

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// MergeProfiles joins profiles of one kind (statement profiles, "mode:",
// or branch profiles, "branchmode:") from several runs, CI shards or
// binaries into one: in set mode a block counts when it ran in any of
// them; in count and atomic modes the counts add up. Profiles of
// different modes or kinds are an error. The result lists the blocks of
// all of them, sorted by file and position, as go test writes them.
// Names relative to dir are read from there.
func MergeProfiles(w io.Writer, dir string, names ...string) error {
	var header string
	var mode Mode
	merged := Counts{}
	for _, name := range names {
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		first, _, _ := bytes.Cut(data, []byte("\n"))
		h := "mode: "
		if bytes.HasPrefix(first, []byte("branchmode: ")) {
			h = "branchmode: "
		}
		m, counts, err := parseCounts(name, data, h)
		if err != nil {
			return err
		}
		switch {
		case header == "":
			header, mode = h, m
		case h != header:
			return fmt.Errorf("%s is a %s profile and %s a %s one: merge profiles of one kind", names[0], kind(header), name, kind(h))
		case m != mode:
			return fmt.Errorf("%s has mode %s and %s mode %s: merge profiles of one mode (go test -covermode, gorewrite cover --mode)", names[0], mode, name, m)
		}
		for k, v := range counts {
			if mode == Set {
				merged[k] = max(merged[k], v)
			} else {
				merged[k] += v
			}
		}
	}
	keys := make([]string, 0, len(merged))
	for k := range merged {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareKeys)
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s%s\n", header, mode)
	for _, k := range keys {
		fmt.Fprintf(bw, "%s %d\n", k, merged[k])
	}
	return bw.Flush()
}

func kind(header string) string {
	if header == "branchmode: " {
		return "branch"
	}
	return "statement"
}

// compareKeys orders profile keys (file:line.col,line.col n) by file, then
// by position, then by the rest.
func compareKeys(a, b string) int {
	fa, ra, _ := strings.Cut(a, ":")
	fb, rb, _ := strings.Cut(b, ":")
	if c := strings.Compare(fa, fb); c != 0 {
		return c
	}
	na, nb := positions(ra), positions(rb)
	for i := range na {
		if na[i] != nb[i] {
			return na[i] - nb[i]
		}
	}
	return strings.Compare(ra, rb)
}

// positions reads "line.col,line.col n" as four numbers (and the last).
func positions(s string) [5]int {
	var out [5]int
	for i, f := range strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == ',' || r == ' ' }) {
		if i < len(out) {
			out[i], _ = strconv.Atoi(f)
		}
	}
	return out
}
