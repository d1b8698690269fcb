package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"transcriptbot/adapters/discord/discordtest"
	"transcriptbot/adapters/telegram/telegramtest"
	"transcriptbot/bot"
)

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// running is a serve started by startServe.
type running struct {
	t      *testing.T
	base   string // http://127.0.0.1:PORT
	cancel context.CancelFunc
	done   chan int
	logs   *syncBuffer
	reload chan struct{}
}

// startServe runs serve with the configuration from env (plus --flags args) on a loopback
// port and waits until it listens. The test fails if serve's logs ever contain a secret.
func startServe(t *testing.T, env map[string]string, wrap func(bot.Handler) bot.Handler, args ...string) *running {
	t.Helper()
	cfg, err := parseConfigArgs(args, envOf(env))
	if err != nil {
		t.Fatalf("configuration: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{t: t, base: "http://" + ln.Addr().String(), cancel: cancel, done: make(chan int, 1),
		logs: &syncBuffer{}, reload: make(chan struct{})}
	started := make(chan struct{})
	go func() {
		r.done <- serve(ctx, cfg, serveOptions{Stderr: r.logs, Listener: ln, Reload: r.reload, WrapCore: wrap,
			Started: func(net.Addr) { close(started) }})
	}()
	select {
	case <-started:
	case code := <-r.done:
		t.Fatalf("serve exited with %d before listening; logs:\n%s", code, r.logs)
	case <-time.After(10 * time.Second):
		t.Fatalf("serve did not start; logs:\n%s", r.logs)
	}
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.done:
		case <-time.After(15 * time.Second):
			t.Errorf("serve did not stop")
		}
		logs := r.logs.String()
		for _, secret := range cfg.secrets() {
			if secret != "" && strings.Contains(logs, secret) {
				t.Errorf("logs contain a secret:\n%s", logs)
			}
		}
	})
	return r
}

// stop cancels serve's context (what SIGTERM does) and returns its exit status and how long
// it took to exit.
func (r *running) stop() (int, time.Duration) {
	r.t.Helper()
	start := time.Now()
	r.cancel()
	select {
	case code := <-r.done:
		r.done <- code // for the cleanup
		return code, time.Since(start)
	case <-time.After(15 * time.Second):
		r.t.Fatalf("serve did not stop within 15s; logs:\n%s", r.logs)
	}
	return -1, 0
}

func (r *running) get(path string) (int, string) {
	r.t.Helper()
	resp, err := http.Get(r.base + path)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// metric returns the value of the series with exactly this name and labels, or -1.
func (r *running) metric(series string) float64 {
	r.t.Helper()
	_, body := r.get("/metrics")
	for line := range strings.SplitSeq(body, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				r.t.Fatalf("metric %s: %v", series, err)
			}
			return f
		}
	}
	return -1
}

// await receives from ch, failing the test after 10 s.
func await[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	timer := time.NewTimer(10 * time.Second)
	defer timer.Stop()
	select {
	case v := <-ch:
		return v
	case <-timer.C:
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// waitFor polls cond until it holds or 10 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// --- Discord HTTP interactions, signed with a key made for the test ---

type discordSigner = discordtest.Signer

func newDiscordSigner(*testing.T) *discordSigner { return discordtest.NewSigner() }

var interactionSeq atomic.Int64

// askInteraction is a /ask slash command from user in a guild channel.
func askInteraction(user, question string) string {
	n := interactionSeq.Add(1)
	b, _ := json.Marshal(map[string]any{
		"id": strconv.FormatInt(1000+n, 10), "type": 2, "token": fmt.Sprintf("itok-%d", n),
		"application_id": "9001", "guild_id": "7001", "channel_id": "8001", "version": 1,
		"member": map[string]any{"user": map[string]any{"id": user, "username": "u" + user},
			"roles": []string{}, "joined_at": "2024-01-01T00:00:00.000000+00:00", "permissions": "0"},
		"data": map[string]any{"id": "3001", "name": "ask", "type": 1,
			"options": []map[string]any{{"name": "question", "type": 3, "value": question}}},
	})
	return string(b)
}

// interactionReply is the part of an interaction response the tests look at.
type interactionReply struct {
	Type int `json:"type"`
	Data struct {
		Content string `json:"content"`
		Flags   int    `json:"flags"`
		Embeds  []struct {
			Title       string `json:"title"`
			Description string `json:"description"`
		} `json:"embeds"`
		Components []struct {
			Components []struct {
				CustomID string `json:"custom_id"`
			} `json:"components"`
		} `json:"components"`
	} `json:"data"`
}

// buttons returns the custom ids of the reply's buttons.
func (r interactionReply) buttons() []string {
	var ids []string
	for _, row := range r.Data.Components {
		for _, c := range row.Components {
			ids = append(ids, c.CustomID)
		}
	}
	return ids
}

// buttonInteraction is a press of the button with customID by user.
func buttonInteraction(user, customID string) string {
	n := interactionSeq.Add(1)
	b, _ := json.Marshal(map[string]any{
		"id": strconv.FormatInt(1000+n, 10), "type": 3, "token": fmt.Sprintf("itok-%d", n),
		"application_id": "9001", "guild_id": "7001", "channel_id": "8001", "version": 1,
		"member": map[string]any{"user": map[string]any{"id": user, "username": "u" + user},
			"roles": []string{}, "joined_at": "2024-01-01T00:00:00.000000+00:00", "permissions": "0"},
		"message": map[string]any{"id": "6001", "channel_id": "8001", "content": "",
			"author": map[string]any{"id": "9001", "username": "transcriptbot", "bot": true}},
		"data": map[string]any{"custom_id": customID, "component_type": 2},
	})
	return string(b)
}

func (r *running) interact(s *discordSigner, body string) (int, interactionReply) {
	r.t.Helper()
	req, err := http.NewRequest(http.MethodPost, r.base+"/discord/interactions", strings.NewReader(body))
	if err != nil {
		r.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	s.Sign(req, []byte(body), time.Now())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out interactionReply
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(raw, &out); err != nil {
			r.t.Fatalf("interaction response %q: %v", raw, err)
		}
	}
	return resp.StatusCode, out
}

func discordEnv(s *discordSigner, extra map[string]string) map[string]string {
	env := map[string]string{"DISCORD_PUBLIC_KEY": s.PublicKey(), "LOG_LEVEL": "debug"}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

func TestServeHealthReadyAndMetrics(t *testing.T) {
	s := newDiscordSigner(t)
	r := startServe(t, discordEnv(s, nil), nil)

	if code, body := r.get("/healthz"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("/healthz: got %d %q, want 200 %q", code, body, "ok\n")
	}
	code, body := r.get("/readyz")
	if code != http.StatusOK || !strings.Contains(body, "discord: ready") {
		t.Errorf("/readyz: got %d %q, want 200 naming discord ready", code, body)
	}
	if code, _ := r.get("/telegram/webhook"); code != http.StatusNotFound {
		t.Errorf("/telegram/webhook without Telegram: got %d, want 404", code)
	}

	if code, reply := r.interact(s, `{"type":1,"id":"1","application_id":"9001","token":"t","version":1}`); code != http.StatusOK || reply.Type != 1 {
		t.Fatalf("PING: got %d type %d, want 200 type 1 (PONG)", code, reply.Type)
	}
	for i, q := range []string{"1", "When does the summer ferry timetable start?", "2"} {
		code, reply := r.interact(s, askInteraction("5001", q))
		if code != http.StatusOK || reply.Type != 4 {
			t.Fatalf("ask %d: got %d type %d, want 200 type 4", i, code, reply.Type)
		}
	}
	// A forged request is refused and counts nothing.
	req, _ := http.NewRequest(http.MethodPost, r.base+"/discord/interactions", strings.NewReader(askInteraction("5001", "1")))
	req.Header.Set("X-Signature-Timestamp", strconv.FormatInt(time.Now().Unix(), 10))
	req.Header.Set("X-Signature-Ed25519", strings.Repeat("00", 64))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("forged interaction: got %v %v, want 401", resp.StatusCode, err)
	} else {
		resp.Body.Close()
	}

	tests := []struct {
		series string
		want   float64
	}{
		{`transcriptbot_requests_total{kind="command",platform="discord"}`, 3},
		{`transcriptbot_reply_duration_seconds_count{platform="discord"}`, 3},
		{`transcriptbot_transcript_questions`, float64(r.questions())},
		{`transcriptbot_transcript_reloads_total{result="ok"}`, 0},
		{`transcriptbot_send_failures_total{code="403",platform="discord"}`, -1}, // none yet
	}
	for _, tc := range tests {
		if got := r.metric(tc.series); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.series, got, tc.want)
		}
	}
	var answers float64
	for _, o := range []string{"matched", "by_number", "ambiguous", "not_covered", "small_talk", "invalid"} {
		answers += max(0, r.metric(`transcriptbot_answers_total{outcome="`+o+`"}`))
	}
	if answers != 3 {
		t.Errorf("transcriptbot_answers_total over the question outcomes: got %v, want 3", answers)
	}
	if got := r.metric(`transcriptbot_answers_total{outcome="by_number"}`); got != 2 {
		t.Errorf(`answers_total{outcome="by_number"}: got %v, want 2`, got)
	}

	if code, _ := r.stop(); code != exitOK {
		t.Errorf("stop: got exit %d, want 0", code)
	}
	// Debug logs carry one line per request, without the message text (LOG_MESSAGES is off).
	logs := r.logs.String()
	if got := strings.Count(logs, "msg=request"); got != 3 {
		t.Errorf("request log lines: got %d, want 3", got)
	}
	if strings.Contains(logs, "summer ferry") {
		t.Errorf("logs contain message text with LOG_MESSAGES off:\n%s", logs)
	}
}

// questions returns the number of questions serve reported at start-up.
func (r *running) questions() int {
	m := regexp.MustCompile(`questions=(\d+)`).FindStringSubmatch(r.logs.String())
	if m == nil {
		r.t.Fatalf("no questions= in the logs:\n%s", r.logs)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestServeFloodControl: one user floods; they get one "slow down" and then nothing, while
// another user in the same channel is answered.
func TestServeFloodControl(t *testing.T) {
	s := newDiscordSigner(t)
	r := startServe(t, discordEnv(s, map[string]string{"FLOOD_USER_BURST": "5", "FLOOD_USER_RATE": "1/1h"}), nil)
	kinds := map[string]int{}
	for i := range 20 {
		_, reply := r.interact(s, askInteraction("6001", "1"))
		switch {
		case len(reply.Data.Embeds) > 0:
			kinds["answer"]++
		case strings.Contains(reply.Data.Content, "slow") || strings.Contains(reply.Data.Content, "faster than"):
			kinds["slow down"]++
			if reply.Data.Flags&64 == 0 {
				t.Errorf("slow down: got flags %d, want ephemeral (64)", reply.Data.Flags)
			}
		default:
			kinds["silent"]++
		}
		if i%4 == 0 {
			_, other := r.interact(s, askInteraction("6002", "2"))
			if len(other.Data.Embeds) == 0 {
				t.Fatalf("other user at message %d: got %+v, want an answer", i, other)
			}
		}
	}
	if kinds["answer"] != 5 || kinds["slow down"] != 1 || kinds["silent"] != 14 {
		t.Errorf("flooding user's replies: got %v, want 5 answers, 1 slow down, 14 silent", kinds)
	}
	if got := r.metric(`transcriptbot_answers_total{outcome="throttled"}`); got != 1 {
		t.Errorf(`answers_total{outcome="throttled"}: got %v, want 1`, got)
	}
	if got := r.metric(`transcriptbot_answers_total{outcome="silent"}`); got != 14 {
		t.Errorf(`answers_total{outcome="silent"}: got %v, want 14`, got)
	}
}

// blocker is a WrapCore hook whose first Handle call waits for release.
type blocker struct {
	next    bot.Handler
	entered chan struct{}
	release chan struct{}
	once    sync.Once
}

func newBlocker() *blocker {
	return &blocker{entered: make(chan struct{}), release: make(chan struct{})}
}

func (b *blocker) wrap(next bot.Handler) bot.Handler { b.next = next; return b }

func (b *blocker) Handle(ctx context.Context, req bot.Request) bot.Reply {
	first := false
	b.once.Do(func() { first = true })
	if first {
		close(b.entered)
		<-b.release
	}
	return b.next.Handle(ctx, req)
}

func (b *blocker) Suggest(ctx context.Context, req bot.SuggestRequest) []bot.Reply {
	return b.next.Suggest(ctx, req)
}

// TestServeShutdownDiscordInFlight: SIGTERM while an interaction is being answered; the
// answer is still returned, and serve exits 0.
func TestServeShutdownDiscordInFlight(t *testing.T) {
	s := newDiscordSigner(t)
	b := newBlocker()
	r := startServe(t, discordEnv(s, nil), b.wrap)
	type result struct {
		code  int
		reply interactionReply
	}
	got := make(chan result, 1)
	go func() {
		code, reply := r.interact(s, askInteraction("5001", "2"))
		got <- result{code, reply}
	}()
	await(t, b.entered, "the request to reach the bot")
	stopped := make(chan int, 1)
	go func() { code, _ := r.stop(); stopped <- code }()
	waitFor(t, "readiness to drop", func() bool { return strings.Contains(r.logs.String(), "shutting down") })
	select {
	case <-stopped:
		t.Fatal("serve exited with an interaction in flight")
	default:
	}
	close(b.release)
	res := await(t, got, "the in-flight interaction's answer")
	if res.code != http.StatusOK || len(res.reply.Data.Embeds) == 0 {
		t.Errorf("in-flight interaction: got %d %+v, want 200 with the answer", res.code, res.reply)
	}
	if code := <-stopped; code != exitOK {
		t.Errorf("exit status: got %d, want 0; logs:\n%s", code, r.logs)
	}
}

// --- The fake Telegram Bot API of adapters/telegram/telegramtest ---

// newFakeTelegram starts a fake Bot API accepting testTelegramToken, closed when t ends.
func newFakeTelegram(t *testing.T) *telegramtest.Server {
	s := telegramtest.NewServer(testTelegramToken)
	t.Cleanup(s.Close)
	return s
}

var messageSeq atomic.Int64

// addMessage queues a text message from user in the private chat chat.
func addMessage(tg *telegramtest.Server, chat, user int64, text string) {
	tg.Push(map[string]any{"message": map[string]any{
		"message_id": messageSeq.Add(1), "date": 1700000000, "text": text,
		"chat": map[string]any{"id": chat, "type": "private"},
		"from": map[string]any{"id": user, "is_bot": false, "first_name": "U"},
	}})
}

// sentMessages returns the messages the fake accepted (sent or edited), in order.
func sentMessages(tg *telegramtest.Server) []url.Values {
	var out []url.Values
	for _, c := range tg.Calls("") {
		if c.OK && (c.Method == "sendMessage" || c.Method == "editMessageText") {
			v := url.Values{}
			for k, p := range c.Params {
				v.Set(k, p)
			}
			out = append(out, v)
		}
	}
	return out
}

// lastOffset returns the offset of the latest getUpdates.
func lastOffset(tg *telegramtest.Server) int {
	calls := tg.Calls("getUpdates")
	if len(calls) == 0 {
		return 0
	}
	n, _ := strconv.Atoi(calls[len(calls)-1].Params["offset"])
	return n
}

// TestServeShutdownTelegramInFlight: SIGTERM while a reply is being computed; the reply is
// sent, the update is confirmed, and serve exits 0 within 10 s.
func TestServeShutdownTelegramInFlight(t *testing.T) {
	tg := newFakeTelegram(t)
	b := newBlocker()
	r := startServe(t, map[string]string{"TELEGRAM_TOKEN": testTelegramToken, "TELEGRAM_API_ENDPOINT": tg.Endpoint()}, b.wrap)
	waitFor(t, "readiness", func() bool { code, _ := r.get("/readyz"); return code == http.StatusOK })
	addMessage(tg, 100, 100, "/answer 1")
	await(t, b.entered, "the request to reach the bot")

	stopped := make(chan int, 1)
	go func() { code, _ := r.stop(); stopped <- code }()
	waitFor(t, "shutdown to begin", func() bool { return strings.Contains(r.logs.String(), "shutting down") })
	if n := len(sentMessages(tg)); n != 0 {
		t.Fatalf("sent before the reply was ready: %d messages", n)
	}
	close(b.release)
	if code := <-stopped; code != exitOK {
		t.Errorf("exit status: got %d, want 0; logs:\n%s", code, r.logs)
	}
	// Anything sent early (an apology at shutdown, say) would show here as a second message
	// or in place of the answer.
	sent := sentMessages(tg)
	if len(sent) != 1 || sent[0].Get("chat_id") != "100" || !strings.HasPrefix(sent[0].Get("text"), "<b>1.</b>") {
		t.Fatalf("sent: got %v, want one answer to question 1 in chat 100", sent)
	}
	if got, want := lastOffset(tg), 2; got != want {
		t.Errorf("last getUpdates offset: got %d, want %d (update 1 confirmed)", got, want)
	}
}

// TestServeTelegramFatal: a rejected token or a second poller ends serve with status 1 and a
// clear message, never the token.
func TestServeTelegramFatal(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(f *telegramtest.Server)
		wantLog string
	}{
		{"token rejected", func(f *telegramtest.Server) {
			f.Inject("getMe", telegramtest.Fault{Status: http.StatusUnauthorized, Description: "Unauthorized"})
		}, "telegram rejected the bot token"},
		{"second poller", func(f *telegramtest.Server) {
			f.Inject("getUpdates", telegramtest.Fault{Status: http.StatusConflict, Description: "Conflict: terminated by other getUpdates request"})
		}, "409"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tg := newFakeTelegram(t)
			tc.setup(tg)
			cfg, err := parseConfigArgs(nil, envOf(map[string]string{"TELEGRAM_TOKEN": testTelegramToken, "TELEGRAM_API_ENDPOINT": tg.Endpoint()}))
			if err != nil {
				t.Fatal(err)
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			var logs syncBuffer
			done := make(chan int, 1)
			go func() { done <- serve(context.Background(), cfg, serveOptions{Stderr: &logs, Listener: ln}) }()
			select {
			case code := <-done:
				if code != exitError {
					t.Errorf("exit status: got %d, want %d", code, exitError)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("serve did not stop; logs:\n%s", logs.String())
			}
			out := logs.String()
			if !strings.Contains(out, tc.wantLog) {
				t.Errorf("logs: got %q, want %q", out, tc.wantLog)
			}
			if strings.Contains(out, testTelegramToken) {
				t.Errorf("logs contain the token: %q", out)
			}
		})
	}
}

// --- Hot reload ---

const reloadedTranscript = serveTranscript + `
3. Will the old lighthouse be opened to visitors?

Yes. After the restoration the lighthouse opens to visitors in July.
`

func TestServeReload(t *testing.T) {
	s := newDiscordSigner(t)
	dir := t.TempDir()
	path := writeFile(t, dir, "harbour.txt", serveTranscript)
	r := startServe(t, discordEnv(s, map[string]string{"TRANSCRIPT_FILE": path, "RELOAD_INTERVAL": "100ms"}), nil)
	questions := func() float64 { return r.metric("transcriptbot_transcript_questions") }
	reloads := func(result string) float64 {
		return r.metric(`transcriptbot_transcript_reloads_total{result="` + result + `"}`)
	}
	if got := questions(); got != 2 {
		t.Fatalf("questions at start: got %v, want 2", got)
	}
	if _, reply := r.interact(s, askInteraction("5001", "3")); len(reply.Data.Embeds) != 0 {
		t.Fatalf("question 3 before the reload: got an answer %+v", reply.Data.Embeds)
	}
	_, old := r.interact(s, askInteraction("5001", "ticket to the islands"))
	oldButtons := old.buttons()
	if len(oldButtons) == 0 {
		t.Fatalf("answer before the reload: got no buttons in %+v", old)
	}
	if _, reply := r.interact(s, buttonInteraction("5001", oldButtons[0])); strings.Contains(reply.Data.Content, "expired") {
		t.Fatalf("button %q before the reload: got %q, want it to work", oldButtons[0], reply.Data.Content)
	}

	// A good file: picked up by the poll, swapped in.
	writeFile(t, dir, "harbour.txt", reloadedTranscript)
	waitFor(t, "the good file to be loaded", func() bool { return questions() == 3 })
	if got := reloads("ok"); got != 1 {
		t.Errorf(`reloads{result="ok"}: got %v, want 1`, got)
	}
	_, reply := r.interact(s, askInteraction("5001", "3"))
	if len(reply.Data.Embeds) == 0 || !strings.Contains(reply.Data.Embeds[0].Description, "lighthouse") {
		t.Errorf("question 3 after the reload: got %+v, want the lighthouse answer", reply)
	}
	// Buttons from the old version answer "expired", never a wrong answer.
	if _, reply := r.interact(s, buttonInteraction("5001", oldButtons[0])); !strings.Contains(reply.Data.Content, "expired") || len(reply.Data.Embeds) != 0 {
		t.Errorf("old button %q after the reload: got %+v, want only an expired notice", oldButtons[0], reply)
	}

	// A bad file: the error and its line are logged, the old transcript keeps serving.
	bad := reloadedTranscript + "\n5. Skipped a number?\n\nAn answer.\n"
	writeFile(t, dir, "harbour.txt", bad)
	waitFor(t, "the bad file to be rejected", func() bool { return reloads("error") == 1 })
	if got := questions(); got != 3 {
		t.Errorf("questions after a bad file: got %v, want 3", got)
	}
	line := strings.Count(bad[:strings.Index(bad, "5. Skipped")], "\n") + 1
	if want := fmt.Sprintf("harbour.txt:%d:", line); !strings.Contains(r.logs.String(), want) {
		t.Errorf("logs: want the parse error with %q:\n%s", want, r.logs)
	}
	if _, reply := r.interact(s, askInteraction("5001", "3")); len(reply.Data.Embeds) == 0 {
		t.Errorf("question 3 after a bad file: got %+v, want the old transcript's answer", reply)
	}
	if _, body := r.get("/readyz"); !strings.Contains(body, "transcript: 3 questions") {
		t.Errorf("/readyz after the reloads: got %q, want the 3 questions being served", body)
	}

	// The sidecar counts as part of the transcript: a broken one is rejected too, and a
	// request to reload (SIGHUP) with nothing changed swaps in the same good transcript.
	writeFile(t, dir, "harbour.txt", reloadedTranscript)
	waitFor(t, "the fixed file to be loaded", func() bool { return reloads("ok") == 2 })
	r.reload <- struct{}{}
	waitFor(t, "the requested reload", func() bool { return reloads("ok") == 3 })

	// A real SIGHUP.
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the SIGHUP reload", func() bool { return reloads("ok") == 4 })
	if !strings.Contains(r.logs.String(), "reason=SIGHUP") {
		t.Errorf("logs: no reload for SIGHUP:\n%s", r.logs)
	}
}

func TestServeReloadSidecar(t *testing.T) {
	s := newDiscordSigner(t)
	dir := t.TempDir()
	path := writeFile(t, dir, "harbour.txt", serveTranscript)
	r := startServe(t, discordEnv(s, map[string]string{"TRANSCRIPT_FILE": path, "RELOAD_INTERVAL": "100ms"}), nil)
	sidecar := sidecarOf(path)
	if got, want := filepath.Base(sidecar), "harbour.ini"; got != want {
		t.Fatalf("sidecar: got %q, want %q", got, want)
	}
	writeFile(t, dir, "harbour.ini", "this is not a sidecar [\n")
	waitFor(t, "the bad sidecar to be rejected", func() bool {
		return r.metric(`transcriptbot_transcript_reloads_total{result="error"}`) == 1
	})
	if !strings.Contains(r.logs.String(), "harbour.ini") {
		t.Errorf("logs: want the sidecar named in the error:\n%s", r.logs)
	}
	if err := os.Remove(sidecar); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the transcript without sidecar to be loaded again", func() bool {
		return r.metric(`transcriptbot_transcript_reloads_total{result="ok"}`) == 1
	})
}

// TestServeTelegramWebhook: with a webhook URL, serve registers it with its secret and
// answers updates posted to /telegram/webhook; a request without the secret is refused.
func TestServeTelegramWebhook(t *testing.T) {
	tg := newFakeTelegram(t)
	const secret = "hook-secret_for-tests"
	r := startServe(t, map[string]string{
		"TELEGRAM_TOKEN": testTelegramToken, "TELEGRAM_API_ENDPOINT": tg.Endpoint(),
		"TELEGRAM_WEBHOOK_URL": "https://bot.example.org/telegram/webhook", "TELEGRAM_WEBHOOK_SECRET": secret,
	}, nil)
	waitFor(t, "readiness", func() bool { code, _ := r.get("/readyz"); return code == http.StatusOK })
	update := `{"update_id":7,"message":{"message_id":7,"date":1700000000,"text":"/answer 2",` +
		`"chat":{"id":300,"type":"private"},"from":{"id":300,"is_bot":false,"first_name":"W"}}}`
	post := func(secretHeader string) int {
		req, _ := http.NewRequest(http.MethodPost, r.base+"/telegram/webhook", strings.NewReader(update))
		req.Header.Set("Content-Type", "application/json")
		if secretHeader != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secretHeader)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := post("wrong"); got != http.StatusUnauthorized {
		t.Errorf("wrong secret: got %d, want 401", got)
	}
	if got := post(secret); got != http.StatusOK {
		t.Fatalf("webhook update: got %d, want 200", got)
	}
	waitFor(t, "the answer", func() bool { return len(sentMessages(tg)) == 1 })
	if got := sentMessages(tg)[0].Get("chat_id"); got != "300" {
		t.Errorf("answer sent to chat %q, want 300", got)
	}
	if got := r.metric(`transcriptbot_requests_total{kind="command",platform="telegram"}`); got != 1 {
		t.Errorf(`requests_total{telegram,command}: got %v, want 1`, got)
	}
	if code, _ := r.stop(); code != exitOK {
		t.Errorf("exit status: got %d, want 0", code)
	}
}

// TestServeLogSettings: JSON logs, and message text only with LOG_MESSAGES.
func TestServeLogSettings(t *testing.T) {
	for _, logMessages := range []string{"false", "true"} {
		t.Run("LOG_MESSAGES="+logMessages, func(t *testing.T) {
			s := newDiscordSigner(t)
			r := startServe(t, discordEnv(s, map[string]string{"LOG_FORMAT": "json", "LOG_MESSAGES": logMessages}), nil)
			r.interact(s, askInteraction("5001", "lighthouse opening hours"))
			r.stop()
			sawRequest, sawText := false, false
			for line := range strings.SplitSeq(strings.TrimSpace(r.logs.String()), "\n") {
				var rec map[string]any
				if err := json.Unmarshal([]byte(line), &rec); err != nil {
					t.Fatalf("log line %q is not JSON: %v", line, err)
				}
				if rec["msg"] == "request" {
					sawRequest = true
					if rec["platform"] != "discord" || rec["kind"] != "command" || rec["outcome"] == nil {
						t.Errorf("request line: got %v, want platform, kind and outcome", rec)
					}
				}
				if strings.Contains(line, "lighthouse opening hours") {
					sawText = true
				}
			}
			if !sawRequest {
				t.Errorf("no request line in the logs:\n%s", r.logs)
			}
			if want := logMessages == "true"; sawText != want {
				t.Errorf("message text in the logs: got %v, want %v", sawText, want)
			}
		})
	}
}

func TestServeCheck(t *testing.T) {
	var out, errOut strings.Builder
	env := &cliEnv{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
		Getenv: envOf(map[string]string{"DISCORD_PUBLIC_KEY": testPublicKey, "TELEGRAM_TOKEN": testTelegramToken})}
	if code := env.main(t.Context(), []string{"serve", "--check"}); code != exitOK {
		t.Fatalf("exit code: got %d, want 0; stderr %q", code, errOut.String())
	}
	if got, want := out.String(), "configuration OK: 10 questions; platforms: telegram (polling), discord interactions\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestServeSendFailureMetric: a reply Telegram refuses is counted by platform and code.
func TestServeSendFailureMetric(t *testing.T) {
	tg := newFakeTelegram(t)
	tg.Inject("sendMessage", telegramtest.Fault{Status: http.StatusForbidden, Description: "Forbidden: bot was blocked by the user"})
	r := startServe(t, map[string]string{"TELEGRAM_TOKEN": testTelegramToken, "TELEGRAM_API_ENDPOINT": tg.Endpoint()}, nil)
	addMessage(tg, 400, 400, "/answer 1")
	series := `transcriptbot_send_failures_total{code="403",platform="telegram"}`
	waitFor(t, "the send failure to be counted", func() bool { return r.metric(series) == 1 })
	if code, _ := r.stop(); code != exitOK {
		t.Errorf("exit status: got %d, want 0", code)
	}
}

// TestServeReadiness: /readyz is 503 naming the platform until it is connected, while
// /healthz answers all along.
func TestServeReadiness(t *testing.T) {
	tg := newFakeTelegram(t)
	// Telegram unreachable behind a proxy: deleteWebhook answers 502 with an HTML page.
	var unreachable atomic.Bool
	unreachable.Store(true)
	tg.Handle("deleteWebhook", func(telegramtest.Call) (any, *telegramtest.Fault) {
		if unreachable.Load() {
			return nil, &telegramtest.Fault{Status: http.StatusBadGateway, HTML: true}
		}
		return true, nil
	})
	r := startServe(t, map[string]string{"TELEGRAM_TOKEN": testTelegramToken, "TELEGRAM_API_ENDPOINT": tg.Endpoint()}, nil)
	code, body := r.get("/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "telegram: not ready") {
		t.Errorf("/readyz while Telegram is unreachable: got %d %q, want 503 naming telegram", code, body)
	}
	if code, _ := r.get("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz: got %d, want 200", code)
	}
	unreachable.Store(false)
	waitFor(t, "readiness", func() bool { code, _ := r.get("/readyz"); return code == http.StatusOK })
	if _, body := r.get("/readyz"); !strings.Contains(body, "telegram: ready") || !strings.Contains(body, "transcript: 10 questions") {
		t.Errorf("/readyz: got %q, want the transcript and telegram ready", body)
	}
}
