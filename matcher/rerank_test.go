package matcher

import "testing"

// TestRerank: the best candidates are reordered by their confidence's logarithm plus the
// weighted features; the new order is the order of the confidences, and none grows. Zero
// weights change nothing.
func TestRerank(t *testing.T) {
	m := matcherOfText(t, "Recall briefing\n\n"+
		"1. What exactly is being recalled, and how many of these batteries are actually out there?\n\n"+
		"Two battery pack models, 80,150 packs in all.\n\n"+
		"2. How many fires have there been?\n\nTwenty-three fires involved these batteries.\n")
	s := m.pool.Get().(*scratch)
	defer m.pool.Put(s)
	m.analyse(s, prepare("how many of these dodgy batteries are out there"))
	// Question 2 first by confidence; question 1's question says more of the query's pairs.
	fresh := func() []candidate {
		return []candidate{{doc: 1, conf: 0.5, coverage: 0.5}, {doc: 0, conf: 0.4, coverage: 0.5}}
	}
	top := fresh()
	m.rerank(s, top, &[nRerank]float64{})
	if top[0].doc != 1 || top[0].conf != 0.5 || top[1].conf != 0.4 {
		t.Errorf("zero weights: %+v", top)
	}
	var w [nRerank]float64
	w[rPhrase] = 10
	top = fresh()
	m.rerank(s, top, &w)
	if top[0].doc != 0 || top[0].conf != 0.4 || !(top[1].conf < 0.4) {
		t.Errorf("phrase weight 10: %+v, want question 1 first at 0.4, question 2 below it", top)
	}
	// A negative weight on a feature both share moves nothing.
	w = [nRerank]float64{}
	w[rCoverage] = -3
	top = fresh()
	m.rerank(s, top, &w)
	if top[0].doc != 1 || top[0].conf != 0.5 || top[1].conf != 0.4 {
		t.Errorf("a shared feature: %+v", top)
	}
}

// TestScoreReranksWithoutLearned: score re-ranks a transcript without learned phrasings
// (an operator's, or the embedded one with WordsOnly) and leaves the embedded transcript's
// order, which its learned phrasings make, as rank gives it.
func TestScoreReranksWithoutLearned(t *testing.T) {
	for _, c := range []struct {
		m       *Matcher
		reranks bool
	}{{defaultMatcher(t), false}, {wordsMatcher(t), true}} {
		moved := 0
		for _, q := range labelledQueries(t) {
			s := c.m.pool.Get().(*scratch)
			c.m.analyse(s, prepare(q))
			ranked := append([]candidate(nil), c.m.rank(s, rerankDepthFinal)...)
			scored := c.m.score(s, 1)
			if len(ranked) > 0 && len(scored) > 0 && scored[0].doc != ranked[0].doc {
				moved++
			}
			c.m.pool.Put(s)
		}
		if c.reranks != (moved > 0) {
			t.Errorf("learned %v: %d queries' best entry moved by re-ranking", c.m.learned != nil, moved)
		}
	}
}
