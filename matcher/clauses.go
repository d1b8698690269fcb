package matcher

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Context clauses.
//
// A chat message often wraps its question in clauses about the asker: "pls someone tell me
// what he said about humanitarian cooperation, my essay is due friday 😭", "@wire_desk anyone
// have his quote on Alibaba? editor wants it asap". Words the transcript lacks in such a
// clause say nothing about whether it answers the question, so they weigh less (ctxUnknown)
// when the message also holds a clause that asks.

// ctxUnknown scales the weight of a word the transcript lacks in a clause that does not ask,
// in a message with a clause that does. Leave-one-set-out log-loss over the nineteen fit
// sets, refitted at each: 0.2947 at 1 (no discount), 0.2927 at 0.5, 0.2906 at 0.25, 0.2923
// at 0.1, 0.2916 at 0; on the never-fitted sets 0.2962 at 1, 0.2937 at 0.25.
const ctxUnknown = 0.25

// questionOpeners open a clause that asks: question words, auxiliaries of a yes/no question,
// and requests ("tell me", "explain").
var questionOpeners = map[string]bool{"who": true, "whom": true, "whose": true, "what": true,
	"whats": true, "what's": true, "which": true, "where": true, "wheres": true,
	"where's": true, "when": true, "whens": true, "when's": true, "why": true, "how": true,
	"hows": true, "how's": true, "is": true, "are": true, "was": true, "were": true, "do": true,
	"does": true, "did": true, "can": true, "could": true, "will": true, "would": true,
	"should": true, "has": true, "have": true, "had": true, "tell": true, "explain": true,
	"show": true, "give": true, "describe": true, "summarise": true, "summarize": true,
	"any": true, "anything": true, "wat": true, "wut": true, "wht": true, "wot": true}

// askWithin is how many words after its lead words a clause's question word or request may
// come ("anyone have his quote": no; "pls someone tell me what": yes).
const askWithin = 3

// questionWords ask wherever they stand among a clause's first askWithin words.
var questionWords = map[string]bool{"who": true, "whom": true, "whose": true, "what": true,
	"whats": true, "what's": true, "which": true, "where": true, "wheres": true,
	"where's": true, "when": true, "whens": true, "when's": true, "why": true, "how": true,
	"hows": true, "how's": true, "tell": true, "explain": true, "wat": true, "wut": true}

// markContext sets ctx on the words of s that lie in clauses that do not ask, when another
// clause of query does. A clause ends at . ? ! , : ; ( ) … a newline, a dash or a symbol
// (an emoji); it asks when it ends with '?', opens (after lead words) with an auxiliary, or
// has a question word or a request among its first askWithin words.
func (s *scratch) markContext(query string) {
	ws := s.raw
	if len(ws) == 0 {
		return
	}
	// One clause has no other to be the context of: most queries stop here.
	split := false
	for i := 1; i < len(ws) && !split; i++ {
		split = contextBreak(query[ws[i-1].end:ws[i].start])
	}
	if !split {
		return
	}
	// clause[i] is the clause index of raw word i; asks[c] whether clause c asks.
	var clauseBuf [64]uint8
	var asksBuf [32]bool
	clause := clauseBuf[:0]
	asks := asksBuf[:0]
	c := 0
	open := true // only lead words so far in the clause
	seen := 0    // words of the clause after its lead words
	asks = append(asks, false)
	for i := range ws {
		if i > 0 {
			gap := query[ws[i-1].end:ws[i].start]
			if contextBreak(gap) {
				if strings.IndexByte(gap, '?') >= 0 {
					asks[c] = true
				}
				if c < 255 {
					c++
				}
				asks = append(asks, false)
				open, seen = true, 0
			}
		}
		clause = append(clause, uint8(c))
		if seen < askWithin {
			// Lower-cased on the stack: a map lookup of string(b) copies nothing. A longer
			// word is none of the words looked for.
			var buf [16]byte
			var b []byte
			if ws[i].end-ws[i].start <= len(buf) {
				b = lowerBytes(buf[:0], query[ws[i].start:ws[i].end])
			}
			if open && (leadWords[string(b)] || ws[i].start > 0 && query[ws[i].start-1] == '@') {
				continue
			}
			// The first word may be an auxiliary ("is it still on"); a question word or a
			// request may come a little later ("pls someone tell me what ...").
			if open && questionOpeners[string(b)] || questionWords[string(b)] {
				asks[c] = true
			}
			open = false
			seen++
		}
	}
	if strings.IndexByte(query[ws[len(ws)-1].end:], '?') >= 0 {
		asks[c] = true
	}
	some, all := false, true
	for _, a := range asks {
		some = some || a
		all = all && a
	}
	if !some || all {
		return
	}
	// Words are tokens of raw words: match by byte offset.
	ri := 0
	for wi := range s.words {
		w := &s.words[wi]
		for ri < len(ws) && ws[ri].end <= w.start {
			ri++
		}
		if ri < len(ws) && !asks[clause[ri]] {
			w.ctx = true
		}
	}
}

// contextBreak reports whether the text between two words ends a clause: clauseBreak's
// punctuation, a dash, or a symbol such as an emoji.
func contextBreak(gap string) bool {
	if gap == " " { // most gaps
		return false
	}
	if clauseBreak(gap) {
		return true
	}
	for i := 0; i < len(gap); {
		r, size := utf8.DecodeRuneInString(gap[i:])
		i += size
		switch {
		case r == '-' && len(gap) > 1, r == '—', r == '–':
			return true
		case r >= utf8.RuneSelf && (unicode.Is(unicode.So, r) || unicode.Is(unicode.Sk, r)):
			return true
		}
	}
	return false
}

// rawLower returns raw word w of query lower-cased in buf, or nil when it is longer than buf
// can hold (too long to be one of the short words looked up), without allocating.
func rawLower(buf []byte, query string, w rawWord) []byte {
	if w.end-w.start > cap(buf) {
		return nil
	}
	return lowerBytes(buf[:0], query[w.start:w.end])
}

// lowerBytes appends w to buf with ASCII capitals lower-cased.
func lowerBytes(buf []byte, w string) []byte {
	buf = append(buf, w...)
	for i, c := range buf {
		if 'A' <= c && c <= 'Z' {
			buf[i] = c + 'a' - 'A'
		}
	}
	return buf
}

// metaWords refer to the briefing or its speaker: "did he say anything about ...", "what
// did the SG mention", "is that in the transcript". A query that asks what was said is
// more often answered by the transcript than one asking for a fact of the world ("how long
// is the Kunming marathon"). (Leave-one-set-out log-loss 0.2906 -> 0.2886 with the feature,
// never-fitted sets 0.2937 -> 0.2912; without the pronouns 0.2900.)
var metaWords = map[string]bool{"say": true, "said": true, "says": true, "saying": true,
	"mention": true, "mentioned": true, "mentions": true, "talk": true, "talked": true,
	"talks": true, "speak": true, "spoke": true, "comment": true, "commented": true,
	"quote": true, "answer": true, "answered": true, "transcript": true, "press": true,
	"conference": true, "briefing": true, "presser": true, "interview": true, "he": true,
	"his": true, "him": true, "sg": true, "norov": true, "secretary": true, "reply": true,
	"replied": true, "respond": true, "responded": true, "stated": true}

// metaOf returns 1 when one of the words ws of query is one of metaWords, else 0.
func metaOf(query string, ws []rawWord) float64 {
	var buf [16]byte
	for _, w := range ws {
		if w.end-w.start > len(buf) {
			continue
		}
		if metaWords[string(lowerBytes(buf[:0], query[w.start:w.end]))] {
			return 1
		}
	}
	return 0
}
