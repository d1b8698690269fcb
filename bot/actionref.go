package bot

import "strings"

// Question returns the question the action opens — the answer to question N, or a page of
// it — or 0 for any other action (the list of questions, "other matches", "none of these").
// Adapters use it to show a choice by its question, e.g. not to repeat the list's questions
// as buttons where the user can type the number. The id is not checked against a
// transcript version: Handle does that when the action is pressed.
func (a Action) Question() int {
	_, rest, ok := strings.Cut(a.ID, ":")
	if !ok {
		return 0
	}
	f := strings.Split(rest, ":")
	switch {
	case f[0] == verbFull && len(f) == 2, f[0] == verbPage && len(f) == 3:
		if n, ok := parseCount(f[1]); ok {
			return n
		}
	}
	return 0
}
