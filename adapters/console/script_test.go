package console

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"transcriptbot/bot"
)

// paragraphBot replies in one paragraph (no blank line inside), so that a script's replies
// can be counted by the blank lines between them. "menu" offers two choices; "list" is a
// list of questions whose buttons are two questions and a next page.
type paragraphBot struct{ reqs []bot.Request }

func (p *paragraphBot) Handle(_ context.Context, req bot.Request) bot.Reply {
	p.reqs = append(p.reqs, req)
	switch {
	case req.Kind == bot.KindButton:
		return bot.Reply{Kind: bot.ReplyByNumber, Body: []bot.Span{{Text: "pressed " + req.Action}}}
	case req.Text == "menu":
		return bot.Reply{Kind: bot.ReplyAmbiguous, Body: []bot.Span{{Text: "Did you mean:"}},
			Actions: []bot.Action{{ID: "v1:f:8", Label: "8. Eighth"}, {ID: "v1:f:3", Label: "3. Third"}}}
	case req.Kind == bot.KindCommand && req.Command == "questions":
		return bot.Reply{Kind: bot.ReplyList, Page: 1, Pages: 2, Body: []bot.Span{{Text: "1. One\n2. Two"}},
			Actions: []bot.Action{{ID: "v1:f:1", Label: "1. One"}, {ID: "v1:f:2", Label: "2. Two"}, {ID: "v1:l:2", Label: "Next ▶"}}}
	case req.Text == "flood":
		return bot.Reply{Kind: bot.ReplySilent}
	case strings.TrimSpace(req.Text) == "":
		return bot.Reply{Kind: bot.ReplyInvalid, Body: []bot.Span{{Text: "Please type a question."}},
			Actions: []bot.Action{{ID: "v1:l:1", Label: "All questions"}}}
	default:
		return bot.Reply{Kind: bot.ReplySmallTalk, Body: []bot.Span{{Text: "reply to " + req.Text}}}
	}
}

// script is the input of the scripted tests: every kind of line, blank ones included.
var script = []string{"hello", "", "menu", "   ", "[2]", "[9]", "flood", "[0]", "/questions", "[1]", "/press v1:f:5", "bye"}

func TestScriptOneReplyPerLine(t *testing.T) {
	var out strings.Builder
	p := &paragraphBot{}
	if err := New(p, strings.NewReader(strings.Join(script, "\n")+"\n"), &out, Options{}).Run(context.Background()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	got := out.String()
	if !strings.HasSuffix(got, "\n\n") {
		t.Fatalf("the last reply is not followed by a blank line: %q", got)
	}
	// Flood control's silence is the one line that gets no reply, as on every platform
	// (chat runs no flood control: it never happens there).
	replies := strings.Split(strings.TrimSuffix(got, "\n\n"), "\n\n")
	replies = append(replies[:6], append([]string{""}, replies[6:]...)...)
	if len(replies) != len(script) {
		t.Fatalf("%d input lines got %d replies:\n%s", len(script), len(replies), got)
	}
	want := map[int]string{
		1:  "Please type a question.\n", // a blank line is answered, without changing the menu
		4:  "pressed v1:f:3\n",          // so [2] still is the second choice of "menu"
		5:  "There is no choice [9]: pick [1] to [2]. To read question 9, type 9 without brackets.",
		6:  "",                                    // silenced by flood control: an empty reply, still one
		8:  "1. One\n2. Two\n(1/2)\n  [1] Next ▶", // the list's questions are not repeated as choices
		9:  "pressed v1:l:2\n",
		10: "pressed v1:f:5\n",
	}
	for i, w := range want {
		if strings.TrimSuffix(replies[i], "\n") != strings.TrimSuffix(w, "\n") {
			t.Errorf("reply to line %d %q: got %q, want %q", i+1, script[i], replies[i], w)
		}
	}
}

func TestScriptJSON(t *testing.T) {
	var out strings.Builder
	p := &paragraphBot{}
	in := strings.Join(append(script, "/quit", "never read"), "\n") + "\n"
	if err := New(p, strings.NewReader(in), &out, Options{JSON: true, Interactive: true, Color: true}).Run(context.Background()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != len(script)+1 {
		t.Fatalf("%d input lines (with /quit) got %d lines of output:\n%s", len(script)+1, len(lines), out.String())
	}
	var got []JSONReply
	for i, l := range lines {
		var r JSONReply
		dec := json.NewDecoder(strings.NewReader(l))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("line %d is not one JSON reply: %v: %q", i+1, err, l)
		}
		if r.Line != i+1 || r.Input != append(script, "/quit")[i] || r.Actions == nil || r.Highlights == nil {
			t.Errorf("line %d: %+v", i+1, r)
		}
		got = append(got, r)
	}
	check := func(i int, kind, text string, actions int) {
		t.Helper()
		if got[i].Kind != kind || got[i].Text != text || len(got[i].Actions) != actions {
			t.Errorf("line %d %q: got kind %q text %q %d actions, want %q %q %d",
				i+1, script[i], got[i].Kind, got[i].Text, len(got[i].Actions), kind, text, actions)
		}
	}
	check(0, "small-talk", "reply to hello", 0)
	check(1, "invalid", "Please type a question.", 0)
	check(2, "ambiguous", "Did you mean:", 2)
	if a := got[2].Actions[1]; a.Choice != 2 || a.ID != "v1:f:3" || a.Label != "3. Third" || a.Question != 3 {
		t.Errorf("the menu's second action: %+v", a)
	}
	check(4, "by-number", "pressed v1:f:3", 0)
	check(5, "no-choice", "There is no choice [9]: pick [1] to [2]. To read question 9, type 9 without brackets.", 2)
	check(6, "silent", "", 0)
	check(8, "list", "1. One\n2. Two", 3) // as data, every button
	if got[8].Page != 1 || got[8].Pages != 2 {
		t.Errorf("list pages: %+v", got[8])
	}
	check(9, "by-number", "pressed v1:f:1", 0)
	check(10, "by-number", "pressed v1:f:5", 0)
	check(12, "quit", "", 0)
	if n := len(p.reqs); n != 10 {
		t.Errorf("bot got %d requests, want 10 (no greeting in JSON mode, none after /quit)", n)
	}
}
