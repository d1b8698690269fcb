package recent_test

import (
	"context"
	"testing"
	"time"

	"transcriptbot/adapters/recent"
	"transcriptbot/bot"
)

func TestEtiquette(t *testing.T) {
	ctx := context.Background()
	excerpt := bot.Reply{Kind: bot.ReplyAnswer, Number: 3}
	full := bot.Reply{Kind: bot.ReplyByNumber, Number: 3, Page: 1}
	page2 := bot.Reply{Kind: bot.ReplyByNumber, Number: 3, Page: 2}
	list := bot.Reply{Kind: bot.ReplyList}
	tests := []struct {
		name     string
		off      bool
		chat     string
		answered bot.Reply // remembered as message "m1"
		asked    bot.Reply
		want     string
	}{
		{"excerpt after excerpt", false, "g", excerpt, excerpt, "m1"},
		{"excerpt after full answer", false, "g", full, excerpt, "m1"},
		{"full answer after excerpt", false, "g", excerpt, full, ""},
		{"full answer after full answer", false, "g", full, full, "m1"},
		{"a later page is not covered", false, "g", full, page2, ""},
		{"not an answer", false, "g", list, list, ""},
		{"not a group", false, "", excerpt, excerpt, ""},
		{"off", true, "g", excerpt, excerpt, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := recent.Etiquette{Store: recent.NewMemory(recent.MemoryOptions{}), Window: time.Minute}
			if tc.off {
				e.Window = 0
			}
			if err := e.Remember(ctx, tc.chat, tc.answered, "m1"); err != nil {
				t.Fatal(err)
			}
			got, err := e.Earlier(ctx, tc.chat, tc.asked)
			if err != nil || got != tc.want {
				t.Errorf("Earlier: got %q (%v), want %q", got, err, tc.want)
			}
			if covers := e.Covers(tc.chat, tc.asked); covers != (tc.asked.Number > 0 && tc.asked.Page <= 1 && tc.chat != "" && !tc.off) {
				t.Errorf("Covers: got %v", covers)
			}
		})
	}
}
