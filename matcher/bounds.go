package matcher

import "sort"

// This file holds the read-only accessors an index over many matchers (matcher/archive)
// routes queries with. They expose scores, never change them.

// StemBounds calls fn once for each stem of the transcript's vocabulary (synonym groups left
// out) with the largest score the stem has in any one entry: an upper bound on what the stem
// adds to an entry's summed score, which lets a caller holding many matchers skip those that
// cannot beat a result it already has.
func (m *Matcher) StemBounds(fn func(stem string, bound float64)) {
	keys := make([]string, len(m.stemKeys))
	m.dict.read(func(_ []dictWord, stems []string) {
		for i, id := range m.stemKeys {
			keys[i] = stems[id]
		}
	})
	for i, id := range m.stemTerms {
		var best float32
		for _, p := range m.postingsOf(int32(id)) {
			best = max(best, p.score)
		}
		if best > 0 && keys[i] != "" {
			fn(keys[i], float64(best))
		}
	}
}

// StemScore returns the score stem has in entry n (the term's BM25F score, the quantity
// StemBounds bounds), 0 when the entry lacks the stem or n is out of range.
func (m *Matcher) StemScore(stem string, n int) float64 {
	id, ok := m.stemTerm(stem)
	if !ok || n < 1 || n > len(m.t.Entries) {
		return 0
	}
	p := m.postingsOf(id)
	d := int32(n - 1)
	i := sort.Search(len(p), func(i int) bool { return p[i].doc >= d })
	if i < len(p) && p[i].doc == d {
		return float64(p[i].score)
	}
	return 0
}
