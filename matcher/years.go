package matcher

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Years said relative to the briefing.
//
// A transcript says "this year", "last year", "next year"; the people asking say "2020": "sco
// summit 2020", "where is the 2020 summit held". When the transcript has a date (its "Date:"
// line), an English transcript's "this year" is indexed as that year too, "last year" and
// "next year" as the years around it, so that a query naming the year finds the answer that
// only says "this year" (question 10: "the SCO Summit will be held in St. Petersburg in the
// autumn of this year"). The year is indexed where the words are, so the passage and the
// excerpt's highlights ("this year") fall on them.

// relativeYears maps the word before "year" to the year it names, against the briefing's.
var relativeYears = map[string]int{"this": 0, "current": 0, "last": -1, "previous": -1,
	"past": -1, "next": 1, "coming": 1}

// addYears adds to ts, the tokens of text, a token for the year each "this year", "last
// year" or "next year" of text names, taking the briefing's year as year. It goes right
// after the word "year" and spans both words.
func addYears(text string, ts []token, year int) []token {
	for k := 0; k < len(ts); k++ {
		if ts[k].lower != "year" {
			continue
		}
		before := strings.TrimRightFunc(text[:ts[k].start], unicode.IsSpace)
		i := len(before)
		for i > 0 {
			r, size := utf8.DecodeLastRuneInString(before[:i])
			if !unicode.IsLetter(r) {
				break
			}
			i -= size
		}
		delta, ok := relativeYears[strings.ToLower(before[i:])]
		if !ok || i == len(before) {
			continue
		}
		y := strconv.Itoa(year + delta)
		ts = append(ts, token{})
		copy(ts[k+2:], ts[k+1:])
		ts[k+1] = token{start: i, end: ts[k].end, lower: y, stem: y}
		k++
	}
	return ts
}
