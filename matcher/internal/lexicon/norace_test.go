//go:build !race

package lexicon

// raceEnabled: the race detector is on (some exhaustive checks sample instead).
const raceEnabled = false
