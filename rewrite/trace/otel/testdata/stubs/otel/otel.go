// Package otel is the part of go.opentelemetry.io/otel the golden tests
// type-check instrumented code against (the real module is used by the
// end-to-end test).
package otel

import "go.opentelemetry.io/otel/trace"

func Tracer(name string, opts ...trace.TracerOption) trace.Tracer
