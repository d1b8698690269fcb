package redis

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"transcriptbot/bot/flood"
)

// floodStep is one Take at an offset from the case's start, with the verdict wanted.
type floodStep struct {
	at   time.Duration
	want flood.Verdict
	rule *flood.Rule // overrides the case's rule for this step
}

var (
	A = flood.Allow
	T = flood.Throttle
	S = flood.Silence
)

// floodCases are run against flood.MemoryStore and FloodStore alike.
var floodCases = []struct {
	name     string
	rule     flood.Rule
	cooldown time.Duration
	steps    []floodStep
}{
	{"burst then throttle then silence", flood.Rule{Rate: 1, Burst: 3}, 10 * time.Second, []floodStep{
		{0, A, nil}, {0, A, nil}, {0, A, nil}, {0, T, nil}, {0, S, nil}, {time.Second, S, nil},
	}},
	{"served again after the cooldown", flood.Rule{Rate: 1, Burst: 2}, 5 * time.Second, []floodStep{
		{0, A, nil}, {0, A, nil}, {0, T, nil}, {4999 * time.Millisecond, S, nil},
		{5 * time.Second, A, nil}, {5 * time.Second, A, nil}, {5 * time.Second, T, nil},
	}},
	{"a muted key is not charged", flood.Rule{Rate: 0.5, Burst: 1}, 2 * time.Second, []floodStep{
		{0, A, nil}, {0, T, nil}, {time.Second, S, nil}, {1500 * time.Millisecond, S, nil},
		// 2 s after the first event the bucket has one token again: the silenced events cost none.
		{2 * time.Second, A, nil}, {2 * time.Second, T, nil},
	}},
	{"refill at the rate", flood.Rule{Rate: 2, Burst: 2}, 100 * time.Millisecond, []floodStep{
		{0, A, nil}, {0, A, nil}, {0, T, nil},
		{400 * time.Millisecond, T, nil}, // 0.8 tokens
		{time.Second, A, nil}, {time.Second, A, nil}, {time.Second, T, nil},
		// None left at 1 s, 1.2 at 1.6 s.
		{1600 * time.Millisecond, A, nil}, {1600 * time.Millisecond, T, nil},
		{3 * time.Second, A, nil}, {3 * time.Second, A, nil}, {3 * time.Second, T, nil},
	}},
	{"fractional tokens carry over", flood.Rule{Rate: 3, Burst: 1}, time.Nanosecond, []floodStep{
		{0, A, nil}, {200 * time.Millisecond, T, nil}, {333333333 * time.Nanosecond, A, nil},
		{500 * time.Millisecond, T, nil}, {666666667 * time.Nanosecond, A, nil},
	}},
	{"a slow sender is never limited", flood.Rule{Rate: 1, Burst: 1}, time.Minute, []floodStep{
		{0, A, nil}, {time.Second, A, nil}, {2 * time.Second, A, nil}, {3 * time.Second, A, nil},
	}},
	{"zero rate never refills", flood.Rule{Rate: 0, Burst: 2}, time.Second, []floodStep{
		{0, A, nil}, {time.Minute, A, nil}, {2 * time.Minute, T, nil}, {3 * time.Minute, T, nil},
	}},
	{"infinite rate allows everything", flood.Rule{Rate: rate.Inf, Burst: 1}, time.Second, []floodStep{
		{0, A, nil}, {0, A, nil}, {0, A, nil},
	}},
	{"disabled rule allows everything", flood.Rule{Rate: 1, Burst: 0}, time.Second, []floodStep{
		{0, A, nil}, {0, A, nil}, {0, A, nil},
	}},
	{"zero cooldown throttles every refusal", flood.Rule{Rate: 1, Burst: 1}, 0, []floodStep{
		{0, A, nil}, {0, T, nil}, {0, T, nil}, {time.Second, A, nil},
	}},
	{"clock going back counts no time", flood.Rule{Rate: 1, Burst: 1}, time.Nanosecond, []floodStep{
		// The refusal at 5 s changes nothing, so at 6 s the bucket is still as it was at 10 s.
		{10 * time.Second, A, nil}, {5 * time.Second, T, nil}, {6 * time.Second, T, nil},
		{11 * time.Second, A, nil}, {11 * time.Second, T, nil},
	}},
	{"a new rule starts a fresh bucket but keeps the mute", flood.Rule{Rate: 1, Burst: 1}, 10 * time.Second, []floodStep{
		{0, A, nil}, {0, T, nil},
		{time.Second, S, &flood.Rule{Rate: 1, Burst: 5}},
		{10 * time.Second, A, &flood.Rule{Rate: 1, Burst: 5}},
		{10 * time.Second, A, nil}, {10 * time.Second, T, nil},
	}},
}

func TestFloodAgreesWithMemoryStore(t *testing.T) {
	c := newClient(t)
	ctx := context.Background()
	start := time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.UTC)
	for _, tc := range floodCases {
		t.Run(tc.name, func(t *testing.T) {
			mem := flood.NewMemoryStore(flood.MemoryOptions{})
			red := c.Flood(FloodOptions{Prefix: testPrefix(t)})
			for i, st := range tc.steps {
				rule := tc.rule
				if st.rule != nil {
					rule = *st.rule
				}
				now := start.Add(st.at)
				gotMem, err := mem.Take(ctx, "user:1", rule, tc.cooldown, now)
				if err != nil {
					t.Fatalf("step %d: memory: %v", i, err)
				}
				gotRed, err := red.Take(ctx, "user:1", rule, tc.cooldown, now)
				if err != nil {
					t.Fatalf("step %d: redis: %v", i, err)
				}
				if gotMem != st.want {
					t.Errorf("step %d (+%v): memory: got %q, want %q", i, st.at, gotMem, st.want)
				}
				if gotRed != st.want {
					t.Errorf("step %d (+%v): redis: got %q, want %q", i, st.at, gotRed, st.want)
				}
			}
		})
	}
}

// TestFloodAgreesRandomly drives both stores with the same pseudo-random event stream (a fixed
// seed) over several keys and rules and wants the same verdict for every event.
func TestFloodAgreesRandomly(t *testing.T) {
	c := newClient(t)
	ctx := context.Background()
	rules := []flood.Rule{{Rate: 1, Burst: 3}, {Rate: 0.3, Burst: 1}, {Rate: 5.5, Burst: 4}, {Rate: 1.0 / 3, Burst: 2}}
	for seed := uint64(1); seed <= 4; seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		mem := flood.NewMemoryStore(flood.MemoryOptions{})
		red := c.Flood(FloodOptions{Prefix: testPrefix(t)})
		now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		counts := map[flood.Verdict]int{}
		for i := range 400 {
			now = now.Add(time.Duration(rng.ExpFloat64() * float64(150*time.Millisecond)))
			key := []string{"a", "b", "c"}[rng.IntN(3)]
			rule := rules[int(seed)%len(rules)]
			if rng.IntN(50) == 0 {
				rule = rules[rng.IntN(len(rules))]
			}
			cooldown := time.Duration(rng.IntN(3000)) * time.Millisecond
			gotMem, _ := mem.Take(ctx, key, rule, cooldown, now)
			gotRed, err := red.Take(ctx, key, rule, cooldown, now)
			if err != nil {
				t.Fatalf("seed %d event %d: %v", seed, i, err)
			}
			if gotRed != gotMem {
				t.Fatalf("seed %d event %d (key %s, rule %+v): redis got %q, memory got %q", seed, i, key, rule, gotRed, gotMem)
			}
			counts[gotMem]++
		}
		if counts[A] == 0 || counts[T] == 0 {
			t.Errorf("seed %d: the stream should exercise allow and throttle, got %v", seed, counts)
		}
	}
}

// TestFloodAcrossReplicas floods one user through two clients (two replicas) at once: the
// burst is allowed once in total, one event is throttled and the rest are silenced.
func TestFloodAcrossReplicas(t *testing.T) {
	prefix := testPrefix(t)
	stores := []*FloodStore{newClient(t).Flood(FloodOptions{Prefix: prefix}), newClient(t).Flood(FloodOptions{Prefix: prefix})}
	other := stores[1]
	rule := flood.Rule{Rate: 0.01, Burst: 5}
	now := time.Now()
	ctx := context.Background()
	var (
		mu     sync.Mutex
		counts = map[flood.Verdict]int{}
		wg     sync.WaitGroup
	)
	for w := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				v, err := stores[w%2].Take(ctx, "user:telegram:42", rule, time.Minute, now)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				counts[v]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	want := map[flood.Verdict]int{A: 5, T: 1, S: 44}
	for _, v := range []flood.Verdict{A, T, S} {
		if counts[v] != want[v] {
			t.Errorf("%s: got %d, want %d", v, counts[v], want[v])
		}
	}
	// Another user is not affected.
	if v, err := other.Take(ctx, "user:telegram:7", rule, time.Minute, now); err != nil || v != A {
		t.Errorf("other user: got %q (%v), want %q", v, err, A)
	}
}

func TestFloodBadRule(t *testing.T) {
	c := newClient(t)
	s := c.Flood(FloodOptions{Prefix: testPrefix(t)})
	_, err := s.Take(context.Background(), "k", flood.Rule{Rate: rate.Limit(math.NaN()), Burst: 1}, time.Second, time.Now())
	if !errors.Is(err, ErrBadRule) {
		t.Errorf("got %v, want ErrBadRule", err)
	}
}

func TestFloodKeyExpires(t *testing.T) {
	c := newClient(t)
	prefix := testPrefix(t)
	s := c.Flood(FloodOptions{Prefix: prefix, Idle: time.Millisecond})
	ctx := context.Background()
	if _, err := s.Take(ctx, "k", flood.Rule{Rate: 1000, Burst: 1}, time.Millisecond, time.Now()); err != nil {
		t.Fatal(err)
	}
	ttl, err := c.rdb.PTTL(ctx, prefix+"k").Result()
	if err != nil {
		t.Fatal(err)
	}
	if ttl <= 0 || ttl > 2*time.Second {
		t.Errorf("key expiry: got %v, want a little over a second", ttl)
	}
}

func BenchmarkFloodTake(b *testing.B) {
	c := newClient(b)
	s := c.Flood(FloodOptions{Prefix: testPrefix(b)})
	ctx := context.Background()
	rule := flood.Rule{Rate: 1e6, Burst: 1000}
	now := time.Now()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := s.Take(ctx, "user", rule, time.Second, now.Add(time.Duration(i)*time.Microsecond)); err != nil {
			b.Fatal(err)
		}
	}
}
