package lexicon

import (
	_ "embed" // the lookup tables
	"fmt"
	"math/bits"
	"strings"
	"sync"
	"sync/atomic"

	"transcriptbot/matcher/internal/wordcache"
)

//go:generate go run ./gen -out .
//go:generate go test -run ^TestTablesBin$ -update .

// lexicon.bin holds the three tables (thesaurus, SCOWL levels, spelling variants) laid out for
// lookup in place: sorted arrays of offsets into concatenated words, and open-addressing hash
// tables over them, all little-endian uint32. Nothing is decompressed or decoded at start-up:
// a lookup hashes the word and reads a slot or two of the embedded string. It is built from
// the gzip tables that gen writes (TestTablesBin rebuilds it with -update; see README.md), and
// the tests check it against them entry by entry.
//
//go:embed lexicon.bin
var binTables string

// binMagic starts lexicon.bin and names its layout.
const binMagic = "lexicon tables 2\n"

// The header's fields: uint32s after binMagic, in this order. Positions are byte offsets into
// the file.
const (
	hVocab        = iota // thesaurus vocabulary size n
	hVocabOff            // position of n+1 offsets into the vocabulary text
	hVocabText           // position of the vocabulary's words, concatenated
	hRelOff              // position of n+1 offsets into the relation data
	hRelData             // position of the relations: per relation a byte kind<<4|rank, a uvarint vocabulary index
	hLemmaSlots          // hash table size over the lemmas with relations (values: vocabulary index+1)
	hLemmaSlotPos        // its position
	hExc                 // irregular inflections m
	hExcOff              // position of m+1 offsets into the inflections' text
	hExcText             // position of the inflected forms, concatenated
	hExcBase             // position of m vocabulary indexes: each form's base
	hExcSlots            // hash table size over the forms (values: inflection index+1)
	hExcSlotPos          // its position
	hWords               // SCOWL words w
	hWordOff             // position of w+1 offsets into the word text
	hWordText            // position of the words, each followed by its three level digits
	hWordSlots           // hash table size over the words (values: word index+1)
	hWordSlotPos         // its position
	hPairs               // British/American pairs p, sorted by the British word
	hBritOff             // position of p+1 offsets into the British words
	hBritText            // position of the British words, concatenated
	hAmerOff             // position of p+1 offsets into the American words
	hAmerText            // position of the American words, concatenated
	hBritSlots           // hash table size over the British words (values: pair index+1)
	hBritSlotPos         // its position
	hAmerSlots           // hash table size over the American words (values: index+1 of the first pair with it)
	hAmerSlotPos         // its position
	hStems               // position of w bytes: the snowball English stem of each SCOWL word (stemCode)
	hStemSufs            // number s of the stems' suffixes
	hStemSufOff          // position of s+1 offsets into their text
	hStemSufText         // position of the suffixes, concatenated
	hSize                // the file's size
	nHeader
)

// tables reads lexicon.bin in place.
type tables struct {
	data string
	h    [nHeader]uint32
	err  error

	vocab, exc, words, brit, amer keyed
	stemSufs                      keyed // the suffixes stem codes name
	lemmaIdx, excIdx, wordIdx     hashIndex
	britIdx, amerIdx              hashIndex

	// rels caches each vocabulary word's relations as a []Relation, made on its first
	// lookup, so that Related returns a shared slice without allocating after that.
	rels []atomic.Pointer[[]Relation]
}

// keyed is a list of n words: word i is text[off[i] : off[i+1]-tail].
type keyed struct {
	n, off, text, tail uint32
}

// hashIndex is an open-addressing hash table (linear probing) of n uint32 slots at pos: an
// entry's index+1, or 0 for an empty slot.
type hashIndex struct {
	n, pos uint32
}

var (
	binOnce sync.Once
	bin     tables
)

// loadTables checks lexicon.bin's header once; the lookups then read it in place.
func loadTables() *tables {
	binOnce.Do(func() { bin = openTables(binTables) })
	return &bin
}

// openTables checks data's header: its magic, and that every section lies within data.
func openTables(data string) tables {
	t := tables{data: data}
	bad := func(format string, a ...any) tables {
		return tables{err: fmt.Errorf("lexicon: lexicon.bin: "+format, a...)}
	}
	if !strings.HasPrefix(data, binMagic) || len(data) < len(binMagic)+4*nHeader {
		return bad("no header")
	}
	for i := range t.h {
		t.h[i] = t.u32(uint32(len(binMagic) + 4*i))
	}
	h := &t.h
	if h[hSize] != uint32(len(data)) {
		return bad("size %d, header says %d", len(data), h[hSize])
	}
	t.vocab = keyed{h[hVocab], h[hVocabOff], h[hVocabText], 0}
	t.exc = keyed{h[hExc], h[hExcOff], h[hExcText], 0}
	t.words = keyed{h[hWords], h[hWordOff], h[hWordText], 3}
	t.brit = keyed{h[hPairs], h[hBritOff], h[hBritText], 0}
	t.amer = keyed{h[hPairs], h[hAmerOff], h[hAmerText], 0}
	t.stemSufs = keyed{h[hStemSufs], h[hStemSufOff], h[hStemSufText], 0}
	t.lemmaIdx = hashIndex{h[hLemmaSlots], h[hLemmaSlotPos]}
	t.excIdx = hashIndex{h[hExcSlots], h[hExcSlotPos]}
	t.wordIdx = hashIndex{h[hWordSlots], h[hWordSlotPos]}
	t.britIdx = hashIndex{h[hBritSlots], h[hBritSlotPos]}
	t.amerIdx = hashIndex{h[hAmerSlots], h[hAmerSlotPos]}
	// Every array must lie within the file, and every list's last offset within its text
	// (offsets are checked again, cheaply, where they are read).
	arrays := []struct {
		pos, n uint32
	}{
		{h[hVocabOff], h[hVocab] + 1}, {h[hRelOff], h[hVocab] + 1}, {h[hExcOff], h[hExc] + 1},
		{h[hExcBase], h[hExc]}, {h[hWordOff], h[hWords] + 1}, {h[hBritOff], h[hPairs] + 1},
		{h[hAmerOff], h[hPairs] + 1}, {h[hLemmaSlotPos], h[hLemmaSlots]}, {h[hExcSlotPos], h[hExcSlots]},
		{h[hWordSlotPos], h[hWordSlots]}, {h[hBritSlotPos], h[hBritSlots]}, {h[hAmerSlotPos], h[hAmerSlots]},
		{h[hStemSufOff], h[hStemSufs] + 1},
	}
	for _, a := range arrays {
		if uint64(a.pos)+4*uint64(a.n) > uint64(len(data)) {
			return bad("an array at %d of %d entries runs past the end", a.pos, a.n)
		}
	}
	if uint64(h[hStems])+uint64(h[hWords]) > uint64(len(data)) {
		return bad("the stems run past the end")
	}
	if h[hStemSufs] > 1<<stemSufBits {
		return bad("%d stem suffixes, at most %d", h[hStemSufs], 1<<stemSufBits)
	}
	for _, k := range []keyed{t.vocab, t.exc, t.words, t.brit, t.amer, t.stemSufs} {
		if uint64(k.text)+uint64(t.u32(k.off+4*k.n)) > uint64(len(data)) {
			return bad("a list's text at %d runs past the end", k.text)
		}
	}
	if uint64(h[hRelData])+uint64(t.u32(h[hRelOff]+4*h[hVocab])) > uint64(len(data)) {
		return bad("the relations run past the end")
	}
	for _, x := range []hashIndex{t.lemmaIdx, t.excIdx, t.wordIdx, t.britIdx, t.amerIdx} {
		if x.n == 0 {
			return bad("an empty hash table")
		}
	}
	t.rels = make([]atomic.Pointer[[]Relation], t.vocab.n)
	return t
}

// u32 reads the little-endian uint32 at pos (0 past the end).
func (t *tables) u32(pos uint32) uint32 {
	if uint64(pos)+4 > uint64(len(t.data)) {
		return 0
	}
	s := t.data[pos : pos+4]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// word returns word i of list k with its tail, and whether its offsets are sound.
func (t *tables) word(k keyed, i uint32) (string, bool) {
	a, b := t.u32(k.off+4*i), t.u32(k.off+4*i+4)
	if a+k.tail > b || uint64(k.text)+uint64(b) > uint64(len(t.data)) {
		return "", false
	}
	return t.data[k.text+a : k.text+b], true
}

// key returns word i of list k without its tail ("" when its offsets are unsound).
func (t *tables) key(k keyed, i uint32) string {
	w, ok := t.word(k, i)
	if !ok {
		return ""
	}
	return w[:len(w)-int(k.tail)]
}

// hashWord is 64-bit FNV-1a: fixed, so that the hash tables can be built ahead of time.
func hashWord(w string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(w); i++ {
		h ^= uint64(w[i])
		h *= 1099511628211
	}
	return h
}

// homeSlot is w's first slot in a table of n slots: its hash scaled to the table's size.
func homeSlot(w string, n uint32) uint32 {
	hi, _ := bits.Mul64(hashWord(w), uint64(n))
	return uint32(hi)
}

// find returns the index in list k of the entry whose word is w, through hash table x.
func (t *tables) find(x hashIndex, k keyed, w string) (uint32, bool) {
	if t.err != nil {
		return 0, false
	}
	j := homeSlot(w, x.n)
	for range x.n {
		v := t.u32(x.pos + 4*j)
		if v == 0 || v > k.n {
			return 0, false
		}
		if w != "" && t.key(k, v-1) == w {
			return v - 1, true
		}
		if j++; j == x.n {
			j = 0
		}
	}
	return 0, false
}

// relations returns vocabulary word i's relations, decoding them on first use.
func (t *tables) relations(i uint32) []Relation {
	if p := t.rels[i].Load(); p != nil {
		return *p
	}
	rs := t.decodeRelations(i)
	t.rels[i].Store(&rs)
	return rs
}

// decodeRelations reads vocabulary word i's relations; a malformed one ends the list.
func (t *tables) decodeRelations(i uint32) []Relation {
	h := &t.h
	a, b := t.u32(h[hRelOff]+4*i), t.u32(h[hRelOff]+4*i+4)
	if a > b || uint64(h[hRelData])+uint64(b) > uint64(len(t.data)) {
		return nil
	}
	data := t.data[h[hRelData]+a : h[hRelData]+b]
	var out []Relation
	for len(data) >= 2 {
		code := data[0]
		j, k := uvarint(data[1:])
		if k <= 0 || j >= uint64(t.vocab.n) {
			break
		}
		data = data[1+k:]
		w, ok := t.word(t.vocab, uint32(j))
		if !ok {
			break
		}
		out = append(out, Relation{Word: w, Kind: Kind(code >> 4), Rank: code & 15})
	}
	return out[:len(out):len(out)]
}

// lemma returns the vocabulary index of the lemma word is looked up as (see Base).
func (t *tables) lemma(word string) (uint32, bool) {
	if t.err != nil || word == "" {
		return 0, false
	}
	if i, ok := t.lemmaOrForm(word); ok {
		return i, true
	}
	if i, ok := t.lookupForm(word); ok {
		return i, true
	}
	// A British or American spelling WordNet lists only the other way ("computerisation").
	if v := t.variant(word); v != "" {
		if i, ok := t.lemmaOrForm(v); ok {
			return i, true
		}
		return t.lookupForm(v)
	}
	return 0, false
}

// lemmaOrForm finds word as a lemma with relations, or as an irregular inflection of one.
func (t *tables) lemmaOrForm(word string) (uint32, bool) {
	if i, ok := t.find(t.lemmaIdx, t.vocab, word); ok {
		return i, true
	}
	if e, ok := t.find(t.excIdx, t.exc, word); ok {
		if i := t.u32(t.h[hExcBase] + 4*e); i < t.vocab.n {
			return i, true
		}
	}
	return 0, false
}

// lookupForm applies the detachment rules to word and returns the first base form that is a
// lemma with relations.
func (t *tables) lookupForm(word string) (uint32, bool) {
	var buf [64]byte
	for _, d := range detach {
		if len(word) <= len(d.suffix) || len(word)-len(d.suffix)+len(d.ending) > len(buf) || !strings.HasSuffix(word, d.suffix) {
			continue
		}
		n := copy(buf[:], word[:len(word)-len(d.suffix)])
		n += copy(buf[n:], d.ending)
		if i, ok := t.find(t.lemmaIdx, t.vocab, string(buf[:n])); ok { // the conversion does not escape
			return i, true
		}
	}
	return 0, false
}

// variant returns word's other spelling, or "".
func (t *tables) variant(word string) string {
	if i, ok := t.find(t.britIdx, t.brit, word); ok {
		return t.key(t.amer, i)
	}
	if i, ok := t.find(t.amerIdx, t.amer, word); ok {
		return t.key(t.brit, i)
	}
	return ""
}

// levelDigits returns the three level digits of word, or "".
func (t *tables) levelDigits(word string) string {
	i, ok := t.find(t.wordIdx, t.words, word)
	if !ok {
		return ""
	}
	w, _ := t.word(t.words, i)
	d := w[len(w)-3:]
	if !levelDigit(d[0]) || !levelDigit(d[1]) || !levelDigit(d[2]) {
		return ""
	}
	return d
}

// stemSufBits is the width of a stem code's suffix index: a code is the number of bytes
// the stem drops from the end of the word, shifted left by it, or'd with the index of the
// suffix the stem then adds ("studies" -> "studi": drop 3, add "i"). Snowball's English
// stems of SCOWL's 287,004 words drop at most 10 bytes and add one of 6 suffixes.
const stemSufBits = 3

// Stem returns the snowball English stem of word (what english.Stem(word, true) returns) when
// the SCOWL word list has word, read from the table: a hash lookup instead of snowball's
// steps, which cost a hundred times as much. ok is false for a word the list lacks.
func Stem(word string) (stem string, ok bool) {
	t := loadTables()
	if t.err != nil {
		return "", false
	}
	i, ok := t.find(t.wordIdx, t.words, word)
	if !ok || i >= t.h[hWords] {
		return "", false
	}
	code := t.data[t.h[hStems]+i]
	drop, suf := int(code>>stemSufBits), uint32(code&(1<<stemSufBits-1))
	if drop > len(word) || suf >= t.h[hStemSufs] {
		return "", false
	}
	add, ok := t.word(t.stemSufs, suf)
	if !ok {
		return "", false
	}
	if add == "" {
		return word[:len(word)-drop], true
	}
	return word[:len(word)-drop] + add, true
}

// Load checks the embedded tables' header and reports whether they are sound. Lookups find
// nothing if it is not. Nothing is decoded: the tables are read in place.
func Load() error {
	if t := loadTables(); t.err != nil {
		return t.err
	}
	return nil
}

// Related returns the words WordNet relates to word (lower-case, one word): synonyms,
// derived forms, similar adjectives and hypernyms from its most frequent senses, ordered by
// sense rank, then kind, then word. A word WordNet does not list as a lemma is looked up by its
// base form or its other spelling (see Base), so "doctors" finds doctor's relations. It returns
// nil for an unknown word. The slice is shared: callers must not modify it. Related allocates
// only when the word is not among the last few thousand looked up (a small cache entry) and on
// a lemma's first lookup in the process (its relations, read from the table).
func Related(word string) []Relation {
	t := loadTables()
	i, ok := cachedLemma(t, word)
	if !ok {
		return nil
	}
	return t.relations(i)
}

// lemmaHit is a cached result of tables.lemma.
type lemmaHit struct {
	i  uint32
	ok bool
}

// Caches of the lookups of the words seen last: finding a word's lemma tries up to twenty
// forms and spellings, each a hash table probe into megabytes of table, so that the same
// words in message after message would cost that every time.
var (
	lemmaCache  = wordcache.New[lemmaHit](8192)
	levelsCache = wordcache.New[Levels](8192)
)

// cachedLemma is t.lemma(word) through lemmaCache.
func cachedLemma(t *tables, word string) (uint32, bool) {
	if h, ok := lemmaCache.Get(word); ok {
		return h.i, h.ok
	}
	i, ok := t.lemma(word)
	lemmaCache.Put(word, lemmaHit{i, ok})
	return i, ok
}

// Base returns the WordNet lemma a word is looked up as by Related: the word itself if it has
// an entry, else its base form by WordNet's irregular-inflection lists (children → child,
// went → go) or its detachment rules (doctors → doctor, ditches → ditch, cooperating →
// cooperate, larger → large), the first that has an entry; failing those, the same for its
// other spelling (see Variant: computerisation → computerization). It returns "" when none
// has an entry.
func Base(word string) string {
	t := loadTables()
	i, ok := cachedLemma(t, word)
	if !ok {
		return ""
	}
	return t.key(t.vocab, i)
}

// Variant returns word's spelling in the other of British and American English
// ("organisation" → "organization", "colour" → "color", "center" → "centre"), or "" when
// SCOWL pairs it with none. The pairs come from SCOWL's British-only and American-only word
// lists (up to level 80), matched by the regular spelling differences (-ise/-ize, -our/-or,
// -tre/-ter, -ence/-ense, -ogue/-og, -ll-/-l-, ae/oe/e, -mme/-m). word is matched as given
// (lower case); Variant does not allocate.
func Variant(word string) string { return loadTables().variant(word) }

// Lookup returns word's SCOWL levels. It folds case and ignores a possessive "'s"; for a word
// already in lower case it allocates only when the word is not among the last few thousand
// looked up (a small cache entry).
func Lookup(word string) Levels {
	t := loadTables()
	word = strings.TrimSuffix(strings.TrimSuffix(word, "'s"), "’s")
	for i := 0; i < len(word); i++ {
		if c := word[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			word = strings.ToLower(word)
			break
		}
	}
	if l, ok := levelsCache.Get(word); ok {
		return l
	}
	var l Levels
	if d := t.levelDigits(word); d != "" {
		l = Levels{Word: level(d[0]), Name: level(d[1]), Abbreviation: level(d[2])}
	}
	levelsCache.Put(word, l)
	return l
}
