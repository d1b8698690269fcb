// Package discordtest provides a fake Discord for tests and load tests, in the manner of
// net/http/httptest: a Server playing Discord's REST API on 127.0.0.1 (interaction callbacks,
// follow-ups and edits through webhooks, channel messages, command registration, the gateway
// URL), which records every call, checks every message a bot sends against Discord's limits
// and the rule that nothing pings, and fails calls on request (429 with Retry-After, 5xx,
// 401...); a Gateway playing the gateway websocket (Hello, Ready, close codes) by a script per
// connection; a Signer that signs interactions with an Ed25519 key made for the test; and the
// checks themselves (CheckMessage, CheckChoices) for interaction responses.
//
// The adapter's tests, cmd/transcriptbot's tests and the load tester
// (cmd/transcriptbot-loadtest) all use it; the load tester answers the follow-ups itself,
// through Handle, to match each to the interaction waiting for it.
//
// The package is test support: the serving binary never imports it.
package discordtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"

	"transcriptbot/bot"
)

// Server is a fake Discord REST API under /api/v10. Its exported fields may be changed before
// Start (or before the first request when made by NewServer); the methods are safe for
// concurrent use.
type Server struct {
	*httptest.Server

	// AppID is the application (and bot user) id the server reports.
	AppID string
	// RetryAfter is the Retry-After sent with a failed 429, in seconds.
	RetryAfter string
	// Forget keeps no log of calls (Calls sees none), so that a long load run does not grow
	// the fake's memory; failures and checks still apply.
	Forget bool
	// Observe, when set, is called with every call before it is answered.
	Observe func(c Call)

	mu         sync.Mutex
	calls      []Call
	fails      map[string][]int // "METHOD path-prefix" -> statuses returned first, in order
	gateway    string
	msgID      int // the id of the last message returned (7777, 7778, ...)
	handler    Handler
	violations []string
}

// Call is one REST request the server received.
type Call struct {
	Method string
	Path   string // escaped, from /api/v10/
	Auth   string // the Authorization header
	Body   []byte
	ID     string // the message id the server answers with, for calls that create one
}

// String is the call as "METHOD path".
func (c Call) String() string { return c.Method + " " + c.Path }

// A Handler answers a call that passed the server's checks in place of its default answer,
// with a status and a JSON body (nil: none); handled=false leaves the call to the default.
type Handler func(c Call) (status int, body any, handled bool)

// NewServer starts and returns a fake Discord REST API. The caller closes it.
func NewServer() *Server {
	s := NewUnstartedServer()
	s.Start()
	return s
}

// NewUnstartedServer returns a fake Discord REST API that is not yet listening; change its
// fields (and those of its Config) and call Start.
func NewUnstartedServer() *Server {
	s := &Server{AppID: "9001", RetryAfter: "0.01", fails: map[string][]int{}, msgID: 7776}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	return s
}

// Base is the API base URL to give the adapter (Config.APIBase, DISCORD_API_BASE).
func (s *Server) Base() string { return s.URL + "/api/v10" }

// SetGateway sets the URL GET /gateway answers with.
func (s *Server) SetGateway(url string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gateway = url
}

// Handle makes h answer the calls that pass the server's checks.
func (s *Server) Handle(h Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handler = h
}

// FailNext makes the next calls matching method and path prefix (after /api/v10, e.g.
// "/api/v10/channels/") answer with statuses, one call each, in order.
func (s *Server) FailNext(method, prefix string, statuses ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fails[method+" "+prefix] = append(s.fails[method+" "+prefix], statuses...)
}

// Calls returns the recorded calls, in order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Violations returns what a bot sent that Discord would refuse.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.violations...)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	if v == nil {
		w.WriteHeader(status)
		return
	}
	b, _ := json.Marshal(v)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	path := r.URL.EscapedPath()
	s.mu.Lock()
	s.msgID++
	c := Call{Method: r.Method, Path: path, Auth: r.Header.Get("Authorization"), Body: body, ID: strconv.Itoa(s.msgID)}
	if !s.Forget {
		s.calls = append(s.calls, c)
	}
	status := 0
	for key, q := range s.fails {
		m, prefix, _ := strings.Cut(key, " ")
		if m == r.Method && strings.HasPrefix(path, prefix) && len(q) > 0 {
			status, s.fails[key] = q[0], q[1:]
			break
		}
	}
	retry, gw, h := s.RetryAfter, s.gateway, s.handler
	s.mu.Unlock()
	if s.Observe != nil {
		s.Observe(c)
	}
	w.Header().Set("Content-Type", "application/json")
	switch {
	case status == http.StatusTooManyRequests:
		w.Header().Set("Retry-After", retry)
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"message":"You are being rate limited.","retry_after":%s,"global":false}`, retry)
		return
	case status != 0:
		w.WriteHeader(status)
		// Echo the path, as some proxies do, so tests can check tokens are redacted from logs.
		fmt.Fprintf(w, `{"message":"failure at %s","code":0}`, path)
		return
	}
	rest, ok := strings.CutPrefix(path, "/api/v10/")
	if !ok {
		s.violate("%s %s is not a Discord API call", r.Method, path)
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "404: Not Found", "code": 0})
		return
	}
	if reason := check(r.Method, rest, body); reason != "" {
		s.violate("%s %s: %s", r.Method, path, reason)
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Invalid Form Body: " + reason, "code": 50035})
		return
	}
	if h != nil {
		if st, out, handled := h(c); handled {
			writeJSON(w, st, out)
			return
		}
	}
	switch {
	case r.Method == http.MethodPost && strings.HasPrefix(rest, "interactions/"):
		w.WriteHeader(http.StatusNoContent)
	case strings.HasPrefix(rest, "webhooks/") && r.Method == http.MethodDelete:
		w.WriteHeader(http.StatusNoContent)
	case strings.HasPrefix(rest, "webhooks/"), r.Method == http.MethodPost && strings.HasPrefix(rest, "channels/"):
		fmt.Fprintf(w, `{"id":"%s","channel_id":"8001","content":""}`, c.ID)
	case r.Method == http.MethodPut && strings.HasPrefix(rest, "applications/"):
		_, _ = w.Write(body)
	case r.Method == http.MethodPatch && rest == "applications/@me":
		var app map[string]any
		_ = json.Unmarshal(body, &app) // check has parsed it
		app["id"], app["name"] = s.AppID, "transcriptbot"
		writeJSON(w, http.StatusOK, app)
	case rest == "oauth2/applications/@me":
		fmt.Fprintf(w, `{"id":%q,"name":"transcriptbot"}`, s.AppID)
	case rest == "users/@me":
		fmt.Fprintf(w, `{"id":%q,"username":"transcriptbot","bot":true}`, s.AppID)
	case rest == "gateway" || rest == "gateway/bot":
		fmt.Fprintf(w, `{"url":%q}`, gw)
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "404: Not Found", "code": 0})
	}
}

func (s *Server) violate(format string, a ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.violations = append(s.violations, fmt.Sprintf(format, a...))
}

// check checks the body of a call that carries a message or commands, as Discord would, and
// returns why Discord would refuse it, or "".
func check(method, rest string, body []byte) string {
	parts := strings.Split(rest, "/")
	switch {
	case method == http.MethodPost && len(parts) == 4 && parts[0] == "interactions" && parts[3] == "callback":
		var r Response
		if err := json.Unmarshal(body, &r); err != nil {
			return "interaction response is not JSON: " + err.Error()
		}
		switch r.Type {
		case 4, 7:
			if r.Data == nil {
				return fmt.Sprintf("response type %d without data", r.Type)
			}
			_, reason := r.Data.Message.Check()
			return reason
		case 8:
			if r.Data == nil {
				return "autocomplete response without data"
			}
			return CheckChoices(r.Data.Choices)
		}
	case method == http.MethodPost && len(parts) == 3 && parts[0] == "webhooks",
		method == http.MethodPost && len(parts) == 3 && parts[0] == "channels" && parts[2] == "messages":
		_, reason := CheckMessage(body)
		return reason
	case method == http.MethodPatch && rest == "applications/@me":
		var app map[string]any
		if err := json.Unmarshal(body, &app); err != nil {
			return "application edit is not a JSON object: " + err.Error()
		}
		if d, ok := app["description"].(string); ok && len([]rune(d)) > 400 {
			return fmt.Sprintf("description of %d characters (at most 400)", len([]rune(d)))
		}
	case method == http.MethodPut && parts[0] == "applications" && parts[len(parts)-1] == "commands":
		var cmds []struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal(body, &cmds); err != nil {
			return "commands are not a JSON list: " + err.Error()
		}
		for _, c := range cmds {
			if c.Name == "" || bot.UTF16Len(c.Name) > 32 {
				return fmt.Sprintf("command name %q", c.Name)
			}
		}
	}
	return ""
}
