package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"transcriptbot/adapters/discord/discordtest"
	"transcriptbot/bot"
	"transcriptbot/bot/bottest"
)

// discordMenu returns a query the real bot answers with a "did you mean" menu in Discord's
// limits, and the question numbers it offers.
func discordMenu(t *testing.T, b *bot.Bot) (string, []string) {
	t.Helper()
	for _, q := range bottest.MenuCandidates {
		r := b.Handle(t.Context(), bot.Request{Kind: bot.KindMessage, Text: q, Limits: replyLimits})
		if r.Kind != bot.ReplyAmbiguous || len(r.Actions) < 3 {
			continue
		}
		var nums []string
		for _, a := range r.Actions[:len(r.Actions)-1] { // the last is "None of these"
			nums = append(nums, a.ID[strings.LastIndexByte(a.ID, ':')+1:])
		}
		if nums[0] != "1" {
			return q, nums
		}
	}
	t.Fatal("no query gives a did-you-mean menu: update bottest.MenuCandidates")
	return "", nil
}

// mentionEvent is a MESSAGE_CREATE of user in channel 8001 mentioning the bot.
func mentionEvent(t *testing.T, id, user, text string) *discordgo.MessageCreate {
	t.Helper()
	raw, err := json.Marshal(map[string]any{
		"id": id, "channel_id": "8001", "guild_id": "7001", "content": "<@" + testAppID + "> " + text,
		"author":    map[string]any{"id": user, "username": "u" + user},
		"mentions":  []any{map[string]any{"id": testAppID, "username": "transcriptbot", "bot": true}},
		"timestamp": "2024-05-01T10:00:00.000000+00:00", "type": 0,
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := decodeMessage(raw)
	if err != nil {
		t.Fatal(err)
	}
	return &discordgo.MessageCreate{Message: m}
}

// TestFollowUpsByMention: a user's next mention in the channel refers to the menu the bot
// showed them there; another user's does not.
func TestFollowUpsByMention(t *testing.T) {
	b, tr := realBotAt(t, bottest.MenuThreshold)
	query, choices := discordMenu(t, b)
	env := newEnv(t, b, func(c *Config) { c.Questions = tr.Len() })
	env.a.onReady(nil, &discordgo.Ready{User: &discordgo.User{ID: testAppID}})
	say := func(id, user, text string) wireMsg {
		t.Helper()
		before := len(env.api.Calls())
		env.a.onMessageCreate(env.a.session, mentionEvent(t, id, user, text))
		calls := env.api.Calls()
		if len(calls) != before+1 {
			t.Fatalf("%q: got calls %v, want one reply", text, calls[before:])
		}
		return checkWire(t, calls[before].Body)
	}
	title := func(m wireMsg) string {
		if len(m.Embeds) == 0 {
			return m.Content
		}
		return m.Embeds[0].Title
	}
	say("6301", "5004", query)
	if got := title(say("6302", "5004", "the second one")); !strings.HasPrefix(got, choices[1]+" · ") {
		t.Errorf("the second one: got %q, want question %s", got, choices[1])
	}
	if got := title(say("6303", "5005", "the first one")); !strings.HasPrefix(got, "1 · ") {
		t.Errorf("another user's first one: got %q, want question 1", got)
	}
	say("6304", "5004", query)
	if got := title(say("6305", "5004", "yes")); !strings.HasPrefix(got, choices[0]+" · ") {
		t.Errorf("yes: got %q, want question %s", got, choices[0])
	}
}

// TestFollowUpsBySlashCommand: /ask "the first one" after a menu shown by /ask picks from it.
func TestFollowUpsBySlashCommand(t *testing.T) {
	b, tr := realBotAt(t, bottest.MenuThreshold)
	query, choices := discordMenu(t, b)
	env := newHTTPEnv(t, b, func(c *Config) { c.Questions = tr.Len(); c.Source = tr.Title })
	ask := func(seq int, text string) wireMsg {
		_, m := env.exchange(t, interactionJSON(t, fmt.Sprint(seq), discordgo.InteractionApplicationCommand,
			slash("ask", map[string]any{"name": "question", "type": 3, "value": text})))
		return m
	}
	if m := ask(1, query); len(m.Components) == 0 {
		t.Fatalf("the menu for %q has no buttons", query)
	}
	m := ask(2, "the first one")
	if len(m.Embeds) != 1 || !strings.HasPrefix(m.Embeds[0].Title, choices[0]+" · ") {
		t.Fatalf("/ask the first one: got %+v, want question %s", m.Embeds, choices[0])
	}
	full := b.Handle(t.Context(), bot.Request{Kind: bot.KindCommand, Command: "answer", Text: choices[0], Limits: replyLimits})
	want := "That was the whole answer to question " + choices[0]
	if full.Pages > 1 {
		want = "(2/" // the next page
	}
	m = ask(3, "more")
	raw, _ := json.Marshal(m)
	if !strings.Contains(string(raw), want) {
		t.Errorf("/ask more after answer %s (%d pages): got %s, want it to contain %q", choices[0], full.Pages, raw, want)
	}
}

// TestJoiningAServerPostsNothing: GUILD_CREATE for a server the bot was just added to (with a
// system channel to post in) makes the bot post nothing; a mention that follows is answered,
// and after shutdown that answer is the only message sent.
func TestJoiningAServerPostsNothing(t *testing.T) {
	gw := newFakeGateway(t, func(n int, g *discordtest.Gateway, c *websocket.Conn) {
		if _, err := g.Hello(c); err != nil {
			return
		}
		if err := g.Ready(c, testAppID); err != nil {
			return
		}
		_ = c.WriteJSON(map[string]any{"op": 0, "t": "GUILD_CREATE", "s": 2, "d": map[string]any{
			"id": "7002", "name": "New server", "joined_at": "2024-05-01T10:00:00.000000+00:00",
			"system_channel_id": "8002", "owner_id": "5009", "member_count": 3,
			"channels": []any{map[string]any{"id": "8002", "type": 0, "name": "general", "guild_id": "7002"}},
			"roles":    []any{}, "members": []any{}, "emojis": []any{}, "unavailable": false,
		}})
		_ = c.WriteJSON(map[string]any{"op": 0, "t": "MESSAGE_CREATE", "s": 3, "d": map[string]any{
			"id": "6401", "channel_id": "8002", "guild_id": "7002", "content": "<@" + testAppID + "> question 2",
			"author":    map[string]any{"id": "5009", "username": "owner"},
			"mentions":  []any{map[string]any{"id": testAppID, "username": "transcriptbot", "bot": true}},
			"timestamp": "2024-05-01T10:00:01.000000+00:00", "type": 0,
		}})
		discordtest.Drain(c)
	})
	b, tr := realBot(t)
	env := newEnv(t, b, func(c *Config) { c.Questions = tr.Len() })
	env.api.SetGateway(gw.WebsocketURL())
	ctx, cancel := context.WithCancel(context.Background())
	done := runAdapter(t, env, ctx)
	posts := func() []string {
		var out []string
		for _, c := range env.api.Calls() {
			if c.Method == "POST" && strings.HasPrefix(c.Path, "/api/v10/channels/") {
				out = append(out, string(c.Body))
			}
		}
		return out
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(posts()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := waitErr(t, done); err != nil {
		t.Fatalf("Run: %v", err)
	}
	got := posts()
	if len(got) != 1 || !strings.Contains(got[0], `"message_id":"6401"`) {
		t.Fatalf("got channel posts %q, want only the reply to the mention", got)
	}
}
