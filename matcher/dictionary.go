package matcher

import (
	"fmt"
	"hash/maphash"
	"strings"
	"sync"
	"unicode/utf8"
)

// Dictionary is the vocabulary of one language, shared by the matchers built with it
// (Options.Dictionary): each word once, with its stem, and a spelling index over all the
// words. An archive of many transcripts in one language holds one, so that a word every
// briefing uses is stored, stemmed and indexed for misspellings once rather than once per
// briefing; each matcher keeps only the dictionary ids of its own words, so a query is still
// corrected to, and completed with, words of its own transcript only.
//
// A Dictionary only grows: New adds the words of its transcript that are not yet in it, and
// a word stays when the matchers that had it are gone (the archive's vocabulary is bounded by
// the language, not by the number of edits). It is safe for concurrent use: matchers are
// built and queried while others add words.
type Dictionary struct {
	an *Analyzer // language, stemmer and stop words; without a memo
	// id tells this dictionary's words from others' in wordFactsCache.
	id uint64

	mu      sync.RWMutex
	ids     map[string]uint32 // word -> id
	words   []dictWord        // by id
	stemIDs map[string]uint32 // stem -> stem id
	stems   []string          // by stem id

	// The spelling index: a deletion-neighbourhood (SymSpell) index over the words of
	// minTypoRunes-1 runes or more. Each word, and each of its one-rune deletions, is a key;
	// heads maps a key's 64-bit hash to the latest word with it, whose link names the one
	// before. A hash collision only adds a candidate, which the distance check verifies.
	seed  maphash.Seed
	heads map[uint64]uint32 // key hash -> 1 + index into links
	links []typoLink
}

// dictWord is a word of a Dictionary.
type dictWord struct {
	text string
	stem uint32 // stem id
}

// typoLink is one word with one key in the spelling index.
type typoLink struct {
	word uint32 // word id
	next uint32 // 1 + index into links of the previous word with the key, 0 for none
}

// NewDictionary returns an empty dictionary for a snowball language ("" means english).
func NewDictionary(language string) (*Dictionary, error) {
	an, err := NewAnalyzer(language)
	if err != nil {
		return nil, err
	}
	return &Dictionary{an: an, id: matcherIDs.Add(1), ids: map[string]uint32{}, stemIDs: map[string]uint32{},
		seed: maphash.MakeSeed(), heads: map[uint64]uint32{}}, nil
}

// Language returns the dictionary's snowball language.
func (d *Dictionary) Language() string { return d.an.lang }

// Len returns the number of words in the dictionary.
func (d *Dictionary) Len() int {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return len(d.words)
}

// wordStem returns the stem of a word the dictionary has, with the stem's id.
func (d *Dictionary) wordStem(word string) (stem string, sid uint32, ok bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	id, ok := d.ids[word]
	if !ok {
		return "", 0, false
	}
	sid = d.words[id].stem
	return d.stems[sid], sid, true
}

// idStem returns the id of word and of its stem.
func (d *Dictionary) idStem(word string) (id, stem uint32, ok bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if id, ok = d.ids[word]; ok {
		stem = d.words[id].stem
	}
	return id, stem, ok
}

// stemID returns the id of stem.
func (d *Dictionary) stemID(stem string) (uint32, bool) {
	d.mu.RLock()
	id, ok := d.stemIDs[stem]
	d.mu.RUnlock()
	return id, ok
}

// read calls fn with the words and stems, by id, while none is added. fn must not call d's
// methods other than candidates.
func (d *Dictionary) read(fn func(words []dictWord, stems []string)) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	fn(d.words, d.stems)
}

// add adds words (word -> stem) and stems the dictionary lacks; it then calls wordID with
// the id of each word and stemID with the id of each stem, outside the lock.
func (d *Dictionary) add(words map[string]string, stems []string, wordID func(word string, id uint32), stemID func(i int, id uint32)) {
	type added struct {
		word string
		id   uint32
	}
	ws := make([]added, 0, len(words))
	sids := make([]uint32, len(stems))
	d.mu.Lock()
	if len(d.words) == 0 && len(d.stems) == 0 {
		// The first transcript's words: the tables made at their size rather than grown
		// (rehashing them was a tenth of a small transcript's start-up). A word of eight
		// runes has up to nine spelling keys.
		d.ids, d.stemIDs = make(map[string]uint32, len(words)), make(map[string]uint32, len(stems))
		d.heads = make(map[uint64]uint32, 8*len(words))
		d.words, d.stems = make([]dictWord, 0, len(words)), make([]string, 0, len(stems))
	}
	for w, s := range words {
		ws = append(ws, added{w, d.addWord(w, s)})
	}
	for i, s := range stems {
		sids[i] = d.internStem(s)
	}
	d.mu.Unlock()
	for _, a := range ws {
		wordID(a.word, a.id)
	}
	for i, id := range sids {
		stemID(i, id)
	}
}

// internStem returns the id of stem, adding it. d.mu must be held for writing.
func (d *Dictionary) internStem(stem string) uint32 {
	if id, ok := d.stemIDs[stem]; ok {
		return id
	}
	stem = strings.Clone(stem) // not a slice of one transcript's text
	id := uint32(len(d.stems))
	d.stems = append(d.stems, stem)
	d.stemIDs[stem] = id
	return id
}

// addWord returns the id of word, adding it with its stem. d.mu must be held for writing.
func (d *Dictionary) addWord(word, stem string) uint32 {
	if id, ok := d.ids[word]; ok {
		return id
	}
	word = strings.Clone(word)
	id := uint32(len(d.words))
	d.words = append(d.words, dictWord{text: word, stem: d.internStem(stem)})
	d.ids[word] = id
	// The spelling index: the word and its one-rune deletions.
	var rbuf [64]rune
	rs := rbuf[:0]
	for _, r := range word {
		rs = append(rs, r)
	}
	if len(rs) < minTypoRunes-1 {
		return id
	}
	d.link(maphash.String(d.seed, word), id)
	var kbuf [256]byte
	for del := range rs {
		if del > 0 && rs[del] == rs[del-1] {
			continue // the same deletion as the rune before
		}
		k := kbuf[:0]
		for j, r := range rs {
			if j != del {
				k = utf8.AppendRune(k, r)
			}
		}
		d.link(maphash.Bytes(d.seed, k), id)
	}
	return id
}

// link adds word under key hash h, once.
func (d *Dictionary) link(h uint64, word uint32) {
	head := d.heads[h]
	if head != 0 && d.links[head-1].word == word {
		return // two deletions of the word with the same hash
	}
	d.links = append(d.links, typoLink{word: word, next: head})
	d.heads[h] = uint32(len(d.links))
}

// candidates appends to out the ids of the words with the word or deletion key. d.mu must
// be held for reading.
func (d *Dictionary) candidates(key []byte, out []uint32) []uint32 {
	for l := d.heads[maphash.Bytes(d.seed, key)]; l != 0; l = d.links[l-1].next {
		out = append(out, d.links[l-1].word)
	}
	return out
}

// checkLanguage reports an error when d's language is not lang.
func (d *Dictionary) checkLanguage(lang string) error {
	if d.an.lang != lang {
		return fmt.Errorf("dictionary of language %q used for a matcher in %q", d.an.lang, lang)
	}
	return nil
}
