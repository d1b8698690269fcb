package telegram

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"
)

// SecretHeader is the header carrying the webhook's secret_token.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// runWebhook registers the webhook (with secret_token, which the library's WebhookConfig
// lacks) and serves until ctx is done.
func (a *Adapter) runWebhook(ctx context.Context) error {
	allowed, _ := json.Marshal(allowedUpdates)
	params := map[string]string{
		"url":             a.cfg.WebhookURL,
		"secret_token":    a.cfg.WebhookSecret,
		"allowed_updates": string(allowed),
		"max_connections": strconv.Itoa(a.cfg.WebhookMaxConnections),
	}
	if err := a.setup(ctx, "setWebhook", params); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	a.ready.Store(true)
	<-ctx.Done()
	return nil
}

// WebhookHandler returns the handler Telegram posts updates to (mount it at the path of
// WebhookURL). It accepts POST only (405), checks the secret header in constant time (401),
// limits the body (413) and rejects malformed JSON (400). A valid update is acknowledged
// (200) only once it is answered — its replies sent, or refused by Telegram for good (a user
// who blocked the bot) — or needs no answer. Otherwise it is handed back with 503 so that
// Telegram delivers it again, to this replica or another: while the adapter is not running
// (before Run, after shutdown began), when its replies were cut short by shutdown, when they
// failed on every try, or when they could not be sent within WebhookReplyTimeout (then they
// are called off). Holding the request until then is the back-pressure: Telegram keeps at
// most WebhookMaxConnections requests open, so a slow Bot API slows intake instead of losing
// replies.
func (a *Adapter) WebhookHandler() http.Handler {
	want := sha256.Sum256([]byte(a.cfg.WebhookSecret))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := sha256.Sum256([]byte(r.Header.Get(SecretHeader)))
		if a.cfg.WebhookSecret == "" || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, a.cfg.MaxWebhookBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "could not read the request body", http.StatusBadRequest)
			return
		}
		in, ok, err := decodeUpdate(body)
		if err != nil {
			http.Error(w, "malformed update: "+err.Error(), http.StatusBadRequest)
			return
		}
		if !ok {
			// Valid JSON the library cannot decode: acknowledge, or Telegram retries forever.
			a.log.Warn("telegram webhook update not decodable; skipped", "update_id", in.ID)
			w.WriteHeader(http.StatusOK)
			return
		}
		hold, giveUp := context.WithCancel(r.Context()) // Telegram hanging up also gives up
		defer giveUp()
		result := make(chan bool, 1)
		if err := a.accept(r.Context(), in, func(finished bool) { result <- finished }, hold); err != nil {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		if a.awaitAnswer(hold, giveUp, result) {
			w.WriteHeader(http.StatusOK)
			return
		}
		a.log.Info("telegram webhook update not answered; handed back for redelivery (503)", "update_id", in.ID)
		w.Header().Set("Retry-After", "1")
		http.Error(w, "update not answered yet; deliver it again", http.StatusServiceUnavailable)
	})
}

// webhookCallOffGrace bounds the wait for an update cut short by its webhook request to
// report back: calling off its sends takes moments.
const webhookCallOffGrace = 2 * time.Second

// awaitAnswer waits for an update's result and reports whether it was finished. After
// WebhookReplyTimeout, or when hold ends (Telegram hung up), it gives the update up: its
// sends are called off, and what had been sent by then decides.
func (a *Adapter) awaitAnswer(hold context.Context, giveUp context.CancelFunc, result <-chan bool) bool {
	t := time.NewTimer(a.cfg.WebhookReplyTimeout)
	defer t.Stop()
	select {
	case ok := <-result:
		return ok
	case <-t.C:
	case <-hold.Done():
	}
	giveUp()
	grace := time.NewTimer(webhookCallOffGrace)
	defer grace.Stop()
	select {
	case ok := <-result:
		return ok
	case <-grace.C:
		return false
	}
}
