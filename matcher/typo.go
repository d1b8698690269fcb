package matcher

import (
	"hash/maphash"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// typoIndex finds transcript words within a small edit distance of a misspelt query word.
// It is a deletion-neighbourhood (SymSpell) index: every word and each of its one-rune
// deletions map back to the word, so a lookup generates the query word's deletions (up to two)
// and verifies candidates with the optimal-string-alignment distance. The keys are kept as
// sorted 64-bit hashes beside the word indexes, 12 bytes a key, not as a map of strings: an
// archive holds one index per briefing, and the map was 43% of its memory. A hash collision
// only adds a candidate, which the distance check then verifies.
type typoIndex struct {
	words []string // lower-cased vocabulary, sorted
	term  []int32  // term id of words[i]
	seed  maphash.Seed
	keys  []uint64 // hash of a word or one-deletion, ascending
	idx   []int32  // idx[k] is the index into words of keys[k]'s word
}

// minTypoRunes is the shortest query word typo correction is attempted for.
const minTypoRunes = 5

func newTypoIndex(vocab map[string]int32) *typoIndex {
	ti := &typoIndex{seed: maphash.MakeSeed()}
	for w := range vocab {
		ti.words = append(ti.words, w)
	}
	sort.Strings(ti.words)
	ti.term = make([]int32, len(ti.words))
	type pair struct {
		key uint64
		i   int32
	}
	pairs := make([]pair, 0, len(ti.words)*8)
	var rs []rune
	var buf []byte
	for i, w := range ti.words {
		ti.term[i] = vocab[w]
		rs = append(rs[:0], []rune(w)...)
		if len(rs) < minTypoRunes-1 {
			continue
		}
		pairs = append(pairs, pair{maphash.String(ti.seed, w), int32(i)})
		for d := range rs {
			if d > 0 && rs[d] == rs[d-1] {
				continue // the same deletion as the rune before
			}
			buf = buf[:0]
			for j, r := range rs {
				if j != d {
					buf = utf8.AppendRune(buf, r)
				}
			}
			pairs = append(pairs, pair{maphash.Bytes(ti.seed, buf), int32(i)})
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		switch {
		case a.key != b.key:
			if a.key < b.key {
				return -1
			}
			return 1
		default:
			return int(a.i - b.i)
		}
	})
	pairs = slices.Compact(pairs)
	ti.keys = make([]uint64, len(pairs))
	ti.idx = make([]int32, len(pairs))
	for k, p := range pairs {
		ti.keys[k], ti.idx[k] = p.key, p.i
	}
	return ti
}

// candidates returns the indexes into words of the word or deletion key.
func (ti *typoIndex) candidates(key []byte) []int32 {
	h := maphash.Bytes(ti.seed, key)
	lo, _ := slices.BinarySearch(ti.keys, h)
	hi := lo
	for hi < len(ti.keys) && ti.keys[hi] == h {
		hi++
	}
	return ti.idx[lo:hi]
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
	var seenBuf [32]int32
	seen := seenBuf[:0]
	var kbuf [256]byte
	try := func(key []byte) {
		for _, i := range ti.candidates(key) {
			if slices.Contains(seen, i) {
				continue
			}
			seen = append(seen, i)
			d := osaDistance(rs, ti.words[i], best)
			if d > limit || d > best {
				continue
			}
			if d < best {
				best, out = d, out[:0]
			}
			r0, _ := utf8.DecodeRuneInString(ti.words[i])
			out = append(out, typoCandidate{term: ti.term[i], dist: d, firstDiffers: r0 != rs[0]})
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
	i := sort.SearchStrings(ti.words, w)
	var out []int32
	for ; i < len(ti.words) && strings.HasPrefix(ti.words[i], w) && len(out) < max; i++ {
		if ti.words[i] == w {
			continue
		}
		dup := false
		for _, t := range out {
			if t == ti.term[i] {
				dup = true
			}
		}
		if !dup {
			out = append(out, ti.term[i])
		}
	}
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
