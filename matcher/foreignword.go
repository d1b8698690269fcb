package matcher

import (
	"math/bits"
	"strings"
	"sync"

	"github.com/kljensen/snowball/english"

	"transcriptbot/matcher/internal/foreign"
	"transcriptbot/matcher/internal/lexicon"
	"transcriptbot/matcher/internal/wordcache"
)

// Readers write some words, or whole messages, in their own language: "quando é o dia da
// OCX?", "zirvede ne konuşuldu", "정상회의는 언제", "когда саммит ШОС", "mkutano utafanyika
// lini?". The small bilingual lists of internal/foreign give a word of thirteen such
// languages its English equivalents, which the matcher then looks up in the transcript as it
// would the English words themselves.

const (
	// foreignWeight scales a transcript word found as the English equivalent of a query
	// word, foreignPrefixWeight one found through a listed word the query word starts
	// ("fronteiras" through "fronteira", "zirvesinde" through "zirve"), and foreignLater the
	// second and later equivalents of a word with several meanings.
	foreignWeight       = 0.9
	foreignPrefixWeight = 0.8
	foreignLater        = 0.75
	// A listed word found as a prefix leaves an ending of at most foreignMaxEnding runes and
	// is at least foreignMinPrefix long (two for Hangul, whose syllables are words' parts
	// and a particle one or two of them).
	foreignMinPrefix, foreignMaxEnding                 = 4, 5
	foreignMinPrefixSyllabic, foreignMaxEndingSyllabic = 2, 3
	// foreignEnglishLevel is the largest SCOWL size (lexicon.Commonness) of the English
	// words never looked up in the foreign lists ("semi", "corona", "uni" are 50-55); the
	// larger sizes hold the rare words that are also another language's everyday ones, typed
	// without their accents ("cupula", "pais", "agora": 70-80), along with a few that are
	// not ("frist", 80, is read as German "deadline", not as a misspelt "first").
	foreignEnglishLevel = 55
)

// foreignFound is foreignEntry's result, as cached.
type foreignFound struct {
	e      foreign.Entry
	weight float64
	ok     bool
}

// foreignCache keeps the last few thousand words' foreignEntry: every word a query's
// transcript and English lists lack is looked up (readForeign), and the same words recur.
var foreignCache = wordcache.New[foreignFound](8192)

// foreignEntry returns what the foreign lists say w means, exactly or through a listed word
// it starts with, and the weight of a transcript word found through it (foreignCache).
func foreignEntry(w string) (foreign.Entry, float64, bool) {
	if f, ok := foreignCache.Get(w); ok {
		return f.e, f.weight, f.ok
	}
	e, weight, ok := lookupForeign(w)
	foreignCache.Put(w, foreignFound{e, weight, ok})
	return e, weight, ok
}

// lookupForeign is foreignEntry without the cache.
func lookupForeign(w string) (e foreign.Entry, weight float64, ok bool) {
	if lv := lexicon.Commonness(w); lv > 0 && lv <= foreignEnglishLevel {
		// An English word is read as English: "semi" (final) is no Italian "seeds",
		// "corona" (virus) no Spanish "crown".
		return foreign.Entry{}, 0, false
	}
	if e, ok = foreign.Lookup(w); ok {
		return e, foreignWeight, true
	}
	minRunes, maxEnding := foreignMinPrefix, foreignMaxEnding
	if syllabic(w) {
		minRunes, maxEnding = foreignMinPrefixSyllabic, foreignMaxEndingSyllabic
	}
	if e, _, ok = foreign.Prefix(w, minRunes, maxEnding); ok {
		return e, foreignPrefixWeight, true
	}
	// A Swahili verb, its root behind subject, tense and object prefixes ("itafanyika").
	if e, _, ok = foreign.Verb(w); ok {
		return e, foreignPrefixWeight, true
	}
	return foreign.Entry{}, 0, false
}

// foreignContent reports whether en, an English equivalent in the foreign lists, is a
// content word: not one of an's stop words, and not "howmany", the lists' question word for
// "how many" and "how much".
func foreignContent(an *Analyzer, en string) bool {
	return en != "howmany" && !an.spellStop(en)
}

// foreignWord adds, for w, a query word the transcript lacks and no common English word,
// the transcript words its English equivalents name, when the foreign lists have it. found
// reports that they do: the word is then what they say it is, a filler (dropped: a function
// word, a chat filler or a question word, "quando": when) or words the transcript has or
// lacks, never a misspelt English word.
func (m *Matcher) foreignWord(s *scratch, w string) (found, filler bool) {
	e, weight, ok := foreignEntry(w)
	if !ok && m.englishBehindPrefix(s, w) {
		return true, false
	}
	if !ok || weight == foreignPrefixWeight && m.oneSlipFromTranscript(w) {
		// A listed word with an ending is no likelier than a letter's slip in a word of the
		// transcript: "sportin" is "sporting" mistyped before it is Polish "spór" (dispute)
		// or Turkish "spor" (sport) with an ending.
		return false, false
	}
	if !hasForeignContent(m.an, e) {
		return true, true
	}
	m.addEnglish(s, e, weight)
	return true, false
}

// minEnglishRoot is the shortest English verb read behind Swahili prefixes.
const minEnglishRoot = 5

// englishBehindPrefix adds to s the transcript word that w, a word the lists lack, is once
// Swahili prefixes are taken off, when that is a common English word (SCOWL's commoner
// sizes) of at least minEnglishRoot letters: Kenyan chats conjugate English verbs in
// Swahili ("wamepostpone", they have postponed; "imecancel"). It reports whether it found
// one.
func (m *Matcher) englishBehindPrefix(s *scratch, w string) bool {
	for _, root := range foreign.VerbRoots(w) {
		if len(root) < minEnglishRoot {
			continue
		}
		if lv := lexicon.Commonness(root); lv == 0 || lv > foreignEnglishLevel {
			continue
		}
		t, ok := m.vocabTerm(root)
		if !ok {
			t, ok = m.stemTerm(m.an.stemOf(root))
		}
		if ok && len(m.postingsOf(t)) > 0 {
			s.addAlt([]int32{t}, foreignPrefixWeight)
			return true
		}
	}
	return false
}

// addEnglish adds to s the transcript words e's English content words are, the first at
// weight and the others at foreignLater of it.
func (m *Matcher) addEnglish(s *scratch, e foreign.Entry, weight float64) {
	i := 0
	for _, en := range e.English {
		if !foreignContent(m.an, en) {
			continue
		}
		wt := weight
		if i > 0 {
			wt *= foreignLater
		}
		i++
		t, ok := m.vocabTerm(en)
		if !ok {
			t, ok = m.stemTerm(m.an.stemOf(en))
		}
		if ok && len(m.postingsOf(t)) > 0 {
			s.addAlt([]int32{t}, wt)
		}
	}
}

// foreignNearWeight scales a transcript word found through a listed word w is one slip from
// ("geholfn": German "geholfen", helped) or through the two listed words w is made of
// ("Sicherheitsgesetz": security, law); foreignMinNear is the shortest w looked up so, and
// the shortest word of a compound.
const (
	foreignNearWeight = 0.7
	foreignMinNear    = 5
	foreignMinPart    = 4
)

// foreignNear reads w, a query word that found nothing else (not in the transcript or the
// foreign lists, no correction, no relative), as a word of the foreign lists typed with a
// slip or as a compound of two of them. found reports that it did; filler, that w is a
// misspelt filler, dropped.
func (m *Matcher) foreignNear(s *scratch, w string) (found, filler bool) {
	if e, _, ok := foreign.Slip(w, foreignMinNear); ok {
		if !hasForeignContent(m.an, e) {
			return true, true
		}
		m.addEnglish(s, e, foreignNearWeight)
		return true, false
	}
	if first, second, ok := foreign.Compound(w, foreignMinPart); ok {
		m.addEnglish(s, second, foreignNearWeight)
		m.addEnglish(s, first, foreignNearWeight*foreignLater)
		return true, false
	}
	return false, false
}

// oneSlipFromTranscript reports whether w is one letter's slip (typoIndex: a letter added,
// dropped, changed or two swapped, the first one kept) from a word of the transcript.
func (m *Matcher) oneSlipFromTranscript(w string) bool {
	for _, c := range m.typo.lookup(w, maxTypoCandidates) {
		if c.dist == 1 && !c.firstDiffers {
			return true
		}
	}
	return false
}

// hasForeignContent reports whether e names a content word (foreignContent).
func hasForeignContent(an *Analyzer, e foreign.Entry) bool {
	_, ok := firstContent(an, e)
	return ok
}

// foreignContentWord reports whether the foreign lists know w as a content word (exactly or
// with an ending): a word of another language the transcript lacks is as much a topic of its
// own as an English word it lacks, not the slang or typo an unlisted word most often is.
func (m *Matcher) foreignContentWord(w string) bool {
	e, _, ok := foreignEntry(w)
	return ok && hasForeignContent(m.an, e)
}

// foreignQuestion returns the English question word that raw, a query word, is in another
// language ("cuándo": "when"; internal/foreign), or "" when it is none or an English word.
func foreignQuestion(raw string) string {
	lower := strings.ToLower(raw)
	if lexicon.Commonness(lower) > 0 || english.IsStopWord(lower) || englishExtraStops[lower] {
		return ""
	}
	return foreign.Question(lower)
}

// foreignShare is the share of the query's known weight read through the foreign lists: the
// decision's fForeign. A translated word is surer than a guessed spelling and less sure than
// the word itself, and a message read mostly through them may ask, in words the lists lack,
// what the transcript does not say.
func (s *scratch) foreignShare() float64 {
	if s.known <= 0 {
		return 0
	}
	var f float64
	for i := range s.concepts {
		if c := &s.concepts[i]; c.foreign {
			f += c.imp
		}
	}
	return min(1, f/s.known)
}

// readForeign marks the words of the analysed query s that the foreign lists read: each
// one's learn stem (its first English content word's, or "-" for a filler), and
// s.foreignText when one is a content word. Words the transcript has, everyday, English and
// number words are not looked up.
func (m *Matcher) readForeign(s *scratch) {
	s.foreignText = false
	s.lang = -1
	var votes [foreign.MaxLists]float64
	read, counted := 0, 0
	for i := range s.words {
		w := &s.words[i]
		w.learn, w.inLang = "", false
		if !isNumber(w.lower) {
			counted++
		}
		if w.term >= 0 || w.everyday || isNumber(w.lower) || spelledRight(w.lower) {
			continue
		}
		e, _, ok := foreignEntry(w.lower)
		if !ok {
			continue
		}
		read++
		if n := bits.OnesCount16(e.Langs); n > 0 {
			for l := range votes {
				if e.Langs&(1<<l) != 0 {
					votes[l] += 1 / float64(n)
				}
			}
		}
		w.learn = "-"
		if en, ok := firstContent(m.an, e); ok {
			w.learn = m.an.stemOf(en)
			s.foreignText = true
			// A name in another language ("한국", "Hindistan"): a name the transcript lacks
			// weighs as one, as "Korea" does in English.
			if lexicon.ProperName(en) > 0 {
				w.name = true
			}
		}
	}
	m.readInLanguage(s, &votes, read, counted)
}

// firstContent returns the first of e's English words that is a content word
// (foreignContent), when e is no filler and has one.
func firstContent(an *Analyzer, e foreign.Entry) (string, bool) {
	if e.Filler {
		return "", false
	}
	for _, en := range e.English {
		if foreignContent(an, en) {
			return en, true
		}
	}
	return "", false
}

// langMinVotes is the least number of words a message's language must read (a word several
// lists have counting a share to each), and langMinShare the least share of its words the
// lists read, for the message to be taken as written in that language.
const (
	langMinVotes = 1.5
	langMinShare = 0.3
)

// readInLanguage finds the language a message is written in, when the foreign lists read
// enough of its words and one language reads most of them (s.lang), and marks the English
// words that the language's list has (inLang): in "komt de gezondheidszorg aan bod op de
// SCO-top?" the "top" is Dutch, a summit, and in "was sagt die SCO" German "die" an
// article. A word the transcript has is read so only as a filler. Only words of English's
// commoner sizes are read so: rarer ones the lists read in any message.
func (m *Matcher) readInLanguage(s *scratch, votes *[foreign.MaxLists]float64, read, counted int) {
	best := -1
	for l, v := range votes {
		if v >= langMinVotes && (best < 0 || v > votes[best]) {
			best = l
		}
	}
	if best < 0 || float64(read) < langMinShare*float64(counted) {
		return
	}
	s.lang = best
	for i := range s.words {
		w := &s.words[i]
		if w.named || isNumber(w.lower) {
			continue
		}
		e, ok := foreign.LookupIn(w.lower, best)
		if !ok {
			continue
		}
		if lv := lexicon.Commonness(w.lower); (lv == 0 || lv > foreignEnglishLevel) &&
			!(w.term >= 0 && !w.name && e.Filler) {
			// The lists read a rarer word in any message, unless the transcript has it
			// too. Then only the language's fillers are read so, typed in small letters:
			// French and Spanish "un" (a) is no UN in "un bloc militaire".
			continue
		}
		// A word the transcript has is read as the language's only when it is a filler
		// there (German "die", the, is no death in "die Grenze").
		if w.term < 0 || !hasForeignContent(m.an, e) {
			w.inLang = true
			w.learn = "-"
			if en, ok := firstContent(m.an, e); ok {
				w.learn = m.an.stemOf(en)
			}
		}
	}
}

// langWord adds to c the transcript words w, a word of the message's language (inLang),
// means in it, and reports whether it read w so: a filler (c gets nothing) or a word whose
// English equivalent the transcript has. Otherwise w is read as English.
func (m *Matcher) langWord(s *scratch, w string, c *concept) bool {
	e, ok := foreign.LookupIn(w, s.lang)
	if !ok {
		return false
	}
	if !hasForeignContent(m.an, e) {
		return true
	}
	a0 := len(s.alts)
	m.addEnglish(s, e, foreignWeight)
	if len(s.alts) == a0 {
		return false
	}
	c.foreign = true
	return true
}

// inSituLanguages are the lists' languages that leave a question word where the fact it asks
// for would stand, often at a message's end ("mkutano utafanyika lini?", the meeting will take
// place when?; "zirve ne zaman?"; "정상회의는 언제?"; "summitnya kapan?"), not at a clause's
// start, where askedTypeOf looks; with the side a noun naming the kind of fact takes: before
// the question word in Swahili and Indonesian ("tarehe gani", "tanggal berapa"), after it in
// Turkish and Korean ("hangi şehir", "어느 도시"). (Hindi would take it after, "kis shehar";
// its list was tried in the thirty-sixth round and left out, see the README.)
var inSituLanguages = map[string]int{"sw": -1, "id": -1, "tr": +1, "ko": +1}

// inSituSide is, for each list, the side of its question words that a noun naming the kind of
// fact takes, or 0 when the list's language is no in-situ one.
var inSituSide = sync.OnceValue(func() (side [foreign.MaxLists]int) {
	for i, l := range foreign.Languages() {
		side[i] = inSituLanguages[l]
	}
	return side
})

// inSituType is the kind of fact asked by a message written in one of inSituLanguages
// (s.lang), read from its first question word anywhere that the language's list has: who, a
// person; where, a place; when, a time; how many, a number; or the kind a neighbouring noun
// names after "which" or "what" ("tarehe gani", which date; "hangi şehir", which city) and a
// time's after "how many" ("tanggal berapa", which date), with that noun's offset in noun (no
// content word then, as in English). typeNone when the message is in no such language or asks
// no kind of fact. askedTypeOf reads a question word opening a clause first.
func (m *Matcher) inSituType(s *scratch) (t answerType, noun int) {
	if s.lang < 0 || inSituSide()[s.lang] == 0 {
		return typeNone, -1
	}
	side := inSituSide()[s.lang]
	word := func(i int) string { // as typed: the lists fold what they look up
		if i < 0 || i >= len(s.raw) {
			return ""
		}
		return s.text[s.raw[i].start:s.raw[i].end]
	}
	for i := range s.raw {
		w := word(i)
		e, ok := foreign.LookupIn(w, s.lang)
		if !ok || e.Filler || len(e.English) == 0 {
			continue
		}
		q := foreign.QuestionWord(e.English[0])
		if len(e.English) > 1 && foreign.QuestionWord(e.English[1]) != "" && !(q == "which" || q == "what") {
			continue // Malay "mana": where ("di mana"), which ("yang mana"), how ("macam mana")
		}
		switch q {
		case "who":
			return typePerson, -1
		case "where":
			return typePlace, -1
		case "when":
			return typeTime, -1
		case "how many", "which", "what":
			// "How many" with a noun counts it ("nchi ngapi", how many countries), save a
			// time's ("tanggal berapa", which date; "saa ngapi", what time).
			j := i + side
			if t := typeNounOf(word(j), s.lang); t != typeNone && (q != "how many" || t == typeDay || t == typeTime) {
				return t, s.raw[j].start
			}
			if q == "how many" {
				return typeNumber, -1
			}
		}
	}
	return typeNone, -1
}

// typeNounOf is the kind of fact the noun w names (typeNouns), in English or in the lang-th
// list ("tarehe", date; "şehir", city; "zaman", time, in "ne zaman", when).
func typeNounOf(w string, lang int) answerType {
	if w == "" {
		return typeNone
	}
	if t, ok := typeNouns[strings.ToLower(w)]; ok {
		return t
	}
	if e, ok := foreign.LookupIn(w, lang); ok && !e.Filler && len(e.English) > 0 {
		return typeNouns[e.English[0]]
	}
	return typeNone
}
