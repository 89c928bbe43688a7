package trace_test

import (
	"bytes"
	"context"
	"flag"
	"testing"

	"github.com/gorewrite/gorewrite/rewrite/cover"
	"github.com/gorewrite/gorewrite/rewrite/internal/stdcopy"
	"github.com/gorewrite/gorewrite/rewrite/trace"
	"github.com/gorewrite/gorewrite/rewrite/trace/tracelog"
)

var allStd = flag.Bool("allstd", false, "trace every standard-library package of the corpus list, not a slice")

// stdCorpus are standard-library packages that build and test outside
// GOROOT: code nobody here wrote, with generics, methods on generic types,
// closures in closures, recursion, panics recovered on purpose and
// goroutines.
var stdCorpus = []string{
	"encoding/csv", "text/template/parse", "text/scanner", "regexp/syntax", "go/constant",
	"container/list", "encoding/hex", "encoding/base32", "encoding/ascii85", "encoding/pem",
	"container/ring", "container/heap", "go/build/constraint", "go/format", "go/ast", "html",
	"mime/quotedprintable", "image", "image/color", "math/cmplx", "maps", "net/mail",
	"net/textproto", "testing/iotest", "testing/quick", "cmp", "text/tabwriter", "unicode/utf8",
}

// stdShort is the slice go test -short traces.
var stdShort = []string{"text/template/parse", "go/constant", "container/heap", "text/scanner", "encoding/csv"}

// TestStdCorpus traces every function and closure of copies of standard
// library packages: their tests pass as they do without hooks, every log
// reads whole, and the timeline nests.
func TestStdCorpus(t *testing.T) {
	needGo(t)
	paths := stdShort
	if *allStd && !testing.Short() {
		paths = stdCorpus
	}
	dir, patterns := stdcopy.Module(t, paths...)
	cfg := trace.Config{
		Config:    cover.Config{Dir: dir, Patterns: patterns, Options: cover.Options{IncludeGenerated: true}},
		Selection: trace.Selection{Closures: true},
	}
	plan, err := trace.Prepare(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Errs) > 0 {
		t.Fatalf("instrumenting: %v", plan.Errs)
	}
	var out bytes.Buffer
	run, err := trace.Test(context.Background(), cfg, plan, &out, &out, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	if run.ExitCode != 0 {
		t.Fatalf("go test with hooks: exit %d\n%s", run.ExitCode, out.String())
	}
	log, err := tracelog.ReadFiles(run.Logs...)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	for _, p := range log.Processes {
		if p.Invalid > 0 || p.Truncated {
			t.Errorf("%s: %d damaged records, truncated %v", p.Program, p.Invalid, p.Truncated)
		}
		calls += len(p.Calls)
	}
	if len(log.Processes) != len(paths) || calls == 0 {
		t.Errorf("%d logs, %d calls, of %d packages", len(log.Processes), calls, len(paths))
	}
	var tl bytes.Buffer
	if _, _, err := tracelog.WriteTimeline(&tl, log, 200000); err != nil {
		t.Fatal(err)
	}
	checkTimeline(t, tl.Bytes())
	t.Logf("%d functions traced, %d calls in %d packages", len(plan.Funcs), calls, len(paths))
}
