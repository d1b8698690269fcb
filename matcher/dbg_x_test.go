package matcher

import (
	"fmt"
	"os"
	"testing"

	"transcriptbot/transcript"
)

func TestDbgWords(t *testing.T) {
	q := os.Getenv("Q")
	if q == "" {
		t.Skip()
	}
	m, _ := New(transcript.Default(), Options{})
	s := m.newScratch()
	m.analyse(s, prepare(q))
	for _, w := range s.words {
		fmt.Printf("%-12s term=%d name=%v everyday=%v\n", w.lower, w.term, w.name, w.everyday)
	}
	for _, c := range s.concepts {
		fmt.Printf("concept %d-%d imp %.2f alts:", c.w0, c.w1, c.imp)
		for _, a := range s.alts[c.a0:c.a1] {
			fmt.Printf(" [%s w%.2f]", m.termKey(s.altTerms[a.t0]), a.weight)
		}
		fmt.Println()
	}
	fmt.Printf("known %.2f unknown %.2f unk %v presence %.2f\n", s.known, s.unknown, s.unk, s.presence())
	x, top := m.explain(q)
	fmt.Println(top, x)
}
