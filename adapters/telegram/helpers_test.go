package telegram

import (
	"bytes"
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"transcriptbot/adapters/telegram/telegramtest"
	"transcriptbot/bot"
)

const testToken = "123456:CANARY-secret_token-ZZqq98765"

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// fakeHandler is a bot.Handler that answers every request with a reply built from it, and records
// the requests.
type fakeHandler struct {
	mu       sync.Mutex
	reqs     []bot.Request
	suggests []bot.SuggestRequest
	reply    func(bot.Request) bot.Reply
}

func (h *fakeHandler) Handle(_ context.Context, req bot.Request) bot.Reply {
	h.mu.Lock()
	h.reqs = append(h.reqs, req)
	f := h.reply
	h.mu.Unlock()
	if f != nil {
		return f(req)
	}
	return echoReply(req)
}

func (h *fakeHandler) Suggest(_ context.Context, req bot.SuggestRequest) []bot.Reply {
	h.mu.Lock()
	h.suggests = append(h.suggests, req)
	h.mu.Unlock()
	query := req.Query
	var out []bot.Reply
	for i := 1; i <= 3 && i <= req.Max; i++ {
		out = append(out, bot.Reply{Kind: bot.ReplyAnswer, Number: i, Question: "Question <" + strconv.Itoa(i) + "> & " + query,
			Body: []bot.Span{{Text: "Excerpt about "}, {Text: query, Highlight: true}, {Text: " & more."}}, Page: 1, Pages: 1})
	}
	return out
}

func (h *fakeHandler) requests() []bot.Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]bot.Request(nil), h.reqs...)
}

// echoReply answers with the request's text, so each reply names its question.
func echoReply(req bot.Request) bot.Reply {
	text := req.Text
	if req.Kind == bot.KindButton {
		text = "button " + req.Action
	}
	return bot.Reply{
		Kind:     bot.ReplyAnswer,
		Number:   3,
		Question: "What about <tags> & things?",
		Body:     []bot.Span{{Text: "You asked: "}, {Text: text, Highlight: true}},
		Page:     1, Pages: 1,
		Actions: []bot.Action{{ID: "full:abcd1234:3", Label: "Full answer"}, {ID: "more:abcd1234:3", Label: "Other matches"}},
	}
}

type testEnv struct {
	fake *telegramtest.Server
	h    *fakeHandler
	logs *syncBuffer
	cfg  Config
}

func newEnv(t testing.TB) *testEnv {
	fake := newFakeAPI(t)
	logs := &syncBuffer{}
	return &testEnv{
		fake: fake,
		h:    &fakeHandler{},
		logs: logs,
		cfg: Config{
			Token:           testToken,
			APIEndpoint:     fake.Endpoint(),
			PollTimeout:     time.Second,
			RequestTimeout:  2 * time.Second,
			Logger:          slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
			MinBackoff:      2 * time.Millisecond,
			MaxBackoff:      20 * time.Millisecond,
			ShutdownTimeout: 5 * time.Second,
			Rates:           Rates{Chat: 1000, ChatBurst: 100, Group: 1000, GroupBurst: 100, Global: 10000, GlobalBurst: 1000},
		},
	}
}

func (e *testEnv) adapter(t testing.TB) *Adapter {
	t.Helper()
	a, err := New(context.Background(), e.cfg, e.h)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return a
}

// run starts a.Run and returns a stop function that cancels it and returns Run's error.
func run(t testing.TB, a *Adapter) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- a.Run(ctx) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-errc:
			case <-time.After(15 * time.Second):
				t.Fatalf("Run did not return after cancel")
			}
		})
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}

// checkNoLeak fails when the token (or its secret half) is in s.
func checkNoLeak(t testing.TB, where, s string) {
	t.Helper()
	secret := testToken[strings.IndexByte(testToken, ':')+1:]
	if strings.Contains(s, testToken) || strings.Contains(s, secret) {
		t.Errorf("%s contains the token: %q", where, s)
	}
}

// update builders in the Bot API's JSON shape.

func user(id int64) map[string]any {
	return map[string]any{"id": id, "is_bot": false, "first_name": "U" + strconv.FormatInt(id, 10), "language_code": "en"}
}

func privateChat(id int64) map[string]any {
	return map[string]any{"id": id, "type": "private", "first_name": "U"}
}

func groupChat(id int64) map[string]any {
	return map[string]any{"id": id, "type": "supergroup", "title": "G"}
}

func msg(msgID int, chat map[string]any, from int64, text string) map[string]any {
	m := map[string]any{"message_id": msgID, "date": 1700000000, "chat": chat, "text": text}
	if from != 0 {
		m["from"] = user(from)
	}
	if strings.HasPrefix(text, "/") {
		n := strings.IndexAny(text, " \n")
		if n < 0 {
			n = len(text)
		}
		m["entities"] = []any{map[string]any{"type": "bot_command", "offset": 0, "length": len(utf16Encode(text[:n]))}}
	}
	return m
}

func utf16Encode(s string) []uint16 {
	var out []uint16
	for _, r := range s {
		if r >= 0x10000 {
			out = append(out, 0, 0)
		} else {
			out = append(out, 0)
		}
	}
	return out
}

func message(m map[string]any) map[string]any { return map[string]any{"message": m} }

// newFakeAPI starts a fake Bot API accepting testToken, closed when the test ends.
func newFakeAPI(t testing.TB) *telegramtest.Server {
	s := telegramtest.NewServer(testToken)
	t.Cleanup(s.Close)
	return s
}

// checkHTML checks s as Telegram's HTML parse mode and returns its visible length in UTF-16
// code units.
func checkHTML(s string) (int, error) {
	v, err := telegramtest.CheckHTML(s)
	return bot.UTF16Len(v), err
}

// waitFor polls cond until it holds, failing the test after 10 seconds.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
