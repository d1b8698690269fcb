package matcher

import (
	"strings"
	"unicode/utf8"

	"transcriptbot/matcher/internal/lexicon"
)

// A query can ask what someone other than the briefing's speakers said or thinks: "what did
// Putin say about the summit", "what is NATO's position on Hong Kong", "what does the
// European Union think of the SCO". The transcript records its own speakers; when the one
// whose words are asked for is a name it never uses, the entry that shares the topic ("the
// summit", "Hong Kong") does not answer the question, however well it matches. The decision
// reads that as evidence (fOtherSpeaker); the ranking is left alone.

// auxWords open a question about what its subject said ("did X say", "has X said").
var auxWords = map[string]bool{"did": true, "does": true, "do": true, "has": true,
	"have": true, "will": true, "would": true}

// speechVerbs are what a subject says or thinks.
var speechVerbs = map[string]bool{"say": true, "said": true, "says": true, "think": true,
	"thinks": true, "thought": true, "react": true, "reacted": true, "respond": true,
	"responded": true, "comment": true, "commented": true, "make": true}

// stanceNouns are what a subject holds, after its possessive ("NATO's position").
var stanceNouns = map[string]bool{"position": true, "stance": true, "stand": true,
	"view": true, "views": true, "reaction": true, "response": true, "opinion": true,
	"attitude": true, "take": true}

// briefingWords name the briefing in chat ("did the press conf say").
var briefingWords = map[string]bool{"conf": true, "presscon": true, "pressconf": true}

// maxSubject is how many words a subject may have ("the US State Department").
const maxSubject = 4

// otherSpeaker reports 1 when the query asks for the words or stance of a subject that the
// transcript does not know: a word of the subject, not everyday, not a word of the title or
// of the briefing itself (metaWords), that no concept of the query matched. It reads the
// analysed query s (after its concepts are built).
func (m *Matcher) otherSpeaker(s *scratch, query string) float64 {
	var buf [16]byte
	// lower returns raw word i lower-cased in buf, or nil when it is too long to be one of
	// the words looked for (without allocating).
	lower := func(i int) []byte { return rawLower(buf[:], query, s.raw[i]) }
	wi := 0 // the first query word (s.words) not before the raw word looked at
	for i := range s.raw {
		lw := lower(i)
		switch {
		case lw == nil:
		case auxWords[string(lw)]:
			// "did [the] X [Y] say": the words between the auxiliary and the verb, none a
			// function word but an article ("do you know if they've said" has no subject).
			for j := i + 1; j < len(s.raw) && j <= i+1+maxSubject; j++ {
				if lj := lower(j); j > i+1 && lj != nil && speechVerbs[string(lj)] {
					if m.unknownSubject(s, s.raw[i+1].start, s.raw[j].start) {
						return 1
					}
					break
				}
				// A query word is no stop word; only the others are looked up.
				for wi < len(s.words) && s.words[wi].start < s.raw[j].start {
					wi++
				}
				if wi < len(s.words) && s.words[wi].start == s.raw[j].start {
					continue
				}
				if w := strings.ToLower(query[s.raw[j].start:s.raw[j].end]); !articles[w] && m.an.stop(w) {
					break
				}
			}
		case i > 0 && stanceNouns[string(lw)]:
			// "X's [official] position".
			k := i - 1
			if lk := lower(k); lk != nil && stanceAdjectives[string(lk)] && k > 0 {
				k--
			}
			p := query[s.raw[k].start:s.raw[k].end]
			if !strings.HasSuffix(p, "'s") && !strings.HasSuffix(p, "’s") {
				continue
			}
			from := k
			for from > 0 && k-from < maxSubject-1 && startsUpper(query[s.raw[from-1].start:s.raw[from-1].end]) {
				from--
			}
			if m.unknownSubject(s, s.raw[from].start, s.raw[k].end) {
				return 1
			}
		}
	}
	return 0
}

// articles may stand in a subject ("did the US say"); other function words end it.
var articles = map[string]bool{"the": true, "a": true, "an": true}

// stanceAdjectives may come between a possessive and its stance ("NATO's official position").
var stanceAdjectives = map[string]bool{"official": true, "own": true}

// unknownSubject reports whether a query word starting in [from, to) is one the transcript
// does not know and that names someone: not everyday, not short unless capitalised ("EU"),
// not a number, not a title word, not a word about the briefing itself, and matched by no
// concept of the query.
func (m *Matcher) unknownSubject(s *scratch, from, to int) bool {
	ci := 0
	for wi := range s.words {
		w := &s.words[wi]
		if w.start < from || w.start >= to {
			continue
		}
		for ci < len(s.concepts) && s.concepts[ci].w1 < wi {
			ci++
		}
		if ci < len(s.concepts) && s.concepts[ci].w0 <= wi {
			continue // known
		}
		// A word known on its own may still be part of a name the transcript lacks ("United
		// States"): what counts is that no concept holds it.
		if w.everyday || (!w.name && m.isCommon(*w)) || isNumber(w.lower) || m.titleStems[w.stem] {
			continue
		}
		if metaWords[w.lower] || briefingWords[w.lower] { // w.lower is lower-cased already
			continue
		}
		// A name: capitalised ("Putin", "NATO", "EU"), or one the word lists know only as a
		// name or an abbreviation ("putin", "nato"), or no list has ("lavrov"). An English
		// word in lower case is the speaker's role as often ("the SCO chief", "the boss").
		if lv := lexicon.Lookup(w.lower); w.name || lv.Word == 0 && utf8.RuneCountInString(w.lower) >= 4 {
			return true
		}
	}
	return false
}
