package matcher

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"transcriptbot/transcript"
)

// harbourYears is a dated briefing whose answers say years only relative to it.
const harbourYears = `Harbour briefing
Date: 2020-06-12

1. When does the new ferry terminal open?

The terminal opens in the autumn of this year, after the summer season.

2. How many ships docked at the harbour?

Last year 1,200 ships docked, and the harbour expects more next year.

3. What happens to the old pier?

The old pier becomes a fish market.
`

// TestYearsRelativeToTheBriefing: in a dated English transcript, "this year", "last year"
// and "next year" are found by the years they name; the excerpt highlights the words said.
func TestYearsRelativeToTheBriefing(t *testing.T) {
	m := matcherOfText(t, harbourYears)
	for _, tc := range []struct {
		query string
		want  int
		said  string // the words highlighted for the year
	}{
		{"terminal 2020", 1, "this year"},
		{"ships 2019", 2, "Last year"},
		{"harbour 2021", 2, "next year"},
	} {
		got := m.Match(tc.query, 0)
		if got.Number != tc.want {
			t.Errorf("%q: answered %d (confidence %.2f), want %d", tc.query, got.Number, got.Confidence, tc.want)
			continue
		}
		found := false
		for _, h := range got.Excerpt.Highlights {
			found = found || got.Excerpt.Text[h.Start:h.End] == tc.said
		}
		if !found {
			t.Errorf("%q: highlights %v of %q, want one on %q", tc.query, got.Excerpt.Highlights, got.Excerpt.Text, tc.said)
		}
	}
	// Each year names only what was said of it: 2019 is question 2's "last year", and 2022
	// is no year the briefing speaks of.
	if got := m.Rank("2019", 3); len(got) != 1 || got[0].Number != 2 {
		t.Errorf("2019 ranked %v, want question 2 alone", got)
	}
	if got := m.Rank("2022", 3); len(got) != 0 {
		t.Errorf("2022 ranked %v, want nothing", got)
	}
}

// TestYearsNeedADate: an undated transcript's "this year" names no year.
func TestYearsNeedADate(t *testing.T) {
	text := strings.Replace(harbourYears, "Date: 2020-06-12\n", "", 1)
	m := matcherOfText(t, text)
	if got := m.Rank("2020", 3); len(got) != 0 {
		t.Errorf("undated: 2020 ranked %v, want nothing", got)
	}
}

// TestAddYears checks the tokens addYears adds: after "year", spanning the word before it,
// only for the words that name a year relative to the briefing.
func TestAddYears(t *testing.T) {
	an := defaultMatcher(t).an
	for _, tc := range []struct {
		text string
		want []string // the years added, with the text each spans
	}{
		{"It opens this year.", []string{"2020=this year"}},
		{"Last year and next year.", []string{"2019=Last year", "2021=next year"}},
		{"Every year, a year ago, the year 2020.", nil},
		{"year", nil},
		{"The current  year", []string{"2020=current  year"}},
		{"OPENS THIS YEAR", []string{"2020=THIS YEAR"}},
		{"no years here", nil},
	} {
		ts := addYears(tc.text, an.tokens(tc.text, nil), 2020)
		var got []string
		for i, tok := range ts {
			if isNumber(tok.lower) && !strings.Contains(tc.text, tok.lower) {
				if i == 0 || ts[i-1].lower != "year" {
					t.Errorf("%q: year token %q not right after \"year\"", tc.text, tok.lower)
				}
				got = append(got, tok.lower+"="+tc.text[tok.start:tok.end])
			}
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%q: added %q, want %q", tc.text, got, tc.want)
		}
	}
}

// matcherOfText builds a matcher of the transcript text, with the default options.
func matcherOfText(t *testing.T, text string) *Matcher {
	t.Helper()
	tr, err := transcript.Parse(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(tr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRangeOnlyYears(t *testing.T) {
	got := rangeOnlyYears([]string{
		"the Plan for 2019-2021 was adopted in June 2019",
		"the programme for 2016 – 2020, a list of 2030-2035 goals",
		"phone 12019-20215, 2010-x",
	})
	want := map[string][]string{"2021": {"2019"}, "2016": {"2020"}, "2020": {"2016"},
		"2030": {"2035"}, "2035": {"2030"}}
	if !maps.EqualFunc(got, want, slices.Equal) {
		t.Errorf("rangeOnlyYears = %v, want %v", got, want)
	}
	if got := rangeOnlyYears([]string{"in 2019 and 2020"}); got != nil {
		t.Errorf("no ranges: %v, want nil", got)
	}
}

// A year the transcript names only as the end of a period ("Plan ... for 2019-2021") is no
// evidence for a query about that year alone; with the period's other year it is.
func TestRangeYearAlone(t *testing.T) {
	m := defaultMatcher(t)
	known := func(q string) bool {
		found, known := false, false
		analysed(m, q, func(s *scratch) {
			for _, w := range s.words {
				if w.lower == "2021" {
					found, known = true, w.term >= 0
				}
			}
		})
		if !found {
			t.Fatalf("%q: no word 2021", q)
		}
		return known
	}
	for q, want := range map[string]bool{
		"where will the 2021 SCO summit be held": false,
		"healthcare cooperation plan 2019-2021":  true,
		"healthcare plan 2019 2021":              true,
	} {
		if got := known(q); got != want {
			t.Errorf("%q: 2021 known %v, want %v", q, got, want)
		}
	}
	if r := m.Match("healthcare cooperation plan 2019-2021", 0); r.Number != 8 {
		t.Errorf("the plan for 2019-2021: answered %d, want 8", r.Number)
	}
	if r := m.Match("where will the 2021 SCO summit be held?", 0); r.Number != 0 {
		t.Errorf("the 2021 summit: answered %d (%.2f), want not covered", r.Number, r.Confidence)
	}
}
