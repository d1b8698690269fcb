package matcher

import (
	"strings"
	"testing"
)

// TestChatStopWords: the words of chat that carry no topic are dropped like English stop
// words: degree adverbs ("quite" would stem to "quit"), and Hindi and Urdu function words as
// typed in Latin letters, while the English words among them ("bare", "tab") stay.
func TestChatStopWords(t *testing.T) {
	a, err := NewAnalyzer("english")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ text, want string }{
		{"SCO summit kab hoga, kya bola Norov ne?", "sco summit norov"},
		{"quite a lot of countries quitting", "countri quit"},
		{"the bare minimum, a browser tab", "bare minimum browser tab"},
	} {
		if got := strings.Join(a.Stems(tc.text), " "); got != tc.want {
			t.Errorf("Stems(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
