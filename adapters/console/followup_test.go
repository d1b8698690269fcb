package console

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"transcriptbot/bot"
	"transcriptbot/bot/bottest"
	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

// menuFor returns a query the real bot answers with a "did you mean" menu, and the question
// numbers it offers, in order.
func menuFor(t *testing.T, b *bot.Bot) (string, []int) {
	t.Helper()
	for _, q := range bottest.MenuCandidates {
		r := b.Handle(context.Background(), bot.Request{Kind: bot.KindMessage, Text: q, Limits: DefaultLimits})
		if r.Kind != bot.ReplyAmbiguous {
			continue
		}
		var nums []int
		for _, a := range r.Actions {
			if n, err := strconv.Atoi(a.ID[strings.LastIndexByte(a.ID, ':')+1:]); err == nil && strings.Contains(a.ID, ":f:") {
				nums = append(nums, n)
			}
		}
		if len(nums) >= 2 {
			return q, nums
		}
	}
	t.Fatal("no query gives a did-you-mean menu of two questions or more: update bottest.MenuCandidates")
	return "", nil
}

// TestConversationFollowUps runs the conversation through the real bot core: after a
// menu, "the first one", "2", "yes" and "more" refer to that menu or to the answer just given.
func TestConversationFollowUps(t *testing.T) {
	m, err := matcher.New(transcript.Default(), matcher.Options{Threshold: bottest.MenuThreshold})
	if err != nil {
		t.Fatal(err)
	}
	menu, choices := menuFor(t, bot.New(m, bot.Options{}))
	// "2" is choice 2 unless question 2 is itself on the menu.
	two := choices[1]
	if slices.Contains(choices, 2) {
		two = 2
	}
	title := func(n int) string { return strconv.Itoa(n) + ". " }
	tests := []struct {
		name  string
		lines []string
		kind  bot.ReplyKind // of the last reply
		want  string        // the start of its title as printed
	}{
		{"the first one", []string{menu, "the first one"}, bot.ReplyByNumber, title(choices[0])},
		{"bare 2", []string{menu, "2"}, bot.ReplyByNumber, title(two)},
		{"yes", []string{menu, "yes"}, bot.ReplyByNumber, title(choices[0])},
		{"the last one", []string{menu, "the last one"}, bot.ReplyByNumber, title(choices[len(choices)-1])},
		{"second after thanks", []string{menu, "thanks", "the second one"}, bot.ReplyByNumber, title(choices[1])},
		{"question 2 stays question 2", []string{menu, "question 2"}, bot.ReplyByNumber, "2. The SCO adheres"},
		{"more after an excerpt", []string{"Shanghai spirit", "tell me more"}, bot.ReplyByNumber, "2. The SCO adheres"},
		{"choice [2] still works", []string{menu, "[2]"}, bot.ReplyByNumber, title(choices[1])},
		{"no", []string{menu, "none of these"}, bot.ReplyNotCovered, ""},
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
