package matcher

import (
	"math"
	"slices"
	"sort"
)

// Similar questions, for check's warnings about questions the matcher will confuse.

// Similarity returns the cosine similarity in [0,1] of the questions (with alternates) of
// entries a and b, over TF-IDF weighted stems; 0 when either is out of range.
func (m *Matcher) Similarity(a, b int) float64 {
	if n := len(m.qoff) - 1; a < 1 || b < 1 || a > n || b > n {
		return 0
	}
	va, vb := m.qvecOf(a-1), m.qvecOf(b-1)
	var dot, na, nb float64
	for i, j := 0, 0; i < len(va) && j < len(vb); {
		switch {
		case va[i].term < vb[j].term:
			i++
		case va[i].term > vb[j].term:
			j++
		default:
			dot += m.weight(va[i]) * m.weight(vb[j])
			i++
			j++
		}
	}
	for _, x := range va {
		w := m.weight(x)
		na += w * w
	}
	for _, y := range vb {
		w := m.weight(y)
		nb += w * w
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return math.Min(1, dot/math.Sqrt(na*nb))
}

// Similar returns the pairs of entry numbers (a < b) whose questions have a Similarity of at
// least threshold, most similar first: near-duplicates an operator may want to merge or
// disambiguate. It walks the index, so it stays fast on large transcripts.
func (m *Matcher) Similar(threshold float64) [][2]int {
	type pair struct {
		p   [2]int
		sim float64
	}
	n := len(m.qoff) - 1
	// The weights, in the order of m.qvec: entry d's at w[m.qoff[d]:m.qoff[d+1]].
	w := make([]float64, len(m.qvec))
	for i, x := range m.qvec {
		w[i] = m.weight(x)
	}
	norm := make([]float64, n)
	for d := range n {
		for _, x := range w[m.qoff[d]:m.qoff[d+1]] {
			norm[d] += x * x
		}
		norm[d] = math.Sqrt(norm[d])
	}
	dot := make([]float64, n)
	var touched []int32
	var ps []pair
	for a := range n {
		touched = touched[:0]
		for i := m.qoff[a]; i < m.qoff[a+1]; i++ {
			x := m.qvec[i]
			for _, p := range m.postingsOf(x.term) {
				b := int(p.doc)
				if b <= a || !p.inQuestion() {
					continue
				}
				vb := m.qvecOf(b)
				k, ok := slices.BinarySearchFunc(vb, x.term, func(e weightedTerm, t int32) int { return int(e.term - t) })
				if !ok {
					continue
				}
				if dot[b] == 0 {
					touched = append(touched, int32(b))
				}
				dot[b] += w[i] * w[m.qoff[b]+uint32(k)]
			}
		}
		for _, b := range touched {
			if norm[a] > 0 && norm[b] > 0 {
				if sim := math.Min(1, dot[b]/(norm[a]*norm[b])); sim >= threshold {
					ps = append(ps, pair{[2]int{a + 1, int(b) + 1}, sim})
				}
			}
			dot[b] = 0
		}
	}
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].sim != ps[j].sim {
			return ps[i].sim > ps[j].sim
		}
		return ps[i].p[0] < ps[j].p[0] || ps[i].p[0] == ps[j].p[0] && ps[i].p[1] < ps[j].p[1]
	})
	out := make([][2]int, len(ps))
	for i, p := range ps {
		out[i] = p.p
	}
	return out
}
