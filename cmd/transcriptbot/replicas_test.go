package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"transcriptbot/adapters/redis"
	"transcriptbot/adapters/redis/redistest"
)

// startRedisServer runs a private redis-server (adapters/redis/redistest) until the test
// ends and returns its URL.
func startRedisServer(t *testing.T) string {
	url, _ := startRedisProcess(t)
	return url
}

// startRedisProcess is startRedisServer returning the server's process too, for a test that
// freezes it (SIGSTOP) and resumes it (SIGCONT).
func startRedisProcess(t *testing.T) (string, *os.Process) {
	t.Helper()
	redis.SetLogger(nil) // the first pings may fail while the server starts
	srv := redistest.New(t)
	return srv.URL, srv.Process
}

// webhookUpdate is a Telegram update carrying a message.
func webhookUpdate(id int, chat map[string]any, msgID int, user int64, text string) string {
	b, _ := json.Marshal(map[string]any{"update_id": id, "message": map[string]any{
		"message_id": msgID, "date": 1700000000, "text": text, "chat": chat,
		"from": map[string]any{"id": user, "is_bot": false, "first_name": "U"},
	}})
	return string(b)
}

// answerNumber reads the question number an answer starts with ("<b>3.</b> ..."), 0 if none.
var answerNumber = regexp.MustCompile(`^<b>(\d+)\.</b> `)

// TestReplicasShareOneUpdateStream runs two serve replicas in Telegram webhook mode against
// one fake Bot API and one real Redis, as behind a load balancer that delivers every update
// to both (a retry after a timeout, say): every update is answered exactly once, a user
// flooding across both replicas gets one "slow down" in all, and a question answered through
// one replica in a group gets a pointer to that answer through the other.
func TestReplicasShareOneUpdateStream(t *testing.T) {
	redisURL := startRedisServer(t)
	tg := newFakeTelegram(t)
	const secret = "replica-hook-secret"
	env := map[string]string{
		"TELEGRAM_TOKEN": testTelegramToken, "TELEGRAM_API_ENDPOINT": tg.Endpoint(),
		"TELEGRAM_WEBHOOK_URL": "https://bot.example.org/telegram/webhook", "TELEGRAM_WEBHOOK_SECRET": secret,
		"REDIS_URL": redisURL,
		// Exact counts need the shared state all along: a loaded test machine must not make
		// a replica skip Redis (TestReplicasFrozenRedis tests that).
		"REDIS_TIMEOUT": "5s",
		// Ten messages per user at once and no refill during the test: exact counts.
		"FLOOD_USER_BURST": "10", "FLOOD_USER_RATE": "1/1h",
	}
	replicas := []*running{startServe(t, env, nil), startServe(t, env, nil)}
	for i, r := range replicas {
		waitFor(t, "replica "+strconv.Itoa(i)+" to be ready", func() bool { code, _ := r.get("/readyz"); return code == http.StatusOK })
		if _, body := r.get("/readyz"); !strings.Contains(body, "redis: ready") {
			t.Errorf("replica %d /readyz: got %q, want Redis reported ready", i, body)
		}
	}
	post := func(r *running, update string) {
		req, err := http.NewRequest(http.MethodPost, r.base+"/telegram/webhook", strings.NewReader(update))
		if err != nil {
			t.Error(err)
			return
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("webhook: got status %d, want 200", resp.StatusCode)
		}
	}

	// The stream: 20 private chats, each asking for the 10 questions of the embedded
	// transcript once, every update POSTed to both replicas at the same time. Meanwhile one
	// user floods, each message to one replica, alternately.
	const chats, perChat, floodUser, floodMsgs = 20, 10, 990001, 30
	var updates []string
	id := 0
	for n := 1; n <= perChat; n++ {
		for c := range chats {
			id++
			user := int64(910000 + c)
			updates = append(updates, webhookUpdate(id, map[string]any{"id": user, "type": "private"}, id, user, "/answer "+strconv.Itoa(n)))
		}
	}
	var wg sync.WaitGroup
	work := make(chan string)
	for range 8 {
		wg.Go(func() {
			for u := range work {
				var both sync.WaitGroup
				for _, r := range replicas {
					both.Go(func() { post(r, u) })
				}
				both.Wait()
			}
		})
	}
	wg.Go(func() {
		for i := range floodMsgs {
			u := webhookUpdate(100000+i, map[string]any{"id": floodUser, "type": "private"}, 100000+i, floodUser,
				"what about the ferry number "+strconv.Itoa(i))
			post(replicas[i%2], u)
		}
	})
	for _, u := range updates {
		work <- u
	}
	close(work)
	wg.Wait()

	want := chats*perChat + 10 + 1 // every update, the flooder's ten answers and one "slow down"
	waitFor2(t, 60*time.Second, "every reply", func() bool { return len(sentMessages(tg)) >= want })

	// Group etiquette across replicas: the question answered through replica 0 is pointed
	// to through replica 1.
	const groupID = -100777
	group := map[string]any{"id": groupID, "type": "supergroup", "title": "G"}
	inGroup := func() []url.Values {
		var out []url.Values
		for _, m := range sentMessages(tg) {
			if m.Get("chat_id") == strconv.Itoa(groupID) {
				out = append(out, m)
			}
		}
		return out
	}
	post(replicas[0], webhookUpdate(200001, group, 501, 920001, "/answer 3"))
	waitFor(t, "the answer in the group", func() bool { return len(inGroup()) == 1 })
	firstID := strconv.Itoa(1000 + tg.Count("sendMessage")) // the fake numbers sent messages 1001, 1002, ...
	post(replicas[1], webhookUpdate(200002, group, 502, 920002, "/answer 3"))
	waitFor(t, "the second reply in the group", func() bool { return len(inGroup()) == 2 })

	// Stopping the replicas drains their work: a duplicate reply would have been sent by the
	// time both have exited.
	for i, r := range replicas {
		if code, _ := r.stop(); code != exitOK {
			t.Errorf("replica %d: exit status %d, want 0", i, code)
		}
	}
	groupSent := inGroup()
	if len(groupSent) != 2 {
		t.Fatalf("got %d messages in the group, want 2", len(groupSent))
	}
	first, second := groupSent[0], groupSent[1]
	if first.Get("reply_to_message_id") != "501" || !strings.HasPrefix(first.Get("text"), "<b>3.</b>") {
		t.Errorf("first answer in the group: got %v", first)
	}
	if !strings.HasPrefix(second.Get("text"), "Asked and answered a moment ago") || second.Get("reply_to_message_id") != firstID {
		t.Errorf("second reply in the group: got %q replying to %q, want a pointer replying to %s",
			second.Get("text"), second.Get("reply_to_message_id"), firstID)
	}

	sent := sentMessages(tg)
	if got := len(sent) - len(groupSent); got != want {
		t.Errorf("got %d messages sent outside the group, want %d", got, want)
	}
	answered := map[string]int{} // "chat/question" -> replies
	var flood, slowDown int
	for _, m := range sent {
		chat, text := m.Get("chat_id"), m.Get("text")
		switch {
		case chat == strconv.Itoa(groupID):
			continue
		case chat == strconv.Itoa(floodUser):
			flood++
			if strings.Contains(text, "faster than I can answer") {
				slowDown++
			}
			continue
		}
		match := answerNumber.FindStringSubmatch(text)
		if match == nil {
			t.Errorf("chat %s: got %q, want an answer", chat, text[:min(len(text), 80)])
			continue
		}
		answered[chat+"/"+match[1]]++
	}
	for c := range chats {
		for n := 1; n <= perChat; n++ {
			key := strconv.Itoa(910000+c) + "/" + strconv.Itoa(n)
			if got := answered[key]; got != 1 {
				t.Errorf("chat %d, question %d: answered %d times, want exactly once", 910000+c, n, got)
			}
		}
	}
	if flood != 11 || slowDown != 1 {
		t.Errorf("the flooding user: got %d messages with %d \"slow down\", want 10 answers and 1 \"slow down\" across both replicas", flood, slowDown)
	}
}

// waitFor2 is waitFor with a deadline of its own.
func waitFor2(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
