package shop

import (
	"context"
	"errors"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// spans runs f under a tracer provider that keeps spans in memory and
// returns them, by name.
func spans(t *testing.T, f func(ctx context.Context)) map[string]tracetest.SpanStub {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	otel.SetTracerProvider(tp)
	ctx, root := tp.Tracer("test").Start(context.Background(), "root")
	f(ctx)
	root.End()
	out := map[string]tracetest.SpanStub{}
	for _, s := range exp.GetSpans() {
		if _, dup := out[s.Name]; dup {
			t.Fatalf("two spans named %s", s.Name)
		}
		out[s.Name] = s
	}
	return out
}

func TestSpans(t *testing.T) {
	got := spans(t, func(ctx context.Context) {
		if _, err := New().Buy(ctx, "apple", 2); err != nil {
			t.Fatal(err)
		}
	})
	for _, name := range []string{"Shop.Buy", "Shop.Reserve", "Shop.Charge"} {
		s, ok := got[name]
		if !ok {
			t.Fatalf("no span %s in %v", name, got)
		}
		if s.Status.Code != codes.Unset || len(s.Events) > 0 {
			t.Errorf("%s: status %v, events %v; want nothing recorded for a nil error", name, s.Status, s.Events)
		}
		if s.InstrumentationScope.Name != "example.com/shop/shop" {
			t.Errorf("%s: tracer %q, want the package path", name, s.InstrumentationScope.Name)
		}
	}
	if _, ok := got["Shop.check"]; ok {
		t.Error("check has no context parameter but has a span")
	}
	buy := got["Shop.Buy"]
	if buy.Parent.SpanID() != got["root"].SpanContext.SpanID() {
		t.Error("Buy is not a child of the caller's span")
	}
	for _, child := range []string{"Shop.Reserve", "Shop.Charge"} {
		if got[child].Parent.SpanID() != buy.SpanContext.SpanID() {
			t.Errorf("%s is not a child of Buy", child)
		}
	}
}

func TestErrors(t *testing.T) {
	got := spans(t, func(ctx context.Context) {
		if _, err := New().Buy(ctx, "apple", 200); !errors.Is(err, ErrNoStock) {
			t.Fatalf("Buy: %v", err)
		}
	})
	// Buy's error result is unnamed, Reserve's is named.
	for _, name := range []string{"Shop.Buy", "Shop.Reserve"} {
		s := got[name]
		if s.Status.Code != codes.Error || s.Status.Description != "no stock" {
			t.Errorf("%s: status %+v, want Error: no stock", name, s.Status)
		}
		if len(s.Events) != 1 || s.Events[0].Name != "exception" {
			t.Errorf("%s: events %+v, want one exception", name, s.Events)
		}
	}
	got = spans(t, func(ctx context.Context) {
		s := New()
		s.stock["apple"] = 500
		if _, err := s.Buy(ctx, "apple", 101); err == nil || err.Error() != "charge: too much" {
			t.Fatalf("Buy: %v", err)
		}
	})
	if s := got["Shop.Buy"]; s.Status.Description != "charge: too much" {
		t.Errorf("Buy: status %+v: the error returned from a block with a shadowed err", s.Status)
	}
	if s := got["Shop.Charge"]; s.Status.Code != codes.Error || s.Status.Description != "too much" {
		t.Errorf("Charge (one line, blank context): status %+v", s.Status)
	}
}

func TestPanic(t *testing.T) {
	var recovered any
	got := spans(t, func(ctx context.Context) {
		defer func() { recovered = recover() }()
		Audit(ctx, -1)
	})
	if recovered != "negative count -1" {
		t.Fatalf("recovered %v: the panic must go on unchanged", recovered)
	}
	s, ok := got["Audit"]
	if !ok {
		t.Fatal("no span for a call that panicked")
	}
	if s.Status.Code != codes.Error || s.Status.Description != "panic: negative count -1" {
		t.Errorf("status %+v", s.Status)
	}
	if len(s.Events) != 1 || s.Events[0].Name != "exception" {
		t.Fatalf("events %+v, want an exception", s.Events)
	}
	var msg, stack string
	for _, a := range s.Events[0].Attributes {
		switch a.Key {
		case "exception.message":
			msg = a.Value.AsString()
		case "exception.stacktrace":
			stack = a.Value.AsString()
		}
	}
	if msg != "panic: negative count -1" || stack == "" {
		t.Errorf("exception message %q, stack trace %d bytes", msg, len(stack))
	}
}

func TestLines(t *testing.T) {
	if line := Where(context.Background()); line != 67 {
		t.Errorf("runtime.Caller says line %d, want 67 as in the source before the spans", line)
	}
}

func TestKeepsContext(t *testing.T) {
	var o *Order
	var ctx context.Context
	got := spans(t, func(c context.Context) {
		ctx = c
		o = Track(c)
	})
	if o.ctx != ctx {
		t.Error("Track stored another context than its caller's")
	}
	if s, ok := got["Track"]; !ok || s.Parent.SpanID() != got["root"].SpanContext.SpanID() {
		t.Errorf("Track's span: %v (present %v)", s.Parent, ok)
	}
}
