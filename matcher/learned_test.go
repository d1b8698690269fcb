package matcher

import (
	"math"
	"strings"
	"testing"

	"transcriptbot/transcript"
)

// TestLearnedTableRoundTrip: the table a model writes reads back as the same model.
func TestLearnedTableRoundTrip(t *testing.T) {
	counts := []map[string]int{
		{"cooper": 3, "cooper covid": 2, "covid": 4},
		{"summit": 5, "covid": 1},
		{"weather": 2}, // the out-of-scope class
	}
	l := newLearned("abcd1234", counts)
	if l.n != 2 || len(l.base) != 3 {
		t.Fatalf("n %d, base %d; want 2 entries and 3 classes", l.n, len(l.base))
	}
	back, err := parseLearned(l.table())
	if err != nil {
		t.Fatal(err)
	}
	if back.hash != l.hash || back.n != l.n || len(back.feats) != len(l.feats) {
		t.Fatalf("read back %q, %d entries, %d features; want %q, %d, %d", back.hash, back.n, len(back.feats), l.hash, l.n, len(l.feats))
	}
	for f, sp := range l.feats {
		bsp, ok := back.feats[f]
		if !ok || bsp[1]-bsp[0] != sp[1]-sp[0] {
			t.Fatalf("feature %q: %v read back as %v", f, sp, bsp)
		}
		for i := range sp[1] - sp[0] {
			a, b := l.counts[sp[0]+i], back.counts[bsp[0]+i]
			if a.doc != b.doc || math.Abs(a.lr-b.lr) > 1e-12 {
				t.Errorf("feature %q: count %+v read back as %+v", f, a, b)
			}
		}
	}
	for k := range l.base {
		if math.Abs(l.base[k]-back.base[k]) > 1e-8 {
			t.Errorf("base %d: %v read back as %v", k, l.base[k], back.base[k])
		}
	}
}

// TestLearnedTableErrors: a broken table is an error naming its line, not a panic.
func TestLearnedTableErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"", "no hash or base line"},
		{"@hash\tabcd\n@base\t-1\t-2\nsummit\t3:1\n", "line 3: bad count"},
		{"@hash\tabcd\n@base\t-1\tx\n", "line 2:"},
		{"@hash\tabcd\n@base\t-1\t-2\ncovid\t1:0\n", "line 3: bad count"},
		{"@hash\tabcd\n@base\t-1\t-2\ncovid\t1-2\n", "line 3: bad count"},
	} {
		_, err := parseLearned(tc.text)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want an error with %q", tc.text, err, tc.want)
		}
	}
}

// TestLearnedOnlyForTheEmbeddedTranscript: the embedded transcript has its learned model,
// read from the table for its hash; another transcript, or WordsOnly, has none.
func TestLearnedOnlyForTheEmbeddedTranscript(t *testing.T) {
	m := defaultMatcher(t)
	if m.learned == nil || m.learned.hash != transcript.Default().Hash || m.learned.n != len(transcript.Default().Entries) {
		t.Fatalf("embedded transcript: learned model %+v, want one for hash %s", m.learned, transcript.Default().Hash)
	}
	if w := wordsMatcher(t); w.learned != nil || w.decision != &generalDecision {
		t.Error("WordsOnly: want no learned model and the general decision model")
	}
	other := loadMatcher(t, "museum/briefing.txt", Options{})
	if other.learned != nil {
		t.Error("an operator's transcript got the embedded transcript's learned model")
	}
}

// TestLearnedPhrasings: the learned model reorders what the words found, in the direction
// the labelled queries say, and declines what people asked that the transcript lacks.
func TestLearnedPhrasings(t *testing.T) {
	m, w := defaultMatcher(t), wordsMatcher(t)
	for _, tc := range []struct {
		query       string
		want, words int // the learned model's first, the words' alone
	}{
		// Question 8's long answer on health cooperation has the words; people who write
		// "team up" and "beat covid" ask question 1.
		{"how can SCO members team up to beat covid-19", 1, 8},
		// Question 6 says "regional stability and security" too.
		{"how has the sco helped keep the region safe", 3, 6},
	} {
		if got := m.Rank(tc.query, 1); len(got) == 0 || got[0].Number != tc.want {
			t.Errorf("%q: ranked %+v first, want question %d", tc.query, got, tc.want)
		}
		if got := w.Rank(tc.query, 1); len(got) == 0 || got[0].Number != tc.words {
			t.Errorf("%q: the words alone rank %+v first, want question %d", tc.query, got, tc.words)
		}
	}
	// Prize money and registration: people asked, the transcript never said.
	for _, q := range []string{"Kunming marathon ka prize money kitna hai?", "can foreigners sign up for the sco marathon"} {
		if got := m.Match(q, 0); got.Number != 0 {
			t.Errorf("%q: answered %d (%.2f), want not covered", q, got.Number, got.Confidence)
		}
	}
	// The out-of-scope class is a probability, and the feature is set only with the model.
	var x, y features
	analysed(m, "what is the prize money of the sco marathon", func(s *scratch) {
		top := m.score(s, 4)
		x = m.decisionFeatures(s, top)
	})
	analysed(w, "what is the prize money of the sco marathon", func(s *scratch) {
		top := w.score(s, 4)
		y = w.decisionFeatures(s, top)
	})
	if x[fLearnedOOS] <= 0.5 || x[fLearnedOOS] > 1 || y[fLearnedOOS] != 0 {
		t.Errorf("learned_oos: %.3f with the learned model (want above 0.5), %.3f without (want 0)", x[fLearnedOOS], y[fLearnedOOS])
	}
}

// TestLearnedScaleIsPerEntry: the factor of an entry's confidence depends on the entry alone,
// at most 1, and 1 for the most probable one (score's pruning relies on it).
func TestLearnedScaleIsPerEntry(t *testing.T) {
	m := defaultMatcher(t)
	analysed(m, "how should sco countries work together against covid", func(s *scratch) {
		m.score(s, 4)
		if !s.learnedOK {
			t.Fatal("the learned model knows none of the query's features")
		}
		best := 0
		for d := range m.learned.n {
			f := m.learned.scale(s, int32(d))
			if f <= 0 || f > 1 {
				t.Errorf("entry %d: factor %v", d+1, f)
			}
			if f == 1 {
				best++
			}
		}
		if best != 1 {
			t.Errorf("%d entries with factor 1, want the most probable one alone", best)
		}
	})
}
