package discord

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"transcriptbot/bot"
	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

// The tests in this file run the real bot core on the embedded default transcript, through
// the signed HTTP endpoint and the gateway handlers.

func realBot(t testing.TB) (*bot.Bot, *transcript.Transcript) {
	t.Helper()
	return realBotAt(t, 0)
}

// realBotAt is realBot with the matcher's answer threshold at threshold (0: the fitted one).
func realBotAt(t testing.TB, threshold float64) (*bot.Bot, *transcript.Transcript) {
	t.Helper()
	tr := transcript.Default()
	m, err := matcher.New(tr, matcher.Options{Threshold: threshold})
	if err != nil {
		t.Fatal(err)
	}
	return bot.New(m, bot.Options{}), tr
}

// interactionJSON builds an interaction payload as Discord sends it.
func interactionJSON(t testing.TB, id string, typ discordgo.InteractionType, data any) []byte {
	t.Helper()
	v := map[string]any{
		"id": id, "type": typ, "token": "itok-" + id, "application_id": testAppID,
		"guild_id": "7001", "channel_id": "8001", "locale": "en-US", "version": 1,
		"member": map[string]any{"user": map[string]any{"id": "5001", "username": "alice"}, "roles": []any{}, "permissions": "0"},
		"data":   data,
	}
	if typ == discordgo.InteractionMessageComponent {
		v["message"] = map[string]any{"id": "6001", "channel_id": "8001", "content": "", "author": map[string]any{"id": testAppID, "username": "transcriptbot", "bot": true}}
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func slash(name string, opts ...map[string]any) map[string]any {
	if opts == nil {
		opts = []map[string]any{}
	}
	return map[string]any{"id": "3000", "name": name, "type": 1, "options": opts}
}

func press(customID string) map[string]any {
	return map[string]any{"custom_id": customID, "component_type": 2}
}

// exchange posts a signed interaction and returns the decoded response and message.
func (e *httpEnv) exchange(t *testing.T, body []byte) (interactionResp, wireMsg) {
	t.Helper()
	status, out := e.post(t, body, e.priv, testNow, nil)
	if status != 200 {
		t.Fatalf("got status %d (%s)", status, out)
	}
	r := decodeResp(t, out)
	if r.Type != 4 && r.Type != 7 {
		t.Fatalf("got response type %d (%s), want an answer in the response", r.Type, out)
	}
	return r, checkWire(t, r.Data)
}

func buttonIDs(m wireMsg) map[string]string {
	ids := map[string]string{}
	for _, row := range m.Components {
		for _, b := range row.Components {
			ids[b.Label] = b.CustomID
		}
	}
	return ids
}

func TestEndToEndAnswersEveryQuestion(t *testing.T) {
	b, tr := realBot(t)
	env := newHTTPEnv(t, b, func(c *Config) { c.Questions = tr.Len(); c.Source = tr.Title; c.AnswerWindow = 2 * time.Second })
	seq := 0
	for n := 1; n <= tr.Len(); n++ {
		seq++
		_, m := env.exchange(t, interactionJSON(t, fmt.Sprint(seq), discordgo.InteractionApplicationCommand,
			slash("answer", map[string]any{"name": "number", "type": 4, "value": n})))
		if len(m.Embeds) != 1 {
			t.Fatalf("answer %d: got %d embeds, want 1", n, len(m.Embeds))
		}
		e, _ := tr.Entry(n)
		// The title is the number and the question, cut (by the bot core, then to Discord's 256)
		// at a word with an ellipsis.
		full := escapeMarkdown(fmt.Sprintf("%d · %s", n, oneLine(e.Question)))
		got := m.Embeds[0].Title
		if got != full && (!strings.HasSuffix(got, "…") || !strings.HasPrefix(full, strings.TrimSuffix(got, "…")) || u16(got) < 100) {
			t.Errorf("answer %d: got title %q, want %q or a cut of it", n, got, full)
		}
		// Follow the page buttons to the end; every page must fit Discord's limits.
		for pages := 1; pages < 50; pages++ {
			next := ""
			for label, id := range buttonIDs(m) {
				if strings.Contains(strings.ToLower(label), "next") {
					next = id
				}
			}
			if next == "" {
				break
			}
			seq++
			var r interactionResp
			r, m = env.exchange(t, interactionJSON(t, fmt.Sprint(seq), discordgo.InteractionMessageComponent, press(next)))
			if r.Type != 7 || len(m.Embeds) != 1 {
				t.Fatalf("answer %d page %d: got type %d with %d embeds, want the message updated", n, pages+1, r.Type, len(m.Embeds))
			}
		}
	}
}

func TestEndToEndAskAndButtons(t *testing.T) {
	b, tr := realBot(t)
	env := newHTTPEnv(t, b, func(c *Config) { c.Questions = tr.Len(); c.Source = tr.Title; c.AnswerWindow = 2 * time.Second })
	_, m := env.exchange(t, interactionJSON(t, "1", discordgo.InteractionApplicationCommand,
		slash("ask", map[string]any{"name": "question", "type": 3, "value": "what about Hong Kong"})))
	if len(m.Embeds) != 1 || !strings.Contains(m.Embeds[0].Description, "**") {
		t.Fatalf("got %+v, want an answer embed with highlighted words", m)
	}
	if m.Embeds[0].Footer == nil || !strings.Contains(m.Embeds[0].Footer.Text, oneLine(tr.Title)[:10]) {
		t.Errorf("got footer %+v, want the transcript named", m.Embeds[0].Footer)
	}
	ids := buttonIDs(m)
	if len(ids) == 0 {
		t.Fatal("answer has no buttons")
	}
	seq := 1
	for label, id := range ids {
		seq++
		r, pm := env.exchange(t, interactionJSON(t, fmt.Sprint(seq), discordgo.InteractionMessageComponent, press(id)))
		if r.Type == 4 && pm.Flags&64 != 0 && strings.Contains(strings.ToLower(pm.Content), "expired") {
			t.Errorf("button %q (%s) expired straight away", label, id)
		}
	}
	// A forged id and one from another transcript version both expire, privately.
	for _, id := range []string{"x", "a:00000000:3", strings.Repeat("z", 100)} {
		seq++
		r, pm := env.exchange(t, interactionJSON(t, fmt.Sprint(seq), discordgo.InteractionMessageComponent, press(id)))
		if r.Type != 4 || pm.Flags&64 == 0 || !strings.Contains(strings.ToLower(pm.Content), "expired") {
			t.Errorf("button %q: got type %d %+v, want an ephemeral expiry notice", id, r.Type, pm)
		}
	}
}

func TestEndToEndAutocomplete(t *testing.T) {
	b, tr := realBot(t)
	env := newHTTPEnv(t, b, func(c *Config) { c.Questions = tr.Len() })
	tests := []struct {
		name  string
		value any
		first int
	}{
		{"digit", "3", 3},
		{"number value", 2.0, 2},
		{"words", "Hong Kong", 0},
		{"empty lists the first questions", "", 1},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, out := env.post(t, interactionJSON(t, fmt.Sprint(100+i), discordgo.InteractionApplicationCommandAutocomplete,
				slash("answer", map[string]any{"name": "number", "type": 4, "value": tc.value, "focused": true})), env.priv, testNow, nil)
			if status != 200 {
				t.Fatalf("got status %d", status)
			}
			var r struct {
				Type int `json:"type"`
				Data struct {
					Choices []struct {
						Name  string `json:"name"`
						Value int    `json:"value"`
					} `json:"choices"`
				} `json:"data"`
			}
			decodeInto(t, out, &r)
			ch := r.Data.Choices
			if r.Type != 8 || len(ch) == 0 || len(ch) > 25 {
				t.Fatalf("got %s, want 1..25 choices", out)
			}
			for _, c := range ch {
				e, ok := tr.Entry(c.Value)
				if !ok {
					t.Fatalf("choice %q has value %d outside the transcript", c.Name, c.Value)
				}
				if u16(c.Name) > 100 || !strings.HasPrefix(c.Name, fmt.Sprintf("%d · ", c.Value)) ||
					!strings.HasPrefix(oneLine(e.Question), strings.TrimSuffix(strings.TrimPrefix(c.Name, fmt.Sprintf("%d · ", c.Value)), "…")) {
					t.Errorf("choice %q does not name question %d (%q)", c.Name, c.Value, e.Question)
				}
			}
			if tc.first != 0 && ch[0].Value != tc.first {
				t.Errorf("got first choice %d, want %d", ch[0].Value, tc.first)
			}
		})
	}
}

func TestEndToEndMention(t *testing.T) {
	b, tr := realBot(t)
	env := newEnv(t, b, func(c *Config) { c.Questions = tr.Len() })
	env.a.onReady(nil, &discordgo.Ready{User: &discordgo.User{ID: testAppID}})
	env.a.onMessageCreate(env.a.session, messageFixture(t, "message_mention_nick.json"))
	calls := env.api.Calls()
	if len(calls) != 1 {
		t.Fatalf("got calls %v, want one reply", calls)
	}
	m := checkWire(t, calls[0].Body)
	e, _ := tr.Entry(3)
	if len(m.Embeds) != 1 || !strings.HasPrefix(m.Embeds[0].Title, "3 · ") || !strings.Contains(m.Embeds[0].Title, escapeMarkdown(strings.Fields(e.Question)[0])) {
		t.Errorf("got %+v, want question 3", m.Embeds)
	}
}

// TestEndToEndLongAnswerPages runs a transcript with a long answer full of markdown and
// mention look-alikes: every page fits Discord's limits, the pages carry their labels, and
// following "next" shows every paragraph exactly once.
func TestEndToEndLongAnswerPages(t *testing.T) {
	var src strings.Builder
	src.WriteString("The *Big* Briefing @everyone\n\n1. What did the minister say about *markets* and <@123> @here?\n\n")
	const paragraphs = 40
	for p := 0; p < paragraphs; p++ {
		fmt.Fprintf(&src, "Paragraph marker%d: the minister said that *markets* and _trade_ ~matter~ | > more than `code` \\ and <@123> @here. ", p)
		src.WriteString(strings.Repeat("Trade between the member states grew again last year. ", 5))
		src.WriteString("\n\n")
	}
	src.WriteString("2. And the weather?\n\nSunny.\n")
	tr, err := transcript.Parse(strings.NewReader(src.String()))
	if err != nil {
		t.Fatal(err)
	}
	m, err := matcher.New(tr, matcher.Options{})
	if err != nil {
		t.Fatal(err)
	}
	env := newHTTPEnv(t, bot.New(m, bot.Options{}), func(c *Config) { c.Questions = tr.Len(); c.Source = tr.Title })
	_, msg := env.exchange(t, interactionJSON(t, "1", discordgo.InteractionApplicationCommand,
		slash("answer", map[string]any{"name": "number", "type": 4, "value": 1})))
	var all strings.Builder
	pages := 0
	for seq := 2; ; seq++ {
		if len(msg.Embeds) != 1 {
			t.Fatalf("page %d: got %d embeds", pages+1, len(msg.Embeds))
		}
		pages++
		e := msg.Embeds[0]
		all.WriteString(e.Description + "\n")
		if e.Footer == nil || !strings.Contains(e.Footer.Text, fmt.Sprintf("(%d/", pages)) {
			t.Errorf("page %d: got footer %+v, want its page label", pages, e.Footer)
		}
		if strings.Contains(e.Description, "<@123>") || strings.Contains(e.Description, "@here") || strings.Contains(e.Title, "@everyone") {
			t.Errorf("page %d: an unneutralised mention remains", pages)
		}
		next := ""
		for label, id := range buttonIDs(msg) {
			if strings.Contains(strings.ToLower(label), "next") {
				next = id
			}
		}
		if next == "" || pages > 50 {
			break
		}
		_, msg = env.exchange(t, interactionJSON(t, fmt.Sprint(seq), discordgo.InteractionMessageComponent, press(next)))
	}
	if pages < 3 {
		t.Errorf("got %d pages, want the long answer paged", pages)
	}
	text := all.String()
	for p := 0; p < paragraphs; p++ {
		if n := strings.Count(text, fmt.Sprintf("marker%d:", p)); n != 1 {
			t.Errorf("paragraph %d shown %d times, want once", p, n)
		}
	}
	if !strings.Contains(text, `\*markets\*`) {
		t.Errorf("markdown in the answer is not escaped")
	}
}
