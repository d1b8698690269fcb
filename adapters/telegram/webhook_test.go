package telegram

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"transcriptbot/adapters/dedup"
	"transcriptbot/adapters/telegram/telegramtest"
)

func webhookEnv(t *testing.T) *testEnv {
	e := newEnv(t)
	e.cfg.WebhookURL = "https://bot.example/telegram/webhook"
	e.cfg.WebhookSecret = "s3cr3t_Value-1"
	e.cfg.MaxWebhookBody = 4096
	return e
}

func TestWebhook(t *testing.T) {
	e := webhookEnv(t)
	a := e.adapter(t)
	srv := httptest.NewServer(a.WebhookHandler())
	defer srv.Close()
	post := func(method, secret, body string) int {
		req, _ := http.NewRequest(method, srv.URL, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if secret != "" {
			req.Header.Set(SecretHeader, secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("webhook request: %v", err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	update := `{"update_id":41,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"from":{"id":5,"is_bot":false,"first_name":"U"},"text":"via webhook"}}`

	if got := post(http.MethodPost, e.cfg.WebhookSecret, update); got != http.StatusServiceUnavailable {
		t.Errorf("before Run: got %d, want %d", got, http.StatusServiceUnavailable)
	}
	stop := run(t, a)
	waitFor(t, "webhook set", a.Ready)
	hook := e.fake.Calls("setWebhook")
	if len(hook) != 1 || hook[0].Params["secret_token"] != e.cfg.WebhookSecret || hook[0].Params["url"] != e.cfg.WebhookURL ||
		hook[0].Params["allowed_updates"] != `["message","edited_message","callback_query","inline_query","my_chat_member"]` {
		t.Fatalf("setWebhook: got %v", hook)
	}

	tests := []struct {
		name, method, secret, body string
		want                       int
	}{
		{"GET", http.MethodGet, e.cfg.WebhookSecret, "", http.StatusMethodNotAllowed},
		{"no secret", http.MethodPost, "", update, http.StatusUnauthorized},
		{"wrong secret", http.MethodPost, "s3cr3t_Value-2", update, http.StatusUnauthorized},
		{"secret prefix", http.MethodPost, "s3cr3t", update, http.StatusUnauthorized},
		{"too large", http.MethodPost, e.cfg.WebhookSecret, `{"update_id":1,"x":"` + strings.Repeat("a", 5000) + `"}`, http.StatusRequestEntityTooLarge},
		{"malformed JSON", http.MethodPost, e.cfg.WebhookSecret, `{"update_id":`, http.StatusBadRequest},
		{"no update_id", http.MethodPost, e.cfg.WebhookSecret, `{"message":{}}`, http.StatusBadRequest},
		{"valid", http.MethodPost, e.cfg.WebhookSecret, update, http.StatusOK},
		{"retry of the same update", http.MethodPost, e.cfg.WebhookSecret, update, http.StatusOK},
		{"undecodable but valid JSON", http.MethodPost, e.cfg.WebhookSecret, `{"update_id":42,"message":7}`, http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := post(tc.method, tc.secret, tc.body); got != tc.want {
				t.Errorf("got %d, want %d", got, tc.want)
			}
		})
	}
	waitFor(t, "the answer", func() bool { return len(e.fake.SentTexts()) == 1 })
	// Run returns once in-flight updates are answered: a duplicate would be sent by then.
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := len(e.fake.SentTexts()); got != 1 {
		t.Errorf("answers: got %d, want 1 (the retry is de-duplicated)", got)
	}
	if got := len(e.fake.Calls("getUpdates")); got != 0 {
		t.Errorf("getUpdates in webhook mode: got %d calls, want 0", got)
	}
	if got := post(http.MethodPost, e.cfg.WebhookSecret, strings.Replace(update, "41", "43", 1)); got != http.StatusServiceUnavailable {
		t.Errorf("after shutdown: got %d, want %d", got, http.StatusServiceUnavailable)
	}
	checkNoLeak(t, "logs", e.logs.String())
}

// TestWebhookRepliesFinishOnShutdown: an update accepted just before shutdown is answered
// before Run returns, and its webhook request gets 200 once the answer is sent.
func TestWebhookRepliesFinishOnShutdown(t *testing.T) {
	e := webhookEnv(t)
	e.fake.Inject("sendMessage", telegramtest.Fault{Delay: 300 * time.Millisecond})
	a := e.adapter(t)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- a.Run(ctx) }()
	waitFor(t, "webhook set", a.Ready)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/telegram/webhook", strings.NewReader(
		`{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"text":"hi"}}`))
	req.Header.Set(SecretHeader, e.cfg.WebhookSecret)
	served := make(chan struct{})
	go func() { a.WebhookHandler().ServeHTTP(rec, req); close(served) }()
	waitFor(t, "the send in flight", func() bool { return len(e.fake.Calls("sendMessage")) == 1 })
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("Run: %v", err)
	}
	<-served
	if rec.Code != http.StatusOK {
		t.Fatalf("got %d, want 200", rec.Code)
	}
	if got := len(e.fake.SentTexts()); got != 1 {
		t.Errorf("answers: got %d, want 1", got)
	}
}

func TestWebhookSetupErrors(t *testing.T) {
	tests := []struct {
		name  string
		fault []telegramtest.Fault
		want  error
	}{
		{"bad token", []telegramtest.Fault{{Status: 401}}, ErrUnauthorized},
		{"retried then set", []telegramtest.Fault{{Status: 502, HTML: true}, {Drop: true}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := webhookEnv(t)
			a := e.adapter(t)
			e.fake.Inject("setWebhook", tc.fault...)
			ctx, cancel := context.WithCancel(context.Background())
			errc := make(chan error, 1)
			go func() { errc <- a.Run(ctx) }()
			defer cancel()
			if tc.want == nil {
				waitFor(t, "webhook set", a.Ready)
				cancel()
			}
			if err := <-errc; !errors.Is(err, tc.want) && !(tc.want == nil && err == nil) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
	e := webhookEnv(t)
	e.fake.Inject("setWebhook", telegramtest.Fault{Status: 400, Description: "Bad Request: bad webhook: HTTPS url must be provided for webhook"})
	a := e.adapter(t)
	err := a.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "HTTPS url must be provided") {
		t.Errorf("got %v, want the 400 description", err)
	}
}

// TestReplicasShareDeduper: two replicas behind one webhook share a Deduper (as they would a
// Redis one); the same update delivered to both is answered once.
func TestReplicasShareDeduper(t *testing.T) {
	e := webhookEnv(t)
	e.cfg.Dedup = dedup.NewMemory(dedup.MemoryOptions{})
	a1, a2 := e.adapter(t), e.adapter(t)
	stop1, stop2 := run(t, a1), run(t, a2)
	waitFor(t, "both ready", func() bool { return a1.Ready() && a2.Ready() })
	for i, a := range []*Adapter{a1, a2, a1} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/telegram/webhook", strings.NewReader(
			`{"update_id":9,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"text":"once"}}`))
		req.Header.Set(SecretHeader, e.cfg.WebhookSecret)
		a.WebhookHandler().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("delivery %d: got %d, want 200", i, rec.Code)
		}
	}
	waitFor(t, "the answer", func() bool { return len(e.fake.SentTexts()) >= 1 })
	// Run returns once in-flight updates are answered: a duplicate would be sent by then.
	for _, stop := range []func() error{stop1, stop2} {
		if err := stop(); err != nil {
			t.Fatalf("Run: %v", err)
		}
	}
	if got := len(e.fake.SentTexts()); got != 1 {
		t.Errorf("answers: got %d, want 1", got)
	}
}
