package matcher

import (
	"slices"
	"testing"
)

// TestCognateForms: a word of a language mixed into English gives the English spellings it
// may be a cognate of, by the regular correspondences, and never itself.
func TestCognateForms(t *testing.T) {
	for w, want := range map[string]string{
		"kontribusi":  "contribution",
		"organisasi":  "organisation",
		"ekonomi":     "economy",
		"cooperación": "cooperation",
		"cooperação":  "cooperation",
		"coopération": "cooperation",
		"économique":  "economic",
		"separatisme": "separatism",
		"ekspor":      "expor", // then one typo away: "export"
		"blok":        "bloc",
	} {
		got := cognateForms(w, nil)
		if !slices.Contains(got, want) || slices.Contains(got, w) || len(got) > maxCognateForms {
			t.Errorf("cognateForms(%q) = %q, want %q among at most %d forms, not the word itself", w, got, want, maxCognateForms)
		}
	}
}

// TestCognatesMatch: words of Indonesian, Malay, French and Spanish that are English words in
// their spelling find the transcript's word, and the query its question; a short word of
// Hindi read with k as c finds nothing one typo away ("kitni", how many, is no "city").
func TestCognatesMatch(t *testing.T) {
	m := defaultMatcher(t)
	for q, want := range map[string]int{
		"konflik antar anggota SCO bikin SCO lemah?":   6,
		"macam mana SCO nak pulihkan ekonomi":          7,
		"kontribusi SCO utk keamanan regional":         3,
		"coopération économique OCS après la pandémie": 7,
	} {
		analysed(m, q, func(s *scratch) {
			if top := m.score(s, 1); len(top) == 0 || int(top[0].doc)+1 != want {
				t.Errorf("%q: ranked %v first, want question %d", q, top, want)
			}
		})
	}
	s := m.pool.Get().(*scratch)
	defer m.pool.Put(s)
	s.alts, s.altTerms = s.alts[:0], s.altTerms[:0]
	if m.cognates(s, "kitni") {
		t.Errorf("kitni: cognate alternatives %v, want none", s.alts)
	}
}
