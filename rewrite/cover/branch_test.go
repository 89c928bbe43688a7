package cover_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gorewrite/gorewrite/rewrite/cover"
)

// updating reports whether -update (defined by the golden package) asks
// for expected files to be rewritten.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// TestBranchReport runs a package whose tests take known outcomes (see the
// comments in testdata/branches/b/b.go) and compares the report.
func TestBranchReport(t *testing.T) {
	needGo(t)
	dir, _ := filepath.Abs("testdata/branches")
	cfg := cover.Config{Dir: dir, Options: cover.Options{Mode: cover.Count, Branch: true}, Patterns: []string{"./..."}}
	ctx := context.Background()
	plan, err := cover.Prepare(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	res, err := cover.Test(ctx, cfg, plan, &out, &out)
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("go test: %v %d\n%s", err, res.ExitCode, out.Bytes())
	}
	report := cover.NewBranchReport(plan.Branches(), res.Branch)
	var text bytes.Buffer
	report.WriteText(&text)
	golden := filepath.Join(dir, "want.txt")
	if updating() {
		os.WriteFile(golden, text.Bytes(), 0o666)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), text.String()); diff != "" {
		t.Errorf("branch report (-want +got):\n%s", diff)
	}

	var html bytes.Buffer
	if err := report.WriteHTML(&html, plan); err != nil {
		t.Fatal(err)
	}
	page := html.String()
	for _, s := range []string{
		`class="taken" title="if x &gt; 0: true 2, false 1"`,
		`class="partial" title="if x &lt; 0: true 1, false 0"`,
		`if x &lt; 0: never false`,
		`switch x: never case 2, 3`,
		`class="untaken" title="if x &gt; 0: true 0, false 0"`,
	} {
		if !strings.Contains(page, s) {
			t.Errorf("HTML report lacks %s", s)
		}
	}
	for _, s := range []string{"<script", "<link", "src="} {
		if strings.Contains(page, s) {
			t.Errorf("HTML report is not self-contained: has %s", s)
		}
	}
}
