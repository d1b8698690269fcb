package discord

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"transcriptbot/adapters/discord/discordtest"
	"transcriptbot/bot"
)

var testNow = time.Date(2026, 6, 12, 10, 0, 0, 0, time.UTC)

type httpEnv struct {
	*testEnv
	pub  ed25519.PublicKey
	priv ed25519.PrivateKey
	srv  *httptest.Server
}

func newHTTPEnv(t *testing.T, h bot.Handler, edit func(*Config)) *httpEnv {
	t.Helper()
	signer := discordtest.NewSigner()
	pub, priv := signer.Public, signer.Private
	env := newEnv(t, h, func(c *Config) {
		c.Token = "" // HTTP-only: follow-ups need no bot token
		c.PublicKey = hex.EncodeToString(pub)
		c.Now = func() time.Time { return testNow }
		c.MaxBodyBytes = 8 << 10
		if edit != nil {
			edit(c)
		}
	})
	mux := http.NewServeMux()
	mux.Handle("/discord/interactions", env.a.InteractionsHandler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &httpEnv{testEnv: env, pub: pub, priv: priv, srv: srv}
}

// post sends body signed with key at time ts and returns the status and response body.
func (e *httpEnv) post(t *testing.T, body []byte, key ed25519.PrivateKey, ts time.Time, mutate func(*http.Request)) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest("POST", e.srv.URL+"/discord/interactions", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	(&discordtest.Signer{Private: key}).Sign(req, body, ts)
	req.Header.Set("Content-Type", "application/json")
	if mutate != nil {
		mutate(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

func TestInteractionsEndpointSecurity(t *testing.T) {
	env := newHTTPEnv(t, &fakeHandler{}, nil)
	_, wrongKey, _ := ed25519.GenerateKey(nil)
	ping := readFixture(t, "ping.json")
	tests := []struct {
		name   string
		body   []byte
		key    ed25519.PrivateKey
		ts     time.Time
		mutate func(*http.Request)
		status int
		want   string
	}{
		{name: "valid ping", body: ping, status: 200, want: `{"type":1}`},
		{name: "bad signature", body: ping, status: 401, mutate: func(r *http.Request) {
			r.Header.Set("X-Signature-Ed25519", strings.Repeat("00", 64))
		}},
		{name: "signature of other bytes", body: ping, status: 401, mutate: func(r *http.Request) {
			r.Body = io.NopCloser(strings.NewReader(`{"id":"1001","type":1,"token":"x","application_id":"9001","version":2}`))
			r.ContentLength = -1
		}},
		{name: "wrong key", body: ping, key: wrongKey, status: 401},
		{name: "missing signature", body: ping, status: 401, mutate: func(r *http.Request) { r.Header.Del("X-Signature-Ed25519") }},
		{name: "malformed timestamp", body: ping, status: 401, mutate: func(r *http.Request) { r.Header.Set("X-Signature-Timestamp", "soon") }},
		{name: "stale timestamp", body: ping, ts: testNow.Add(-6 * time.Minute), status: 401},
		{name: "future timestamp", body: ping, ts: testNow.Add(6 * time.Minute), status: 401},
		{name: "timestamp within skew", body: ping, ts: testNow.Add(-4 * time.Minute), status: 200, want: `{"type":1}`},
		{name: "oversized body", body: append([]byte(`{"type":1,"x":"`), bytes.Repeat([]byte("a"), 9<<10)...), status: 413},
		{name: "malformed JSON", body: []byte(`{"type":1,`), status: 400},
		{name: "JSON without a type", body: []byte(`{"id":"1"}`), status: 400},
		{name: "wrong method", body: nil, status: 405, mutate: func(r *http.Request) { r.Method = "GET" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			key := tc.key
			if key == nil {
				key = env.priv
			}
			ts := tc.ts
			if ts.IsZero() {
				ts = testNow
			}
			status, body := env.post(t, tc.body, key, ts, tc.mutate)
			if status != tc.status {
				t.Errorf("got status %d (%s), want %d", status, body, tc.status)
			}
			if tc.want != "" && strings.TrimSpace(string(body)) != tc.want {
				t.Errorf("got body %q, want %q", body, tc.want)
			}
		})
	}
	if calls := env.api.Calls(); len(calls) != 0 {
		t.Errorf("got REST calls %v, want none", calls)
	}
	if n := len(env.h.requests()); n != 0 {
		t.Errorf("got %d bot requests from pings and rejected requests, want 0", n)
	}
}

func TestInteractionsEndpointAnswersDirectly(t *testing.T) {
	h := &fakeHandler{}
	env := newHTTPEnv(t, h, nil)
	status, body := env.post(t, readFixture(t, "ask.json"), env.priv, testNow, nil)
	if status != 200 {
		t.Fatalf("got status %d (%s), want 200", status, body)
	}
	r := decodeResp(t, body)
	m := checkWire(t, r.Data)
	if r.Type != 4 || len(m.Embeds) != 1 || m.Embeds[0].Title != "3 · What has the SCO contributed to regional security?" {
		t.Errorf("got %s, want the answer embed", body)
	}
	env.wait(t)
	if calls := env.api.Calls(); len(calls) != 0 {
		t.Errorf("got REST calls %v, want the answer in the HTTP response only", calls)
	}
	reqs := h.requests()
	if len(reqs) != 1 || reqs[0].Text != "what about Hong Kong" || reqs[0].UserID != "5001" {
		t.Errorf("got requests %+v", reqs)
	}
}

func TestInteractionsEndpointDefers(t *testing.T) {
	tests := []struct {
		name      string
		fixture   string
		reply     func(bot.Request) bot.Reply
		wantType  int
		wantFlags int
		wantCalls []string
		ephemeral bool // of the last call's message
	}{
		{name: "slow answer: deferred then edited", fixture: "ask.json", wantType: 5,
			wantCalls: []string{"PATCH /api/v10/webhooks/9001/itok-ask-SECRET/messages/@original"}},
		{name: "private: deferred ephemerally then edited", fixture: "ask_private.json", wantType: 5, wantFlags: 64,
			wantCalls: []string{"PATCH /api/v10/webhooks/9001/itok-askp/messages/@original"}},
		{name: "button: deferred update then edited", fixture: "button.json", wantType: 6,
			wantCalls: []string{"PATCH /api/v10/webhooks/9001/itok-button/messages/@original"}},
		{name: "expired button after deferral: ephemeral follow-up", fixture: "button_forged.json", wantType: 6,
			wantCalls: []string{"POST /api/v10/webhooks/9001/itok-button2"}, ephemeral: true},
		{name: "public deferral turned ephemeral: delete and follow up", fixture: "ask.json", wantType: 5,
			reply:     func(bot.Request) bot.Reply { return bot.Reply{Kind: bot.ReplyInvalid} },
			wantCalls: []string{"DELETE /api/v10/webhooks/9001/itok-ask-SECRET/messages/@original", "POST /api/v10/webhooks/9001/itok-ask-SECRET"}, ephemeral: true},
		{name: "silent button after deferral sends nothing", fixture: "button.json", wantType: 6,
			reply: func(bot.Request) bot.Reply { return bot.Reply{Kind: bot.ReplySilent} }},
		{name: "silent command after deferral removes the thinking message", fixture: "ask.json", wantType: 5,
			reply:     func(bot.Request) bot.Reply { return bot.Reply{Kind: bot.ReplySilent} },
			wantCalls: []string{"DELETE /api/v10/webhooks/9001/itok-ask-SECRET/messages/@original"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &fakeHandler{delay: 200 * time.Millisecond, reply: tc.reply}
			env := newHTTPEnv(t, h, func(c *Config) { c.AnswerWindow = 20 * time.Millisecond })
			status, body := env.post(t, readFixture(t, tc.fixture), env.priv, testNow, nil)
			if status != 200 {
				t.Fatalf("got status %d (%s)", status, body)
			}
			var r struct {
				Type int `json:"type"`
				Data *struct {
					Flags int `json:"flags"`
				} `json:"data"`
			}
			decodeInto(t, body, &r)
			flags := 0
			if r.Data != nil {
				flags = r.Data.Flags
			}
			if r.Type != tc.wantType || flags != tc.wantFlags {
				t.Errorf("got %s, want type %d flags %d", body, tc.wantType, tc.wantFlags)
			}
			env.wait(t)
			calls := env.api.Calls()
			var got []string
			for _, c := range calls {
				got = append(got, c.String())
			}
			if strings.Join(got, "|") != strings.Join(tc.wantCalls, "|") {
				t.Fatalf("got calls %q, want %q", got, tc.wantCalls)
			}
			if len(calls) == 0 {
				return
			}
			last := calls[len(calls)-1]
			if last.Method == "DELETE" {
				return
			}
			if last.Auth != "" {
				t.Errorf("follow-up sent authorization %q, want none (webhook token auth)", last.Auth)
			}
			m := checkWire(t, last.Body)
			if got := m.Flags&64 != 0; got != tc.ephemeral {
				t.Errorf("got ephemeral %v, want %v (%s)", got, tc.ephemeral, last.Body)
			}
		})
	}
}

func TestInteractionsEndpointAutocompleteNeverDefers(t *testing.T) {
	h := &fakeHandler{}
	release := make(chan struct{})
	h.suggest = func(string, int) []bot.Reply {
		<-release // slower than the window: the response goes first
		return []bot.Reply{{Number: 1, Question: "Q"}}
	}
	env := newHTTPEnv(t, h, func(c *Config) { c.AnswerWindow = 20 * time.Millisecond })
	status, body := env.post(t, readFixture(t, "autocomplete_digits.json"), env.priv, testNow, nil)
	close(release)
	if status != 200 || strings.TrimSpace(string(body)) != `{"type":8,"data":{"choices":[]}}` {
		t.Errorf("got %d %s, want empty choices in time", status, body)
	}
	env.wait(t)
}

func TestInteractionsEndpointWithoutKey(t *testing.T) {
	env := newEnv(t, &fakeHandler{}, nil)
	rec := httptest.NewRecorder()
	env.a.InteractionsHandler().ServeHTTP(rec, httptest.NewRequest("POST", "/discord/interactions", strings.NewReader(`{}`)))
	if rec.Code != 404 {
		t.Errorf("got status %d, want 404 when no public key is configured", rec.Code)
	}
}

func TestReady(t *testing.T) {
	if env := newHTTPEnv(t, &fakeHandler{}, nil); !env.a.Ready() {
		t.Error("HTTP-only adapter not ready")
	}
	if env := newEnv(t, &fakeHandler{}, nil); env.a.Ready() {
		t.Error("gateway adapter ready before Run connected")
	}
}

func TestDeferredFollowUpRetriesNotFound(t *testing.T) {
	h := &fakeHandler{delay: 100 * time.Millisecond}
	env := newHTTPEnv(t, h, func(c *Config) { c.AnswerWindow = 20 * time.Millisecond })
	env.api.FailNext("PATCH", "/api/v10/webhooks/", 404) // the deferral not yet processed
	status, body := env.post(t, readFixture(t, "ask.json"), env.priv, testNow, nil)
	if status != 200 || decodeResp(t, body).Type != 5 {
		t.Fatalf("got %d %s, want a deferral", status, body)
	}
	env.wait(t)
	calls := env.api.Calls()
	if len(calls) != 2 || calls[0].Method != "PATCH" || calls[1].Method != "PATCH" {
		t.Fatalf("got calls %v, want the edit retried once after a 404", calls)
	}
	checkWire(t, calls[1].Body)
	if strings.Contains(env.logs.String(), "follow-up failed") {
		t.Errorf("follow-up logged as failed although the retry succeeded")
	}
}
