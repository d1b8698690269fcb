package prometheus

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"transcriptbot/bot"
)

// scripted answers each request with the reply kind named by its text.
type scripted struct{}

var kinds = map[string]bot.ReplyKind{
	"match": bot.ReplyAnswer, "number": bot.ReplyByNumber, "ambiguous": bot.ReplyAmbiguous,
	"uncovered": bot.ReplyNotCovered, "slow": bot.ReplyThrottled, "quiet": bot.ReplySilent,
}

func (scripted) Handle(_ context.Context, req bot.Request) bot.Reply {
	k, ok := kinds[req.Text]
	if !ok {
		k = bot.ReplyKind(999)
	}
	return bot.Reply{Kind: k, Number: 3}
}

func (scripted) Suggest(_ context.Context, req bot.SuggestRequest) []bot.Reply {
	return make([]bot.Reply, min(req.Max, 2))
}

func scrape(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape: got status %d, want 200", resp.StatusCode)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestMetricsAfterRequests(t *testing.T) {
	m := NewMetrics()
	tg := m.Wrap(scripted{}, WrapOptions{Platform: "telegram"})
	dc := m.Wrap(scripted{}, WrapOptions{Platform: "discord"})
	ctx := context.Background()
	tg.Handle(ctx, bot.Request{Kind: bot.KindMessage, Text: "match"})
	tg.Handle(ctx, bot.Request{Kind: bot.KindMessage, Text: "match"})
	tg.Handle(ctx, bot.Request{Kind: bot.KindCommand, Command: "answer", Text: "number"})
	tg.Handle(ctx, bot.Request{Kind: bot.KindButton, Text: "ambiguous"})
	dc.Handle(ctx, bot.Request{Kind: bot.KindMention, Text: "uncovered"})
	dc.Handle(ctx, bot.Request{Kind: bot.KindMessage, Platform: "console", Text: "slow"})
	dc.Handle(ctx, bot.Request{Kind: bot.KindMessage, Text: "quiet"})
	dc.Handle(ctx, bot.Request{Kind: bot.KindMessage, Text: "strange"})
	dc.Suggest(ctx, bot.SuggestRequest{Query: "hong", Max: 25})
	m.SendFailure("telegram", 403)
	m.SendFailure("telegram", 403)
	m.SendFailure("discord", 0)
	m.ReplyDropped("telegram")
	m.APIDown("telegram", true)
	m.APIDown("telegram", false)
	m.APIDown("discord", true)
	m.Loaded(37, time.Unix(1700000000, 0))
	m.Reloaded(true)
	m.Reloaded(false)
	m.Reloaded(false)

	body := scrape(t, m.HTTPHandler())
	want := []string{
		`transcriptbot_requests_total{kind="message",platform="telegram"} 2`,
		`transcriptbot_requests_total{kind="command",platform="telegram"} 1`,
		`transcriptbot_requests_total{kind="button",platform="telegram"} 1`,
		`transcriptbot_requests_total{kind="mention",platform="discord"} 1`,
		`transcriptbot_requests_total{kind="message",platform="console"} 1`,
		`transcriptbot_requests_total{kind="message",platform="discord"} 2`,
		`transcriptbot_requests_total{kind="suggest",platform="discord"} 1`,
		`transcriptbot_answers_total{outcome="matched"} 2`,
		`transcriptbot_answers_total{outcome="by_number"} 1`,
		`transcriptbot_answers_total{outcome="ambiguous"} 1`,
		`transcriptbot_answers_total{outcome="not_covered"} 1`,
		`transcriptbot_answers_total{outcome="throttled"} 1`,
		`transcriptbot_answers_total{outcome="silent"} 1`,
		`transcriptbot_answers_total{outcome="other"} 1`,
		`transcriptbot_answers_total{outcome="expired"} 0`,
		`transcriptbot_reply_duration_seconds_count{platform="telegram"} 4`,
		`transcriptbot_reply_duration_seconds_count{platform="discord"} 4`,
		`transcriptbot_reply_duration_seconds_bucket{platform="console",le="+Inf"} 1`,
		`transcriptbot_send_failures_total{code="403",platform="telegram"} 2`,
		`transcriptbot_send_failures_total{code="network",platform="discord"} 1`,
		`transcriptbot_replies_dropped_total{platform="telegram"} 1`,
		`transcriptbot_platform_api_down{platform="telegram"} 0`,
		`transcriptbot_platform_api_down{platform="discord"} 1`,
		`transcriptbot_transcript_questions 37`,
		`transcriptbot_transcript_loaded_timestamp_seconds 1.7e+09`,
		`transcriptbot_transcript_reloads_total{result="ok"} 1`,
		`transcriptbot_transcript_reloads_total{result="error"} 2`,
		`go_goroutines `,
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("scrape: missing %q", w)
		}
	}
	if t.Failed() {
		t.Logf("scrape:\n%s", body)
	}
	problems, err := testutil.GatherAndLint(m.Registry())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if strings.HasPrefix(p.Metric, "transcriptbot_") {
			t.Errorf("lint %s: %s", p.Metric, p.Text)
		}
	}
}

func TestOutcomeLabels(t *testing.T) {
	tests := []struct {
		kind bot.ReplyKind
		want string
	}{
		{bot.ReplyAnswer, "matched"},
		{bot.ReplyByNumber, "by_number"},
		{bot.ReplyAmbiguous, "ambiguous"},
		{bot.ReplyNotCovered, "not_covered"},
		{bot.ReplyError, "error"},
		{bot.ReplyThrottled, "throttled"},
		{bot.ReplySilent, "silent"},
		{bot.ReplyKind(-1), "other"},
		{bot.ReplyKind(1000), "other"},
	}
	for _, tc := range tests {
		if got := Outcome(tc.kind); got != tc.want {
			t.Errorf("Outcome(%d): got %q, want %q", tc.kind, got, tc.want)
		}
	}
}

func TestRequestLogMessagesOnlyWhenAsked(t *testing.T) {
	tests := []struct {
		name        string
		level       slog.Level
		logMessages bool
		wantLine    bool
		wantText    bool
	}{
		{"info level logs no requests", slog.LevelInfo, true, false, false},
		{"debug without message text", slog.LevelDebug, false, true, false},
		{"debug with message text", slog.LevelDebug, true, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: tc.level}))
			h := NewMetrics().Wrap(scripted{}, WrapOptions{Platform: "telegram", Logger: log, LogMessages: tc.logMessages})
			h.Handle(context.Background(), bot.Request{Kind: bot.KindMessage, Text: "match"})
			h.Suggest(context.Background(), bot.SuggestRequest{Query: "secret plans", Max: 5})
			out := buf.String()
			if got := strings.Contains(out, "msg=request"); got != tc.wantLine {
				t.Errorf("request line logged: got %v, want %v (log %q)", got, tc.wantLine, out)
			}
			if got := strings.Contains(out, "text=match") && strings.Contains(out, `text="secret plans"`); got != tc.wantText {
				t.Errorf("message text logged: got %v, want %v (log %q)", got, tc.wantText, out)
			}
		})
	}
}

func BenchmarkWrapHandle(b *testing.B) {
	h := NewMetrics().Wrap(scripted{}, WrapOptions{Platform: "telegram"})
	req := bot.Request{Kind: bot.KindMessage, Text: "match"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		h.Handle(ctx, req)
	}
}

// TestRequestLogCutsLongText: with LogMessages a 1 MB message is logged cut to MaxLoggedText
// bytes, never split inside a character, with its full length.
func TestRequestLogCutsLongText(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := NewMetrics().Wrap(scripted{}, WrapOptions{Platform: "telegram", Logger: log, LogMessages: true})
	long := "é" + strings.Repeat("x", 1<<20)
	h.Handle(context.Background(), bot.Request{Kind: bot.KindMessage, Text: long})
	h.Suggest(context.Background(), bot.SuggestRequest{Query: strings.Repeat("ü", 1000), Max: 5})
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d log lines, want 2:\n%.2000s", len(lines), buf.String())
	}
	for i, want := range []string{" (1048578 bytes)", " (2000 bytes)"} {
		var rec struct{ Text string }
		if err := json.Unmarshal([]byte(lines[i]), &rec); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(rec.Text, "…"+want) || !utf8.ValidString(rec.Text) {
			t.Errorf("line %d: got text %.80q... ending %q, want valid UTF-8 ending in %q", i, rec.Text, rec.Text[max(0, len(rec.Text)-30):], want)
		}
		if cut := strings.TrimSuffix(rec.Text, "…"+want); len(cut) > MaxLoggedText {
			t.Errorf("line %d: kept %d bytes of text, want at most %d", i, len(cut), MaxLoggedText)
		}
	}
}
