package matcher

import (
	"slices"
	"unicode"
	"unicode/utf8"

	"transcriptbot/transcript"
)

// Phrases: the words of a question in the order it says them, stop words included.
//
// The ranking reads content words; "how many of these dodgy batteries are out there in total"
// shares only "batteries" and "total" with "How many of these batteries are actually out
// there?", and "batteries" is in every answer of a recall briefing. People who ask what a
// question asks often ask it the same way, and the pairs of words in a row they share with it
// ("how many", "of these", "out there") are evidence the content words are not. phraseShare
// is the share of the query's pairs of words in a row that the entry's question (or one of its
// alternates) has too: the decision feature fPhrase, and a re-ranking feature (rerank.go).

// maxPhraseWords bounds the query words read for pairs: a long message's pairs say little.
const maxPhraseWords = 40

// wordHash hashes a word for phrase pairs: lower case, a final "s" dropped from a word of more
// than three letters ("batteries" and "battery" still differ; a pair is a weak match anyway).
func wordHash(w string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	if n := len(w); n > 3 && (w[n-1] == 's' || w[n-1] == 'S') {
		w = w[:n-1]
	}
	h := uint64(offset)
	for i := 0; i < len(w); {
		r := rune(w[i])
		size := 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(w[i:])
		} else if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		if size > 1 {
			r = unicode.ToLower(r)
		}
		h ^= uint64(r)
		h *= prime
		i += size
	}
	return h
}

// pairKey is the key of two words in a row in entry doc.
func pairKey(doc int32, a, b uint64) uint64 {
	k := a*0x9E3779B97F4A7C15 ^ b ^ uint64(doc+1)*0xC2B2AE3D27D4EB4F
	k ^= k >> 31
	k *= 0xBF58476D1CE4E5B9
	return k ^ k>>29
}

// addQuestionPairs records the pairs of words in a row of each entry's question and alternates,
// as a sorted set of keys: a map of them held a tenth more heap in an archive of a thousand
// briefings (354 -> 390 MB), the sorted keys half of that.
func (m *Matcher) addQuestionPairs(t *transcript.Transcript) {
	var keys []uint64
	var buf [128]rawWord
	add := func(doc int32, text string) {
		ws := words(text, buf[:0])
		for i := 1; i < len(ws); i++ {
			a := wordHash(text[ws[i-1].start:ws[i-1].end])
			b := wordHash(text[ws[i].start:ws[i].end])
			keys = append(keys, pairKey(doc, a, b))
		}
	}
	for d := range t.Entries {
		e := &t.Entries[d]
		add(int32(d), e.Question)
		for _, a := range e.Alternates {
			add(int32(d), a)
		}
	}
	slices.Sort(keys)
	m.pairs = slices.Clip(slices.Compact(keys))
}

// phraseShare is the share of the analysed query's pairs of words in a row that entry doc's
// question or an alternate has too (0 for a query of one word).
func (m *Matcher) phraseShare(s *scratch, doc int32) float64 {
	n := min(len(s.raw), maxPhraseWords)
	if n < 2 {
		return 0
	}
	if len(s.hashes) == 0 {
		for _, w := range s.raw[:n] {
			s.hashes = append(s.hashes, wordHash(s.text[w.start:w.end]))
		}
	}
	found := 0
	for i := 1; i < n; i++ {
		if _, ok := slices.BinarySearch(m.pairs, pairKey(doc, s.hashes[i-1], s.hashes[i])); ok {
			found++
		}
	}
	return float64(found) / float64(n-1)
}
