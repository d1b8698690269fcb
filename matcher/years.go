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

// Years named only as the end of a period.
//
// "the Plan ... for 2019-2021" does not speak of 2021 as such: "where will the 2021 SCO
// summit be held" is not answered by the plan. A year that the transcript names only in
// ranges ("2019-2021", "2019–2021") is known to a query only together with another year of
// one of its ranges ("the 2019-2021 plan", "plan 2019 2021"); alone it counts as a number the
// transcript lacks. (The single year was the wrong answer's strongest evidence for eight
// out-of-scope queries of the labelled sets.)

// rangeOnlyYears returns, for each year that texts name only as an end of year ranges, the
// years at the other ends; nil when there is none.
func rangeOnlyYears(texts []string) map[string][]string {
	var ranged map[string][]string
	alone := map[string]bool{}
	for _, text := range texts {
		for i := 0; i+4 <= len(text); i++ {
			// Most bytes are no year's first: a byte test before the call (New reads every
			// answer here, once).
			if c := text[i]; c != '1' && c != '2' || !yearAt(text, i) {
				continue
			}
			y := text[i : i+4]
			if j, ok := rangeEnd(text, i+4); ok {
				z := text[j : j+4]
				if ranged == nil {
					ranged = map[string][]string{}
				}
				ranged[y] = append(ranged[y], z)
				ranged[z] = append(ranged[z], y)
				i = j + 3
				continue
			}
			alone[y] = true
			i += 3
		}
	}
	for y := range ranged {
		if alone[y] {
			delete(ranged, y)
		}
	}
	if len(ranged) == 0 {
		return nil
	}
	return ranged
}

// yearAt reports whether text holds a year (19xx or 20xx) standing alone at byte i.
func yearAt(text string, i int) bool {
	if i+4 > len(text) || (i > 0 && isDigitOrLetter(text[i-1])) || (i+4 < len(text) && isDigitOrLetter(text[i+4])) {
		return false
	}
	for k := i; k < i+4; k++ {
		if text[k] < '0' || text[k] > '9' {
			return false
		}
	}
	return text[i:i+2] == "19" || text[i:i+2] == "20"
}

// rangeEnd returns the offset of the year after a dash at byte i ("-2021", "–2021", " - 2021").
func rangeEnd(text string, i int) (int, bool) {
	j := i
	for j < len(text) && text[j] == ' ' {
		j++
	}
	switch {
	case strings.HasPrefix(text[j:], "-"):
		j++
	case strings.HasPrefix(text[j:], "–"), strings.HasPrefix(text[j:], "—"):
		j += len("–")
	default:
		return 0, false
	}
	for j < len(text) && text[j] == ' ' {
		j++
	}
	return j, yearAt(text, j)
}

func isDigitOrLetter(c byte) bool { return '0' <= c && c <= '9' || isASCIILetter(c) }

// rangeYearAlone reports whether the query word w is a year the transcript names only in
// ranges (m.rangeYears) and no other year of one of those ranges is among the query's words.
func (m *Matcher) rangeYearAlone(s *scratch, w *qword) bool {
	partners, ok := m.rangeYears[w.lower]
	if !ok {
		return false
	}
	for i := range s.toks {
		for _, p := range partners {
			if s.toks[i].lower == p {
				return false
			}
		}
	}
	return true
}
