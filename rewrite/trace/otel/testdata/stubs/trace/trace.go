package trace

import (
	"context"

	"go.opentelemetry.io/otel/codes"
)

type Tracer interface {
	Start(ctx context.Context, spanName string, opts ...SpanStartOption) (context.Context, Span)
}

type Span interface {
	End(options ...SpanEndOption)
	RecordError(err error, options ...EventOption)
	SetStatus(code codes.Code, description string)
}

type (
	TracerOption    interface{ tracer() }
	SpanStartOption interface{ start() }
	SpanEndOption   interface{ end() }
	EventOption     interface{ event() }
)

type SpanEndEventOption interface {
	SpanEndOption
	EventOption
}

func WithStackTrace(b bool) SpanEndEventOption { return nil }
