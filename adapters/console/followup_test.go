package console

import (
	"context"
	"strings"
	"testing"

	"transcriptbot/bot"
	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

// TestConversationFollowUps runs the conversation through the real bot core: after a
// menu offering questions 10 and 8, "the first one", "2", "yes" and "more" refer to that menu
// or to the answer just given.
func TestConversationFollowUps(t *testing.T) {
	m, err := matcher.New(transcript.Default(), matcher.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const menu = "coronavirus summit" // did you mean 10 or 8
	first := bot.New(m, bot.Options{}).Handle(context.Background(), bot.Request{Kind: bot.KindMessage, Text: menu})
	if first.Kind != bot.ReplyAmbiguous || len(first.Actions) < 3 ||
		!strings.HasPrefix(first.Actions[0].Label, "10. ") || !strings.HasPrefix(first.Actions[1].Label, "8. ") {
		t.Skipf("the matcher no longer offers questions 10 and 8 for %q: %+v", menu, first.Actions)
	}
	tests := []struct {
		name  string
		lines []string
		kind  bot.ReplyKind // of the last reply
		want  string        // its title as printed
	}{
		{"the first one", []string{menu, "the first one"}, bot.ReplyByNumber, "10. How has the coronavirus"},
		{"bare 2", []string{menu, "2"}, bot.ReplyByNumber, "8. The COVID-19 pandemic"},
		{"yes", []string{menu, "yes"}, bot.ReplyByNumber, "10. How has the coronavirus"},
		{"second after thanks", []string{menu, "thanks", "the second one"}, bot.ReplyByNumber, "8. The COVID-19 pandemic"},
		{"question 2 stays question 2", []string{menu, "question 2"}, bot.ReplyByNumber, "2. The SCO adheres"},
		{"more after an excerpt", []string{"Shanghai spirit", "tell me more"}, bot.ReplyByNumber, "2. The SCO adheres"},
		{"choice [2] still works", []string{menu, "[2]"}, bot.ReplyByNumber, "8. The COVID-19 pandemic"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			rec := &lastReply{h: bot.New(m, bot.Options{})}
			a := New(rec, strings.NewReader(strings.Join(tc.lines, "\n")+"\n"), &out, Options{})
			if err := a.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			last := Render(rec.last, false)
			if rec.last.Kind != tc.kind || !strings.HasPrefix(last, tc.want) {
				t.Fatalf("lines %q: got a last reply %v:\n%s\nwant %v titled %q", tc.lines, rec.last.Kind, last, tc.kind, tc.want)
			}
			if !strings.HasSuffix(out.String(), last+"\n") {
				t.Errorf("the last reply was not printed last; output:\n%s", out.String())
			}
		})
	}
}

// lastReply passes requests to h and keeps the last reply.
type lastReply struct {
	h    Handler
	last bot.Reply
}

func (l *lastReply) Handle(ctx context.Context, req bot.Request) bot.Reply {
	l.last = l.h.Handle(ctx, req)
	return l.last
}
