package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Follow-ups: messages that refer to the bot's last menu or answer in the conversation (one
// user in one chat, see Options.Turns). They are read like this:
//
//   - "the first one", "first", "the 2nd", "second one", "option 2", "choice 2", "the last
//     one": that choice of the last menu (did-you-mean, nearest questions, other matches, or
//     the page of the list shown), counted from the top.
//   - a bare number, "2": after a did-you-mean or nearest-questions menu of k choices, choice 2
//     when 2 <= k and question 2 is not itself one of the choices (the reply's title names the
//     question it opens); otherwise, and always after the list of questions (whose lines are
//     numbered by question), question 2. "question 2", "q2", "#2" and /answer 2 always mean
//     question 2.
//   - "yes", "yeah", "yes please", "that one": after "Did you mean…", its first choice.
//   - "no", "none of these", "neither": after "Did you mean…", as the "None of these" button.
//   - "more", "tell me more", "go on", "next", "continue", "full answer": after an answer's
//     excerpt, the full answer; after a page of a long answer or of the list, the next page;
//     at the end, or with nothing to go on from, a short note saying so.
//   - "back", "previous", "previous page": the page before, of a long answer or of the list.
//   - "next question", "the next one", "and the next?", "the one after that": after an answer,
//     the question after the one answered; "previous question", "the one before that": the
//     question before it. Past either end, a short note saying so. Without an answer to go on
//     from they keep their plain meaning.
//
// A message replying to one of the bot's menus (Request.InReplyTo, from a Telegram reply)
// picks from that menu rather than the last one remembered, and "next question" replying to
// one of its answers counts from that answer. Without a remembered menu or
// answer these messages keep their plain meaning ("the first one" is question 1).

// followKind is what a follow-up asks for.
type followKind int

const (
	followNone   followKind = iota
	followChoice            // a choice of the last menu
	followYes               // "yes": the first choice of a did-you-mean
	followNo                // "no": none of these
	followMore              // "more": the full answer or the next page
	followBack              // "back": the previous page
	followNext              // "next question": the question after the one answered
	followPrev              // "previous question": the question before it
)

// followUp is a parsed follow-up message.
type followUp struct {
	kind followKind
	n    int  // followChoice: the choice, 1-based; lastChoice for "the last one"
	bare bool // followChoice: a bare number, which may be a question number instead
}

// lastChoice stands for "the last one".
const lastChoice = -1

var (
	yesPhrases = setOf("yes", "yeah", "yep", "yup", "yea", "ya", "y", "sure", "yes please",
		"yes that one", "that one", "this one", "correct", "right", "exactly", "yes exactly",
		"that's it", "thats it", "that's the one", "yes it is", "yes i did", "i did", "indeed",
		"ok yes", "okay yes", "yes yes", "yes that", "yes that's it", "absolutely", "of course")
	noPhrases = setOf("no", "nope", "nah", "neither", "none", "none of these", "none of them",
		"none of those", "no none of these", "no none of them", "neither of them", "no neither",
		"not those", "not these", "no thanks", "none of the above", "something else")
	morePhrases = setOf("more", "tell me more", "more please", "go on", "continue", "next",
		"next page", "keep going", "the rest", "rest", "read more", "show more", "more details",
		"full answer", "the full answer", "show the full answer", "show full answer",
		"whole answer", "the whole answer", "all of it", "and then", "what else", "go ahead",
		"carry on", "more info", "more information", "tell me more about it", "and",
		"continue please", "next please", "more of it", "full", "expand", "elaborate",
		"see more", "the full text", "full text", "give me more", "i want more", "what next")
	backPhrases = setOf("back", "go back", "previous", "previous page", "prev", "the previous page",
		"page back", "back please", "previous please", "one page back")
	// nextPhrases and prevPhrases name the question after or before the one last answered,
	// read after talkWords has dropped chat noise and punctuation ("and the next one?").
	nextPhrases = setOf("next question", "the next question", "next one", "the next one",
		"and the next one", "and the next", "and the next question", "the next", "next q",
		"the next q", "next qn", "the one after", "the one after that", "the question after",
		"the question after that", "the following question", "following question",
		"the following one", "what about the next one", "what about the next question",
		"what was the next question", "whats the next question", "what's the next question",
		"what was the next one", "what came next", "what was asked next", "next question please",
		"next one please", "the next one please", "and after that", "ok next question",
		"ok next one", "now the next one", "now the next question", "go to the next question",
		"on to the next question", "onto the next question", "skip to the next question")
	prevPhrases = setOf("previous question", "the previous question", "previous one",
		"the previous one", "the one before", "the one before that", "the question before",
		"the question before that", "and the one before", "and the previous one",
		"and the previous question", "what was the previous question", "whats the previous question",
		"what's the previous question", "what was the question before that", "prev question",
		"the preceding question", "preceding question", "go to the previous question",
		"back to the previous question")
	// choiceFillers may surround a choice ("yes, the second one please", "I mean the first").
	choiceFillers = setOf("the", "one", "option", "choice", "please", "pls", "plz", "ok",
		"okay", "yes", "yeah", "i", "mean", "meant", "want", "take", "pick", "that", "go", "with",
		"um", "uh", "oh", "hmm", "let's", "lets", "show", "me", "give", "then", "select", "choose")
	// choiceOrdinals are the position words a menu choice can be named by.
	choiceOrdinals = map[string]int{
		"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
		"seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "top": 1, "last": lastChoice,
		"bottom": lastChoice, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6,
		"7th": 7, "8th": 8, "9th": 9, "10th": 10,
	}
)

func setOf(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, s := range items {
		m[s] = true
	}
	return m
}

// parseFollowUp reads text as a follow-up, or returns followNone.
func parseFollowUp(text string) followUp {
	if len(text) > 60 {
		return followUp{}
	}
	words := talkWords(text, nil)
	if len(words) == 0 || len(words) > 8 {
		return followUp{}
	}
	joined := strings.Join(words, " ")
	switch {
	case yesPhrases[joined]:
		return followUp{kind: followYes}
	case noPhrases[joined]:
		return followUp{kind: followNo}
	case morePhrases[joined]:
		return followUp{kind: followMore}
	case backPhrases[joined]:
		return followUp{kind: followBack}
	case nextPhrases[joined]:
		return followUp{kind: followNext}
	case prevPhrases[joined]:
		return followUp{kind: followPrev}
	}
	// A choice: one position word or number among fillers.
	f := followUp{}
	explicit := false
	for _, w := range words {
		if w == "option" || w == "choice" {
			explicit = true
		}
		if choiceFillers[w] {
			continue
		}
		if f.kind != followNone {
			return followUp{} // a second position, or other words
		}
		if n, ok := choiceOrdinals[w]; ok {
			f = followUp{kind: followChoice, n: n}
			continue
		}
		if n, ok := parseCount(w); ok && n <= 1000 {
			f = followUp{kind: followChoice, n: n, bare: true}
			continue
		}
		return followUp{}
	}
	if explicit {
		f.bare = false
	}
	return f
}

// followUpReply answers req as a follow-up of the conversation's last turn, or returns false
// when req is not one (or there is nothing it could follow).
func (c conv) followUpReply(ctx context.Context, req Request, key string) (Reply, bool) {
	switch req.Kind {
	case KindMessage, KindMention:
	case KindCommand:
		if strings.ToLower(req.Command) != "ask" {
			return Reply{}, false
		}
	default:
		return Reply{}, false
	}
	if req.IsReply || validate(req.Text, c.b.opts.MaxInput) != "" {
		return Reply{}, false
	}
	f := parseFollowUp(req.Text)
	if f.kind == followNone {
		return Reply{}, false
	}
	if f.kind == followNext || f.kind == followPrev {
		// A reply to one of the bot's answers counts from that answer, whoever asked it.
		if n, ok := answerOf(req.InReplyTo, c.st.version); ok {
			return c.follow(f, turn{version: c.st.version, kind: ReplyByNumber, number: n})
		}
	} else if f.kind != followMore && f.kind != followBack {
		if t, ok := menuOf(req.InReplyTo, c.st.version); ok {
			return c.follow(f, t)
		}
	}
	t, ok := c.b.loadTurn(ctx, key, c.st.version)
	if !ok {
		if f.kind == followMore || f.kind == followBack {
			return c.note("I have no earlier answer here to go on from. Ask a question in your own words, or send /questions for the list."), true
		}
		return Reply{}, false
	}
	return c.follow(f, t)
}

// follow answers follow-up f of turn t.
func (c conv) follow(f followUp, t turn) (Reply, bool) {
	isMenu := t.kind == ReplyAmbiguous || t.kind == ReplyNotCovered || t.kind == ReplyList
	switch f.kind {
	case followChoice:
		if !isMenu || len(t.choices) == 0 {
			return Reply{}, false
		}
		n := f.n
		if f.bare && (t.kind == ReplyList || containsInt(t.choices, n) || n > len(t.choices)) {
			return Reply{}, false // a question number
		}
		if n == lastChoice {
			n = len(t.choices)
		}
		if n < 1 || n > len(t.choices) {
			r := c.menuAgain(t, fmt.Sprintf("There is no choice %d: the last list offered %s. Pick one below, or say “the first one”.", n, choiceRange(len(t.choices))))
			r.Kind = ReplyInvalid
			return r, true
		}
		return c.open(t.choices[n-1]), true
	case followYes:
		if t.kind != ReplyAmbiguous || len(t.choices) == 0 {
			return Reply{}, false
		}
		return c.open(t.choices[0]), true
	case followNo:
		if t.none == "" {
			return Reply{}, false
		}
		return c.button(t.none), true
	case followMore:
		if t.more != "" {
			return c.button(t.more), true
		}
		switch {
		case t.kind == ReplyByNumber && t.number >= 1 && t.number <= c.total():
			return c.note(fmt.Sprintf("That was the whole answer to question %d. Ask another question, or send /questions for the list.", t.number)), true
		case t.kind == ReplyList:
			return c.note("That was the end of the list of questions. Send a number to read an answer."), true
		case isMenu && len(t.choices) > 0:
			return c.menuAgain(t, "Pick one of these questions — tap it or say “the first one” — or ask in other words."), true
		}
		return c.note("I have no earlier answer here to go on from. Ask a question in your own words, or send /questions for the list."), true
	case followBack:
		if t.back != "" {
			return c.button(t.back), true
		}
		return c.note("There is no page before this one. Say “more” for the next page, or ask another question."), true
	case followNext, followPrev:
		if t.kind != ReplyAnswer && t.kind != ReplyByNumber || t.number < 1 || t.number > c.total() {
			return Reply{}, false // nothing answered to count from: the plain meaning
		}
		n := t.number + 1
		if f.kind == followPrev {
			n = t.number - 1
		}
		switch {
		case n > c.total():
			return c.note(fmt.Sprintf("Question %d was the last one. %s Ask another question, or send /questions for the list.", t.number, c.rangeText())), true
		case n < 1:
			return c.note("Question 1 was the first one. Say “next question” for question 2, or send /questions for the list."), true
		}
		return c.open(n), true
	}
	return Reply{}, false
}

// menuOf reads the menu a message replied to offered, from its buttons' action ids: the
// questions it offered and its "None of these". It is a did-you-mean menu when it has "None of
// these"; any other (nearest questions, the list) is read as the list, so a bare number stays
// a question number. Buttons of an answer (pages, other matches), of another transcript
// version or none at all are no menu.
func menuOf(ids []string, version string) (turn, bool) {
	t := turn{version: version, kind: ReplyList, page: 1, pages: 1}
	for _, id := range ids {
		a, ok := parseAction(id, version)
		if !ok {
			continue
		}
		switch a.verb {
		case verbFull:
			t.choices = append(t.choices, a.n)
		case verbNone:
			t.none, t.kind = id, ReplyAmbiguous
		case verbPage, verbOther:
			return turn{}, false // an answer's buttons
		}
	}
	return t, len(t.choices) > 0
}

// answerOf reads the question an answer replied to answered, from its buttons' action ids:
// a page of a long answer names it, and so does the "Full answer" of an excerpt (with "Other
// matches" or alone). A menu's buttons (several questions, "None of these", "All questions")
// or none name no answer.
func answerOf(ids []string, version string) (int, bool) {
	full := 0
	for _, id := range ids {
		a, ok := parseAction(id, version)
		if !ok {
			continue
		}
		switch a.verb {
		case verbPage:
			return a.n, true
		case verbNone, verbList:
			return 0, false
		case verbFull:
			if full != 0 && full != a.n {
				return 0, false // several questions offered: a menu
			}
			full = a.n
		}
	}
	return full, full != 0
}

// open is the full answer to question n, or expired when the transcript has no question n.
func (c conv) open(n int) Reply {
	if n < 1 || n > c.total() {
		return c.st.expired()
	}
	return c.byNumber(n, 1, false)
}

// menuAgain repeats the choices of turn t under text.
func (c conv) menuAgain(t turn, text string) Reply {
	r := Reply{Kind: t.kind, Source: c.st.title, Page: 1, Pages: 1, Body: []Span{{Text: text}}}
	var nums []int
	for _, n := range t.choices {
		if n >= 1 && n <= c.total() {
			nums = append(nums, n)
		}
	}
	for i, label := range c.menuLabels(nums, "") {
		r.Actions = append(r.Actions, Action{ID: c.id(action{verb: verbFull, n: nums[i]}), Label: label})
	}
	if t.none != "" {
		r.Actions = append(r.Actions, Action{ID: t.none, Label: "None of these"})
	}
	return r
}

// note is a short guidance reply, offering the list.
func (c conv) note(text string) Reply {
	return Reply{Kind: ReplyHelp, Source: c.st.title, Page: 1, Pages: 1, Body: []Span{{Text: text}},
		Actions: []Action{{ID: c.id(action{verb: verbList, page: 1}), Label: "All questions"}}}
}

// choiceRange is "only one choice" or "choices 1–3".
func choiceRange(k int) string {
	if k == 1 {
		return "only one choice"
	}
	return "choices 1–" + strconv.Itoa(k)
}

// loadTurn returns the conversation's last turn, when there is one for this transcript
// version. Store failures are logged and read as no turn: the message is then answered
// without context.
func (b *Bot) loadTurn(ctx context.Context, key, version string) (turn, bool) {
	if key == "" || b.turns == nil {
		return turn{}, false
	}
	p, ok, err := b.turns.LoadTurn(ctx, key)
	if err != nil {
		b.log.Warn("bot: conversation store failed; answering without context", "err", err)
		return turn{}, false
	}
	if !ok {
		return turn{}, false
	}
	t, err := decodeTurn(p)
	if err != nil || t.version != version {
		return turn{}, false // another format, or an older transcript
	}
	return t, true
}

// saveTurn remembers r as the conversation's last turn, when it is a menu or an answer.
func (b *Bot) saveTurn(ctx context.Context, key, version string, r Reply) {
	if key == "" || b.turns == nil || !remembered(r.Kind) {
		return
	}
	if err := b.turns.SaveTurn(ctx, key, turnOf(r, version).encode(), b.turnTTL); err != nil {
		b.log.Warn("bot: conversation store failed; the next follow-up will lack context", "err", err)
	}
}
