// Package archivetest generates synthetic archives of briefings for tests, benchmarks and
// the load-test command: deterministic transcripts in the plain-text format, each with a
// topic vocabulary of its own over a shared Zipf-distributed one, and queries made from their
// questions with words dropped, so that each query has a known right answer.
package archivetest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// File is one generated transcript file.
type File struct {
	// Name is the file name: "2015-01-05-briefing-0001.txt".
	Name string
	// Text is the transcript.
	Text string
	// Questions are the question texts, Questions[i] being question i+1.
	Questions []string
}

// ID is the briefing id of the file: its name without ".txt".
func (f File) ID() string { return strings.TrimSuffix(f.Name, ".txt") }

// Options size a generated archive. The zero value is 1,000 briefings of 100 answers.
type Options struct {
	Briefings int    // number of transcripts (default 1000)
	Entries   int    // questions per transcript (default 100)
	Seed      uint64 // random seed (any value; the same seed gives the same archive)
	// Topics, when > 0, makes briefings share their topic vocabularies: each draws one of
	// Topics vocabularies, as an office's weekly briefings return to the same subjects
	// (0: each briefing has a topic vocabulary of its own, which makes routing easy).
	Topics int
}

const (
	vocabSize = 40000
	topicSize = 300
)

// Generate returns the transcripts of a synthetic archive, a briefing a week from
// 2015-01-05 on: about 1 KB of text per answer, so the default archive is about 100 MB.
func Generate(opts Options) []File {
	if opts.Briefings <= 0 {
		opts.Briefings = 1000
	}
	if opts.Entries <= 0 {
		opts.Entries = 100
	}
	r := rand.New(rand.NewPCG(opts.Seed, 0x5eed))
	syll := []string{"ka", "lo", "mi", "ra", "ten", "su", "vo", "dre", "pa", "ni", "to", "zel", "qua", "ber", "ost", "ly", "gan", "ve", "dor", "il"}
	vocab := make([]string, vocabSize)
	seen := map[string]bool{}
	for i := range vocab {
		for {
			var w strings.Builder
			for k := 0; k < 2+r.IntN(3); k++ {
				w.WriteString(syll[r.IntN(len(syll))])
			}
			if s := w.String(); !seen[s] {
				seen[s] = true
				vocab[i] = s
				break
			}
		}
	}
	zipf := rand.NewZipf(rand.New(rand.NewPCG(opts.Seed, 7)), 1.1, 2, vocabSize-1)
	start := time.Date(2015, 1, 5, 0, 0, 0, 0, time.UTC)
	newTopic := func() []string {
		topic := make([]string, topicSize)
		for i := range topic {
			// Topic words come from the rarer half of the vocabulary.
			topic[i] = vocab[vocabSize/2+r.IntN(vocabSize/2)]
		}
		return topic
	}
	var shared [][]string
	for range opts.Topics {
		shared = append(shared, newTopic())
	}
	files := make([]File, opts.Briefings)
	for bi := range files {
		var topic []string
		if len(shared) > 0 {
			topic = shared[r.IntN(len(shared))]
		} else {
			topic = newTopic()
		}
		word := func() string {
			if r.IntN(3) == 0 {
				return topic[r.IntN(topicSize)]
			}
			return vocab[zipf.Uint64()]
		}
		sentence := func(words int) string {
			ws := make([]string, words)
			for i := range ws {
				ws[i] = word()
			}
			s := strings.Join(ws, " ")
			return strings.ToUpper(s[:1]) + s[1:]
		}
		date := start.AddDate(0, 0, 7*bi)
		f := File{Name: fmt.Sprintf("%s-briefing-%04d.txt", date.Format("2006-01-02"), bi+1)}
		var b strings.Builder
		fmt.Fprintf(&b, "Briefing %d on %s\n\n", bi+1, topic[0])
		for n := 1; n <= opts.Entries; n++ {
			q := sentence(8+r.IntN(8)) + "?"
			f.Questions = append(f.Questions, q)
			fmt.Fprintf(&b, "%d. %s\n\n", n, q)
			for p := 0; p < 2+r.IntN(3); p++ {
				for s := 0; s < 2+r.IntN(2); s++ {
					b.WriteString(sentence(10 + r.IntN(10)))
					b.WriteString(". ")
				}
				b.WriteString("\n\n")
			}
		}
		f.Text = b.String()
		files[bi] = f
	}
	return files
}

// Write writes files into dir.
func Write(dir string, files []File) error {
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), []byte(f.Text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Query is a generated query with the question it was made from.
type Query struct {
	Text     string
	Briefing string // id of the briefing
	Number   int
}

// Queries returns n queries made from random questions of files: each keeps about two words
// in three of its question, in order.
func Queries(files []File, n int, seed uint64) []Query {
	r := rand.New(rand.NewPCG(seed, 0x9e))
	out := make([]Query, n)
	for i := range out {
		f := files[r.IntN(len(files))]
		k := r.IntN(len(f.Questions))
		ws := strings.Fields(strings.TrimSuffix(f.Questions[k], "?"))
		var keep []string
		for _, w := range ws {
			if r.IntN(3) > 0 {
				keep = append(keep, w)
			}
		}
		if len(keep) == 0 {
			keep = ws[:1]
		}
		out[i] = Query{Text: strings.Join(keep, " "), Briefing: f.ID(), Number: k + 1}
	}
	return out
}
