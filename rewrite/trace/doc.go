// Package trace instruments functions with entry and exit hooks for
// gorewrite trace: "defer RT.Leave(RT.Enter(id))" on the line of each
// selected function's opening brace, so that no line moves. It is an
// injector of the cover engine (cover.Options.Inject), which shares with it
// the overlay, the runtime module (coverrt, whose trace.go records the
// calls) and the hooks that flush the runtime when a program ends.
//
// Package tracelog reads the log the instrumented program writes and turns
// it into a summary, a pprof profile or a timeline.
package trace
