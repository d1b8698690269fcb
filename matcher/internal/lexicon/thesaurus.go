package lexicon

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"
)

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
	vocab []string         // every lemma and related word, sorted
	offs  []int32          // vocabulary word i's relations are rels[offs[i]:offs[i+1]]
	rels  []Relation       // all relations, Word being a vocab string
	index map[string]int32 // lemma with relations -> vocabulary index
	exc   map[string]int32 // irregular inflected form -> vocabulary index of its base
	err   error
}

func gunzip(data []byte) (string, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if n := len(data); n >= 4 { // the gzip trailer's uncompressed size (mod 4 GiB): a hint
		if size := binary.LittleEndian.Uint32(data[n-4:]); size <= 64<<20 {
			b.Grow(int(size))
		}
	}
	if _, err := io.Copy(&b, zr); err != nil {
		return "", err
	}
	if err := zr.Close(); err != nil {
		return "", err
	}
	return b.String(), nil
}

// thesaurusMagic is the first line of the thesaurus table, naming its format.
const thesaurusMagic = "lexicon thesaurus 1"

// decodeThesaurus parses the table gen writes (see Thesaurus in gen/main.go). Every word it
// keeps is a substring of one string holding the vocabulary.
func decodeThesaurus(gz []byte) thesaurus {
	bad := func(format string, a ...any) thesaurus {
		return thesaurus{err: fmt.Errorf("lexicon: wordnet table: "+format, a...)}
	}
	src, err := gunzip(gz)
	if err != nil {
		return bad("%w", err)
	}
	magic, src, _ := strings.Cut(src, "\n")
	if magic != thesaurusMagic {
		return bad("format %q, want %q", magic, thesaurusMagic)
	}
	n, src, err := countLine(src)
	if err != nil {
		return bad("vocabulary size: %w", err)
	}
	vtext, starts, src, err := frontCoded(src, n, 0)
	if err != nil {
		return bad("vocabulary %w", err)
	}
	t := thesaurus{vocab: make([]string, n)}
	for i := range t.vocab {
		t.vocab[i] = vtext[starts[i] : starts[i+1]-1]
	}
	nExc, src, err := countLine(src)
	if err != nil {
		return bad("inflection count: %w", err)
	}
	excText := src
	for i := range nExc {
		var ok bool
		if _, src, ok = strings.Cut(src, "\n"); !ok {
			return bad("inflection %d: truncated", i+1)
		}
	}
	// A copy, so that the inflected forms do not keep the whole decompressed table alive.
	excText = strings.Clone(excText[:len(excText)-len(src)])

	// Relations: count first, so that one array holds them all.
	data := src
	t.offs = make([]int32, n+1)
	total, lemmas := 0, 0
	for i := range n {
		c, k := uvarint(data)
		if k <= 0 || c > uint64(len(data)) {
			return bad("relations of %q: bad count", t.vocab[i])
		}
		data = data[k:]
		for range c {
			if len(data) < 2 {
				return bad("relations of %q: truncated", t.vocab[i])
			}
			_, k := uvarint(data[1:])
			if k <= 0 {
				return bad("relations of %q: bad word index", t.vocab[i])
			}
			data = data[1+k:]
		}
		total += int(c)
		t.offs[i+1] = int32(total)
		if c > 0 {
			lemmas++
		}
	}
	if data != "" {
		return bad("%d bytes after the relations", len(data))
	}
	t.rels = make([]Relation, 0, total)
	t.index = make(map[string]int32, lemmas)
	data = src
	for i := range n {
		c, k := uvarint(data)
		data = data[k:]
		if c > 0 {
			t.index[t.vocab[i]] = int32(i)
		}
		for range c {
			code := data[0]
			j, k := uvarint(data[1:])
			data = data[1+k:]
			kind, rank := Kind(code>>4), code&15
			if kind < Synonym || kind > Hypernym || rank < 1 || rank > 9 || j >= uint64(n) || j == uint64(i) {
				return bad("relations of %q: bad relation %#x %d", t.vocab[i], code, j)
			}
			t.rels = append(t.rels, Relation{Word: t.vocab[j], Kind: kind, Rank: rank})
		}
	}
	t.exc = make(map[string]int32, nExc)
	for i := range nExc {
		var l string
		l, excText, _ = strings.Cut(excText, "\n")
		form, base, ok := strings.Cut(l, "\t")
		j, err := strconv.Atoi(base)
		if !ok || form == "" || err != nil || j < 0 || j >= n || t.offs[j] == t.offs[j+1] {
			return bad("inflection %d: want form TAB vocabulary index of a lemma with relations", i+1)
		}
		t.exc[form] = int32(j)
	}
	return t
}

// countLine reads a line holding a count.
func countLine(src string) (int, string, error) {
	l, rest, ok := strings.Cut(src, "\n")
	n, err := strconv.Atoi(l)
	if !ok || err != nil || n < 0 || n > len(src) {
		return 0, "", fmt.Errorf("bad count %q", l)
	}
	return n, rest, nil
}

// uvarint is binary.Uvarint on a string.
func uvarint(s string) (uint64, int) {
	var x uint64
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		c := s[i]
		if c < 0x80 {
			return x | uint64(c)<<(7*i), i + 1
		}
		x |= uint64(c&0x7f) << (7 * i)
	}
	return 0, -1
}

// frontCoded decodes n front-coded lines (all lines if n < 0) of sorted, distinct words, each
// followed by tail more bytes (see writeFrontCoded in gen/main.go). It returns them written
// out in full, one a line with their tails, the offset of each line with a final len(text),
// and the rest of src.
func frontCoded(src string, n, tail int) (text string, starts []uint32, rest string, err error) {
	if n < 0 {
		n = strings.Count(src, "\n")
	}
	var b strings.Builder
	b.Grow(len(src) + 4*n) // prefixes expand the text; a guess, not a bound
	starts = make([]uint32, 0, n+1)
	var prev, cur []byte
	for line := 1; line <= n; line++ {
		l, r, ok := strings.Cut(src, "\n")
		if !ok {
			return "", nil, "", fmt.Errorf("line %d: truncated", line)
		}
		src = r
		if len(l) < 2+tail {
			return "", nil, "", fmt.Errorf("line %d: too short", line)
		}
		shared := int(l[0]) - '0'
		if shared < 0 || shared > len(prev) {
			return "", nil, "", fmt.Errorf("line %d: bad shared-prefix length", line)
		}
		cur = append(append(cur[:0], prev[:shared]...), l[1:len(l)-tail]...)
		if line > 1 && string(cur) <= string(prev) {
			return "", nil, "", fmt.Errorf("line %d: words out of order", line)
		}
		starts = append(starts, uint32(b.Len()))
		b.Write(cur)
		b.WriteString(l[len(l)-tail:])
		b.WriteByte('\n')
		prev, cur = cur, prev
	}
	text = b.String()
	return text, append(starts, uint32(len(text))), src, nil
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
	if i, ok := t.lookupForm(word); ok {
		return i, true
	}
	// A British or American spelling WordNet lists only the other way ("computerisation").
	if v := Variant(word); v != "" {
		if i, ok := t.index[v]; ok {
			return i, true
		}
		if i, ok := t.exc[v]; ok {
			return i, true
		}
		return t.lookupForm(v)
	}
	return 0, false
}

// lookupForm applies the detachment rules to word and returns the first base form with an
// entry.
func (t *thesaurus) lookupForm(word string) (int32, bool) {
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
