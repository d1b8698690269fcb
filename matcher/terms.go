package matcher

import (
	"math"
	"strings"
)

// Helpers of New: term ids, synonym phrases and the scan that finds both in a text.

func idf(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	p := len(b)
	for i > 0 {
		p--
		b[p] = byte('0' + i%10)
		i /= 10
	}
	return string(b[p:])
}

func containsTerm(l []int32, t int32) bool {
	for _, x := range l {
		if x == t {
			return true
		}
	}
	return false
}

// phraseKey joins the stems of ts.
func phraseKey(ts []token) string {
	if len(ts) == 1 {
		return ts[0].stem
	}
	var b strings.Builder
	for i, t := range ts {
		if i > 0 {
			b.WriteByte('\x1f')
		}
		b.WriteString(t.stem)
	}
	return b.String()
}

// termID returns the id of key, creating it while the index is built.
func (m *Matcher) termID(key string) int32 {
	if id, ok := m.terms[key]; ok {
		return id
	}
	id := int32(len(m.terms))
	m.terms[key] = id
	return id
}

// scan reports every term of ts: each word's stem and each synonym group whose member phrase
// starts at a word, with the span of words [i, j] it covers. It adds unknown stems, so it
// is only called while the index is built.
func (m *Matcher) scan(ts []token, emit func(term int32, i, j int)) {
	var buf [128]byte
	for i := range ts {
		emit(m.termID(ts[i].stem), i, i)
		if m.maxPhrase == 0 {
			continue
		}
		key := buf[:0]
		for j := i; j < len(ts) && j-i < m.maxPhrase; j++ {
			if j > i {
				key = append(key, '\x1f')
			}
			key = append(key, ts[j].stem...)
			p, ok := m.phrases[string(key)]
			for _, g := range p.groups {
				emit(g, i, j)
			}
			for _, g := range p.names {
				emit(g, i, j)
			}
			if !ok || !p.prefix {
				break
			}
		}
	}
}
