package matcher

import (
	"testing"

	"transcriptbot/transcript"
)

func TestStemBounds(t *testing.T) {
	m, err := New(transcript.Default(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	m.StemBounds(func(stem string, bound float64) {
		n++
		reached := false
		for e := 1; e <= m.Transcript().Len(); e++ {
			v := m.StemScore(stem, e)
			if v > bound {
				t.Errorf("%q: score %v in entry %d above its bound %v", stem, v, e, bound)
			}
			reached = reached || v == bound
		}
		if !reached {
			t.Errorf("%q: no entry reaches the bound %v", stem, bound)
		}
	})
	if n < 100 {
		t.Errorf("got %d stems, want the transcript's vocabulary", n)
	}
	stems := m.Analyzer().Stems("terrorism")
	if len(stems) != 1 || m.StemScore(stems[0], 0) != 0 || m.StemScore(stems[0], 999) != 0 || m.StemScore("zzzqqq", 1) != 0 {
		t.Error("StemScore out of range or of an unknown stem is not 0")
	}
}
