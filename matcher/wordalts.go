package matcher

import (
	"slices"
	"strings"
	"sync/atomic"

	"transcriptbot/matcher/internal/lexicon"
	"transcriptbot/matcher/internal/wordcache"
)

// The alternatives of a query word the transcript lacks (the transcript words it runs
// together, a word of its family, its relatives, its corrections and completions, or that it
// is a misspelt stop word) depend on the word and the matcher alone. Finding them is most of
// a query's analysis (a dozen to fifty probes of the spelling index for a word of the
// language that the transcript does not use), and query words repeat from message to
// message, so the last few thousand such words' alternatives are kept, each with the
// matcher they were found for. The cache holds single words, never a query or an answer.
// (Caching the relatives of the words the transcript has saved nothing measurable, and
// cost an archive, whose matchers all read the same query, an allocation per word.)

// wordAltsCache maps a lower-cased query word and a matcher to the word's alternatives: an
// archive's matchers, which analyse the same query words, keep their own.
var wordAltsCache = wordcache.New[wordAlts](8192)

// matcherIDs numbers the matchers and dictionaries, so that a cached word names the one it
// was found for without keeping it alive.
var matcherIDs atomic.Uint64

// wordAlts is a cached word's alternatives: alts index terms.
type wordAlts struct {
	alts  []alt
	terms []int32
	// drop: no alternative, and the word is a misspelt stop word (or a foreign filler).
	drop bool
	// foreign: the alternatives are the word's English equivalents (foreignword.go).
	foreign bool
}

// unknownAlternatives adds to s the alternatives of w, a query word the transcript lacks
// (neither a number nor an everyday word), through wordAltsCache. It reports whether w, left
// without an alternative, is a misspelt stop word or a foreign filler, and whether its
// alternatives are a foreign word's English equivalents.
func (m *Matcher) unknownAlternatives(s *scratch, w string) (drop, foreign bool) {
	if v, ok := wordAltsCache.Lookup(w, m.id); ok {
		for _, a := range v.alts {
			s.addAlt(v.terms[a.t0:a.t1], a.weight)
		}
		return v.drop, v.foreign
	}
	a0, t0 := len(s.alts), len(s.altTerms)
	drop, foreign = m.findUnknownAlternatives(s, w)
	v := wordAlts{drop: drop, foreign: foreign, alts: slices.Clone(s.alts[a0:]), terms: slices.Clone(s.altTerms[t0:])}
	for i := range v.alts {
		v.alts[i].t0 -= t0
		v.alts[i].t1 -= t0
	}
	wordAltsCache.Store(strings.Clone(w), m.id, v)
	return drop, foreign
}

// findUnknownAlternatives is unknownAlternatives without the cache: two transcript words w
// runs together ("hongkong"), a word of its family, its relatives, its corrections and,
// failing those, the transcript words it starts; or, for a word of the foreign lists, its
// English equivalents alone (foreign).
func (m *Matcher) findUnknownAlternatives(s *scratch, w string) (drop, foreign bool) {
	a0 := len(s.alts)
	// A word of a small English dictionary is spelt right (spelledRight): the transcript
	// lacks it, and neither two words it runs together ("handled" is no "hand led") nor its
	// neighbours by spelling ("sorting" is no misspelt "sport") are what it means.
	right := spelledRight(w)
	// A word of another language ("fronteiras", "cúpula", "정상회의는"): the transcript words
	// its English equivalents are, and nothing else; a filler is dropped (foreignword.go).
	if !right && m.an.lang == "english" {
		if found, filler := m.foreignWord(s, w); found {
			return filler, !filler
		}
	}
	if !right {
		m.splitCompound(s, w)
	}
	m.derived(s, w, -1)
	m.related(s, w, 1, -1)
	if !right {
		for _, cand := range m.typo.lookup(w, maxTypoCandidates) {
			weight := typoWeight1
			if cand.dist > 1 {
				weight = typoWeight2
			}
			if cand.firstDiffers {
				weight *= firstLetterWeight
			}
			s.addAlt([]int32{cand.term}, weight)
		}
	}
	// A word of another language mixed in may be the English word in its spelling
	// ("konflik", "ekonomi", "cooperación"): cognates.go.
	if len(s.alts) == a0 && !right && m.an.lang == "english" && lexicon.Commonness(w) == 0 &&
		lexicon.ProperName(w) == 0 {
		m.cognates(s, w)
	}
	if len(s.alts) == a0 && len(w) >= minTypoRunes {
		// Completions are tried for a dictionary word too (measured without: the embedded
		// briefing's leave-one-set-out log-loss 0.2383 -> 0.2378, the other briefings' 0.4264 ->
		// 0.4285, never-fitted sets 0.2183 -> 0.2186).
		for _, t := range m.typo.prefixed(w, maxTypoCandidates) {
			s.addAlt([]int32{t}, prefixWeight)
		}
	}
	// A word of another language typed with a slip, or two of its words run together
	// ("geholfn", "Sicherheitsgesetz"): foreignword.go.
	if len(s.alts) == a0 && !right && m.an.lang == "english" {
		if found, filler := m.foreignNear(s, w); found {
			return filler, !filler
		}
	}
	// A misspelt function word ("whta", "goign") says nothing about the topic.
	return len(s.alts) == a0 && m.an.misspeltStop(w), false
}

// spelledRightLevel is the largest SCOWL size of the words taken as spelt right: 35, a small
// dictionary's words. Leave-one-set-out log-loss with corrections for every word 0.2622;
// none for words up to size 20, 35, 40, 50, 70: 0.2597, 0.2591, 0.2583, 0.2589, 0.2622, and
// for the other briefings, left out whole, 0.4283 -> 0.4287, 0.4264, 0.4276, 0.4323, 0.4346;
// never-fitted sets 0.2185 -> 0.2175, 0.2183, 0.2181, 0.2186, 0.2193. Corrections at a quarter
// of their weight for words up to size 35: 0.2602. Not splitting such a word into two
// either: 0.2591 -> 0.2580 (embedded 0.2383 -> 0.2369, other briefings 0.4264 -> 0.4273,
// never-fitted 0.2183 -> 0.2177).
const spelledRightLevel = 35

// spelledRight reports whether w, a lower-cased query word, is a common English word.
func spelledRight(w string) bool {
	lv := lexicon.Commonness(w)
	return lv > 0 && lv <= spelledRightLevel
}
