//go:build race

package main

// raceEnabled skips the regeneration test under the race detector: it is single-threaded
// and takes ten times as long there.
const raceEnabled = true
