package discord

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"transcriptbot/adapters/discord/discordtest"
	"transcriptbot/bot"
)

// BenchmarkRender measures turning a typical answer into a Discord message.
func BenchmarkRender(b *testing.B) {
	a, err := New(Config{PublicKey: strings.Repeat("ab", 32), Source: testSource}, &fakeHandler{})
	if err != nil {
		b.Fatal(err)
	}
	r := defaultReply(bot.Request{Kind: bot.KindCommand, Command: "ask", Text: "hong kong"})
	r.Body = append(r.Body, bot.Span{Text: strings.Repeat("The spokesperson answered at length about cooperation. ", 20)})
	b.ReportAllocs()
	for b.Loop() {
		m := a.render(r)
		if len(m.Embeds) != 1 {
			b.Fatal("no embed")
		}
	}
}

// BenchmarkInteractionsEndpoint measures one signed /ask through the HTTP endpoint (signature
// check, decoding, the bot stand-in, rendering and encoding), answered in the response.
func BenchmarkInteractionsEndpoint(b *testing.B) {
	benchmarkEndpoint(b, &fakeHandler{})
}

// BenchmarkInteractionsEndpointRealBot is the same with the real bot core and matcher on the
// default transcript.
func BenchmarkInteractionsEndpointRealBot(b *testing.B) {
	bt, _ := realBot(b)
	benchmarkEndpoint(b, bt)
}

func benchmarkEndpoint(b *testing.B, handler bot.Handler) {
	signer := discordtest.NewSigner()
	now := time.Now()
	a, err := New(Config{PublicKey: signer.PublicKey(), Source: testSource, Now: func() time.Time { return now }}, handler)
	if err != nil {
		b.Fatal(err)
	}
	h := a.InteractionsHandler()
	body := []byte(`{"id":"1101","type":2,"token":"t","application_id":"9001","guild_id":"7001","channel_id":"8001",` +
		`"member":{"user":{"id":"5001","username":"alice"}},"version":1,` +
		`"data":{"id":"3001","name":"ask","type":1,"options":[{"name":"question","type":3,"value":"what about Hong Kong"}]}}`)
	signed := httptest.NewRequest(http.MethodPost, "/discord/interactions", nil)
	signer.Sign(signed, body, now)
	sig, stamp := signed.Header.Get("X-Signature-Ed25519"), signed.Header.Get("X-Signature-Timestamp")
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/discord/interactions", bytes.NewReader(body))
		req.Header.Set("X-Signature-Ed25519", sig)
		req.Header.Set("X-Signature-Timestamp", stamp)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}
