package matcher

import "testing"

// TestOtherSpeaker: a query asking what a subject the transcript never names said or thinks
// is marked for the decision; the briefing's own speaker, in any of the ways chats name him,
// and subjects the transcript knows are not.
func TestOtherSpeaker(t *testing.T) {
	m := defaultMatcher(t)
	for q, want := range map[string]float64{
		"what did Putin say about the SCO summit":                                     1,
		"what did putin say about hosting the st petersburg summit":                   1,
		"What did the United States government say about the Hong Kong security law?": 1,
		"what's the EU's official position on the hong kong national security law":    1,
		"What has NATO said about SCO expansion?":                                     1,
		"what does the Arab League think about the Hong Kong law?":                    1,
		"What did the SG say about Hong Kong?":                                        0,
		"what did Norov say about the summit":                                         0,
		"what did the SCO chief say about covid?":                                     0,
		"What is the SCO's position on the Hong Kong security law?":                   0,
		"did the press conf say anything about terrorism?":                            0,
		"do you know if theyve said anything about the summit":                        0,
		"what bad things does their rulebook say they fight together":                 0,
		"What did the health ministers say about the meeting?":                        0,
		"what did china say about hong kong":                                          0,
		"Putin summit":                                                                0,
	} {
		s := m.pool.Get().(*scratch)
		m.analyse(s, prepare(q))
		if s.otherSpeaker != want {
			t.Errorf("%q: otherSpeaker %v, want %v", q, s.otherSpeaker, want)
		}
		m.pool.Put(s)
	}
}

// TestQuestionGap: the decision reads how much more of the query a runner-up's question says
// than the best entry's. An entry's own question restated leaves no runner-up ahead; a query
// whose best entry wins on its answer's words while another entry's question holds them
// gives a positive gap, the largest among the runners-up.
func TestQuestionGap(t *testing.T) {
	m := defaultMatcher(t)
	features := func(q string) (features, []candidate) {
		s := m.pool.Get().(*scratch)
		defer m.pool.Put(s)
		m.analyse(s, prepare(q))
		top := m.score(s, 4)
		return m.decisionFeatures(s, top), append([]candidate(nil), top...)
	}
	x, top := features("Will the SCO continue to develop cooperation with the UN and other international organisations?")
	if top[0].doc != 4 || x[fQuestionGap] > 0 {
		t.Errorf("question 5 restated: best %d, gap %.2f, want 5 and none", top[0].doc+1, x[fQuestionGap])
	}
	for _, q := range []string{"what did Norov say about joint SCO cooperation against the coronavirus pandemic",
		"coronavirus cooperation member states", "how has the SCO helped keep the region secure"} {
		x, top := features(q)
		want := -1.0
		for _, c := range top[1:] {
			want = max(want, c.question-top[0].question)
		}
		if len(top) < 2 || x[fQuestionGap] != want {
			t.Errorf("%q: gap %.3f, want %.3f (the largest runner-up's question share less the best's)", q, x[fQuestionGap], want)
		}
		// The anchor gap: no runner-up's rarest matched concept is weighed beyond the gap.
		if x[fAnchorGap] < -x[fAnchor] || x[fAnchor]+x[fAnchorGap] > 1+1e-9 {
			t.Errorf("%q: anchor %.3f, anchor gap %.3f: a runner-up's anchor outside [0, 1]", q, x[fAnchor], x[fAnchorGap])
		}
	}
}
