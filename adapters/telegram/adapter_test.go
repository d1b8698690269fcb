package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"transcriptbot/adapters/telegram/telegramtest"
	"transcriptbot/bot"
)

func TestNewValidatesConfig(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name string
		mod  func(*Config)
		want string
	}{
		{"empty token", func(c *Config) { c.Token = "" }, "token is empty"},
		{"malformed token", func(c *Config) { c.Token = "not a token/../" }, "malformed"},
		{"endpoint without placeholders", func(c *Config) { c.APIEndpoint = "http://127.0.0.1/bot" }, "must contain %s twice"},
		{"endpoint not http", func(c *Config) { c.APIEndpoint = "ftp://x/bot%s/%s" }, "not an http(s) URL"},
		{"webhook without secret", func(c *Config) { c.WebhookURL = "https://bot.example/telegram/webhook" }, "needs a secret"},
		{"bad secret", func(c *Config) { c.WebhookURL = "https://bot.example/w"; c.WebhookSecret = "has space" }, "secret must be"},
		{"relative webhook", func(c *Config) { c.WebhookURL = "/w"; c.WebhookSecret = "s" }, "not an absolute"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := e.cfg
			tc.mod(&cfg)
			_, err := New(context.Background(), cfg, e.h)
			if err == nil || !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an ErrConfig mentioning %q", err, tc.want)
			}
			checkNoLeak(t, "error", err.Error())
		})
	}
	if _, err := New(context.Background(), e.cfg, nil); !errors.Is(err, ErrConfig) {
		t.Errorf("nil handler: got %v, want ErrConfig", err)
	}
}

func TestNewRejectedToken(t *testing.T) {
	e := newEnv(t)
	cfg := e.cfg
	cfg.Token = "123456:CANARY-secret_token-other"
	_, err := New(context.Background(), cfg, e.h)
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("got %v, want ErrUnauthorized", err)
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != 401 {
		t.Errorf("errors.As(%v, *APIError): got %+v, want Telegram's 401", err, ae)
	}
	if strings.Contains(err.Error(), "CANARY-secret_token-other") {
		t.Errorf("error contains the token: %q", err)
	}
}

func TestNewGetMe(t *testing.T) {
	e := newEnv(t)
	a := e.adapter(t)
	if got, want := a.Username(), "ThisBot"; got != want {
		t.Errorf("Username: got %q, want %q", got, want)
	}
	if a.Ready() {
		t.Errorf("Ready before Run: got true, want false")
	}
}

func TestPollingEndToEnd(t *testing.T) {
	e := newEnv(t)
	a := e.adapter(t)
	grp := groupChat(-100)
	topicMsg := msg(21, grp, 43, "/ask@ThisBot <b>visas</b> & borders")
	topicMsg["message_thread_id"] = 55
	topicMsg["is_topic_message"] = true
	e.fake.Push(
		message(msg(11, privateChat(42), 42, "what about <hong kong> & trade?")),
		message(msg(20, grp, 43, "/answer@OtherBot 3")),
		message(topicMsg),
		map[string]any{"callback_query": map[string]any{"id": "cb1", "from": user(42), "chat_instance": "x", "data": "full:abcd1234:3",
			"message": map[string]any{"message_id": 12, "date": 1, "chat": privateChat(42), "text": "answer"}}},
		map[string]any{"inline_query": map[string]any{"id": "iq1", "from": user(42), "query": "hong <kong>", "offset": ""}},
	)
	stop := run(t, a)
	waitFor(t, "replies", func() bool {
		return len(e.fake.SentTexts()) == 3 && len(e.fake.Calls("answerCallbackQuery")) == 1 && len(e.fake.Calls("answerInlineQuery")) == 1
	})
	waitFor(t, "ready", a.Ready)
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if p := e.fake.Violations(); len(p) > 0 {
		t.Fatalf("invalid requests: %q", p)
	}
	if got := len(e.fake.Calls("deleteWebhook")); got != 1 {
		t.Errorf("deleteWebhook calls: got %d, want 1", got)
	}
	if got := len(e.fake.Calls("setMyCommands")); got != 1 {
		t.Errorf("setMyCommands calls: got %d, want 1", got)
	}
	sends := e.fake.Calls("sendMessage")
	byChat := map[string][]telegramtest.Call{}
	for _, s := range sends {
		byChat[s.Params["chat_id"]] = append(byChat[s.Params["chat_id"]], s)
	}
	if got := len(byChat["42"]); got != 2 {
		t.Fatalf("private replies: got %d, want 2", got)
	}
	first := byChat["42"][0].Params
	if want := "<b>3.</b> What about &lt;tags&gt; &amp; things?\n\nYou asked: <b>what about &lt;hong kong&gt; &amp; trade?</b>"; first["text"] != want {
		t.Errorf("text: got %q, want %q", first["text"], want)
	}
	if first["reply_to_message_id"] != "" || first["message_thread_id"] != "" {
		t.Errorf("private reply should not quote: %v", first)
	}
	var kb struct {
		InlineKeyboard [][]struct {
			Text         string `json:"text"`
			CallbackData string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(first["reply_markup"]), &kb); err != nil || len(kb.InlineKeyboard) == 0 {
		t.Fatalf("keyboard %q: %v", first["reply_markup"], err)
	}
	if got, want := kb.InlineKeyboard[0][0].CallbackData, "full:abcd1234:3"; got != want {
		t.Errorf("callback_data: got %q, want %q", got, want)
	}
	if got := byChat["42"][1].Params["text"]; !strings.Contains(got, "button full:abcd1234:3") {
		t.Errorf("button reply: got %q", got)
	}
	g := byChat["-100"]
	if len(g) != 1 {
		t.Fatalf("group replies: got %d, want 1 (the command for OtherBot is ignored)", len(g))
	}
	if got, want := g[0].Params["message_thread_id"]+"|"+g[0].Params["reply_to_message_id"], "55|21"; got != want {
		t.Errorf("topic|reply_to: got %q, want %q", got, want)
	}
	if !strings.Contains(g[0].Params["text"], "&lt;b&gt;visas&lt;/b&gt; &amp; borders") {
		t.Errorf("group text not escaped: %q", g[0].Params["text"])
	}
	inl := e.fake.Calls("answerInlineQuery")[0].Params
	var results []struct {
		ID      string `json:"id"`
		Title   string `json:"title"`
		Content struct {
			Text string `json:"message_text"`
		} `json:"input_message_content"`
	}
	if err := json.Unmarshal([]byte(inl["results"]), &results); err != nil || len(results) != 3 {
		t.Fatalf("inline results %q: %v", inl["results"], err)
	}
	if got, want := results[0].ID+"|"+results[0].Title, "q1|1. Question <1> & hong <kong>"; got != want {
		t.Errorf("inline article: got %q, want %q", got, want)
	}
	if !strings.HasPrefix(results[0].Content.Text, "<b>1.</b> Question &lt;1&gt;") {
		t.Errorf("inline message text: got %q", results[0].Content.Text)
	}
	if inl["cache_time"] != "300" {
		t.Errorf("cache_time: got %q, want %q", inl["cache_time"], "300")
	}
	// Every update confirmed at shutdown, and each handled once.
	if got := e.fake.Pending(); got != 0 {
		t.Errorf("unconfirmed updates after shutdown: got %d, want 0", got)
	}
	if got := len(e.h.requests()); got != 3 { // the inline query goes to Suggest
		t.Errorf("handler calls: got %d, want 3", got)
	}
	e.h.mu.Lock()
	sugg := append([]bot.SuggestRequest(nil), e.h.suggests...)
	e.h.mu.Unlock()
	// An inline query comes from no chat: Suggest is asked without one.
	if len(sugg) != 1 || sugg[0].Query != "hong <kong>" || sugg[0].Platform != Platform || sugg[0].ChatID != "" || sugg[0].Max <= 0 {
		t.Errorf("Suggest asked %+v, want one request for the inline query, with no chat", sugg)
	}
	gu := e.fake.Calls("getUpdates")
	if au := gu[0].Params["allowed_updates"]; au != `["message","edited_message","callback_query","inline_query","my_chat_member"]` {
		t.Errorf("allowed_updates: got %q", au)
	}
	checkNoLeak(t, "logs", e.logs.String())
}

// TestFaultsNothingLostOrDuplicated runs a stream of questions through every injectable fault
// on both getUpdates and sendMessage, then restarts the adapter: each question is answered
// exactly once.
func TestFaultsNothingLostOrDuplicated(t *testing.T) {
	e := newEnv(t)
	var failures []int
	var fmu = make(chan struct{}, 1)
	fmu <- struct{}{}
	e.cfg.OnSendFailure = func(code int) { <-fmu; failures = append(failures, code); fmu <- struct{}{} }
	e.cfg.MaxTries = 6
	// A long poll that outlasts the test: the first adapter is stopped while it waits in one
	// (below), never with a getUpdates on its way to the server, which, handled after the
	// second adapter's, would end that one's long poll with 409 as Telegram does.
	e.cfg.PollTimeout = 50 * time.Second
	e.fake.Inject("getUpdates",
		telegramtest.Fault{Drop: true},
		telegramtest.Fault{Status: 502, HTML: true},
		telegramtest.Fault{Status: 429, RetryAfter: 1},
		telegramtest.Fault{Status: 500},
	)
	e.fake.Inject("sendMessage",
		telegramtest.Fault{Status: 502, HTML: true},
		telegramtest.Fault{Drop: true},
		telegramtest.Fault{Status: 429, RetryAfter: 1},
		telegramtest.Fault{Status: 503},
	)
	const n = 30
	question := func(i int) string { return "question number " + strconv.Itoa(i) }
	for i := 0; i < n; i++ {
		chat := int64(1000 + i%5)
		e.fake.Push(message(msg(i+1, privateChat(chat), chat, question(i))))
	}
	a := e.adapter(t)
	stop := run(t, a)
	waitFor(t, "all answers", func() bool { return len(e.fake.SentTexts()) >= n })
	waitFor(t, "the first adapter's long poll", e.fake.Polling)
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}

	// Restart: a new adapter on the same token gets more questions and must not answer the
	// first ones again.
	for i := n; i < n+5; i++ {
		e.fake.Push(message(msg(i+1, privateChat(2000), 2000, question(i))))
	}
	a2 := e.adapter(t)
	stop2 := run(t, a2)
	waitFor(t, "answers after restart", func() bool { return len(e.fake.SentTexts()) >= n+5 })
	// Run returns once in-flight updates are answered: a duplicate would be sent by then.
	if err := stop2(); err != nil {
		t.Fatalf("Run after restart: %v", err)
	}

	count := map[string]int{}
	for _, text := range e.fake.SentTexts() {
		count[text]++
	}
	for i := 0; i < n+5; i++ {
		key := "<b>3.</b> What about &lt;tags&gt; &amp; things?\n\nYou asked: <b>" + question(i) + "</b>"
		if count[key] != 1 {
			t.Errorf("%q answered %d times, want 1", question(i), count[key])
		}
	}
	if p := e.fake.Violations(); len(p) > 0 {
		t.Errorf("invalid requests: %q", p)
	}
	<-fmu
	got := failures
	fmu <- struct{}{}
	if len(got) != 4 {
		t.Errorf("send failures reported: got %v, want 4 (502, network, 429, 503)", got)
	}
	checkNoLeak(t, "logs", e.logs.String())
}

// TestUnfinishedRepliesRedeliveredAfterRestart cuts a reply short at shutdown; the update
// stays unconfirmed and the next instance answers it.
func TestUnfinishedRepliesRedeliveredAfterRestart(t *testing.T) {
	e := newEnv(t)
	e.cfg.ShutdownTimeout = 100 * time.Millisecond
	e.fake.Inject("sendMessage", telegramtest.Fault{Status: 429, RetryAfter: 30})
	e.fake.Push(message(msg(1, privateChat(5), 5, "first")))
	a := e.adapter(t)
	stop := run(t, a)
	waitFor(t, "the rate-limited send", func() bool { return len(e.fake.Calls("sendMessage")) == 1 })
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := e.fake.Pending(); got != 1 {
		t.Fatalf("unconfirmed updates: got %d, want 1", got)
	}
	a2 := e.adapter(t)
	stop2 := run(t, a2)
	waitFor(t, "the redelivered answer", func() bool { return len(e.fake.SentTexts()) == 1 })
	if err := stop2(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := e.fake.Pending(); got != 0 {
		t.Errorf("unconfirmed updates: got %d, want 0", got)
	}
}

// blockedSends makes every sendMessage wait for the returned release before it is answered
// (successfully, or with fail when not nil), so that a test decides when Telegram answers a
// request it has received.
func blockedSends(t *testing.T, e *testEnv, fail *telegramtest.Fault) (release func()) {
	t.Helper()
	ch := make(chan struct{})
	var once sync.Once
	release = func() { once.Do(func() { close(ch) }) }
	t.Cleanup(release) // before the fake closes: it waits for its handlers
	e.fake.Handle("sendMessage", func(c telegramtest.Call) (any, *telegramtest.Fault) {
		<-ch
		if fail != nil {
			return nil, fail
		}
		chat, _ := strconv.ParseInt(c.Params["chat_id"], 10, 64)
		return map[string]any{"message_id": 1, "date": 1700000000, "text": c.Params["text"],
			"chat": privateChat(chat), "from": e.fake.BotUser()}, nil
	})
	return release
}

// startRun starts a.Run and returns its cancel and its result.
func startRun(a *Adapter) (context.CancelFunc, <-chan error) {
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- a.Run(ctx) }()
	return cancel, errc
}

func waitRun(t *testing.T, errc <-chan error) {
	t.Helper()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

// TestShutdownAwaitsRequestInFlight: a sendMessage already made when the shutdown grace period
// ends is not abandoned. Telegram takes it after the cut, so the reply went out: its update is
// confirmed and a restart does not send it again. (The request used to be cut off and its update
// left unconfirmed although Telegram had taken the reply: the next instance sent it twice.)
func TestShutdownAwaitsRequestInFlight(t *testing.T) {
	e := newEnv(t)
	e.cfg.ShutdownTimeout = 50 * time.Millisecond
	e.cfg.RequestTimeout = time.Minute // the request waits for the test, not for a deadline
	release := blockedSends(t, e, nil)
	e.fake.Push(message(msg(1, privateChat(5), 5, "in flight at shutdown")))
	a := e.adapter(t)
	cancel, errc := startRun(a)
	defer cancel()
	waitFor(t, "the send in flight", func() bool { return len(e.fake.Calls("sendMessage")) >= 1 })
	cancel()
	waitFor(t, "the grace period over", func() bool { return strings.Contains(e.logs.String(), "cutting them short") })
	release() // Telegram takes the request only now
	waitRun(t, errc)
	if got := len(e.fake.SentTexts()); got != 1 {
		t.Fatalf("replies sent: got %d, want 1", got)
	}
	if got := e.fake.Pending(); got != 0 {
		t.Errorf("unconfirmed updates: got %d, want 0 (its reply was sent; a restart would send it again)", got)
	}
	if logs := e.logs.String(); strings.Contains(logs, "lost") || strings.Contains(logs, "dropped") {
		t.Errorf("logs report a reply lost or dropped:\n%s", logs)
	}
}

// TestShutdownBoundedWhenAPIHangs: a sendMessage in flight at shutdown that Telegram never
// answers holds Run up for RequestTimeout at most; its update stays unconfirmed, so the next
// instance answers it.
func TestShutdownBoundedWhenAPIHangs(t *testing.T) {
	e := newEnv(t)
	e.cfg.ShutdownTimeout = 50 * time.Millisecond
	e.cfg.RequestTimeout = 300 * time.Millisecond
	release := blockedSends(t, e, &outage502) // answered only after the adapter gave up on it
	e.fake.Push(message(msg(1, privateChat(5), 5, "hung at shutdown")))
	a := e.adapter(t)
	cancel, errc := startRun(a)
	defer cancel()
	waitFor(t, "the send in flight", func() bool { return len(e.fake.Calls("sendMessage")) >= 1 })
	cancel()
	waitRun(t, errc) // the request is never answered: RequestTimeout ends it
	if got := e.fake.Pending(); got != 1 {
		t.Fatalf("unconfirmed updates: got %d, want 1", got)
	}
	release()
	e.fake.Handle("sendMessage", nil)
	stop2 := run(t, e.adapter(t))
	waitFor(t, "the answer after the restart", func() bool { return sentTo(e.fake, "hung at shutdown") >= 1 })
	if err := stop2(); err != nil {
		t.Fatalf("Run after restart: %v", err)
	}
	if got := sentTo(e.fake, "hung at shutdown"); got != 1 {
		t.Errorf("answers: got %d, want 1", got)
	}
	if got := e.fake.Pending(); got != 0 {
		t.Errorf("after the restart: %d updates unconfirmed, want 0", got)
	}
}

func TestConflictIsFatal(t *testing.T) {
	e := newEnv(t)
	e.fake.Inject("getUpdates", telegramtest.Fault{Status: 409, Description: "Conflict: terminated by other getUpdates request"})
	a := e.adapter(t)
	err := a.Run(context.Background())
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("got %v, want ErrConflict", err)
	}
	if got := len(e.fake.Calls("getUpdates")); got != 1 {
		t.Errorf("getUpdates calls: got %d, want 1 (no retry loop)", got)
	}
	if a.Ready() {
		t.Errorf("Ready after a conflict: got true")
	}
	if err := a.Run(context.Background()); err == nil {
		t.Errorf("second Run: got nil, want an error")
	}
}

func TestUnauthorizedWhilePollingIsFatal(t *testing.T) {
	e := newEnv(t)
	a := e.adapter(t)
	e.fake.Inject("deleteWebhook", telegramtest.Fault{Status: 401})
	err := a.Run(context.Background())
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("got %v, want ErrUnauthorized", err)
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != 401 {
		t.Errorf("errors.As(%v, *APIError): got %+v, want Telegram's 401", err, ae)
	}
}

func TestLeftoverWebhookDeletedBeforePolling(t *testing.T) {
	e := newEnv(t)
	e.fake.SetWebhook(map[string]string{"url": "https://old.example/hook"})
	e.fake.Push(message(msg(1, privateChat(5), 5, "hi")))
	a := e.adapter(t)
	stop := run(t, a)
	waitFor(t, "answer", func() bool { return len(e.fake.SentTexts()) == 1 })
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
}

func TestSendPolicy(t *testing.T) {
	tests := []struct {
		name      string
		faults    []telegramtest.Fault
		wantCalls int
		wantSent  bool
		wantCodes string
		wantLog   string
		lastChat  string // chat_id|message_thread_id of the last try; "" to skip
	}{
		{"403 is not retried", []telegramtest.Fault{{Status: 403, Description: "Forbidden: bot was blocked by the user"}}, 1, false, "403", "not retried", ""},
		{"400 is not retried", []telegramtest.Fault{{Status: 400, Description: "Bad Request: chat not found"}}, 1, false, "400", "not retried", ""},
		{"5xx retried past MaxTries while polling", []telegramtest.Fault{{Status: 500}, {Status: 502, HTML: true}, {Status: 503}, {Drop: true}}, 5, true, "500,502,503,0", "", ""},
		{"network errors retried", []telegramtest.Fault{{Drop: true}, {Drop: true}}, 3, true, "0,0", "", ""},
		{"slow response times out and is retried", []telegramtest.Fault{{Delay: 3 * time.Second}}, 2, true, "0", "", ""},
		{"migrated group", []telegramtest.Fault{{Status: 400, Description: "Bad Request: group chat was upgraded to a supergroup chat", MigrateTo: -1009}}, 2, true, "400", "group migrated", "-1009|8"},
		{"gone topic falls back to the chat", []telegramtest.Fault{{Status: 400, Description: "Bad Request: message thread not found"}}, 2, true, "400", "topic gone", "-9|"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.cfg.MaxTries = 3
			e.cfg.RequestTimeout = 300 * time.Millisecond
			codes := make(chan int, 10)
			e.cfg.OnSendFailure = func(code int) { codes <- code }
			e.fake.Inject("sendMessage", tc.faults...)
			m := msg(1, groupChat(-9), 5, "/ask@ThisBot hi")
			m["message_thread_id"] = 8
			m["is_topic_message"] = true
			e.fake.Push(message(m))
			a := e.adapter(t)
			stop := run(t, a)
			waitFor(t, "the update to be finished", func() bool {
				return len(e.fake.Calls("sendMessage")) == tc.wantCalls && e.fake.Pending() == 0 && len(e.fake.Calls("getUpdates")) > 2
			})
			if err := stop(); err != nil {
				t.Fatalf("Run: %v", err)
			}
			if got := len(e.fake.Calls("sendMessage")); got != tc.wantCalls {
				t.Errorf("sendMessage calls: got %d, want %d", got, tc.wantCalls)
			}
			if got := len(e.fake.SentTexts()) == 1; got != tc.wantSent {
				t.Errorf("sent: got %v, want %v", got, tc.wantSent)
			}
			close(codes)
			var got []string
			for c := range codes {
				got = append(got, strconv.Itoa(c))
			}
			if strings.Join(got, ",") != tc.wantCodes {
				t.Errorf("failure codes: got %q, want %q", strings.Join(got, ","), tc.wantCodes)
			}
			if tc.lastChat != "" {
				calls := e.fake.Calls("sendMessage")
				last := calls[len(calls)-1].Params
				if got := last["chat_id"] + "|" + last["message_thread_id"]; got != tc.lastChat {
					t.Errorf("last try to: got %q, want %q", got, tc.lastChat)
				}
			}
			if tc.wantLog != "" && !strings.Contains(e.logs.String(), tc.wantLog) {
				t.Errorf("logs lack %q:\n%s", tc.wantLog, e.logs.String())
			}
			checkNoLeak(t, "logs", e.logs.String())
		})
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	e := newEnv(t)
	e.fake.Inject("sendMessage", telegramtest.Fault{Status: 429, RetryAfter: 1})
	e.fake.Push(message(msg(1, privateChat(5), 5, "hi")))
	a := e.adapter(t)
	stop := run(t, a)
	waitFor(t, "answer", func() bool { return len(e.fake.SentTexts()) == 1 })
	_ = stop()
	calls := e.fake.Calls("sendMessage")
	if len(calls) != 2 {
		t.Fatalf("sendMessage calls: got %d, want 2", len(calls))
	}
	// A lower bound: the retry may not come before retry_after.
	if gap := calls[1].At.Sub(calls[0].At); gap < time.Second {
		t.Errorf("retry after %v, want at least retry_after (1s)", gap)
	}
}

func TestPerChatOrderAndRate(t *testing.T) {
	e := newEnv(t)
	e.cfg.Rates = Rates{Chat: 20, ChatBurst: 1, Global: 1000, GlobalBurst: 10}
	e.cfg.Workers = 3
	const n = 6
	for i := 0; i < n; i++ {
		e.fake.Push(message(msg(i+1, privateChat(5), 5, "q"+strconv.Itoa(i))))
		e.fake.Push(message(msg(i+1, privateChat(6), 6, "q"+strconv.Itoa(i))))
	}
	a := e.adapter(t)
	stop := run(t, a)
	waitFor(t, "answers", func() bool { return len(e.fake.SentTexts()) == 2*n })
	_ = stop()
	var at []time.Time
	next := map[string]int{}
	for _, c := range e.fake.Calls("sendMessage") {
		chat := c.Params["chat_id"]
		want := "<b>q" + strconv.Itoa(next[chat]) + "</b>"
		if !strings.Contains(c.Params["text"], want) {
			t.Errorf("chat %s: got %q, want reply to q%d next", chat, c.Params["text"], next[chat])
		}
		next[chat]++
		if chat == "5" {
			at = append(at, c.At)
		}
	}
	// A lower bound only: 6 messages at 20/s with burst 1 are spaced 5×50ms when sent; the
	// bound allows for the first request reaching the server late. Unlimited, they take ~5ms.
	if span := at[len(at)-1].Sub(at[0]); span < 125*time.Millisecond {
		t.Errorf("6 messages to one chat within %v, want at least 125ms at 20/s", span)
	}
}

// TestShutdownDuringLongPoll cancels while getUpdates is waiting and a reply is still being
// sent slowly: Run returns promptly, after the reply is delivered and its update confirmed.
func TestShutdownDuringLongPoll(t *testing.T) {
	e := newEnv(t)
	e.cfg.PollTimeout = 50 * time.Second
	e.cfg.RequestTimeout = 5 * time.Second
	e.fake.Inject("sendMessage", telegramtest.Fault{Delay: 400 * time.Millisecond})
	e.fake.Push(message(msg(1, privateChat(5), 5, "slow one")))
	a := e.adapter(t)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- a.Run(ctx) }()
	waitFor(t, "a long poll and the slow send in flight", func() bool {
		return len(e.fake.Calls("sendMessage")) == 1 && len(e.fake.Calls("getUpdates")) >= 2
	})
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel during a long poll")
	}
	if got := len(e.fake.SentTexts()); got != 1 {
		t.Errorf("in-flight reply: got %d delivered, want 1", got)
	}
	if got := e.fake.Pending(); got != 0 {
		t.Errorf("unconfirmed updates: got %d, want 0", got)
	}
	if a.Ready() {
		t.Errorf("Ready after shutdown: got true")
	}
}

func TestOddUpdatesAndPanics(t *testing.T) {
	e := newEnv(t)
	e.h.reply = func(req bot.Request) bot.Reply {
		switch req.Text {
		case "panic":
			panic("boom")
		case "silent":
			return bot.Reply{Kind: bot.ReplySilent}
		}
		if req.Action == "stale" {
			return bot.Reply{Kind: bot.ReplyExpired, Body: []bot.Span{{Text: "This button has expired."}}}
		}
		return echoReply(req)
	}
	e.fake.PushRaw(1, []byte(`{"update_id":1,"channel_post":{"message_id":1,"date":1,"chat":{"id":-5,"type":"channel"},"text":"@ThisBot hi"}}`))
	e.fake.PushRaw(2, []byte(`{"update_id":2,"callback_query":{"id":"cb-inline","from":{"id":5,"is_bot":false,"first_name":"U"},"chat_instance":"c","inline_message_id":"im","data":"full:abcd:3"}}`))
	// An edit an hour after the message: beyond the edit window, left alone.
	e.fake.PushRaw(3, []byte(`{"update_id":3,"edited_message":{"message_id":1,"date":1,"edit_date":3601,"chat":{"id":5,"type":"private"},"text":"edited"}}`))
	e.fake.PushRaw(4, []byte(`{"update_id":4,"brand_new_type":{"x":1}}`))
	e.fake.PushRaw(5, []byte(`{"update_id":5,"message":"not an object"}`))
	e.fake.PushRaw(6, []byte(`{"update_id":6,"message":{"message_id":1,"date":1,"text":"no chat"}}`))
	e.fake.PushRaw(7, []byte(`{"update_id":7,"message":{"message_id":2,"date":1,"chat":{"id":5,"type":"private"},"from":{"id":5,"is_bot":false,"first_name":"U"},"text":"panic"}}`))
	e.fake.PushRaw(8, []byte(`{"update_id":8,"message":{"message_id":3,"date":1,"chat":{"id":5,"type":"private"},"from":{"id":5,"is_bot":false,"first_name":"U"},"text":"silent"}}`))
	e.fake.PushRaw(9, []byte(`{"update_id":9,"callback_query":{"id":"cb-stale","from":{"id":5,"is_bot":false,"first_name":"U"},"chat_instance":"c","data":"stale","message":{"message_id":4,"date":1,"chat":{"id":5,"type":"private"},"text":"old"}}}`))
	e.fake.PushRaw(10, []byte(`{"update_id":10,"message":{"message_id":5,"date":1,"chat":{"id":5,"type":"private"},"from":{"id":5,"is_bot":false,"first_name":"U"},"text":"/"}}`))
	e.fake.PushRaw(11, []byte(`{"update_id":11,"message":{"message_id":6,"date":1,"chat":{"id":5,"type":"private"},"from":{"id":5,"is_bot":false,"first_name":"U"},"text":"/start","entities":[{"type":"bot_command","offset":0,"length":99}]}}`))
	a := e.adapter(t)
	stop := run(t, a)
	waitFor(t, "all updates confirmed", func() bool {
		return len(e.fake.Calls("answerCallbackQuery")) == 2 && len(e.fake.SentTexts()) == 3 && len(e.fake.Calls("editMessageText")) == 1
	})
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := e.fake.Pending(); got != 0 {
		t.Errorf("unconfirmed updates: got %d, want 0", got)
	}
	texts := e.fake.SentTexts()
	if !strings.Contains(texts[0], "Sorry") {
		t.Errorf("panic reply: got %q, want an apology", texts[0])
	}
	if !strings.Contains(e.logs.String(), "panicked") {
		t.Errorf("the panic was not logged")
	}
	acks := map[string]map[string]string{}
	for _, c := range e.fake.Calls("answerCallbackQuery") {
		acks[c.Params["callback_query_id"]] = c.Params
	}
	if got := acks["cb-stale"]["text"]; got != "This button has expired." {
		t.Errorf("stale button answer: got %q, want %q", got, "This button has expired.")
	}
	edits := e.fake.Calls("editMessageText")
	if len(edits) != 1 || edits[0].Params["inline_message_id"] != "im" || !strings.Contains(edits[0].Params["text"], "button full:abcd:3") {
		t.Errorf("inline-message button: got edits %v, want the inline message edited", edits)
	}
	for _, c := range e.fake.Calls("sendMessage") {
		if strings.Contains(c.Params["text"], "stale") || strings.Contains(c.Params["text"], "expired") {
			t.Errorf("a stale button produced a chat message: %q", c.Params["text"])
		}
	}
}

func TestTokenNeverLogged(t *testing.T) {
	e := newEnv(t)
	e.fake.Inject("getUpdates", telegramtest.Fault{Drop: true}, telegramtest.Fault{Drop: true}, telegramtest.Fault{Status: 502, HTML: true})
	e.fake.Inject("sendMessage", telegramtest.Fault{Drop: true}, telegramtest.Fault{Status: 403})
	e.fake.Push(message(msg(1, privateChat(5), 5, "hi")))
	a := e.adapter(t)
	stop := run(t, a)
	waitFor(t, "the faults to pass", func() bool {
		return len(e.fake.Calls("sendMessage")) == 2 && e.fake.Pending() == 0
	})
	_ = stop()
	logs := e.logs.String()
	if !strings.Contains(logs, "getUpdates failed") {
		t.Fatalf("expected transport errors in the logs, got:\n%s", logs)
	}
	checkNoLeak(t, "logs", logs)

	// The library's own logger is replaced by a redacting one.
	libLog.Printf("Endpoint: %s, params: %v", "https://api.telegram.org/bot"+testToken+"/getMe", nil)
	libLog.Println("error", "Post \"http://x/bot"+testToken+"/getUpdates\": EOF")
	checkNoLeak(t, "library logs", e.logs.String())
	if !strings.Contains(e.logs.String(), "<redacted>") {
		t.Errorf("library log lines did not reach the logger")
	}

	// A network error from New (nothing listening) names no token either.
	cfg := e.cfg
	cfg.APIEndpoint = "http://127.0.0.1:1/bot%s/%s"
	_, err := New(context.Background(), cfg, e.h)
	if err == nil {
		t.Fatal("New against a closed port: got nil error")
	}
	checkNoLeak(t, "error", err.Error())
}

// TestPageTurnEditsInPlace: a page button on a paged message edits that message; other
// buttons post a new message.
func TestPageTurnEditsInPlace(t *testing.T) {
	e := newEnv(t)
	e.h.reply = func(req bot.Request) bot.Reply {
		if strings.HasPrefix(req.Action, "page:") {
			page, _ := strconv.Atoi(strings.TrimPrefix(req.Action, "page:"))
			return bot.Reply{Kind: bot.ReplyByNumber, Number: 4, Question: "Q4", Body: []bot.Span{{Text: "page text " + strconv.Itoa(page)}},
				Page: page, Pages: 3, Actions: []bot.Action{{ID: "page:" + strconv.Itoa(page+1), Label: "Next"}}}
		}
		return echoReply(req)
	}
	cb := func(id, data, text string) map[string]any {
		return map[string]any{"callback_query": map[string]any{"id": id, "from": user(5), "chat_instance": "c", "data": data,
			"message": map[string]any{"message_id": 77, "date": 1, "chat": groupChat(-7), "text": text}}}
	}
	e.fake.Push(
		cb("turn", "page:2", "4. Q4\n\npage text 1\n\n(1/3)"),
		cb("other", "page:2", "3. Something else"),
	)
	a := e.adapter(t)
	stop := run(t, a)
	waitFor(t, "both answers", func() bool {
		return len(e.fake.Calls("editMessageText")) == 1 && len(e.fake.SentTexts()) == 1 && len(e.fake.Calls("answerCallbackQuery")) == 2
	})
	_ = stop()
	edit := e.fake.Calls("editMessageText")[0].Params
	if got, want := edit["chat_id"]+"|"+edit["message_id"], "-7|77"; got != want {
		t.Errorf("edited message: got %q, want %q", got, want)
	}
	if want := "<b>4.</b> Q4\n\npage text 2\n\n<i>(2/3)</i>"; edit["text"] != want {
		t.Errorf("edited text: got %q, want %q", edit["text"], want)
	}
	if p := e.fake.Violations(); len(p) > 0 {
		t.Errorf("invalid requests: %q", p)
	}
}

// TestSecondPollerConflict: a second instance polling the same token makes Telegram end the
// first one's long poll with 409, which stops the first instance with ErrConflict.
func TestSecondPollerConflict(t *testing.T) {
	e := newEnv(t)
	e.cfg.PollTimeout = 20 * time.Second
	first := e.adapter(t)
	errc := make(chan error, 1)
	go func() { errc <- first.Run(context.Background()) }()
	waitFor(t, "the first long poll", func() bool { return len(e.fake.Calls("getUpdates")) == 1 })
	second := e.adapter(t)
	stop := run(t, second)
	select {
	case err := <-errc:
		if !errors.Is(err, ErrConflict) {
			t.Errorf("first instance: got %v, want ErrConflict", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the first instance did not stop on 409")
	}
	if err := stop(); err != nil {
		t.Errorf("second instance: got %v, want nil", err)
	}
}
