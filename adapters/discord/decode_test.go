package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"transcriptbot/adapters/dedup"
	"transcriptbot/adapters/discord/discordtest"
)

// withInteractionID returns an interaction's JSON with its id replaced: a new interaction of
// the same shape (the endpoint answers each id once).
func withInteractionID(t *testing.T, body []byte, id string) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	m["id"], _ = json.Marshal(id)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The fixtures with component types discordgo v0.29.0 does not know (18 Label, 19, and
// numbers Discord has not assigned): the library refuses each of them whole.
var libraryRefuses = []string{
	"context_menu_unknown_component.json",
	"modal_submit_label.json",
	"button_components_v2.json",
}

// TestLibraryRefusesNewComponents shows why the adapter decodes interactions itself: the
// library fails on every fixture holding a component type it does not know.
func TestLibraryRefusesNewComponents(t *testing.T) {
	for _, name := range libraryRefuses {
		var i discordgo.Interaction
		if err := json.Unmarshal(readFixture(t, name), &i); err == nil || !strings.Contains(err.Error(), "unknown component type") {
			t.Errorf("%s: discordgo decoded it (err %v): the fixture no longer shows the library's refusal", name, err)
		}
	}
	var m discordgo.Message
	if err := json.Unmarshal(readFixture(t, "message_mention_unknown_component.json"), &m); err == nil {
		t.Error("message_mention_unknown_component.json: discordgo decoded it: the fixture no longer shows the library's refusal")
	}
}

func TestDecodeInteraction(t *testing.T) {
	tests := []struct {
		fixture   string
		typ       discordgo.InteractionType
		channel   string
		user      string
		target    string // the resolved target's text
		customID  string
		component discordgo.ComponentType
	}{
		{fixture: "context_menu_components_v2.json", typ: discordgo.InteractionApplicationCommand, channel: "8001", user: "5001",
			target: "## Question of the day\nWhat did they say about Hong Kong?"},
		{fixture: "context_menu_unknown_component.json", typ: discordgo.InteractionApplicationCommand, channel: "8001", user: "5001",
			target: "what did they say about Hong Kong?"},
		{fixture: "context_menu_channel_object.json", typ: discordgo.InteractionApplicationCommand, channel: "8001", user: "5001",
			target: "what did they say about Hong Kong?"},
		{fixture: "context_menu_no_channel.json", typ: discordgo.InteractionApplicationCommand, user: "5001",
			target: "what did they say about Hong Kong?"},
		{fixture: "modal_submit_label.json", typ: discordgo.InteractionModalSubmit, channel: "8001", user: "5001", customID: "feedback"},
		{fixture: "button_components_v2.json", typ: discordgo.InteractionMessageComponent, channel: "8001", user: "5001",
			customID: "full:abcd1234:3", component: discordgo.ButtonComponent},
		{fixture: "ask_dm.json", typ: discordgo.InteractionApplicationCommand, channel: "8999", user: "5002"},
	}
	for _, tc := range tests {
		t.Run(tc.fixture, func(t *testing.T) {
			i, err := decodeInteraction(readFixture(t, tc.fixture))
			if err != nil {
				t.Fatalf("got error %v", err)
			}
			if i.Type != tc.typ || i.ChannelID != tc.channel || i.ID == "" || i.Token == "" || i.AppID != "9001" {
				t.Errorf("got type %v, channel %q, id %q, token %q, app %q; want type %v, channel %q",
					i.Type, i.ChannelID, i.ID, i.Token, i.AppID, tc.typ, tc.channel)
			}
			if got := (&Adapter{}).request(i).UserID; got != tc.user {
				t.Errorf("got user %q, want %q", got, tc.user)
			}
			switch d := i.Data.(type) {
			case discordgo.ApplicationCommandInteractionData:
				if tc.target == "" {
					break
				}
				if d.Resolved == nil || d.Resolved.Messages[d.TargetID] == nil {
					t.Fatalf("no resolved target %q in %+v", d.TargetID, d)
				}
				if got := d.Resolved.Messages[d.TargetID].Content; got != tc.target {
					t.Errorf("got target text %q, want %q", got, tc.target)
				}
			case discordgo.ModalSubmitInteractionData:
				if d.CustomID != tc.customID {
					t.Errorf("got custom id %q, want %q", d.CustomID, tc.customID)
				}
			case discordgo.MessageComponentInteractionData:
				if d.CustomID != tc.customID || d.ComponentType != tc.component {
					t.Errorf("got custom id %q type %v, want %q type %v", d.CustomID, d.ComponentType, tc.customID, tc.component)
				}
			default:
				t.Errorf("got data %T", i.Data)
			}
		})
	}
}

func TestDecodeInteractionMalformed(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"not JSON", `{"type":2,`, "malformed interaction"},
		{"an array", `[1,2]`, "malformed interaction"},
		{"no type", `{"id":"1","token":"t"}`, "no type"},
		{"type not a number", `{"id":"1","token":"t","type":"command"}`, "malformed interaction"},
		{"no id", `{"type":2,"token":"t","data":{"name":"ask"}}`, "no id or token"},
		{"no token", `{"type":2,"id":"1","data":{"name":"ask"}}`, "no id or token"},
		{"id not an id", `{"type":2,"id":"1","token":"t","channel_id":{"x":1}}`, "malformed interaction"},
		{"data not an object", `{"type":2,"id":"1","token":"t","data":"ask"}`, "data"},
		{"options not a list", `{"type":2,"id":"1","token":"t","data":{"name":"ask","options":{"name":"question"}}}`, "data"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeInteraction([]byte(tc.body))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got error %v, want one containing %q", err, tc.want)
			}
		})
	}
	// Absent optional parts are not malformed.
	for _, body := range []string{
		`{"type":1}`,
		`{"type":2,"id":"1","token":"t"}`,
		`{"type":2,"id":1234,"token":"t","data":null,"member":null,"user":null,"channel":null}`,
		`{"type":3,"id":"1","token":"t","data":{}}`,
		`{"type":2,"id":"1","token":"t","data":{"name":"Answer from transcript","type":3,"target_id":"5","resolved":{"messages":{"5":{"content":7}}}}}`,
	} {
		if _, err := decodeInteraction([]byte(body)); err != nil {
			t.Errorf("%s: got error %v, want none", body, err)
		}
	}
}

// TestHTTPTolerantDecoding posts interactions shaped like Discord's current documentation
// to the signed endpoint: message commands whose target holds Components V2 or component
// types no library knows yet, a modal submit with labels, a button on a Components V2
// message. Each must be answered (200), not refused.
func TestHTTPTolerantDecoding(t *testing.T) {
	tests := []struct {
		fixture  string
		wantType int
		text     string // the request's text, for a message command
		content  string // in the response's content
		noLink   bool
	}{
		{fixture: "context_menu_components_v2.json", wantType: 4, text: "## Question of the day\nWhat did they say about Hong Kong?",
			content: "Answer to https://discord.com/channels/7001/8001/6111"},
		{fixture: "context_menu_unknown_component.json", wantType: 4, text: "what did they say about Hong Kong?",
			content: "Answer to https://discord.com/channels/7001/8001/6112"},
		{fixture: "context_menu_channel_object.json", wantType: 4, text: "what did they say about Hong Kong?",
			content: "Answer to https://discord.com/channels/43123123/8001/123"},
		{fixture: "context_menu_no_channel.json", wantType: 4, text: "what did they say about Hong Kong?", noLink: true},
		{fixture: "modal_submit_label.json", wantType: 4, content: "can't handle this kind of interaction"},
		{fixture: "button_components_v2.json", wantType: 7},
	}
	for _, tc := range tests {
		t.Run(tc.fixture, func(t *testing.T) {
			h := &fakeHandler{}
			env := newHTTPEnv(t, h, nil)
			status, out := env.post(t, readFixture(t, tc.fixture), env.priv, testNow, nil)
			if status != http.StatusOK {
				t.Fatalf("got status %d %q, want 200; logs:\n%s", status, out, env.logs)
			}
			r := decodeResp(t, out)
			if r.Type != tc.wantType {
				t.Fatalf("got response type %d, want %d: %s", r.Type, tc.wantType, out)
			}
			m := checkWire(t, r.Data)
			if !strings.Contains(m.Content, tc.content) {
				t.Errorf("got content %q, want it to contain %q", m.Content, tc.content)
			}
			if tc.noLink && strings.Contains(m.Content, "discord.com/channels") {
				t.Errorf("got content %q, want no link without a channel", m.Content)
			}
			if i := strings.Index(m.Content, "https://"); i >= 0 && strings.Contains(m.Content[i+len("https://"):], "//") {
				t.Errorf("got a link with an empty segment: %q", m.Content)
			}
			if tc.text != "" {
				reqs := h.requests()
				if len(reqs) != 1 || reqs[0].Text != tc.text || !reqs[0].IsReply {
					t.Errorf("got requests %+v, want one with the text %q", reqs, tc.text)
				}
			}
		})
	}
}

// TestHTTPRefusalsLogged: every refused request is logged at level Warn with the reason.
func TestHTTPRefusalsLogged(t *testing.T) {
	env := newHTTPEnv(t, &fakeHandler{}, nil)
	tests := []struct {
		name   string
		body   string
		key    bool // sign with the right key
		status int
		reason string
	}{
		{"not JSON", `{"type":2,`, true, http.StatusBadRequest, "malformed interaction"},
		{"no token", `{"type":2,"id":"77","data":{"name":"ask"}}`, true, http.StatusBadRequest, "no id or token"},
		{"data not an object", `{"type":2,"id":"78","token":"t","data":[1]}`, true, http.StatusBadRequest, "data"},
		{"unsigned", `{"type":1}`, false, http.StatusUnauthorized, "signature does not match"},
	}
	_, wrong, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := strings.Count(env.logs.String(), "interaction refused")
			key := env.priv
			if !tc.key {
				key = wrong
			}
			status, out := env.post(t, []byte(tc.body), key, testNow, nil)
			if status != tc.status || !strings.Contains(string(out), tc.reason) {
				t.Errorf("got %d %q, want %d with %q", status, out, tc.status, tc.reason)
			}
			logs := env.logs.String()
			if strings.Count(logs, "interaction refused") != before+1 {
				t.Fatalf("got no new refusal logged; logs:\n%s", logs)
			}
			lines := strings.Split(strings.TrimSpace(logs), "\n")
			last := lines[len(lines)-1]
			if !strings.Contains(last, "level=WARN") || !strings.Contains(last, "interaction refused") || !strings.Contains(last, tc.reason) {
				t.Errorf("got log line %q, want level WARN with the reason %q", last, tc.reason)
			}
		})
	}
}

// TestHTTPReplayRefused: a signed request posted again within the signature window is refused
// (409) and logged, without reaching the bot; another interaction is still answered.
func TestHTTPReplayRefused(t *testing.T) {
	h := &fakeHandler{}
	env := newHTTPEnv(t, h, nil)
	ask := readFixture(t, "ask.json")
	if status, out := env.post(t, ask, env.priv, testNow, nil); status != http.StatusOK {
		t.Fatalf("first delivery: got %d %q, want 200", status, out)
	}
	for range 2 {
		status, out := env.post(t, ask, env.priv, testNow, nil)
		if status != http.StatusConflict || !strings.Contains(string(out), "already received") {
			t.Errorf("replay: got %d %q, want 409 saying it was already received", status, out)
		}
	}
	if n := strings.Count(env.logs.String(), "replayed request"); n != 2 {
		t.Errorf("got %d replays logged, want 2; logs:\n%s", n, env.logs)
	}
	if status, _ := env.post(t, withInteractionID(t, ask, "1102"), env.priv, testNow, nil); status != http.StatusOK {
		t.Errorf("another interaction: got %d, want 200", status)
	}
	if n := len(h.requests()); n != 2 {
		t.Errorf("the bot got %d requests, want 2 (the replays never reach it)", n)
	}
}

// TestHTTPReplayAcrossReplicas: with a shared Dedup (Redis in serve), a request replayed to
// another replica is refused there too.
func TestHTTPReplayAcrossReplicas(t *testing.T) {
	shared := dedup.NewMemory(dedup.MemoryOptions{}) // one store for both replicas
	one := newHTTPEnv(t, &fakeHandler{}, func(c *Config) { c.Dedup = shared })
	two := newHTTPEnv(t, &fakeHandler{}, func(c *Config) { c.Dedup = shared })
	two.pub, two.priv = one.pub, one.priv
	two.a.pubKey = one.pub // one application, two replicas
	ask := readFixture(t, "ask.json")
	if status, out := one.post(t, ask, one.priv, testNow, nil); status != http.StatusOK {
		t.Fatalf("replica one: got %d %q, want 200", status, out)
	}
	if status, out := two.post(t, ask, two.priv, testNow, nil); status != http.StatusConflict {
		t.Errorf("the same request to replica two: got %d %q, want 409", status, out)
	}
	if !strings.Contains(two.logs.String(), "replayed request") {
		t.Errorf("replica two logged no replay; logs:\n%s", two.logs)
	}
}

// TestReplays: the replayed interaction ids are remembered for the signature window (twice
// MaxTimestampSkew), at most MaxReplayIDs of them, the oldest forgotten first.
func TestReplays(t *testing.T) {
	now := testNow
	env := newHTTPEnv(t, &fakeHandler{}, func(c *Config) {
		c.MaxTimestampSkew, c.MaxReplayIDs = 5*time.Minute, 3
		c.Now = func() time.Time { return now }
	})
	s := env.a.replays
	first := func(id string, at time.Time) bool {
		now = at
		ok, err := s.FirstSeen(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	start := now
	for _, id := range []string{"a", "b", "c"} {
		if !first(id, start) {
			t.Fatalf("%s: got seen, want first", id)
		}
	}
	if first("a", start.Add(9*time.Minute)) {
		t.Error("a within the window: got first, want seen")
	}
	// Full: the oldest id is forgotten for a new one.
	if !first("d", start.Add(time.Minute)) || s.Len() != 3 {
		t.Errorf("d: got len %d, want 3 with d recorded", s.Len())
	}
	if !first("a", start.Add(2*time.Minute)) {
		t.Error("a after being evicted: got seen, want first")
	}
	// Past the window every id is forgotten.
	later := start.Add(13 * time.Minute)
	for _, id := range []string{"b", "c", "d"} {
		if !first(id, later) {
			t.Errorf("%s after the window: got seen, want first", id)
		}
	}
	if s.Len() != 3 {
		t.Errorf("got %d ids remembered, want 3", s.Len())
	}
}

// TestGatewayTolerantDecoding sends, over a fake gateway websocket, an INTERACTION_CREATE
// whose target message holds component types discordgo does not know, a modal submit with
// labels and a MESSAGE_CREATE with unknown components: each is answered.
func TestGatewayTolerantDecoding(t *testing.T) {
	events := []struct{ typ, fixture string }{
		{"INTERACTION_CREATE", "context_menu_unknown_component.json"},
		{"INTERACTION_CREATE", "modal_submit_label.json"},
		{"MESSAGE_CREATE", "message_mention_unknown_component.json"},
	}
	gw := newFakeGateway(t, func(n int, g *discordtest.Gateway, c *websocket.Conn) {
		if _, err := g.Hello(c); err != nil {
			return
		}
		if err := g.Ready(c, testAppID); err != nil {
			return
		}
		for k, e := range events {
			if err := c.WriteJSON(map[string]any{"op": 0, "t": e.typ, "s": k + 2, "d": json.RawMessage(readFixture(t, e.fixture))}); err != nil {
				return
			}
		}
		discordtest.Drain(c)
	})
	h := &fakeHandler{}
	env := newEnv(t, h, nil)
	env.api.SetGateway(gw.WebsocketURL())
	ctx, cancel := context.WithCancel(context.Background())
	done := runAdapter(t, env, ctx)
	defer func() {
		cancel()
		if err := waitErr(t, done); err != nil {
			t.Error(err)
		}
	}()
	has := func(method, path string) bool {
		for _, c := range env.api.Calls() {
			if c.Method == method && c.Path == path {
				return true
			}
		}
		return false
	}
	deadline := time.Now().Add(15 * time.Second)
	for !(has("POST", "/api/v10/interactions/1612/itok-ctx-unknown/callback") &&
		has("POST", "/api/v10/interactions/1701/itok-modal/callback") && len(h.requests()) == 2 && countPosts(env) == 2) {
		if time.Now().After(deadline) {
			t.Fatalf("not every event answered; calls %v, requests %+v; logs:\n%s", env.api.Calls(), h.requests(), env.logs)
		}
		time.Sleep(10 * time.Millisecond)
	}
	texts := map[string]bool{}
	for _, r := range h.requests() {
		texts[r.Text] = true
	}
	if !texts["what did they say about Hong Kong?"] || !texts["what about   Hong Kong?"] {
		t.Errorf("got requests %+v, want the target's text and the mention's", h.requests())
	}
	for _, c := range env.api.Calls() {
		if c.Path == "/api/v10/interactions/1701/itok-modal/callback" {
			r := decodeResp(t, c.Body)
			if m := checkWire(t, r.Data); r.Type != 4 || !strings.Contains(m.Content, "can't handle") {
				t.Errorf("modal submit: got %s, want the polite refusal", c.Body)
			}
		}
	}
}

// countPosts counts the messages posted in channel 8001 (replies to the target and the mention).
func countPosts(env *testEnv) int {
	n := 0
	for _, c := range env.api.Calls() {
		if c.Method == "POST" && c.Path == "/api/v10/channels/8001/messages" {
			n++
		}
	}
	return n
}
