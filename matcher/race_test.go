//go:build race

package matcher

// raceEnabled: the race detector is on. The refit check, single-threaded and ten times
// slower under it, runs in the plain test run only (CI runs both).
const raceEnabled = true
