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

func TestLookupIn(t *testing.T) {
	fsys := fstest.MapFS{
		"data/nl.tsv": {Data: []byte("top\tsummit\ndie\t-\nwet\tlaw\n")},
		"data/tr.tsv": {Data: []byte("top\tball\nzirve\tsummit\n")},
	}
	tab, err := parse(fsys)
	if err != nil {
		t.Fatal(err)
	}
	languages := listNames(fsys)
	nl, tr := slices.Index(languages, "nl"), slices.Index(languages, "tr")
	if nl < 0 || tr < 0 {
		t.Fatalf("languages %v", languages)
	}
	// Merged, both readings, the lists' order; each language's alone through its own.
	if e, ok := tab.lookup("top"); !ok || !slices.Equal(e.English, []string{"summit", "ball"}) || e.Langs != 1<<nl|1<<tr {
		t.Errorf("top merged: %+v %v", e, ok)
	}
	for _, c := range []struct {
		word string
		lang int
		want string
	}{{"top", nl, "summit"}, {"top", tr, "ball"}, {"Top", tr, "ball"}, {"zirve", tr, "summit"}, {"wet", nl, "law"}} {
		e, ok := tab.lookupIn(c.word, c.lang)
		if !ok || len(e.English) == 0 || e.English[0] != c.want {
			t.Errorf("lookupIn(%q, %s) = %+v %v, want %q", c.word, languages[c.lang], e, ok, c.want)
		}
	}
	if _, ok := tab.lookupIn("zirve", nl); ok {
		t.Error("zirve found in the Dutch list")
	}
	if _, ok := tab.lookupIn("wet", 99); ok {
		t.Error("wet found in a list that does not exist")
	}
	if e, ok := tab.lookupIn("die", nl); !ok || !e.Filler {
		t.Errorf("die in Dutch: %+v %v, want a filler", e, ok)
	}
}

func TestTranslit(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"шос", []string{"shos"}},
		{"сотрудничать", []string{"sotrudnichat"}},
		{"хорошо", []string{"khorosho", "horosho"}},
		{"безопасности", []string{"bezopasnosti"}},
		{"пользуются", []string{"polzuyutsya", "polzujutsja"}}, // the third scheme spells it as the first
		{"щит", []string{"shchit", "schit"}},
		{"ok", nil}, // a letter no scheme spells
	} {
		if got := translit(c.in); !slices.Equal(got, c.want) {
			t.Errorf("translit(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// Parsed, a Russian list's words are found in Latin letters too, where no list has the
	// spelling already; short words are not.
	fsys := fstest.MapFS{
		"data/ru.tsv": {Data: []byte("сотрудничать\tcooperate\nмира\tworld\nдом\thouse\n")},
		"data/es.tsv": {Data: []byte("mira\tlook\n")},
	}
	tab, err := parse(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := tab.lookup("sotrudnichat"); !ok || e.English[0] != "cooperate" {
		t.Errorf("sotrudnichat: %+v %v", e, ok)
	}
	if e, ok := tab.lookup("mira"); !ok || e.English[0] != "look" || len(e.English) != 1 {
		t.Errorf("mira: %+v %v, want Spanish alone", e, ok)
	}
	if _, ok := tab.lookup("dom"); ok {
		t.Error("dom: a three-letter word spelt in Latin letters")
	}
}

func TestVerbRoots(t *testing.T) {
	fsys := fstest.MapFS{
		"data/sw.tsv": {Data: []byte("fanyika\thappen,held\nsaidiana\tcooperate\nahirisha\tpostpone\nsema\tsay\nla\teat\nna\t-\n")},
		"data/es.tsv": {Data: []byte("fanyika\tnothing\n")},
	}
	tab, err := parse(fsys)
	if err != nil {
		t.Fatal(err)
	}
	sw := slices.Index(listNames(fsys), "sw")
	verb := func(w string) (string, string) {
		for _, root := range tab.verbRoots(w, sw) {
			if e, ok := tab.lookupIn(root, sw); ok && !e.Filler {
				return root, e.English[0]
			}
		}
		return "", ""
	}
	for _, c := range []struct{ in, root, en string }{
		{"itafanyika", "fanyika", "happen"},     // it will take place
		{"Imefanyika", "fanyika", "happen"},     // it has taken place
		{"kusaidiana", "saidiana", "cooperate"}, // to cooperate
		{"wamesaidiana", "saidiana", "cooperate"},
		{"wameahirisha", "ahirisha", "postpone"},
		{"hawajaahirisha", "ahirisha", "postpone"}, // they have not yet postponed
		{"alisema", "sema", "say"},                 // he said
		{"anakula", "", ""},                        // "la" (eat) is shorter than a root may be
		{"fanyika", "", ""},                        // the bare root is the word, found as one
		{"america", "", ""},
	} {
		if root, en := verb(c.in); root != c.root || en != c.en {
			t.Errorf("verb(%q) = %q %q, want %q %q", c.in, root, en, c.root, c.en)
		}
	}
	// Roots the list lacks are offered too, for the caller to read as English.
	if roots := tab.verbRoots("wamepostpone", sw); !slices.Contains(roots, "postpone") {
		t.Errorf("verbRoots(wamepostpone) = %q, want postpone among them", roots)
	}
	if roots := tab.verbRoots("wamepostpone", -1); roots != nil {
		t.Errorf("no Swahili list: %q", roots)
	}
}
