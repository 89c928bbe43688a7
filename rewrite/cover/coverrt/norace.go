//go:build !race

package coverrt

const raceEnabled = false
