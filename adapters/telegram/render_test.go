package telegram

import (
	"strings"
	"testing"

	"transcriptbot/bot"
)

func TestRender(t *testing.T) {
	long := strings.Repeat("Word & <b>ig> 😀 ", 2000)
	tests := []struct {
		name string
		rep  bot.Reply
		want string // exact HTML, or "" to check only validity
	}{
		{"header, escaping and highlight",
			bot.Reply{Number: 3, Question: "Is 1 < 2 & 3 > 2?", Body: []bot.Span{{Text: "Yes <i>really</i> "}, {Text: "&co", Highlight: true}, {Text: "."}}, Page: 1, Pages: 1},
			"<b>3.</b> Is 1 &lt; 2 &amp; 3 &gt; 2?\n\nYes &lt;i&gt;really&lt;/i&gt; <b>&amp;co</b>."},
		{"page label",
			bot.Reply{Number: 12, Question: "Q", Body: []bot.Span{{Text: "Part two."}}, Page: 2, Pages: 3},
			"<b>12.</b> Q\n\nPart two.\n\n<i>(2/3)</i>"},
		{"body only, trimmed",
			bot.Reply{Kind: bot.ReplyHelp, Body: []bot.Span{{Text: "\n  Ask me anything.  \n"}}},
			"Ask me anything."},
		{"question without number",
			bot.Reply{Question: "Did you mean…", Body: []bot.Span{{Text: "one of these?"}}},
			"Did you mean…\n\none of these?"},
		{"empty highlight span dropped",
			bot.Reply{Body: []bot.Span{{Text: "a"}, {Text: "", Highlight: true}, {Text: "b"}}},
			"ab"},
		{"nothing", bot.Reply{Kind: bot.ReplySilent}, ""},
		{"over-long body is cut within the limit", bot.Reply{Number: 1, Question: strings.Repeat("Q<", 300), Body: []bot.Span{{Text: long}, {Text: long, Highlight: true}}, Page: 1, Pages: 2}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := render(tc.rep)
			if tc.want != "" && r.HTML != tc.want {
				t.Errorf("got %q, want %q", r.HTML, tc.want)
			}
			if tc.rep.Kind == bot.ReplySilent {
				if !r.empty() {
					t.Errorf("got %q, want nothing", r.HTML)
				}
				return
			}
			n, err := checkHTML(r.HTML)
			if err != nil {
				t.Fatalf("invalid HTML %q: %v", r.HTML[:min(len(r.HTML), 200)], err)
			}
			if n != r.Visible {
				t.Errorf("visible length: got %d, want %d", r.Visible, n)
			}
		})
	}
}

func TestRenderLengthInUTF16(t *testing.T) {
	// Emoji are two UTF-16 units: a body of 3000 emoji is 6000 units and must be cut.
	rep := bot.Reply{Body: []bot.Span{{Text: strings.Repeat("😀", 3000)}}}
	r := render(rep)
	n, err := checkHTML(r.HTML)
	if err != nil {
		t.Fatal(err)
	}
	if n > MaxMessageLen || n < MaxMessageLen-10 {
		t.Errorf("got %d UTF-16 units, want just under %d", n, MaxMessageLen)
	}
	if !strings.HasSuffix(r.HTML, "…") {
		t.Errorf("got suffix %q, want an ellipsis", r.HTML[len(r.HTML)-8:])
	}
}

func TestKeyboard(t *testing.T) {
	tooLong := strings.Repeat("x", 65)
	kb, dropped := keyboard([]bot.Action{
		{ID: "a:1", Label: "Full answer"}, {ID: "b:2", Label: "More"}, {ID: tooLong, Label: "Bad"},
		{ID: "", Label: "Empty"}, {ID: "c:3", Label: "A very long label for a did-you-mean choice"},
		{ID: strings.Repeat("y", 64), Label: ""},
	})
	if got, want := len(dropped), 2; got != want {
		t.Fatalf("dropped: got %d, want %d", got, want)
	}
	var got []string
	for _, row := range kb.InlineKeyboard {
		var labels []string
		for _, b := range row {
			if b.CallbackData == nil || len(*b.CallbackData) > MaxCallbackData {
				t.Errorf("button %q: bad callback_data", b.Text)
			}
			labels = append(labels, b.Text)
		}
		got = append(got, strings.Join(labels, "|"))
	}
	want := []string{"Full answer|More", "A very long label for a did-you-mean choice", strings.Repeat("y", 64)}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q, want %q", got, want)
	}
	if kb, _ := keyboard(nil); kb != nil {
		t.Errorf("got a keyboard for no actions")
	}
}

func TestCutUTF16(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 2, "ab"},
		{"a😀b", 2, "a"}, // never split a surrogate pair
		{"a😀b", 3, "a😀"},
		{"héllo", 2, "hé"},
		{"abc", 0, ""},
	}
	for _, tc := range tests {
		if got := bot.PrefixUTF16(tc.in, tc.n); got != tc.want {
			t.Errorf("bot.PrefixUTF16(%q, %d): got %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct {
		rep  bot.Reply
		want string
	}{
		{bot.Reply{Number: 2, Question: "Q?", Body: []bot.Span{{Text: "A\n\nB"}}}, "2. Q? — A B"},
		{bot.Reply{Body: []bot.Span{{Text: "This button has expired."}}}, "This button has expired."},
		{bot.Reply{Number: 1}, "1."},
	}
	for _, tc := range tests {
		if got := plainText(tc.rep); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	rep := bot.Reply{Number: 7, Question: "What is the position on <the> matter & why?",
		Body: []bot.Span{{Text: strings.Repeat("Some answer text with words. ", 40)}, {Text: "highlight", Highlight: true}, {Text: " more."}},
		Page: 1, Pages: 2, Actions: []bot.Action{{ID: "full:abcd:7", Label: "Full answer"}, {ID: "more:abcd:7", Label: "Other matches"}}}
	b.ReportAllocs()
	for b.Loop() {
		_ = render(rep)
	}
}
