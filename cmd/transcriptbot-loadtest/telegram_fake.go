package main

import (
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"transcriptbot/adapters/telegram/telegramtest"
)

// The load tester's side of the fake Bot API: what each chat waits for, and the checks of
// every reply against it. The wire format and Telegram's own checks are telegramtest's.

// ltTGUpdateTimeout bounds the wait for one update's answer (at most a quarter of --timeout);
// past it the update is lost.
const ltTGUpdateTimeout = 30 * time.Second

// ltTG is the load test's view of the fake Bot API (adapters/telegram/telegramtest): the
// server speaks the wire format and checks every message as Telegram would; ltTG answers the
// calls that carry replies and keeps, per chat, the update waiting for its answer, to check
// each reply against it.
type ltTG struct {
	srv  *telegramtest.Server
	prob *ltProblems
	lat  *ltLatencies

	requests atomic.Int64
	conns    atomic.Int64
	mix      ltMix

	mu        sync.Mutex
	chats     map[int64]*ltChat
	callbacks map[string]*ltExpect
	inlines   map[string]*ltExpect
	lastDone  time.Time
	allowWarn bool
	repeat    bool                  // group etiquette is on: a pointer to an earlier answer answers too
	sends     map[int64][]time.Time // chat messages by chat, recorded with --telegram-rates real
	allSends  []time.Time           // every outgoing request that counts against the global rate
	record    bool
}

// ltChat is one chat as the fake sees it.
type ltChat struct {
	id      int64
	group   bool
	obj     map[string]any // the chat object of updates
	users   []int64
	nextMsg int               // message ids are per chat, shared by users and the bot
	msgs    map[int]*ltBotMsg // the bot's latest messages (last and lastKB)
	botIDs  map[int]bool      // every message the bot sent, for pointers to earlier answers
	last    *ltBotMsg         // the bot's latest message
	lastKB  *ltBotMsg         // the bot's latest message with buttons
	cur     *ltExpect         // the update waiting for its answer
}

func newLtChat() *ltChat {
	return &ltChat{msgs: map[int]*ltBotMsg{}, botIDs: map[int]bool{}, nextMsg: 1}
}

// ltBotMsg is a message the bot sent, as Telegram keeps it.
type ltBotMsg struct {
	id      int
	text    string   // visible text, markup removed
	html    string   // as sent
	markup  string   // reply_markup as sent
	buttons []string // callback_data of its buttons
}

// ltExpect is what one update must get.
type ltExpect struct {
	updateID int
	chat     *ltChat
	at       time.Time
	ignored  bool   // group chatter: no reply at all
	wantChat bool   // a message in the chat (sendMessage, or for a button editMessageText)
	gotChat  int    //
	replyTo  int    // in groups, the message the answer must reply to
	editOf   int    // a button press: the message the button was on (it may be edited)
	ackID    string // a button press: its callback_query_id
	gotAck   int
	inlineID string // an inline query: its id
	gotIn    int
	desc     string // what the update is, for problem reports
	done     chan struct{}
	closed   bool
}

func (e *ltExpect) satisfied() bool {
	return (!e.wantChat || e.gotChat > 0) && (e.ackID == "" || e.gotAck > 0) && (e.inlineID == "" || e.gotIn > 0)
}

// completeLocked closes e when it has everything it waits for; f.mu is held.
func (f *ltTG) completeLocked(e *ltExpect, now time.Time) {
	if e.closed || !e.satisfied() {
		return
	}
	e.closed = true
	close(e.done)
	if !e.ignored {
		f.lat.add(now.Sub(e.at))
	}
	if now.After(f.lastDone) {
		f.lastDone = now
	}
}

func newLtTG(prob *ltProblems, lat *ltLatencies) (*ltTG, error) {
	var b [12]byte
	_, _ = crand.Read(b[:])
	srv := telegramtest.NewUnstartedServer("424242:loadtest-" + hex.EncodeToString(b[:]))
	srv.BotID, srv.Username = 424242, "TranscriptLoadBot"
	srv.Forget = true // the fake's memory must not grow with the run and blur the measurement
	f := &ltTG{srv: srv, prob: prob, lat: lat, chats: map[int64]*ltChat{},
		callbacks: map[string]*ltExpect{}, inlines: map[string]*ltExpect{}}
	srv.Config.ReadHeaderTimeout = 10 * time.Second
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			f.conns.Add(1)
		}
	}
	srv.Observe = f.observe
	srv.Handle("sendMessage", f.sendMessage)
	srv.Handle("editMessageText", f.editMessage)
	srv.Handle("answerCallbackQuery", f.answerCallback)
	srv.Handle("answerInlineQuery", f.answerInline)
	srv.Start()
	return f, nil
}

func (f *ltTG) close() { f.srv.Close() }

// collect reports what the server refused as Telegram would as violations.
func (f *ltTG) collect() {
	for _, v := range f.srv.Violations() {
		f.prob.violationf("telegram %s", v)
	}
}

func (f *ltTG) endpoint() string { return f.srv.Endpoint() }

func (f *ltTG) botUser() map[string]any { return f.srv.BotUser() }

// refuse is a Bot API error answer.
func refuse(desc string) *telegramtest.Fault {
	return &telegramtest.Fault{Status: http.StatusBadRequest, Description: desc}
}

// observe counts every call and checks the webhook and allowed_updates parameters.
func (f *ltTG) observe(c telegramtest.Call) {
	f.requests.Add(1)
	f.mix.add(c.Method)
	switch c.Method {
	case "setWebhook":
		if c.Params["secret_token"] == "" {
			f.prob.violationf("telegram setWebhook without secret_token")
		}
		f.checkAllowed(c.Params["allowed_updates"])
	case "getUpdates":
		f.checkAllowed(c.Params["allowed_updates"])
	}
}

// checkAllowed reports an allowed_updates list that would keep updates of the load away.
func (f *ltTG) checkAllowed(list string) {
	if list == "" {
		return
	}
	var types []string
	if err := json.Unmarshal([]byte(list), &types); err != nil {
		f.prob.violationf("telegram: allowed_updates %q is not a JSON list", list)
		return
	}
	for _, want := range []string{"message", "callback_query", "inline_query"} {
		found := false
		for _, t := range types {
			found = found || t == want
		}
		if !found {
			f.mu.Lock()
			warned := f.allowWarn
			f.allowWarn = true
			f.mu.Unlock()
			if !warned {
				f.prob.violationf("telegram: allowed_updates %s lacks %s", list, want)
			}
		}
	}
}

// sendMessage answers a message the server found valid: it must answer the update waiting in
// its chat.
func (f *ltTG) sendMessage(call telegramtest.Call) (any, *telegramtest.Fault) {
	params := call.Params
	chatID, _ := strconv.ParseInt(params["chat_id"], 10, 64)
	visible, buttons, _ := telegramtest.CheckMessage(params)
	now := time.Now()
	f.mu.Lock()
	c := f.chats[chatID]
	if c == nil {
		f.mu.Unlock()
		f.prob.violationf("telegram sendMessage to unknown chat %q", params["chat_id"])
		return nil, refuse("Bad Request: chat not found")
	}
	replyTo, _ := strconv.Atoi(params["reply_to_message_id"])
	c.nextMsg++
	m := &ltBotMsg{id: c.nextMsg, text: visible, html: params["text"], markup: params["reply_markup"], buttons: buttons}
	c.msgs[m.id] = m
	c.botIDs[m.id] = true
	c.last = m
	if len(buttons) > 0 {
		c.lastKB = m
	}
	// Buttons are pressed, and messages edited, only on the latest messages: forget older
	// ones, so that the fake's memory does not grow with the run and blur the measurement.
	for id := range c.msgs {
		if id != c.last.id && (c.lastKB == nil || id != c.lastKB.id) {
			delete(c.msgs, id)
		}
	}
	f.recordLocked(chatID, now)
	e := c.cur
	// With group etiquette, a reply to one of the bot's earlier answers points to it.
	pointer := f.repeat && c.group && replyTo != 0 && replyTo != m.id && c.botIDs[replyTo] &&
		e != nil && replyTo != e.replyTo && replyTo != e.editOf
	if pointer {
		f.mix.add("pointer to an earlier answer")
	}
	switch {
	case e == nil || !e.wantChat || e.gotChat > 0:
		f.mu.Unlock()
		f.prob.duplicatef("telegram: a message in chat %d (replying to %d) while no update there waits for one", chatID, replyTo)
	case pointer:
		e.gotChat++
		f.completeLocked(e, now)
		f.mu.Unlock()
	case c.group && e.editOf == 0 && replyTo != e.replyTo:
		f.mu.Unlock()
		f.prob.duplicatef("telegram: a message in group %d replies to message %d, but update %d (message %d) is the one waiting", chatID, replyTo, e.updateID, e.replyTo)
	case c.group && e.editOf != 0 && replyTo != e.editOf:
		f.mu.Unlock()
		f.prob.duplicatef("telegram: a message in group %d replies to message %d, but update %d pressed a button on message %d", chatID, replyTo, e.updateID, e.editOf)
	default:
		e.gotChat++
		f.completeLocked(e, now)
		f.mu.Unlock()
	}
	return map[string]any{"message_id": m.id, "date": now.Unix(), "text": visible, "chat": c.obj, "from": f.botUser()}, nil
}

// recordLocked notes an outgoing request for the rate checks (chat 0: not a chat message);
// f.mu is held.
func (f *ltTG) recordLocked(chat int64, at time.Time) {
	if !f.record {
		return
	}
	if chat != 0 {
		f.sends[chat] = append(f.sends[chat], at)
	}
	f.allSends = append(f.allSends, at)
}

// ltSlack is the tolerance of the rate checks, in messages, for timing jitter between the
// adapter's limiter and the fake's clock.
const ltSlack = 1

// checkRates reports where the adapter sent faster than Telegram's published limits: per chat
// 1 message per second (bursts of 3), per group 20 per minute (bursts of 3), overall 30 per
// second (bursts of 5) — the limits the adapter's send queue applies by default.
func (f *ltTG) checkRates() {
	f.mu.Lock()
	defer f.mu.Unlock()
	over := func(ts []time.Time, burst int, perSec float64) (int, time.Duration, bool) {
		for i := range ts {
			for j := i + burst; j < len(ts); j++ {
				span := ts[j].Sub(ts[i])
				if float64(j-i+1) > float64(burst)+perSec*span.Seconds()+ltSlack {
					return j - i + 1, span, true
				}
			}
		}
		return 0, 0, false
	}
	for id, ts := range f.sends {
		if n, span, bad := over(ts, 3, 1); bad {
			f.prob.violationf("telegram rate: %d messages to chat %d within %v (limit 1/s, bursts of 3)", n, id, span.Round(time.Millisecond))
		}
		if c := f.chats[id]; c != nil && c.group {
			if n, span, bad := over(ts, 3, 1.0/3); bad {
				f.prob.violationf("telegram rate: %d messages to group %d within %v (limit 20/min, bursts of 3)", n, id, span.Round(time.Millisecond))
			}
		}
	}
	// Overall: no one-second window may hold more than the burst plus a second's worth.
	all := f.allSends
	for i, j := 0, 0; j < len(all); j++ {
		for all[j].Sub(all[i]) > time.Second {
			i++
		}
		if n := j - i + 1; n > 5+30+ltSlack {
			f.prob.violationf("telegram rate: %d requests within one second (limit 30/s, bursts of 5)", n)
			break
		}
	}
}

// editMessage answers an edit the server found valid: it must answer the button press waiting
// in its chat.
func (f *ltTG) editMessage(call telegramtest.Call) (any, *telegramtest.Fault) {
	params := call.Params
	if params["inline_message_id"] != "" {
		f.prob.violationf("telegram: editMessageText of an inline message, but the load has none")
		return nil, refuse("Bad Request: MESSAGE_ID_INVALID")
	}
	chatID, _ := strconv.ParseInt(params["chat_id"], 10, 64)
	msgID, _ := strconv.Atoi(params["message_id"])
	visible, buttons, _ := telegramtest.CheckMessage(params)
	now := time.Now()
	f.mu.Lock()
	c := f.chats[chatID]
	var m *ltBotMsg
	if c != nil {
		m = c.msgs[msgID]
	}
	if m == nil {
		f.mu.Unlock()
		f.prob.violationf("telegram editMessageText of unknown message %d in chat %q", msgID, params["chat_id"])
		return nil, refuse("Bad Request: message to edit not found")
	}
	same := m.html == params["text"] && m.markup == params["reply_markup"]
	m.text, m.html, m.markup, m.buttons = visible, params["text"], params["reply_markup"], buttons
	if len(buttons) > 0 {
		c.lastKB = m
	}
	f.recordLocked(chatID, now)
	e := c.cur
	if e == nil || e.editOf != msgID || !e.wantChat || e.gotChat > 0 {
		f.mu.Unlock()
		f.prob.duplicatef("telegram: an edit of message %d in chat %d that no waiting button press asked for", msgID, chatID)
	} else {
		e.gotChat++
		f.completeLocked(e, now)
		f.mu.Unlock()
	}
	if same {
		return nil, refuse("Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	}
	return map[string]any{"message_id": msgID, "date": now.Unix(), "text": visible, "chat": c.obj, "from": f.botUser()}, nil
}

// answerCallback answers a callback answer the server found valid: it must be the first
// for its button press.
func (f *ltTG) answerCallback(call telegramtest.Call) (any, *telegramtest.Fault) {
	return f.answerQuery("answerCallbackQuery", "callback query", f.callbacks, call.Params["callback_query_id"],
		func(e *ltExpect) *int { return &e.gotAck })
}

// answerInline answers inline query results the server found valid: they must be the first
// for their query.
func (f *ltTG) answerInline(call telegramtest.Call) (any, *telegramtest.Fault) {
	return f.answerQuery("answerInlineQuery", "inline query", f.inlines, call.Params["inline_query_id"],
		func(e *ltExpect) *int { return &e.gotIn })
}

// answerQuery counts the answer to query id, one of queries, in the counter got returns: the
// first completes its update; an unknown id is a violation, a second answer a duplicate.
func (f *ltTG) answerQuery(method, what string, queries map[string]*ltExpect, id string, got func(*ltExpect) *int) (any, *telegramtest.Fault) {
	const gone = "Bad Request: query is too old and response timeout expired or query ID is invalid"
	now := time.Now()
	f.mu.Lock()
	e := queries[id]
	if e == nil {
		f.mu.Unlock()
		f.prob.violationf("telegram %s for unknown query %q", method, id)
		return nil, refuse(gone)
	}
	n := got(e)
	*n++
	if *n > 1 {
		count := *n
		f.mu.Unlock()
		f.prob.duplicatef("telegram: %s %s answered %d times", what, id, count)
		return nil, refuse(gone)
	}
	f.recordLocked(0, now)
	f.completeLocked(e, now)
	f.mu.Unlock()
	return true, nil
}
