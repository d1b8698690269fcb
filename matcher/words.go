package matcher

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"transcriptbot/matcher/internal/lexicon"
)

// What a query word can be: a word the transcript has, an everyday word, one it lacks (weighed
// by class for the decision), two transcript words run together, a relative through a
// derivational ending or WordNet.

// bestWeight is the largest alternative weight of c.
func (s *scratch) bestWeight(c concept) float64 {
	var w float64
	for _, a := range s.alts[c.a0:c.a1] {
		w = max(w, a.weight)
	}
	return w
}

func (s *scratch) addAlt(terms []int32, weight float64) {
	t0 := len(s.altTerms)
	s.altTerms = append(s.altTerms, terms...)
	s.alts = append(s.alts, alt{t0: t0, t1: len(s.altTerms), weight: weight})
}

// isEveryday reports whether w is in the list of everyday words (decided once, as analyse
// reads the query's words).
func (m *Matcher) isEveryday(w qword) bool { return w.everyday }

// namedPair is two stems in a row, a key of Matcher.namedPairs (a struct rather than the
// stems joined, which cost a query an allocation per pair of words).
type namedPair struct{ first, second string }

// addNamedPairs records the names of text whose second word is an everyday one: two words
// in a row inside a sentence, both capitalised, with nothing but a space between them
// ("SCO Day", "Children's Day").
func (m *Matcher) addNamedPairs(text string) {
	var buf [256]rawWord
	ws := words(text, buf[:0])
	for i := 1; i < len(ws); i++ {
		a, b := text[ws[i-1].start:ws[i-1].end], text[ws[i].start:ws[i].end]
		if text[ws[i-1].end:ws[i].start] != " " || !startsUpper(a) || !startsUpper(b) ||
			sentenceStart(text[:ws[i].start]) {
			continue
		}
		lb := strings.ToLower(b)
		sb := m.an.stem(normWord(lb), true)
		if !m.common[lb] && !m.commonStems[sb] {
			continue
		}
		if sa := m.an.stem(normWord(strings.ToLower(a)), true); sa != "" && sb != "" {
			m.namedPairs[namedPair{sa, sb}] = true
		}
	}
}

func startsUpper(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// isCommon reports whether w is an everyday word or a very short one.
func (m *Matcher) isCommon(w qword) bool {
	return m.isEveryday(w) || utf8.RuneCountInString(w.lower) <= 2
}

// unknownWeight is how much query words absent from the transcript count against it; a word
// of a context clause (markContext) counts ctxUnknown of that.
func (m *Matcher) unknownWeight(s *scratch, ws []qword) float64 {
	var v float64
	for _, w := range ws {
		var u float64
		switch {
		case m.isCommon(w):
			u = commonUnknown * m.idfRare
		case isNumber(w.lower):
			u = 0.5 * m.idfRare
		case w.name:
			u = nameUnknown * m.idfRare
		default:
			u = m.idfRare * m.rarity(s, w.lower)
		}
		if w.ctx {
			u *= ctxUnknown
		}
		v += u
	}
	return v
}

// Classes of query words the transcript lacks, for the decision features.
const (
	unknownCommon = iota // an everyday or very short word: weak evidence of another topic
	unknownNumber        // a number ("2021"): a fact the transcript may not give
	unknownName          // a capitalised word inside a sentence, or a name the synonyms know
	unknownRare          // any other word: a topic word the transcript never uses
	nUnknownClasses
)

// countUnknown adds the words ws, absent from the transcript, to s.unk by class, scaled (and
// by ctxUnknown for a word of a context clause, as unknownWeight). With unread, the words
// found in no English word list among them (another language's, or misspelt past
// correcting: rarityUnlisted) also count in s.unread.
func (m *Matcher) countUnknown(s *scratch, ws []qword, scale float64, unread bool) {
	for _, w := range ws {
		scale := scale
		if w.ctx {
			scale *= ctxUnknown
		}
		switch {
		case m.isCommon(w):
			s.unk[unknownCommon] += scale
			if unread && !m.isEveryday(w) && syllabic(w.lower) {
				// One or two Hangul syllables or Chinese characters make a word ("입장",
				// position; "홍콩", Hong Kong), not the short filler two Latin letters are:
				// unread, though the decision weighs it as a short word.
				s.unread++
			}
		case isNumber(w.lower):
			s.unk[unknownNumber] += scale
		case w.name:
			s.unk[unknownName] += scale
		default:
			r := m.rarity(s, w.lower)
			s.unk[unknownRare] += scale * r
			if unread && (r == rarityUnlisted || s.foreignText && m.unlisted(w.lower)) {
				s.unread++
			}
		}
	}
}

// syllabic reports whether w is written in a script whose every character is a syllable or
// a word: Hangul, Chinese characters, kana.
func syllabic(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.In(r, unicode.Hangul, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

// sentenceStart reports whether a word after before starts a sentence.
func sentenceStart(before string) bool {
	before = strings.TrimRightFunc(before, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune("\"'“‘«(", r) })
	if before == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(before)
	return strings.ContainsRune(".!?…:", r)
}

func isNumber(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}

// presence is the share of the query's weight the transcript knows.
func (s *scratch) presence() float64 {
	if s.known == 0 {
		return 0
	}
	return s.known / (s.known + s.unknown)
}

// splitCompound adds, for a word the transcript lacks, an alternative made of two
// transcript words it may run together ("hongkong", "healthcare"), and of their synonym
// group when the pair is a synonym phrase.
func (m *Matcher) splitCompound(s *scratch, w string) {
	if len(w) < 2*minSplitBytes || len(w) > 64 {
		return
	}
	for k := minSplitBytes; k <= len(w)-minSplitBytes; k++ {
		if !utf8.RuneStart(w[k]) {
			continue
		}
		left, lok := m.vocabTerm(w[:k])
		right, rok := m.vocabTerm(w[k:])
		if !lok || !rok {
			continue
		}
		s.addAlt([]int32{left, right}, compoundWeight)
		var buf [128]byte
		key := append(append(append(buf[:0], m.termKey(left)...), '\x1f'), m.termKey(right)...)
		for _, g := range m.phrases[string(key)].groups {
			if len(m.postingsOf(g)) > 0 {
				s.addAlt([]int32{g}, compoundWeight)
			}
		}
		return
	}
}

// derivedEndings are English derivational endings that snowball keeps, so that words of
// one family get different stems ("terrorist" / "terrorism", "relationship" / "relation").
// Each ending lists the endings its family shares.
var derivedEndings = []struct {
	suffix string
	family []string
}{
	{"ists", []string{"", "ism", "ist"}},
	{"ist", []string{"", "ism", "ists"}},
	{"isms", []string{"", "ist", "ists"}},
	{"ism", []string{"", "ist", "ists"}},
	{"ships", []string{"", "s"}},
	{"ship", []string{"", "s"}},
}

// minDerivedRoot is the shortest root, in bytes, a derivational ending is removed from.
const minDerivedRoot = 4

// derived adds the transcript word of w's family with another derivational ending, if
// there is one. self is w's own term, or -1 for a word the transcript lacks: a word it has
// gets only a family member that is a term of its own, since snowball cuts some endings
// to a root the family shares with unrelated words ("nationalism" -> "nation", as in
// "national security"; "nationalist" is the word that means it).
func (m *Matcher) derived(s *scratch, w string, self int32) {
	if m.an.lang != "english" {
		return
	}
	for _, d := range derivedEndings {
		root, ok := strings.CutSuffix(w, d.suffix)
		if !ok || len(root) < minDerivedRoot {
			continue
		}
		var buf [128]byte
		for _, end := range d.family {
			form := append(append(buf[:0], root...), end...)
			if t, ok := m.vocabTerm(string(form)); ok && t != self {
				s.addAlt([]int32{t}, derivedWeight)
				return
			}
		}
		if self >= 0 {
			return
		}
		if t, ok := m.stemTerm(m.an.stemOf(root)); ok && len(m.postingsOf(t)) > 0 {
			s.addAlt([]int32{t}, derivedWeight)
		}
		return
	}
}

// relatedWeight is the weight of a word WordNet relates to a query word, by kind, for the
// word's most frequent senses; relatedLaterSense scales later senses. Only derived forms
// count: synonyms, similar adjectives and hypernyms made the decision's cross-validated
// log-loss worse at every weight tried (see the lexicon's relstats measurement: for a word
// missing from the right entry they lead to a wrong one more often than to it).
var relatedWeight = [...]float64{lexicon.Synonym: 0, lexicon.Derived: 0.7, lexicon.Similar: 0, lexicon.Hypernym: 0}

const (
	relatedLaterSense = 0.75
	// knownRelatedScale further scales the related words of a query word the transcript
	// has: they can only help an entry that lacks the word itself.
	knownRelatedScale = 0.5
	// maxRelated bounds the related words tried for one query word.
	maxRelated = 48
)

// related adds, for an English query word, the transcript words WordNet relates to it
// (lexicon.Related), weighted by relatedWeight and scale, leaving out self (the word's own
// term, for a word the transcript has).
func (m *Matcher) related(s *scratch, w string, scale float64, self int32) {
	if m.an.lang != "english" {
		return
	}
	rels := lexicon.Related(w)
	for i, r := range rels {
		if i == maxRelated {
			break
		}
		if int(r.Kind) >= len(relatedWeight) || relatedWeight[r.Kind] == 0 {
			continue
		}
		// The transcript's own words only: stemming each related word costs more than the
		// matching (an inflected form, "cooperating" for "cooperate", is left out).
		t, ok := m.vocabTerm(r.Word)
		if !ok || t == self {
			continue
		}
		weight := relatedWeight[r.Kind] * scale
		if r.Rank > 1 {
			weight *= relatedLaterSense
		}
		s.addAlt([]int32{t}, weight)
	}
}

// rarity weighs an English word the transcript lacks as evidence that the query is about
// something else: 1 for a word of general English or a name (SCOWL's lists, through
// lexicon.Lookup), rarityUnlisted for a lower-case word no list has, which is most often
// slang ("bruh") or a typo the corrections did not catch. Weighing common words less
// (SCOWL levels 10-35 at 0.3, 40-50 at 0.6) made the decision worse (cross-validated
// log-loss 0.2595 against 0.2438): "route" and "fee" are content, and the words that say
// why someone asks ("homework") are everyday words (common.go) already.
//
// In a message the foreign lists read in part (s.foreignText: "SCO BM ile işbirliği
// geliştirecek mi"), an unlisted word is most often a word of that language the lists lack,
// and as much a topic as the others: rarity 1.
func (m *Matcher) rarity(s *scratch, lower string) float64 {
	if m.an.lang != "english" || s.foreignText || !m.unlisted(lower) {
		return 1
	}
	return rarityUnlisted
}

// unlisted reports whether no English word list, and no foreign list as a content word
// (foreignword.go), has lower.
func (m *Matcher) unlisted(lower string) bool {
	lv := lexicon.Lookup(lower)
	return lv.Word == 0 && lv.Name == 0 && lv.Abbreviation == 0 && !m.foreignContentWord(lower)
}

// rarityUnlisted is the rarity of a lower-case word no English word list, and no foreign
// list as a content word (foreignword.go), has.
const rarityUnlisted = 0.3

// titleInitials returns the initials of the title's hyphenated compounds, lower-cased:
// "Secretary-General" is "sg" in chat ("what did the SG say"), and like the title's words
// it names what every entry shares.
func titleInitials(title string) []string {
	var out []string
	for _, f := range strings.Fields(title) {
		parts := strings.Split(strings.Trim(f, ".,:;\"'()"), "-")
		if len(parts) < 2 {
			continue
		}
		var b strings.Builder
		for _, p := range parts {
			r, _ := utf8.DecodeRuneInString(p)
			if !unicode.IsUpper(r) {
				b.Reset()
				break
			}
			b.WriteRune(unicode.ToLower(r))
		}
		if b.Len() >= 2 {
			out = append(out, b.String())
		}
	}
	return out
}

// contentWords counts the analysed query's content words: those of s.words other than the
// title's words and the noun naming the kind of fact asked, which no entry is told apart by.
func (m *Matcher) contentWords(s *scratch) int {
	n := 0
	for _, w := range s.words {
		if w.start != s.typeNoun && !(w.term < 0 && m.titleStems[w.stem]) {
			n++
		}
	}
	return n
}

// EnglishWord reports whether w, a lower-case word, is in an English word list (SCOWL's
// words, names and abbreviations, any size): for callers that correct slips, which must not
// correct a word that is spelt right ("report" is no misspelt "repost").
func EnglishWord(w string) bool { return lexicon.Commonness(w) > 0 }
