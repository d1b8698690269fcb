package matcher

import (
	"math"
	"testing"
)

// TestBoostTreeAt walks a depth-two tree: left when a feature is at most the threshold
// (equal included), and an unsplit node (noSplit) always to its left leaf.
func TestBoostTreeAt(t *testing.T) {
	tree := boostTree{feat: [3]uint8{fConf, fCoverage, fPassage}, thr: [3]float64{0.5, 1, noSplit},
		value: [4]float64{1, 2, 3, 4}}
	for _, tc := range []struct {
		conf, coverage, passage float64
		want                    float64
	}{
		{0.4, 0.9, 0, 1},
		{0.5, 1, 0, 1}, // equal goes left, twice
		{0.4, 1.1, 0, 2},
		{0.6, 5, 9, 3}, // the right child is not split
		{math.Inf(1), 0, math.MaxFloat64, 3},
	} {
		var x features
		x[fConf], x[fCoverage], x[fPassage] = tc.conf, tc.coverage, tc.passage
		if got := tree.at(&x); got != tc.want {
			t.Errorf("conf %v coverage %v passage %v: leaf %v, want %v", tc.conf, tc.coverage, tc.passage, got, tc.want)
		}
	}
}

// TestProbabilityBlendsBothModels: the decision's probability is the logistic model's and the
// trees' blended, each a probability: in log-odds by embeddedLinearShare for the embedded
// transcript's model, fitted on its queries alone, as an average of probabilities by
// linearShare for the general one; and a question the transcript answers plainly scores above one it does not
// cover.
func TestProbabilityBlendsBothModels(t *testing.T) {
	m := defaultMatcher(t)
	other := loadMatcher(t, "water/briefing.txt", Options{})
	if !m.decision.logOdds || other.decision.logOdds {
		t.Fatalf("log-odds blend: embedded %v, general %v; want true and false", m.decision.logOdds, other.decision.logOdds)
	}
	for _, mm := range []*Matcher{m, other} {
		for _, q := range []string{"when is the summit?", "what is the meaning of life", "hong kong", "test"} {
			x, _ := mm.explain(q)
			l, b := mm.decision.logistic(x), mm.decision.boosted(x)
			if l < 0 || l > 1 || b < 0 || b > 1 {
				t.Fatalf("%q: logistic %v, trees %v: not probabilities", q, l, b)
			}
			want := linearShare*l + (1-linearShare)*b
			if mm.decision.logOdds {
				want = 1 / (1 + math.Exp(-(embeddedLinearShare*math.Log(l/(1-l)) + (1-embeddedLinearShare)*math.Log(b/(1-b)))))
			}
			// Words that tell no entry apart cap it (capEvidence): "when is the summit?" of
			// the water briefing.
			capped := x[fEvidence] < minEvidence
			want = capEvidence(want, x)
			if p := mm.decision.probability(x); math.Abs(p-want) > 1e-12 || !capped && (p < min(l, b) || p > max(l, b)) {
				t.Errorf("%q: probability %v, want %v, between the logistic model's %v and the trees' %v", q, p, want, l, b)
			}
		}
	}
	sure, _ := m.explain("when is the summit?")
	unsure, _ := m.explain("what is the meaning of life")
	if p, q := m.decision.probability(sure), m.decision.probability(unsure); p <= q {
		t.Errorf("when is the summit? %.3f, not above the meaning of life's %.3f", p, q)
	}
}
