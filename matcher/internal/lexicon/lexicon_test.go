package lexicon

import (
	"bytes"
	"compress/gzip"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestRelated(t *testing.T) {
	tests := []struct {
		word, related string
		kind          Kind
		maxRank       uint8
	}{
		{"doctor", "physician", Synonym, 1},
		{"doctor", "doc", Synonym, 1},
		{"doctors", "physician", Synonym, 1},
		{"cooperate", "collaborate", Synonym, 1},
		{"cooperate", "cooperation", Derived, 1},
		{"cooperation", "cooperate", Derived, 1},
		{"cooperating", "collaborate", Synonym, 1},
		{"organisation", "organization", Synonym, 1},
		{"organization", "organisation", Synonym, 1},
		{"organisations", "organization", Synonym, 1},
		{"defence", "defense", Synonym, 3},
		{"summit", "peak", Synonym, 1},
		{"meeting", "meet", Derived, 1},
		{"meeting", "gathering", Hypernym, 1},
		{"pandemic", "epidemic", Hypernym, 1},
		{"ditch", "dump", Synonym, 3},
		{"ditching", "dump", Synonym, 3},
		{"children", "kid", Synonym, 1},
		{"medical", "medicine", Derived, 3},
		{"computerisation", "computerize", Derived, 1}, // by its American spelling
		{"colourists", "painter", Hypernym, 1},
	}
	for _, tc := range tests {
		t.Run(tc.word+"/"+tc.related, func(t *testing.T) {
			rs := Related(tc.word)
			i := slices.IndexFunc(rs, func(r Relation) bool { return r.Word == tc.related })
			if i < 0 {
				t.Fatalf("Related(%q) = %v, want it to include %q", tc.word, rs, tc.related)
			}
			if r := rs[i]; r.Kind != tc.kind || r.Rank > tc.maxRank {
				t.Errorf("Related(%q) has %q as %v rank %d, want %v rank <= %d", tc.word, tc.related, r.Kind, r.Rank, tc.kind, tc.maxRank)
			}
		})
	}
}

func TestRelatedLeavesOut(t *testing.T) {
	tests := []struct{ word, unwanted string }{
		{"doctor", "adulterate"},         // a hypernym of the verb (to falsify), not the first sense
		{"doctor", "medical"},            // from the collocation medical_practitioner
		{"summit", "attain"},             // a hypernym of the rare verb sense
		{"organisation", "organisation"}, // never the word itself
	}
	for _, tc := range tests {
		t.Run(tc.word+"/"+tc.unwanted, func(t *testing.T) {
			if rs := Related(tc.word); slices.ContainsFunc(rs, func(r Relation) bool { return r.Word == tc.unwanted }) {
				t.Errorf("Related(%q) = %v, want no %q", tc.word, rs, tc.unwanted)
			}
		})
	}
}

func TestRelatedUnknown(t *testing.T) {
	for _, w := range []string{"", "bruh", "galwan", "qqqq", "Doctor", "medical practitioner", strings.Repeat("s", 200)} {
		if rs := Related(w); rs != nil {
			t.Errorf("Related(%q) = %v, want nil", w, rs)
		}
		if b := Base(w); b != "" {
			t.Errorf("Base(%q) = %q, want \"\"", w, b)
		}
	}
}

func TestBase(t *testing.T) {
	tests := []struct{ word, want string }{
		{"doctor", "doctor"},
		{"doctors", "doctor"},
		{"ditches", "ditch"},
		{"ditching", "ditch"},
		{"cooperating", "cooperate"},
		{"cooperated", "cooperate"},
		{"organisations", "organisation"},
		{"children", "child"},
		{"went", "go"},
		{"women", "woman"},
		{"countries", "country"},
		{"computerisation", "computerization"},
		{"colourists", "colorist"},
	}
	for _, tc := range tests {
		if got := Base(tc.word); got != tc.want {
			t.Errorf("Base(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
}

// TestThesaurusTable checks every entry of the embedded table: its size is WordNet's, and
// every relation is a plain lower-case word other than the entry's, in the documented order.
func TestThesaurusTable(t *testing.T) {
	if err := Load(); err != nil {
		t.Fatal(err)
	}
	th := loadThesaurus()
	if n := len(th.index); n < 50000 || n > 150000 {
		t.Errorf("%d entries, want WordNet's tens of thousands of single-word lemmas", n)
	}
	if n := len(th.exc); n < 1000 {
		t.Errorf("%d irregular inflections, want thousands", n)
	}
	kinds := map[Kind]int{}
	for lemma, i := range th.index {
		e := struct{ lemma string }{lemma}
		if th.vocab[i] != lemma {
			t.Fatalf("index[%q] is vocabulary word %d, %q", lemma, i, th.vocab[i])
		}
		rs := Related(lemma)
		if len(rs) == 0 {
			t.Fatalf("%q has no relations", e.lemma)
		}
		seen := map[string]bool{}
		for i, r := range rs {
			kinds[r.Kind]++
			if r.Word == e.lemma || seen[r.Word] || r.Word != strings.ToLower(r.Word) || strings.ContainsAny(r.Word, " _-'.") {
				t.Fatalf("%q: bad or repeated related word %q", e.lemma, r.Word)
			}
			seen[r.Word] = true
			if r.Rank < 1 || r.Rank > 3 || r.Kind < Synonym || r.Kind > Hypernym || r.Kind == Hypernym && r.Rank != 1 {
				t.Fatalf("%q: bad relation %+v", e.lemma, r)
			}
			if i > 0 {
				p := rs[i-1]
				if p.Rank > r.Rank || p.Rank == r.Rank && (p.Kind > r.Kind || p.Kind == r.Kind && p.Word >= r.Word) {
					t.Fatalf("%q: %+v before %+v", e.lemma, p, r)
				}
			}
		}
	}
	for k := Synonym; k <= Hypernym; k++ {
		if kinds[k] < 1000 {
			t.Errorf("%d relations of kind %v, want thousands", kinds[k], k)
		}
	}
}

func TestRelatedIsShared(t *testing.T) {
	rs := Related("doctor")
	if cap(rs) != len(rs) {
		t.Fatalf("cap %d > len %d: an append by a caller would overwrite the next entry", cap(rs), len(rs))
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		word string
		want Levels
	}{
		{"the", Levels{Word: 10}},
		{"The", Levels{Word: 10}},
		{"doctor", Levels{Word: 20, Name: 10}}, // "Doctor" as a title
		{"doctor's", Levels{Word: 20, Name: 10}},
		{"physician", Levels{Word: 35}},
		{"sesquipedalian", Levels{Word: 70}},
		{"colour", Levels{Word: 10}},
		{"color", Levels{Word: 10}},
		{"NATO", Levels{Name: 80, Abbreviation: 40}},
		{"COVID", Levels{Abbreviation: 50}},
		{"Beijing", Levels{Name: 50}},
		{"bruh", Levels{}},
		{"ngl", Levels{}},
		{"Galwan", Levels{}},
		{"", Levels{}},
		{"zzzzzzzz", Levels{}},
	}
	for _, tc := range tests {
		t.Run(tc.word, func(t *testing.T) {
			if got := Lookup(tc.word); got != tc.want {
				t.Errorf("Lookup(%q) = %+v, want %+v", tc.word, got, tc.want)
			}
			if got := Commonness(tc.word); got != tc.want.Word {
				t.Errorf("Commonness(%q) = %d, want %d", tc.word, got, tc.want.Word)
			}
			if got := ProperName(tc.word); got != tc.want.Name {
				t.Errorf("ProperName(%q) = %d, want %d", tc.word, got, tc.want.Name)
			}
			if got := Abbreviation(tc.word); got != tc.want.Abbreviation {
				t.Errorf("Abbreviation(%q) = %d, want %d", tc.word, got, tc.want.Abbreviation)
			}
		})
	}
}

// TestWordTable checks the decoded SCOWL table: hundreds of thousands of sorted words, each
// at a SCOWL level in at least one list, and every word found by Lookup.
func TestWordTable(t *testing.T) {
	if err := Load(); err != nil {
		t.Fatal(err)
	}
	wt := loadWords()
	n := len(wt.starts) - 1
	if n < 200000 || n > 600000 {
		t.Errorf("%d words, want SCOWL's hundreds of thousands up to level 80", n)
	}
	byLevel := map[int]int{}
	prev := ""
	for i := range n {
		w := wt.word(i)
		if w <= prev {
			t.Fatalf("word %d %q after %q", i, w, prev)
		}
		prev = w
		if i%97 != 0 {
			continue
		}
		l := Lookup(w)
		if l == (Levels{}) {
			t.Fatalf("Lookup(%q) found nothing", w)
		}
		byLevel[l.Word]++
	}
	for _, l := range levels[1:10] {
		if byLevel[int(l)] == 0 {
			t.Errorf("no sampled word at level %d", l)
		}
	}
	if byLevel[95] != 0 {
		t.Errorf("%d sampled words at level 95, which the table leaves out", byLevel[95])
	}
}

func gz(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

// tinyThesaurus is a valid two-word table: doc and physician, synonyms in their first sense.
const tinyThesaurus = thesaurusMagic + "\n2\n0doc\n0physician\n0\n\x01\x11\x01\x01\x11\x00"

// TestDecodeErrors feeds malformed tables to the decoders: each reports an error (and the
// lookups then find nothing) rather than panicking.
func TestDecodeErrors(t *testing.T) {
	th := decodeThesaurus(gz(tinyThesaurus))
	if th.err != nil {
		t.Fatal(th.err)
	}
	if i, ok := th.lookup("docs"); !ok || th.vocab[i] != "doc" || th.rels[th.offs[i]] != (Relation{"physician", Synonym, 1}) {
		t.Fatalf("tiny table: lookup(docs) = %d, %v", i, ok)
	}
	thes := []string{
		"",
		"lexicon thesaurus 2\n2\n0doc\n0physician\n0\n\x01\x11\x01\x01\x11\x00",        // unknown format
		thesaurusMagic + "\n3\n0doc\n0physician\n0\n\x01\x11\x01\x01\x11\x00",          // vocabulary too short
		thesaurusMagic + "\n2\n0doc\n0physician\n0\n\x01\x11\x01\x01\x11",              // truncated
		thesaurusMagic + "\n2\n0doc\n0physician\n0\n\x01\x11\x01\x01\x11\x00\x00",      // trailing byte
		thesaurusMagic + "\n2\n0doc\n0physician\n0\n\x01\x51\x01\x01\x11\x00",          // kind 5
		thesaurusMagic + "\n2\n0doc\n0physician\n0\n\x01\x10\x01\x01\x11\x00",          // rank 0
		thesaurusMagic + "\n2\n0doc\n0physician\n0\n\x01\x11\x02\x01\x11\x00",          // index out of range
		thesaurusMagic + "\n2\n0doc\n0physician\n0\n\x01\x11\x00\x01\x11\x00",          // related to itself
		thesaurusMagic + "\n2\n0doc\n0doc\n0\n\x01\x11\x01\x01\x11\x00",                // repeated word
		thesaurusMagic + "\n2\n0doc\n9physician\n0\n\x01\x11\x01\x01\x11\x00",          // prefix too long
		thesaurusMagic + "\n2\n0doc\n0physician\n1\ndocs\t7\n\x01\x11\x01\x01\x11\x00", // bad base
		thesaurusMagic + "\n2\n0doc\n0physician\n9\ndocs\t0\n\x01\x11\x01\x01\x11\x00", // too few inflections
		thesaurusMagic + "\nx\n",
		thesaurusMagic + "\n2\n0doc\n0physician\n0\n\x81\x81\x81\x81\x81\x81\x81\x81\x81\x81\x81", // bad uvarint
	}
	for _, s := range thes {
		if th := decodeThesaurus(gz(s)); th.err == nil {
			t.Errorf("decodeThesaurus(%q): no error", s)
		} else if _, ok := th.lookup("doc"); ok {
			t.Errorf("decodeThesaurus(%q): lookup found a word after %v", s, th.err)
		}
	}
	if th := decodeThesaurus([]byte("not gzip")); th.err == nil {
		t.Error("decodeThesaurus(not gzip): no error")
	}
	words := []string{
		"0the 100\n0the 100\n", // out of order
		"0the 1\n",             // short
		"0the 1x0\n",           // bad digit
		"0the 100\n9x 100\n",   // prefix longer than the previous word
		"0the100\n",            // no space
		"0the 100",             // no final newline
	}
	for _, s := range words {
		if wt := decodeWords(gz(s)); wt.err == nil {
			t.Errorf("decodeWords(%q): no error", s)
		} else if d := wt.find("the"); d != "" {
			t.Errorf("decodeWords(%q): find found %q after %v", s, d, wt.err)
		}
	}
	if wt := decodeWords(gz("0the 100\n3y 200\n")); wt.err != nil || wt.find("they") != "200" || wt.find("the") != "100" {
		t.Errorf("decodeWords of a two-line table: err %v, the %q, they %q", wt.err, wt.find("the"), wt.find("they"))
	}
}

func TestVariant(t *testing.T) {
	tests := []struct{ word, want string }{
		{"organisation", "organization"},
		{"organization", "organisation"},
		{"organise", "organize"},
		{"colour", "color"},
		{"color", "colour"},
		{"centre", "center"},
		{"programme", "program"},
		{"licence", "license"},
		{"travelled", "traveled"},
		{"defence", "defense"},
		{"analyse", "analyze"},
		{"catalogue", "catalog"},
		{"doctor", ""},
		{"spilled", ""}, // "spiled" is another word
		{"Colour", ""},  // lower case only
		{"", ""},
	}
	for _, tc := range tests {
		if got := Variant(tc.word); got != tc.want {
			t.Errorf("Variant(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
	vt := loadVariants()
	if vt.err != nil {
		t.Fatal(vt.err)
	}
	if n := len(vt.toAmerican); n < 3000 {
		t.Errorf("%d British spellings, want thousands", n)
	}
	for b, a := range vt.toAmerican {
		if back := Variant(a); back == "" || vt.toAmerican[back] != a {
			t.Fatalf("Variant(%q) = %q, but Variant(%q) = %q", b, a, a, back)
		}
	}
}

func TestDecodeVariantsErrors(t *testing.T) {
	for _, s := range []string{"colour\n", "colour color\ncolour color\n", "colour colour\n", "colour color", "colour \n"} {
		if vt := decodeVariants(gz(s)); vt.err == nil {
			t.Errorf("decodeVariants(%q): no error", s)
		}
	}
	if vt := decodeVariants([]byte("x")); vt.err == nil {
		t.Error("decodeVariants(not gzip): no error")
	}
}

func TestLookupsDoNotAllocate(t *testing.T) {
	if err := Load(); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"doctor", "doctors", "cooperating", "bruh", "colourists"} {
		if n := testing.AllocsPerRun(100, func() { Related(w); Base(w); Lookup(w); Variant(w) }); n != 0 {
			t.Errorf("%q: %v allocations per lookup, want 0", w, n)
		}
	}
}

var sink []Relation

func BenchmarkRelated(b *testing.B) {
	if err := Load(); err != nil {
		b.Fatal(err)
	}
	words := []string{"doctor", "summit", "cooperation", "pandemic", "meeting", "the", "bruh"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		sink = Related(words[i%len(words)])
	}
}

func BenchmarkRelatedInflected(b *testing.B) {
	if err := Load(); err != nil {
		b.Fatal(err)
	}
	words := []string{"doctors", "cooperating", "organisations", "ditches", "children"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		sink = Related(words[i%len(words)])
	}
}

// BenchmarkRelatedUnknown looks up words WordNet does not have: every detachment rule and
// the spelling variants are tried.
func BenchmarkRelatedUnknown(b *testing.B) {
	if err := Load(); err != nil {
		b.Fatal(err)
	}
	words := []string{"bruh", "galwan", "ngl", "sco", "covid19", "organisationally"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		sink = Related(words[i%len(words)])
	}
}

var levelSink Levels

func BenchmarkLookup(b *testing.B) {
	if err := Load(); err != nil {
		b.Fatal(err)
	}
	words := []string{"doctor", "summit", "cooperation", "galwan", "nato", "the", "bruh"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		levelSink = Lookup(words[i%len(words)])
	}
}

// benchmarkLoad opens or decodes a table and reports the heap it keeps (live-MB) beside the time and
// the bytes allocated per decode.
func benchmarkLoad(b *testing.B, decode func() any) {
	var keep any
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	keep = decode()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(keep)
	live := float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		keep = decode()
	}
	runtime.KeepAlive(keep)
	b.ReportMetric(live, "live-MB") // after the loop: ResetTimer drops reported metrics
}

// BenchmarkOpenTables is the start-up cost of the tables: a header check, nothing decoded.
func BenchmarkOpenTables(b *testing.B) {
	benchmarkLoad(b, func() any { t := openTables(binTables); return &t })
}
