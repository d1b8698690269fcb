package discordtest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"
)

// Signer signs interaction requests as Discord does: Ed25519 over the timestamp followed by
// the body, in the X-Signature-Ed25519 and X-Signature-Timestamp headers. Its key is made for
// the test; give PublicKey to the adapter (Config.PublicKey, DISCORD_PUBLIC_KEY).
type Signer struct {
	Private ed25519.PrivateKey
	Public  ed25519.PublicKey
}

// NewSigner returns a Signer with a fresh key pair.
func NewSigner() *Signer {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		panic("discordtest: " + err.Error()) // crypto/rand does not fail
	}
	return &Signer{Private: priv, Public: pub}
}

// PublicKey is the public key in hex, as Discord's developer portal shows it.
func (s *Signer) PublicKey() string { return hex.EncodeToString(s.Public) }

// Sign sets req's signature headers for body signed at time at.
func (s *Signer) Sign(req *http.Request, body []byte, at time.Time) {
	stamp := strconv.FormatInt(at.Unix(), 10)
	msg := make([]byte, 0, len(stamp)+len(body))
	msg = append(append(msg, stamp...), body...)
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(s.Private, msg)))
	req.Header.Set("X-Signature-Timestamp", stamp)
}

// NewRequest returns a POST of the interaction body to url, signed now.
func (s *Signer) NewRequest(ctx context.Context, url string, body []byte) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	s.Sign(req, body, time.Now())
	return req, nil
}
