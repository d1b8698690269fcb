package foreign

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestFold(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"cupula", "cupula"},
		{"cúpula", "cupula"},
		{"Cúpula", "cupula"},
		{"segurança", "seguranca"},
		{"işbirliği", "isbirligi"},
		{"İŞBİRLİĞİ", "isbirligi"},
		{"größe", "grosse"},
		{"정상회의는", "정상회의는"}, // Hangul stays composed
		{"coopération", "cooperation"},
	} {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestParse(t *testing.T) {
	fsys := fstest.MapFS{
		"data/pt.tsv": {Data: []byte("cúpula\tsummit\nfronteira\tborder,frontier\npara\t-\nhotel\thotel\ngente\t-\n")},
		"data/es.tsv": {Data: []byte("frontera\tborder\npara\t-\ngente\tpeople\n# a comment\n\n")},
	}
	tab, err := parse(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := tab.lookup("Cupula"); !ok || !slices.Equal(e.English, []string{"summit"}) || e.Filler {
		t.Errorf("cupula: %+v %v", e, ok)
	}
	if e, ok := tab.lookup("para"); !ok || !e.Filler {
		t.Errorf("para: %+v %v, want a filler", e, ok)
	}
	// A filler in one language and a content word in another is a filler, whose English
	// words are kept for Question.
	if e, ok := tab.lookup("gente"); !ok || !e.Filler || !slices.Equal(e.English, []string{"people"}) {
		t.Errorf("gente: %+v %v, want a filler", e, ok)
	}
	// A word that is its own translation is no entry.
	if e, ok := tab.lookup("hotel"); ok {
		t.Errorf("hotel: %+v, want none", e)
	}
	// Endings: plural, and the longest listed word first; never a filler.
	if e, k, ok := tab.prefix("fronteiras", 4, 5); !ok || k != "fronteira" || e.English[0] != "border" {
		t.Errorf("prefix fronteiras: %+v %q %v", e, k, ok)
	}
	if _, _, ok := tab.prefix("parar", 4, 5); ok {
		t.Error("prefix parar found a filler")
	}
	if _, _, ok := tab.prefix("fronteiraszzzzzz", 4, 5); ok {
		t.Error("prefix found a word with a 7-rune ending")
	}
	if _, _, ok := tab.prefix("cúp", 2, 5); ok {
		t.Error("prefix found a word longer than the query word")
	}
}

func TestSlipAndCompound(t *testing.T) {
	fsys := fstest.MapFS{
		"data/de.tsv": {Data: []byte("geholfen\thelped\nländer\tcountries\nsollen\t-\nsicherheit\tsecurity\n" +
			"gesetz\tlaw\nwirtschaft\teconomy\nkrise\tcrisis\nkinder\tchildren\nwesen\tnature\n")},
		"data/pl.tsv": {Data: []byte("wolne\tfree\nwolen\twill\n")},
	}
	tab, err := parse(fsys)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ in, want string }{
		{"geholfn", "geholfen"},  // a letter dropped
		{"Lännder", "lander"},    // doubled, and the umlaut folded
		{"gehloFen", "geholfen"}, // two swapped
		{"solln", "sollen"},      // a misspelt filler is one too
	} {
		if _, k, ok := tab.slip(c.in, 5); !ok || k != c.want {
			t.Errorf("slip(%q) = %q %v, want %q", c.in, k, ok, c.want)
		}
	}
	for _, in := range []string{
		"eholfen",   // the first letter is never the slip
		"xgeholfen", // nor a letter before it
		"gehol",     // two letters away
		"geholfem",  // one changed: no slip here
		"wolnen",    // one from "wolne" and "wolen", which mean different things
		"kind",      // shorter than minRunes
		"정상회의",      // not Latin letters
	} {
		if e, k, ok := tab.slip(in, 5); ok {
			t.Errorf("slip(%q) = %q %+v, want none", in, k, e)
		}
	}
	if e, _, ok := tab.slip("solen", 5); !ok || !e.Filler {
		t.Errorf("slip(solen) = %+v %v, want the filler", e, ok)
	}
	for _, c := range []struct{ in, first, second string }{
		{"Sicherheitsgesetz", "security", "law"}, // linking s
		{"wirtschaftskrise", "economy", "crisis"},
		{"kinderwesen", "children", "nature"}, // no link
	} {
		f, s, ok := tab.compound(c.in, 4)
		if !ok || f.English[0] != c.first || s.English[0] != c.second {
			t.Errorf("compound(%q) = %+v %+v %v, want %s + %s", c.in, f, s, ok, c.first, c.second)
		}
	}
	for _, in := range []string{"sicherheitsgesetzx", "sollengesetz", "kindgesetz", "gesetz", "wirtschaft-krise"} {
		if f, s, ok := tab.compound(in, 4); ok {
			t.Errorf("compound(%q) = %+v %+v, want none", in, f, s)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, bad := range []string{"word", "word\t", "\tenglish", "two words\tx", "w\ta b", "w\ta,,b"} {
		_, err := parse(fstest.MapFS{"data/x.tsv": {Data: []byte("ok\tfine\n" + bad + "\n")}})
		if err == nil || !strings.Contains(err.Error(), "data/x.tsv:2:") {
			t.Errorf("%q: error %v, want one naming data/x.tsv:2", bad, err)
		}
	}
}

// TestEmbeddedLists checks the lists shipped in the binary: they parse, each language has
// its file, and a sample of their words means what it should.
func TestEmbeddedLists(t *testing.T) {
	tab, err := parse(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"pt", "es", "fr", "it", "de", "tr", "ko", "id", "pl", "tl", "nl"} {
		if _, err := data.Open("data/" + lang + ".tsv"); err != nil {
			t.Errorf("no list for %s: %v", lang, err)
		}
	}
	if len(tab) < 5000 {
		t.Errorf("%d words, want thousands", len(tab))
	}
	for w, want := range map[string]string{"fronteira": "border", "frontera": "border",
		"cumbre": "summit", "sommet": "summit", "vertice": "summit", "gipfel": "summit",
		"zirve": "summit", "정상회담": "summit", "quando": "when", "cuando": "when",
		"perbatasan": "border", "granica": "border", "hangganan": "border", "grens": "border",
		"topontmoeting": "summit", "wanneer": "when"} {
		e, ok := tab.lookup(w)
		if !ok || !slices.Contains(e.English, want) {
			t.Errorf("%s: %+v, want %q among its English words", w, e, want)
		}
	}
}

// BenchmarkParse: reading the embedded lists, once per process on first use.
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLookup: a listed word with an accent, an unlisted one found through a prefix,
// and one found in no list.
func BenchmarkLookup(b *testing.B) {
	lists()
	b.ReportAllocs()
	for b.Loop() {
		Lookup("cúpula")
		Prefix("fronteiras", 4, 5)
		Prefix("xyzzyplugh", 4, 5)
	}
}

// BenchmarkNear: a word the lists lack read as a slip or a compound, the lookups a query
// word that found nothing else costs once (the matcher caches the result per word).
func BenchmarkNear(b *testing.B) {
	lists()
	b.ReportAllocs()
	for b.Loop() {
		Slip("zusamenarbeiten", 5)
		Slip("xyzzyplugh", 5)
		Compound("wirtschaftskrise", 4)
		Compound("xyzzyplughwords", 4)
	}
}
