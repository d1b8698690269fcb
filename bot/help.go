package bot

import (
	"fmt"
	"strings"
)

// Help, start, introductions and small talk.

func (st *state) source() string {
	if st == nil {
		return ""
	}
	return st.title
}

// about names the transcript for help texts.
func (c conv) about() string {
	if c.st.title == "" {
		return "a press-conference transcript"
	}
	return "“" + c.st.title + "”"
}

// exampleQuery is a few words for help texts (generic: no transcript is assumed).
func (c conv) exampleQuery() string { return "what was said about cooperation?" }

// help is the help text, or the start text (a greeting first).
func (c conv) help(start bool) Reply {
	var b strings.Builder
	if start {
		b.WriteString("Hello! ")
	}
	if c.ar != nil && c.ar.multi {
		fmt.Fprintf(&b, "I answer questions from %d briefings, each a transcript of numbered questions and answers; the current one here is %s.\n\n", c.ar.snap.Len(), c.about())
	} else {
		fmt.Fprintf(&b, "I answer questions about %s, from its %d numbered questions and answers.\n\n", c.about(), c.total())
	}
	b.WriteString("Ask in your own words and I'll find the question that answers it, with the matching part of the answer. Or:\n")
	fmt.Fprintf(&b, "• send a number — “3”, “q3”, “third question” — for a full answer (%s)\n", strings.TrimSuffix(strings.ToLower(c.rangeText()[:1])+c.rangeText()[1:], "."))
	b.WriteString("• after a list of choices, “the first one” or “2” picks one; after an answer, “more” goes on and “next question” reads the one after\n")
	b.WriteString("• /questions — the list of questions\n")
	b.WriteString("• /answer N — the full answer to question N\n")
	b.WriteString("• /ask QUESTION — ask a question\n")
	if c.ar != nil && c.ar.multi {
		b.WriteString("• numbers are questions of the current briefing: the one of your last answer, else the newest\n")
		b.WriteString("• 2020-06-12#3 — question 3 of the briefing of that day; /use 2020-06-12 — make it the current one\n")
		b.WriteString("• in:2020-06 QUESTION — search only that month (in:2020, in:2020-06-12, in:2020-03..2020-06 too)\n")
	}
	b.WriteString("• /help — this message")
	if !c.private {
		b.WriteString("\n\nIn a group, mention me or use /ask.")
	}
	return Reply{
		Kind:    ReplyHelp,
		Body:    []Span{{Text: b.String()}},
		Page:    1,
		Pages:   1,
		Source:  c.st.title,
		Actions: []Action{{ID: c.id(action{verb: verbList, page: 1}), Label: "All questions"}},
	}
}

// intro is the brief introduction posted once when the bot is added to a group. Most groups
// keep the platform's privacy mode on, in which the bot sees only commands, mentions of it and
// replies to its messages, so it names exactly those ways to ask.
func (c conv) intro() Reply {
	text := fmt.Sprintf("Hello! I answer questions about %s, from its %d numbered questions and answers. "+
		"To ask me here, send /ask followed by your question, mention me, or reply to one of my messages. "+
		"/questions lists them all; /help tells more.", c.about(), c.total())
	return Reply{Kind: ReplyHelp, Body: []Span{{Text: text}}, Page: 1, Pages: 1, Source: c.st.title,
		Actions: []Action{{ID: c.id(action{verb: verbList, page: 1}), Label: "All questions"}}}
}

// smallTalk is the short friendly reply to a greeting, thanks, a farewell or an "ok".
func (c conv) smallTalk(k talkKind) Reply {
	var text string
	switch k {
	case talkGreeting:
		text = "Hello! Ask me anything about " + c.about() + ", or send /help to see how."
	case talkThanks:
		text = "You're welcome! Ask another question any time."
	case talkBye:
		text = "Goodbye! Come back with more questions any time."
	case talkHowAreYou:
		text = "I'm fine, thank you! What would you like to know about " + c.about() + "?"
	case talkCheck:
		text = "Yes, I'm here. Ask me anything about " + c.about() + ", or send /questions for the list."
	default:
		text = "Anything else? Ask away, or send /questions for the list."
	}
	r := Reply{Kind: ReplySmallTalk, Body: []Span{{Text: text}}, Page: 1, Pages: 1, Source: c.st.title}
	if k == talkGreeting || k == talkHowAreYou || k == talkCheck {
		r.Actions = []Action{{ID: c.id(action{verb: verbList, page: 1}), Label: "All questions"}}
	}
	return r
}
