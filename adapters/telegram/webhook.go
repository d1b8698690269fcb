package telegram

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
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
		"max_connections": "40",
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
// limits the body (413), rejects malformed JSON (400), and answers 200 as soon as the update
// is queued for handling (503 while the adapter is not running, so Telegram retries later).
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
		if err := a.accept(r.Context(), in, nil); err != nil {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}
