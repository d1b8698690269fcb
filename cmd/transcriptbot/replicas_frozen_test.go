package main

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"transcriptbot/adapters/telegram/telegramtest"
)

// postWebhook POSTs one update to a replica's Telegram webhook and returns the status.
func postWebhook(t *testing.T, r *running, secret, update string) int {
	req, err := http.NewRequest(http.MethodPost, r.base+"/telegram/webhook", strings.NewReader(update))
	if err != nil {
		t.Error(err)
		return 0
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestReplicasFrozenRedis freezes the shared Redis (SIGSTOP: its connections stay open and
// nothing is answered) under two webhook replicas. Redis is an optimisation: every update must
// still be answered, /readyz must stay 200 on both replicas (with Redis reported in the body
// and in transcriptbot_redis_up), and once Redis is resumed (SIGCONT) the replicas must use
// it again, an update delivered to both being answered once.
//
// It logs the share of updates answered within 10 s of being posted, the figure recorded in
// the README: go test ./cmd/transcriptbot -run TestReplicasFrozenRedis -v
func TestReplicasFrozenRedis(t *testing.T) {
	redisURL, proc := startRedisProcess(t)
	tg := newFakeTelegram(t)
	const secret = "frozen-hook-secret"
	env := map[string]string{
		"TELEGRAM_TOKEN": testTelegramToken, "TELEGRAM_API_ENDPOINT": tg.Endpoint(),
		"TELEGRAM_WEBHOOK_URL": "https://bot.example.org/telegram/webhook", "TELEGRAM_WEBHOOK_SECRET": secret,
		"REDIS_URL": redisURL, // and the default REDIS_TIMEOUT
		"LOG_LEVEL": "debug",  // to see a duplicate skipped
	}
	replicas := []*running{startServe(t, env, nil), startServe(t, env, nil)}
	for i, r := range replicas {
		waitFor(t, "replica "+strconv.Itoa(i)+" to be ready", func() bool { code, _ := r.get("/readyz"); return code == http.StatusOK })
	}

	if err := proc.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	frozen := true
	resume := func() {
		if frozen {
			frozen = false
			if err := proc.Signal(syscall.SIGCONT); err != nil {
				t.Error(err)
			}
		}
	}
	t.Cleanup(resume)

	// 40 updates from 40 private chats, each POSTed to one replica, all at once.
	const updates = 40
	const firstChat = 930000
	posted := make([]time.Time, updates)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i := range updates {
		wg.Go(func() {
			chat := int64(firstChat + i)
			u := webhookUpdate(300000+i, map[string]any{"id": chat, "type": "private"}, 1, chat, "/answer "+strconv.Itoa(i%10+1))
			mu.Lock()
			posted[i] = time.Now()
			mu.Unlock()
			if code := postWebhook(t, replicas[i%2], secret, u); code != http.StatusOK {
				t.Errorf("update %d: webhook status %d, want 200", i, code)
			}
		})
	}
	// Watch the replies arrive, noting when each chat's first came.
	answeredAt := map[int]time.Time{}
	deadline := time.Now().Add(60 * time.Second)
	for len(answeredAt) < updates && time.Now().Before(deadline) {
		now := time.Now()
		for _, m := range sentMessages(tg) {
			chat, err := strconv.Atoi(m.Get("chat_id"))
			if err != nil || chat < firstChat || chat >= firstChat+updates {
				continue
			}
			if _, ok := answeredAt[chat-firstChat]; !ok {
				answeredAt[chat-firstChat] = now
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	wg.Wait()
	if len(answeredAt) < updates {
		t.Errorf("with Redis frozen: %d of %d updates answered within 60s, want all", len(answeredAt), updates)
	}
	var within10 int
	var lat []time.Duration
	mu.Lock()
	for i, at := range answeredAt {
		d := at.Sub(posted[i])
		lat = append(lat, d)
		if d <= 10*time.Second {
			within10++
		}
	}
	mu.Unlock()
	slices.Sort(lat)
	if len(lat) > 0 {
		t.Logf("Redis frozen, two webhook replicas: %d of %d updates answered within 10s (%.0f%%), %d within 60s; latency p50 %v, max %v",
			within10, updates, 100*float64(within10)/updates, len(lat), lat[len(lat)/2].Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond))
	}

	// While Redis is frozen each replica de-duplicates in its own memory: an update delivered
	// twice to one replica is answered once.
	const again = 950001
	u2 := webhookUpdate(500001, map[string]any{"id": again, "type": "private"}, 1, again, "/answer 4")
	postWebhook(t, replicas[0], secret, u2)
	postWebhook(t, replicas[0], secret, u2)
	waitFor(t, "the answer and the second copy skipped, with Redis frozen", func() bool {
		return answersTo(tg, again) >= 1 && skippedDuplicate(replicas[:1], 500001)
	})
	if got := answersTo(tg, again); got != 1 {
		t.Errorf("an update delivered twice to one replica with Redis frozen: answered %d times, want once", got)
	}

	// Still ready, with Redis reported down in the body and the metric.
	for i, r := range replicas {
		waitFor(t, "replica "+strconv.Itoa(i)+" to report Redis not answering", func() bool {
			_, body := r.get("/readyz")
			return strings.Contains(body, "redis: not answering")
		})
		if code, body := r.get("/readyz"); code != http.StatusOK {
			t.Errorf("replica %d /readyz with Redis frozen: got %d %q, want 200", i, code, body)
		}
		if got := r.metric("transcriptbot_redis_up"); got != 0 {
			t.Errorf("replica %d transcriptbot_redis_up with Redis frozen: got %v, want 0", i, got)
		}
		if got := r.metric(`transcriptbot_redis_failures_total{kind="skipped"}`); got <= 0 {
			t.Errorf("replica %d: got %v operations skipped, want some", i, got)
		}
	}

	// Resumed: both replicas find Redis again and share the de-duplication.
	resume()
	for i, r := range replicas {
		waitFor2(t, 30*time.Second, "replica "+strconv.Itoa(i)+" to use Redis again", func() bool {
			_, body := r.get("/readyz")
			return strings.Contains(body, "redis: ready")
		})
		if got := r.metric("transcriptbot_redis_up"); got != 1 {
			t.Errorf("replica %d transcriptbot_redis_up after the resume: got %v, want 1", i, got)
		}
	}
	const twice = 940001
	u := webhookUpdate(400001, map[string]any{"id": twice, "type": "private"}, 1, twice, "/answer 2")
	var both sync.WaitGroup
	for _, r := range replicas {
		both.Go(func() { postWebhook(t, r, secret, u) })
	}
	both.Wait()
	// One replica answers, the other skips the copy it found claimed in Redis: after both,
	// no copy is left to answer.
	waitFor(t, "one answer and one copy skipped as a duplicate", func() bool {
		return answersTo(tg, twice) >= 1 && skippedDuplicate(replicas, 400001)
	})
	if got := answersTo(tg, twice); got != 1 {
		t.Errorf("an update delivered to both replicas after the resume: answered %d times, want once", got)
	}
	for i, r := range replicas {
		if code, _ := r.stop(); code != exitOK {
			t.Errorf("replica %d: exit status %d, want 0", i, code)
		}
	}
}

// answersTo counts the messages the fake Bot API accepted for chat.
func answersTo(tg *telegramtest.Server, chat int) int {
	n := 0
	for _, m := range sentMessages(tg) {
		if m.Get("chat_id") == strconv.Itoa(chat) {
			n++
		}
	}
	return n
}

// skippedDuplicate reports whether one of the replicas logged (at debug level) that it skipped
// update id as a duplicate.
func skippedDuplicate(replicas []*running, id int) bool {
	for _, r := range replicas {
		for line := range strings.SplitSeq(r.logs.String(), "\n") {
			if strings.Contains(line, "duplicate update skipped") && strings.Contains(line, "update_id="+strconv.Itoa(id)) {
				return true
			}
		}
	}
	return false
}
