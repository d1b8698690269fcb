package telegram

import (
	"context"
	"io"
	"log/slog"
	"testing"
)

// BenchmarkPollingThroughput measures updates answered per second through the whole adapter
// (getUpdates, routing, handler, rendering, send queue, sendMessage) against the fake Bot API
// on loopback, across 200 chats with the rate limits lifted.
func BenchmarkPollingThroughput(b *testing.B) {
	e := newEnv(b)
	e.cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := New(context.Background(), e.cfg, e.h)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		chat := int64(1 + i%200)
		e.fake.Push(message(msg(i+1, privateChat(chat), chat, "what about the summit?")))
	}
	b.ResetTimer()
	stop := run(b, a)
	waitFor(b, "all answers", func() bool { return e.fake.Count("sendMessage") >= b.N })
	b.StopTimer()
	_ = stop()
}
