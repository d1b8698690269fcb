package matcher

import (
	"slices"
	"testing"

	"transcriptbot/matcher/internal/foreign"
)

// foreignTestTranscript is a small briefing whose questions share no topic word.
const foreignTestTranscript = "Town briefing\n\n" +
	"1. When will the regional summit take place?\n\nThe summit will be held in the autumn.\n\n" +
	"2. What is happening at the border?\n\nTalks on the border dispute continue with our neighbours.\n\n" +
	"3. Will the city marathon go ahead this year?\n\nThe marathon is postponed because of the pandemic.\n\n" +
	"4. How are the schools coping with the children's vaccinations?\n\nEvery school has a nurse for the vaccine programme.\n"

// TestForeignWordsMatch: a message in Portuguese, Spanish, Turkish, Korean or German finds
// the question its words' English equivalents ask, with or without accents and with
// endings the lists do not have (plurals, Turkish cases, Korean particles).
func TestForeignWordsMatch(t *testing.T) {
	m := matcherOfText(t, foreignTestTranscript)
	for q, want := range map[string]int{
		"quando vai ser a cúpula?":                1,
		"quando vai ser a cupula":                 1,
		"o que acontece na fronteira":             2,
		"qué pasa en las fronteras":               2,
		"la maratón fue cancelada?":               3,
		"zirve ne zaman yapılacak":                1,
		"sınırdaki anlaşmazlık":                   2,
		"정상회담은 언제":                                1,
		"마라톤은 연기됐나요":                              3,
		"werden die Kinder in der Schule geimpft": 4,
	} {
		got := m.Match(q, 0)
		first := got.Number
		if first == 0 && len(got.Alternatives) > 0 {
			first = got.Alternatives[0].Number
		}
		if first != want {
			t.Errorf("%q: got question %d first (%+v), want %d", q, first, got, want)
		}
	}
}

// TestForeignWordKinds: a listed word of another language the transcript lacks is read (not
// counted unread) and weighs as a topic the transcript lacks; a filler or question word is
// dropped like a stop word; an English word is never looked up.
func TestForeignWordKinds(t *testing.T) {
	m := matcherOfText(t, foreignTestTranscript)
	s := m.pool.Get().(*scratch)
	defer m.pool.Put(s)

	// "fronteira" (border) is found through the lists, at their weight.
	m.analyse(s, prepare("fronteira"))
	if len(s.concepts) != 1 || !s.concepts[0].foreign || s.foreignShare() != 1 {
		t.Fatalf("fronteira: concepts %+v, share %v; want one foreign concept, share 1", s.concepts, s.foreignShare())
	}
	// "gente" and "kkkk" are fillers, "quando" a question word: nothing to match, nothing unknown.
	m.analyse(s, prepare("gente quando kkkk"))
	if len(s.concepts) != 0 || s.unknown != 0 {
		t.Errorf("fillers: %d concepts, unknown %v; want none", len(s.concepts), s.unknown)
	}
	// "imposto" (tax) is a word the transcript lacks: unknown at full rarity, and read.
	m.analyse(s, prepare("imposto"))
	if r := m.rarity(s, "imposto"); r != 1 || !s.foreignText {
		t.Errorf("rarity(imposto) = %v, foreignText %v; want 1, true", r, s.foreignText)
	}
	// In a message read in part through the lists, an unlisted word is a topic too; in an
	// English one it is most often slang or a typo.
	m.analyse(s, prepare("fronteira xyzzyq"))
	if r := m.rarity(s, "xyzzyq"); r != 1 {
		t.Errorf("rarity(xyzzyq) beside fronteira = %v, want 1", r)
	}
	m.analyse(s, prepare("border xyzzyq"))
	if r := m.rarity(s, "xyzzyq"); r != rarityUnlisted {
		t.Errorf("rarity(xyzzyq) beside border = %v, want %v", r, rarityUnlisted)
	}
	if got := m.Match("imposto", 0); got.Unread != 0 {
		t.Errorf("imposto: %d unread, want 0", got.Unread)
	}
	// An English word the transcript lacks stays English, however a list spells it.
	if found, _ := m.foreignWord(s, "table"); found && spelledRight("table") {
		t.Log("table is listed, but spelledRight words never reach foreignWord")
	}
	// A name in another language is a name: "japón" (Japan), which the transcript lacks,
	// weighs as an unknown name, as "Japan" does.
	m.analyse(s, prepare("japón"))
	if len(s.words) != 1 || !s.words[0].name || s.unk[unknownName] == 0 {
		t.Errorf("japón: words %+v, unknown names %v; want a name", s.words, s.unk[unknownName])
	}
	if foreignQuestion("when") != "" || foreignQuestion("quando") != "when" || foreignQuestion("Cuándo") != "when" {
		t.Errorf("foreignQuestion: when %q, quando %q, Cuándo %q", foreignQuestion("when"), foreignQuestion("quando"), foreignQuestion("Cuándo"))
	}
}

// wordOf returns the analysed query s's word w, failing the test when it has none.
func wordOf(t *testing.T, s *scratch, w string) *qword {
	t.Helper()
	for i := range s.words {
		if s.words[i].lower == w {
			return &s.words[i]
		}
	}
	t.Fatalf("no word %q", w)
	return nil
}

// TestReadInLanguage: in a message the lists read mostly as one language, an English word
// that language lists is read as its word ("top": Dutch summit; "die": German article); in
// an English message, or one too little of which the lists read, it stays English.
func TestReadInLanguage(t *testing.T) {
	m := matcherOfText(t, foreignTestTranscript)
	s := m.pool.Get().(*scratch)
	defer m.pool.Put(s)
	word := func(w string) *qword { return wordOf(t, s, w) }
	nl := slices.Index(foreign.Languages(), "nl")
	m.analyse(s, prepare("wanneer is de top van de regio dit jaar?"))
	if s.lang != nl || !word("top").inLang {
		t.Errorf("Dutch: lang %d (want %d), top inLang %v", s.lang, nl, word("top").inLang)
	}
	if got := m.Match("wanneer is de top van de regio dit jaar?", 0); got.Number != 1 && (len(got.Alternatives) == 0 || got.Alternatives[0].Number != 1) {
		t.Errorf("Dutch top: got %+v, want question 1 first", got)
	}
	m.analyse(s, prepare("what are the top priorities of the region this year?"))
	if s.lang != -1 || word("top").inLang {
		t.Errorf("English: lang %d, top inLang %v; want -1, false", s.lang, word("top").inLang)
	}
	// One Dutch word in an English message is no Dutch message.
	m.analyse(s, prepare("top news about the border dispute, wanneer?"))
	if s.lang != -1 {
		t.Errorf("English with one Dutch word: lang %d, want -1", s.lang)
	}
	// German "die" is an article in a German message, not a word of the transcript's.
	m.analyse(s, prepare("was sagt die Regierung über die Grenze und den Streit?"))
	if !word("die").inLang {
		t.Error("German: die not read as German")
	}
	for _, c := range s.concepts {
		for _, w := range s.words[c.w0 : c.w1+1] {
			if w.lower == "die" {
				t.Errorf("German: %q read as a concept", w.lower)
			}
		}
	}
}

// TestReadInLanguageShortFrench: a short French message whose fillers several lists share
// ("les", "deja") is still French, so "menaces", an English word too, is read as threats;
// a French filler the transcript has ("un", a; the UN) is read as French in small letters
// and stays the UN in capitals.
func TestReadInLanguageShortFrench(t *testing.T) {
	m := defaultMatcher(t)
	s := m.pool.Get().(*scratch)
	defer m.pool.Put(s)
	word := func(w string) *qword { return wordOf(t, s, w) }
	fr := slices.Index(foreign.Languages(), "fr")
	for _, q := range []string{"les 4 menaces citées par Guterres c quoi deja ?", "les menaces de Guterres c'est quoi deja"} {
		m.analyse(s, prepare(q))
		if s.lang != fr || !word("menaces").inLang {
			t.Errorf("%q: lang %d (want %d), menaces inLang %v", q, s.lang, fr, word("menaces").inLang)
		}
		if got := m.Match(q, 0); got.Number != 5 {
			t.Errorf("%q: got %d (%.2f), want 5", q, got.Number, got.Confidence)
		}
	}
	m.analyse(s, prepare("l'ocs c un bloc militaire contre l'occident ou pas? il a dit quoi la dessus"))
	if s.lang != fr || !word("un").inLang {
		t.Errorf("French un: lang %d, inLang %v; want %d, true", s.lang, word("un").inLang, fr)
	}
	m.analyse(s, prepare("c quoi le rôle de l'OCS avec la UN et ses agences, il a dit quoi?"))
	if s.lang != fr || word("un").inLang {
		t.Errorf("French with UN in capitals: lang %d, un inLang %v; want %d, false", s.lang, word("un").inLang, fr)
	}
}

// TestSwahiliVerbs: a Swahili verb is read through its root behind the subject, tense and
// object prefixes ("imeahirishwa": it has been postponed), and an English verb behind them
// as English ("wamepostpone": they have postponed), so "je, marathon imeahirishwa?" finds
// question 3 by both words.
func TestSwahiliVerbs(t *testing.T) {
	m := matcherOfText(t, foreignTestTranscript)
	s := m.pool.Get().(*scratch)
	defer m.pool.Put(s)
	for _, w := range []string{"imeahirishwa", "wameahirisha", "wamepostpone"} {
		m.analyse(s, prepare(w))
		if len(s.concepts) != 1 || !s.concepts[0].foreign || s.concepts[0].a1 == s.concepts[0].a0 {
			t.Errorf("%s: concepts %+v, want one read through the lists", w, s.concepts)
		}
	}
	for _, q := range []string{"je, imeahirishwa?", "wamepostpone kweli?"} {
		got := m.Match(q, 0)
		first := got.Number
		if first == 0 && len(got.Alternatives) > 0 {
			first = got.Alternatives[0].Number
		}
		if first != 3 {
			t.Errorf("%q: got question %d first (%+v), want 3", q, first, got)
		}
	}
}

// TestInSituQuestionWords: a message written in a language that leaves its question word in
// place (Swahili, Indonesian, Turkish, Korean) asks the kind of fact that word names wherever
// it stands, or the kind a noun beside it names; a question word of another language, or one
// read several ways, asks nothing so.
func TestInSituQuestionWords(t *testing.T) {
	m := defaultMatcher(t)
	for _, tc := range []struct {
		query string
		want  answerType
	}{
		{"mkutano wa kilele utafanyika lini?", typeTime},              // Swahili: when
		{"mkutano wa kilele utafanyika tarehe gani?", typeDay},        // which date
		{"mkutano wa kilele utafanyika mji gani?", typePlace},         // which city
		{"nchi ngapi ni wanachama wa jumuiya?", typeNumber},           // how many countries: a count
		{"katibu mkuu alisema nini kuhusu uchumi?", typeNone},         // what: no kind named
		{"zirve ne zaman yapılacak?", typeTime},                       // Turkish: "ne zaman", when
		{"zirve hangi şehirde yapılacak?", typePlace},                 // which city
		{"zirvede ekonomi hakkında ne dedi?", typeNone},               // what did he say
		{"정상회의는 언제 열려요?", typeTime},                                   // Korean: when
		{"macam mana SCO nak pulihkan ekonomi lepas covid", typeNone}, // Malay "mana": how here
	} {
		s := m.pool.Get().(*scratch)
		m.analyse(s, prepare(tc.query))
		got := s.asked
		m.pool.Put(s)
		if got != tc.want {
			t.Errorf("%q asks %v, want %v", tc.query, got, tc.want)
		}
	}
}

// TestShoutedWordsAreNoNames: in a message written in capitals alone every word is
// capitalised, so a word counts as a name only when the lexicon knows it as a name or an
// abbreviation; in a message in mixed case a capitalised word the transcript lacks is a name.
func TestShoutedWordsAreNoNames(t *testing.T) {
	m := defaultMatcher(t)
	for _, tc := range []struct {
		query string
		word  string
		name  bool
	}{
		{"HONG KONG KE MAMLE MEIN SCO KIS TARAF HAI", "mamle", false},
		{"WHAT IS THE NATO POSITION ON THE BORDER", "nato", true},
		{"what did the SCO say about Galwan", "galwan", true},
		{"WHAT DID THE SCO SAY ABOUT GALWAN", "galwan", false},
	} {
		s := m.pool.Get().(*scratch)
		m.analyse(s, prepare(tc.query))
		found := false
		for _, w := range s.words {
			if w.lower == tc.word {
				found = true
				if w.name != tc.name {
					t.Errorf("%q: %q read as a name %v, want %v", tc.query, tc.word, w.name, tc.name)
				}
			}
		}
		m.pool.Put(s)
		if !found {
			t.Errorf("%q: no word %q", tc.query, tc.word)
		}
	}
}
