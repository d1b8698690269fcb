package matcher

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// typoIndex finds transcript words within a small edit distance of a misspelt query word,
// and transcript words a query word starts. The words and the spelling index over them
// (a deletion-neighbourhood, SymSpell, index: every word and each of its one-rune deletions
// map back to the word, so a lookup generates the query word's deletions, up to two, and
// verifies candidates with the optimal-string-alignment distance) live in the Dictionary,
// which an archive shares among the briefings of a language; the typoIndex holds the
// dictionary ids of the transcript's own vocabulary, 8 bytes a word, and proposes only those.
// A word's term is its stem's, found in the matcher's stem table.
type typoIndex struct {
	dict  *Dictionary
	ids   []uint32 // dictionary ids of the vocabulary (lower-cased words), ascending
	alpha []uint32 // indexes into ids, in the order of the words
	// stemKeys and stemTerms are the matcher's (Matcher.stemKeys).
	stemKeys, stemTerms []uint32
}

// minTypoRunes is the shortest query word typo correction is attempted for.
const minTypoRunes = 5

// newTypoIndex indexes vocab, dictionary ids of words whose stems are in stemKeys, in ids and
// alpha (each len(vocab) long).
func newTypoIndex(dict *Dictionary, vocab []uint32, ids, alpha, stemKeys, stemTerms []uint32) *typoIndex {
	slices.Sort(vocab)
	ti := &typoIndex{dict: dict, ids: ids, alpha: alpha, stemKeys: stemKeys, stemTerms: stemTerms}
	for i, id := range vocab {
		ti.ids[i], ti.alpha[i] = id, uint32(i)
	}
	dict.read(func(words []dictWord, _ []string) {
		slices.SortFunc(ti.alpha, func(a, b uint32) int { return strings.Compare(words[ti.ids[a]].text, words[ti.ids[b]].text) })
	})
	return ti
}

// find returns the index into ti.ids of dictionary word id.
func (ti *typoIndex) find(id uint32) (int, bool) {
	return slices.BinarySearch(ti.ids, id)
}

// termOf returns the term of a vocabulary word's stem (a dictionary stem id).
func (ti *typoIndex) termOf(stem uint32) int32 {
	k, _ := slices.BinarySearch(ti.stemKeys, stem)
	return int32(ti.stemTerms[k])
}

// word returns the term of a vocabulary word.
func (ti *typoIndex) word(w string) (int32, bool) {
	id, stem, ok := ti.dict.idStem(w)
	if !ok {
		return 0, false
	}
	if _, ok := ti.find(id); !ok {
		return 0, false
	}
	return ti.termOf(stem), true
}

// maxEdits is the edit distance tolerated for a word of n runes.
func maxEdits(n int) int {
	switch {
	case n < minTypoRunes:
		return 0
	case n <= 8:
		return 1
	default:
		return 2
	}
}

// typoCandidate is a vocabulary word close to a query word.
type typoCandidate struct {
	term int32
	dist int
	// firstDiffers is set when the word starts with another letter than the query word:
	// people seldom mistype the first letter, so such a candidate is more likely another
	// word than a misspelling ("masks" is not "tasks").
	firstDiffers bool
}

// lookup returns the term ids of the vocabulary words nearest to w (lower-cased), all at the
// smallest distance found, at most max of them; nil when none is within maxEdits.
func (ti *typoIndex) lookup(w string, max int) []typoCandidate {
	var rbuf [64]rune
	rs := rbuf[:0]
	for _, r := range w {
		rs = append(rs, r)
	}
	limit := maxEdits(len(rs))
	if limit == 0 || len(rs) > len(rbuf) {
		return nil
	}
	best := limit + 1
	var out []typoCandidate
	var seenBuf [32]uint32
	seen := seenBuf[:0]
	var kbuf [256]byte
	var cbuf [32]uint32
	type local struct {
		text string
		term int32
	}
	var lbuf [16]local
	ti.dict.read(func(words []dictWord, _ []string) {
		try := func(key []byte) {
			// The dictionary's words with the key, the transcript's only, in the order of
			// the words.
			ls := lbuf[:0]
			for _, id := range ti.dict.candidates(key, cbuf[:0]) {
				_, ok := ti.find(id)
				if !ok || slices.Contains(seen, id) {
					continue
				}
				seen = append(seen, id)
				ls = append(ls, local{words[id].text, ti.termOf(words[id].stem)})
			}
			slices.SortFunc(ls, func(a, b local) int { return strings.Compare(a.text, b.text) })
			for _, l := range ls {
				d := osaDistance(rs, l.text, best)
				if d > limit || d > best {
					continue
				}
				if d < best {
					best, out = d, out[:0]
				}
				r0, _ := utf8.DecodeRuneInString(l.text)
				out = append(out, typoCandidate{term: l.term, dist: d, firstDiffers: r0 != rs[0]})
			}
		}
		// encode writes rs without the runes at skip1 and skip2 (-1: none) into kbuf.
		encode := func(skip1, skip2 int) []byte {
			k := kbuf[:0]
			for j, r := range rs {
				if j != skip1 && j != skip2 {
					k = utf8.AppendRune(k, r)
				}
			}
			return k
		}
		try(encode(-1, -1))
		for i := range rs {
			if i > 0 && rs[i] == rs[i-1] {
				continue
			}
			try(encode(i, -1))
		}
		if limit >= 2 && best > 1 {
			for i := range rs {
				for j := i + 1; j < len(rs); j++ {
					try(encode(i, j))
				}
			}
		}
	})
	// Several words may share a stem; keep distinct terms.
	uniq := out[:0]
	for _, c := range out {
		dup := false
		for _, u := range uniq {
			if u.term == c.term {
				dup = true
				break
			}
		}
		if !dup {
			uniq = append(uniq, c)
		}
	}
	if len(uniq) > max {
		uniq = uniq[:max]
	}
	return uniq
}

// prefixed returns the term ids of up to max vocabulary words that start with w, for a query
// word typed in part ("cyber" -> "cybersecurity").
func (ti *typoIndex) prefixed(w string, max int) []int32 {
	if utf8.RuneCountInString(w) < 5 {
		return nil
	}
	var out []int32
	ti.dict.read(func(words []dictWord, _ []string) {
		text := func(k int) string { return words[ti.ids[ti.alpha[k]]].text }
		i := sort.Search(len(ti.alpha), func(k int) bool { return text(k) >= w })
		for ; i < len(ti.alpha) && strings.HasPrefix(text(i), w) && len(out) < max; i++ {
			if text(i) == w {
				continue
			}
			t := ti.termOf(words[ti.ids[ti.alpha[i]]].stem)
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	})
	return out
}

// osaDistance is the optimal-string-alignment (restricted Damerau-Levenshtein) distance
// between a and b; it returns early with a value > bound once the distance must exceed bound.
func osaDistance(a []rune, bs string, bound int) int {
	var bbuf [64]rune
	b := bbuf[:0]
	for _, r := range bs {
		b = append(b, r)
	}
	if d := len(a) - len(b); d > bound || -d > bound {
		return bound + 1
	}
	n := len(b)
	var buf [3 * 65]int
	var rows []int
	if 3*(n+1) <= len(buf) {
		rows = buf[:3*(n+1)]
	} else {
		rows = make([]int, 3*(n+1))
	}
	prev2, prev, cur := rows[:n+1], rows[n+1:2*(n+1)], rows[2*(n+1):]
	for j := 0; j <= n; j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= n; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > bound {
			return bound + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[n]
}
