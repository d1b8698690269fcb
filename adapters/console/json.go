package console

import (
	"encoding/json"
	"strings"

	"transcriptbot/bot"
)

// JSONReply is one line of JSON output (Options.JSON): the reply to one input line, as data.
type JSONReply struct {
	// Line is the input line's number, from 1; Input is the line as read.
	Line  int    `json:"line"`
	Input string `json:"input"`
	// Kind is the reply's kind (bot.ReplyKind.String(): "answer", "by-number", "ambiguous",
	// "not-covered", "list", "help", "small-talk", "invalid", "expired", "error", "throttled",
	// "silent"), or the console's own "no-choice" (a "[N]" with no such choice) or "quit".
	Kind string `json:"kind"`
	// Number and Question identify the question answered (0 and "" when none).
	Number   int    `json:"number"`
	Question string `json:"question"`
	// Text is the reply's text; Highlights are its matched words, in order.
	Text       string   `json:"text"`
	Highlights []string `json:"highlights"`
	// Page and Pages number the pages of a long answer or list (1 and 1 otherwise).
	Page  int `json:"page"`
	Pages int `json:"pages"`
	// Actions are the reply's buttons. The next input line presses one with "[Choice]" or
	// "/press ID".
	Actions []JSONAction `json:"actions"`
}

// JSONAction is a button of a JSONReply.
type JSONAction struct {
	Choice int    `json:"choice"`
	ID     string `json:"id"`
	Label  string `json:"label"`
	// Question is the question the button opens, 0 for other buttons.
	Question int `json:"question"`
}

// newJSONReply converts the reply to input line n.
func newJSONReply(n int, input string, r bot.Reply, actions []JSONAction) JSONReply {
	out := JSONReply{
		Line: n, Input: input, Kind: r.Kind.String(),
		Number: r.Number, Question: r.Question, Text: r.Text(),
		Highlights: []string{}, Page: max(r.Page, 1), Pages: max(r.Pages, 1), Actions: actions,
	}
	for _, s := range r.Body {
		if s.Highlight && strings.TrimSpace(s.Text) != "" {
			out.Highlights = append(out.Highlights, s.Text)
		}
	}
	return out
}

// own is a JSON line for what the console answers itself ("no-choice", "quit", "silent"),
// with the given buttons.
func (a *Adapter) own(input, kind, text string, acts []bot.Action) JSONReply {
	return JSONReply{Line: a.lineNo, Input: input, Kind: kind, Text: text, Highlights: []string{},
		Page: 1, Pages: 1, Actions: a.jsonActions(acts)}
}

// jsonActions numbers the buttons as the choices "[1]", "[2]", ...
func (a *Adapter) jsonActions(acts []bot.Action) []JSONAction {
	out := make([]JSONAction, 0, len(acts))
	for i, act := range acts {
		out = append(out, JSONAction{Choice: i + 1, ID: act.ID, Label: act.Label, Question: act.Question()})
	}
	return out
}

// writeJSON writes v as one line of JSON.
func (a *Adapter) writeJSON(v JSONReply) error {
	enc := json.NewEncoder(a.out)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
