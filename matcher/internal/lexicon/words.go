package lexicon

import (
	"fmt"
	"hash/maphash"
	"math/bits"
)

// levels maps the table's level digits to SCOWL size levels (see WordLevels in gen/main.go).
var levels = [...]uint8{0, 10, 20, 35, 40, 50, 55, 60, 70, 80, 95}

type wordTable struct {
	// text holds one line per word, sorted: "word SPACE w p a NEWLINE", w, p and a being
	// level digits; starts[i] is where line i begins, with a final entry len(text).
	text   string
	starts []uint32
	// slots is an open-addressing (linear probing) hash table of line numbers plus one
	// (0: empty), 1.5 slots a word: a lookup costs a hash and a probe or two instead of a
	// binary search's twenty string comparisons, for 6 bytes a word.
	slots []uint32
	seed  maphash.Seed
	err   error
}

// decodeWords undoes the table's front coding into sorted, fixed-format lines.
func decodeWords(gz []byte) wordTable {
	src, err := gunzip(gz)
	if err != nil {
		return wordTable{err: fmt.Errorf("lexicon: scowl table: %w", err)}
	}
	text, starts, rest, err := frontCoded(src, -1, 4)
	if err == nil && rest != "" {
		err = fmt.Errorf("line %d: no final newline", len(starts))
	}
	if err != nil {
		return wordTable{err: fmt.Errorf("lexicon: scowl table %w", err)}
	}
	for i := range len(starts) - 1 {
		l := text[starts[i] : starts[i+1]-1]
		d := l[len(l)-4:]
		if d[0] != ' ' || !levelDigit(d[1]) || !levelDigit(d[2]) || !levelDigit(d[3]) {
			return wordTable{err: fmt.Errorf("lexicon: scowl table line %d: want word, space and three level digits", i+1)}
		}
	}
	t := wordTable{text: text, starts: starts, seed: maphash.MakeSeed()}
	n := len(starts) - 1
	t.slots = make([]uint32, n+n/2+1)
	for i := range n {
		j := t.home(t.word(i))
		for t.slots[j] != 0 {
			if j++; j == len(t.slots) {
				j = 0
			}
		}
		t.slots[j] = uint32(i + 1)
	}
	return t
}

// word returns the word of line i.
func (t *wordTable) word(i int) string { return t.text[t.starts[i] : t.starts[i+1]-5] }

func levelDigit(c byte) bool { return c >= '0' && c <= '9' || c == 'a' }

// find returns the three level digits of word's line, or "" when it has none.
func (t *wordTable) find(word string) string {
	if t.err != nil || len(t.slots) == 0 {
		return ""
	}
	for j := t.home(word); t.slots[j] != 0; {
		if i := int(t.slots[j] - 1); t.word(i) == word {
			return t.text[t.starts[i+1]-4 : t.starts[i+1]-1]
		}
		if j++; j == len(t.slots) {
			j = 0
		}
	}
	return ""
}

// home returns word's first slot: its hash scaled to the table's size.
func (t *wordTable) home(word string) int {
	hi, _ := bits.Mul64(maphash.String(t.seed, word), uint64(len(t.slots)))
	return int(hi)
}

// Levels are a word's smallest SCOWL size levels (10 most common .. 80 rare; 0 not listed) in
// three kinds of list.
type Levels struct {
	// Word: general English words and contractions ("the" 10, "doctor" 10, "yo" 40).
	Word int
	// Name: words written with a capital, both those in a typical dictionary ("China",
	// "Monday", "Beijing") and other names of people and places ("Nato" as a name).
	Name int
	// Abbreviation: abbreviations and acronyms that are not also normal words ("NATO",
	// "COVID").
	Abbreviation int
}

func level(digit byte) int {
	if digit == 'a' {
		return int(levels[10])
	}
	return int(levels[digit-'0'])
}

// Commonness returns the smallest SCOWL size level at which word (matched case-insensitively)
// is listed as a general English word or a contraction: 10 for the most common words ("the")
// up to 80 for the rare words of a large dictionary; 0 when it is in none of those lists up to
// level 80 ("bruh", "ngl", "Galwan", and names such as "Beijing": see Lookup). All of SCOWL's
// spelling categories count ("colour" and "color"). A possessive "'s" is ignored.
func Commonness(word string) int { return Lookup(word).Word }

// ProperName returns the smallest SCOWL size level at which word (case-insensitively) is
// listed as a name ("Beijing", "China", "Nato"), or 0 when it is not listed as one.
func ProperName(word string) int { return Lookup(word).Name }

// Abbreviation returns the smallest SCOWL size level at which word (case-insensitively) is
// listed as an abbreviation ("NATO", "COVID"), or 0 when it is not listed as one.
func Abbreviation(word string) int { return Lookup(word).Abbreviation }
