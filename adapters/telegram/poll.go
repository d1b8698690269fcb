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
// when it and every update before it are finished.
type tracker struct {
	mu        sync.Mutex
	next      int          // one past the highest update id seen
	open      map[int]bool // taken on and not finished (or cut short by shutdown)
	finished  map[int]bool // finished while an earlier one is still open
	progress  chan struct{}
	confirmed int // the offset last sent to Telegram; used by the polling goroutine only
}

func newTracker() *tracker {
	return &tracker{open: map[int]bool{}, finished: map[int]bool{}, progress: make(chan struct{})}
}

// offset is the getUpdates offset that confirms exactly the finished prefix.
func (t *tracker) offset() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.offsetLocked()
}

func (t *tracker) offsetLocked() int {
	off := t.next
	for id := range t.open {
		off = min(off, id)
	}
	for id := range t.finished {
		if id < off {
			delete(t.finished, id)
		}
	}
	return off
}

// start reports whether id is new (not taken on before), and takes it on.
func (t *tracker) start(id int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if id < t.offsetLocked() || t.open[id] || t.finished[id] {
		return false
	}
	t.open[id] = true
	t.next = max(t.next, id+1)
	return true
}

// finish marks id finished; an unfinished (cut short) id stays open so it is not confirmed.
func (t *tracker) finish(id int, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if ok {
		delete(t.open, id)
		t.finished[id] = true
	}
	close(t.progress)
	t.progress = make(chan struct{})
}

// changed returns a channel closed at the next finish.
func (t *tracker) changed() <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.progress
}

func (t *tracker) busy() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.open) > 0
}

// runPolling deletes any webhook, then long-polls until ctx is done or a fatal error.
func (a *Adapter) runPolling(ctx context.Context, cancelWork context.CancelFunc) error {
	tr := newTracker()
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
			return fmt.Errorf("%w: %v", ErrUnauthorized, err)
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
	_ = cmds.AddInterface("commands", commands)
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
		off := tr.offset()
		timeout := a.cfg.PollTimeout
		params := tgbotapi.Params{
			"limit":           strconv.Itoa(pollLimit),
			"timeout":         strconv.Itoa(int(timeout / time.Second)),
			"allowed_updates": string(allowed),
		}
		params.AddNonZero("offset", off)
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
				return fmt.Errorf("%w: %v", ErrConflict, err)
			case ae != nil && (ae.Code == http.StatusUnauthorized || ae.Code == http.StatusNotFound):
				a.ready.Store(false)
				return fmt.Errorf("%w: %v", ErrUnauthorized, err)
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
			if err := a.accept(ctx, in, func(finished bool) { tr.finish(id, finished) }); err != nil {
				tr.finish(id, false)
				return ctx.Err()
			}
		}
		if fresh == 0 && tr.busy() {
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
