package matcher

import (
	"strings"
	"testing"
)

// TestChatStopWords: the words of chat that carry no topic are dropped like English stop
// words: degree adverbs ("quite" would stem to "quit"), and Hindi, Urdu and Bengali function
// words as typed in Latin letters, while the English words among them ("bare", "tab",
// "hole") stay.
func TestChatStopWords(t *testing.T) {
	a, err := NewAnalyzer("english")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ text, want string }{
		{"SCO summit kab hoga, kya bola Norov ne?", "sco summit norov"},
		{"quite a lot of countries quitting", "countri quit"},
		{"the bare minimum, a browser tab", "bare minimum browser tab"},
		// Bengali in Latin letters, and the English words left out of its list.
		{"apu summit ta kobe hobe, SCO er plan ki?", "summit sco plan"},
		{"a hole in the den", "hole den"},
	} {
		if got := strings.Join(a.Stems(tc.text), " "); got != tc.want {
			t.Errorf("Stems(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
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
