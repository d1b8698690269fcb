package matcher

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"transcriptbot/transcript"
)

// benchQueries returns the queries of the evaluation set named by MATCHER_BENCH_SET
// (default testdata/eval.tsv), so the benchmark can be run over any set by hand.
func benchQueries(b *testing.B) []string {
	path := os.Getenv("MATCHER_BENCH_SET")
	if path == "" {
		path = "testdata/eval.tsv"
	}
	return evalQueries(b, path)
}

// BenchmarkMatch is one Match (with excerpt) per iteration on the default transcript,
// cycling over the evaluation queries.
func BenchmarkMatch(b *testing.B) {
	m, err := New(transcript.Default(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	qs := benchQueries(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		m.Match(qs[i%len(qs)], 0)
	}
}

// BenchmarkMatchEach reports each query separately, so the median can be read off.
func BenchmarkMatchEach(b *testing.B) {
	m, err := New(transcript.Default(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	for i, q := range benchQueries(b) {
		b.Run(fmt.Sprintf("q%03d", i), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m.Match(q, 0)
			}
		})
	}
}

// generated returns a transcript of n entries over a synthetic vocabulary with a Zipf-like
// word distribution, and queries made from its questions with words dropped and changed.
func generated(n int) (*transcript.Transcript, []string) {
	r := rand.New(rand.NewPCG(1, 2))
	const vocabSize = 30000
	syll := []string{"ka", "lo", "mi", "ra", "ten", "su", "vo", "dre", "pa", "ni", "to", "zel", "qua", "ber", "ost", "ly"}
	vocab := make([]string, vocabSize)
	for i := range vocab {
		var w strings.Builder
		for k := 0; k < 2+r.IntN(3); k++ {
			w.WriteString(syll[r.IntN(len(syll))])
		}
		vocab[i] = w.String() + fmt.Sprint(i%7)
	}
	zipf := rand.NewZipf(rand.New(rand.NewPCG(3, 4)), 1.1, 2, vocabSize-1)
	sentence := func(words int) string {
		ws := make([]string, words)
		for i := range ws {
			ws[i] = vocab[zipf.Uint64()]
		}
		s := strings.Join(ws, " ")
		return strings.ToUpper(s[:1]) + s[1:] + "."
	}
	var b strings.Builder
	b.WriteString("Generated transcript\n\n")
	questions := make([]string, n)
	for i := 1; i <= n; i++ {
		questions[i-1] = sentence(8 + r.IntN(12))
		fmt.Fprintf(&b, "%d. %s\n\n", i, questions[i-1])
		for p := 0; p < 2+r.IntN(4); p++ {
			for s := 0; s < 1+r.IntN(3); s++ {
				b.WriteString(sentence(10 + r.IntN(15)))
				b.WriteByte(' ')
			}
			b.WriteString("\n\n")
		}
	}
	t, err := transcript.Parse(strings.NewReader(b.String()))
	if err != nil {
		panic(err)
	}
	qs := make([]string, 200)
	for i := range qs {
		ws := strings.Fields(strings.TrimSuffix(questions[r.IntN(n)], "."))
		var keep []string
		for _, w := range ws {
			if r.IntN(3) > 0 {
				keep = append(keep, w)
			}
		}
		qs[i] = strings.Join(keep, " ")
	}
	return t, qs
}

// BenchmarkNew10k builds the index over a generated transcript of 10,000 entries.
func BenchmarkNew10k(b *testing.B) {
	t, _ := generated(10000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := New(t, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatch10k is one Match per iteration on a generated transcript of 10,000 entries.
func BenchmarkMatch10k(b *testing.B) {
	t, qs := generated(10000)
	m, err := New(t, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		m.Match(qs[i%len(qs)], 0)
	}
}
