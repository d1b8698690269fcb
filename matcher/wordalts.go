package matcher

import (
	"hash/maphash"
	"slices"
	"strings"
	"sync/atomic"
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

// wordAltsCache maps a lower-cased query word and a matcher to the word's alternatives.
var wordAltsCache = newAltsCache(8192)

// altsCache is a fixed-size cache of words' alternatives, each slot pair chosen by a hash of
// the word and the matcher, so that the matchers of an archive, which analyse the same
// query words, keep their own. A newer word pushes out the older of its pair. It is safe
// for concurrent use; an entry, once stored, is never changed.
type altsCache struct {
	seed  maphash.Seed
	slots []atomic.Pointer[wordAlts]
	mask  uint64
}

// newAltsCache returns a cache of size slots (a power of two).
func newAltsCache(size int) *altsCache {
	return &altsCache{seed: maphash.MakeSeed(), slots: make([]atomic.Pointer[wordAlts], size), mask: uint64(size - 1)}
}

// slot is the first of the pair of slots of word for matcher owner.
func (c *altsCache) slot(word string, owner uint64) uint64 {
	return (maphash.String(c.seed, word) ^ owner*0x9e3779b97f4a7c15) & c.mask &^ 1
}

// get returns the alternatives of word cached for matcher owner.
func (c *altsCache) get(word string, owner uint64) (*wordAlts, bool) {
	i := c.slot(word, owner)
	for _, e := range [2]*wordAlts{c.slots[i].Load(), c.slots[i+1].Load()} {
		if e != nil && e.owner == owner && e.word == word {
			return e, true
		}
	}
	return nil, false
}

// put caches v, whose word and owner are set.
func (c *altsCache) put(v *wordAlts) {
	i := c.slot(v.word, v.owner)
	if c.slots[i].CompareAndSwap(nil, v) || c.slots[i+1].CompareAndSwap(nil, v) {
		return
	}
	c.slots[i+1].Store(c.slots[i].Swap(v))
}

// matcherIDs numbers the matchers, so that a cached word names the one it was found for
// without keeping it alive.
var matcherIDs atomic.Uint64

// wordAlts is a cached word's alternatives: alts index terms.
type wordAlts struct {
	word  string
	owner uint64 // Matcher.id
	alts  []alt
	terms []int32
	// drop: no alternative, and the word is a misspelt stop word.
	drop bool
}

// unknownAlternatives adds to s the alternatives of w, a query word the transcript lacks
// (neither a number nor an everyday word), through wordAltsCache. It reports whether w, left
// without an alternative, is a misspelt stop word.
func (m *Matcher) unknownAlternatives(s *scratch, w string) (drop bool) {
	if v, ok := wordAltsCache.get(w, m.id); ok {
		for _, a := range v.alts {
			s.addAlt(v.terms[a.t0:a.t1], a.weight)
		}
		return v.drop
	}
	a0, t0 := len(s.alts), len(s.altTerms)
	drop = m.findUnknownAlternatives(s, w)
	v := &wordAlts{word: strings.Clone(w), owner: m.id, drop: drop,
		alts: slices.Clone(s.alts[a0:]), terms: slices.Clone(s.altTerms[t0:])}
	for i := range v.alts {
		v.alts[i].t0 -= t0
		v.alts[i].t1 -= t0
	}
	wordAltsCache.put(v)
	return drop
}

// findUnknownAlternatives is unknownAlternatives without the cache: two transcript words w
// runs together ("hongkong"), a word of its family, its relatives, its corrections and,
// failing those, the transcript words it starts.
func (m *Matcher) findUnknownAlternatives(s *scratch, w string) (drop bool) {
	a0 := len(s.alts)
	m.splitCompound(s, w)
	m.derived(s, w)
	m.related(s, w, 1, -1)
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
	if len(s.alts) == a0 && len(w) >= minTypoRunes {
		for _, t := range m.typo.prefixed(w, maxTypoCandidates) {
			s.addAlt([]int32{t}, prefixWeight)
		}
	}
	// A misspelt function word ("whta", "goign") says nothing about the topic.
	return len(s.alts) == a0 && m.an.misspeltStop(w)
}
