package matcher

import (
	"strings"
	"unicode"

	"transcriptbot/matcher/internal/lexicon"
	"transcriptbot/transcript"
)

// Acronyms of the transcript's names.
//
// Readers type "CAA" for the Civil Aviation Authority and "MPC" for the Monetary Policy
// Committee when the transcript spells the names out; a word the transcript lacks otherwise
// counts against the answer as strongly as a name it does not know. New adds a synonym group
// for each acronym that transcript.Acronyms finds (the initials of a run of capitalised words,
// or an acronym the transcript gives in brackets), so the acronym finds the name. The name is
// read as the group only in the transcript (phrase.names), so a query that types the name in
// full still matches it word by word; the acronym is read only typed with two capitals or more
// (acronymOf), as in lower case it is as often a word of another language (Tagalog "sa").
// On the other briefings' sets, 40 queries typed such an acronym that their transcript lacked
// (CAA 9 times, the Chief Medical Officer's CMO 10).

// acronymWordLevel is the highest SCOWL word level (lexicon.Levels.Word) at which an English
// word is too common to stand for a name's initials unless the transcript defines it so
// ("ace", "coo", "ken" are words first; "csc" at 70 is not).
const acronymWordLevel = 50

// acronymGroups returns a synonym group {acronym, name} for each acronym of t's names that a
// reader could type for it: not a stop word of the language, not an everyday English word
// (unless the transcript defines it in brackets), not already a member of one of groups, and
// whose name has two or more content words.
func acronymGroups(t *transcript.Transcript, an *Analyzer, groups [][]string, titleStems map[string]bool) [][]string {
	acrs := t.Acronyms()
	if len(acrs) == 0 {
		return nil
	}
	taken := map[string]bool{}
	for st := range titleStems {
		taken[st] = true // "SG" for the title's Secretary-General, not the UN's in an answer
	}
	for _, g := range groups {
		for _, member := range g {
			taken[strings.ToLower(member)] = true
		}
	}
	var out [][]string
	var tbuf []token
	for _, a := range acrs {
		lower := strings.ToLower(a.Acronym)
		if taken[lower] || an.stop(lower) {
			continue
		}
		if !a.Defined && an.lang == "english" {
			if l := lexicon.Lookup(lower).Word; l > 0 && l <= acronymWordLevel {
				continue
			}
		}
		tbuf = an.tokens(a.Name, tbuf[:0])
		titled := 0
		for _, tk := range tbuf {
			if titleStems[tk.stem] {
				titled++
			}
		}
		if len(tbuf) < 2 && !compoundName(a.Name) || titled == len(tbuf) {
			continue // one word ("As I"), or the title's own name: the speaker's
		}
		out = append(out, []string{lower, a.Name})
	}
	return out
}

// addAcronyms adds the acronym groups of acronymGroups, numbered from first after the other
// synonym groups: the acronym, in capitals, to Matcher.acronyms (acronymOf reads it in a
// query), the name to the phrases only the index reads (phrase.names).
func (m *Matcher) addAcronyms(an *Analyzer, acronyms [][]string, first int) {
	var tbuf []token
	for i, g := range acronyms {
		id := m.termID("\x00" + itoa(first+i))
		if m.acronyms == nil {
			m.acronyms = map[string]int32{}
		}
		m.acronyms[strings.ToUpper(g[0])] = id
		if tbuf = an.tokens(g[1], tbuf[:0]); len(tbuf) > 0 {
			m.addPhrase(tbuf, id, true)
		}
	}
}

// compoundName reports whether name is one compound word of capitalised parts
// ("Secretary-General"), which may have an acronym of its own.
func compoundName(name string) bool {
	return !strings.ContainsAny(name, " ") && strings.Contains(name, "-")
}

// titleStemsOf returns the stems of t's title, its compounds' initials ("SG") and the
// acronyms of its names ("COO" for "Chief Operating Officer"): the event and its speakers,
// which every entry shares (see Matcher.titleStems).
func (m *Matcher) titleStemsOf(t *transcript.Transcript, base *Analyzer) map[string]bool {
	stems := map[string]bool{}
	for _, st := range base.Stems(t.Title) {
		stems[st] = true
	}
	for _, in := range titleInitials(t.Title) {
		stems[in] = true
	}
	for _, acr := range t.TitleAcronyms() {
		stems[strings.ToLower(acr)] = true
	}
	return stems
}

// acronymOf returns the group term of the acronym that query word w is, when w is typed with
// two capitals or more ("CAA", "BoN") and spells one of the transcript's names' acronyms
// (Matcher.acronyms). In lower case it is read as a word: "sa", "po" and "ng" are Tagalog,
// "bp" a blood pressure, before they are anyone's initials.
func (m *Matcher) acronymOf(query string, w qword) (int32, bool) {
	if len(m.acronyms) == 0 || w.end-w.start > 8 {
		return 0, false
	}
	surface := query[w.start:w.end]
	caps := 0
	for _, r := range surface {
		if unicode.IsUpper(r) {
			caps++
		}
	}
	if caps < 2 {
		return 0, false
	}
	g, ok := m.acronyms[strings.ToUpper(surface)]
	return g, ok && len(m.postingsOf(g)) > 0
}
