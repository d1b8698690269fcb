package discord

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"transcriptbot/adapters/recent"
	"transcriptbot/bot"
)

// fakeClock is a settable clock for the recent-answer store.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// numberedReply answers "about N" with an excerpt of question N and /answer N with its full
// answer (so does "full N"), so that tests choose the question.
func numberedReply(req bot.Request) bot.Reply {
	if full, ok := strings.CutPrefix(req.Text, "full "); ok {
		req.Kind, req.Command, req.Text = bot.KindCommand, "answer", full
	}
	if req.Kind == bot.KindCommand && req.Command == "answer" {
		n, _ := strconv.Atoi(req.Text)
		return bot.Reply{Kind: bot.ReplyByNumber, Number: n, Question: "Question " + req.Text,
			Body: []bot.Span{{Text: "The full answer " + req.Text + "."}}, Page: 1, Pages: 1}
	}
	_, num, _ := strings.Cut(req.Text, "about ")
	n, err := strconv.Atoi(strings.TrimSpace(num))
	if err != nil {
		return bot.Reply{Kind: bot.ReplyNotCovered, Body: []bot.Span{{Text: "Not covered."}}}
	}
	return bot.Reply{Kind: bot.ReplyAnswer, Number: n, Question: "Question " + num,
		Body: []bot.Span{{Text: "Excerpt of answer " + num + "."}}}
}

// How a repeat step asks.
const (
	viaMention = iota // a message mentioning the bot
	viaAsk            // /ask question:TEXT
	viaAnswer         // /answer number:TEXT
	viaMenu           // the context-menu command on a message reading TEXT
)

type repeatStep struct {
	via     int
	guild   string // "" for a DM
	channel string
	text    string
	advance time.Duration
	gone    bool // the earlier answer was deleted: Discord refuses the pointer
	private bool // /ask private:true
	// pointTo is the step whose answer the reply must point to; -1 for a full answer.
	pointTo int
}

func TestGroupRepeatPointer(t *testing.T) {
	const g, c, c2 = "7001", "8001", "8002"
	tests := []struct {
		name  string
		steps []repeatStep
	}{
		{"a mention twice in a channel: a pointer to the first answer", []repeatStep{
			{via: viaMention, guild: g, channel: c, text: "about 3", pointTo: -1},
			{via: viaMention, guild: g, channel: c, text: "tell me about 3", pointTo: 0},
		}},
		{"a mention twice in a DM: the answer twice", []repeatStep{
			{via: viaMention, channel: "8999", text: "about 3", pointTo: -1},
			{via: viaMention, channel: "8999", text: "about 3", pointTo: -1},
		}},
		{"after the window: the answer again", []repeatStep{
			{via: viaMention, guild: g, channel: c, text: "about 3", pointTo: -1},
			{via: viaMention, guild: g, channel: c, text: "about 3", pointTo: -1, advance: 6 * time.Minute},
			{via: viaMention, guild: g, channel: c, text: "about 3", pointTo: 1, advance: time.Minute},
		}},
		{"another question, another channel: answered", []repeatStep{
			{via: viaMention, guild: g, channel: c, text: "about 3", pointTo: -1},
			{via: viaMention, guild: g, channel: c, text: "about 4", pointTo: -1},
			{via: viaMention, guild: g, channel: c2, text: "about 3", pointTo: -1},
		}},
		{"a slash command after a mention: an ephemeral link to the answer", []repeatStep{
			{via: viaMention, guild: g, channel: c, text: "about 3", pointTo: -1},
			{via: viaAsk, guild: g, channel: c, text: "about 3", pointTo: 0},
		}},
		{"a slash command's own answer is not pointed to", []repeatStep{
			{via: viaAsk, guild: g, channel: c, text: "about 3", pointTo: -1},
			{via: viaMention, guild: g, channel: c, text: "about 3", pointTo: -1},
			{via: viaAsk, guild: g, channel: c, text: "about 3", pointTo: 1},
		}},
		{"a private slash command: answered privately", []repeatStep{
			{via: viaMention, guild: g, channel: c, text: "about 3", pointTo: -1},
			{via: viaAsk, guild: g, channel: c, text: "about 3", private: true, pointTo: -1},
		}},
		{"the full answer after an excerpt: answered; an excerpt after it: a pointer to it", []repeatStep{
			{via: viaMention, guild: g, channel: c, text: "about 3", pointTo: -1},
			{via: viaMention, guild: g, channel: c, text: "full 3", pointTo: -1},
			{via: viaMention, guild: g, channel: c, text: "full 3", pointTo: 1},
			{via: viaMention, guild: g, channel: c, text: "about 3", pointTo: 1},
			{via: viaAnswer, guild: g, channel: c, text: "3", pointTo: 1},
		}},
		{"the context menu after a mention: a pointer in the channel", []repeatStep{
			{via: viaMention, guild: g, channel: c, text: "about 3", pointTo: -1},
			{via: viaMenu, guild: g, channel: c, text: "what about 3", pointTo: 0},
			{via: viaMenu, guild: g, channel: c, text: "and about 4", pointTo: -1},
			{via: viaMention, guild: g, channel: c, text: "about 4", pointTo: 2},
		}},
		{"the earlier answer was deleted: answered in full", []repeatStep{
			{via: viaMention, guild: g, channel: c, text: "about 3", pointTo: -1},
			{via: viaMention, guild: g, channel: c, text: "about 3", pointTo: -1, gone: true},
			{via: viaMention, guild: g, channel: c, text: "about 3", pointTo: 1},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
			h := &fakeHandler{reply: numberedReply}
			env := newEnv(t, h, func(c *Config) {
				c.Recent = recent.NewMemory(recent.MemoryOptions{Now: clock.Now})
				c.RepeatWindow = 5 * time.Minute
			})
			env.a.onReady(nil, &discordgo.Ready{User: &discordgo.User{ID: testAppID}})
			var answers []string // the message id that answered each step
			for i, st := range tc.steps {
				clock.advance(st.advance)
				if st.gone {
					env.api.FailNext("POST", "/api/v10/channels/", 400)
				}
				before := len(env.api.Calls())
				runStep(t, env, i, st)
				calls := env.api.Calls()[before:]
				id, pointer := checkRepeatStep(t, i, st, calls, answers)
				if st.pointTo >= 0 {
					if pointer != answers[st.pointTo] {
						t.Errorf("step %d: points to %q, want %q (the answer of step %d); calls %v", i, pointer, answers[st.pointTo], st.pointTo, calls)
					}
					id = answers[st.pointTo]
				}
				answers = append(answers, id)
			}
		})
	}
}

// runStep sends one step's question to the adapter and waits for every reply.
func runStep(t *testing.T, env *testEnv, i int, st repeatStep) {
	t.Helper()
	id := strconv.Itoa(100 + i)
	switch st.via {
	case viaMention:
		env.a.onMessageCreate(env.a.session, &discordgo.MessageCreate{Message: &discordgo.Message{
			ID: "6" + id, ChannelID: st.channel, GuildID: st.guild, Content: "<@" + testAppID + "> " + st.text,
			Author: &discordgo.User{ID: "5004"}, Mentions: []*discordgo.User{{ID: testAppID}}, Type: discordgo.MessageTypeDefault,
		}})
		return
	case viaAsk, viaAnswer, viaMenu:
	default:
		t.Fatalf("step %d: unknown way of asking", i)
	}
	var data string
	switch st.via {
	case viaAsk:
		data = fmt.Sprintf(`{"id":"3001","name":"ask","type":1,"options":[{"name":"question","type":3,"value":%q},
			{"name":"private","type":5,"value":%t}]}`, st.text, st.private)
	case viaAnswer:
		data = fmt.Sprintf(`{"id":"3002","name":"answer","type":1,"options":[{"name":"number","type":4,"value":%s}]}`, st.text)
	case viaMenu:
		data = fmt.Sprintf(`{"id":"3005","name":"Answer from transcript","type":3,"target_id":"61%[1]s",
			"resolved":{"messages":{"61%[1]s":{"id":"61%[1]s","channel_id":%[2]q,"content":%[3]q,"author":{"id":"5003"}}}}}`, id, st.channel, st.text)
	}
	raw := fmt.Sprintf(`{"id":"1%s","type":2,"token":"itok-%s","application_id":"9001","guild_id":%q,"channel_id":%q,
		"member":{"user":{"id":"5001","username":"alice"},"roles":[]},"data":%s}`, id, id, st.guild, st.channel, data)
	var in discordgo.Interaction
	if err := in.UnmarshalJSON([]byte(raw)); err != nil {
		t.Fatalf("step %d: %v", i, err)
	}
	env.a.onInteractionCreate(env.a.session, &discordgo.InteractionCreate{Interaction: &in})
	env.wait(t)
}

// checkRepeatStep checks the calls one step made: a full answer (returning the id of the
// message that carries it) or a pointer (returning the id pointed to).
func checkRepeatStep(t *testing.T, i int, st repeatStep, calls []call, answers []string) (answerID, pointsTo string) {
	t.Helper()
	var posts []call // messages posted in the channel
	var callback *interactionResp
	for _, c := range calls {
		switch {
		case c.Method == "POST" && strings.HasSuffix(c.Path, "/channels/"+st.channel+"/messages"):
			posts = append(posts, c)
		case c.Method == "POST" && strings.HasSuffix(c.Path, "/callback"):
			r := decodeResp(t, c.Body)
			callback = &r
		default:
			t.Errorf("step %d: unexpected call %s", i, c)
		}
	}
	if st.gone {
		if len(posts) != 2 || !strings.Contains(string(posts[0].Body), "Asked and answered") {
			t.Fatalf("step %d: got %v, want a refused pointer, then the answer", i, calls)
		}
		posts = posts[1:]
	}
	switch st.via {
	case viaMention, viaMenu:
		if len(posts) != 1 {
			t.Fatalf("step %d: got calls %v, want one message in the channel", i, calls)
		}
		m := checkWire(t, posts[0].Body)
		if (st.via == viaMenu) != (callback != nil) {
			t.Errorf("step %d: interaction callback %v", i, callback)
		}
		if callback != nil {
			var d wireMsg
			decodeInto(t, callback.Data, &d)
			if d.Flags&64 == 0 {
				t.Errorf("step %d: the invoker's note is not ephemeral: %s", i, callback.Data)
			}
		}
		pointer := strings.HasPrefix(m.Content, "Asked and answered a moment ago — see question ")
		if pointer != (st.pointTo >= 0) {
			t.Fatalf("step %d: content %q, pointer %v; want pointer %v", i, m.Content, pointer, st.pointTo >= 0)
		}
		if m.MessageReference == nil {
			t.Fatalf("step %d: no message_reference", i)
		}
		if pointer {
			if len(m.Embeds) != 0 || len(m.Components) != 0 {
				t.Errorf("step %d: the pointer carries the answer: %s", i, posts[0].Body)
			}
			return "", m.MessageReference.MessageID
		}
		if len(m.Embeds) != 1 {
			t.Errorf("step %d: the answer has %d embeds, want 1", i, len(m.Embeds))
		}
		if st.guild == "" {
			return "", "" // not remembered: nothing will point to it
		}
		return posts[0].ID, ""
	}
	// Slash commands.
	if len(posts) != 0 || callback == nil || callback.Type != 4 {
		t.Fatalf("step %d: got calls %v, want one callback of type 4", i, calls)
	}
	var d wireMsg
	decodeInto(t, callback.Data, &d)
	if st.pointTo >= 0 {
		if d.Flags&64 == 0 || len(d.Embeds) != 0 {
			t.Errorf("step %d: got %s, want an ephemeral note", i, callback.Data)
		}
		const prefix = "Asked and answered a moment ago — see question "
		link := "https://discord.com/channels/" + st.guild + "/" + st.channel + "/"
		if !strings.HasPrefix(d.Content, prefix) || !strings.Contains(d.Content, link) {
			t.Fatalf("step %d: got %q, want a link to the earlier answer", i, d.Content)
		}
		return "", d.Content[strings.LastIndex(d.Content, "/")+1:]
	}
	if (d.Flags&64 != 0) != st.private || len(d.Embeds) != 1 {
		t.Errorf("step %d: got %s, want the answer (ephemeral %v)", i, callback.Data, st.private)
	}
	return "", ""
}

// TestGroupRepeatHTTPInteractions: over the HTTP endpoint, with a store shared by replicas
// (here one filled by another replica's answer), /ask in that channel gets an ephemeral link.
func TestGroupRepeatHTTPInteractions(t *testing.T) {
	shared := recent.NewMemory(recent.MemoryOptions{})
	if err := shared.Remember(t.Context(), "8001", 5, "424242", time.Minute); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, guild, question, want string
	}{
		{"the same question in that channel", "7001", "about 5", "Asked and answered a moment ago — see question 5: https://discord.com/channels/7001/8001/424242"},
		{"another question", "7001", "about 6", ""},
		{"a DM", "", "about 5", ""},
		{"etiquette off", "7001", "about 5", ""},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newHTTPEnv(t, &fakeHandler{reply: numberedReply}, func(c *Config) {
				c.Recent, c.RepeatWindow = shared, recent.DefaultTTL
				if tc.name == "etiquette off" {
					c.RepeatWindow = 0
				}
			})
			id := strconv.Itoa(20 + i)
			body := `{"id":"` + id + `","type":2,"token":"itok-` + id + `","application_id":"9001","guild_id":"` + tc.guild + `","channel_id":"8001",` +
				`"member":{"user":{"id":"5001"},"roles":[]},"data":{"id":"3001","name":"ask","type":1,"options":[{"name":"question","type":3,"value":"` + tc.question + `"}]}}`
			status, out := env.post(t, []byte(body), env.priv, testNow, nil)
			env.wait(t)
			if status != 200 {
				t.Fatalf("status %d: %s", status, out)
			}
			r := decodeResp(t, out)
			var d wireMsg
			decodeInto(t, r.Data, &d)
			if tc.want != "" {
				if d.Content != tc.want || d.Flags&64 == 0 {
					t.Errorf("got %s, want an ephemeral %q", r.Data, tc.want)
				}
			} else if d.Flags&64 != 0 || len(d.Embeds) != 1 {
				t.Errorf("got %s, want the answer", r.Data)
			}
			if calls := env.api.Calls(); len(calls) != 0 {
				t.Errorf("got REST calls %v, want none", calls)
			}
		})
	}
}
