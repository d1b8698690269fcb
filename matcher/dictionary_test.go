package matcher

import (
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"transcriptbot/transcript"
)

// TestSharedDictionary checks that matchers sharing a dictionary (as an archive's briefings
// do) answer every evaluation query exactly as matchers with dictionaries of their own, while
// other transcripts fill the dictionary concurrently.
func TestSharedDictionary(t *testing.T) {
	dict, err := NewDictionary("english")
	if err != nil {
		t.Fatal(err)
	}
	town, err := transcript.Load(filepath.Join("testdata", "town.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var shared [2]*Matcher
	var wg sync.WaitGroup
	for i, tr := range []*transcript.Transcript{transcript.Default(), town} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, err := New(tr, Options{Dictionary: dict})
			if err != nil {
				t.Error(err)
				return
			}
			shared[i] = m
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	own := [2]*Matcher{defaultMatcher(t), loadMatcher(t, "town.txt", Options{})}
	if dict.Len() <= own[0].Dictionary().Len() {
		t.Fatalf("shared dictionary has %d words, the default transcript's own %d: want more", dict.Len(), own[0].Dictionary().Len())
	}
	queries := evalQueries(t, filepath.Join("testdata", "eval.tsv"))
	queries = append(queries, "maraton", "shangai sprit", "cyber", "hongkong", "terrorists", "goign to colapse")
	for i := range own {
		for _, q := range queries {
			got, want := shared[i].Match(q, 0), own[i].Match(q, 0)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("transcript %d, %q: shared dictionary gives %+v, own %+v", i, q, got, want)
			}
		}
	}
}

// TestSharedDictionaryOwnWords checks that a correction proposes only the transcript's own
// words, whatever else the dictionary holds.
func TestSharedDictionaryOwnWords(t *testing.T) {
	dict, err := NewDictionary("")
	if err != nil {
		t.Fatal(err)
	}
	parse := func(text string) *transcript.Transcript {
		tr, err := transcript.Parse(strings.NewReader(text))
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
	a, err := New(parse("Harbour briefing\n\n1. What about the lighthouse?\n\nThe lighthouse reopens in May.\n"), Options{Dictionary: dict})
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(parse("Garden briefing\n\n1. What about the greenhouse?\n\nThe greenhouse reopens in June.\n"), Options{Dictionary: dict})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		m    *Matcher
		word string
		want string
	}{
		{a, "lighthose", "lighthous"}, {a, "greenhose", ""}, {b, "greenhose", "greenhous"}, {b, "lighthose", ""},
	} {
		var got []string
		for _, c := range tc.m.typo.lookup(tc.word, 3) {
			got = append(got, tc.m.termKey(c.term))
		}
		if g := strings.Join(got, ","); g != tc.want {
			t.Errorf("lookup(%q): got %q, want %q", tc.word, g, tc.want)
		}
		var pre []string
		for _, term := range tc.m.typo.prefixed(tc.word[:6], 3) {
			pre = append(pre, tc.m.termKey(term))
		}
		if g := strings.Join(pre, ","); g != tc.want {
			t.Errorf("prefixed(%q): got %q, want %q", tc.word[:6], g, tc.want)
		}
	}
	if _, err := New(parse("T\n\n1. Q?\n\nA.\n"), Options{Language: "french", Dictionary: dict}); err == nil {
		t.Error("a french matcher with an english dictionary: no error")
	}
}

// TestAnswerText checks that answerText, which the excerpts are cut with, is the joined
// answer's text for every span: within a paragraph, across paragraphs, at the edges.
func TestAnswerText(t *testing.T) {
	tr, err := transcript.Parse(strings.NewReader("T\n\n1. Q?\n\nFirst para. Two.\n\nSecond één.\n\nThird.\n\n2. R?\n\nOnly one.\n"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(tr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for d := range tr.Entries {
		answer := tr.Entries[d].Answer()
		for start := 0; start <= len(answer); start++ {
			for end := start; end <= len(answer); end++ {
				if got, want := m.answerText(d, start, end), answer[start:end]; got != want {
					t.Fatalf("entry %d [%d:%d]: got %q, want %q", d+1, start, end, got, want)
				}
			}
		}
	}
}

// TestLongSentenceHighlights checks the highlights of a sentence longer than 64 KB, whose
// matched words are kept apart from the others' (wideOccurrence).
func TestLongSentenceHighlights(t *testing.T) {
	long := strings.Repeat("filler words here ", 4000) + "the lighthouse reopens" + strings.Repeat(" and more filler", 100)
	text := "T\n\n1. What about the harbour?\n\nShort first sentence about boats. " + long + ". Lighthouse keepers agree.\n"
	m := matcherOfText(t, text)
	ex, ok := m.Excerpt(1, "lighthouse", -1)
	if !ok {
		t.Fatal("no excerpt")
	}
	var got []string
	for _, h := range ex.Highlights {
		got = append(got, ex.Text[h.Start:h.End])
	}
	if g := strings.Join(got, ","); g != "lighthouse,Lighthouse" {
		t.Errorf("highlights %q, want %q", g, "lighthouse,Lighthouse")
	}
}
