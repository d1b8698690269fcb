package discord

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

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
	// Each interaction id is answered once: every iteration posts a new one, signed outside
	// the timed part.
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		n++
		body := []byte(`{"id":"` + strconv.Itoa(1000000+n) + `","type":2,"token":"t","application_id":"9001","guild_id":"7001","channel_id":"8001",` +
			`"member":{"user":{"id":"5001","username":"alice"}},"version":1,` +
			`"data":{"id":"3001","name":"ask","type":1,"options":[{"name":"question","type":3,"value":"what about Hong Kong"}]}}`)
		req := httptest.NewRequest(http.MethodPost, "/discord/interactions", bytes.NewReader(body))
		signer.Sign(req, body, now)
		rec := httptest.NewRecorder()
		b.StartTimer()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkDecodeInteraction compares the adapter's tolerant decoder with discordgo's on a
// message command whose target holds a Components V2 message (which discordgo still knows).
func BenchmarkDecodeInteraction(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("testdata", "context_menu_components_v2.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("adapter", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := decodeInteraction(raw); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("discordgo", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var i discordgo.Interaction
			if err := json.Unmarshal(raw, &i); err != nil {
				b.Fatal(err)
			}
		}
	})
}
