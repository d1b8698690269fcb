// Package telegramtest provides a fake Telegram Bot API for tests and load tests, in the manner
// of net/http/httptest: a Server listening on 127.0.0.1 that speaks the Bot API wire format
// (form and JSON bodies, {"ok":..,"result":..} answers, getUpdates with real offset semantics
// and long polling, a newer getUpdates ending the one in progress with 409, setWebhook making
// getUpdates refuse), records every call, checks what a bot sends as Telegram would (HTML parse
// mode, 4096 UTF-16 units, inline keyboards, inline query results) and injects faults (error
// statuses, 429 with retry_after, HTML error pages, dropped connections, slow answers).
//
// The adapter's tests, cmd/transcriptbot's serve tests and the load tester
// (cmd/transcriptbot-loadtest) all use it; the load tester answers the calls that carry replies
// itself, through Handle, to check each reply against the update waiting for it.
//
// The package is test support: the serving binary never imports it.
package telegramtest

import (
	"encoding/json"
	"errors"
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
	"unicode/utf8"

	"transcriptbot/bot"
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
		faults: map[string][]Fault{}, handlers: map[string]Handler{}, nextMsgID: 1000}
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

// check checks a call as Telegram would and returns its default result, or the error Telegram
// would answer with (recording a violation when the bot sent something Telegram refuses).
func (s *Server) check(method string, params map[string]string) (any, *Fault) {
	refuse := func(format string, a ...any) *Fault {
		msg := fmt.Sprintf(format, a...)
		s.violate("%s: %s", method, msg)
		return &Fault{Status: http.StatusBadRequest, Description: "Bad Request: " + msg}
	}
	switch method {
	case "getMe":
		u := s.BotUser()
		u["can_join_groups"], u["supports_inline_queries"] = true, true
		return u, nil
	case "deleteWebhook":
		s.SetWebhook(nil)
		return true, nil
	case "setWebhook":
		if params["url"] == "" {
			return nil, &Fault{Status: http.StatusBadRequest, Description: "Bad Request: bad webhook: URL is empty"}
		}
		s.SetWebhook(params)
		return true, nil
	case "setMyCommands":
		var cmds []struct{ Command, Description string }
		if err := json.Unmarshal([]byte(params["commands"]), &cmds); err != nil || len(cmds) == 0 {
			return nil, refuse("commands not found in %q", params["commands"])
		}
		for _, c := range cmds {
			if !validCommandName(c.Command) || len(c.Description) < 1 || len(c.Description) > 256 {
				return nil, refuse("BOT_COMMAND_INVALID: %q %q", c.Command, c.Description)
			}
		}
		return true, nil
	case "sendMessage":
		if params["chat_id"] == "" {
			return nil, refuse("chat_id is empty")
		}
		if _, _, reason := CheckMessage(params); reason != "" {
			return nil, refuse("%s: %.200q", reason, params["text"])
		}
		s.mu.Lock()
		s.nextMsgID++
		id := s.nextMsgID
		s.mu.Unlock()
		chatID, _ := strconv.ParseInt(params["chat_id"], 10, 64)
		return map[string]any{"message_id": id, "date": time.Now().Unix(), "text": params["text"],
			"chat": map[string]any{"id": chatID, "type": "private"}, "from": s.BotUser()}, nil
	case "editMessageText":
		if params["inline_message_id"] == "" && (params["chat_id"] == "" || params["message_id"] == "") {
			return nil, &Fault{Status: http.StatusBadRequest, Description: "Bad Request: message identifier is not specified"}
		}
		if _, _, reason := CheckMessage(params); reason != "" {
			return nil, refuse("%s: %.200q", reason, params["text"])
		}
		return true, nil
	case "answerCallbackQuery":
		if params["callback_query_id"] == "" {
			return nil, refuse("callback_query_id is empty")
		}
		if n := bot.UTF16Len(params["text"]); n > 200 {
			return nil, refuse("MESSAGE_TOO_LONG: callback answer of %d characters", n)
		}
		return true, nil
	case "answerInlineQuery":
		if params["inline_query_id"] == "" {
			return nil, refuse("inline_query_id is empty")
		}
		if reason := CheckInline(params["results"]); reason != "" {
			return nil, refuse("%s", reason)
		}
		return true, nil
	default:
		return nil, refuse("method %s not found", method)
	}
}

func validCommandName(s string) bool {
	if len(s) < 1 || len(s) > 32 {
		return false
	}
	for _, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
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

// CheckMessage checks the text (HTML parse mode) and reply_markup of a sendMessage or
// editMessageText call as Telegram would; it returns the visible text and the buttons'
// callback_data, or why Telegram would refuse it.
func CheckMessage(params map[string]string) (visible string, buttons []string, reason string) {
	if params["parse_mode"] != "HTML" {
		return "", nil, "parse_mode is not HTML"
	}
	visible, err := CheckHTML(params["text"])
	if err != nil {
		return "", nil, "can't parse entities: " + err.Error()
	}
	if m := params["reply_markup"]; m != "" {
		buttons, reason = CheckKeyboard(m)
	}
	return visible, buttons, reason
}

// CheckKeyboard checks an inline keyboard (reply_markup JSON) and returns its buttons'
// callback_data, or why Telegram would refuse it.
func CheckKeyboard(markup string) (callbackData []string, reason string) {
	var kb struct {
		InlineKeyboard [][]struct {
			Text         string  `json:"text"`
			CallbackData *string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(markup), &kb); err != nil {
		return nil, "can't parse reply keyboard markup JSON object"
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if strings.TrimSpace(b.Text) == "" || b.CallbackData == nil || len(*b.CallbackData) < 1 || len(*b.CallbackData) > 64 {
				return nil, "BUTTON_DATA_INVALID"
			}
			callbackData = append(callbackData, *b.CallbackData)
		}
	}
	return callbackData, ""
}

// CheckInline checks answerInlineQuery's results (JSON) as Telegram would and returns why it
// would refuse them, or "".
func CheckInline(results string) string {
	var rs []struct {
		Type        string          `json:"type"`
		ID          string          `json:"id"`
		Title       string          `json:"title"`
		ReplyMarkup json.RawMessage `json:"reply_markup"`
		Content     struct {
			Text      string `json:"message_text"`
			ParseMode string `json:"parse_mode"`
		} `json:"input_message_content"`
	}
	if err := json.Unmarshal([]byte(results), &rs); err != nil {
		return "can't parse results: " + err.Error()
	}
	if len(rs) > 50 {
		return "RESULTS_TOO_MUCH"
	}
	seen := map[string]bool{}
	for _, r := range rs {
		if r.Type != "article" || r.ID == "" || len(r.ID) > 64 || seen[r.ID] || strings.TrimSpace(r.Title) == "" {
			return "RESULT_ID_INVALID or bad article " + strconv.Quote(r.ID)
		}
		seen[r.ID] = true
		if r.Content.ParseMode != "HTML" {
			return "parse_mode is not HTML"
		}
		if _, err := CheckHTML(r.Content.Text); err != nil {
			return "can't parse entities: " + err.Error()
		}
		if len(r.ReplyMarkup) > 0 && string(r.ReplyMarkup) != "null" {
			if _, reason := CheckKeyboard(string(r.ReplyMarkup)); reason != "" {
				return reason
			}
		}
	}
	return ""
}

var tags = map[string]bool{"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "a": true, "code": true, "pre": true, "blockquote": true, "tg-spoiler": true}

// CheckHTML parses text as Telegram's HTML parse mode does: only supported tags, properly
// nested; '<', '>' and '&' only as markup or entities. It returns the visible text, which must
// not be blank and must be at most MaxMessageLen UTF-16 code units (when it is longer, the
// visible text comes with the error).
func CheckHTML(s string) (string, error) {
	var stack []string
	var vis strings.Builder
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return "", fmt.Errorf("unclosed start tag at byte %d", i)
			}
			tag := s[i+1 : i+j]
			closing := strings.HasPrefix(tag, "/")
			tag = strings.TrimPrefix(tag, "/")
			name, _, _ := strings.Cut(tag, " ")
			if !tags[name] {
				return "", fmt.Errorf("unsupported start tag %q at byte %d", name, i)
			}
			if closing {
				if len(stack) == 0 || stack[len(stack)-1] != name {
					return "", fmt.Errorf("unmatched end tag %q at byte %d", name, i)
				}
				stack = stack[:len(stack)-1]
			} else {
				stack = append(stack, name)
			}
			i += j + 1
		case '>':
			return "", fmt.Errorf("unescaped '>' at byte %d", i)
		case '&':
			j := strings.IndexByte(s[i:], ';')
			if j < 0 {
				return "", fmt.Errorf("unescaped '&' at byte %d", i)
			}
			switch ent := s[i+1 : i+j]; ent {
			case "lt":
				vis.WriteByte('<')
			case "gt":
				vis.WriteByte('>')
			case "amp":
				vis.WriteByte('&')
			case "quot":
				vis.WriteByte('"')
			default:
				return "", fmt.Errorf("unsupported entity &%s; at byte %d", ent, i)
			}
			i += j + 1
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return "", fmt.Errorf("invalid UTF-8 at byte %d", i)
			}
			vis.WriteRune(r)
			i += size
		}
	}
	if len(stack) > 0 {
		return "", fmt.Errorf("unclosed tags %v", stack)
	}
	v := vis.String()
	if strings.TrimSpace(v) == "" {
		return "", errors.New("message text is empty")
	}
	if n := bot.UTF16Len(v); n > MaxMessageLen {
		return v, fmt.Errorf("message is too long: %d UTF-16 code units after entity parsing", n)
	}
	return v, nil
}
