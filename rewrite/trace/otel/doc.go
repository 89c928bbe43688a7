// Package otel writes OpenTelemetry spans into Go source, as a diff a
// person reviews, and takes them out again.
//
// [New] returns the rule that instruments every selected function with a
// context.Context parameter. At the top of its body it inserts
//
//	ctx, span := otel.Tracer("example.com/store").Start(ctx, "Store.Get") //gorewrite:trace
//	defer func() { //gorewrite:trace
//		if err != nil {
//			span.RecordError(err)
//			span.SetStatus(codes.Error, err.Error())
//		}
//		span.End()
//	}()
//	//line :42:1
//
// (the last line at column 1): the error part for each result that
// implements error, the results named where they were not. The //line
// directive, which keeps the file's name (a column is given), says which
// line the next one was before, so every line of the original keeps its
// number in panics, runtime.Caller and compiler messages. A one-line body
// is opened up, with a second directive after its closing brace.
//
// What changed in the signature is written after the marker, so that
// [Remove] can undo it: named=params (the parameters had no names),
// named=results, blank=NAMES (these were _), oneline (the body was on one
// line). Remove takes out exactly the statements New inserted, checked
// token by token against what New would write; a span edited by hand
// stays, with a warning. A second run of New changes nothing.
package otel
