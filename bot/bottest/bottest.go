// Package bottest holds what the tests of the bot's front doors share about the bot they
// drive (the console, Discord, Telegram and Redis adapters, and the command line).
package bottest

// MenuCandidates are messages that the embedded transcript's matcher, at MenuThreshold, tends
// to answer with a "did you mean" menu, in the order tests try them: a test that needs a menu
// uses the first that gives one, of the size it needs. A refit of the matcher's decision can
// answer or decline any of them; then add candidates here, once for every test that needs a
// menu.
var MenuCandidates = []string{"cooperation", "security", "coronavirus summit",
	"international organizations", "development", "member states", "cooperation security",
	"Is the SCO summit 2020 cancelled because of covid?", "status of prep for the SCO summit",
	"pandemic"}

// MenuThreshold is the answer threshold (matcher.Options.Threshold, ANSWER_THRESHOLD) that the
// tests of menus and their follow-ups give the embedded transcript's matcher. A menu is a near
// tie between the top two at or above the threshold; at the fitted threshold (about 0.53 since
// the twenty-eighth round) the model's probability for a near tie is almost always below it, so
// the embedded transcript's readers see "the closest questions are ..." instead (one menu in
// the labelled sets' twenty thousand queries). An operator who lowers ANSWER_THRESHOLD sees
// menus, and so do these tests.
const MenuThreshold = 0.15
