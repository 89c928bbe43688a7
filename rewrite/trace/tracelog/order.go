package tracelog

import (
	"cmp"
	"slices"
)

// Logs run to tens of millions of calls; these are the linear-time steps
// that put them in nesting order without sorting them by start, and the
// dense function index that the summary counts with.

// orderCalls returns calls in nesting order (by goroutine, start, end
// descending). The runtime writes a goroutine's calls in the order they
// ended (deferred exits run innermost first), in chunks per CPU: calls are
// grouped by goroutine in one pass, each group is sorted by end (already
// nearly so), and the post-order that gives is turned into pre-order with
// a stack, in linear time.
func orderCalls(calls []Call) []Call {
	if len(calls) == 0 {
		return calls
	}
	// Group by goroutine, goroutines in increasing id order.
	type group struct {
		g          uint64
		n, at, pos int
	}
	index := map[uint64]int{}
	var groups []group
	which := make([]int32, len(calls))
	lastG, last := calls[0].Goroutine, -1
	for i := range calls {
		g := calls[i].Goroutine
		if g != lastG || last < 0 {
			b, ok := index[g]
			if !ok {
				b = len(groups)
				index[g] = b
				groups = append(groups, group{g: g})
			}
			lastG, last = g, b
		}
		groups[last].n++
		which[i] = int32(last)
	}
	byID := make([]int, len(groups))
	for i := range byID {
		byID[i] = i
	}
	slices.SortFunc(byID, func(a, b int) int { return cmp.Compare(groups[a].g, groups[b].g) })
	at := 0
	for _, b := range byID {
		groups[b].at, groups[b].pos = at, at
		at += groups[b].n
	}
	out := make([]Call, len(calls))
	for i := range calls {
		gr := &groups[which[i]]
		out[gr.pos] = calls[i]
		gr.pos++
	}
	which = nil
	var tmp []Call
	var firstChild, nextSibling []int32
	var stack []int32
	for _, b := range byID {
		seg := out[groups[b].at : groups[b].at+groups[b].n]
		mergeRuns(seg, &tmp)
		// Post-order to pre-order: a call adopts the calls before it
		// (ended earlier) that started at or after its start.
		tmp = append(tmp[:0], seg...)
		firstChild = resize(firstChild, len(tmp))
		nextSibling = resize(nextSibling, len(tmp))
		stack = stack[:0]
		for i := range tmp {
			firstChild[i], nextSibling[i] = -1, -1
			for len(stack) > 0 && tmp[stack[len(stack)-1]].Start >= tmp[i].Start {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				nextSibling[top] = firstChild[i]
				firstChild[i] = top
			}
			stack = append(stack, int32(i))
		}
		// The roots left on the stack, in order, each followed by its
		// calls, depth first.
		k := 0
		var walk []int32
		for _, root := range stack {
			walk = append(walk[:0], root)
			for len(walk) > 0 {
				c := walk[len(walk)-1]
				walk = walk[:len(walk)-1]
				seg[k] = tmp[c]
				k++
				// Children go on the walk stack last first, so that the
				// first is visited first.
				n := len(walk)
				for ch := firstChild[c]; ch >= 0; ch = nextSibling[ch] {
					walk = append(walk, ch)
				}
				slices.Reverse(walk[n:])
			}
		}
		// A call that overran its caller (clock jitter between CPUs)
		// ends after it, and is not adopted by it: the group is then not
		// in start order, and is sorted the slow way.
		if !slices.IsSortedFunc(seg, cmpCall) {
			slices.SortFunc(seg, cmpStart)
		}
	}
	return out
}

// cmpStart is cmpCall, then the rest of the call, so that the order is the
// same for equal input.
func cmpStart(a, b Call) int {
	if c := cmpCall(a, b); c != 0 {
		return c
	}
	return cmpEnd(a, b)
}

func resize(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}

// cmpEnd orders one goroutine's calls by end, an inner call before the
// call it ends with (a later start), then by the rest of the call, so that
// the order is the same for equal input.
func cmpEnd(a, b Call) int {
	if c := cmp.Compare(a.End, b.End); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Start, a.Start); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Func, b.Func); c != 0 {
		return c
	}
	if a.Panicked != b.Panicked {
		if a.Panicked {
			return 1
		}
		return -1
	}
	return 0
}

// fidIndex maps function ids to small dense numbers (or -1), in two levels
// of slices: a map lookup per call is a large part of reading a big log.
type fidIndex struct {
	pages [][]int32
}

const fidPage = 1 << 12

func newFidIndex(funcs map[uint32]Func) (*fidIndex, []uint32) {
	ids := make([]uint32, 0, len(funcs))
	for id := range funcs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	x := &fidIndex{}
	for i, id := range ids {
		p := int(id / fidPage)
		if p >= len(x.pages) {
			x.pages = append(x.pages, make([][]int32, p+1-len(x.pages))...)
		}
		if x.pages[p] == nil {
			x.pages[p] = make([]int32, fidPage)
			for j := range x.pages[p] {
				x.pages[p][j] = -1
			}
		}
		x.pages[p][id%fidPage] = int32(i)
	}
	return x, ids
}

// get returns fid's number, or -1 for an unknown function.
func (x *fidIndex) get(fid uint32) int32 {
	p := int(fid / fidPage)
	if p >= len(x.pages) || x.pages[p] == nil {
		return -1
	}
	return x.pages[p][fid%fidPage]
}

// mergeRuns sorts s by cmpEnd with a natural merge sort: it finds the
// sorted runs and merges neighbours, copying only the parts that overlap.
// A goroutine's calls come in runs (a run per chunk of a CPU's buffer)
// that barely overlap, so this is close to linear where a general sort is
// not. buf is scratch space.
func mergeRuns(s []Call, buf *[]Call) {
	runs := []int{0}
	for i := 1; i < len(s); i++ {
		if cmpEnd(s[i-1], s[i]) > 0 {
			runs = append(runs, i)
		}
	}
	runs = append(runs, len(s))
	for len(runs) > 2 {
		next := runs[:1]
		k := 0
		for ; k+2 < len(runs); k += 2 {
			mergeAdjacent(s[runs[k]:runs[k+2]], runs[k+1]-runs[k], buf)
			next = append(next, runs[k+2])
		}
		if k+1 < len(runs) {
			next = append(next, runs[k+1])
		}
		runs = next
	}
}

// mergeAdjacent merges the sorted s[:mid] and s[mid:].
func mergeAdjacent(s []Call, mid int, buf *[]Call) {
	a, b := s[:mid], s[mid:]
	// What of a comes before all of b, and what of b after all of a, stays.
	i, _ := slices.BinarySearchFunc(a, b[0], func(x, y Call) int {
		if cmpEnd(x, y) <= 0 {
			return -1
		}
		return 1
	})
	j, _ := slices.BinarySearchFunc(b, a[len(a)-1], func(x, y Call) int {
		if cmpEnd(x, y) < 0 {
			return -1
		}
		return 1
	})
	if i == len(a) || j == 0 {
		return
	}
	left := append((*buf)[:0], a[i:]...)
	*buf = left
	out := s[i:]
	right := b[:j]
	l, r, o := 0, 0, 0
	for l < len(left) && r < len(right) {
		if cmpEnd(right[r], left[l]) < 0 {
			out[o] = right[r]
			r++
		} else {
			out[o] = left[l]
			l++
		}
		o++
	}
	for l < len(left) {
		out[o] = left[l]
		l++
		o++
	}
	// The rest of right is in place already.
}
