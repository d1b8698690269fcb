package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/bwmarrin/discordgo"

	"transcriptbot/adapters/discord/discordtest"
	"transcriptbot/bot"
)

const (
	testToken  = "test-token-SECRET-abc.def"
	testAppID  = "9001"
	testSource = "Press conference of 12 June 2020"
	testHash   = "abcd1234"
)

// fakeHandler is a bot core stand-in that records requests and answers like the real one
// would, shaped by the request.
type fakeHandler struct {
	mu       sync.Mutex
	reqs     []bot.Request
	queries  []string
	suggests []bot.SuggestRequest
	delay    time.Duration
	reply    func(bot.Request) bot.Reply // overrides the default answers when set
	suggest  func(query string, max int) []bot.Reply
	panicMsg string
	entered  chan struct{} // when set, receives a value as each Handle begins
}

func (f *fakeHandler) Handle(ctx context.Context, req bot.Request) bot.Reply {
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	delay, reply, p, entered := f.delay, f.reply, f.panicMsg, f.entered
	f.mu.Unlock()
	if entered != nil {
		entered <- struct{}{}
	}
	if p != "" {
		panic(p)
	}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-ctx.Done():
		}
	}
	if reply != nil {
		return reply(req)
	}
	return defaultReply(req)
}

func (f *fakeHandler) Suggest(ctx context.Context, req bot.SuggestRequest) []bot.Reply {
	f.mu.Lock()
	f.queries = append(f.queries, req.Query)
	f.suggests = append(f.suggests, req)
	s := f.suggest
	f.mu.Unlock()
	if s != nil {
		return s(req.Query, req.Max)
	}
	return []bot.Reply{{Kind: bot.ReplyAnswer, Number: 3, Question: "What has the SCO contributed to regional security?"}}
}

func (f *fakeHandler) requests() []bot.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bot.Request(nil), f.reqs...)
}

// defaultReply answers like the bot core: actions carry versioned ids, unknown ids expire.
func defaultReply(req bot.Request) bot.Reply {
	answer := bot.Reply{
		Kind:     bot.ReplyAnswer,
		Number:   3,
		Question: "What has the SCO contributed to regional security?",
		Body: []bot.Span{
			{Text: "On "}, {Text: "Hong Kong", Highlight: true},
			{Text: ", the spokesperson said *nothing* new <@123> @everyone."},
		},
		Actions: []bot.Action{
			{ID: "full:" + testHash + ":3", Label: "Full answer"},
			{ID: "more:" + testHash + ":hong", Label: "Other matches"},
		},
		Source: testSource,
	}
	switch req.Kind {
	case bot.KindButton:
		if strings.HasPrefix(req.Action, "full:"+testHash+":") {
			return bot.Reply{Kind: bot.ReplyByNumber, Number: 3, Question: answer.Question,
				Body: []bot.Span{{Text: "The full answer."}}, Page: 1, Pages: 2,
				Actions: []bot.Action{{ID: "page:" + testHash + ":3:2", Label: "Next"}}, Source: testSource}
		}
		return bot.Reply{Kind: bot.ReplyExpired, Body: []bot.Span{{Text: "This button has expired."}}}
	case bot.KindCommand:
		switch req.Command {
		case "help":
			return bot.Reply{Kind: bot.ReplyHelp, Body: []bot.Span{{Text: "Ask me about the press conference."}}, Source: testSource}
		case "questions":
			return bot.Reply{Kind: bot.ReplyList, Body: []bot.Span{{Text: "1. First\n2. Second"}}, Page: 1, Pages: 3,
				Actions: []bot.Action{{ID: "list:" + testHash + ":2", Label: "Next"}}, Source: testSource}
		case "answer":
			if req.Text == "" {
				return bot.Reply{Kind: bot.ReplyInvalid, Body: []bot.Span{{Text: "Which question?"}}}
			}
		}
	}
	if strings.TrimSpace(req.Text) == "" && req.Kind != bot.KindCommand {
		return bot.Reply{Kind: bot.ReplyInvalid, Body: []bot.Span{{Text: "Please ask a question."}}}
	}
	return answer
}

// call is one REST request the fake Discord API received.
type call = discordtest.Call

// newFakeAPI starts a fake Discord REST API, closed when t ends.
func newFakeAPI(t *testing.T) *discordtest.Server {
	t.Helper()
	s := discordtest.NewServer()
	t.Cleanup(func() {
		s.Close()
		for _, v := range s.Violations() {
			t.Errorf("sent what Discord refuses: %s", v)
		}
	})
	return s
}

// logBuffer collects log output for checks that secrets never appear.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type testEnv struct {
	a        *Adapter
	h        *fakeHandler
	api      *discordtest.Server
	logs     *logBuffer
	failures *failureLog
}

type failureLog struct {
	mu    sync.Mutex
	codes []int
}

func (f *failureLog) add(code int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.codes = append(f.codes, code)
}

func (f *failureLog) get() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]int(nil), f.codes...)
}

// newEnv builds an adapter aimed at a fake API; edit may adjust the config.
func newEnv(t *testing.T, h bot.Handler, edit func(*Config)) *testEnv {
	t.Helper()
	api := newFakeAPI(t)
	logs := &logBuffer{}
	fl := &failureLog{}
	cfg := Config{
		Token:        testToken,
		APIBase:      api.Base(),
		Logger:       slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Source:       testSource,
		Questions:    10,
		AnswerWindow: time.Second,
		RetryBackoff: time.Millisecond,
		MaxRetryWait: 200 * time.Millisecond,
		OnSendFailure: func(code int) {
			fl.add(code)
		},
		ReconnectBackoff: 10 * time.Millisecond,
		MaxReconnectWait: 50 * time.Millisecond,
	}
	if edit != nil {
		edit(&cfg)
	}
	a, err := New(cfg, h)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	env := &testEnv{a: a, api: api, logs: logs, failures: fl}
	if fh, ok := h.(*fakeHandler); ok {
		env.h = fh
	}
	t.Cleanup(func() {
		if strings.Contains(logs.String(), "SECRET") {
			t.Errorf("a secret token appears in the logs:\n%s", logs.String())
		}
	})
	return env
}

// wait waits for deferred follow-ups to be sent.
func (e *testEnv) wait(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.a.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
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
		var zero T
		return zero
	}
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// interactionFixture decodes an interaction as the adapter does.
func interactionFixture(t *testing.T, name string) *discordgo.Interaction {
	t.Helper()
	i, err := decodeInteraction(readFixture(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return i
}

// wireMsg is an independent decoding of a message as Discord receives it, used to check the
// limits without trusting the adapter's own checks.
type wireMsg struct {
	Content string `json:"content"`
	Embeds  []struct {
		Title       string `json:"title"`
		Description string `json:"description"`
		Footer      *struct {
			Text string `json:"text"`
		} `json:"footer"`
	} `json:"embeds"`
	Components []struct {
		Type       int `json:"type"`
		Components []struct {
			Type     int    `json:"type"`
			Label    string `json:"label"`
			CustomID string `json:"custom_id"`
		} `json:"components"`
	} `json:"components"`
	AllowedMentions *struct {
		Parse *[]string `json:"parse"`
	} `json:"allowed_mentions"`
	Flags            int `json:"flags"`
	MessageReference *struct {
		MessageID string `json:"message_id"`
	} `json:"message_reference"`
}

func u16(s string) int { return len(utf16.Encode([]rune(s))) }

// checkWire decodes a message body and checks it with discordtest.CheckMessage: Discord's
// limits, and nothing can ping.
func checkWire(t *testing.T, raw []byte) wireMsg {
	t.Helper()
	var m wireMsg
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("decoding message %s: %v", raw, err)
	}
	if _, reason := discordtest.CheckMessage(raw); reason != "" {
		t.Errorf("message breaks Discord's rules: %s\n%s", reason, raw)
	}
	return m
}

// interactionResp is a decoded interaction callback body.
type interactionResp struct {
	Type int             `json:"type"`
	Data json.RawMessage `json:"data"`
}

func decodeResp(t *testing.T, raw []byte) interactionResp {
	t.Helper()
	var r interactionResp
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("decoding response %s: %v", raw, err)
	}
	return r
}

func decodeInto(t *testing.T, raw []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decoding %s: %v", raw, err)
	}
}
