package bot

import (
	"strconv"
	"strings"
)

// ReplyKind is the outcome, used by adapters (ephemeral replies) and metrics.
type ReplyKind int

// Reply kinds.
const (
	ReplyAnswer     ReplyKind = iota // a matched free-text question: excerpt with highlights
	ReplyByNumber                    // an answer asked for by number: full answer, paged
	ReplyAmbiguous                   // "did you mean": Actions hold the choices
	ReplyNotCovered                  // the transcript does not cover it: Actions hold nearest
	ReplyList                        // the list of questions, paged
	ReplyHelp                        // help / start text
	ReplySmallTalk                   // greeting or thanks
	ReplyInvalid                     // bad input: empty, too long, control chars, bad number
	ReplyExpired                     // stale or forged button id
	ReplyError                       // internal failure (details logged, short apology shown)
	ReplyThrottled                   // flood control: "slow down", sent once per cooldown
	ReplySilent                      // flood control: muted, the adapter sends nothing
)

// String returns the kind's name ("answer", "by-number", ...), for logs.
func (k ReplyKind) String() string {
	names := [...]string{"answer", "by-number", "ambiguous", "not-covered", "list", "help",
		"small-talk", "invalid", "expired", "error", "throttled", "silent"}
	if k >= 0 && int(k) < len(names) {
		return names[k]
	}
	return "ReplyKind(" + strconv.Itoa(int(k)) + ")"
}

// Span is a piece of body text; Highlight marks matched words (render bold). Paragraph
// breaks are "\n\n" inside span text.
type Span struct {
	Text      string
	Highlight bool
}

// Action is a button the adapter offers. ID is at most 64 bytes and versioned with the
// transcript hash; pass it back as Request.Action when pressed.
type Action struct {
	ID    string
	Label string
}

// Reply is what the bot says, without markup.
type Reply struct {
	Kind ReplyKind
	// Number and Question identify the question answered (0 and "" when none). Question is
	// already cut to Limits.Title.
	Number   int
	Question string
	// Body is this page's text.
	Body []Span
	// Page and Pages are 1-based; Pages > 1 means the adapter must show PageLabel().
	Page, Pages int
	Actions     []Action
	// Choices are the question numbers a ReplyAmbiguous offers ("did you mean", best first) or
	// a ReplyNotCovered names as the nearest, in the order of their Actions; Others are the
	// questions behind a ReplyAnswer's "Other matches" action. Adapters render the Actions;
	// these say the same for programs that measure what the user was offered (bot/evaluate).
	Choices []int
	Others  []int
	// Source names the transcript (its title), for footers; in archive mode with more than
	// one briefing, its title and date.
	Source string
	// Briefing and Date name the briefing the reply comes from, in archive mode (NewArchive):
	// its id and its date (2020-06-12, or ""). Both are "" for a bot of one transcript.
	Briefing string
	Date     string
}

// PageLabel returns "(2/3)", or "" for a single page.
func (r Reply) PageLabel() string {
	if r.Pages <= 1 {
		return ""
	}
	return "(" + strconv.Itoa(r.Page) + "/" + strconv.Itoa(r.Pages) + ")"
}

// Text returns the body as plain text.
func (r Reply) Text() string {
	if len(r.Body) == 1 {
		return r.Body[0].Text
	}
	var b strings.Builder
	for _, s := range r.Body {
		b.WriteString(s.Text)
	}
	return b.String()
}
