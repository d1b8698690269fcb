package bot

import (
	"strings"

	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

// Replies to a question in the user's own words: the matched answer, "did you mean", or
// "not covered".

// match answers free text through the matcher.
func (c conv) match(query string) Reply {
	if c.ar != nil {
		return c.archiveMatch(query)
	}
	budget := min(matcher.DefaultBudget, c.lim.Body)
	return c.matchResult(query, c.st.m.Match(query, budget))
}

// matchResult is the reply to query given the matcher's result mt.
func (c conv) matchResult(query string, mt matcher.Match) Reply {
	if mt.Number < 0 || mt.Number > c.total() {
		c.b.log.Error("bot: matcher returned a number out of range", "number", mt.Number)
		return c.st.errorReply()
	}
	var alts []int
	for _, a := range mt.Alternatives {
		if a.Number >= 1 && a.Number <= c.total() && a.Number != mt.Number && !containsInt(alts, a.Number) {
			alts = append(alts, a.Number)
		}
	}
	switch {
	case mt.Number == 0:
		c.miss(query)
		return c.notCovered(query, alts, abstention(mt))
	case mt.Ambiguous:
		return c.ambiguous(query, append([]int{mt.Number}, alts...))
	}
	e := &c.st.t.Entries[mt.Number-1]
	body := newMarked(mt.Excerpt.Text, mt.Excerpt.Highlights)
	if strings.TrimSpace(body.text) == "" {
		body = marked{text: firstParagraph(e)}
	}
	r := Reply{
		Kind:     ReplyAnswer,
		Number:   mt.Number,
		Question: cutWords(e.Question, c.lim.Title),
		Body:     fitSpans(body, c.lim.Body),
		Page:     1,
		Pages:    1,
		Source:   c.st.title,
		Actions:  []Action{{ID: c.id(action{verb: verbFull, n: mt.Number}), Label: "Full answer"}},
	}
	if len(alts) > 0 {
		r.Others = alts[:min(len(alts), maxOthers)]
		r.Actions = append(r.Actions, Action{ID: c.id(action{verb: verbOther, others: r.Others}), Label: "Other matches"})
	}
	return r
}

// fitSpans returns the spans of m cut to one page of body units, ending in "…" when cut.
func fitSpans(m marked, body int) []Span {
	if UTF16Len(m.text) <= body {
		return m.spans(0, len(m.text))
	}
	b := split(m.text, body-1)
	spans := m.spans(0, b[1])
	if n := len(spans); n > 0 {
		if spans[n-1].Highlight {
			spans = append(spans, Span{Text: "…"})
		} else {
			spans[n-1].Text += "…"
		}
	}
	return spans
}

// answerText is the whole answer, paragraphs joined by a blank line (Entry.Answer).
func answerText(e *transcript.Entry) string { return strings.Join(e.Paragraphs, "\n\n") }

// firstParagraph is the fallback excerpt when the matcher gives none.
func firstParagraph(e *transcript.Entry) string {
	if len(e.Paragraphs) > 0 {
		return e.Paragraphs[0]
	}
	return ""
}

func containsInt(s []int, n int) bool {
	for _, v := range s {
		if v == n {
			return true
		}
	}
	return false
}

// miss reports an unanswered query to Options.OnMiss.
func (c conv) miss(query string) {
	if query == "" {
		return
	}
	if br := c.st.briefing; br != nil && c.b.opts.OnMissIn != nil {
		c.b.opts.OnMissIn(query, br.ID, br.Version())
		return
	}
	if c.b.opts.OnMiss != nil {
		c.b.opts.OnMiss(query)
	}
}

// unsureConfidence is the matcher's confidence from which an abstention says it is unsure
// rather than that the transcript does not cover the question: over the labelled sets, of
// the questions declined from 0.3 up, about half had the right question first among the
// nearest and a third were out of scope; below 0.3, 86% were out of scope.
const unsureConfidence = 0.3

// abstainKind is what an abstention says of the query.
type abstainKind int

const (
	abstainUncovered abstainKind = iota // the transcript does not cover it
	abstainUnsure                       // the best question came near the threshold
	abstainUnread                       // most of its words are none the matcher can read
)

// minUnread is the fewest unread words (matcher.Match.Unread) that make an abstention say it
// could not read the message; they must also be at least as many as the words it read.
// Over the labelled sets, the abstentions this picks are nearly all messages written mostly
// in another language ("SCO üyeleri arasındaki çatışmalar örgütü zayıflatır mı", "eh el 3
// 7agat elly el SCO charter by2ol lazem n7arebhom?") and a few misspelt past correcting
// ("natonalism and populizm"), of which "the transcript does not cover that" would be
// untrue as often as not: the transcript may well answer them.
const minUnread = 2

// abstention tells what an abstention on mt says.
func abstention(mt matcher.Match) abstainKind {
	switch {
	case mt.Unread >= minUnread && mt.Unread >= mt.Read:
		return abstainUnread
	case mt.Confidence >= unsureConfidence:
		return abstainUnsure
	}
	return abstainUncovered
}

// notCovered is the abstention reply, offering the nearest questions. With abstainUnsure the
// best of them came near the threshold, and the reply says it found no clear answer rather
// than that there is none; with abstainUnread it says it could not read the message.
func (c conv) notCovered(query string, nearest []int, kind abstainKind) Reply {
	r := Reply{Kind: ReplyNotCovered, Source: c.st.title, Page: 1, Pages: 1}
	text := "The transcript does not cover that."
	if kind == abstainUnread {
		text = "I did not recognise most of the words in that, so I cannot tell whether the transcript covers it. " +
			"I read questions in English, the transcript's language: try other words or check the spelling, or ask for a question by its number (\"question 1\")."
		if len(nearest) > 0 {
			text += " The nearest questions by the words I did read are below."
		}
	} else if len(nearest) > 0 && kind == abstainUnsure {
		text = "I found no clear answer to that in the transcript. The closest questions are below; or see the full list."
	} else if len(nearest) > 0 {
		text += " The nearest questions are below; or see the full list."
	} else {
		text += " See the list of questions for what it does cover."
	}
	r.Body = []Span{{Text: text}}
	for i, label := range c.menuLabels(nearest, query) {
		r.Actions = append(r.Actions, Action{ID: c.id(action{verb: verbFull, n: nearest[i]}), Label: label})
		r.Choices = append(r.Choices, nearest[i])
	}
	r.Actions = append(r.Actions, Action{ID: c.id(action{verb: verbList, page: 1}), Label: "All questions"})
	return r
}

// ambiguous is the "did you mean" reply.
func (c conv) ambiguous(query string, choices []int) Reply {
	r := Reply{Kind: ReplyAmbiguous, Source: c.st.title, Page: 1, Pages: 1,
		Body: []Span{{Text: "Did you mean…"}}}
	for i, label := range c.menuLabels(choices, query) {
		r.Actions = append(r.Actions, Action{ID: c.id(action{verb: verbFull, n: choices[i]}), Label: label})
		r.Choices = append(r.Choices, choices[i])
	}
	none := action{verb: verbNone}
	if packed, ok := c.st.packer.pack(query, packedBudget(c.st.version)); ok {
		none.packed = packed
	}
	r.Actions = append(r.Actions, Action{ID: c.id(none), Label: "None of these"})
	return r
}
