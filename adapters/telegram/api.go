package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// APIError is a failed Bot API call: Telegram answered ok=false, or the HTTP exchange failed.
// It never contains the token.
type APIError struct {
	// Method is the Bot API method, e.g. "sendMessage".
	Method string
	// Code is the HTTP status or Telegram error_code; 0 for a network or decoding failure.
	Code int
	// Description is Telegram's description or the (redacted) transport error.
	Description string
	// RetryAfter is Telegram's parameters.retry_after on 429, zero otherwise.
	RetryAfter time.Duration
	// MigrateTo is parameters.migrate_to_chat_id: the group became this supergroup.
	MigrateTo int64
	cause     error // context errors only, so errors.Is(err, context.Canceled) works
}

// Error implements error; the text never contains the token.
func (e *APIError) Error() string {
	if e.Code == 0 {
		return fmt.Sprintf("telegram %s: %s", e.Method, e.Description)
	}
	return fmt.Sprintf("telegram %s: %d %s", e.Method, e.Code, e.Description)
}

// Unwrap returns context.Canceled or context.DeadlineExceeded when the call was cut short by
// its context, nil otherwise.
func (e *APIError) Unwrap() error { return e.cause }

// Temporary reports whether retrying the same call later may succeed: network errors, 429
// and 5xx.
func (e *APIError) Temporary() bool {
	return e.Code == 0 || e.Code == http.StatusTooManyRequests || e.Code >= 500
}

// maxErrorBody bounds how much of a non-2xx response body is read.
const maxErrorBody = 64 << 10

// ctxDoer is the tgbotapi.HTTPClient the adapter hands the library for one call: it attaches
// the call's context and turns non-JSON error responses into Bot API JSON, because MakeRequest
// ignores the HTTP status.
type ctxDoer struct {
	ctx    context.Context
	client *http.Client
	status int
}

// Do implements tgbotapi.HTTPClient.
func (d *ctxDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.client.Do(req.WithContext(d.ctx))
	if err != nil {
		return nil, err
	}
	d.status = resp.StatusCode
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		resp.Body = drainCloser{resp.Body}
		return resp, nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	_ = resp.Body.Close()
	var probe tgbotapi.APIResponse
	if json.Unmarshal(body, &probe) != nil || probe.Ok {
		desc := strings.TrimSpace(http.StatusText(resp.StatusCode))
		if desc == "" {
			desc = "HTTP error"
		}
		synth := tgbotapi.APIResponse{Ok: false, ErrorCode: resp.StatusCode, Description: desc}
		if ra := resp.Header.Get("Retry-After"); ra != "" {
			var secs int
			if _, err := fmt.Sscanf(ra, "%d", &secs); err == nil && secs > 0 {
				synth.Parameters = &tgbotapi.ResponseParameters{RetryAfter: secs}
			}
		}
		body, _ = json.Marshal(synth)
	} else if probe.ErrorCode == 0 {
		probe.ErrorCode = resp.StatusCode
		body, _ = json.Marshal(probe)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// drainCloser reads what the JSON decoder left (a trailing newline) before closing, so the
// keep-alive connection is reused.
type drainCloser struct{ io.ReadCloser }

// Close drains and closes the body.
func (d drainCloser) Close() error {
	_, _ = io.Copy(io.Discard, io.LimitReader(d.ReadCloser, maxErrorBody))
	return d.ReadCloser.Close()
}

// call performs one Bot API request with ctx through the library's MakeRequest and returns the
// result, or an *APIError with the token redacted.
func (a *Adapter) call(ctx context.Context, method string, params tgbotapi.Params) (json.RawMessage, error) {
	return callAPI(ctx, a.api, a.client, a.redactor, method, params)
}

func callAPI(ctx context.Context, api *tgbotapi.BotAPI, client *http.Client, r *redactor, method string, params tgbotapi.Params) (json.RawMessage, error) {
	d := &ctxDoer{ctx: ctx, client: client}
	c := *api // a shallow copy so this call has its own HTTP client (and context)
	c.Debug = false
	c.Client = d
	resp, err := c.MakeRequest(method, params)
	if err == nil {
		return resp.Result, nil
	}
	return nil, toAPIError(ctx, method, d.status, err, r)
}

func toAPIError(ctx context.Context, method string, status int, err error, r *redactor) *APIError {
	e := &APIError{Method: method}
	var tg *tgbotapi.Error
	if errors.As(err, &tg) {
		e.Code = tg.Code
		if e.Code == 0 {
			e.Code = status
		}
		e.Description = r.redact(tg.Message)
		if tg.RetryAfter > 0 {
			e.RetryAfter = time.Duration(tg.RetryAfter) * time.Second
		}
		e.MigrateTo = tg.MigrateToChatID
		return e
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		// url.Error.Error() includes the request URL, which holds the token.
		e.Description = r.redact(ue.Op + ": " + ue.Err.Error())
	} else {
		e.Description = r.redact(err.Error())
	}
	if status >= 300 {
		e.Code = status
	}
	switch {
	case ctx.Err() != nil:
		e.cause = ctx.Err()
	case errors.Is(err, context.DeadlineExceeded):
		e.cause = context.DeadlineExceeded
	}
	return e
}

// redactor removes secrets from text.
type redactor struct {
	secrets []string
}

func newRedactor(token string) *redactor {
	r := &redactor{}
	r.add(token)
	return r
}

func (r *redactor) add(secret string) {
	if secret == "" {
		return
	}
	r.secrets = append(r.secrets, secret, url.PathEscape(secret), url.QueryEscape(secret))
	if i := strings.IndexByte(secret, ':'); i >= 0 && len(secret)-i > 8 {
		r.secrets = append(r.secrets, secret[i+1:]) // the secret half alone
	}
}

func (r *redactor) redact(s string) string {
	if r == nil {
		return s
	}
	for _, sec := range r.secrets {
		if sec != "" && strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, "<redacted>")
		}
	}
	return s
}

// libLogger is installed as the library's logger (tgbotapi.SetLogger is global): it redacts
// the tokens of every adapter created in this process before writing to the most recently
// configured slog logger.
type libLogger struct {
	mu sync.Mutex
	r  redactor
}

type logSink interface {
	Warn(msg string, args ...any)
}

var (
	libLog     = &libLogger{}
	libLogOnce sync.Once
	libSinkMu  sync.Mutex
	libSink    logSink
)

func installLibLogger(token string, sink logSink) {
	libLog.mu.Lock()
	libLog.r.add(token)
	libLog.mu.Unlock()
	libSinkMu.Lock()
	libSink = sink
	libSinkMu.Unlock()
	libLogOnce.Do(func() { _ = tgbotapi.SetLogger(libLog) })
}

func (l *libLogger) write(s string) {
	l.mu.Lock()
	s = l.r.redact(s)
	l.mu.Unlock()
	libSinkMu.Lock()
	sink := libSink
	libSinkMu.Unlock()
	if sink != nil {
		sink.Warn("telegram library", "msg", strings.TrimSpace(s))
	}
}

// Println implements tgbotapi.BotLogger.
func (l *libLogger) Println(v ...any) { l.write(fmt.Sprintln(v...)) }

// Printf implements tgbotapi.BotLogger.
func (l *libLogger) Printf(format string, v ...any) { l.write(fmt.Sprintf(format, v...)) }
