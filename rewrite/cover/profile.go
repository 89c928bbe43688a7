package cover

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Counts are the counts of a profile (statement or branch) by line key:
// the line without its count.
type Counts map[string]uint64

// blockKey is the profile line of b without its count.
func blockKey(b Block) string { return b.Key() }

// Key identifies b in Counts: its profile line without the count.
func (b Block) Key() string {
	return fmt.Sprintf("%s:%d.%d,%d.%d %d", b.File, b.StartLine, b.StartCol, b.EndLine, b.EndCol, b.NumStmt)
}

// outcomeKey is the branch profile line of outcome i of b without its count.
func outcomeKey(b Branch, i int) string {
	return fmt.Sprintf("%s:%d.%d,%d.%d %d", b.File, b.Line, b.Col, b.EndLine, b.EndCol, i)
}

// ReadCounts reads a profile written by the runtime: its mode and counts.
// header is "mode: " for statement profiles, "branchmode: " for branch
// profiles. A missing file has no counts.
func ReadCounts(path, header string) (Mode, Counts, error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return "", Counts{}, nil
	} else if err != nil {
		return "", nil, err
	}
	return parseCounts(path, data, header)
}

func parseCounts(path string, data []byte, header string) (Mode, Counts, error) {
	counts := Counts{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	var mode Mode
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if n == 1 {
			m, ok := strings.CutPrefix(line, header)
			if !ok {
				return "", nil, fmt.Errorf("%s:1: not a profile: want %q", path, header+"...")
			}
			mode = Mode(m)
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			return "", nil, fmt.Errorf("%s:%d: bad line %q", path, n, line)
		}
		v, err := strconv.ParseUint(line[i+1:], 10, 64)
		if err != nil {
			return "", nil, fmt.Errorf("%s:%d: bad count in %q", path, n, line)
		}
		if mode == Set {
			counts[line[:i]] = max(counts[line[:i]], min(v, 1))
		} else {
			counts[line[:i]] += v
		}
	}
	return mode, counts, sc.Err()
}

// WriteProfile writes a coverage profile of blocks with their counts, in
// the text format of go test -coverprofile, which go tool cover reads:
// blocks sorted by file and position.
func WriteProfile(w io.Writer, mode Mode, blocks []Block, counts Counts) error {
	sorted := append([]Block(nil), blocks...)
	sort.SliceStable(sorted, func(i, j int) bool { return blockLess(sorted[i], sorted[j]) })
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "mode: %s\n", mode)
	for _, b := range sorted {
		k := blockKey(b)
		fmt.Fprintf(bw, "%s %d\n", k, counts[k])
	}
	return bw.Flush()
}

func blockLess(a, b Block) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.StartLine != b.StartLine {
		return a.StartLine < b.StartLine
	}
	if a.StartCol != b.StartCol {
		return a.StartCol < b.StartCol
	}
	if a.EndLine != b.EndLine {
		return a.EndLine < b.EndLine
	}
	return a.EndCol < b.EndCol
}

// Percent is the share of statements in blocks that ran, in percent, and
// false when there are no statements.
func Percent(blocks []Block, counts Counts) (float64, bool) {
	var total, covered int
	for _, b := range blocks {
		total += b.NumStmt
		if counts[blockKey(b)] > 0 {
			covered += b.NumStmt
		}
	}
	if total == 0 {
		return 0, false
	}
	return 100 * float64(covered) / float64(total), true
}

// Reported reports whether counts has a line for any of blocks: whether a
// test binary that holds them wrote its profile.
func Reported(blocks []Block, counts Counts) bool {
	for _, b := range blocks {
		if _, ok := counts[blockKey(b)]; ok {
			return true
		}
	}
	return false
}

// OutcomeKey identifies outcome i of b in a branch profile's Counts.
func (b Branch) OutcomeKey(i int) string { return outcomeKey(b, i) }
