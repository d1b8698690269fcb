package discord

import (
	"context"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"transcriptbot/adapters/dedup"
	"transcriptbot/bot"
)

// messageFixture decodes a MESSAGE_CREATE event's data as the gateway handler does.
func messageFixture(t *testing.T, name string) *discordgo.MessageCreate {
	t.Helper()
	m, err := decodeMessage(readFixture(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &discordgo.MessageCreate{Message: m}
}

func TestMentions(t *testing.T) {
	tests := []struct {
		name     string
		fixture  string
		wantKind bot.Kind
		wantText string
		private  bool
		ignored  bool
	}{
		{name: "mention with a question", fixture: "message_mention.json", wantKind: bot.KindMention, wantText: "what about   Hong Kong?"},
		{name: "nickname mention with a number", fixture: "message_mention_nick.json", wantKind: bot.KindMention, wantText: "3"},
		{name: "direct message", fixture: "message_dm.json", wantKind: bot.KindMessage, wantText: "what about trade", private: true},
		{name: "mention of the bot's managed role", fixture: "message_role_mention.json", wantKind: bot.KindMention, wantText: "what about trade"},
		{name: "mention of another role", fixture: "message_other_role.json", ignored: true},
		{name: "reply to the bot's answer", fixture: "message_reply.json", wantKind: bot.KindMention, wantText: "and what about trade?"},
		{name: "system message", fixture: "message_system.json", ignored: true},
		{name: "channel message without a mention", fixture: "message_no_mention.json", ignored: true},
		{name: "another bot", fixture: "message_from_bot.json", ignored: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &fakeHandler{}
			env := newEnv(t, h, nil)
			env.a.onReady(nil, &discordgo.Ready{User: &discordgo.User{ID: testAppID}})
			// What GUILD_CREATE would have stored: the bot's managed role and another one.
			if err := env.a.session.State.GuildAdd(&discordgo.Guild{
				ID:      "7001",
				Roles:   []*discordgo.Role{{ID: "555", Name: "transcriptbot", Managed: true}, {ID: "556", Name: "mods"}},
				Members: []*discordgo.Member{{User: &discordgo.User{ID: testAppID}, Roles: []string{"555", "556"}}},
			}); err != nil {
				t.Fatal(err)
			}
			mc := messageFixture(t, tc.fixture)
			env.a.onMessageCreate(env.a.session, mc)
			calls := env.api.Calls()
			reqs := h.requests()
			if tc.ignored {
				if len(calls) != 0 || len(reqs) != 0 {
					t.Errorf("got calls %v and requests %+v, want none", calls, reqs)
				}
				return
			}
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Kind != tc.wantKind || r.Text != tc.wantText || r.Private != tc.private || r.UserID != "5004" || r.ChatID != mc.ChannelID || r.Platform != "discord" {
				t.Errorf("got request %+v, want kind %v text %q private %v", r, tc.wantKind, tc.wantText, tc.private)
			}
			if len(calls) != 1 || calls[0].Method != "POST" || calls[0].Path != "/api/v10/channels/"+mc.ChannelID+"/messages" {
				t.Fatalf("got calls %v, want one channel message", calls)
			}
			m := checkWire(t, calls[0].Body)
			if m.MessageReference == nil || m.MessageReference.MessageID != mc.ID {
				t.Errorf("got reference %+v, want a reply to %s", m.MessageReference, mc.ID)
			}
			if len(m.Embeds) != 1 {
				t.Errorf("got %d embeds, want 1", len(m.Embeds))
			}
		})
	}
}

func TestMentionSilentAndRetry(t *testing.T) {
	h := &fakeHandler{reply: func(bot.Request) bot.Reply { return bot.Reply{Kind: bot.ReplySilent} }}
	env := newEnv(t, h, nil)
	env.a.onReady(nil, &discordgo.Ready{User: &discordgo.User{ID: testAppID}})
	env.a.onMessageCreate(env.a.session, messageFixture(t, "message_mention.json"))
	if calls := env.api.Calls(); len(calls) != 0 {
		t.Errorf("got calls %v for a silent reply, want none", calls)
	}

	env2 := newEnv(t, &fakeHandler{}, nil)
	env2.a.onReady(nil, &discordgo.Ready{User: &discordgo.User{ID: testAppID}})
	env2.api.FailNext("POST", "/api/v10/channels/", 429)
	env2.a.onMessageCreate(env2.a.session, messageFixture(t, "message_mention.json"))
	if calls := env2.api.Calls(); len(calls) != 2 {
		t.Errorf("got calls %v, want a 429 and a successful retry", calls)
	}
}

func TestStripMention(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<@9001> 3", "3"},
		{"<@!9001>, what about Hong Kong", "what about Hong Kong"},
		{"what about <@9001> trade", "what about   trade"},
		{"<@9001>", ""},
		{"<@9002> hello", "<@9002> hello"},
	}
	for _, tc := range tests {
		if got := stripMention(tc.in, "9001"); got != tc.want {
			t.Errorf("stripMention(%q): got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestClaimDropsDuplicates(t *testing.T) {
	h := &fakeHandler{}
	seen := dedup.NewMemory(dedup.MemoryOptions{})
	env := newEnv(t, h, func(c *Config) { c.Dedup = seen })
	env.a.onReady(nil, &discordgo.Ready{User: &discordgo.User{ID: testAppID}})
	for i := 0; i < 2; i++ {
		env.a.onMessageCreate(env.a.session, messageFixture(t, "message_mention.json"))
		env.a.onInteractionCreate(env.a.session, &discordgo.InteractionCreate{Interaction: interactionFixture(t, "ask.json")})
	}
	env.wait(t)
	if n := len(h.requests()); n != 2 {
		t.Errorf("got %d requests, want 2 (one message, one interaction)", n)
	}
	if n := len(env.api.Calls()); n != 2 {
		t.Errorf("got %d REST calls, want 2", n)
	}
	for _, id := range []string{"message:6201", "interaction:1101"} {
		if first, _ := seen.FirstSeen(context.Background(), id); first {
			t.Errorf("%s: not recorded, want the event's id claimed", id)
		}
	}
}

func TestShutdownWaitsForMentionReplies(t *testing.T) {
	h := &fakeHandler{delay: 200 * time.Millisecond, entered: make(chan struct{}, 1)}
	env := newEnv(t, h, nil)
	env.a.onReady(nil, &discordgo.Ready{User: &discordgo.User{ID: testAppID}})
	go env.a.onMessageCreate(env.a.session, messageFixture(t, "message_mention.json"))
	await(t, h.entered, "the handler to run")
	env.wait(t)
	if n := len(env.api.Calls()); n != 1 {
		t.Errorf("got %d calls when Shutdown returned, want the reply sent", n)
	}
}
