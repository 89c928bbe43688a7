//go:build race

package coverrt

// raceEnabled: race builds record through locks, which the race detector
// understands, instead of per-P buffers, which it does not.
const raceEnabled = true
