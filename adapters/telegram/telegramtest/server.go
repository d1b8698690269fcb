// Package telegramtest provides a fake Telegram Bot API for tests and load tests, in the manner
// of net/http/httptest: a Server listening on 127.0.0.1 that speaks the Bot API wire format
// (form and JSON bodies, {"ok":..,"result":..} answers, getUpdates with real offset semantics
// and long polling, a newer getUpdates ending the one in progress with 409, setWebhook making
// getUpdates refuse), records every call, checks what a bot sends as Telegram would (HTML parse
// mode, 4096 UTF-16 units, inline keyboards, inline query results) and injects faults (error
// statuses, 429 with retry_after, HTML error pages, dropped connections, slow answers), one call
// at a time or for as long as an outage lasts.
//
// The adapter's tests, cmd/transcriptbot's serve tests and the load tester
// (cmd/transcriptbot-loadtest) all use it; the load tester answers the calls that carry replies
// itself, through Handle, to check each reply against the update waiting for it.
//
// The package is test support: the serving binary never imports it.
package telegramtest

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MaxMessageLen is the longest message text Telegram accepts, in UTF-16 code units after entity
// parsing.
const MaxMessageLen = 4096

// Server is a fake Bot API. Its exported fields may be changed before Start (or before the
// first request when made by NewServer); the methods are safe for concurrent use.
type Server struct {
	*httptest.Server

	// Token is the bot token the server accepts; other tokens get 401.
	Token string
	// BotID and Username are the bot's identity as getMe reports it. By default sendMessage
	// answers with message ids 1001, 1002, ... in the order of the messages it accepts.
	BotID    int64
	Username string
	// Forget keeps no log of calls (Calls, Count and SentTexts see none), so that a long load
	// run does not grow the fake's memory; faults and checks still apply.
	Forget bool
	// Observe, when set, is called with every Bot API call before it is answered (load tests
	// count the mix of methods and check parameters with it).
	Observe func(c Call)

	mu         sync.Mutex
	updates    []pending // unconfirmed, ascending ids
	nextUpdate int
	confirmed  int // highest offset received
	pushed     chan struct{}
	preempt    chan struct{} // closed to end the getUpdates in progress
	webhook    map[string]string
	calls      []Call
	faults     map[string][]Fault
	outages    map[string]Fault
	handlers   map[string]Handler
	violations []string
	nextMsgID  int
}

type pending struct {
	id  int
	raw []byte
}

// Call is one Bot API request as the server received it.
type Call struct {
	Method string
	// Params are the parameters, from a form or a JSON body (non-string JSON values verbatim).
	Params map[string]string
	At     time.Time
	// OK is whether the server answered it with success.
	OK bool
}

// Fault is an answer injected in place of the next call of a method. Status with Description
// (and RetryAfter or MigrateTo) is a Bot API error; HTML answers Status with an HTML page as a
// proxy does; Drop closes the connection unanswered; Delay answers normally after a while.
type Fault struct {
	Status      int
	Description string
	RetryAfter  int   // parameters.retry_after, for 429
	MigrateTo   int64 // parameters.migrate_to_chat_id
	HTML        bool
	Drop        bool
	Delay       time.Duration
}

// A Handler answers a call that passed the server's checks, in place of its default answer:
// a result for {"ok":true,"result":...}, or a Fault to answer with (one with only a Delay answers result after it).
type Handler func(c Call) (result any, fail *Fault)

// NewServer starts and returns a fake Bot API accepting token. The caller closes it.
func NewServer(token string) *Server {
	s := NewUnstartedServer(token)
	s.Start()
	return s
}

// NewUnstartedServer returns a fake Bot API that is not yet listening; change its fields (and
// those of its Config) and call Start.
func NewUnstartedServer(token string) *Server {
	s := &Server{Token: token, BotID: 777, Username: "ThisBot", nextUpdate: 1, pushed: make(chan struct{}),
		faults: map[string][]Fault{}, outages: map[string]Fault{}, handlers: map[string]Handler{}, nextMsgID: 1000}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	return s
}

// Endpoint is the API endpoint to give telegram-bot-api (and the adapter's Config.APIEndpoint).
func (s *Server) Endpoint() string { return s.URL + "/bot%s/%s" }

// BotUser is the bot's user object, as in messages it sent.
func (s *Server) BotUser() map[string]any {
	return map[string]any{"id": s.BotID, "is_bot": true, "first_name": "This", "username": s.Username}
}

// Handle makes h answer the calls of method that pass the server's checks.
func (s *Server) Handle(method string, h Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers[method] = h
}

// Push adds updates (each a JSON object without update_id), numbering them, and returns their
// ids. It panics if an update cannot be marshalled.
func (s *Server) Push(objs ...map[string]any) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []int
	for _, o := range objs {
		id := s.nextUpdate
		o["update_id"] = id
		raw, err := json.Marshal(o)
		if err != nil {
			panic(fmt.Sprintf("telegramtest: marshal update: %v", err))
		}
		s.pushLocked(id, raw)
		ids = append(ids, id)
	}
	return ids
}

// PushRaw adds an update given as raw JSON, which carries its own update_id, id. Ids must be
// pushed in ascending order, as Telegram numbers them.
func (s *Server) PushRaw(id int, raw []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pushLocked(id, raw)
}

func (s *Server) pushLocked(id int, raw []byte) {
	s.updates = append(s.updates, pending{id: id, raw: raw})
	s.nextUpdate = max(s.nextUpdate, id+1)
	close(s.pushed)
	s.pushed = make(chan struct{})
}

// Inject queues faults for the next calls of method, one call each.
func (s *Server) Inject(method string, fs ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[method] = append(s.faults[method], fs...)
}

// Outage makes every call of method get f (after the faults queued by Inject), as in a Bot API
// outage, until Outage is called with a zero Fault.
func (s *Server) Outage(method string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f == (Fault{}) {
		delete(s.outages, method)
		return
	}
	s.outages[method] = f
}

// SetWebhook sets a webhook as if setWebhook had been called with params (nil deletes it).
func (s *Server) SetWebhook(params map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhook = maps.Clone(params)
}

// Calls returns the recorded calls of method ("" for all).
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			c.Params = maps.Clone(c.Params)
			out = append(out, c)
		}
	}
	return out
}

// Count returns how many calls of method succeeded.
func (s *Server) Count(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if c.Method == method && c.OK {
			n++
		}
	}
	return n
}

// SentTexts returns the texts of the sendMessage calls that succeeded.
func (s *Server) SentTexts() []string {
	var out []string
	for _, c := range s.Calls("sendMessage") {
		if c.OK {
			out = append(out, c.Params["text"])
		}
	}
	return out
}

// Pending returns how many updates are not yet confirmed.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

// Confirmed returns the highest getUpdates offset received: updates below it are confirmed.
func (s *Server) Confirmed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.confirmed
}

// Violations returns what the bot sent that Telegram would refuse.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.violations...)
}

func (s *Server) violate(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.violations = append(s.violations, fmt.Sprintf(format, args...))
}

func parseParams(r *http.Request) (map[string]string, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	switch ct {
	case "application/json":
		var m map[string]json.RawMessage
		if len(body) > 0 {
			if err := json.Unmarshal(body, &m); err != nil {
				return nil, err
			}
		}
		for k, v := range m {
			var s string
			if json.Unmarshal(v, &s) == nil {
				out[k] = s
			} else {
				out[k] = string(v)
			}
		}
	default:
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, err
		}
		for k := range vals {
			out[k] = vals.Get(k)
		}
	}
	return out, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func apiErr(w http.ResponseWriter, f Fault) {
	desc := f.Description
	if desc == "" {
		desc = http.StatusText(f.Status)
	}
	body := map[string]any{"ok": false, "error_code": f.Status, "description": desc}
	switch {
	case f.RetryAfter > 0:
		body["parameters"] = map[string]any{"retry_after": f.RetryAfter}
	case f.MigrateTo != 0:
		body["parameters"] = map[string]any{"migrate_to_chat_id": f.MigrateTo}
	}
	writeJSON(w, f.Status, body)
}

func fail(w http.ResponseWriter, status int, desc string) {
	apiErr(w, Fault{Status: status, Description: desc})
}

func ok(w http.ResponseWriter, result any) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rest, found := strings.CutPrefix(r.URL.Path, "/bot")
	tok, method, found2 := strings.Cut(rest, "/")
	if !found || !found2 {
		s.violate("%s %s is not a Bot API call", r.Method, r.URL.Path)
		fail(w, http.StatusNotFound, "Not Found")
		return
	}
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		fail(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	params, err := parseParams(r)
	if err != nil {
		s.violate("%s: unreadable parameters: %v", method, err)
		fail(w, http.StatusBadRequest, "Bad Request: can't parse request")
		return
	}
	c := Call{Method: method, Params: params, At: time.Now()}
	if s.Observe != nil {
		s.Observe(c)
	}
	s.mu.Lock()
	idx := -1
	if !s.Forget {
		s.calls = append(s.calls, c)
		idx = len(s.calls) - 1
	}
	var ft *Fault
	if q := s.faults[method]; len(q) > 0 {
		ft = &q[0]
		s.faults[method] = q[1:]
	} else if f, down := s.outages[method]; down {
		ft = &f
	}
	h := s.handlers[method]
	s.mu.Unlock()

	if tok != s.Token {
		fail(w, http.StatusUnauthorized, "Unauthorized")
		return
	}
	if ft != nil && !s.fault(w, r, *ft) {
		return
	}
	if method == "getUpdates" {
		s.getUpdates(w, r, params)
		return
	}
	result, refusal := s.check(method, params)
	if refusal == nil && h != nil {
		result, refusal = h(c)
	}
	if refusal != nil && !s.fault(w, r, *refusal) {
		return
	}
	if idx >= 0 {
		s.mu.Lock()
		s.calls[idx].OK = true
		s.mu.Unlock()
	}
	ok(w, result)
}

// fault answers with f and returns false, or after f's delay returns true for the call to be
// answered normally.
func (s *Server) fault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	switch {
	case f.Drop:
		if hj, isHJ := w.(http.Hijacker); isHJ {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
			}
		}
		return false
	case f.Delay > 0:
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
			return true
		case <-r.Context().Done():
			return false
		}
	case f.HTML:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.Status)
		_, _ = io.WriteString(w, "<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>")
		return false
	case f.Status != 0:
		apiErr(w, f)
		return false
	}
	return true
}

// Polling reports whether a getUpdates call is in progress: a client waiting in its long poll.
func (s *Server) Polling() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.preempt != nil
}

// getUpdates answers with the unconfirmed updates at or after offset, waiting up to timeout
// seconds for one; a newer getUpdates ends the one in progress with 409, as Telegram does.
func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request, params map[string]string) {
	offset, _ := strconv.Atoi(params["offset"])
	limit, _ := strconv.Atoi(params["limit"])
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(params["timeout"])
	s.mu.Lock()
	if s.webhook != nil {
		s.mu.Unlock()
		fail(w, http.StatusConflict, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
		return
	}
	if s.preempt != nil {
		close(s.preempt)
	}
	preempted := make(chan struct{})
	s.preempt = preempted
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		if s.preempt == preempted {
			s.preempt = nil
		}
		s.mu.Unlock()
	}()
	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		if offset > 0 {
			s.confirmed = max(s.confirmed, offset)
			i := 0
			for i < len(s.updates) && s.updates[i].id < offset {
				i++
			}
			s.updates = s.updates[i:]
		}
		out := []json.RawMessage{}
		for _, u := range s.updates {
			if len(out) == limit {
				break
			}
			out = append(out, u.raw)
		}
		pushed := s.pushed
		s.mu.Unlock()
		if len(out) > 0 || timeout == 0 {
			ok(w, out)
			return
		}
		select {
		case <-pushed:
		case <-preempted:
			fail(w, http.StatusConflict, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
			return
		case <-deadline.C:
			ok(w, out)
			return
		case <-r.Context().Done():
			return
		}
	}
}
