package matcher

import (
	"strings"
	"testing"

	"transcriptbot/transcript"
)

// TestHindsight: a query asking how something turned out is marked, and the decision reads it
// only where the passage it matches speaks of that in the future. Questions about what the
// briefing said, or about a plan, are not marked.
func TestHindsight(t *testing.T) {
	m := defaultMatcher(t)
	for q, want := range map[string]float64{
		"Did the St Petersburg summit actually go ahead in person in the end?": 1,
		"what was finally decided at the St. Petersburg summit?":               1,
		"did the summit end up happening in person":                            1,
		"the summit ended up online, right?":                                   1,
		"did the summit actually take place":                                   1,
		"the summit actually took place in November?":                          1,
		"so the summit went ahead?":                                            1,
		"did the summit go ahead":                                              1,
		"when is the summit?":                                                  0,
		"will the summit go ahead this year":                                   0,
		"what did he say in the end of his answer on covid":                    0,
		"if two members have a dispute, what would actually happen":            0,
		"what did Norov actually say about the summit":                         0,
		"work finished finally. will the SCO work with the UN more?":           0,
		"what did the health ministers decide at their June meeting?":          1,
		"did they agree on anything at the health ministers meeting":           1,
		"what was agreed at the meeting in mid-June?":                          1,
		"what came out of the sco health ministers meeting in june?":           1,
		"what was the outcome of the health ministers' meeting?":               1,
		"when will the health ministers meet?":                                 0,
		"the members agreed to hold the summit in St Petersburg?":              0,
		"what will the health ministers decide?":                               0,
		"did the SCO decide to postpone the summit?":                           0,
		"Did Norov agree with calling them conflicts?":                         0,
		"what results does the SCO expect from the health meeting":             0,
	} {
		analysed(m, q, func(s *scratch) {
			if s.hindsight != want {
				t.Errorf("%q: hindsight %v, want %v", q, s.hindsight, want)
			}
		})
	}
	feature := func(q string) (float64, int32) {
		s := m.pool.Get().(*scratch)
		defer m.pool.Put(s)
		m.analyse(s, prepare(q))
		top := m.score(s, 4)
		if len(top) == 0 {
			t.Fatalf("%q: no candidate", q)
		}
		return m.decisionFeatures(s, top)[fHindsight], top[0].doc
	}
	// Question 10's answer says the summit "will take place": the briefing cannot say how it
	// went.
	if x, doc := feature("Did the St Petersburg summit actually go ahead in person in the end?"); doc != 9 || x != 1 {
		t.Errorf("summit in the end: best %d, hindsight %v, want 10 and 1", doc+1, x)
	}
	// A passage in the past tense answers it: the feature stays off.
	text, err := transcript.Parse(strings.NewReader("Census briefing\n\n1. How much did the census cost?\n\nThe census cost 41 million pounds, two million under budget.\n\n2. When do results come out?\n\nThe first results will be published in March.\n"))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := New(text, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := tr.pool.Get().(*scratch)
	defer tr.pool.Put(s)
	tr.analyse(s, prepare("how much did the census cost in the end"))
	top := tr.score(s, 2)
	if s.hindsight != 1 || len(top) == 0 || top[0].doc != 0 || tr.decisionFeatures(s, top)[fHindsight] != 0 {
		t.Errorf("census cost in the end: hindsight %v, top %v; want the query marked, question 1 first and the feature off", s.hindsight, top)
	}
}
