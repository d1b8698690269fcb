package redis

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestDeduper(t *testing.T) {
	type step struct {
		op   string // "first", "forget"
		key  string
		want bool // first: the result
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"first then seen", []step{{"first", "1", true}, {"first", "1", false}, {"first", "1", false}}},
		{"keys are separate", []step{{"first", "1", true}, {"first", "2", true}, {"first", "1", false}}},
		{"forget lets a redelivery through", []step{
			{"first", "1", true}, {"forget", "1", false}, {"first", "1", true}, {"first", "1", false},
		}},
		{"forget of an unknown key", []step{{"forget", "9", false}, {"first", "9", true}}},
	}
	c := newClient(t)
	ctx := context.Background()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := c.Deduper(DedupOptions{Prefix: testPrefix(t)})
			for i, st := range tc.steps {
				switch st.op {
				case "first":
					got, err := d.FirstSeen(ctx, st.key)
					if err != nil {
						t.Fatalf("step %d: %v", i, err)
					}
					if got != st.want {
						t.Errorf("step %d: FirstSeen(%q): got %v, want %v", i, st.key, got, st.want)
					}
				case "forget":
					if err := d.Forget(ctx, st.key); err != nil {
						t.Fatalf("step %d: %v", i, err)
					}
				}
			}
		})
	}
}

func TestDeduperPrefixAndTTL(t *testing.T) {
	c := newClient(t)
	ctx := context.Background()
	prefix := testPrefix(t)
	tg := c.Deduper(DedupOptions{Prefix: prefix + "telegram:", TTL: time.Hour})
	dc := c.Deduper(DedupOptions{Prefix: prefix + "discord:"})
	for _, d := range []*Deduper{tg, dc} {
		if first, err := d.FirstSeen(ctx, "100"); err != nil || !first {
			t.Fatalf("FirstSeen under its own prefix: got %v (%v), want true", first, err)
		}
	}
	for key, want := range map[string]time.Duration{"telegram:100": time.Hour, "discord:100": DefaultDedupTTL} {
		ttl, err := c.rdb.PTTL(ctx, prefix+key).Result()
		if err != nil {
			t.Fatal(err)
		}
		if ttl <= want-time.Minute || ttl > want {
			t.Errorf("%s: expiry got %v, want about %v", key, ttl, want)
		}
	}
	short := c.Deduper(DedupOptions{Prefix: prefix + "short:", TTL: 50 * time.Millisecond})
	if first, _ := short.FirstSeen(ctx, "x"); !first {
		t.Fatal("first FirstSeen: got false, want true")
	}
	time.Sleep(120 * time.Millisecond)
	if first, err := short.FirstSeen(ctx, "x"); err != nil || !first {
		t.Errorf("FirstSeen after the TTL: got %v (%v), want true", first, err)
	}
}

// TestDeduperReplicasRace has two replicas (two clients) race FirstSeen on the same keys:
// exactly one wins each key.
func TestDeduperReplicasRace(t *testing.T) {
	prefix := testPrefix(t)
	replicas := []*Deduper{
		newClient(t).Deduper(DedupOptions{Prefix: prefix}),
		newClient(t).Deduper(DedupOptions{Prefix: prefix}),
	}
	const keys = 300
	var wins [keys]atomic.Int32
	var wg sync.WaitGroup
	ctx := context.Background()
	for w := range 8 { // four goroutines per replica, each trying every key
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := replicas[w%2]
			for k := range keys {
				first, err := d.FirstSeen(ctx, fmt.Sprint("update:", (k+w*37)%keys))
				if err != nil {
					t.Error(err)
					return
				}
				if first {
					wins[(k+w*37)%keys].Add(1)
				}
			}
		}()
	}
	wg.Wait()
	for k := range keys {
		if got := wins[k].Load(); got != 1 {
			t.Errorf("key %d: got %d winners, want 1", k, got)
		}
	}
}

// TestDeduperClosed: when Redis is gone, FirstSeen fails (the adapter then lets the event
// through).
func TestDeduperClosed(t *testing.T) {
	c := newClient(t)
	d := c.Deduper(DedupOptions{Prefix: testPrefix(t)})
	c.Close()
	if _, err := d.FirstSeen(context.Background(), "1"); err == nil {
		t.Error("FirstSeen with Redis closed: got no error")
	}
}
