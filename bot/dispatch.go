package bot

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"transcriptbot/matcher"
)

// Dispatch: what a request is (a command, a number, a button, free text), and which reply
// builder answers it.

// fit cuts a fixed-text reply (help, a message) that is longer than the page limit, for
// adapters with very small limits; answers and lists fit by construction.
func (c conv) fit(r Reply) Reply {
	switch r.Kind {
	case ReplyAnswer, ReplyByNumber, ReplyList:
		return r // built to fit
	}
	if r.Pages > 1 || UTF16Len(r.Text()) <= c.lim.Body {
		return r
	}
	var m marked
	var text strings.Builder
	for _, s := range r.Body {
		if s.Highlight {
			m.hl = append(m.hl, matcher.Highlight{Start: text.Len(), End: text.Len() + len(s.Text)})
		}
		text.WriteString(s.Text)
	}
	m.text = text.String()
	r.Body = fitSpans(m, c.lim.Body)
	return r
}

// handle answers req with the transcript version and limits of c.
func (c conv) handle(req Request) Reply {
	b := c.b
	switch req.Kind {
	case KindButton:
		return c.button(req.Action)
	case KindJoined:
		return c.intro()
	case KindCommand:
		if msg := validate(req.Text, b.opts.MaxInput); msg != "" && strings.TrimSpace(req.Text) != "" {
			return c.invalid(msg)
		}
		return c.command(req.Command, strings.TrimSpace(req.Text))
	}
	if msg := validate(req.Text, b.opts.MaxInput); msg != "" {
		return c.invalid(msg)
	}
	if !req.IsReply {
		if name, arg, ok := rawCommand(req.Text); ok {
			return c.command(name, arg)
		}
	}
	return c.text(req.Text)
}

// validate returns why text is not acceptable input, or "" when it is.
func validate(text string, maxRunes int) string {
	if !utf8.ValidString(text) {
		return "That message is not valid text. Please type it again."
	}
	if n := utf8.RuneCountInString(text); n > maxRunes {
		return fmt.Sprintf("That message is too long (%d characters). Please keep questions under %d characters.", n, maxRunes)
	}
	blank := true
	for _, r := range text {
		if r == '\n' || r == '\t' || r == '\r' {
			continue
		}
		if unicode.IsControl(r) {
			return "That message contains control characters. Please send plain text."
		}
		if !unicode.IsSpace(r) {
			blank = false
		}
	}
	if blank {
		return "Please type a question, or send /help to see what I can do."
	}
	return ""
}

// rawCommand splits "/answer 3" (or "/answer@SomeBot 3") into name and argument.
func rawCommand(text string) (name, arg string, ok bool) {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, "/") || len(text) < 2 {
		return "", "", false
	}
	name, arg, _ = strings.Cut(text[1:], " ")
	if i := strings.IndexAny(name, "\n\t"); i >= 0 {
		name, arg = name[:i], name[i+1:]+" "+arg
	}
	name, _, _ = strings.Cut(name, "@")
	return name, strings.TrimSpace(arg), true
}

// command answers a command by name (without slash), with its argument.
func (c conv) command(name, arg string) Reply {
	name = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(name), "/"))
	name, _, _ = strings.Cut(name, "@")
	switch name {
	case "start":
		if arg != "" {
			if r, ok := c.deepLink(arg); ok {
				return r
			}
		}
		return c.help(true)
	case "help":
		return c.help(false)
	case "ask":
		if arg == "" {
			return c.invalid("Type your question after /ask, for example: /ask " + c.exampleQuery() + "\n\n" + c.rangeText())
		}
		return c.text(arg)
	case "answer", "a", "q", "question":
		if arg == "" {
			return c.invalid("Which question? Send /answer with its number, for example /answer 1. " + c.rangeText())
		}
		return c.numberArg(arg)
	case "questions", "list":
		page := 1
		if arg != "" {
			n, ok := parseCount(arg)
			if !ok {
				return c.invalid(fmt.Sprintf("“%s” is not a page number. Send /questions for the first page.", cutWords(arg, 40)))
			}
			page = n
		}
		return c.list(page, true)
	}
	if base, rest, ok := strings.Cut(name, "_"); ok && rest != "" {
		switch base {
		case "q", "answer", "question", "a": // "/answer_3", "/q_3": commands cannot hold spaces
			return c.numberArg(rest)
		}
	}
	if rest, ok := strings.CutPrefix(name, "q"); ok && rest != "" {
		if rest[0] >= '0' && rest[0] <= '9' {
			return c.numberArg(rest)
		}
	}
	if name != "" && name[0] >= '0' && name[0] <= '9' {
		return c.numberArg(name) // "/3"
	}
	if !isCommandName(name) {
		return c.invalid("I don't know that command. Send /help to see what I can do.")
	}
	return c.invalid(fmt.Sprintf("I don't know the command /%s. Send /help to see what I can do.", name))
}

// isCommandName reports whether name looks like a command: 1–32 letters, digits or "_".
func isCommandName(name string) bool {
	if name == "" || utf8.RuneCountInString(name) > 32 {
		return false
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
			return false
		}
	}
	return true
}

// deepLink answers a /start payload: "q3", "3" or another number request opens the answer.
func (c conv) deepLink(payload string) (Reply, bool) {
	if nr, ok := parseNumberRequest(strings.ReplaceAll(payload, "_", " "), c.total(), c.st.named); ok {
		return c.numberReply(nr), true
	}
	return Reply{}, false
}

// numberArg answers the argument of /answer or /qN, which must be a number.
func (c conv) numberArg(arg string) Reply {
	nr, ok := parseNumberRequest("answer "+arg, c.total(), c.st.named) // the command names the question
	if !ok {
		return c.invalid(fmt.Sprintf("“%s” is not a question number. %s To ask in your own words, use /ask.", cutWords(arg, 40), c.rangeText()))
	}
	return c.numberReply(nr)
}

// text answers a message typed by the user.
func (c conv) text(text string) Reply {
	if k := smallTalk(text); k != talkNone {
		return c.smallTalk(k)
	}
	if nr, ok := parseNumberRequestText(text, c.total(), c.st.named, c.st.content); ok {
		return c.numberReply(nr)
	}
	if isListRequest(text) {
		return c.list(1, false)
	}
	if isHelpRequest(text) {
		return c.help(false)
	}
	return c.match(text)
}

// isListRequest reports whether text just asks for the questions ("questions", "list",
// "list of questions", "show all questions").
func isListRequest(text string) bool {
	if len(text) > 40 {
		return false
	}
	switch strings.Join(talkWords(text, nil), " ") {
	case "questions", "list", "list questions", "list of questions", "all questions",
		"show questions", "show all questions", "show me the questions", "the questions",
		"what are the questions", "which questions", "menu", "index", "contents":
		return true
	}
	return false
}

// isHelpRequest reports whether text just asks for help.
func isHelpRequest(text string) bool {
	if len(text) > 40 {
		return false
	}
	switch strings.Join(talkWords(text, nil), " ") {
	case "help", "help me", "start", "what can you do", "how does this work", "how do i use this",
		"who are you", "what are you", "commands":
		return true
	}
	return false
}

// invalid is a ReplyInvalid with msg.
func (c conv) invalid(msg string) Reply {
	return Reply{Kind: ReplyInvalid, Body: []Span{{Text: msg}}, Page: 1, Pages: 1, Source: c.st.title,
		Actions: []Action{{ID: c.id(action{verb: verbList, page: 1}), Label: "All questions"}}}
}
