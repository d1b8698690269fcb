// Package evaluate measures answer quality as the user sees it: it sends each labelled query
// of an evaluation set through the bot core, as a private message, and classifies the reply
// (an answer, a "did you mean" menu, "not covered", or something else), so that number
// requests, small talk and every decision the bot takes on top of the matcher count.
//
// # File format
//
// An evaluation set is UTF-8 text, one query per line, three tab-separated fields:
//
//	expected<TAB>kind<TAB>query
//
// expected is the question number that answers the query, or several separated by commas
// (any of them is right; the first is the best), or 0 when the transcript has no answer (the
// query is out of scope). For an archive of briefings the numbers follow the briefing's id
// and '#' ("2020-06-12-sco#3,5"): a reply is right only from that briefing. kind labels the query for the per-kind table: P paraphrase of the
// question, A fact found only in an answer, K bare keywords, T typo, C chatty message,
// N a question asked for by number in free text, O out of scope (any other label is reported
// as it is). The query is the rest of the line, tabs included. Blank lines and lines whose
// first non-blank character is '#' are skipped; a byte-order mark is ignored. Parse reports
// the first malformed line as a *ParseError.
//
// # Measures
//
// Each reply is classified (see Outcome) and ranked: the rank of the first expected question
// in what the reply offers — the answer then its "Other matches", the menu in its order, or
// the nearest questions of "not covered". Over a set, per kind and pooled over several sets
// (see Summary):
//
//   - top-1: answerable queries whose right question was answered, or came first in the menu;
//   - direct-correct: answerable queries whose right question was answered with no menu;
//   - confident-wrong: answers with a wrong question, out-of-scope queries included, as a
//     share of all queries;
//   - menu rate: menus, as a share of all queries;
//   - false "not covered": answerable queries declined ("not covered", or any reply that is
//     neither an answer nor a menu);
//   - out of scope declined: out-of-scope queries given neither an answer nor a menu;
//   - MRR: the mean over answerable queries of 1/rank (0 when the right question is not
//     offered at all).
package evaluate

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"

	"transcriptbot/bot"
)

// Handler is what the evaluator needs of the bot: *bot.Bot, or a scripted one in tests.
type Handler interface {
	Handle(ctx context.Context, req bot.Request) bot.Reply
}

var _ Handler = (*bot.Bot)(nil)

// Outcome is what the user got, relative to the expected questions.
type Outcome int

// Outcomes. For an out-of-scope query every answer is AnsweredWrong and every menu
// MenuAbsent; NotCovered and Declined are both "declined".
const (
	AnsweredRight Outcome = iota // an answer (free text or by number) with an expected question
	AnsweredWrong                // an answer with another question
	MenuFirst                    // a menu whose first choice is expected
	MenuLower                    // a menu with an expected question below the first
	MenuAbsent                   // a menu without any expected question
	NotCovered                   // "the transcript does not cover that"
	Declined                     // another reply: small talk, help, the list, invalid input, an error
)

var outcomeNames = [...]string{"answered right", "answered wrong", "menu, right first",
	"menu, right lower", "menu, right absent", "not covered", "declined"}

// String returns the outcome's name ("answered right", "menu, right first", ...).
func (o Outcome) String() string {
	if o >= 0 && int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// MarshalText returns the outcome's name, for JSON.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// Result is one case and what its query got.
type Result struct {
	Case Case `json:"case"`
	// Reply is the reply's kind ("answer", "ambiguous", "not-covered", ...).
	Reply string `json:"reply"`
	// Number is the question answered (a ReplyAnswer or ReplyByNumber), else 0.
	Number int `json:"number,omitempty"`
	// Offered are the questions the reply offers, in order: the answer then its other
	// matches, the menu's choices, or the nearest questions of "not covered".
	Offered []int   `json:"offered,omitempty"`
	Outcome Outcome `json:"outcome"`
	// Rank is the 1-based position of the first expected question in Offered; 0 when none is
	// there or the query is out of scope.
	Rank int `json:"rank,omitempty"`

	kind bot.ReplyKind
}

// Miss reports whether the user did not get the best outcome: an answerable query not
// answered right with no menu, or an out-of-scope query answered or given a menu.
func (r Result) Miss() bool {
	if r.Case.Answerable() {
		return r.Outcome != AnsweredRight
	}
	return !r.Outcome.declined()
}

// declined reports whether the outcome is neither an answer nor a menu.
func (o Outcome) declined() bool { return o == NotCovered || o == Declined }

// menu reports whether the outcome is a menu.
func (o Outcome) menu() bool { return o == MenuFirst || o == MenuLower || o == MenuAbsent }

// Classify returns what reply means for case c.
func Classify(c Case, reply bot.Reply) Result {
	r := Result{Case: c, Reply: reply.Kind.String(), kind: reply.Kind}
	if c.Briefing != "" && reply.Briefing != c.Briefing {
		// Another briefing's questions are not the expected ones, whatever their numbers.
		c.Expected = nil
	}
	switch reply.Kind {
	case bot.ReplyAnswer, bot.ReplyByNumber:
		r.Number = reply.Number
		r.Offered = append([]int{reply.Number}, reply.Others...)
		r.Outcome = AnsweredWrong
		if slices.Contains(c.Expected, reply.Number) {
			r.Outcome = AnsweredRight
		}
	case bot.ReplyAmbiguous:
		r.Offered = slices.Clone(reply.Choices)
		switch {
		case len(r.Offered) > 0 && slices.Contains(c.Expected, r.Offered[0]):
			r.Outcome = MenuFirst
		case slices.ContainsFunc(r.Offered, func(n int) bool { return slices.Contains(c.Expected, n) }):
			r.Outcome = MenuLower
		default:
			r.Outcome = MenuAbsent
		}
	case bot.ReplyNotCovered:
		r.Offered = slices.Clone(reply.Choices)
		r.Outcome = NotCovered
	default:
		r.Outcome = Declined
	}
	for i, n := range r.Offered {
		if slices.Contains(c.Expected, n) {
			r.Rank = i + 1
			break
		}
	}
	return r
}

// runs numbers the calls of Run, so that each call's chats are new to a handler that has
// already answered another set's (eval runs several files through one bot).
var runs atomic.Int64

// Run sends each case's query to h as a private text message, each from a chat of its own
// (so no query is read in the context of another, of this call or an earlier one), and
// classifies the replies. It stops early, with ctx's error, when ctx is done.
func Run(ctx context.Context, h Handler, cases []Case) ([]Result, error) {
	out := make([]Result, 0, len(cases))
	run := runs.Add(1)
	for i, c := range cases {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		id := fmt.Sprintf("eval-%d-%d", run, i+1)
		reply := h.Handle(ctx, bot.Request{Kind: bot.KindMessage, Platform: "eval", Text: c.Query,
			Private: true, UserID: id, ChatID: id})
		out = append(out, Classify(c, reply))
	}
	return out, nil
}
