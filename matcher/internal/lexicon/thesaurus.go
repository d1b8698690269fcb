package lexicon

import (
	"bytes"
	"compress/gzip"
	_ "embed" // the generated tables
	"fmt"
	"io"
	"strings"
	"sync"
)

//go:generate go run ./gen -out .

//go:embed wordnet.gz
var wordnetGz []byte

// Kind says how a related word is related.
type Kind uint8

// The kinds of relation, best first: when two words are related in several ways, the table
// keeps the best kind from the most frequent sense.
const (
	// Synonym: another lemma of the same WordNet synset (doctor → physician).
	Synonym Kind = iota + 1
	// Derived: a derivationally related form (cooperate → cooperation), or an adjective's or
	// adverb's pertainym (medical → medicine, quickly → quick).
	Derived
	// Similar: an adjective of a similar synset (pandemic → general; WordNet's "&").
	Similar
	// Hypernym: a lemma of a more general synset of the word's most frequent sense only
	// (meeting → gathering). Noisier than the others: weight it lowest or leave it out.
	Hypernym
)

// String returns the kind's name in lower case.
func (k Kind) String() string {
	switch k {
	case Synonym:
		return "synonym"
	case Derived:
		return "derived"
	case Similar:
		return "similar"
	case Hypernym:
		return "hypernym"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Relation is one word related to a looked-up word.
type Relation struct {
	// Word is the related lemma, lower case, one word of ASCII letters and digits.
	Word string
	// Kind is how it is related.
	Kind Kind
	// Rank is the 1-based rank, most frequent first, of the looked-up word's sense the
	// relation comes from (senses ranked across parts of speech by WordNet's tag counts).
	Rank uint8
}

type thesaurus struct {
	index map[string]int32 // lemma -> entries index
	ents  []entry
	rels  []Relation
	exc   map[string]int32 // irregular inflected form -> entries index of its base
	err   error
}

type entry struct {
	lemma      string
	start, end int32 // its relations: rels[start:end]
}

var (
	thesOnce sync.Once
	thes     thesaurus
)

func loadThesaurus() *thesaurus {
	thesOnce.Do(func() { thes = decodeThesaurus(wordnetGz) })
	return &thes
}

func gunzip(data []byte) (string, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if _, err := io.Copy(&b, zr); err != nil {
		return "", err
	}
	if err := zr.Close(); err != nil {
		return "", err
	}
	return b.String(), nil
}

// decodeThesaurus parses the table gen writes (see Thesaurus in gen/main.go). Every string
// it keeps is a substring of the decompressed table, so loading allocates little beyond it.
func decodeThesaurus(gz []byte) thesaurus {
	fail := func(line int, format string, a ...any) thesaurus {
		return thesaurus{err: fmt.Errorf("lexicon: wordnet table line %d: %s", line, fmt.Sprintf(format, a...))}
	}
	text, err := gunzip(gz)
	if err != nil {
		return thesaurus{err: fmt.Errorf("lexicon: wordnet table: %w", err)}
	}
	main, excs, ok := strings.Cut(text, "#exc\n")
	if !ok {
		return fail(0, "no #exc section")
	}
	nLines := strings.Count(main, "\n")
	t := thesaurus{
		index: make(map[string]int32, nLines),
		ents:  make([]entry, 0, nLines),
		rels:  make([]Relation, 0, strings.Count(main, " ")+nLines),
	}
	line := 0
	for len(main) > 0 {
		line++
		var l string
		l, main, _ = strings.Cut(main, "\n")
		lemma, list, ok := strings.Cut(l, "\t")
		if !ok || lemma == "" || list == "" {
			return fail(line, "want lemma TAB relations")
		}
		e := entry{lemma: lemma, start: int32(len(t.rels))}
		for list != "" {
			var r string
			r, list, _ = strings.Cut(list, " ")
			if len(r) < 3 || r[1] < '1' || r[1] > '9' {
				return fail(line, "bad relation %q", r)
			}
			var k Kind
			switch r[0] {
			case 's':
				k = Synonym
			case 'd':
				k = Derived
			case 'i':
				k = Similar
			case 'h':
				k = Hypernym
			default:
				return fail(line, "bad relation kind in %q", r)
			}
			t.rels = append(t.rels, Relation{Word: r[2:], Kind: k, Rank: r[1] - '0'})
		}
		e.end = int32(len(t.rels))
		if _, dup := t.index[lemma]; dup {
			return fail(line, "lemma %q twice", lemma)
		}
		t.index[lemma] = int32(len(t.ents))
		t.ents = append(t.ents, e)
	}
	line++ // the #exc line
	t.exc = make(map[string]int32, strings.Count(excs, "\n"))
	for len(excs) > 0 {
		line++
		var l string
		l, excs, _ = strings.Cut(excs, "\n")
		form, base, ok := strings.Cut(l, "\t")
		i, known := t.index[base]
		if !ok || form == "" || !known {
			return fail(line, "want inflected form TAB base lemma with an entry")
		}
		t.exc[form] = i
	}
	return t
}

// Load decodes the embedded tables if that has not happened yet and reports whether they are
// sound. Lookups load lazily on first use and find nothing if loading failed, so a caller
// that wants the cost at start-up, or the error in its log, calls Load first.
func Load() error {
	if err := loadThesaurus().err; err != nil {
		return err
	}
	return loadWords().err
}

// Related returns the words WordNet relates to word (lower-case, one word): synonyms,
// derived forms, similar adjectives and hypernyms from its most frequent senses, ordered by
// sense rank, then kind, then word. A word WordNet does not list as a lemma is looked up by its
// base form (see Base), so "doctors" finds doctor's relations. It returns nil for an unknown
// word. The slice is shared: callers must not modify it. Related does not allocate.
func Related(word string) []Relation {
	t := loadThesaurus()
	i, ok := t.lookup(word)
	if !ok {
		return nil
	}
	e := t.ents[i]
	return t.rels[e.start:e.end:e.end]
}

// Base returns the WordNet lemma a word is looked up as by Related: the word itself if it has
// an entry, else its base form by WordNet's irregular-inflection lists (children → child,
// went → go) or its detachment rules (doctors → doctor, ditches → ditch, cooperating →
// cooperate, larger → large), the first that has an entry. It returns "" when none does.
func Base(word string) string {
	t := loadThesaurus()
	i, ok := t.lookup(word)
	if !ok {
		return ""
	}
	return t.ents[i].lemma
}

// detach lists WordNet's morphological detachment rules (morph.c): nouns, verbs, adjectives.
var detach = [...]struct{ suffix, ending string }{
	{"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"},
	{"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""}, {"ing", "e"}, {"ing", ""},
	{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"},
}

func (t *thesaurus) lookup(word string) (int32, bool) {
	if t.err != nil || word == "" {
		return 0, false
	}
	if i, ok := t.index[word]; ok {
		return i, true
	}
	if i, ok := t.exc[word]; ok {
		return i, true
	}
	var buf [64]byte
	for _, d := range detach {
		if len(word) <= len(d.suffix) || len(word)-len(d.suffix)+len(d.ending) > len(buf) || !strings.HasSuffix(word, d.suffix) {
			continue
		}
		n := copy(buf[:], word[:len(word)-len(d.suffix)])
		n += copy(buf[n:], d.ending)
		if i, ok := t.index[string(buf[:n])]; ok { // no allocation: the conversion is only a map key
			return i, true
		}
	}
	return 0, false
}
