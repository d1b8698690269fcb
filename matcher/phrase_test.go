package matcher

import (
	"strings"
	"testing"

	"transcriptbot/transcript"
)

// TestPhraseShare: the share of a query's pairs of words in a row that an entry's question (or
// an alternate) says too, stop words included, case and a plural's "s" aside.
func TestPhraseShare(t *testing.T) {
	text, err := transcript.Parse(strings.NewReader("Recall briefing\n\n" +
		"1. What exactly is being recalled, and how many of these batteries are actually out there?\n\n" +
		"Two battery pack models, 80,150 packs in all.\n\n" +
		"2. Is there a helpline?\n\nYes, the helpline opens at eight.\n"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(text, Options{})
	if err != nil {
		t.Fatal(err)
	}
	share := func(q string, doc int32) float64 {
		s := m.pool.Get().(*scratch)
		defer m.pool.Put(s)
		m.analyse(s, prepare(q))
		return m.phraseShare(s, doc)
	}
	for _, c := range []struct {
		q    string
		doc  int32
		want float64
	}{
		// how many, many of, of these, batteries are, out there: 5 of the 10 pairs.
		{"how many of these dodgy batteries are out there in total", 0, 5.0 / 10},
		// "battery" is not "batteries": how many, many of, of these, out there.
		{"HOW MANY of these Battery are out there", 0, 4.0 / 7},
		{"how many of these dodgy batteries are out there in total", 1, 0},
		{"helplines", 1, 0},
		{"is there a helpline", 1, 1},
		{"", 0, 0},
	} {
		if got := share(c.q, c.doc); got != c.want {
			t.Errorf("%q, entry %d: share %.3f, want %.3f", c.q, c.doc+1, got, c.want)
		}
	}
	// An operator's alternate phrasing counts as the question does.
	text.Entries[1].Alternates = []string{"Which number do I ring for help?"}
	m, err = New(text, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := share("which number do i ring", 1); got != 1 {
		t.Errorf("alternate: share %.3f, want 1", got)
	}
	if wordHash("Batteries") != wordHash("batterie") || wordHash("ÉTÉ") != wordHash("été") || wordHash("bus") == wordHash("bu") {
		t.Error("wordHash: case, final s")
	}
}
