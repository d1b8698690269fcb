package redis

import (
	"context"
	"testing"
	"time"

	"transcriptbot/bot"
	"transcriptbot/bot/bottest"
	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

func TestTurnStore(t *testing.T) {
	c := newClient(t)
	ctx := context.Background()
	s := c.Turns(TurnsOptions{Prefix: testPrefix(t)})
	if _, ok, err := s.LoadTurn(ctx, "k"); ok || err != nil {
		t.Fatalf("empty store: ok %v, err %v", ok, err)
	}
	if err := s.SaveTurn(ctx, "k", []byte("t1 one"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveTurn(ctx, "k:2", []byte("other"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := s.LoadTurn(ctx, "k"); !ok || err != nil || string(v) != "t1 one" {
		t.Fatalf("got %q (ok=%v, err=%v), want %q", v, ok, err, "t1 one")
	}
	// The ttl is Redis's own: check it is set, without waiting for it to pass.
	pttl, err := c.rdb.PTTL(ctx, s.prefix+"k").Result()
	if err != nil || pttl <= 0 || pttl > time.Minute {
		t.Errorf("PTTL: got %v (err %v), want in (0, 1m]", pttl, err)
	}
	if err := s.SaveTurn(ctx, "k", nil, 0); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.LoadTurn(ctx, "k"); ok {
		t.Errorf("a zero ttl did not forget the turn")
	}
	if v, ok, _ := s.LoadTurn(ctx, "k:2"); !ok || string(v) != "other" {
		t.Errorf("another key was touched: got %q (ok=%v)", v, ok)
	}
}

// TestTurnsAcrossReplicas: a menu shown by one replica is followed up on another.
func TestTurnsAcrossReplicas(t *testing.T) {
	m, err := matcher.New(transcript.Default(), matcher.Options{Threshold: bottest.MenuThreshold})
	if err != nil {
		t.Fatal(err)
	}
	prefix := testPrefix(t)
	a := bot.New(m, bot.Options{Turns: newClient(t).Turns(TurnsOptions{Prefix: prefix})})
	b := bot.New(m, bot.Options{Turns: newClient(t).Turns(TurnsOptions{Prefix: prefix})})
	ctx := context.Background()
	req := bot.Request{Kind: bot.KindMessage, Platform: "telegram", ChatID: "42", UserID: "7", Private: true}

	var menu bot.Reply
	for _, q := range bottest.MenuCandidates {
		req.Text = q
		if menu = a.Handle(ctx, req); menu.Kind == bot.ReplyAmbiguous && len(menu.Actions) >= 3 {
			break
		}
	}
	if menu.Kind != bot.ReplyAmbiguous || len(menu.Actions) < 3 {
		t.Fatal("no query gives a did-you-mean menu: update bottest.MenuCandidates")
	}
	req.Text = "the second one"
	got := b.Handle(ctx, req)
	want := a.Handle(ctx, bot.Request{Kind: bot.KindButton, Action: menu.Actions[1].ID})
	if got.Kind != bot.ReplyByNumber || got.Number != want.Number {
		t.Fatalf("replica b: got %v %d, want question %d (choice 2 of replica a's menu)", got.Kind, got.Number, want.Number)
	}
}
