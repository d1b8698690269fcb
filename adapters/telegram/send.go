package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"golang.org/x/time/rate"
)

// Rates are the outgoing message limits. Zero fields take Telegram's published limits.
type Rates struct {
	// Chat is messages per second into one chat (default 1) with burst ChatBurst (default 3).
	Chat      rate.Limit
	ChatBurst int
	// Group is messages per second into one group on top of Chat (default 20 per minute) with
	// burst GroupBurst (default 3).
	Group      rate.Limit
	GroupBurst int
	// Global is requests per second overall (default 30) with burst GlobalBurst (default 5).
	Global      rate.Limit
	GlobalBurst int
}

func (r Rates) withDefaults() Rates {
	if r.Chat <= 0 {
		r.Chat = 1
	}
	if r.ChatBurst <= 0 {
		r.ChatBurst = 3
	}
	if r.Group <= 0 {
		r.Group = rate.Every(3 * time.Second)
	}
	if r.GroupBurst <= 0 {
		r.GroupBurst = 3
	}
	if r.Global <= 0 {
		r.Global = 30
	}
	if r.GlobalBurst <= 0 {
		r.GlobalBurst = 5
	}
	return r
}

// errAborted marks a send cut short by shutdown (or by its update's webhook request giving
// up): its update is not finished and must be redelivered.
var errAborted = errors.New("send aborted by shutdown")

// errGaveUp wraps the last error of a send that failed temporarily (network, 429, 5xx) on
// every one of its tries (or, polling, for the whole SendRetryWindow).
var errGaveUp = errors.New("retries exhausted")

// health follows whether the Bot API is taking messages. It is down (an outage) once sends to
// two different chats (or a chat and a button or inline answer) failed with a network error or
// 5xx with no answer between them — one chat's trouble alone is not an outage — and until the
// next send it answers (a success, or a refusal such as 400, 403 or 429: the API is up). The
// tracker's hold clock stops while it is down, and the first answer after it was down wakes
// every lane waiting to retry, so that replies go out as soon as an outage ends rather than
// after each lane's backoff.
type health struct {
	mu      sync.Mutex
	now     func() time.Time
	failing bool  // a send failed since the last answer
	first   int64 // the chat of that failure (0: not a chat message)
	down    bool
	since   time.Time     // when it went down
	total   time.Duration // time spent down before since
	up      chan struct{} // closed when the API answers after being down
}

func newHealth() *health { return &health{now: time.Now, up: make(chan struct{})} }

// failed records a send to chat that failed with a network error or 5xx. It reports whether
// this began an outage.
func (h *health) failed(chat int64) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.down:
		return false
	case !h.failing:
		h.failing, h.first = true, chat
		return false
	case chat == h.first:
		return false
	}
	h.down, h.since = true, h.now()
	return true
}

// answered records a send the API answered. It returns how long the API had been down when
// this ended an outage, 0 otherwise.
func (h *health) answered() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.failing = false
	if !h.down {
		return 0
	}
	d := h.now().Sub(h.since)
	h.total += d
	h.down = false
	close(h.up)
	h.up = make(chan struct{})
	return d
}

// downFor is the time spent down so far; the tracker's hold clock does not count it.
func (h *health) downFor() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.down {
		return h.total + h.now().Sub(h.since)
	}
	return h.total
}

// recovered returns a channel closed the next time the API answers after being down.
func (h *health) recovered() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.up
}

// outMsg is one outgoing request.
type outMsg struct {
	method string
	params tgbotapi.Params
	chatID int64 // 0: not a chat message (callback or inline answers): global limit only
	group  bool
	done   chan error // buffered(1): nil when sent, errAborted, or the final error when dropped
	// ctx is the context of the update m answers: when it ends, m is called off (errAborted).
	ctx context.Context
	// onSent, when set, is called with the request's result once it succeeded.
	onSent func(ctx context.Context, result json.RawMessage)
	// fallback, when set, is sent instead when Telegram refuses m because the message it
	// replies to is gone (a pointer to an earlier answer that was deleted).
	fallback *outMsg
}

// sender is the send queue: one FIFO lane per chat, each with its own limiters, sharing a
// global limiter; each request is retried per the retry policy. A lane's queue has no bound
// of its own, so that queueing never blocks a worker (a chat whose replies are stuck would
// otherwise hold up every chat on its worker): what bounds it is the intake — MaxPending
// updates in progress when polling, WebhookMaxConnections requests held with a webhook.
type sender struct {
	a      *Adapter
	rates  Rates
	global *rate.Limiter
	idle   time.Duration
	health *health

	mu    sync.Mutex
	lanes map[int64]*lane
	wg    sync.WaitGroup
}

type lane struct {
	queue   []*outMsg     // waiting, in order; guarded by sender.mu
	wake    chan struct{} // buffered(1): poked when queue grows
	pending int           // queued or in progress; guarded by sender.mu
	chat    *rate.Limiter
	group   *rate.Limiter // nil for private chats
}

func newSender(a *Adapter, rates Rates) *sender {
	rates = rates.withDefaults()
	return &sender{
		a:      a,
		rates:  rates,
		global: rate.NewLimiter(rates.Global, rates.GlobalBurst),
		idle:   time.Minute,
		health: newHealth(),
		lanes:  make(map[int64]*lane),
	}
}

// enqueue queues m behind earlier messages to the same chat, without blocking; ctx is the
// work context, which the chat's lane keeps. The result arrives on m.done: errAborted when ctx
// or m.ctx ends before m is sent.
func (s *sender) enqueue(ctx context.Context, m *outMsg) {
	m.done = make(chan error, 1)
	if m.ctx == nil {
		m.ctx = ctx
	}
	if m.chatID == 0 {
		go func() { m.done <- s.deliver(ctx, m, nil) }()
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.lanes[m.chatID]
	if l == nil {
		l = &lane{wake: make(chan struct{}, 1), chat: rate.NewLimiter(s.rates.Chat, s.rates.ChatBurst)}
		if m.group {
			l.group = rate.NewLimiter(s.rates.Group, s.rates.GroupBurst)
		}
		s.lanes[m.chatID] = l
		s.wg.Add(1)
		go s.drain(ctx, m.chatID, l)
	}
	l.pending++
	l.queue = append(l.queue, m)
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// next takes the lane's first waiting message, or nil.
func (s *sender) next(l *lane) *outMsg {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(l.queue) == 0 {
		return nil
	}
	m := l.queue[0]
	l.queue[0] = nil
	l.queue = l.queue[1:]
	if len(l.queue) == 0 {
		l.queue = nil // let a long backlog's array go
	}
	return m
}

// drain sends a lane's messages in order and retires the lane after it has been idle. When
// ctx ends, the messages still waiting are answered errAborted (deliver does so at once).
func (s *sender) drain(ctx context.Context, chatID int64, l *lane) {
	defer s.wg.Done()
	t := time.NewTimer(s.idle)
	defer t.Stop()
	for {
		if m := s.next(l); m != nil {
			m.done <- s.deliver(ctx, m, l)
			s.mu.Lock()
			l.pending--
			s.mu.Unlock()
			t.Reset(s.idle)
			continue
		}
		select {
		case <-l.wake:
		case <-t.C:
			s.mu.Lock()
			if l.pending == 0 {
				delete(s.lanes, chatID)
				s.mu.Unlock()
				return
			}
			s.mu.Unlock()
			t.Reset(s.idle)
		case <-ctx.Done():
			s.mu.Lock()
			if s.lanes[chatID] == l {
				delete(s.lanes, chatID)
			}
			left := l.queue
			l.queue = nil
			s.mu.Unlock()
			for _, m := range left { // queued as the lane shut down
				m.done <- errAborted
			}
			return
		}
	}
}

// deliver sends m, retrying per the policy, and returns nil, errAborted, or the final error.
func (s *sender) deliver(ctx context.Context, m *outMsg, l *lane) error {
	a := s.a
	if m.ctx != nil && m.ctx != ctx {
		// The lane's context, also ended when m's update is cut short.
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		defer context.AfterFunc(m.ctx, cancel)()
	}
	log := a.log.With("method", m.method, "chat", m.chatID)
	// Polling keeps retrying a message into a chat for SendRetryWindow, its update unconfirmed
	// meanwhile. A webhook stops after MaxTries (Telegram then delivers the update again), and
	// so do the answers to button presses and inline queries, which Telegram lets expire
	// within seconds.
	var window time.Duration
	if a.cfg.WebhookURL == "" && m.chatID != 0 {
		window = a.cfg.SendRetryWindow
	}
	// Polling, a request already made is not abandoned when shutdown cuts the replies short:
	// Telegram may have taken it, and leaving its update unconfirmed as unsent would have the
	// next instance send the reply a second time. Its answer is awaited (within RequestTimeout)
	// and counts: sent, its update is finished. Only the waits before a request are cut short.
	// A webhook's request giving up still calls its sends off at once: the update has been
	// handed back to Telegram already.
	callCtx := ctx
	if a.cfg.WebhookURL == "" {
		callCtx = context.WithoutCancel(ctx)
	}
	began := time.Now()
	var last error
	woken := false // the last wait was cut short by the end of an outage
	for try := 1; ; try++ {
		if l != nil {
			if err := l.chat.Wait(ctx); err != nil {
				return errAborted
			}
			if l.group != nil {
				if err := l.group.Wait(ctx); err != nil {
					return errAborted
				}
			}
		}
		if err := s.global.Wait(ctx); err != nil {
			return errAborted
		}
		if ctx.Err() != nil { // cut short while it waited: no request is made
			return errAborted
		}
		recovered := s.health.recovered() // taken before the call: an answer to another lane meanwhile wakes this one
		cctx, cancel := context.WithTimeout(callCtx, a.cfg.RequestTimeout)
		res, err := a.call(cctx, m.method, m.params)
		cancel()
		if err == nil {
			s.answered()
			if m.onSent != nil {
				m.onSent(callCtx, res)
			}
			return nil
		}
		if ctx.Err() != nil {
			return errAborted
		}
		last = err
		var ae *APIError
		if !errors.As(err, &ae) {
			ae = &APIError{Method: m.method, Description: err.Error()}
		}
		if a.cfg.OnSendFailure != nil {
			a.cfg.OnSendFailure(ae.Code)
		}
		if ae.Temporary() && ae.Code != http.StatusTooManyRequests {
			if s.health.failed(m.chatID) {
				log.Warn("telegram Bot API failing (network error or 5xx); replies are retried", "err", ae)
				if a.cfg.OnOutage != nil {
					a.cfg.OnOutage(true)
				}
			}
		} else {
			s.answered()
		}
		var wait time.Duration
		var wake <-chan struct{} // nil: wait the whole time
		switch {
		case ae.Code == http.StatusTooManyRequests:
			wait = ae.RetryAfter
			if wait <= 0 {
				wait = s.backoff(try)
			}
		case ae.Temporary():
			wait = s.backoff(try)
			if !woken { // failing again at once after being woken: wait the backoff out
				wake = recovered
			}
		case ae.MigrateTo != 0 && m.params["chat_id"] != "":
			// The group was upgraded to a supergroup: send there.
			log.Info("telegram group migrated; sending to the supergroup", "to", ae.MigrateTo)
			m.params["chat_id"] = strconv.FormatInt(ae.MigrateTo, 10)
			continue
		case m.fallback != nil && (replyGone(ae) || editGone(ae)):
			// The earlier answer a pointer replies to, or an edit would update, was deleted:
			// send the answer itself.
			log.Info("telegram: the earlier answer is gone; answering in full")
			fb := m.fallback
			m.method, m.params, m.onSent, m.fallback = fb.method, fb.params, fb.onSent, nil
			continue
		case ae.Code == http.StatusBadRequest && strings.Contains(ae.Description, "message is not modified"):
			return nil // an edit to the same text (a button pressed twice): nothing to do
		case ae.Code == http.StatusBadRequest && m.params["message_thread_id"] != "" &&
			strings.Contains(strings.ToLower(ae.Description), "thread"):
			// The topic was closed or deleted: post in the chat's general thread instead.
			delete(m.params, "message_thread_id")
			log.Warn("telegram topic gone; sending without it", "err", ae)
			continue
		default: // 400, 403 (blocked or removed), 404...: retrying cannot help
			log.Warn("telegram request failed; not retried", "code", ae.Code, "err", ae)
			return err
		}
		giveUp, pastWindow := try >= a.cfg.MaxTries, false
		if window > 0 {
			// Retry until the window ends (a last try at its end), or give up at once when
			// Telegram's retry_after reaches past it.
			left := window - time.Since(began)
			pastWindow = ae.Code == http.StatusTooManyRequests && ae.RetryAfter > left
			giveUp = left <= 0 || pastWindow
			wait = min(wait, max(left, 0))
		}
		if giveUp {
			switch {
			case a.cfg.WebhookURL != "":
				log.Warn("telegram request failed on every try; its update is handed back to Telegram (webhook answered 503) to be delivered again", "tries", try, "err", last)
			case pastWindow:
				log.Error("telegram reply dropped: Telegram's retry_after reaches past the send retry window; its update is confirmed without it", "retry_after", ae.RetryAfter, "window", window, "err", last)
			case window > 0:
				log.Error("telegram reply dropped: it failed for the whole send retry window; its update is confirmed without it", "tries", try, "window", window, "err", last)
			default:
				log.Error("telegram request dropped after retries", "tries", try, "err", last)
			}
			if a.cfg.WebhookURL == "" && a.cfg.OnReplyDropped != nil {
				a.cfg.OnReplyDropped()
			}
			return fmt.Errorf("%w: %w", errGaveUp, last)
		}
		log.Debug("telegram request failed; retrying", "try", try, "wait", wait, "err", ae)
		t := time.NewTimer(wait)
		woken = false
		select {
		case <-t.C:
		case <-wake:
			t.Stop()
			woken = true
		case <-ctx.Done():
			t.Stop()
			return errAborted
		}
	}
}

// answered records that the Bot API answered a send, logging the end of an outage.
func (s *sender) answered() {
	if d := s.health.answered(); d > 0 {
		s.a.log.Info("telegram Bot API answering again; sending the held replies", "down", d.Round(time.Millisecond))
		if s.a.cfg.OnOutage != nil {
			s.a.cfg.OnOutage(false)
		}
	}
}

// backoff is the capped exponential backoff with jitter before try+1.
func (s *sender) backoff(try int) time.Duration {
	return backoff(s.a.cfg.MinBackoff, s.a.cfg.MaxBackoff, try)
}

func backoff(base, max time.Duration, try int) time.Duration {
	d := base
	for i := 1; i < try && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	return d + time.Duration(rand.Int64N(int64(d)/5+1))
}

// wait blocks until every lane has finished.
func (s *sender) wait() { s.wg.Wait() }
