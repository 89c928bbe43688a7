package tracelog

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// Logs run to tens of millions of calls; these are the linear-time steps
// that put them in nesting order without sorting them by start, and the
// dense function index that the summary counts with.

// orderCalls returns calls in nesting order (by goroutine, start, end
// descending). The runtime writes a goroutine's calls in the order they
// ended (deferred exits run innermost first), in runs per CPU buffer: the
// runs of each goroutine are gathered, merged by end (they barely
// overlap), and the post-order that gives is turned into pre-order with a
// stack, in linear time. Goroutines are done in parallel.
func orderCalls(calls []Call) []Call {
	if len(calls) == 0 {
		return calls
	}
	// The runs of consecutive calls of one goroutine, by goroutine.
	type group struct {
		g    uint64
		n    int
		at   int
		runs [][2]int
	}
	index := map[uint64]int{}
	var groups []group
	for i := 0; i < len(calls); {
		j := i + 1
		for j < len(calls) && calls[j].Goroutine == calls[i].Goroutine {
			j++
		}
		g := calls[i].Goroutine
		b, ok := index[g]
		if !ok {
			b = len(groups)
			index[g] = b
			groups = append(groups, group{g: g})
		}
		groups[b].runs = append(groups[b].runs, [2]int{i, j})
		groups[b].n += j - i
		i = j
	}
	slices.SortFunc(groups, func(a, b group) int { return cmp.Compare(a.g, b.g) })
	at := 0
	for i := range groups {
		groups[i].at = at
		at += groups[i].n
	}
	out := make([]Call, len(calls))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(groups)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var o orderer
			for {
				i := int(next.Add(1)) - 1
				if i >= len(groups) {
					return
				}
				gr := &groups[i]
				o.tmp = o.tmp[:0]
				for _, r := range gr.runs {
					o.tmp = append(o.tmp, calls[r[0]:r[1]]...)
				}
				o.order(out[gr.at : gr.at+gr.n])
			}
		}()
	}
	wg.Wait()
	return out
}

// orderer holds one worker's scratch space.
type orderer struct {
	tmp, buf                       []Call
	firstChild, nextSibling, stack []int32
	walk                           []int32
}

// order writes the calls of one goroutine, in o.tmp, to seg in nesting
// order.
func (o *orderer) order(seg []Call) {
	tmp := o.tmp
	mergeRuns(tmp, &o.buf)
	// Post-order to pre-order: a call adopts the calls before it (ended
	// earlier) that started at or after its start.
	o.firstChild = resize(o.firstChild, len(tmp))
	o.nextSibling = resize(o.nextSibling, len(tmp))
	firstChild, nextSibling := o.firstChild, o.nextSibling
	stack := o.stack[:0]
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
	o.stack = stack
	// The roots left on the stack, in order, each followed by its calls,
	// depth first.
	k := 0
	walk := o.walk
	for _, root := range stack {
		walk = append(walk[:0], root)
		for len(walk) > 0 {
			c := walk[len(walk)-1]
			walk = walk[:len(walk)-1]
			seg[k] = tmp[c]
			k++
			// Children go on the walk stack last first, so that the first
			// is visited first.
			n := len(walk)
			for ch := firstChild[c]; ch >= 0; ch = nextSibling[ch] {
				walk = append(walk, ch)
			}
			slices.Reverse(walk[n:])
		}
	}
	o.walk = walk
	// A call that overran its caller (clock jitter between CPUs) ends
	// after it, and is not adopted by it: the goroutine's calls are then
	// not in start order, and are sorted the slow way.
	if !slices.IsSortedFunc(seg, cmpCall) {
		slices.SortFunc(seg, cmpStart)
	}
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

// cmpStart is cmpCall, then the rest of the call, so that the order is the
// same for equal input.
func cmpStart(a, b Call) int {
	if c := cmpCall(a, b); c != 0 {
		return c
	}
	return cmpEnd(a, b)
}
