package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"transcriptbot/bot"
)

// gatewayInteraction feeds a fixture to the session's event handler as an INTERACTION_CREATE
// event's data (the session is never opened) and returns the REST calls it made.
func gatewayInteraction(t *testing.T, env *testEnv, fixture string) []call {
	t.Helper()
	env.a.onRawEvent(env.a.session, &discordgo.Event{Type: "INTERACTION_CREATE", RawData: readFixture(t, fixture)})
	env.wait(t)
	return env.api.Calls()
}

func TestGatewayInteractions(t *testing.T) {
	tests := []struct {
		name      string
		fixture   string
		wantType  int
		ephemeral bool
		want      bot.Request // fields checked: Kind, Command, Text, Action, IsReply, Private, UserID
		noRequest bool
		contains  string // in the rendered content or embed title/description
	}{
		{name: "ask", fixture: "ask.json", wantType: 4,
			want:     bot.Request{Kind: bot.KindCommand, Command: "ask", Text: "what about Hong Kong", UserID: "5001", ChatID: "8001", Locale: "en-GB"},
			contains: "3 · What has the SCO contributed"},
		{name: "ask private", fixture: "ask_private.json", wantType: 4, ephemeral: true,
			want: bot.Request{Kind: bot.KindCommand, Command: "ask", Text: "what about Hong Kong", UserID: "5001", ChatID: "8001", Locale: "en-GB"}},
		{name: "ask in a DM has no member", fixture: "ask_dm.json", wantType: 4,
			want: bot.Request{Kind: bot.KindCommand, Command: "ask", Text: "tell me about trade", Private: true, UserID: "5002", ChatID: "8999", Locale: "de"}},
		{name: "answer", fixture: "answer.json", wantType: 4,
			want: bot.Request{Kind: bot.KindCommand, Command: "answer", Text: "3", UserID: "5001", ChatID: "8001", Locale: "en-GB"}},
		{name: "answer with an older string shape", fixture: "answer_string.json", wantType: 4,
			want: bot.Request{Kind: bot.KindCommand, Command: "answer", Text: "7", UserID: "5001", ChatID: "8001", Locale: "en-GB"}},
		{name: "questions", fixture: "questions.json", wantType: 4,
			want:     bot.Request{Kind: bot.KindCommand, Command: "questions", UserID: "5001", ChatID: "8001", Locale: "en-GB"},
			contains: "(1/3)"},
		{name: "questions from a page", fixture: "questions_page.json", wantType: 4,
			want: bot.Request{Kind: bot.KindCommand, Command: "questions", Text: "2", UserID: "5001", ChatID: "8001", Locale: "en-GB"}},
		{name: "help", fixture: "help.json", wantType: 4,
			want:     bot.Request{Kind: bot.KindCommand, Command: "help", UserID: "5001", ChatID: "8001", Locale: "en-GB"},
			contains: "I post only when asked"},
		{name: "stale ask option type", fixture: "ask_stale.json", wantType: 4, ephemeral: true, noRequest: true, contains: "changed"},
		{name: "stale private option type", fixture: "ask_stale_private.json", wantType: 4, ephemeral: true, noRequest: true, contains: "changed"},
		{name: "stale answer option type", fixture: "answer_stale.json", wantType: 4, ephemeral: true, noRequest: true, contains: "changed"},
		{name: "unknown command", fixture: "unknown.json", wantType: 4, ephemeral: true, noRequest: true, contains: "/help"},
		{name: "button updates the message", fixture: "button.json", wantType: 7,
			want:     bot.Request{Kind: bot.KindButton, Action: "full:abcd1234:3", UserID: "5001", ChatID: "8001", Locale: "en-GB"},
			contains: "The full answer."},
		{name: "forged button expires", fixture: "button_forged.json", wantType: 4, ephemeral: true,
			want:     bot.Request{Kind: bot.KindButton, Action: "full:00000000:999", UserID: "5001", ChatID: "8001", Locale: "en-GB"},
			contains: "expired"},
		{name: "context menu on a message without text", fixture: "context_menu_empty.json", wantType: 4, ephemeral: true, noRequest: true, contains: "no text"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &fakeHandler{}
			env := newEnv(t, h, nil)
			calls := gatewayInteraction(t, env, tc.fixture)
			if len(calls) != 1 {
				t.Fatalf("got %d REST calls %v, want 1 callback", len(calls), calls)
			}
			c := calls[0]
			i := interactionFixture(t, tc.fixture)
			if want := "/api/v10/interactions/" + i.ID + "/" + i.Token + "/callback"; c.Method != "POST" || c.Path != want {
				t.Errorf("got %s, want POST %s", c, want)
			}
			if c.Auth != "" {
				t.Errorf("got authorization %q, want none (the interaction token authenticates)", c.Auth)
			}
			r := decodeResp(t, c.Body)
			if r.Type != tc.wantType {
				t.Errorf("got response type %d, want %d (%s)", r.Type, tc.wantType, c.Body)
			}
			m := checkWire(t, r.Data)
			if got := m.Flags&64 != 0; got != tc.ephemeral {
				t.Errorf("got ephemeral %v, want %v", got, tc.ephemeral)
			}
			if tc.contains != "" && !strings.Contains(string(r.Data), tc.contains) {
				t.Errorf("response %s does not contain %q", r.Data, tc.contains)
			}
			reqs := h.requests()
			if tc.noRequest {
				if len(reqs) != 0 {
					t.Errorf("got %d requests to the bot, want none", len(reqs))
				}
				return
			}
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			got := reqs[0]
			w := tc.want
			if got.Kind != w.Kind || got.Command != w.Command || got.Text != w.Text || got.Action != w.Action ||
				got.IsReply != w.IsReply || got.Private != w.Private || got.UserID != w.UserID || got.ChatID != w.ChatID || got.Locale != w.Locale {
				t.Errorf("got request %+v, want %+v", got, w)
			}
			if got.Platform != "discord" {
				t.Errorf("got platform %q, want %q", got.Platform, "discord")
			}
			if got.Limits.Body <= 0 || got.Limits.Body > 4096 || got.Limits.Title <= 0 || got.Limits.Title > 256 {
				t.Errorf("got limits %+v, want within Discord's", got.Limits)
			}
		})
	}
}

func TestAnswerEmbed(t *testing.T) {
	env := newEnv(t, &fakeHandler{}, nil)
	calls := gatewayInteraction(t, env, "ask.json")
	r := decodeResp(t, calls[0].Body)
	m := checkWire(t, r.Data)
	if len(m.Embeds) != 1 {
		t.Fatalf("got %d embeds, want 1", len(m.Embeds))
	}
	e := m.Embeds[0]
	if want := "3 · What has the SCO contributed to regional security?"; e.Title != want {
		t.Errorf("got title %q, want %q", e.Title, want)
	}
	if want := "On **Hong Kong**, the spokesperson said \\*nothing\\* new <\u200b@123\\> @\u200beveryone."; e.Description != want {
		t.Errorf("got description %q, want %q", e.Description, want)
	}
	if e.Footer == nil || e.Footer.Text != testSource {
		t.Errorf("got footer %+v, want %q", e.Footer, testSource)
	}
	var ids []string
	for _, row := range m.Components {
		for _, b := range row.Components {
			ids = append(ids, b.CustomID+"="+b.Label)
		}
	}
	if got, want := strings.Join(ids, ","), "full:abcd1234:3=Full answer,more:abcd1234:hong=Other matches"; got != want {
		t.Errorf("got buttons %q, want %q", got, want)
	}
}

func TestContextMenu(t *testing.T) {
	t.Run("replies to the message in the channel", func(t *testing.T) {
		h := &fakeHandler{}
		env := newEnv(t, h, nil)
		calls := gatewayInteraction(t, env, "context_menu.json")
		if len(calls) != 2 {
			t.Fatalf("got calls %v, want a channel message then the callback", calls)
		}
		if calls[0].Method != "POST" || calls[0].Path != "/api/v10/channels/8001/messages" {
			t.Errorf("got %s, want POST /api/v10/channels/8001/messages", calls[0])
		}
		m := checkWire(t, calls[0].Body)
		if m.MessageReference == nil || m.MessageReference.MessageID != "6101" {
			t.Errorf("got message reference %+v, want message 6101", m.MessageReference)
		}
		r := decodeResp(t, calls[1].Body)
		ack := checkWire(t, r.Data)
		if r.Type != 4 || ack.Flags&64 == 0 {
			t.Errorf("got callback type %d flags %d, want an ephemeral note", r.Type, ack.Flags)
		}
		reqs := h.requests()
		if len(reqs) != 1 || !reqs[0].IsReply || reqs[0].Command != "ask" || !strings.Contains(reqs[0].Text, "Hong Kong") {
			t.Errorf("got requests %+v, want one ask on the target's behalf", reqs)
		}
	})
	t.Run("answers the interaction when the channel refuses", func(t *testing.T) {
		env := newEnv(t, &fakeHandler{}, nil)
		env.api.FailNext("POST", "/api/v10/channels/", 403)
		calls := gatewayInteraction(t, env, "context_menu.json")
		if len(calls) != 2 {
			t.Fatalf("got calls %v, want the refused post then the callback", calls)
		}
		r := decodeResp(t, calls[1].Body)
		m := checkWire(t, r.Data)
		if r.Type != 4 || m.Flags&64 != 0 || len(m.Embeds) != 1 || !strings.Contains(m.Content, "/channels/7001/8001/6101") {
			t.Errorf("got %s, want a public answer linking the message", r.Data)
		}
		if got := env.failures.get(); len(got) != 1 || got[0] != 403 {
			t.Errorf("got send failures %v, want [403]", got)
		}
	})
	t.Run("HTTP-only mode without a token answers the interaction", func(t *testing.T) {
		h := &fakeHandler{}
		env := newEnv(t, h, func(c *Config) { c.Token = ""; c.PublicKey = strings.Repeat("ab", 32) })
		calls := gatewayInteraction(t, env, "context_menu.json")
		if len(calls) != 1 || !strings.HasSuffix(calls[0].Path, "/callback") {
			t.Fatalf("got calls %v, want the callback only", calls)
		}
		if calls[0].Auth != "" {
			t.Errorf("got authorization %q without a token, want none", calls[0].Auth)
		}
	})
}

func TestAutocomplete(t *testing.T) {
	long := strings.Repeat("What has the SCO contributed to regional security and stability ", 4)
	tests := []struct {
		name      string
		fixture   string
		query     string
		suggest   func(string, int) []bot.Reply
		wantFirst string
		wantN     int
	}{
		{name: "digits", fixture: "autocomplete_digits.json", query: "3", wantFirst: "3 · What has the SCO contributed to regional security?", wantN: 1},
		{name: "words", fixture: "autocomplete_words.json", query: "hong kong", wantN: 1},
		{name: "many long suggestions are cut", fixture: "autocomplete_empty.json", query: "",
			suggest: func(q string, max int) []bot.Reply {
				var out []bot.Reply
				for n := 0; n <= 40; n++ {
					out = append(out, bot.Reply{Number: n%12 + 1, Question: long}) // duplicates and 11, 12 out of range
				}
				return out
			},
			wantN: 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &fakeHandler{suggest: tc.suggest}
			env := newEnv(t, h, nil)
			calls := gatewayInteraction(t, env, tc.fixture)
			if len(calls) != 1 {
				t.Fatalf("got calls %v, want 1", calls)
			}
			var r struct {
				Type int `json:"type"`
				Data struct {
					Choices *[]struct {
						Name  string  `json:"name"`
						Value float64 `json:"value"`
					} `json:"choices"`
				} `json:"data"`
			}
			if err := json.Unmarshal(calls[0].Body, &r); err != nil {
				t.Fatal(err)
			}
			if r.Type != 8 || r.Data.Choices == nil {
				t.Fatalf("got %s, want type 8 with choices", calls[0].Body)
			}
			ch := *r.Data.Choices
			if len(ch) != tc.wantN || len(ch) > 25 {
				t.Errorf("got %d choices, want %d", len(ch), tc.wantN)
			}
			for _, c := range ch {
				if u16(c.Name) > 100 || c.Name == "" {
					t.Errorf("choice name %q is %d units", c.Name, u16(c.Name))
				}
				if !strings.HasPrefix(c.Name, fmt.Sprintf("%d · ", int(c.Value))) || c.Value < 1 || c.Value > 10 {
					t.Errorf("choice %q has value %v", c.Name, c.Value)
				}
			}
			if tc.wantFirst != "" && (len(ch) == 0 || ch[0].Name != tc.wantFirst) {
				t.Errorf("got choices %+v, want first %q", ch, tc.wantFirst)
			}
			if len(h.queries) != 1 || h.queries[0] != tc.query {
				t.Errorf("got queries %q, want [%q]", h.queries, tc.query)
			}
			// Asked for the interaction's channel, as its /answer would be.
			if len(h.suggests) != 1 || h.suggests[0].Platform != Platform || h.suggests[0].ChatID != "8001" || h.suggests[0].Max != maxChoices {
				t.Errorf("Suggest asked %+v, want the channel 8001 on %s and %d at most", h.suggests, Platform, maxChoices)
			}
		})
	}
}

func TestRESTRetries(t *testing.T) {
	tests := []struct {
		name      string
		statuses  []int
		retry     string
		wantCalls int
		wantFail  []int
	}{
		{name: "429 then success honours Retry-After", statuses: []int{429}, retry: "0.05", wantCalls: 2},
		{name: "5xx twice then success", statuses: []int{502, 503}, wantCalls: 3},
		{name: "persistent 500 gives up", statuses: []int{500, 500, 500, 500, 500}, wantCalls: 4, wantFail: []int{500}},
		{name: "Retry-After beyond the limit gives up at once", statuses: []int{429}, retry: "60", wantCalls: 1, wantFail: []int{429}},
		{name: "4xx is not retried", statuses: []int{404}, wantCalls: 1, wantFail: []int{404}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newEnv(t, &fakeHandler{}, nil)
			if tc.retry != "" {
				env.api.RetryAfter = tc.retry
			}
			env.api.FailNext("POST", "/api/v10/interactions/", tc.statuses...)
			start := time.Now()
			calls := gatewayInteraction(t, env, "ask.json")
			if len(calls) != tc.wantCalls {
				t.Errorf("got %d calls, want %d", len(calls), tc.wantCalls)
			}
			if tc.retry == "0.05" && time.Since(start) < 50*time.Millisecond {
				t.Errorf("retried after %v, before Retry-After", time.Since(start))
			}
			if got := env.failures.get(); fmt.Sprint(got) != fmt.Sprint(tc.wantFail) {
				t.Errorf("got send failures %v, want %v", got, tc.wantFail)
			}
			for _, c := range calls {
				if string(c.Body) != string(calls[0].Body) {
					t.Errorf("retry sent a different body: %s vs %s", c.Body, calls[0].Body)
				}
			}
		})
	}
}

func TestPanicsRecovered(t *testing.T) {
	h := &fakeHandler{panicMsg: "boom"}
	env := newEnv(t, h, nil)
	calls := gatewayInteraction(t, env, "ask.json")
	if len(calls) != 1 {
		t.Fatalf("got calls %v, want the apology callback", calls)
	}
	r := decodeResp(t, calls[0].Body)
	m := checkWire(t, r.Data)
	if r.Type != 4 || m.Flags&64 == 0 || !strings.Contains(m.Content, "went wrong") {
		t.Errorf("got %s, want an ephemeral apology", r.Data)
	}
	env.a.onReady(nil, &discordgo.Ready{User: &discordgo.User{ID: testAppID}})
	env.a.onMessageCreate(env.a.session, messageFixture(t, "message_mention.json"))
	if !strings.Contains(env.logs.String(), "boom") {
		t.Errorf("panic not logged: %s", env.logs.String())
	}
	// nil events must not panic either
	env.a.onInteractionCreate(env.a.session, &discordgo.InteractionCreate{})
	env.a.onMessageCreate(env.a.session, &discordgo.MessageCreate{})
}

func TestDeferredGatewayInteraction(t *testing.T) {
	h := &fakeHandler{delay: 150 * time.Millisecond}
	env := newEnv(t, h, func(c *Config) { c.AnswerWindow = 20 * time.Millisecond })
	calls := gatewayInteraction(t, env, "ask.json")
	if len(calls) != 2 {
		t.Fatalf("got calls %v, want a deferral and an edit", calls)
	}
	if r := decodeResp(t, calls[0].Body); r.Type != 5 {
		t.Errorf("got first response type %d, want 5", r.Type)
	}
	if want := "/api/v10/webhooks/9001/itok-ask-SECRET/messages/@original"; calls[1].Method != "PATCH" || calls[1].Path != want {
		t.Errorf("got %s, want PATCH %s", calls[1], want)
	}
	checkWire(t, calls[1].Body)
}

func TestNewRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no credentials", Config{}, "token"},
		{"bad public key", Config{PublicKey: "zz"}, "public key"},
		{"short public key", Config{PublicKey: "abcd"}, "public key"},
		{"shard out of range", Config{Token: "x", ShardID: 2, ShardCount: 2}, "shard"},
		{"bad API base", Config{Token: "x", APIBase: "ftp://x"}, "API base"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.cfg, &fakeHandler{})
			if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got error %v, want ErrConfig mentioning %q", err, tc.want)
			}
		})
	}
	if _, err := New(Config{Token: "x"}, nil); !errors.Is(err, ErrConfig) {
		t.Errorf("nil handler: got %v, want ErrConfig", err)
	}
}

func TestShutdownWaitsForFollowUps(t *testing.T) {
	h := &fakeHandler{delay: 300 * time.Millisecond}
	env := newEnv(t, h, func(c *Config) { c.AnswerWindow = 10 * time.Millisecond })
	env.a.onInteractionCreate(env.a.session, &discordgo.InteractionCreate{Interaction: interactionFixture(t, "ask.json")})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := env.a.Shutdown(ctx); err == nil {
		t.Error("Shutdown returned before the follow-up was sent")
	}
	env.wait(t)
	if n := len(env.api.Calls()); n != 2 {
		t.Errorf("got %d calls after Shutdown, want 2", n)
	}
}
