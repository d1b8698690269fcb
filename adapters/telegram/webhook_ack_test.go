package telegram

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"transcriptbot/adapters/telegram/telegramtest"
)

// webhookPost posts an update to the handler served by srv and returns the status (0 when the
// request failed, as when ctx ended first).
func webhookPost(ctx context.Context, t *testing.T, srv *httptest.Server, secret, update string) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, strings.NewReader(update))
	if err != nil {
		t.Error(err)
		return 0
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(SecretHeader, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

func privateUpdate(id int, chat int64, text string) string {
	b, _ := json.Marshal(map[string]any{"update_id": id, "message": msg(id, privateChat(chat), chat, text)})
	return string(b)
}

// sentTo counts the answers sent (successfully) that echo text.
func sentTo(f *telegramtest.Server, text string) int {
	n := 0
	for _, s := range f.SentTexts() {
		if strings.Contains(s, text) {
			n++
		}
	}
	return n
}

// TestWebhookAcknowledgesOnlyWhenAnswered: the 200 for an update comes after its reply was
// sent, never before (it used to come as soon as the update was queued), and setWebhook
// carries max_connections.
func TestWebhookAcknowledgesOnlyWhenAnswered(t *testing.T) {
	for _, maxConns := range []int{0, 7} {
		t.Run("max_connections="+strconv.Itoa(maxConns), func(t *testing.T) {
			e := webhookEnv(t)
			e.cfg.WebhookMaxConnections = maxConns
			e.fake.Inject("sendMessage", telegramtest.Fault{Delay: 200 * time.Millisecond})
			a := e.adapter(t)
			srv := httptest.NewServer(a.WebhookHandler())
			defer srv.Close()
			run(t, a)
			waitFor(t, "webhook set", a.Ready)
			want := strconv.Itoa(max(maxConns, 0))
			if maxConns == 0 {
				want = "40"
			}
			if hook := e.fake.Calls("setWebhook"); len(hook) != 1 || hook[0].Params["max_connections"] != want {
				t.Errorf("setWebhook: got %v, want max_connections=%s", hook, want)
			}
			if got := webhookPost(context.Background(), t, srv, e.cfg.WebhookSecret, privateUpdate(1, 5, "slow reply")); got != http.StatusOK {
				t.Fatalf("got %d, want 200", got)
			}
			if got := sentTo(e.fake, "slow reply"); got != 1 {
				t.Errorf("answers sent when the 200 came: got %d, want 1", got)
			}
		})
	}
}

// TestWebhookHandsBackUnanswered: an update whose reply cannot be sent — the Bot API failing
// on every try, or not answering within WebhookReplyTimeout, or Telegram hanging up — gets a
// 503 (it used to get 200 and its reply was dropped), and when Telegram delivers it again it is
// answered, once.
func TestWebhookHandsBackUnanswered(t *testing.T) {
	tests := []struct {
		name   string
		faults []telegramtest.Fault
		hangUp bool // the client gives up while the send is in flight
	}{
		{"Bot API down on every try", []telegramtest.Fault{{Status: 502}, {Status: 502, HTML: true}, {Drop: true}}, false},
		{"Bot API too slow", []telegramtest.Fault{{Delay: time.Minute}}, false},
		{"Telegram hangs up", []telegramtest.Fault{{Delay: time.Minute}}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := webhookEnv(t)
			e.cfg.MaxTries = 3
			if !tc.hangUp {
				e.cfg.WebhookReplyTimeout = 300 * time.Millisecond
			}
			e.fake.Inject("sendMessage", tc.faults...)
			a := e.adapter(t)
			srv := httptest.NewServer(a.WebhookHandler())
			defer srv.Close()
			run(t, a)
			waitFor(t, "webhook set", a.Ready)
			update := privateUpdate(10, 6, "outage")

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			got := make(chan int, 1)
			go func() { got <- webhookPost(ctx, t, srv, e.cfg.WebhookSecret, update) }()
			if tc.hangUp {
				waitFor(t, "the send in flight", func() bool { return len(e.fake.Calls("sendMessage")) == 1 })
				cancel()
				if code := <-got; code != 0 {
					t.Fatalf("hung-up request: got status %d", code)
				}
				waitFor(t, "the update handed back", func() bool { return strings.Contains(e.logs.String(), "handed back for redelivery") })
			} else if code := <-got; code != http.StatusServiceUnavailable {
				t.Fatalf("first delivery: got %d, want 503", code)
			}
			if n := sentTo(e.fake, "outage"); n != 0 {
				t.Fatalf("answers after the failed delivery: got %d, want 0", n)
			}
			// Telegram delivers it again; the Bot API is back.
			if code := webhookPost(context.Background(), t, srv, e.cfg.WebhookSecret, update); code != http.StatusOK {
				t.Fatalf("second delivery: got %d, want 200", code)
			}
			if n := sentTo(e.fake, "outage"); n != 1 {
				t.Errorf("answers: got %d, want 1", n)
			}
		})
	}
}

// TestWebhookShutdownRefusesUnanswered: SIGTERM with a backlog held by rate limits: every
// update is answered with 200 only when its reply was sent, and refused (non-2xx) otherwise
// — none is acknowledged and lost (all used to get 200, and the queue was dropped).
func TestWebhookShutdownRefusesUnanswered(t *testing.T) {
	e := webhookEnv(t)
	e.cfg.Rates = Rates{Chat: 1, ChatBurst: 1, Global: 1000, GlobalBurst: 100}
	e.cfg.ShutdownTimeout = 300 * time.Millisecond
	var accepted atomic.Int64
	testHookAccepted = func() { accepted.Add(1) }
	t.Cleanup(func() { testHookAccepted = nil })
	a := e.adapter(t)
	srv := httptest.NewServer(a.WebhookHandler())
	defer srv.Close()
	stop := run(t, a)
	waitFor(t, "webhook set", a.Ready)

	const n = 20 // one chat at 1 message per second: far more than the grace period allows
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			codes[i] = webhookPost(context.Background(), t, srv, e.cfg.WebhookSecret, privateUpdate(100+i, 7, "backlog "+strconv.Itoa(i)+"."))
		})
	}
	waitFor(t, "the first answer", func() bool { return len(e.fake.SentTexts()) >= 1 })
	// Every update in flight before shutdown, so that the grace period, not intake, cuts the
	// backlog short.
	waitFor(t, "every update taken on", func() bool { return accepted.Load() == n })
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	wg.Wait()
	answered, refused := 0, 0
	for i, code := range codes {
		sent := sentTo(e.fake, "backlog "+strconv.Itoa(i)+".")
		switch {
		case code == http.StatusOK && sent == 1:
			answered++
		case code != http.StatusOK && sent == 0:
			refused++
		default:
			t.Errorf("update %d: got status %d with %d answers sent; want 200 and one answer, or a refusal and none", i, code, sent)
		}
	}
	if answered == 0 || refused == 0 {
		t.Errorf("got %d answered and %d refused, want some of each (the test's rates leave a backlog)", answered, refused)
	}
	if !strings.Contains(e.logs.String(), "webhook requests are answered 503") {
		t.Errorf("logs: want the shutdown line saying what happens in webhook mode:\n%s", e.logs)
	}
}
