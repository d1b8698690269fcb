// Package bottest holds what the tests of the bot's front doors share about the bot they
// drive (the console, Discord, Telegram and Redis adapters, and the command line).
package bottest

// MenuCandidates are messages that the embedded transcript's matcher tends to answer with a
// "did you mean" menu, in the order tests try them: a test that needs a menu uses the first
// that gives one, of the size it needs. A refit of the matcher's decision can answer or decline
// any of them; then add candidates here, once for every test that needs a menu.
var MenuCandidates = []string{"cooperation", "security", "coronavirus summit",
	"international organizations", "development", "member states", "cooperation security",
	"Is the SCO summit 2020 cancelled because of covid?", "status of prep for the SCO summit"}
