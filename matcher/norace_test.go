//go:build !race

package matcher

// raceEnabled: the race detector is on (see race_test.go).
const raceEnabled = false
