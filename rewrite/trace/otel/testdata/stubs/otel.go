// Package otel is the part of go.opentelemetry.io/otel the golden tests
// type-check instrumented code against (the real module is used by the
// end-to-end test). The stubs are a module of their own, which the golden
// cases' module replaces go.opentelemetry.io/otel with.
package otel

import "go.opentelemetry.io/otel/trace"

func Tracer(name string, opts ...trace.TracerOption) trace.Tracer { return nil }
