package matcher

import (
	"strings"
	"testing"
)

// stemCase is a text and the stems an English analyzer should keep of it, space-separated.
type stemCase struct{ text, want string }

// checkStems checks an English analyzer's Stems of each case's text.
func checkStems(t *testing.T, cases []stemCase) {
	t.Helper()
	a, err := NewAnalyzer("english")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		if got := strings.Join(a.Stems(tc.text), " "); got != tc.want {
			t.Errorf("Stems(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestChatStopWords: the words of chat that carry no topic are dropped like English stop
// words: degree adverbs ("quite" would stem to "quit"), and Hindi, Urdu and Bengali function
// words as typed in Latin letters, while the English words among them ("bare", "tab",
// "hole") stay.
func TestChatStopWords(t *testing.T) {
	checkStems(t, []stemCase{
		{"SCO summit kab hoga, kya bola Norov ne?", "sco summit norov"},
		{"quite a lot of countries quitting", "countri quit"},
		{"the bare minimum, a browser tab", "bare minimum browser tab"},
		// Bengali in Latin letters, and the English words left out of its list.
		{"apu summit ta kobe hobe, SCO er plan ki?", "summit sco plan"},
		{"a hole in the den", "hole den"},
	})
}

// TestMixedInStopsAreNoMisspellings: a word a letter off a Bengali stop word is not read as a
// misspelt stop word ("Korea" is no "kore"), as it is for English's ("whta" is "what").
func TestMixedInStopsAreNoMisspellings(t *testing.T) {
	a, err := NewAnalyzer("english")
	if err != nil {
		t.Fatal(err)
	}
	if !a.stop("kore") || a.misspeltStop("korea") {
		t.Errorf(`"kore" a stop word %v, "korea" a misspelt stop word %v; want true and false`, a.stop("kore"), a.misspeltStop("korea"))
	}
	if !a.misspeltStop("whta") {
		t.Error(`"whta" is not read as a misspelt "what"`)
	}
}

// TestComplexPrepositions: the content word of a complex preposition ("according to", "due
// to", "in order to", "on behalf of", "together with"), of speech about speech ("talk
// about") and of a greeting ("good morning") is no topic and is dropped, in a transcript and
// in a query alike; the same word elsewhere stays ("my essay is due friday", "the order of
// the questions", "in light of" but not "a light in the dark", "work together", "peace
// talks").
func TestComplexPrepositions(t *testing.T) {
	checkStems(t, []stemCase{
		{"According to WHO, 7 million are infected", "who 7 million infect"},
		{"summit date according to him", "summit date"},
		{"postponed due to the pandemic", "postpon pandem"},
		{"my essay is due friday", "essay due friday"},
		{"in order to cooperate", "cooper"},
		{"the order of the questions", "order question"},
		{"in light of the crisis", "crisi"},
		{"a light in the dark", "light dark"},
		{"on behalf of the secretariat", "secretariat"},
		{"DUE TO", ""},
		{"together with the people of Wuhan", "peopl wuhan"},
		{"how will they work together", "work togeth"},
		{"if we talk about cooperation", "cooper"},
		{"peace talks in Doha", "peac talk doha"},
		{"good morning! is the summit on", "morn summit"}, // "morning" is an everyday word
		{"a good result", "good result"},
	})
	es, err := NewAnalyzer("spanish")
	if err != nil {
		t.Fatal(err)
	}
	if got := es.Stems("according to"); len(got) == 0 {
		t.Error("spanish: an English complex preposition dropped")
	}
}
