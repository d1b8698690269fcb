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
	"time"

	"transcriptbot/adapters/telegram"
	"transcriptbot/bot"
)

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
