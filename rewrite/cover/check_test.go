package cover_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorewrite/gorewrite/rewrite/cover"
)

// TestCheck: the instrumented packages type-check, and an instrumented
// file that does not compile (a probe gone wrong, simulated here) is
// reported at its file and line, while errors the original already has are
// not.
func TestCheck(t *testing.T) {
	needGo(t)
	dir, _ := filepath.Abs("testdata/quirks")
	cfg := cover.Config{Dir: dir, Options: cover.Options{Mode: cover.Atomic, Branch: true}, Patterns: []string{"./..."}}
	ctx := context.Background()
	plan, err := cover.Prepare(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	errs, err := cover.Check(ctx, cfg, plan)
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) > 0 {
		t.Fatalf("instrumented quirks do not type-check: %v", errs)
	}
	name := filepath.Join(dir, "q", "q.go")
	src := plan.Files[name]
	i := bytes.Index(src, []byte("func ElseIf(x int) string {"))
	if i < 0 {
		t.Fatal("ElseIf not found")
	}
	i += len("func ElseIf(x int) string {")
	plan.Files[name] = append(append(src[:i:i], "_gorewriteCoverBroken++;"...), src[i:]...)
	errs, err = cover.Check(ctx, cfg, plan)
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "q.go:40:") || !strings.Contains(errs[0].Error(), "undefined: _gorewriteCoverBroken") {
		t.Errorf("Check = %v, want one error at q.go:40 naming the broken probe", errs)
	}
}
