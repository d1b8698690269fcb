package evaluate

import (
	"errors"
	"strings"
	"testing"

	"transcriptbot/bot"
)

func TestParseBriefing(t *testing.T) {
	cases, err := Parse(strings.NewReader("2024-03-05-town-hall#3,1\tP\tlibrary on sundays\n0\tO\tweather\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c := cases[0]; c.Briefing != "2024-03-05-town-hall" || len(c.Expected) != 2 || c.Expected[0] != 3 {
		t.Errorf("got %+v", c)
	}
	for _, bad := range []string{"a b#3\tP\tq\n", "x#0\tO\tq\n", "x#y\tP\tq\n"} {
		var pe *ParseError
		if _, err := Parse(strings.NewReader(bad)); !errors.As(err, &pe) || pe.Line != 1 {
			t.Errorf("%q: got %v, want a ParseError at line 1", bad, err)
		}
	}
}

func TestClassifyBriefing(t *testing.T) {
	c := Case{Expected: []int{3}, Briefing: "march", Kind: "P", Query: "q"}
	tests := []struct {
		reply bot.Reply
		want  Outcome
		rank  int
	}{
		{bot.Reply{Kind: bot.ReplyAnswer, Number: 3, Briefing: "march"}, AnsweredRight, 1},
		{bot.Reply{Kind: bot.ReplyAnswer, Number: 3, Briefing: "may"}, AnsweredWrong, 0},
		{bot.Reply{Kind: bot.ReplyAmbiguous, Choices: []int{3, 1}, Briefing: "march"}, MenuFirst, 1},
		{bot.Reply{Kind: bot.ReplyAmbiguous, Choices: []int{3, 1}, Briefing: "may"}, MenuAbsent, 0},
	}
	for _, tc := range tests {
		if r := Classify(c, tc.reply); r.Outcome != tc.want || r.Rank != tc.rank {
			t.Errorf("%+v: got %v rank %d, want %v rank %d", tc.reply, r.Outcome, r.Rank, tc.want, tc.rank)
		}
	}
}
