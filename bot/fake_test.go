package bot

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

// fakeEngine is a scripted matcher: it answers Match from a table keyed by query and counts
// every call, so tests can check that bad input never reaches the matcher.
type fakeEngine struct {
	t       *transcript.Transcript
	calls   atomic.Int64
	mu      sync.Mutex
	matches map[string]matcher.Match
}

func (f *fakeEngine) Match(query string, budget int) matcher.Match {
	f.calls.Add(1)
	f.mu.Lock()
	m, ok := f.matches[query]
	f.mu.Unlock()
	if !ok {
		return matcher.Match{Alternatives: []matcher.Alternative{{Number: 2, Confidence: 0.2}, {Number: 5, Confidence: 0.1}}}
	}
	return m
}

func (f *fakeEngine) Excerpt(n int, query string, budget int) (matcher.Excerpt, bool) {
	f.calls.Add(1)
	if n < 1 || n > len(f.t.Entries) {
		return matcher.Excerpt{}, false
	}
	text := f.t.Entries[n-1].Paragraphs[0]
	return matcher.Excerpt{Text: text}, true
}

func (f *fakeEngine) Rank(query string, max int) []matcher.Alternative {
	f.calls.Add(1)
	var out []matcher.Alternative
	for _, n := range []int{4, 2, 7, 9} {
		if len(out) < max {
			out = append(out, matcher.Alternative{Number: n, Confidence: 0.5})
		}
	}
	return out
}

// testTranscript builds a transcript of n questions with hash version. Question 3 has a long
// question and a long answer mixing scripts and emoji, so it needs several pages.
func testTranscript(n int, version string) *transcript.Transcript {
	t := &transcript.Transcript{Title: "Test press conference", Hash: version}
	for i := 1; i <= n; i++ {
		e := transcript.Entry{
			Number:     i,
			Question:   fmt.Sprintf("What is the position on topic %d and its future?", i),
			Paragraphs: []string{fmt.Sprintf("Topic %d is discussed here. It has a second sentence.", i), "A second paragraph."},
		}
		if i == 3 {
			e.Question = strings.Repeat("How will the member states cooperate on trade, security and culture ", 5) + "in the coming years?"
			var ps []string
			for p := 0; p < 12; p++ {
				ps = append(ps, fmt.Sprintf("Paragraph %d: the Организация works on cooperation 🌏🤝 in many areas. "+
					"Trade grew by 3.5 per cent! Security matters too? Yes — “culture” also. "+
					"Supercalifragilisticexpialidocious-and-other-very-long-hyphenated-words-keep-going appear.", p+1))
			}
			e.Paragraphs = ps
		}
		t.Entries = append(t.Entries, e)
	}
	return t
}

// newTestBot returns a bot over a fake engine on a 10-question transcript.
func newTestBot(opts Options) (*Bot, *fakeEngine) {
	t := testTranscript(10, "aaaa1111")
	f := &fakeEngine{t: t, matches: map[string]matcher.Match{}}
	b := New(nil, opts)
	b.load(f, t)
	return b, f
}
