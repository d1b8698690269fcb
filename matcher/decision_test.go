package matcher

import (
	"strings"
	"testing"

	"transcriptbot/transcript"
)

func TestAskedType(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  answerType
		noun  string // the noun naming the kind, if any
	}{
		{"when is the summit?", typeTime, ""},
		{"When and where is the summit?", typeTime, ""},
		// A later "what day" narrows "when" to a day; a "what" that names no kind does not.
		{"when exactly is the summit in st petersburg, what day", typeDay, "day"},
		{"when is the summit, which date exactly?", typeDay, "date"},
		{"when is the summit and what will they discuss", typeTime, ""},
		{"@everyone where is the summit?", typePlace, ""},
		{"so when's the summit happening, anyone know?", typeTime, ""},
		{"hey bot, who will attend the summit", typePerson, ""},
		{"In which city is the Secretariat?", typePlace, "city"},
		{"how many doctors were sent", typeNumber, ""},
		{"how long is the Kunming marathon route", typeNumber, ""},
		{"how old is the SCO", typeNumber, ""},
		{"how well did the SCO cope", typeNone, ""},
		{"the summit is in autumn. when exactly?", typeTime, ""},
		// Conjunctions, not questions.
		{"Can the SCO mediate when two of its members have a border dispute?", typeNone, ""},
		{"what happens where members disagree", typeNone, ""},
		{"is the summit online", typeNone, ""},
		// A noun naming the kind, after linking words.
		{"What's the date of SCO Day?", typeDay, "date"},
		{"What exact date will the summit open?", typeDay, "date"},
		{"which exact city is hosting the summit", typePlace, "city"},
		{"what is the exact year of the first marathon", typeTime, "year"},
		{"Which country is chairing the SCO this year?", typePlace, "country"},
		{"what is the SCO's position on Hong Kong", typeNone, ""},
		{"What is the city doing about housing costs?", typeNone, ""},
		{"what's the date?", typeDay, "date"},
		{"On what exact date in the autumn is the summit?", typeDay, "date"},
		{"Which countries are observers?", typePlace, "countries"},
		{"What is the annual budget of the SCO?", typeNone, ""}, // "annual" is no link word
		{"What budget does the Secretariat have?", typeNumber, "budget"},
		{"which company did he name", typePerson, "company"},
		// A request made as a noun phrase.
		{"Number of trolley patients on 7 January", typeNumber, "Number"},
		{"name of the union leader", typePerson, "name"},
		{"pls: cost per bed of the new units", typeNumber, "cost"},
		{"number one priority for the summit", typeNone, ""},
		// Articles and "exact" may come first: a noun phrase still.
		{"the number of doctors sent", typeNumber, "number"},
		{"exact date of the St Petersburg summit?", typeDay, "date"},
		{"the exact date of SCO Day", typeDay, "date"},
		{"On which exact date this autumn will the summit open?", typeDay, "date"},
		{"What is the date this autumn", typeNone, ""}, // a verb before the noun: it must end the clause
		// Question words of languages mixed into English that open the clause as English's.
		{"sino nanalo sa SCO marathon", typePerson, ""},
		{"ilan namatay sa covid sa Russia", typeNumber, ""},
		{"kelan po ang summit?", typeTime, ""},
		{"wetin SCO talk about covid", typeNone, ""},
		// A reporting frame before the question word: the question opens after it.
		{"did norov say how many soldiers died in the clash", typeNumber, ""},
		{"can you tell me when the summit is", typeTime, ""},
		{"anyone know where the summit will be held?", typePlace, ""},
		{"Did he say anything about where the virus came from", typePlace, ""},
		{"I wonder how much the SCO has done for the region", typeNumber, ""},
		{"tell me which countries are observers", typePlace, "countries"},
		// Not a frame: the clause opens with a question word, or the frame has no question.
		{"What did Norov say when he was asked about Hong Kong?", typeNone, ""},
		{"did he say anything about Hong Kong, when was it", typeTime, ""},
		{"did the SCO help members when they had disputes", typeNone, ""},
	} {
		got, at := askedType(tc.query)
		noun := ""
		if at >= 0 {
			noun = tc.query[at:]
			if end := strings.IndexAny(noun, " ?"); end >= 0 {
				noun = noun[:end]
			}
		}
		if got != tc.want || noun != tc.noun {
			t.Errorf("askedType(%q) = %d, noun %q; want %d, %q", tc.query, got, noun, tc.want, tc.noun)
		}
	}
}

func TestHasType(t *testing.T) {
	for _, tc := range []struct {
		text string
		t    answerType
		want bool
	}{
		{"The summit will be held in St. Petersburg in the autumn.", typePlace, true},
		{"The summit will be held in the autumn.", typeTime, true},
		{"The summit will be held later.", typeTime, false},
		{"About 7 million people were infected.", typeNumber, true},
		{"Many people were infected.", typeNumber, false},
		{"The Council met in 2019.", typeNumber, false}, // a year dates, it does not count
		{"The Council met in 2019.", typeTime, true},
		{"On May 28, 2020, it was decided.", typeDay, true},
		{"On May 28, 2020, it was decided.", typeNumber, false}, // nor does the day of a date
		{"On 28 May the 3 ministers met.", typeNumber, true},
		{"It was adopted on 13 April.", typeDay, true},
		{"The summit will be held in July.", typeDay, false},
		{"The summit was postponed to the autumn of 2020.", typeDay, false},
		{"Leaders of all member states will take part.", typePerson, true},
		{"Cooperation will continue.", typePerson, false},
		{"As UN Secretary-General Antonio Guterres said, ...", typePerson, true},
		// Times of day, clock times and spans of days say when too; "I am" does not.
		{"We expect to reopen by Thursday evening.", typeTime, true},
		{"Services should be back within ten days.", typeTime, true},
		{"The bridges close at 6 a.m. sharp.", typeTime, true},
		{"The bridges close at 14:00 and reopen at 6pm.", typeTime, true},
		{"I am sure we will manage.", typeTime, false},
		// A clock time's hours and minutes say when and count nothing.
		{"At 21:51 the ship grounded.", typeTime, true},
		{"At 21:51 the ship grounded.", typeNumber, false},
		{"At 21:51 the 2 tugs arrived.", typeNumber, true},
		{"The ship lost power last night.", typeTime, true},
	} {
		got := typesOf(tc.text)&(1<<tc.t) != 0
		if got != tc.want {
			t.Errorf("%q has type %d: got %v, want %v", tc.text, tc.t, got, tc.want)
		}
	}
}

// TestUnicodeNormalisation: a query typed with combining accents (NFD) finds the transcript's
// composed words (NFC), and the other way round.
func TestUnicodeNormalisation(t *testing.T) {
	for _, tc := range []struct{ text, query string }{
		{"1. Where is the café?\n\nThe café is on the pier.\n\n2. When do ferries leave?\n\nEvery hour.\n", "cafe\u0301"},
		{"1. Where is the cafe\u0301?\n\nThe cafe\u0301 is on the pier.\n\n2. When do ferries leave?\n\nEvery hour.\n", "café"},
	} {
		tr, err := transcript.Parse(strings.NewReader("Harbour briefing\n\n" + tc.text))
		if err != nil {
			t.Fatal(err)
		}
		m, err := New(tr, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Rank(tc.query, 1); len(got) == 0 || got[0].Number != 1 {
			t.Errorf("%q: ranked %v, want question 1 first", tc.query, got)
		}
	}
}

// TestClauseBreak checks clauseBreak against strings.ContainsAny with its set, on gaps of
// every kind: punctuation, spaces, '…' whole and cut, other non-ASCII, invalid UTF-8.
func TestClauseBreak(t *testing.T) {
	pieces := []string{" ", ".", "?", "!", ",", ":", ";", "(", ")", "…", "\n", "\t", "-", "\"", "’", "\xe2\x80", "\xe2", "\xa6", "\xff", "—", "é"}
	var gaps []string
	for _, a := range pieces {
		for _, b := range pieces {
			gaps = append(gaps, a+b, a+" "+b)
		}
	}
	for _, g := range gaps {
		if got, want := clauseBreak(g), strings.ContainsAny(g, ".?!,:;()…\n"); got != want {
			t.Errorf("clauseBreak(%q) = %v, want %v", g, got, want)
		}
	}
}

// TestFocusUnknown: the words right after a question word that the transcript lacks are
// counted (an everyday one at half); words it has, or later in the message, are not.
func TestFocusUnknown(t *testing.T) {
	m := defaultMatcher(t)
	for _, tc := range []struct {
		query string
		want  float64
	}{
		{"What is the annual budget of the SCO?", 1},         // "budget"
		{"What is the Shanghai spirit?", 0},                  // both known
		{"the SCO budget, what is it?", 0},                   // no content word after "what"
		{"tell me about the budget of the SCO", 0},           // no question word
		{"so how much did the penalties cost?", 1},           // "penalties"; "cost" is known
		{"hey, where is the weather nice?", 1 + commonFocus}, // "weather", "nice" (everyday)
		{"Which countries joined the SCO, and why?", 1},      // "joined"
		{"What did Norov say about the budget?", 1},          // the title word is skipped
		{"Which three threats does the Charter name?", 0},    // a number word quantifies
		{"What exact date will the summit open?", 0},         // after "date": "summit", "open" (as "opening")
		{"is there a budget for the summit?", 1},             // "is there": its focus follows
		{"Can I bring my passport to the summit?", 1},        // "can I bring": "passport"
		{"Can I ask about the summit?", 0},                   // not a verb of taking: no focus
		{"is the summit held online?", 0},                    // "is" without "there": no focus
	} {
		query := prepare(tc.query)
		s := m.pool.Get().(*scratch)
		m.analyse(s, query)
		got := m.focusUnknown(s)
		m.pool.Put(s)
		if got != tc.want {
			t.Errorf("focusUnknown(%q) = %v, want %v", tc.query, got, tc.want)
		}
	}
}

// TestNoAnswerWithoutWordEvidence: when the words read match only what every entry has, the
// probability is capped at their evidence and the matcher does not answer, whatever the
// learned phrasings' prior ranks first; a message with one telling word is answered.
func TestNoAnswerWithoutWordEvidence(t *testing.T) {
	var x features
	x[fEvidence] = 0.01
	if got := capEvidence(0.4, x); got != 0.01 {
		t.Errorf("capEvidence(0.4, evidence 0.01) = %v, want 0.01", got)
	}
	x[fEvidence] = minEvidence
	if got := capEvidence(0.4, x); got != 0.4 {
		t.Errorf("capEvidence(0.4, evidence %v) = %v, want 0.4", minEvidence, got)
	}
	m := defaultMatcher(t)
	// Hausa and Vietnamese are in no foreign list (foreignword.go): only "SCO" is read.
	for _, q := range []string{"kiwon lafiyar jama SCO", "SCO hội nghị thượng đỉnh khi nào"} {
		if r := m.Match(q, 0); r.Number != 0 || r.Confidence > minEvidence {
			t.Errorf("%q: answered %d at %.3f, want no answer", q, r.Number, r.Confidence)
		}
	}
	// Spanish, Korean and Swahili are: their words tell the entry apart.
	for q, want := range map[string]int{"narcotráfico SCO": 3, "올해 SCO 마라톤 열리나요?": 9, "afya ya umma SCO": 8} {
		if r := m.Match(q, 0); r.Number != want {
			t.Errorf("%q: answered %d at %.3f, want %d", q, r.Number, r.Confidence, want)
		}
	}
	if r := m.Match("SCO marathon", 0); r.Number != 9 {
		t.Errorf(`"SCO marathon": %d, want 9`, r.Number)
	}
}
