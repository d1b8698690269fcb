package telegram

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"transcriptbot/adapters/telegram/telegramtest"
	"transcriptbot/bot"
	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

// realBot is the production bot core on the embedded transcript.
func realBot(t testing.TB) *bot.Bot {
	t.Helper()
	return realBotAt(t, 0)
}

// realBotAt is realBot with the matcher's answer threshold at threshold (0: the fitted one).
func realBotAt(t testing.TB, threshold float64) *bot.Bot {
	t.Helper()
	m, err := matcher.New(transcript.Default(), matcher.Options{Threshold: threshold})
	if err != nil {
		t.Fatalf("matcher.New: %v", err)
	}
	return bot.New(m, bot.Options{})
}

type sentMsg struct {
	chat, text, thread, replyTo string
	buttons                     map[string]string // label -> callback_data
}

func sentMessages(f *telegramtest.Server) []sentMsg {
	var out []sentMsg
	for _, c := range f.Calls("sendMessage") {
		if !c.OK {
			continue
		}
		s := sentMsg{chat: c.Params["chat_id"], text: c.Params["text"], thread: c.Params["message_thread_id"],
			replyTo: c.Params["reply_to_message_id"], buttons: map[string]string{}}
		var kb struct {
			InlineKeyboard [][]struct {
				Text         string `json:"text"`
				CallbackData string `json:"callback_data"`
			} `json:"inline_keyboard"`
		}
		if c.Params["reply_markup"] != "" {
			_ = json.Unmarshal([]byte(c.Params["reply_markup"]), &kb)
		}
		for _, row := range kb.InlineKeyboard {
			for _, b := range row {
				s.buttons[b.Text] = b.CallbackData
			}
		}
		out = append(out, s)
	}
	return out
}

// TestEndToEndWithRealBot drives the real bot core through the adapter and the fake Bot API:
// every command form, every question by number, buttons, a forged button, groups and inline
// mode. The fake rejects any text that is not valid HTML within 4096 UTF-16 units.
func TestEndToEndWithRealBot(t *testing.T) {
	e := newEnv(t)
	b := realBot(t)
	a, err := New(t.Context(), e.cfg, b)
	if err != nil {
		t.Fatal(err)
	}
	n := transcript.Default().Len()
	stop := run(t, a)
	next := 1
	ask := func(chat map[string]any, from int64, text string) sentMsg {
		t.Helper()
		before := len(sentMessages(e.fake))
		e.fake.Push(message(msg(next, chat, from, text)))
		next++
		waitFor(t, "a reply to "+strconv.Quote(text), func() bool { return len(sentMessages(e.fake)) > before })
		return sentMessages(e.fake)[before]
	}
	private := privateChat(42)

	if got := ask(private, 42, "/start"); !strings.Contains(got.text, "/answer") {
		t.Errorf("/start: got %q, want help mentioning /answer", got.text)
	}
	if got := ask(private, 42, "/start q3"); !strings.HasPrefix(got.text, "<b>3.</b> ") {
		t.Errorf("/start q3: got %q, want answer 3", got.text)
	}
	for i := 1; i <= n; i++ {
		got := ask(private, 42, "/answer "+strconv.Itoa(i))
		if want := "<b>" + strconv.Itoa(i) + ".</b> "; !strings.HasPrefix(got.text, want) {
			t.Errorf("/answer %d: got %q, want prefix %q", i, got.text[:min(len(got.text), 80)], want)
		}
	}
	got := ask(private, 42, "How did the coronavirus epidemic affect the SCO summit schedule?")
	if !strings.HasPrefix(got.text, "<b>10.</b> ") || !strings.Contains(got.text, "</b>") {
		t.Errorf("free question: got %q, want answer 10", got.text)
	}
	if len(got.buttons) == 0 {
		t.Fatalf("free question: no buttons")
	}
	// Press each of its buttons.
	for label, data := range got.buttons {
		before := len(sentMessages(e.fake))
		e.fake.Push(map[string]any{"callback_query": map[string]any{"id": "cb-" + label, "from": user(42), "chat_instance": "x", "data": data,
			"message": map[string]any{"message_id": 500, "date": 1, "chat": private, "text": "answer"}}})
		waitFor(t, "button "+label, func() bool { return len(sentMessages(e.fake)) > before })
	}
	// A forged button is answered in the callback answer and posts nothing.
	before := len(sentMessages(e.fake))
	e.fake.Push(map[string]any{"callback_query": map[string]any{"id": "cb-forged", "from": user(42), "chat_instance": "x", "data": "zz:f:3",
		"message": map[string]any{"message_id": 501, "date": 1, "chat": private, "text": "answer"}}})
	waitFor(t, "the forged button's answer", func() bool {
		for _, c := range e.fake.Calls("answerCallbackQuery") {
			if c.Params["callback_query_id"] == "cb-forged" {
				return true
			}
		}
		return false
	})
	for _, c := range e.fake.Calls("answerCallbackQuery") {
		if c.Params["callback_query_id"] == "cb-forged" && !strings.Contains(strings.ToLower(c.Params["text"]), "expired") {
			t.Errorf("forged button: got %q, want an expired notice", c.Params["text"])
		}
	}
	if got := ask(private, 42, "/questions"); !strings.Contains(got.text, "1.") {
		t.Errorf("/questions: got %q", got.text)
	}
	if after := sentMessages(e.fake); len(after) != before+1 {
		t.Errorf("the forged button posted %d messages, want 0", len(after)-before-1)
	}

	grp := groupChat(-100)
	if got := ask(grp, 43, "/answer@ThisBot 2"); !strings.HasPrefix(got.text, "<b>2.</b> ") || got.chat != "-100" {
		t.Errorf("group command: got %+v", got)
	}
	if got := ask(grp, 43, "@ThisBot what did he say about the summit schedule and the coronavirus?"); !strings.HasPrefix(got.text, "<b>10.</b> ") {
		t.Errorf("mention: got %q", got.text[:min(80, len(got.text))])
	}

	e.fake.Push(map[string]any{"inline_query": map[string]any{"id": "iq", "from": user(42), "query": "summit schedule", "offset": ""}})
	waitFor(t, "the inline answer", func() bool { return len(e.fake.Calls("answerInlineQuery")) == 1 })
	var results []struct {
		ID      string `json:"id"`
		Content struct {
			Text string `json:"message_text"`
		} `json:"input_message_content"`
	}
	if err := json.Unmarshal([]byte(e.fake.Calls("answerInlineQuery")[0].Params["results"]), &results); err != nil || len(results) == 0 || len(results) > 10 {
		t.Fatalf("inline results: %d, %v", len(results), err)
	}
	if results[0].ID != "q10" {
		t.Errorf("inline: got first %q, want %q", results[0].ID, "q10")
	}

	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if p := e.fake.Violations(); len(p) > 0 {
		t.Errorf("invalid requests: %q", p)
	}
	if got := e.fake.Pending(); got != 0 {
		t.Errorf("unconfirmed updates: got %d, want 0", got)
	}
}

// TestEndToEndLongAnswerPaging: an answer far over 4096 characters, full of emoji (two UTF-16
// units each) and characters HTML must escape, is sent in pages that Telegram accepts; "next
// page" edits the message in place until the last page.
func TestEndToEndLongAnswerPaging(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("Long answers\n\n1. What <exactly> did the minister say about trade & tariffs?\n\n")
	for i := 0; i < 60; i++ {
		sb.WriteString("Paragraph " + strconv.Itoa(i) + ": tariffs & trade <rules> matter 😀 for R&D; ")
		sb.WriteString(strings.Repeat("the ministry said talks continue 🌍 & progress is steady. ", 4))
		sb.WriteString("\n")
	}
	sb.WriteString("\n2. A short one?\n\nYes.\n")
	tr, err := transcript.Parse(strings.NewReader(sb.String()))
	if err != nil {
		t.Fatalf("transcript.Parse: %v", err)
	}
	m, err := matcher.New(tr, matcher.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	a, err := New(t.Context(), e.cfg, bot.New(m, bot.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	stop := run(t, a)
	e.fake.Push(message(msg(1, groupChat(-5), 42, "/answer@ThisBot 1")))
	waitFor(t, "page 1", func() bool { return len(sentMessages(e.fake)) == 1 })
	first := sentMessages(e.fake)[0]
	if !strings.HasPrefix(first.text, "<b>1.</b> What &lt;exactly&gt;") || !strings.Contains(first.text, "<i>(1/") {
		t.Fatalf("page 1: got %q", first.text[:min(200, len(first.text))])
	}
	label := regexp.MustCompile(`<i>\(1/(\d+)\)</i>$`).FindStringSubmatch(first.text)
	if label == nil {
		t.Fatalf("page 1 ends %q, want a page label", first.text[len(first.text)-40:])
	}
	pages, _ := strconv.Atoi(label[1])
	if pages < 3 {
		t.Fatalf("pages: got %d, want at least 3 for a %d-character answer", pages, sb.Len())
	}
	// Press "next" on the message as Telegram would deliver it: its text without markup.
	shown, buttons := first.text, first.buttons
	for page := 2; page <= pages; page++ {
		next := ""
		for label, data := range buttons {
			if strings.Contains(strings.ToLower(label), "next") || strings.Contains(label, "▶") || strings.Contains(label, "→") || strings.Contains(label, "›") {
				next = data
			}
		}
		if next == "" {
			t.Fatalf("page %d: no next button in %v", page-1, buttons)
		}
		plain := htmlToPlain(t, shown)
		e.fake.Push(map[string]any{"callback_query": map[string]any{"id": "cb" + strconv.Itoa(page), "from": user(42), "chat_instance": "x", "data": next,
			"message": map[string]any{"message_id": 900, "date": 1, "chat": groupChat(-5), "text": plain}}})
		waitFor(t, "page "+strconv.Itoa(page), func() bool { return len(e.fake.Calls("editMessageText")) == page-1 })
		edit := e.fake.Calls("editMessageText")[page-2].Params
		if want := "<i>(" + strconv.Itoa(page) + "/" + strconv.Itoa(pages) + ")</i>"; !strings.HasSuffix(edit["text"], want) || edit["message_id"] != "900" {
			t.Fatalf("page %d: got %q (message %s), want suffix %q", page, edit["text"][max(0, len(edit["text"])-60):], edit["message_id"], want)
		}
		shown = edit["text"]
		buttons = map[string]string{}
		var kb struct {
			InlineKeyboard [][]struct {
				Text         string `json:"text"`
				CallbackData string `json:"callback_data"`
			} `json:"inline_keyboard"`
		}
		_ = json.Unmarshal([]byte(edit["reply_markup"]), &kb)
		for _, row := range kb.InlineKeyboard {
			for _, b := range row {
				buttons[b.Text] = b.CallbackData
			}
		}
	}
	_ = stop()
	if p := e.fake.Violations(); len(p) > 0 {
		t.Errorf("invalid requests: %q", p)
	}
	if got := len(sentMessages(e.fake)); got != 1 {
		t.Errorf("messages posted: got %d, want 1 (pages edit in place)", got)
	}
}

// htmlToPlain is what Telegram shows (and returns as Message.Text) for an HTML text.
func htmlToPlain(t *testing.T, s string) string {
	t.Helper()
	var sb strings.Builder
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			i += strings.IndexByte(s[i:], '>') + 1
		case '&':
			j := strings.IndexByte(s[i:], ';')
			sb.WriteString(map[string]string{"lt": "<", "gt": ">", "amp": "&", "quot": `"`}[s[i+1:i+j]])
			i += j + 1
		default:
			sb.WriteByte(s[i])
			i++
		}
	}
	return sb.String()
}
