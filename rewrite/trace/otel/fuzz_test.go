package otel_test

import (
	"bytes"
	"context"
	"go/format"
	"testing"

	"github.com/gorewrite/gorewrite/rewrite"
	"github.com/gorewrite/gorewrite/rewrite/internal/golden"
	"github.com/gorewrite/gorewrite/rewrite/trace"
	"github.com/gorewrite/gorewrite/rewrite/trace/otel"
)

// FuzzRoundTrip writes spans into any gofmt-clean file that type-checks
// alone (its imports from the standard library): the result is
// gofmt-clean, each line keeps its number, and Remove gives the file back
// byte for byte, with no warning.
func FuzzRoundTrip(f *testing.F) {
	for _, in := range golden.Inputs(f, "testdata") {
		f.Add(in)
	}
	rule := otel.New(otel.Options{Selection: trace.Selection{Closures: true}, RecordPanics: true})
	f.Fuzz(func(t *testing.T, src []byte) {
		if clean, err := format.Source(src); err != nil || !bytes.Equal(clean, src) {
			return
		}
		res, err := rewrite.RunSource(context.Background(), rewrite.Config{}, []*rewrite.Rule{rule}, "in.go", src)
		if err != nil || len(res.Errs) > 0 || !res.Changed() {
			return // does not type-check alone, or nothing to do
		}
		if clean, err := format.Source(res.Out); err != nil || !bytes.Equal(clean, res.Out) {
			t.Fatalf("not gofmt-clean (%v):\n%s", err, res.Out)
		}
		removal := new(otel.Report)
		back, errs := run(t, otel.Remove(removal), res.Out)
		if !bytes.Equal(back, src) || errs != "" || len(removal.Warnings()) > 0 {
			t.Fatalf("Remove did not give it back (%s, %v):\n%s", errs, removal.Warnings(), rewrite.UnifiedDiff("in.go", src, back))
		}
		checkLines(t, res.Out, src)
	})
}
