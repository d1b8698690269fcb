package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"transcriptbot/adapters/telegram/telegramtest"
)

// The measurements of the README's "acknowledged means answered" figures; the defaults are
// the SIGTERM scenario and a short outage (pass -webhook.outage=30s for the README's).
var (
	flagSigtermUpdates = flag.Int("webhook.updates", 600, "TestWebhookSIGTERMBacklog: updates delivered before SIGTERM")
	flagSigtermOver    = flag.Duration("webhook.over", 3*time.Second, "TestWebhookSIGTERMBacklog: the time they arrive over")
	flagConns          = flag.Int("webhook.conns", 0, "deliveries at once (0: max_connections from setWebhook, as Telegram does)")
	flagOutage         = flag.Duration("webhook.outage", 3*time.Second, "TestWebhookBotAPIOutage: how long the Bot API fails every sendMessage")
)

// tgCloud plays Telegram for a bot in webhook mode: the Bot API (the shared fake,
// telegramtest) and the delivery of updates to the webhook as Telegram does it — at most
// max_connections requests at once (from setWebhook), a delivery that does not get a 2xx
// (an error status, a refused or closed connection) retried later, one that gets a 2xx
// never again.
type tgCloud struct {
	t   *testing.T
	api *telegramtest.Server

	mu       sync.Mutex
	target   string // the webhook URL deliveries go to ("" : paused)
	secret   string
	maxConns int
	hookSet  chan struct{} // closed at the first setWebhook
	down     bool          // sendMessage fails with a proxy's 502 page (an outage)
	updates  []*cloudUpdate
	due      []int // indexes of updates waiting for (re)delivery, in order
	wake     chan struct{}
	sent     map[string]int // "chat/question" answered -> messages sent
	refusals map[int]int    // non-2xx status (0: no response) -> deliveries
	failed   int            // Bot API calls failed by the outage
}

type cloudUpdate struct {
	raw      string
	key      string // "chat/question" its answer is recognised by
	acked    bool   // a delivery got 2xx: Telegram forgets it
	attempts int
	notAfter time.Time // not delivered again before this
}

func newTGCloud(t *testing.T, secret string) *tgCloud {
	c := &tgCloud{t: t, secret: secret, hookSet: make(chan struct{}), wake: make(chan struct{}, 1),
		sent: map[string]int{}, refusals: map[int]int{}}
	c.api = telegramtest.NewServer(testTelegramToken)
	c.api.Username = "transcript_test_bot"
	t.Cleanup(c.api.Close)
	c.api.Handle("setWebhook", func(call telegramtest.Call) (any, *telegramtest.Fault) {
		n, err := strconv.Atoi(call.Params["max_connections"])
		if err != nil || n < 1 || n > 100 || call.Params["secret_token"] != c.secret {
			c.t.Errorf("setWebhook: max_connections %q, secret %q", call.Params["max_connections"], call.Params["secret_token"])
			n = 40
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		c.maxConns = n
		select {
		case <-c.hookSet:
		default:
			close(c.hookSet)
		}
		return true, nil
	})
	c.api.Handle("sendMessage", func(call telegramtest.Call) (any, *telegramtest.Fault) {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.down {
			c.failed++
			return nil, &telegramtest.Fault{Status: http.StatusBadGateway, HTML: true}
		}
		chat, text := call.Params["chat_id"], call.Params["text"]
		if m := answerNumber.FindStringSubmatch(text); m != nil {
			c.sent[chat+"/"+m[1]]++
		} else {
			c.t.Errorf("chat %s: got %.80q, want an answer", chat, text)
		}
		id, _ := strconv.ParseInt(chat, 10, 64)
		return map[string]any{"message_id": 1, "date": 1700000000, "text": text,
			"chat": map[string]any{"id": id, "type": "private"}, "from": c.api.BotUser()}, nil
	})
	return c
}

func (c *tgCloud) endpoint() string { return c.api.Endpoint() }

// add queues updates for delivery: update i asks "/answer q" in private chat 700000+c.
func (c *tgCloud) add(id int, chat int64, question int) {
	u := &cloudUpdate{
		raw: webhookUpdate(id, map[string]any{"id": chat, "type": "private"}, id, chat, "/answer "+strconv.Itoa(question)),
		key: strconv.FormatInt(chat, 10) + "/" + strconv.Itoa(question),
	}
	c.mu.Lock()
	c.updates = append(c.updates, u)
	c.due = append(c.due, len(c.updates)-1)
	c.mu.Unlock()
	c.poke()
}

func (c *tgCloud) poke() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// deliverTo points deliveries at a webhook URL ("" pauses them).
func (c *tgCloud) deliverTo(url string) {
	c.mu.Lock()
	c.target = url
	c.mu.Unlock()
	c.poke()
}

func (c *tgCloud) setDown(down bool) {
	c.mu.Lock()
	c.down = down
	c.mu.Unlock()
}

// run delivers updates with max_connections workers until ctx is done.
func (c *tgCloud) run(ctx context.Context) {
	select {
	case <-c.hookSet:
	case <-ctx.Done():
		return
	}
	c.mu.Lock()
	n := c.maxConns
	c.mu.Unlock()
	if *flagConns > 0 {
		n = *flagConns // a client that does not keep to max_connections
	}
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: n}}
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for ctx.Err() == nil {
				i, raw, target, wait := c.next()
				if i < 0 {
					select {
					case <-c.wake:
						c.poke() // let the other workers look too
					case <-time.After(wait):
					case <-ctx.Done():
					}
					continue
				}
				status := c.deliver(ctx, client, target, raw)
				c.mu.Lock()
				u := c.updates[i]
				if status >= 200 && status < 300 {
					u.acked = true
				} else {
					c.refusals[status]++
					// Telegram retries with growing pauses; these are short so tests end.
					u.notAfter = time.Now().Add(min(time.Duration(u.attempts)*200*time.Millisecond, 2*time.Second))
					c.due = append(c.due, i)
				}
				c.mu.Unlock()
			}
		})
	}
	wg.Wait()
}

// next takes the first update due for delivery (its index, body and the webhook URL), or
// returns -1 and how long to wait.
func (c *tgCloud) next() (int, string, string, time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.target == "" {
		return -1, "", "", time.Second
	}
	now := time.Now()
	wait := time.Second
	for k, i := range c.due {
		u := c.updates[i]
		if d := u.notAfter.Sub(now); d > 0 {
			wait = min(wait, d)
			continue
		}
		c.due = append(c.due[:k], c.due[k+1:]...)
		u.attempts++
		return i, u.raw, c.target, 0
	}
	return -1, "", "", wait
}

// deliver posts one update and returns the HTTP status (0: no response).
func (c *tgCloud) deliver(ctx context.Context, client *http.Client, target, raw string) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(raw))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", c.secret)
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// tally counts the updates so far.
type deliveryTally struct {
	updates, acked, answered, lost, duplicates, pending int
	refusals                                            map[int]int
	maxAttempts, apiFailures                            int
}

func (c *tgCloud) tally() deliveryTally {
	c.mu.Lock()
	defer c.mu.Unlock()
	d := deliveryTally{updates: len(c.updates), refusals: map[int]int{}, apiFailures: c.failed}
	for k, v := range c.refusals {
		d.refusals[k] = v
	}
	for _, u := range c.updates {
		sent := c.sent[u.key]
		if sent > 0 {
			d.answered++
		}
		if sent > 1 {
			d.duplicates++
		}
		switch {
		case u.acked && sent == 0:
			d.lost++
		case u.acked:
			d.acked++
		default:
			d.pending++
		}
		d.maxAttempts = max(d.maxAttempts, u.attempts)
	}
	return d
}

func (d deliveryTally) String() string {
	return fmt.Sprintf("%d updates: %d acknowledged (200) and answered, %d acknowledged and lost, %d not acknowledged (refused or not yet delivered: Telegram still holds them), %d answered more than once; refused deliveries by status (0 = connection refused or closed): %v; at most %d deliveries of one update; %d Bot API calls failed by the outage",
		d.updates, d.acked, d.lost, d.pending, d.duplicates, d.refusals, d.maxAttempts, d.apiFailures)
}

func webhookDeliveryEnv(c *tgCloud, secret string) map[string]string {
	return map[string]string{
		"TELEGRAM_TOKEN": testTelegramToken, "TELEGRAM_API_ENDPOINT": c.endpoint(),
		"TELEGRAM_WEBHOOK_URL": "https://bot.example.org/telegram/webhook", "TELEGRAM_WEBHOOK_SECRET": secret,
	}
}

// waitDeadline polls cond until it holds or d passes.
func waitDeadline(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestWebhookSIGTERMBacklog: -webhook.updates updates over 200 chats arrive over
// -webhook.over through a Telegram that keeps max_connections requests open, with
// Telegram's real send limits (30 messages a second); then SIGTERM. Every update is either
// acknowledged and answered, or not acknowledged (Telegram keeps it) — none acknowledged and
// lost. After a restart Telegram delivers the rest, and every update is answered.
func TestWebhookSIGTERMBacklog(t *testing.T) {
	const secret = "sigterm-hook-secret"
	cloud := newTGCloud(t, secret)
	env := webhookDeliveryEnv(cloud, secret)
	r := startServe(t, env, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	delivering := make(chan struct{})
	go func() { defer close(delivering); cloud.run(ctx) }()
	defer func() { cancel(); <-delivering }()
	cloud.deliverTo(r.base + "/telegram/webhook")

	n, over := *flagSigtermUpdates, *flagSigtermOver
	start := time.Now()
	for i := range n {
		time.Sleep(time.Until(start.Add(over * time.Duration(i) / time.Duration(n))))
		cloud.add(i+1, int64(700000+i%200), 1+i/200%10)
	}
	code, took := r.stop() // SIGTERM
	if code != exitOK {
		t.Errorf("exit status: got %d, want 0", code)
	}
	cloud.deliverTo("") // the bot is down; Telegram keeps the rest
	atStop := cloud.tally()
	t.Logf("SIGTERM after %v, exit %d after %v: %v", time.Since(start).Round(time.Millisecond)-took.Round(time.Millisecond), code, took.Round(time.Millisecond), atStop)
	if atStop.lost != 0 {
		t.Errorf("%d updates acknowledged (200) but never answered", atStop.lost)
	}
	if !strings.Contains(r.logs.String(), "shutting down") {
		t.Errorf("logs: no shutdown line:\n%s", r.logs)
	}

	// Restart: Telegram delivers what it still holds.
	r2 := startServe(t, env, nil)
	cloud.deliverTo(r2.base + "/telegram/webhook")
	waitDeadline(t, 3*time.Minute, "every update acknowledged after the restart", func() bool { return cloud.tally().pending == 0 })
	final := cloud.tally()
	t.Logf("after a restart: %v", final)
	if final.lost != 0 || final.answered != n {
		t.Errorf("after a restart: got %d answered and %d lost, want all %d answered and none lost", final.answered, final.lost, n)
	}
	r2.stop()
}

// TestWebhookBotAPIOutage: updates arrive steadily (15 a second) while the Bot API fails
// every call for -webhook.outage, from 3 s in. Updates whose replies cannot be sent are
// refused and delivered again until they are answered: in the end every update is answered
// and none was acknowledged and lost.
func TestWebhookBotAPIOutage(t *testing.T) {
	const secret = "outage-hook-secret"
	cloud := newTGCloud(t, secret)
	r := startServe(t, webhookDeliveryEnv(cloud, secret), nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	delivering := make(chan struct{})
	go func() { defer close(delivering); cloud.run(ctx) }()
	defer func() { cancel(); <-delivering }()
	cloud.deliverTo(r.base + "/telegram/webhook")

	outage := *flagOutage
	total := 3*time.Second + outage + 7*time.Second
	n := int(15 * total / time.Second)
	start := time.Now()
	outageOn, outageOff := start.Add(3*time.Second), start.Add(3*time.Second+outage)
	var down, up bool
	for i := range n {
		time.Sleep(time.Until(start.Add(total * time.Duration(i) / time.Duration(n))))
		if now := time.Now(); !down && now.After(outageOn) {
			cloud.setDown(true)
			down = true
		} else if down && !up && now.After(outageOff) {
			cloud.setDown(false)
			up = true
		}
		cloud.add(i+1, int64(700000+i%200), 1+i/200%10)
	}
	if !up {
		time.Sleep(time.Until(outageOff))
		cloud.setDown(false)
	}
	waitDeadline(t, 3*time.Minute, "every update acknowledged", func() bool { return cloud.tally().pending == 0 })
	d := cloud.tally()
	t.Logf("%v outage under %d updates over %v: %v", outage, n, total, d)
	if d.lost != 0 || d.answered != n {
		t.Errorf("got %d answered and %d lost, want all %d answered and none lost", d.answered, d.lost, n)
	}
	if d.apiFailures == 0 {
		t.Errorf("got no failed Bot API calls, want the outage to have failed some")
	}
	// Five tries span about 8 s: a longer outage makes updates come back refused.
	if outage >= 10*time.Second && d.refusals[http.StatusServiceUnavailable] == 0 {
		t.Errorf("got no deliveries refused with 503 in a %v outage, want some", outage)
	}
	if code, _ := r.stop(); code != exitOK {
		t.Errorf("exit status: got %d, want 0", code)
	}
}
