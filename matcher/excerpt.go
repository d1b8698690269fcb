package matcher

import (
	"math"
	"slices"
	"strings"
	"unicode"
)

// ellipsis ends an excerpt cut inside a sentence longer than the whole budget.
const ellipsis = "…"

// cutPenalty scales the coverage of a sentence longer than the whole budget.
const cutPenalty = 0.6

// excerpt picks the run of consecutive sentences of entry d's answer that covers the most
// query weight within budget runes (budget < 0: the whole answer), then widens it to fill the
// budget, and, when marks is set, marks the matched words.
func (m *Matcher) excerpt(s *scratch, d int, budget int, marks bool) Excerpt {
	sents := m.sentsOf(d)
	if len(sents) == 0 {
		return Excerpt{}
	}
	// Weight of each sentence: the concepts it covers.
	s.fillTermConcepts()
	defer s.clearTermConcepts()
	s.sentMask = append(s.sentMask[:0], make([]uint64, len(sents))...)
	masks := s.sentMask
	m.sentenceMasks(s, d, sents, masks)
	weight := s.maskWeight
	var i0, i1 int // chosen span [i0, i1]
	if budget < 0 {
		i0, i1 = 0, len(sents)-1
	} else {
		bestW, bestLen := -1.0, 0
		for i := range sents {
			var mask uint64
			for j := i; j < len(sents); j++ {
				if spanRunes(sents, i, j) > budget && j > i {
					break
				}
				mask |= masks[j]
				w := weight(mask)
				if spanRunes(sents, i, j) > budget {
					// A sentence that must be cut is worth less than one shown whole.
					w *= cutPenalty
				}
				// Prefer more coverage, then a shorter span (it is widened below).
				if w > bestW || (w == bestW && j-i < bestLen) {
					bestW, bestLen, i0, i1 = w, j-i, i, j
				}
				if spanRunes(sents, i, j) > budget {
					break
				}
			}
		}
		for i1+1 < len(sents) && spanRunes(sents, i0, i1+1) <= budget {
			i1++
		}
		for i0 > 0 && spanRunes(sents, i0-1, i1) <= budget {
			i0--
		}
	}
	start, end := int(sents[i0].off), int(sents[i1].end)
	text := m.answerText(d, start, end)
	cut := len(text)
	if budget >= 0 && spanRunes(sents, i0, i1) > budget {
		cut = cutAtWord(text, budget-1)
	}
	if !marks {
		if cut < len(text) {
			text = text[:cut] + ellipsis
		}
		return Excerpt{Text: text}
	}
	// The highlights are gathered in the scratch and copied out once merged. A sentence
	// whose mask is empty has no occurrence of a query concept.
	hs := s.highlights[:0]
	for i := i0; i <= i1; i++ {
		if masks[i] == 0 {
			continue
		}
		off := int(sents[i].off) - start
		if sents[i].wide {
			for _, o := range m.wideOcc[sents[i].occ0:sents[i].occ1] {
				if h := (Highlight{Start: off + int(o.start), End: off + int(o.end)}); h.End <= cut && s.conceptOf(o.term) >= 0 {
					hs = append(hs, h)
				}
			}
			continue
		}
		for _, o := range m.occ[sents[i].occ0:sents[i].occ1] {
			if h := (Highlight{Start: off + int(o.start), End: off + int(o.end)}); h.End <= cut && s.conceptOf(o.term) >= 0 {
				hs = append(hs, h)
			}
		}
	}
	s.highlights = hs
	if cut < len(text) {
		text = text[:cut] + ellipsis
	}
	var out []Highlight
	if merged := mergeHighlights(hs); len(merged) > 0 {
		out = slices.Clone(merged)
	}
	return Excerpt{Text: text, Highlights: out}
}

// sentenceMasks sets, in masks, the bit of each query concept (the first 64) found in each
// answer sentence of entry d: through the posting of each of the concept's terms, which lists
// the sentences the term occurs in, rather than through every occurrence in the answer. An
// answer of more sentences than a posting can index is read occurrence by occurrence. It
// needs fillTermConcepts.
func (m *Matcher) sentenceMasks(s *scratch, d int, sents []sentence, masks []uint64) {
	if len(sents) > math.MaxUint16 {
		for i := range sents {
			m.eachOcc(&sents[i], func(term int32, _, _ int) {
				if ci := s.conceptOf(term); ci >= 0 {
					masks[i] |= 1 << uint(ci)
				}
			})
		}
		return
	}
	doc := int32(d)
	for ci := range s.concepts {
		if ci >= 64 {
			break
		}
		c := &s.concepts[ci]
		bit := uint64(1) << uint(ci)
		for _, t := range s.altTerms[s.alts[c.a0].t0:s.alts[c.a1-1].t1] {
			if s.conceptOf(t) != ci {
				continue // an earlier concept's term: its bit is that concept's
			}
			p := m.postingsOf(t)
			j, found := findDoc(p, doc)
			if !found {
				continue
			}
			for _, si := range m.sentences(m.postOff[t] + uint32(j)) {
				masks[si] |= bit
			}
		}
	}
}

// conceptOf returns the index of the query concept that term belongs to, or -1; it needs
// fillTermConcepts.
func (s *scratch) conceptOf(term int32) int {
	if int(term) >= len(s.termConcept) {
		return -1
	}
	return int(s.termConcept[term]) - 1
}

// fillTermConcepts records, for each term of the query, its concept (the first 64).
func (s *scratch) fillTermConcepts() {
	for ci := range s.concepts {
		if ci >= 64 {
			break
		}
		c := &s.concepts[ci]
		for _, t := range s.altTerms[s.alts[c.a0].t0:s.alts[c.a1-1].t1] {
			if s.termConcept[t] == 0 {
				s.termConcept[t] = int8(ci + 1)
			}
		}
	}
}

// clearTermConcepts undoes fillTermConcepts.
func (s *scratch) clearTermConcepts() {
	for _, t := range s.altTerms {
		s.termConcept[t] = 0
	}
}

// spanRunes is the length in runes of the answer text from sentence i to sentence j.
func spanRunes(sents []sentence, i, j int) int {
	return int(sents[j].runeOff + sents[j].runes - sents[i].runeOff)
}

// cutAtWord returns the byte length of the longest prefix of text of at most n runes that
// ends at a word boundary, without trailing spaces; never inside a word or a rune.
func cutAtWord(text string, n int) int {
	count, boundary := 0, 0
	prevWord := false
	for i, r := range text {
		word := isWordRune(r)
		if count == n {
			if !word || !prevWord {
				boundary = i
			}
			return len(strings.TrimRightFunc(text[:boundary], unicode.IsSpace))
		}
		if prevWord && !word || !prevWord && word {
			boundary = i
		}
		prevWord = word
		count++
	}
	return len(text)
}

// mergeHighlights sorts highlights and merges overlapping or touching ones.
func mergeHighlights(hs []Highlight) []Highlight {
	if len(hs) == 0 {
		return nil
	}
	for i := 1; i < len(hs); i++ {
		for j := i; j > 0 && (hs[j].Start < hs[j-1].Start || hs[j].Start == hs[j-1].Start && hs[j].End < hs[j-1].End); j-- {
			hs[j], hs[j-1] = hs[j-1], hs[j]
		}
	}
	out := hs[:1]
	for _, h := range hs[1:] {
		last := &out[len(out)-1]
		if h.Start <= last.End {
			last.End = max(last.End, h.End)
			continue
		}
		out = append(out, h)
	}
	return out
}
