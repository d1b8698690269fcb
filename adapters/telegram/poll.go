package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// pollLimit is getUpdates' limit: updates per batch.
const pollLimit = 100

// tracker keeps the getUpdates offset: an update is confirmed (the offset moves past it) only
// when it and every update before it are finished — answered, or dropped for good. Holding
// the offset back costs nothing until the updates waiting behind it fill half a getUpdates
// batch: then, so that one chat held back by rate limits or failures cannot stall every other
// chat, an update still open after hold stops holding the offset back (its replies stay queued
// and are still sent, but a shutdown before they are loses them). The hold clock stops while
// the Bot API is down (down says for how long it has been so far): in an outage no chat can be
// answered, and holding every update keeps each one redeliverable.
type tracker struct {
	mu        sync.Mutex
	hold      time.Duration
	now       func() time.Time
	down      func() time.Duration // time the Bot API has been down so far; nil: never
	next      int                  // one past the highest update id seen
	open      map[int]openState    // taken on and not finished
	finished  map[int]bool         // finished while an earlier one is still open
	progress  chan struct{}
	sent      int // the highest offset sent to Telegram: the updates below it are confirmed
	confirmed int // the offset last sent to Telegram; used by the polling goroutine only
}

type openState struct {
	since   time.Time
	downAt  time.Duration // tracker.down() at since
	aborted bool          // cut short by shutdown: holds the offset back for good
}

func newTracker(hold time.Duration, down func() time.Duration) *tracker {
	return &tracker{hold: hold, now: time.Now, down: down, open: map[int]openState{}, finished: map[int]bool{}, progress: make(chan struct{})}
}

func (t *tracker) downFor() time.Duration {
	if t.down == nil {
		return 0
	}
	return t.down()
}

// held is how long st has held the offset back while the Bot API was up.
func (t *tracker) held(st openState, now time.Time, down time.Duration) time.Duration {
	return now.Sub(st.since) - (down - st.downAt)
}

// offset is the getUpdates offset that confirms exactly the finished prefix.
func (t *tracker) offset() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.offsetLocked()
}

func (t *tracker) offsetLocked() int {
	oldest := t.next
	for id := range t.open {
		oldest = min(oldest, id)
	}
	stalling := t.next-oldest > pollLimit/2
	off := t.next
	now, down := t.now(), t.downFor()
	for id, st := range t.open {
		if st.aborted || !stalling || t.held(st, now, down) < t.hold {
			off = min(off, id)
		}
	}
	off = max(off, t.sent) // updates released earlier stay confirmed
	for id := range t.finished {
		if id < off {
			delete(t.finished, id)
		}
	}
	return off
}

// sending records that getUpdates is called with offset off, confirming the updates below it.
func (t *tracker) sending(off int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sent = max(t.sent, off)
}

// start reports whether id is new (not taken on before), and takes it on.
func (t *tracker) start(id int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, open := t.open[id]; open || t.finished[id] || id < t.offsetLocked() {
		return false
	}
	t.open[id] = openState{since: t.now(), downAt: t.downFor()}
	t.next = max(t.next, id+1)
	return true
}

// finish marks id finished, or, when it was cut short, keeps it from being confirmed. It
// returns false when a cut-short update had already been released (and so will not be
// redelivered).
func (t *tracker) finish(id int, ok bool) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	defer func() {
		close(t.progress)
		t.progress = make(chan struct{})
	}()
	st, open := t.open[id]
	if ok || !open {
		delete(t.open, id)
		t.finished[id] = true
		return true
	}
	if id < t.sent {
		delete(t.open, id)
		return false
	}
	st.aborted = true
	t.open[id] = st
	return true
}

// changed returns a channel closed at the next finish.
func (t *tracker) changed() <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.progress
}

// inProgress is how many updates are taken on and not finished.
func (t *tracker) inProgress() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.open)
}

// backlog is how many already-seen updates the next getUpdates would return again.
func (t *tracker) backlog() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.next - t.offsetLocked()
}

// runPolling deletes any webhook, then long-polls until ctx is done or a fatal error.
func (a *Adapter) runPolling(ctx context.Context, cancelWork context.CancelFunc) error {
	tr := newTracker(a.cfg.MaxHold, a.sender.health.downFor)
	err := a.setup(ctx, "deleteWebhook", tgbotapi.Params{"drop_pending_updates": "false"})
	if err == nil {
		a.ready.Store(true)
		err = a.pollLoop(ctx, tr)
	}
	// Shut down: no new updates, finish in-flight replies, then confirm what was finished.
	a.stopIntake(cancelWork)
	// After a 409 another poller owns the token: a getUpdates now would end its long poll.
	if off := tr.offset(); off > tr.confirmed && !errors.Is(err, ErrConflict) {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.RequestTimeout)
		tr.sending(off)
		_, cerr := a.call(cctx, "getUpdates", tgbotapi.Params{"offset": strconv.Itoa(off), "limit": "1", "timeout": "0"})
		cancel()
		if cerr != nil {
			a.log.Warn("telegram: could not confirm handled updates at shutdown; they may be redelivered", "offset", off, "err", cerr)
		} else {
			tr.confirmed = off
		}
	}
	if err != nil && errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return nil
	}
	return err
}

// setup makes a start-up call (deleteWebhook, setWebhook), retrying temporary failures, and
// publishes the command menu.
func (a *Adapter) setup(ctx context.Context, method string, params tgbotapi.Params) error {
	for try := 1; ; try++ {
		cctx, cancel := context.WithTimeout(ctx, a.cfg.RequestTimeout)
		_, err := a.call(cctx, method, params)
		cancel()
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var ae *APIError
		errors.As(err, &ae)
		switch {
		case ae != nil && (ae.Code == http.StatusUnauthorized || ae.Code == http.StatusNotFound):
			return fmt.Errorf("%w: %w", ErrUnauthorized, err)
		case ae != nil && !ae.Temporary():
			return err
		case try >= a.cfg.MaxTries:
			return fmt.Errorf("telegram start-up failed after %d tries: %w", try, err)
		}
		wait := backoff(a.cfg.MinBackoff, a.cfg.MaxBackoff, try)
		if ae != nil && ae.RetryAfter > 0 {
			wait = ae.RetryAfter
		}
		a.log.Warn("telegram start-up call failed; retrying", "method", method, "wait", wait, "err", err)
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
	cmds := tgbotapi.Params{}
	_ = cmds.AddInterface("commands", a.menu())
	cctx, cancel := context.WithTimeout(ctx, a.cfg.RequestTimeout)
	defer cancel()
	if _, err := a.call(cctx, "setMyCommands", cmds); err != nil {
		a.log.Warn("telegram: could not publish the command menu", "err", err)
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// pollLoop is the getUpdates loop. It returns ctx's error on shutdown, or a fatal error.
func (a *Adapter) pollLoop(ctx context.Context, tr *tracker) error {
	allowed, _ := json.Marshal(allowedUpdates)
	fails := 0
	for {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		room, err := a.waitRoom(ctx, tr)
		if err != nil {
			return err
		}
		if err := a.waitBacklog(ctx, tr); err != nil {
			return err
		}
		off := tr.offset()
		timeout := a.cfg.PollTimeout
		params := tgbotapi.Params{
			"limit":           strconv.Itoa(min(pollLimit, room)),
			"timeout":         strconv.Itoa(int(timeout / time.Second)),
			"allowed_updates": string(allowed),
		}
		params.AddNonZero("offset", off)
		tr.sending(off)
		cctx, cancel := context.WithTimeout(ctx, timeout+a.cfg.RequestTimeout)
		began := time.Now()
		res, err := a.call(cctx, "getUpdates", params)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			var ae *APIError
			errors.As(err, &ae)
			switch {
			case ae != nil && ae.Code == http.StatusConflict:
				a.ready.Store(false)
				return fmt.Errorf("%w: %w", ErrConflict, err)
			case ae != nil && (ae.Code == http.StatusUnauthorized || ae.Code == http.StatusNotFound):
				a.ready.Store(false)
				return fmt.Errorf("%w: %w", ErrUnauthorized, err)
			}
			fails++
			wait := backoff(a.cfg.MinBackoff, a.cfg.MaxBackoff, fails)
			if ae != nil && ae.RetryAfter > 0 {
				wait = ae.RetryAfter
			}
			a.log.Warn("telegram getUpdates failed; retrying", "wait", wait, "err", err)
			if err := sleep(ctx, wait); err != nil {
				return err
			}
			continue
		}
		fails = 0
		tr.confirmed = off
		a.ready.Store(true)
		var raws []json.RawMessage
		if err := json.Unmarshal(res, &raws); err != nil {
			a.log.Warn("telegram getUpdates returned a malformed result", "err", err)
			if err := sleep(ctx, a.cfg.MinBackoff); err != nil {
				return err
			}
			continue
		}
		if len(raws) == 0 && time.Since(began) < timeout/10 {
			// An empty answer long before the timeout (a proxy ignoring long polling):
			// pause rather than spin.
			if err := sleep(ctx, max(a.cfg.MinBackoff, 100*time.Millisecond)); err != nil {
				return err
			}
			continue
		}
		fresh := 0
		for _, raw := range raws {
			in, ok, derr := decodeUpdate(raw)
			if derr != nil {
				a.log.Warn("telegram update without an id skipped", "err", derr)
				continue
			}
			if !tr.start(in.ID) {
				continue
			}
			fresh++
			if !ok {
				a.log.Warn("telegram update not decodable; skipped", "update_id", in.ID)
				tr.finish(in.ID, true)
				continue
			}
			id := in.ID
			done := func(finished bool) {
				if !tr.finish(id, finished) {
					a.log.Error("telegram update cut short at shutdown after its offset was confirmed; its reply is lost", "update_id", id)
					if a.cfg.OnReplyDropped != nil {
						a.cfg.OnReplyDropped()
					}
				}
			}
			if err := a.accept(ctx, in, done, nil); err != nil {
				tr.finish(id, false)
				return ctx.Err()
			}
		}
		if fresh == 0 && tr.backlog() > 0 {
			// Only updates still being answered came back: wait for one to finish rather
			// than asking again at once.
			select {
			case <-tr.changed():
			case <-time.After(time.Second):
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
}

// waitRoom waits while MaxPending updates are in progress (a long Bot API outage): getUpdates
// pauses, and Telegram keeps the newer updates. It returns how many more may be taken on.
func (a *Adapter) waitRoom(ctx context.Context, tr *tracker) (int, error) {
	room := a.cfg.MaxPending - tr.inProgress()
	if room > 0 {
		return room, nil
	}
	a.log.Warn("telegram: too many updates waiting for their replies; getUpdates paused, Telegram keeps the newer ones", "in_progress", a.cfg.MaxPending-room)
	began := time.Now()
	for room <= 0 {
		changed := tr.changed()
		if room = a.cfg.MaxPending - tr.inProgress(); room > 0 {
			break
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	a.log.Info("telegram: getUpdates resumed", "paused", time.Since(began).Round(time.Millisecond))
	return room, nil
}

// waitBacklog waits (at most a second) while the next getUpdates would mostly return updates
// still being answered, so that each poll brings at least half a batch of new ones.
func (a *Adapter) waitBacklog(ctx context.Context, tr *tracker) error {
	if tr.backlog() <= pollLimit/2 {
		return nil
	}
	limit := time.NewTimer(time.Second)
	defer limit.Stop()
	for tr.backlog() > pollLimit/2 {
		select {
		case <-tr.changed():
		case <-limit.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
