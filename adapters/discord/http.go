package discord

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// InteractionsHandler returns the HTTP handler for Discord's interactions endpoint (mounted at
// /discord/interactions). It verifies the Ed25519 signature and the timestamp's freshness,
// limits the body size, answers PING, refuses a replayed interaction (an id already answered
// within the signature window), and returns answers in the HTTP response when they are ready
// within the answer window, deferring otherwise. Interactions are decoded tolerantly: unknown
// fields and component types are ignored. Every refusal is logged at level Warn with its
// reason. With Config.Dedup shared (Redis), replicas can share the endpoint behind a load
// balancer.
func (a *Adapter) InteractionsHandler() http.Handler {
	return http.HandlerFunc(a.serveHTTP)
}

// refuse answers a request with an error status and logs why, at level Warn.
func (a *Adapter) refuse(w http.ResponseWriter, r *http.Request, status int, reason string, attrs ...any) {
	a.log.Warn("discord: interaction refused", append([]any{"status", status, "reason", reason, "remote", r.RemoteAddr}, attrs...)...)
	http.Error(w, reason, status)
}

func (a *Adapter) serveHTTP(w http.ResponseWriter, r *http.Request) {
	wrote := false
	defer func() {
		if p := recover(); p != nil {
			a.logPanic("interactions endpoint", p)
			if !wrote {
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}
	}()
	if a.pubKey == nil {
		a.refuse(w, r, http.StatusNotFound, "discord interactions are not configured (no public key)")
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		a.refuse(w, r, http.StatusMethodNotAllowed, "method not allowed", "method", r.Method)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, a.cfg.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			a.refuse(w, r, http.StatusRequestEntityTooLarge, "request body too large", "limit", a.cfg.MaxBodyBytes)
			return
		}
		a.refuse(w, r, http.StatusBadRequest, "cannot read request body", "err", err)
		return
	}
	if reason := a.verify(r.Header, body); reason != "" {
		a.refuse(w, r, http.StatusUnauthorized, "invalid request signature: "+reason)
		return
	}
	i, err := decodeInteraction(body)
	if err != nil {
		var id string
		if i != nil {
			id = i.ID
		}
		a.refuse(w, r, http.StatusBadRequest, err.Error(), "interaction", id)
		return
	}
	writeJSON := func(v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/json")
		wrote = true
		if _, err := w.Write(b); err != nil {
			return err
		}
		// Send it now: a deferred acknowledgement must reach Discord before the follow-up.
		_ = http.NewResponseController(w).Flush()
		return nil
	}
	if i.Type == discordgo.InteractionPing {
		_ = writeJSON(response{Type: discordgo.InteractionResponsePong}.wire())
		return
	}
	// A signed request replayed within the signature window: answer each id once.
	if first, _ := a.replays.FirstSeen(r.Context(), i.ID); !first || !a.claim(r.Context(), "interaction:"+i.ID) {
		a.refuse(w, r, http.StatusConflict, "interaction already received (a replayed request)", "interaction", i.ID)
		return
	}
	a.serve(r.Context(), i, a.cfg.AnswerWindow, func(resp response) error { return writeJSON(resp.wire()) })
}

// verify checks the request signature and timestamp; it returns "" when they are good, or
// a short reason (safe to show) when not.
func (a *Adapter) verify(h http.Header, body []byte) string {
	sig, err := hex.DecodeString(h.Get("X-Signature-Ed25519"))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return "missing or malformed X-Signature-Ed25519"
	}
	ts := h.Get("X-Signature-Timestamp")
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return "missing or malformed X-Signature-Timestamp"
	}
	skew := a.now().Sub(time.Unix(secs, 0))
	if skew < 0 {
		skew = -skew
	}
	if skew > a.cfg.MaxTimestampSkew {
		return "timestamp too old or in the future"
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	if !ed25519.Verify(a.pubKey, msg, sig) {
		return "signature does not match"
	}
	return ""
}
