package telegram

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
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// fakeAPI is an httptest server speaking the Bot API over loopback: form and JSON bodies,
// getUpdates with real offset semantics, request recording, validation of what is sent (HTML
// parse mode, lengths, callback_data) and fault injection.
type fakeAPI struct {
	t     testing.TB
	srv   *httptest.Server
	token string
	botID int64
	user  string

	mu         sync.Mutex
	updates    []fakeUpdate // unconfirmed, ascending ids
	nextUpdate int
	confirmed  int // highest offset received
	pushed     chan struct{}
	preempt    chan struct{} // closed to end the getUpdates in progress
	webhook    map[string]string
	requests   []fakeRequest
	faults     map[string][]fault
	violations []string
	nextMsgID  int
}

type fakeUpdate struct {
	id  int
	raw json.RawMessage
}

type fakeRequest struct {
	Method string
	Params map[string]string
	At     time.Time
}

// fault is injected into the next request of a method.
type fault struct {
	status     int           // HTTP status with a Bot API error body (429, 403, 409...)
	retryAfter int           // parameters.retry_after for 429
	html       bool          // answer status with an HTML page instead of JSON
	drop       bool          // close the connection without answering
	delay      time.Duration // answer normally after this delay
	desc       string
	migrateTo  int64 // parameters.migrate_to_chat_id
}

func newFakeAPI(t testing.TB, token string) *fakeAPI {
	f := &fakeAPI{t: t, token: token, botID: 777, user: "ThisBot", nextUpdate: 1, pushed: make(chan struct{}),
		faults: map[string][]fault{}, nextMsgID: 1000}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) endpoint() string { return f.srv.URL + "/bot%s/%s" }

// push adds updates (each a JSON object without update_id) and returns their ids.
func (f *fakeAPI) push(objs ...map[string]any) []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []int
	for _, o := range objs {
		id := f.nextUpdate
		f.nextUpdate++
		o["update_id"] = id
		raw, err := json.Marshal(o)
		if err != nil {
			f.t.Fatalf("marshal update: %v", err)
		}
		f.updates = append(f.updates, fakeUpdate{id: id, raw: raw})
		ids = append(ids, id)
	}
	close(f.pushed)
	f.pushed = make(chan struct{})
	return ids
}

// pushRaw adds an update given as raw JSON (which must carry its own update_id).
func (f *fakeAPI) pushRaw(id int, raw string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.updates = append(f.updates, fakeUpdate{id: id, raw: json.RawMessage(raw)})
	f.nextUpdate = max(f.nextUpdate, id+1)
	close(f.pushed)
	f.pushed = make(chan struct{})
}

func (f *fakeAPI) inject(method string, fs ...fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults[method] = append(f.faults[method], fs...)
}

// calls returns the recorded requests of a method ("" for all).
func (f *fakeAPI) calls(method string) []fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeRequest
	for _, r := range f.requests {
		if method == "" || r.Method == method {
			r.Params = maps.Clone(r.Params)
			out = append(out, r)
		}
	}
	return out
}

// count returns how many requests of a method succeeded.
func (f *fakeAPI) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.requests {
		if r.Method == method && r.Params["_ok"] == "true" {
			n++
		}
	}
	return n
}

// sent returns the sendMessage requests that succeeded (recorded with ok).
func (f *fakeAPI) sentTexts() []string {
	var out []string
	for _, r := range f.calls("sendMessage") {
		if r.Params["_ok"] == "true" {
			out = append(out, r.Params["text"])
		}
	}
	return out
}

func (f *fakeAPI) pendingUpdates() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.updates)
}

func (f *fakeAPI) problems() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.violations...)
}

func (f *fakeAPI) violate(format string, args ...any) {
	f.violations = append(f.violations, fmt.Sprintf(format, args...))
}

// waitFor polls cond until it holds or the test deadline of a few seconds passes.
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

func parseParams(r *http.Request) (map[string]string, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	body, err := io.ReadAll(r.Body)
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
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func apiErr(w http.ResponseWriter, status int, desc string, retryAfter int) {
	body := map[string]any{"ok": false, "error_code": status, "description": desc}
	if retryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": retryAfter}
	}
	writeJSON(w, status, body)
}

func ok(w http.ResponseWriter, result any) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	rest, found := strings.CutPrefix(r.URL.Path, "/bot")
	tok, method, found2 := strings.Cut(rest, "/")
	if !found || !found2 {
		apiErr(w, http.StatusNotFound, "Not Found", 0)
		return
	}
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		apiErr(w, http.StatusMethodNotAllowed, "Method Not Allowed", 0)
		return
	}
	params, err := parseParams(r)
	if err != nil {
		apiErr(w, http.StatusBadRequest, "Bad Request: can't parse request", 0)
		return
	}
	f.mu.Lock()
	rec := fakeRequest{Method: method, Params: params, At: time.Now()}
	f.requests = append(f.requests, rec)
	idx := len(f.requests) - 1
	var ft *fault
	if q := f.faults[method]; len(q) > 0 {
		ft = &q[0]
		f.faults[method] = q[1:]
	}
	f.mu.Unlock()

	if tok != f.token {
		apiErr(w, http.StatusUnauthorized, "Unauthorized", 0)
		return
	}
	if ft != nil {
		switch {
		case ft.drop:
			hj, _ := w.(http.Hijacker)
			conn, _, err := hj.Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		case ft.delay > 0:
			select {
			case <-time.After(ft.delay):
			case <-r.Context().Done():
				return
			}
		case ft.html:
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(ft.status)
			_, _ = io.WriteString(w, "<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>")
			return
		case ft.status != 0:
			desc := ft.desc
			if desc == "" {
				desc = http.StatusText(ft.status)
			}
			if ft.migrateTo != 0 {
				writeJSON(w, ft.status, map[string]any{"ok": false, "error_code": ft.status, "description": desc,
					"parameters": map[string]any{"migrate_to_chat_id": ft.migrateTo}})
				return
			}
			apiErr(w, ft.status, desc, ft.retryAfter)
			return
		}
	}
	markOK := func() {
		f.mu.Lock()
		f.requests[idx].Params["_ok"] = "true"
		f.mu.Unlock()
	}
	switch method {
	case "getMe":
		ok(w, map[string]any{"id": f.botID, "is_bot": true, "first_name": "This", "username": f.user,
			"can_join_groups": true, "supports_inline_queries": true})
	case "getUpdates":
		f.getUpdates(w, r, params)
	case "deleteWebhook":
		f.mu.Lock()
		f.webhook = nil
		f.mu.Unlock()
		ok(w, true)
	case "setWebhook":
		u := params["url"]
		if u == "" {
			apiErr(w, http.StatusBadRequest, "Bad Request: bad webhook: URL is empty", 0)
			return
		}
		f.mu.Lock()
		f.webhook = params
		f.mu.Unlock()
		ok(w, true)
	case "setMyCommands":
		var cmds []struct{ Command, Description string }
		if err := json.Unmarshal([]byte(params["commands"]), &cmds); err != nil || len(cmds) == 0 {
			apiErr(w, http.StatusBadRequest, "Bad Request: commands not found", 0)
			return
		}
		for _, c := range cmds {
			if !validCommandName(c.Command) || len(c.Description) < 1 || len(c.Description) > 256 {
				f.mu.Lock()
				f.violate("bad command %q %q", c.Command, c.Description)
				f.mu.Unlock()
				apiErr(w, http.StatusBadRequest, "Bad Request: BOT_COMMAND_INVALID", 0)
				return
			}
		}
		ok(w, true)
	case "sendMessage":
		if msg := f.checkSend(params); msg != "" {
			f.mu.Lock()
			f.violate("sendMessage %q: %s", params["text"], msg)
			f.mu.Unlock()
			apiErr(w, http.StatusBadRequest, "Bad Request: "+msg, 0)
			return
		}
		f.mu.Lock()
		f.nextMsgID++
		id := f.nextMsgID
		f.mu.Unlock()
		markOK()
		chatID, _ := strconv.ParseInt(params["chat_id"], 10, 64)
		ok(w, map[string]any{"message_id": id, "date": time.Now().Unix(), "text": params["text"],
			"chat": map[string]any{"id": chatID, "type": "private"},
			"from": map[string]any{"id": f.botID, "is_bot": true, "first_name": "This", "username": f.user}})
	case "editMessageText":
		if params["inline_message_id"] == "" && (params["chat_id"] == "" || params["message_id"] == "") {
			apiErr(w, http.StatusBadRequest, "Bad Request: message identifier is not specified", 0)
			return
		}
		p := maps.Clone(params)
		p["chat_id"] = "edit" // checkSend wants one; edits have a message id instead
		if msg := f.checkSend(p); msg != "" {
			f.mu.Lock()
			f.violate("editMessageText %q: %s", params["text"], msg)
			f.mu.Unlock()
			apiErr(w, http.StatusBadRequest, "Bad Request: "+msg, 0)
			return
		}
		markOK()
		ok(w, true)
	case "answerCallbackQuery":
		if params["callback_query_id"] == "" || utf16Len(params["text"]) > 200 {
			f.mu.Lock()
			f.violate("answerCallbackQuery %v", params)
			f.mu.Unlock()
			apiErr(w, http.StatusBadRequest, "Bad Request: bad callback answer", 0)
			return
		}
		markOK()
		ok(w, true)
	case "answerInlineQuery":
		if msg := f.checkInline(params); msg != "" {
			f.mu.Lock()
			f.violate("answerInlineQuery: %s", msg)
			f.mu.Unlock()
			apiErr(w, http.StatusBadRequest, "Bad Request: "+msg, 0)
			return
		}
		markOK()
		ok(w, true)
	default:
		apiErr(w, http.StatusNotFound, "Not Found: method not found", 0)
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

func (f *fakeAPI) getUpdates(w http.ResponseWriter, r *http.Request, params map[string]string) {
	offset, _ := strconv.Atoi(params["offset"])
	limit, _ := strconv.Atoi(params["limit"])
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(params["timeout"])
	f.mu.Lock()
	if f.webhook != nil {
		f.mu.Unlock()
		apiErr(w, http.StatusConflict, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", 0)
		return
	}
	// As Telegram does, a new getUpdates terminates the one in progress with 409.
	if f.preempt != nil {
		close(f.preempt)
	}
	preempted := make(chan struct{})
	f.preempt = preempted
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		if f.preempt == preempted {
			f.preempt = nil
		}
		f.mu.Unlock()
	}()
	deadline := time.After(time.Duration(timeout) * time.Second)
	for {
		f.mu.Lock()
		if offset > 0 {
			f.confirmed = max(f.confirmed, offset)
			kept := f.updates[:0]
			for _, u := range f.updates {
				if u.id >= offset {
					kept = append(kept, u)
				}
			}
			f.updates = kept
		}
		out := []json.RawMessage{}
		for _, u := range f.updates {
			if len(out) == limit {
				break
			}
			out = append(out, u.raw)
		}
		pushed := f.pushed
		f.mu.Unlock()
		if len(out) > 0 || timeout == 0 {
			ok(w, out)
			return
		}
		select {
		case <-pushed:
		case <-preempted:
			apiErr(w, http.StatusConflict, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running", 0)
			return
		case <-deadline:
			ok(w, out)
			return
		case <-r.Context().Done():
			return
		}
	}
}

func (f *fakeAPI) checkSend(p map[string]string) string {
	if p["chat_id"] == "" {
		return "chat_id is empty"
	}
	if p["parse_mode"] != "HTML" {
		return "parse_mode is not HTML"
	}
	if _, err := checkHTML(p["text"]); err != nil {
		return "can't parse entities: " + err.Error()
	}
	if m := p["reply_markup"]; m != "" {
		var kb struct {
			InlineKeyboard [][]struct {
				Text         string  `json:"text"`
				CallbackData *string `json:"callback_data"`
			} `json:"inline_keyboard"`
		}
		if err := json.Unmarshal([]byte(m), &kb); err != nil {
			return "can't parse reply keyboard markup JSON object"
		}
		for _, row := range kb.InlineKeyboard {
			for _, b := range row {
				if b.Text == "" || b.CallbackData == nil || len(*b.CallbackData) < 1 || len(*b.CallbackData) > 64 {
					return "BUTTON_DATA_INVALID"
				}
			}
		}
	}
	return ""
}

func (f *fakeAPI) checkInline(p map[string]string) string {
	if p["inline_query_id"] == "" {
		return "inline_query_id is empty"
	}
	var results []struct {
		Type    string `json:"type"`
		ID      string `json:"id"`
		Title   string `json:"title"`
		Content struct {
			Text      string `json:"message_text"`
			ParseMode string `json:"parse_mode"`
		} `json:"input_message_content"`
	}
	if err := json.Unmarshal([]byte(p["results"]), &results); err != nil {
		return "can't parse results: " + err.Error()
	}
	if len(results) > 50 {
		return "RESULTS_TOO_MUCH"
	}
	seen := map[string]bool{}
	for _, r := range results {
		if r.Type != "article" || r.ID == "" || len(r.ID) > 64 || seen[r.ID] || r.Title == "" {
			return "RESULT_ID_INVALID or bad article"
		}
		seen[r.ID] = true
		if r.Content.ParseMode != "HTML" {
			return "parse_mode is not HTML"
		}
		if _, err := checkHTML(r.Content.Text); err != nil {
			return "can't parse entities: " + err.Error()
		}
	}
	return ""
}

// checkHTML parses text as Telegram's HTML parse mode does: only allowed tags, properly
// nested; '<', '>' and '&' only as markup or entities. It returns the visible length in UTF-16
// code units, which must be 1..4096.
func checkHTML(s string) (int, error) {
	allowed := map[string]bool{"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
		"s": true, "strike": true, "del": true, "a": true, "code": true, "pre": true, "blockquote": true, "tg-spoiler": true}
	var stack []string
	var visible []rune
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return 0, fmt.Errorf("unclosed start tag at byte %d", i)
			}
			tag := s[i+1 : i+j]
			closing := strings.HasPrefix(tag, "/")
			tag = strings.TrimPrefix(tag, "/")
			name, _, _ := strings.Cut(tag, " ")
			if !allowed[name] {
				return 0, fmt.Errorf("unsupported start tag %q at byte %d", name, i)
			}
			if closing {
				if len(stack) == 0 || stack[len(stack)-1] != name {
					return 0, fmt.Errorf("unmatched end tag %q at byte %d", name, i)
				}
				stack = stack[:len(stack)-1]
			} else {
				stack = append(stack, name)
			}
			i += j + 1
		case '>':
			return 0, fmt.Errorf("unescaped '>' at byte %d", i)
		case '&':
			j := strings.IndexByte(s[i:], ';')
			if j < 0 {
				return 0, fmt.Errorf("unescaped '&' at byte %d", i)
			}
			switch ent := s[i+1 : i+j]; ent {
			case "lt":
				visible = append(visible, '<')
			case "gt":
				visible = append(visible, '>')
			case "amp":
				visible = append(visible, '&')
			case "quot":
				visible = append(visible, '"')
			default:
				return 0, fmt.Errorf("unsupported entity &%s; at byte %d", ent, i)
			}
			i += j + 1
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return 0, fmt.Errorf("invalid UTF-8 at byte %d", i)
			}
			visible = append(visible, r)
			i += size
		}
	}
	if len(stack) > 0 {
		return 0, fmt.Errorf("unclosed tags %v", stack)
	}
	n := len(utf16.Encode(visible))
	if strings.TrimSpace(string(visible)) == "" {
		return 0, errors.New("message text is empty")
	}
	if n > MaxMessageLen {
		return n, fmt.Errorf("message is too long: %d UTF-16 units", n)
	}
	return n, nil
}
