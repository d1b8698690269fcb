package lexicon

import (
	"bytes"
	_ "embed" // the source tables
	"encoding/binary"
	"flag"
	"fmt"
	"github.com/kljensen/snowball/english"
	"os"
	"slices"
	"sync"
	"testing"
)

// The gzip tables gen writes: the source lexicon.bin is built from, and the reference the
// lookups are checked against.
var (
	//go:embed wordnet.gz
	wordnetGz []byte
	//go:embed scowl.gz
	scowlGz []byte
	//go:embed variants.gz
	variantsGz []byte
)

var (
	srcOnce     sync.Once
	srcThes     thesaurus
	srcWords    wordTable
	srcVariants variantTable
)

func loadSources() {
	srcOnce.Do(func() {
		srcThes, srcWords, srcVariants = decodeThesaurus(wordnetGz), decodeWords(scowlGz), decodeVariants(variantsGz)
	})
}

// loadThesaurus, loadWords and loadVariants return the gzip tables, decoded.
func loadThesaurus() *thesaurus   { loadSources(); return &srcThes }
func loadWords() *wordTable       { loadSources(); return &srcWords }
func loadVariants() *variantTable { loadSources(); return &srcVariants }

// binWriter lays out lexicon.bin.
type binWriter struct {
	buf bytes.Buffer
	h   [nHeader]uint32
}

func (w *binWriter) pos() uint32 { return uint32(w.buf.Len()) }

func (w *binWriter) u32s(vs []uint32) uint32 {
	p := w.pos()
	for _, v := range vs {
		w.buf.Write(binary.LittleEndian.AppendUint32(nil, v))
	}
	return p
}

// list writes words (each followed by tails[i] when tails is not nil) as offsets and text,
// returning their positions.
func (w *binWriter) list(words []string, tails []string) (off, text uint32) {
	offs := make([]uint32, 0, len(words)+1)
	var tb bytes.Buffer
	for i, s := range words {
		offs = append(offs, uint32(tb.Len()))
		tb.WriteString(s)
		if tails != nil {
			tb.WriteString(tails[i])
		}
	}
	offs = append(offs, uint32(tb.Len()))
	off = w.u32s(offs)
	text = w.pos()
	w.buf.Write(tb.Bytes())
	return off, text
}

// hash writes an open-addressing table of the entries keys[i] for which keep(i) holds (all
// when keep is nil), 1.5 slots an entry, and returns its size and position.
func (w *binWriter) hash(keys []string, keep func(i int) bool) (n, pos uint32) {
	count := 0
	for i := range keys {
		if keep == nil || keep(i) {
			count++
		}
	}
	n = uint32(count + count/2 + 1)
	slots := make([]uint32, n)
	for i, k := range keys {
		if keep != nil && !keep(i) {
			continue
		}
		j := homeSlot(k, n)
		for slots[j] != 0 {
			if j++; j == n {
				j = 0
			}
		}
		slots[j] = uint32(i + 1)
	}
	return n, w.u32s(slots)
}

// buildTables lays out the decoded gzip tables as lexicon.bin.
func buildTables(th *thesaurus, wt *wordTable, vt *variantTable) ([]byte, error) {
	for _, err := range []error{th.err, wt.err, vt.err} {
		if err != nil {
			return nil, err
		}
	}
	w := &binWriter{}
	w.buf.WriteString(binMagic)
	w.u32s(make([]uint32, nHeader)) // the header, filled in at the end
	h := &w.h

	// Thesaurus.
	n := len(th.vocab)
	index := make(map[string]uint32, n)
	for i, v := range th.vocab {
		index[v] = uint32(i)
	}
	h[hVocab] = uint32(n)
	h[hVocabOff], h[hVocabText] = w.list(th.vocab, nil)
	var rels bytes.Buffer
	relOff := make([]uint32, 0, n+1)
	for i := range n {
		relOff = append(relOff, uint32(rels.Len()))
		for _, r := range th.rels[th.offs[i]:th.offs[i+1]] {
			j, ok := index[r.Word]
			if !ok {
				return nil, fmt.Errorf("relation %q of %q not in the vocabulary", r.Word, th.vocab[i])
			}
			rels.WriteByte(byte(r.Kind)<<4 | r.Rank)
			rels.Write(binary.AppendUvarint(nil, uint64(j)))
		}
	}
	relOff = append(relOff, uint32(rels.Len()))
	h[hRelOff] = w.u32s(relOff)
	h[hRelData] = w.pos()
	w.buf.Write(rels.Bytes())
	h[hLemmaSlots], h[hLemmaSlotPos] = w.hash(th.vocab, func(i int) bool { return th.offs[i] < th.offs[i+1] })
	forms := make([]string, 0, len(th.exc))
	for f := range th.exc {
		forms = append(forms, f)
	}
	slices.Sort(forms)
	bases := make([]uint32, len(forms))
	for i, f := range forms {
		bases[i] = uint32(th.exc[f])
	}
	h[hExc] = uint32(len(forms))
	h[hExcOff], h[hExcText] = w.list(forms, nil)
	h[hExcBase] = w.u32s(bases)
	h[hExcSlots], h[hExcSlotPos] = w.hash(forms, nil)

	// SCOWL levels.
	nw := len(wt.starts) - 1
	words, digits := make([]string, nw), make([]string, nw)
	for i := range nw {
		words[i] = wt.word(i)
		digits[i] = wt.find(words[i])
	}
	h[hWords] = uint32(nw)
	h[hWordOff], h[hWordText] = w.list(words, digits)
	h[hWordSlots], h[hWordSlotPos] = w.hash(words, nil)
	// Their snowball English stems, one code a word (stemSufBits).
	codes, sufs, sufIndex := make([]byte, nw), []string{""}, map[string]int{"": 0}
	for i, word := range words {
		stem := english.Stem(word, true)
		keep := 0
		for keep < len(stem) && keep < len(word) && stem[keep] == word[keep] {
			keep++
		}
		add := stem[keep:]
		k, ok := sufIndex[add]
		if !ok {
			k = len(sufs)
			sufIndex[add] = k
			sufs = append(sufs, add)
		}
		drop := len(word) - keep
		if k >= 1<<stemSufBits || drop >= 1<<(8-stemSufBits) {
			return nil, fmt.Errorf("the stem %q of %q takes more than a byte (drop %d, suffix %d)", stem, word, drop, k)
		}
		codes[i] = byte(drop<<stemSufBits | k)
	}
	h[hStems] = w.pos()
	w.buf.Write(codes)
	h[hStemSufs] = uint32(len(sufs))
	h[hStemSufOff], h[hStemSufText] = w.list(sufs, nil)

	// Spelling variants, sorted by the British word; the American index keeps the first
	// British spelling of each American one, as decodeVariants does.
	brit := make([]string, 0, len(vt.toAmerican))
	for b := range vt.toAmerican {
		brit = append(brit, b)
	}
	slices.Sort(brit)
	amer := make([]string, len(brit))
	firstAmer := map[string]bool{}
	first := make([]bool, len(brit))
	for i, b := range brit {
		amer[i] = vt.toAmerican[b]
		if !firstAmer[amer[i]] {
			firstAmer[amer[i]], first[i] = true, true
		}
	}
	h[hPairs] = uint32(len(brit))
	h[hBritOff], h[hBritText] = w.list(brit, nil)
	h[hAmerOff], h[hAmerText] = w.list(amer, nil)
	h[hBritSlots], h[hBritSlotPos] = w.hash(brit, nil)
	h[hAmerSlots], h[hAmerSlotPos] = w.hash(amer, func(i int) bool { return first[i] })

	h[hSize] = w.pos()
	out := w.buf.Bytes()
	for i, v := range h {
		binary.LittleEndian.PutUint32(out[len(binMagic)+4*i:], v)
	}
	return out, nil
}

var updateBin = flag.Bool("update", false, "rewrite lexicon.bin from the gzip tables")

// TestTablesBin rebuilds lexicon.bin from the gzip tables and compares it with the
// committed file; with -update it writes it (go generate runs that after gen).
func TestTablesBin(t *testing.T) {
	loadSources()
	got, err := buildTables(&srcThes, &srcWords, &srcVariants)
	if err != nil {
		t.Fatal(err)
	}
	if *updateBin {
		if err := os.WriteFile("lexicon.bin", got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want := binTables; string(got) != want {
		t.Fatalf("lexicon.bin is out of date (%d bytes, rebuilt %d): run go generate ./matcher/internal/lexicon", len(want), len(got))
	}
}

// TestTablesMatchSource looks up every entry of the gzip tables in lexicon.bin: each lemma's
// relations, each irregular form's base, each word's levels and each spelling pair are the
// same, and words the sources lack are not found.
func TestTablesMatchSource(t *testing.T) {
	if err := Load(); err != nil {
		t.Fatal(err)
	}
	loadSources()
	th, wt, vt := &srcThes, &srcWords, &srcVariants
	for lemma, i := range th.index {
		want := th.rels[th.offs[i]:th.offs[i+1]]
		if got := Related(lemma); !slices.Equal(got, want) {
			t.Fatalf("Related(%q) = %v, want %v", lemma, got, want)
		}
	}
	for form, i := range th.exc {
		if got, ok := th.lookup(form); !ok || got != i {
			t.Fatalf("decoded lookup of %q: %d %v", form, got, ok)
		}
		if got := Base(form); got != th.vocab[i] && th.index[form] == 0 {
			t.Fatalf("Base(%q) = %q, want %q", form, got, th.vocab[i])
		}
	}
	for i := range len(wt.starts) - 1 {
		w := wt.word(i)
		if got, want := loadTables().levelDigits(w), wt.find(w); got != want {
			t.Fatalf("levels of %q: %q, want %q", w, got, want)
		}
	}
	// Every word's stem is snowball's (every seventh word under the race detector, where
	// snowball is ten times as slow).
	step := 1
	if raceEnabled {
		step = 7
	}
	for i := 0; i < len(wt.starts)-1; i += step {
		w := wt.word(i)
		if got, ok := Stem(w); !ok || got != english.Stem(w, true) {
			t.Fatalf("Stem(%q) = %q %v, want %q", w, got, ok, english.Stem(w, true))
		}
	}
	for _, w := range []string{"", "zzqx", "Shanghai", "running "} {
		if got, ok := Stem(w); ok {
			t.Errorf("Stem(%q) = %q, want not found", w, got)
		}
	}
	for b, a := range vt.toAmerican {
		if got := Variant(b); got != a {
			t.Fatalf("Variant(%q) = %q, want %q", b, got, a)
		}
	}
	for a, b := range vt.toBritish {
		if _, isBrit := vt.toAmerican[a]; isBrit {
			continue
		}
		if got := Variant(a); got != b {
			t.Fatalf("Variant(%q) = %q, want %q", a, got, b)
		}
	}
	// Words no table has, and inflected forms found through the detachment rules.
	for _, w := range []string{"", "bruh", "galwan", "ngl", "zzzzqx", "doctors", "cooperating", "ditches", "organisations", "colourists", "larger", "x"} {
		ti, tok := th.lookup(w)
		bi, bok := loadTables().lemma(w)
		if tok != bok || tok && th.vocab[ti] != loadTables().key(loadTables().vocab, bi) {
			t.Errorf("lemma of %q: table %v %v, source %v %v", w, bi, bok, ti, tok)
		}
		if got, want := loadTables().levelDigits(w), wt.find(w); got != want {
			t.Errorf("levels of %q: %q, want %q", w, got, want)
		}
	}
}

// TestOpenTablesRejects: a truncated or altered header is reported, and lookups then find
// nothing rather than panicking.
func TestOpenTablesRejects(t *testing.T) {
	for name, data := range map[string]string{
		"empty":     "",
		"magic":     "lexicon tables 0\n" + binTables[len(binMagic):],
		"truncated": binTables[:len(binTables)/2],
		"header":    binTables[:len(binMagic)+8],
	} {
		tb := openTables(data)
		if tb.err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if _, ok := tb.lemma("doctor"); ok {
			t.Errorf("%s: doctor found after %v", name, tb.err)
		}
		if d := tb.levelDigits("doctor"); d != "" {
			t.Errorf("%s: levels of doctor found after %v", name, tb.err)
		}
		if v := tb.variant("colour"); v != "" {
			t.Errorf("%s: variant of colour found after %v", name, tb.err)
		}
	}
}

// FuzzTables reads arbitrary bytes as lexicon.bin: openTables either rejects them or the
// lookups answer without panicking. The first seed is a valid table of two lemmas, two
// words and one spelling pair.
func FuzzTables(f *testing.F) {
	th := decodeThesaurus(gz(tinyThesaurus))
	wt := decodeWords(gz("0the 100\n3y 200\n"))
	vt := decodeVariants(gz("colour color\n"))
	tiny, err := buildTables(&th, &wt, &vt)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(tiny))
	f.Add(binTables[:4096])
	f.Add(binMagic)
	f.Fuzz(func(t *testing.T, data string) {
		tb := openTables(data)
		for _, w := range []string{"doc", "docs", "physician", "colour", "color", "the", "they", "a"} {
			if i, ok := tb.lemma(w); ok {
				tb.relations(i)
				tb.key(tb.vocab, i)
			}
			tb.levelDigits(w)
			tb.variant(w)
		}
	})
}

// TestRelatedConcurrent: goroutines looking up the same lemmas for the first time at once
// (run with -race) all get the relations.
func TestRelatedConcurrent(t *testing.T) {
	words := []string{"summit", "cooperate", "pandemics", "organisation", "children", "larger", "bruh"}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(words))
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, w := range words {
				if rs := Related(w); (w == "bruh") != (len(rs) == 0) {
					errs <- fmt.Sprintf("Related(%q): %d relations", w, len(rs))
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// BenchmarkLemmaUncached is a word's first lookup, past the cache: the lemma found through
// the hash tables (every detachment rule and spelling tried for an unknown word).
func BenchmarkLemmaUncached(b *testing.B) {
	t := loadTables()
	words := []string{"doctor", "summit", "cooperation", "doctors", "cooperating", "bruh", "galwan", "organisationally"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		t.lemma(words[i%len(words)])
	}
}

// TestTinyTables builds lexicon.bin from three tiny tables and looks every entry up in it.
func TestTinyTables(t *testing.T) {
	th := decodeThesaurus(gz(tinyThesaurus))
	wt := decodeWords(gz("0the 100\n3y 200\n"))
	vt := decodeVariants(gz("colour color\n"))
	data, err := buildTables(&th, &wt, &vt)
	if err != nil {
		t.Fatal(err)
	}
	tb := openTables(string(data))
	if tb.err != nil {
		t.Fatal(tb.err)
	}
	i, ok := tb.lemma("doc")
	if !ok || tb.key(tb.vocab, i) != "doc" {
		t.Fatalf("lemma(doc) = %d, %v", i, ok)
	}
	if rs := tb.relations(i); len(rs) != 1 || rs[0] != (Relation{Word: "physician", Kind: Synonym, Rank: 1}) {
		t.Errorf("relations of doc: %+v", rs)
	}
	if i, ok := tb.lemma("docs"); !ok || tb.key(tb.vocab, i) != "doc" {
		t.Errorf("lemma(docs): %d, %v; want doc through the detachment rules", i, ok)
	}
	if _, ok := tb.lemma("nurse"); ok {
		t.Error("lemma(nurse) found")
	}
	for w, want := range map[string]string{"the": "100", "they": "200", "th": "", "them": ""} {
		if got := tb.levelDigits(w); got != want {
			t.Errorf("levelDigits(%q) = %q, want %q", w, got, want)
		}
	}
	for w, want := range map[string]string{"colour": "color", "color": "colour", "colours": ""} {
		if got := tb.variant(w); got != want {
			t.Errorf("variant(%q) = %q, want %q", w, got, want)
		}
	}
}
