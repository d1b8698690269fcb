package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"
)

type stringer struct{ s string }

func (s stringer) String() string { return s.s }

type config struct {
	Name  string
	Token string
}

func TestRedact(t *testing.T) {
	const token = "123456:AAH-canary_Token"
	escaped := url.QueryEscape(token)
	urlErr := &url.Error{Op: "Post", URL: "https://api.example/bot" + token + "/getUpdates", Err: errors.New("connection reset")}
	tests := []struct {
		name string
		log  func(l *slog.Logger)
		want string // a part of the output that must survive
	}{
		{"message", func(l *slog.Logger) { l.Info("token is " + token) }, "token is [REDACTED]"},
		{"string attr", func(l *slog.Logger) { l.Info("x", "tok", token) }, "[REDACTED]"},
		{"url error", func(l *slog.Logger) { l.Error("poll failed", "error", urlErr) }, "/bot[REDACTED]/getUpdates"},
		{"wrapped error", func(l *slog.Logger) { l.Error("x", "err", fmt.Errorf("send: %w", urlErr)) }, "connection reset"},
		{"query-escaped", func(l *slog.Logger) { l.Info("x", "u", "https://h/?t="+escaped) }, "t=[REDACTED]"},
		{"stringer", func(l *slog.Logger) { l.Info("x", "s", stringer{"a" + token + "b"}) }, "a[REDACTED]b"},
		{"struct", func(l *slog.Logger) { l.Info("x", "cfg", config{Name: "n", Token: token}) }, "Token:[REDACTED]"},
		{"group", func(l *slog.Logger) { l.Info("x", slog.Group("g", "tok", token, "n", 1)) }, "[REDACTED]"},
		{"with attrs", func(l *slog.Logger) { l.With("tok", token).Info("x") }, "[REDACTED]"},
		{"with group", func(l *slog.Logger) { l.WithGroup("g").Info("x", "tok", token) }, "[REDACTED]"},
		{"log valuer", func(l *slog.Logger) { l.Info("x", "v", valuer{}) }, "[REDACTED]"},
		{"second secret", func(l *slog.Logger) { l.Info("hook secret s3cr3t-hook") }, "hook secret [REDACTED]"},
		{"untouched", func(l *slog.Logger) { l.Info("x", "n", 42, "ok", true, "d", time.Second) }, "42"},
	}
	for _, format := range []string{"text", "json"} {
		for _, tc := range tests {
			t.Run(format+"/"+tc.name, func(t *testing.T) {
				var buf bytes.Buffer
				var h slog.Handler = slog.NewTextHandler(&buf, nil)
				if format == "json" {
					h = slog.NewJSONHandler(&buf, nil)
				}
				tc.log(slog.New(redactSecrets(h, "", token, "s3cr3t-hook")))
				out := buf.String()
				if strings.Contains(out, token) || strings.Contains(out, escaped) || strings.Contains(out, "s3cr3t") {
					t.Errorf("got %q, want no secret", out)
				}
				if !strings.Contains(out, tc.want) {
					t.Errorf("got %q, want it to contain %q", out, tc.want)
				}
			})
		}
	}
}

type valuer struct{}

func (valuer) LogValue() slog.Value { return slog.StringValue("resolved 123456:AAH-canary_Token") }

func TestRedactNoSecrets(t *testing.T) {
	h := slog.NewTextHandler(io.Discard, nil)
	if got := redactSecrets(h, "", "abc"); got != slog.Handler(h) {
		t.Errorf("Redact with no secrets long enough: got %T, want the handler itself", got)
	}
}

// FuzzRedact: whatever surrounds a secret in a message or attribute, it never reaches the
// output.
func FuzzRedact(f *testing.F) {
	f.Add("before ", " after", "123456:AAH-token")
	f.Add("", "", "s3cr3t-value")
	f.Add("x=", "&y=1", "a b+c/d?e")
	f.Fuzz(func(t *testing.T, before, after, secret string) {
		if len(secret) < minSecretLen {
			return
		}
		var buf bytes.Buffer
		l := slog.New(redactSecrets(slog.NewJSONHandler(&buf, nil), secret))
		l.Info(before+secret+after, "v", before+secret+after, "e", errors.New(before+secret+after))
		var rec map[string]any
		if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
			t.Fatalf("output %q is not JSON: %v", buf.String(), err)
		}
		for _, k := range []string{"msg", "v", "e"} {
			if s, _ := rec[k].(string); strings.Contains(s, secret) {
				t.Errorf("%s: got %q, want no %q", k, s, secret)
			}
		}
	})
}
