package matcher

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"transcriptbot/matcher/internal/wordcache"
	"transcriptbot/transcript"
)

// TestWordAltsCacheSameAnswers checks that the caches of query words' facts and alternatives
// change no answer: every evaluation query matched with the caches emptied before it, then
// again with the caches the other queries filled, gives the same Match.
func TestWordAltsCacheSameAnswers(t *testing.T) {
	saved, savedFacts := wordAltsCache, wordFactsCache
	t.Cleanup(func() { wordAltsCache, wordFactsCache = saved, savedFacts })
	m := defaultMatcher(t)
	files, err := filepath.Glob(filepath.Join("testdata", "*.tsv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no evaluation sets: %v", err)
	}
	var qs []string
	for _, f := range files {
		qs = append(qs, evalQueries(t, f)...)
	}
	cold := make([]Match, len(qs))
	for i, q := range qs {
		wordAltsCache, wordFactsCache = wordcache.New[wordAlts](8192), wordcache.New[wordFacts](8192)
		cold[i] = m.Match(q, 0)
	}
	wordAltsCache, wordFactsCache = wordcache.New[wordAlts](8192), wordcache.New[wordFacts](8192)
	for pass := range 2 {
		for i, q := range qs {
			if got := m.Match(q, 0); !reflect.DeepEqual(got, cold[i]) {
				t.Fatalf("pass %d, %q: with the cache %+v, without %+v", pass, q, got, cold[i])
			}
		}
	}
	hits := 0
	for _, q := range qs {
		for _, w := range strings.Fields(strings.ToLower(q)) {
			if _, ok := wordAltsCache.Lookup(w, m.id); ok {
				hits++
			}
		}
	}
	if hits == 0 {
		t.Error("no query word is in the cache")
	}
}

// TestWordAltsCacheOwnMatcher checks that a word cached for one matcher is not used by
// another: a misspelling one transcript corrects is not corrected for one that lacks the word.
func TestWordAltsCacheOwnMatcher(t *testing.T) {
	parse := func(text string) *transcript.Transcript {
		tr, err := transcript.Parse(strings.NewReader(text))
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
	a, err := New(parse("Harbour briefing\n\n1. What about the lighthouse?\n\nThe lighthouse reopens in May.\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(parse("Garden briefing\n\n1. What about the greenhouse?\n\nThe greenhouse reopens in June.\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	const q = "when does the lighthose reopen"
	if got := a.Match(q, 0); got.Number != 1 || !reflect.DeepEqual(got.Terms, []string{"lighthose", "reopen"}) {
		t.Fatalf("harbour: %q gave %+v, want entry 1 with lighthose and reopen matched", q, got)
	}
	if v, ok := wordAltsCache.Lookup("lighthose", a.id); !ok || len(v.alts) == 0 {
		t.Fatalf("lighthose: cached %+v, %v; want the harbour matcher's correction", v, ok)
	}
	if got := b.Match(q, 0); containsWord(got.Terms, "lighthose") {
		t.Fatalf("garden: %q gave %+v: lighthose matched through the harbour's correction", q, got)
	}
	if v, ok := wordAltsCache.Lookup("lighthose", b.id); !ok || len(v.alts) != 0 {
		t.Fatalf("lighthose for the garden: cached %+v, %v; want no alternative", v, ok)
	}
	if v, ok := wordAltsCache.Lookup("lighthose", a.id); ok && len(v.alts) == 0 {
		t.Fatalf("lighthose for the harbour after the garden query: cached %+v, want its correction", v)
	}
}

func containsWord(l []string, w string) bool {
	for _, x := range l {
		if x == w {
			return true
		}
	}
	return false
}
