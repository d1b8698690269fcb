package main

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"transcriptbot/adapters/telegram"
	"transcriptbot/adapters/telegram/telegramtest"
	"transcriptbot/bot"
)

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
	id := call.Params["callback_query_id"]
	now := time.Now()
	f.mu.Lock()
	e := f.callbacks[id]
	switch {
	case e == nil:
		f.mu.Unlock()
		f.prob.violationf("telegram answerCallbackQuery for unknown query %q", id)
		return nil, refuse("Bad Request: query is too old and response timeout expired or query ID is invalid")
	case e.gotAck > 0:
		e.gotAck++
		f.mu.Unlock()
		f.prob.duplicatef("telegram: callback query %s answered %d times", id, e.gotAck)
		return nil, refuse("Bad Request: query is too old and response timeout expired or query ID is invalid")
	}
	e.gotAck++
	f.recordLocked(0, now)
	f.completeLocked(e, now)
	f.mu.Unlock()
	return true, nil
}

// answerInline answers inline query results the server found valid: they must be the first
// for their query.
func (f *ltTG) answerInline(call telegramtest.Call) (any, *telegramtest.Fault) {
	id := call.Params["inline_query_id"]
	now := time.Now()
	f.mu.Lock()
	e := f.inlines[id]
	switch {
	case e == nil:
		f.mu.Unlock()
		f.prob.violationf("telegram answerInlineQuery for unknown query %q", id)
		return nil, refuse("Bad Request: query is too old and response timeout expired or query ID is invalid")
	case e.gotIn > 0:
		e.gotIn++
		f.mu.Unlock()
		f.prob.duplicatef("telegram: inline query %s answered %d times", id, e.gotIn)
		return nil, refuse("Bad Request: query is too old and response timeout expired or query ID is invalid")
	}
	e.gotIn++
	f.recordLocked(0, now)
	f.completeLocked(e, now)
	f.mu.Unlock()
	return true, nil
}

// ltTGRun is one Telegram scenario in progress.
type ltTGRun struct {
	f       *ltTG
	gen     *ltGen
	opts    ltOptions
	webhook bool
	hookURL string
	secret  string
	client  *http.Client
	sem     chan struct{}
	prob    *ltProblems

	mu      sync.Mutex
	nextID  int
	expects []*ltExpect
	ignored int
}

// ltRunTelegram runs the Telegram scenario, polling or webhook, and returns its measurements.
func ltRunTelegram(ctx context.Context, core *bot.Bot, gen *ltGen, opts ltOptions, webhook bool) (*ltResult, error) {
	prob, lat := &ltProblems{}, &ltLatencies{}
	f, err := newLtTG(prob, lat)
	if err != nil {
		return nil, err
	}
	defer f.close()
	logger, logs := ltNewCountingLogger()
	cfg := telegram.Config{
		Token:           f.srv.Token,
		APIEndpoint:     f.endpoint(),
		PollTimeout:     10 * time.Second,
		RequestTimeout:  10 * time.Second,
		Logger:          logger,
		MinBackoff:      50 * time.Millisecond,
		MaxBackoff:      time.Second,
		ShutdownTimeout: 10 * time.Second,
		RepeatWindow:    opts.Repeat,
	}
	f.repeat = opts.Repeat > 0
	if opts.RealRates {
		f.record, f.sends = true, map[int64][]time.Time{}
	} else {
		// Far above Telegram's limits, so that the bot and adapter are measured, not them.
		cfg.Rates = telegram.Rates{Chat: 1e6, ChatBurst: 1000, Group: 1e6, GroupBurst: 1000, Global: 1e6, GlobalBurst: 1000}
	}
	tr := &ltTGRun{f: f, gen: gen, opts: opts, webhook: webhook, prob: prob, nextID: 1}
	var hookSrv *http.Server
	if webhook {
		var b [16]byte
		_, _ = crand.Read(b[:])
		tr.secret = hex.EncodeToString(b[:])
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		tr.hookURL = "http://" + ln.Addr().String() + "/telegram/webhook"
		cfg.WebhookURL, cfg.WebhookSecret = tr.hookURL, tr.secret
		mux := http.NewServeMux()
		hookSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		defer hookSrv.Close()
		tr.sem = make(chan struct{}, opts.Concurrency)
		tr.client = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
			MaxIdleConns: opts.Concurrency, MaxIdleConnsPerHost: opts.Concurrency, MaxConnsPerHost: opts.Concurrency}}
		defer tr.client.CloseIdleConnections()
		a, err := telegram.New(ctx, cfg, core)
		if err != nil {
			ln.Close()
			return nil, err
		}
		mux.Handle("/telegram/webhook", a.WebhookHandler())
		go func() { _ = hookSrv.Serve(ln) }()
		return tr.run(ctx, a, lat, logs)
	}
	a, err := telegram.New(ctx, cfg, core)
	if err != nil {
		return nil, err
	}
	return tr.run(ctx, a, lat, logs)
}

// run starts the adapter, drives every chat, stops the adapter and tallies.
func (tr *ltTGRun) run(ctx context.Context, a *telegram.Adapter, lat *ltLatencies, logs *ltCountingHandler) (*ltResult, error) {
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	runErr := make(chan error, 1)
	go func() { runErr <- a.Run(runCtx) }()
	ready := time.NewTimer(10 * time.Second)
	defer ready.Stop()
	for !a.Ready() {
		select {
		case err := <-runErr:
			return nil, fmt.Errorf("telegram adapter stopped before it was ready: %v", err)
		case <-ready.C:
			stop()
			return nil, errors.New("telegram adapter not ready after 10s")
		case <-time.After(2 * time.Millisecond):
		}
	}

	chats := tr.makeChats()
	start := time.Now()
	var wg sync.WaitGroup
	for i, c := range chats {
		n := tr.opts.Updates / len(chats)
		if i < tr.opts.Updates%len(chats) {
			n++
		}
		if n == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			tr.drive(ctx, c, n, rand.New(rand.NewPCG(tr.opts.Seed, uint64(i))))
		}()
	}
	wg.Wait()
	if !tr.webhook {
		// Chatter at the end is not waited for: let the adapter fetch and confirm it (its next
		// getUpdates carries the offset past it) before stopping it.
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) && ctx.Err() == nil {
			all := tr.f.srv.Confirmed() >= tr.nextID
			if all {
				break
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	tr.opts.progressf("telegram: all %d updates offered; stopping the adapter", tr.opts.Updates)
	stop()
	var err error
	select {
	case err = <-runErr:
	case <-time.After(30 * time.Second):
		err = errors.New("telegram adapter: Run did not return within 30s of shutdown")
	}
	if err != nil {
		tr.prob.violationf("telegram adapter: %v", err)
	}

	res := &ltResult{Count: tr.opts.Updates, Chats: len(chats), Requests: int(tr.f.requests.Load()), Conns: int(tr.f.conns.Load())}
	if tr.webhook {
		res.Concurrency = tr.opts.Concurrency
	}
	tr.f.checkRates()
	tr.f.collect()
	tr.f.mu.Lock()
	for _, e := range tr.expects {
		switch {
		case e.ignored:
		case e.closed:
			res.Answered++
		default:
			tr.prob.lostf("telegram update %d in chat %d (%s): got %d chat messages, %d callback answers, %d inline answers",
				e.updateID, e.chat.id, e.desc, e.gotChat, e.gotAck, e.gotIn)
		}
	}
	res.Ignored = tr.ignored
	end := tr.f.lastDone
	confirmed := tr.f.srv.Confirmed()
	tr.f.mu.Unlock()
	if !tr.webhook && confirmed < tr.nextID {
		tr.prob.violationf("telegram: updates from %d to %d were never confirmed (offset %d): a restart would answer them again",
			confirmed, tr.nextID-1, confirmed)
	}
	if end.After(start) {
		res.Seconds = end.Sub(start).Seconds()
		res.Throughput = float64(tr.opts.Updates) / res.Seconds
	}
	lat.fill(res)
	tr.prob.fill(res)
	logs.fill(res)
	tr.f.mix.fill(res)
	return res, nil
}

// makeChats creates the chats: two in five are groups (alternately supergroups and basic
// groups with five members), the others private chats.
func (tr *ltTGRun) makeChats() []*ltChat {
	f := tr.f
	f.mu.Lock()
	defer f.mu.Unlock()
	var chats []*ltChat
	for i := range tr.opts.Chats {
		c := newLtChat()
		if i%5 == 1 || i%5 == 3 {
			c.group = true
			c.id = -1001000000000 - int64(i)
			kind := "supergroup"
			if i%2 == 1 && i%10 == 3 {
				kind = "group"
			}
			c.obj = map[string]any{"id": c.id, "type": kind, "title": "Load group " + strconv.Itoa(i)}
			for k := range 5 {
				c.users = append(c.users, 2_000_000+int64(i)*10+int64(k))
			}
		} else {
			c.id = 1_000_000 + int64(i)
			c.obj = map[string]any{"id": c.id, "type": "private", "first_name": "User" + strconv.Itoa(i)}
			c.users = []int64{c.id}
		}
		f.chats[c.id] = c
		chats = append(chats, c)
	}
	return chats
}

func ltTGUser(id int64) map[string]any {
	return map[string]any{"id": id, "is_bot": false, "first_name": "U" + strconv.FormatInt(id, 10), "language_code": "en"}
}

// drive is one chat's users: n updates, each sent once the previous one is answered.
func (tr *ltTGRun) drive(ctx context.Context, c *ltChat, n int, r *rand.Rand) {
	for range n {
		if ctx.Err() != nil {
			return
		}
		e, raw := tr.next(c, r)
		if tr.webhook && !tr.post(ctx, e, raw) {
			continue
		}
		if e.ignored {
			continue
		}
		t := time.NewTimer(min(ltTGUpdateTimeout, tr.opts.Timeout/4))
		select {
		case <-e.done:
		case <-t.C:
		case <-ctx.Done():
		}
		t.Stop()
	}
}

// post delivers an update to the webhook as Telegram does: POST with the secret header, at
// most Concurrency at a time, retrying 5xx and network errors a few times.
func (tr *ltTGRun) post(ctx context.Context, e *ltExpect, raw []byte) bool {
	select {
	case tr.sem <- struct{}{}:
	case <-ctx.Done():
		return false
	}
	defer func() { <-tr.sem }()
	var last string
	for try := range 5 {
		if try > 0 {
			select {
			case <-time.After(time.Duration(try) * 50 * time.Millisecond):
			case <-ctx.Done():
				return false
			}
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, tr.hookURL, bytes.NewReader(raw))
		if err != nil {
			last = err.Error()
			continue
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(telegram.SecretHeader, tr.secret)
		resp, err := tr.client.Do(req)
		if err != nil {
			last = err.Error()
			continue
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			return true
		}
		last = resp.Status
		if resp.StatusCode < 500 {
			break
		}
	}
	if ctx.Err() == nil {
		tr.prob.violationf("telegram webhook refused update %d: %s", e.updateID, last)
	}
	return false
}

// next builds chat c's next update, registers what it must get and, when polling, queues it
// for getUpdates.
func (tr *ltTGRun) next(c *ltChat, r *rand.Rand) (*ltExpect, []byte) {
	f, g := tr.f, tr.gen
	f.mu.Lock()
	defer f.mu.Unlock()
	tr.mu.Lock()
	id := tr.nextID
	tr.nextID++
	tr.mu.Unlock()
	e := &ltExpect{updateID: id, chat: c, done: make(chan struct{})}
	from := c.users[r.IntN(len(c.users))]
	upd := map[string]any{"update_id": id}
	message := func(text string) map[string]any {
		c.nextMsg++
		m := map[string]any{"message_id": c.nextMsg, "date": time.Now().Unix(), "chat": c.obj, "from": ltTGUser(from), "text": text}
		if strings.HasPrefix(text, "/") {
			end := strings.IndexAny(text, " \n")
			if end < 0 {
				end = len(text)
			}
			m["entities"] = []any{map[string]any{"type": "bot_command", "offset": 0, "length": bot.UTF16Len(text[:end])}}
		}
		e.wantChat = true
		if c.group {
			e.replyTo = c.nextMsg
		}
		upd["message"] = m
		return m
	}
	button := func(on *ltBotMsg, data string, valid bool) {
		cb := fmt.Sprintf("cb%d", id)
		msg := map[string]any{"message_id": on.id, "date": time.Now().Unix(), "chat": c.obj, "from": f.botUser(), "text": on.text}
		if on.markup != "" {
			msg["reply_markup"] = json.RawMessage(on.markup)
		}
		upd["callback_query"] = map[string]any{"id": cb, "from": ltTGUser(from), "chat_instance": "ci" + strconv.FormatInt(c.id, 10),
			"data": data, "message": msg}
		e.ackID, e.editOf, e.wantChat = cb, on.id, valid
		f.callbacks[cb] = e
	}
	cmd := func(name, arg string) string {
		if c.group && r.IntN(2) == 0 {
			name += "@" + f.srv.Username
		}
		if arg == "" {
			return "/" + name
		}
		return "/" + name + " " + arg
	}
	p := r.IntN(100)
	switch {
	case c.lastKB != nil && len(c.lastKB.buttons) > 0 && p < 15:
		// A button on the bot's latest message with buttons.
		button(c.lastKB, c.lastKB.buttons[r.IntN(len(c.lastKB.buttons))], true)
	case c.last != nil && p < 17:
		button(c.last, g.staleAction(r), false)
	case p < 21:
		q := map[string]any{"id": fmt.Sprintf("iq%d", id), "from": ltTGUser(from), "query": g.question(r), "offset": ""}
		if r.IntN(3) == 0 {
			q["chat_type"] = "sender"
		}
		upd["inline_query"] = q
		e.inlineID = q["id"].(string)
		f.inlines[e.inlineID] = e
	case p < 33:
		switch r.IntN(7) {
		case 0:
			message(cmd("help", ""))
		case 1:
			message(cmd("start", ""))
		case 2:
			message(cmd("questions", ""))
		case 3:
			message(cmd("answer", g.numberArg(r)))
		case 4:
			message("/start q" + g.numberArg(r))
		default:
			message(cmd("ask", g.question(r)))
		}
	case !c.group:
		message(g.text(r))
	case p < 41:
		// Chatter the bot must leave alone: not addressed to it, or a command for another bot.
		c.nextMsg++
		text := g.text(r)
		if r.IntN(3) == 0 {
			text = "/help@OtherBot"
		}
		upd["message"] = map[string]any{"message_id": c.nextMsg, "date": time.Now().Unix(), "chat": c.obj,
			"from": ltTGUser(from), "text": text}
		e.ignored = true
		tr.ignored++
	case p < 60:
		message("@" + f.srv.Username + " " + g.text(r))
	case p < 72 && c.last != nil:
		// A follow-up question as a reply to the bot's latest message.
		m := message(g.question(r))
		m["reply_to_message"] = map[string]any{"message_id": c.last.id, "date": time.Now().Unix(), "chat": c.obj,
			"from": f.botUser(), "text": c.last.text}
	case p < 80:
		// Another member asked; this one asks the bot to answer that message.
		c.nextMsg++
		asked := c.nextMsg
		other := c.users[(r.IntN(len(c.users)-1)+1+ltIndexOf(c.users, from))%len(c.users)]
		text := "/ask"
		if r.IntN(2) == 0 {
			text = "@" + f.srv.Username
		}
		m := message(text)
		m["reply_to_message"] = map[string]any{"message_id": asked, "date": time.Now().Unix(), "chat": c.obj,
			"from": ltTGUser(other), "text": g.question(r)}
		e.replyTo = asked
	default:
		message(cmd("ask", g.text(r)))
	}
	if c.cur = e; e.ignored {
		e.closed = true
		close(e.done)
	}
	tr.expects = append(tr.expects, e)
	raw, err := json.Marshal(upd)
	if err != nil {
		panic(err) // maps of strings and numbers always marshal
	}
	e.desc = ltDescribe(raw)
	e.at = time.Now()
	if !tr.webhook {
		// Queued under the same lock that numbered it, so that update ids ascend in the
		// queue, as Telegram's do.
		f.srv.PushRaw(e.updateID, raw)
	}
	return e, raw
}

func ltIndexOf(s []int64, v int64) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return 0
}

// ltDescribe shortens an update for a problem report.
func ltDescribe(raw []byte) string {
	const max = 120
	if len(raw) <= max {
		return string(raw)
	}
	return string(raw[:max]) + "…"
}
