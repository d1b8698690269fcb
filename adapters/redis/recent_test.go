package redis

import (
	"context"
	"errors"
	"testing"
	"time"

	"transcriptbot/adapters/recent"
)

func TestRecentStore(t *testing.T) {
	type step struct {
		sleep    time.Duration
		remember bool
		chat     string
		question int
		msg      string // Remember: the id; Lookup: the id wanted ("" = none)
		ttl      time.Duration
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"nothing remembered", []step{{chat: "g", question: 1}}},
		{"remembered then found", []step{
			{remember: true, chat: "g", question: 1, msg: "m1", ttl: time.Minute},
			{chat: "g", question: 1, msg: "m1"},
		}},
		{"other chat and question are separate", []step{
			{remember: true, chat: "g", question: 1, msg: "m1", ttl: time.Minute},
			{chat: "h", question: 1},
			{chat: "g", question: 2},
		}},
		{"chat ids with separators stay apart", []step{
			{remember: true, chat: "1:g", question: 2, msg: "m1", ttl: time.Minute},
			{chat: "g", question: 21},
			{chat: "1:g", question: 2, msg: "m1"},
		}},
		{"a later answer replaces the earlier", []step{
			{remember: true, chat: "g", question: 1, msg: "m1", ttl: time.Minute},
			{remember: true, chat: "g", question: 1, msg: "m2", ttl: time.Minute},
			{chat: "g", question: 1, msg: "m2"},
		}},
		{"zero ttl forgets", []step{
			{remember: true, chat: "g", question: 1, msg: "m1", ttl: time.Minute},
			{remember: true, chat: "g", question: 1, ttl: 0},
			{chat: "g", question: 1},
		}},
		{"expires", []step{
			{remember: true, chat: "g", question: 1, msg: "m1", ttl: 50 * time.Millisecond},
			{sleep: 120 * time.Millisecond, chat: "g", question: 1},
		}},
	}
	c := newClient(t)
	ctx := context.Background()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s recent.Store = c.Recent(RecentOptions{Prefix: testPrefix(t)})
			for i, st := range tc.steps {
				time.Sleep(st.sleep)
				if st.remember {
					if err := s.Remember(ctx, st.chat, st.question, st.msg, st.ttl); err != nil {
						t.Fatalf("step %d: %v", i, err)
					}
					continue
				}
				got, ok, err := s.Lookup(ctx, st.chat, st.question)
				if err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				if got != st.msg || ok != (st.msg != "") {
					t.Errorf("step %d: Lookup(%q, %d): got %q (ok=%v), want %q", i, st.chat, st.question, got, ok, st.msg)
				}
			}
		})
	}
}

// TestRecentAcrossReplicas: what one replica remembers, the other finds.
func TestRecentAcrossReplicas(t *testing.T) {
	prefix := testPrefix(t)
	a := newClient(t).Recent(RecentOptions{Prefix: prefix})
	b := newClient(t).Recent(RecentOptions{Prefix: prefix})
	ctx := context.Background()
	if err := a.Remember(ctx, "-100123", 4, "777", recent.DefaultTTL); err != nil {
		t.Fatal(err)
	}
	got, ok, err := b.Lookup(ctx, "-100123", 4)
	if err != nil || !ok || got != "777" {
		t.Errorf("got %q (ok=%v, err=%v), want %q", got, ok, err, "777")
	}
}

func TestRecentEmptyMessage(t *testing.T) {
	s := newClient(t).Recent(RecentOptions{Prefix: testPrefix(t)})
	if err := s.Remember(context.Background(), "g", 1, "", time.Minute); !errors.Is(err, recent.ErrNoMessage) {
		t.Errorf("got %v, want recent.ErrNoMessage", err)
	}
}
