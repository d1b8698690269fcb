package matcher

import (
	"math"
	"slices"
)

// Re-ranking a transcript's best few entries by what tells a paraphrase from a near miss.
//
// The confidence (score) combines a query's words found in an entry (coverage), found together
// in one passage (passage), against one rare word (evidence), with a fixed recipe tuned on the
// embedded transcript. On the transcripts operators load, which have no learned phrasings
// (learned.go), the right question is ranked second for a third of the queries it is not
// ranked first for. rerank reorders the best entries (rerankDepthFinal, or as many as Rank
// returns) by their confidence's logarithm plus a weighted sum of the same measures and two
// more, the share of the query found in the entry's question and the share of its pairs of
// words in a row the question says too (phrase.go): a conditional logit fitted on the other briefings' labelled queries by
// TestRefitDecision (fit_test.go, fitRerank), its weights in decision_coef.go
// (rerankWeights). Each candidate's confidence is scaled by exp(its sum less the best sum), so
// the order of the confidences is the new order and none grows. The embedded transcript's
// candidates are reordered by its learned phrasings instead: re-ranked again they lost more
// than they gained.

// Re-ranking features, in the order of rerankWeights.
const (
	rCoverage = iota
	rPassage
	rEvidence
	rTypeMissing
	rQuestion
	rPhrase
	nRerank
)

// rerankFeatureNames name them, for decision_coef.go.
var rerankFeatureNames = [nRerank]string{"coverage", "passage", "evidence", "type_missing", "question", "phrase"}

// rerankDepthFinal is how many of the best entries are re-ranked at least (Match's four; Rank
// re-ranks as many as it returns), and how many the fit reads (fitRerank).
const rerankDepthFinal = 4

// rerankFeatures are candidate c's re-ranking features.
func (m *Matcher) rerankFeatures(s *scratch, c *candidate) [nRerank]float64 {
	var f [nRerank]float64
	f[rCoverage], f[rPassage], f[rEvidence], f[rQuestion] = c.coverage, c.passage, c.evidence, c.question
	if c.typeMissing {
		f[rTypeMissing] = 1
	}
	f[rPhrase] = m.phraseShare(s, c.doc)
	return f
}

// rerank reorders top, the best candidates by confidence, highest first, with w (see above).
func (m *Matcher) rerank(s *scratch, top []candidate, w *[nRerank]float64) {
	if len(top) < 2 {
		return
	}
	s.sums = s.sums[:0]
	best := math.Inf(-1)
	for i := range top {
		f := m.rerankFeatures(s, &top[i])
		sum := 0.0
		for j := range f {
			sum += w[j] * f[j]
		}
		s.sums = append(s.sums, sum)
		best = max(best, sum)
	}
	for i := range top {
		top[i].conf *= math.Exp(s.sums[i] - best)
	}
	slices.SortStableFunc(top, func(a, b candidate) int {
		switch {
		case a.conf > b.conf:
			return -1
		case a.conf < b.conf:
			return 1
		}
		return 0
	})
}
