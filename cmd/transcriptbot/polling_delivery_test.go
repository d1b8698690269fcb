package main

import (
	"flag"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"transcriptbot/adapters/telegram/telegramtest"
)

// The measurement of the README's polling outage figure; the default is a short outage (pass
// -polling.outage=60s for the README's).
var flagPollOutage = flag.Duration("polling.outage", 3*time.Second, "TestPollingBotAPIOutage: how long the Bot API fails every sendMessage")

// pollCloud plays Telegram for a bot in long-polling mode: the fake Bot API (telegramtest,
// with getUpdates' real offset semantics) whose sendMessage fails with a proxy's 502 page
// while it is down, and which records, at every getUpdates, the updates its offset confirms
// before their answer was sent — acknowledged and lost, were the bot to stop then.
type pollCloud struct {
	t   *testing.T
	api *telegramtest.Server

	mu          sync.Mutex
	down        bool
	failed      int // sendMessage calls failed by the outage
	failedChats map[string]bool
	sent        map[string]int // "chat/question" answered -> messages sent
	keys        map[int]string // update id -> "chat/question"
	early       map[int]bool   // confirmed while unanswered
	nextID      int
}

func newPollCloud(t *testing.T) *pollCloud {
	c := &pollCloud{t: t, sent: map[string]int{}, keys: map[int]string{}, early: map[int]bool{}, failedChats: map[string]bool{}, nextID: 1}
	c.api = telegramtest.NewUnstartedServer(testTelegramToken)
	c.api.Username = "transcript_test_bot"
	c.api.Observe = func(call telegramtest.Call) {
		if call.Method != "getUpdates" {
			return
		}
		off, _ := strconv.Atoi(call.Params["offset"])
		c.mu.Lock()
		defer c.mu.Unlock()
		for id, key := range c.keys {
			if id < off && c.sent[key] == 0 {
				c.early[id] = true
			}
		}
	}
	c.api.Handle("sendMessage", func(call telegramtest.Call) (any, *telegramtest.Fault) {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.down {
			c.failed++
			c.failedChats[call.Params["chat_id"]] = true
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
	c.api.Start()
	t.Cleanup(c.api.Close)
	return c
}

// add queues the next update: "/answer question" in private chat chat.
func (c *pollCloud) add(chat int64, question int) {
	c.mu.Lock()
	id := c.nextID
	c.nextID++
	c.keys[id] = strconv.FormatInt(chat, 10) + "/" + strconv.Itoa(question)
	c.mu.Unlock()
	c.api.PushRaw(id, []byte(webhookUpdate(id, map[string]any{"id": chat, "type": "private"}, id, chat, "/answer "+strconv.Itoa(question))))
}

func (c *pollCloud) setDown(down bool) {
	c.mu.Lock()
	c.down = down
	c.mu.Unlock()
}

type pollTally struct {
	updates, answered, duplicates, unanswered, early, lost, unconfirmed, failed int
}

func (c *pollCloud) tally() pollTally {
	c.mu.Lock()
	defer c.mu.Unlock()
	d := pollTally{updates: len(c.keys), early: len(c.early), failed: c.failed, unconfirmed: c.api.Pending()}
	for id, key := range c.keys {
		switch n := c.sent[key]; {
		case n == 0:
			d.unanswered++
			if id < c.api.Confirmed() {
				d.lost++
			}
		case n > 1:
			d.duplicates++
			fallthrough
		default:
			d.answered++
		}
	}
	return d
}

func (d pollTally) String() string {
	return fmt.Sprintf("%d updates: %d answered (%d more than once), %d unanswered; %d confirmed before their answer was sent, %d confirmed and never answered (lost), %d unconfirmed; %d sendMessage calls failed by the outage",
		d.updates, d.answered, d.duplicates, d.unanswered, d.early, d.lost, d.unconfirmed, d.failed)
}

func pollingEnv(c *pollCloud) map[string]string {
	return map[string]string{"TELEGRAM_TOKEN": testTelegramToken, "TELEGRAM_API_ENDPOINT": c.api.Endpoint()}
}

// TestPollingBotAPIOutage: updates arrive by getUpdates steadily (15 a second, over 200 chats)
// while the Bot API fails every sendMessage for -polling.outage, from 3 s in. Replies are held
// and retried, their updates unconfirmed: in the end every update is answered once, and none
// was confirmed before its answer was sent. (Before, a reply whose 5 tries — about 8 s — fell
// inside the outage was dropped and its update confirmed.)
func TestPollingBotAPIOutage(t *testing.T) {
	cloud := newPollCloud(t)
	r := startServe(t, pollingEnv(cloud), nil)

	outage := *flagPollOutage
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
		cloud.add(int64(700000+i%200), 1+i/200%10)
	}
	if !up {
		time.Sleep(time.Until(outageOff))
		cloud.setDown(false)
	}
	// Settled: every update answered, or confirmed unanswered (lost: Telegram forgot it).
	waitDeadline(t, 3*time.Minute, "every update answered or lost", func() bool { d := cloud.tally(); return d.unanswered == d.lost })
	drained := time.Since(outageOff)
	if _, body := r.get("/metrics"); !strings.Contains(body, `transcriptbot_platform_api_down{platform="telegram"} 0`) ||
		strings.Contains(body, "transcriptbot_replies_dropped_total{") {
		t.Errorf("metrics after the outage: want the API up and no reply dropped:\n%s", body)
	}
	code, took := r.stop()
	if code != exitOK {
		t.Errorf("exit status: got %d, want 0", code)
	}
	d := cloud.tally()
	t.Logf("%v outage under %d updates over %v; settled %v after it ended; then SIGTERM (exit after %v): %v", outage, n, total, drained.Round(100*time.Millisecond), took.Round(time.Millisecond), d)
	if d.answered != n || d.duplicates != 0 || d.early != 0 || d.lost != 0 {
		t.Errorf("got %d answered, %d more than once, %d confirmed before their answer; want all %d answered once, none confirmed before", d.answered, d.duplicates, d.early, n)
	}
	if d.unconfirmed != 0 {
		t.Errorf("after shutdown: %d updates unconfirmed, want 0 (all answered)", d.unconfirmed)
	}
	if d.failed == 0 {
		t.Errorf("got no failed sendMessage calls, want the outage to have failed some")
	}
	if logs := r.logs.String(); !strings.Contains(logs, "Bot API failing") || strings.Contains(logs, "reply dropped") || strings.Contains(logs, "request dropped") {
		t.Errorf("logs: want the outage reported and no reply dropped:\n%s", logs)
	}
}

// TestPollingSIGTERMInOutage: SIGTERM while the Bot API fails every sendMessage leaves every
// unanswered update unconfirmed; after a restart with the Bot API back, each is answered once.
func TestPollingSIGTERMInOutage(t *testing.T) {
	cloud := newPollCloud(t)
	env := pollingEnv(cloud)
	env["SHUTDOWN_TIMEOUT"] = "2s"
	r := startServe(t, env, nil)
	cloud.setDown(true)
	const n = 60
	for i := range n {
		cloud.add(int64(710000+i%20), 1+i/20)
	}
	waitDeadline(t, time.Minute, "sends to every chat failing", func() bool {
		cloud.mu.Lock()
		defer cloud.mu.Unlock()
		return len(cloud.failedChats) == 20
	})
	code, took := r.stop()
	if code != exitOK {
		t.Errorf("exit status: got %d, want 0", code)
	}
	atStop := cloud.tally()
	t.Logf("SIGTERM in the outage (exit after %v): %v", took.Round(time.Millisecond), atStop)
	if atStop.unconfirmed != n || atStop.early != 0 {
		t.Errorf("after SIGTERM: %d unconfirmed and %d confirmed unanswered, want all %d unconfirmed", atStop.unconfirmed, atStop.early, n)
	}

	cloud.setDown(false)
	r2 := startServe(t, env, nil)
	waitDeadline(t, 3*time.Minute, "every update answered after the restart", func() bool { return cloud.tally().unanswered == 0 })
	r2.stop()
	final := cloud.tally()
	t.Logf("after a restart: %v", final)
	if final.answered != n || final.duplicates != 0 || final.early != 0 || final.unconfirmed != 0 {
		t.Errorf("after a restart: %v; want all %d answered once, none confirmed before its answer, none left", final, n)
	}
}
