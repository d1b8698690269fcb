package discord

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"transcriptbot/bot"
)

func TestEscapeMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain words", "plain words"},
		{"*bold* _it_ ~~s~~ `code` ||spoiler|| \\", `\*bold\* \_it\_ \~\~s\~\~ \` + "`code\\`" + ` \|\|spoiler\|\| \\`},
		{"> quote", `\> quote`},
		{"# Heading\n- item\n1. first", "\\# Heading\n\\- item\n1\\. first"},
		{"a - b # c 1. d", "a - b # c 1. d"},
		{"@everyone and @here", "@\u200beveryone and @\u200bhere"},
		{"<@123> <@!123> <@&456> <#789>", "<\u200b@123\\> <\u200b@!123\\> <\u200b@&456\\> <\u200b#789\\>"},
		{"[link](https://example.com)", `\[link\](https://example.com)`},
		{"Привет, 世界 🎉", "Привет, 世界 🎉"},
	}
	for _, tc := range tests {
		if got := escapeMarkdown(tc.in); got != tc.want {
			t.Errorf("escapeMarkdown(%q): got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCutUTF16(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"exactly ten", 11, "exactly ten"},
		{"abcdefghijkl", 5, "abcd…"},
		{"🎉🎉🎉🎉", 5, "🎉🎉…"}, // each emoji is two units
		{"", 3, ""},
	}
	for _, tc := range tests {
		got := cutUTF16(tc.in, tc.max)
		if got != tc.want {
			t.Errorf("cutUTF16(%q, %d): got %q, want %q", tc.in, tc.max, got, tc.want)
		}
		if u16(got) > tc.max {
			t.Errorf("cutUTF16(%q, %d) is %d units", tc.in, tc.max, u16(got))
		}
	}
	if got, want := cutEscaped(`abc\*def`, 5), "abc…"; got != want {
		t.Errorf("cutEscaped: got %q, want %q", got, want)
	}
}

func TestRenderSpans(t *testing.T) {
	tests := []struct {
		name  string
		spans []bot.Span
		max   int
		want  string
	}{
		{"highlight", []bot.Span{{Text: "the "}, {Text: "Hong Kong", Highlight: true}, {Text: " question"}}, 100, "the **Hong Kong** question"},
		{"highlight with spaces kept outside", []bot.Span{{Text: "a"}, {Text: " trade ", Highlight: true}, {Text: "b"}}, 100, "a **trade** b"},
		{"adjacent highlights merge", []bot.Span{{Text: "Hong", Highlight: true}, {Text: " Kong", Highlight: true}}, 100, "**Hong Kong**"},
		{"cut at the limit", []bot.Span{{Text: strings.Repeat("word ", 30)}}, 20, "word word word word…"},
		{"cut at a word", []bot.Span{{Text: strings.Repeat("words ", 30)}}, 20, "words words words…"},
		{"highlight dropped whole", []bot.Span{{Text: "abc "}, {Text: "longhighlight", Highlight: true}}, 10, "abc…"},
		{"escaped highlight", []bot.Span{{Text: "a_b", Highlight: true}}, 100, `**a\_b**`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := renderSpans(tc.spans, tc.max)
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if u16(got) > tc.max {
				t.Errorf("got %d units, over %d", u16(got), tc.max)
			}
		})
	}
}

// TestRenderLimits renders adversarial replies and checks every one against Discord's limits.
func TestRenderLimits(t *testing.T) {
	a := newEnv(t, &fakeHandler{}, nil).a
	nasty := strings.Repeat("*_~`|>\\[ @everyone <@1> 🎉 ", 400)
	var words []bot.Span
	for i := 0; i < 2000; i++ {
		words = append(words, bot.Span{Text: "w_" + fmt.Sprint(i), Highlight: i%2 == 0}, bot.Span{Text: " "})
	}
	var actions []bot.Action
	for i := 0; i < 40; i++ {
		actions = append(actions, bot.Action{ID: fmt.Sprintf("act:%d", i%30), Label: strings.Repeat("label ", 30)})
	}
	actions = append(actions, bot.Action{ID: strings.Repeat("x", 101), Label: "too long id"}, bot.Action{ID: "", Label: "empty"})
	replies := []bot.Reply{
		{Kind: bot.ReplyAnswer, Number: 3, Question: nasty, Body: []bot.Span{{Text: nasty}}, Actions: actions, Source: nasty, Page: 2, Pages: 9},
		{Kind: bot.ReplyByNumber, Number: 9999, Question: strings.Repeat("Q", 500), Body: words, Page: 1, Pages: 2},
		{Kind: bot.ReplyList, Body: []bot.Span{{Text: strings.Repeat("1. question\n", 800)}}},
		{Kind: bot.ReplyHelp},
		{Kind: bot.ReplyExpired},
		{Kind: bot.ReplyError, Body: []bot.Span{{Text: nasty}}},
		{Kind: bot.ReplyInvalid, Body: []bot.Span{{Text: "Too long"}}},
		{Kind: bot.ReplySmallTalk, Body: []bot.Span{{Text: "Hello!"}}},
		{Kind: bot.ReplyThrottled},
		{Kind: bot.ReplyNotCovered, Body: []bot.Span{{Text: "Not covered."}}, Actions: actions[:3]},
	}
	for i, r := range replies {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			m := a.render(r)
			if err := checkLimits(m); err != nil {
				t.Errorf("checkLimits: %v", err)
			}
			raw, err := json.Marshal(wireMessage(m))
			if err != nil {
				t.Fatal(err)
			}
			w := checkWire(t, raw)
			if r.Number > 0 && (len(w.Embeds) != 1 || !strings.HasPrefix(w.Embeds[0].Title, fmt.Sprintf("%d · ", r.Number))) {
				t.Errorf("got %s, want an embed titled with the number", raw)
			}
			if strings.Contains(string(raw), "@everyone") || strings.Contains(string(raw), "<@1>") {
				t.Errorf("an unneutralised mention remains in %.200s", raw)
			}
		})
	}
}

func TestButtonsLayout(t *testing.T) {
	var actions []bot.Action
	for i := 0; i < 12; i++ {
		actions = append(actions, bot.Action{ID: fmt.Sprint("id", i), Label: fmt.Sprint("L", i)})
	}
	actions = append(actions, bot.Action{ID: "id0", Label: "duplicate"})
	raw, err := json.Marshal(buttons(actions))
	if err != nil {
		t.Fatal(err)
	}
	var decoded []struct {
		Components []struct {
			CustomID string `json:"custom_id"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &decoded); err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, r := range decoded {
		got = append(got, len(r.Components))
	}
	if fmt.Sprint(got) != "[5 5 2]" {
		t.Errorf("got rows %v, want [5 5 2]", got)
	}

	// Too many: the first 23 and the last two (page navigation) are kept.
	actions = nil
	for i := 0; i < 30; i++ {
		actions = append(actions, bot.Action{ID: fmt.Sprint("id", i), Label: fmt.Sprint("L", i)})
	}
	raw, err = json.Marshal(buttons(actions))
	if err != nil {
		t.Fatal(err)
	}
	decoded = nil
	decodeInto(t, raw, &decoded)
	var ids []string
	for _, r := range decoded {
		for _, c := range r.Components {
			ids = append(ids, c.CustomID)
		}
	}
	if len(ids) != 25 || ids[22] != "id22" || ids[23] != "id28" || ids[24] != "id29" {
		t.Errorf("got ids %v, want id0..id22, id28, id29", ids)
	}
}

// TestChoiceNameWithoutAsker: an autocomplete choice shows the question, not the journalist
// and outlet an operator's transcript opens it with.
func TestChoiceNameWithoutAsker(t *testing.T) {
	for q, want := range map[string]string{
		"Hanna Lyng, VLT Local Television: Have you got CCTV footage?": "7 · Have you got CCTV footage?",
		"Two questions: when, and who pays?":                           "7 · Two questions: when, and who pays?",
	} {
		if got := choiceName(7, q); got != want {
			t.Errorf("choiceName(7, %q) = %q, want %q", q, got, want)
		}
	}
}
