package redis

import (
	"context"
	"errors"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"transcriptbot/adapters/recent"
	"transcriptbot/adapters/redis/redistest"
	"transcriptbot/bot/flood"
)

// privateServer starts a redis-server of the test's own (one the test may freeze), stopped
// when the test ends, or skips when the shared one could not be started either.
func privateServer(t *testing.T) (url string, proc *os.Process) {
	t.Helper()
	if serverURL == "" {
		t.Skip(skipReason)
	}
	srv := redistest.New(t)
	return srv.URL, srv.Process
}

// healthLog records the breaker's OnHealth and OnFailure calls.
type healthLog struct {
	mu       sync.Mutex
	changes  chan bool
	failures map[string]int
}

func newHealthLog() *healthLog {
	return &healthLog{changes: make(chan bool, 16), failures: map[string]int{}}
}

func (h *healthLog) options(timeout time.Duration) Options {
	return Options{
		Timeout:  timeout,
		Cooldown: 20 * time.Millisecond,
		Trip:     2,
		OnHealth: func(up bool, err error) {
			if !up && err == nil {
				panic("OnHealth(false) without the error")
			}
			h.changes <- up
		},
		OnFailure: func(kind string) {
			h.mu.Lock()
			h.failures[kind]++
			h.mu.Unlock()
		},
	}
}

func (h *healthLog) count(kind string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.failures[kind]
}

// wait returns the next health change, failing the test after 20 seconds.
func (h *healthLog) wait(t *testing.T, want bool) {
	t.Helper()
	select {
	case up := <-h.changes:
		if up != want {
			t.Fatalf("health changed to up=%v, want up=%v", up, want)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("no health change to up=%v in 20s", want)
	}
}

// TestFrozenServer freezes the Redis server (SIGSTOP: connections stay open, nothing is
// answered), as a server stuck in a long command or a paused VM does. Every operation must
// come back with a timeout instead of hanging, the breaker must open after Trip of them so
// that the next ones are skipped without a network round trip, every store must fail open,
// and everything must work again once the server is resumed (SIGCONT).
func TestFrozenServer(t *testing.T) {
	url, proc := privateServer(t)
	h := newHealthLog()
	// Generous for a loaded test machine: the frozen server never answers anyway.
	c, err := OpenWith(context.Background(), url, h.options(500*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx := context.Background()
	prefix := testPrefix(t)
	d := c.Deduper(DedupOptions{Prefix: prefix})
	fl := c.Flood(FloodOptions{Prefix: prefix})
	rec := c.Recent(RecentOptions{Prefix: prefix})
	if first, err := d.FirstSeen(ctx, "before"); err != nil || !first {
		t.Fatalf("FirstSeen before the freeze: got %v, %v, want true, nil", first, err)
	}
	if got := c.Health(); !got.Up {
		t.Fatalf("Health before the freeze: got %+v, want up", got)
	}

	if err := proc.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	resumed := false
	resume := func() {
		if !resumed {
			resumed = true
			if err := proc.Signal(syscall.SIGCONT); err != nil {
				t.Error(err)
			}
		}
	}
	t.Cleanup(resume)

	// The first operations each wait for the timeout and fail with it.
	for i := range 2 {
		_, err := d.FirstSeen(ctx, "frozen")
		if err == nil {
			t.Fatalf("FirstSeen %d on a frozen server: got no error", i)
		}
		if errors.Is(err, ErrUnavailable) {
			t.Fatalf("FirstSeen %d: got %v before the breaker should open", i, err)
		}
	}
	if got := h.count("timeout"); got != 2 {
		t.Errorf("got %d timeouts reported, want 2 (failures: %v)", got, h.failures)
	}
	h.wait(t, false)
	health := c.Health()
	if health.Up || health.Err == nil || health.Since.IsZero() {
		t.Errorf("Health while frozen: got %+v, want down with the error and the time", health)
	}

	// The breaker is open: every store skips Redis and its caller fails open.
	if _, err := d.FirstSeen(ctx, "frozen"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("FirstSeen with the breaker open: got %v, want ErrUnavailable", err)
	}
	rule := flood.Rule{Rate: 1, Burst: 1}
	if _, err := fl.Take(ctx, "k", rule, time.Minute, time.Now()); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Take with the breaker open: got %v, want ErrUnavailable", err)
	}
	if _, _, err := rec.Lookup(ctx, "chat", 1); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Lookup with the breaker open: got %v, want ErrUnavailable", err)
	}
	if err := rec.Remember(ctx, "chat", 1, "m1", time.Minute); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Remember with the breaker open: got %v, want ErrUnavailable", err)
	}
	if got := h.count("skipped"); got != 4 {
		t.Errorf("got %d skipped operations reported, want 4", got)
	}
	if got := h.count("timeout"); got != 2 {
		t.Errorf("got %d timeouts after the breaker opened, want still 2: an open breaker must not wait", got)
	}

	// Resumed: the probe closes the breaker and the state written before the freeze is there.
	resume()
	h.wait(t, true)
	if got := c.Health(); !got.Up || got.Err != nil {
		t.Errorf("Health after the resume: got %+v, want up", got)
	}
	if first, err := d.FirstSeen(ctx, "before"); err != nil || first {
		t.Errorf("FirstSeen of a key recorded before the freeze: got %v, %v, want false, nil", first, err)
	}
	if first, err := d.FirstSeen(ctx, "after"); err != nil || !first {
		t.Errorf("FirstSeen of a new key: got %v, %v, want true, nil", first, err)
	}
}

// TestErrorReplyKeepsBreakerClosed: an error reply shows that the server answers; it must
// never open the breaker.
func TestErrorReplyKeepsBreakerClosed(t *testing.T) {
	c := newClient(t)
	h := newHealthLog()
	c.g = newGuard(Options{Trip: 1, OnHealth: h.options(0).OnHealth, OnFailure: h.options(0).OnFailure},
		func(ctx context.Context) error { return c.rdb.Ping(ctx).Err() })
	ctx := context.Background()
	prefix := testPrefix(t)
	// A string where the flood store keeps a hash: the server answers WRONGTYPE.
	if err := c.rdb.Set(ctx, prefix+"k", "x", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	fl := c.Flood(FloodOptions{Prefix: prefix})
	for range 3 {
		if _, err := fl.Take(ctx, "k", flood.Rule{Rate: 1, Burst: 1}, time.Minute, time.Now()); err == nil {
			t.Fatal("Take on a key of the wrong type: got no error")
		}
	}
	if got := c.Health(); !got.Up {
		t.Errorf("Health after error replies: got %+v, want up (the server answered)", got)
	}
	if n := h.count("timeout") + h.count("error") + h.count("skipped"); n != 0 {
		t.Errorf("got %d failures reported for error replies, want 0", n)
	}
}

// TestCallerCancelKeepsBreakerClosed: an operation whose caller gave up says nothing about
// the server.
func TestCallerCancelKeepsBreakerClosed(t *testing.T) {
	c := newClient(t)
	c.g = newGuard(Options{Trip: 1}, func(ctx context.Context) error { return c.rdb.Ping(ctx).Err() })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	d := c.Deduper(DedupOptions{Prefix: testPrefix(t)})
	if _, err := d.FirstSeen(ctx, "k"); err == nil {
		t.Fatal("FirstSeen with a cancelled context: got no error")
	}
	if got := c.Health(); !got.Up {
		t.Errorf("Health after a cancelled operation: got %+v, want up", got)
	}
}

// memorySet is a minimal in-process de-duplication set, the fallback of the tests.
type memorySet struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (m *memorySet) FirstSeen(_ context.Context, key string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.seen[key] {
		return false, nil
	}
	m.seen[key] = true
	return true, nil
}

func (m *memorySet) Forget(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.seen, key)
	return nil
}

// TestFrozenServerFallback: with in-memory fallbacks, a frozen Redis leaves de-duplication,
// flood control and the repeat pointers working within the process, without an error.
func TestFrozenServerFallback(t *testing.T) {
	url, proc := privateServer(t)
	h := newHealthLog()
	c, err := OpenWith(context.Background(), url, h.options(500*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx := context.Background()
	prefix := testPrefix(t)
	d := c.Deduper(DedupOptions{Prefix: prefix, Fallback: &memorySet{seen: map[string]bool{}}})
	fl := c.Flood(FloodOptions{Prefix: prefix, Fallback: flood.NewMemoryStore(flood.MemoryOptions{})})
	rec := c.Recent(RecentOptions{Prefix: prefix, Fallback: recent.NewMemory(recent.MemoryOptions{})})

	if err := proc.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = proc.Signal(syscall.SIGCONT) })

	// Before and after the breaker opens alike.
	for _, key := range []string{"u1", "u2", "u3", "u4"} {
		if first, err := d.FirstSeen(ctx, key); err != nil || !first {
			t.Errorf("FirstSeen(%s) while frozen: got %v, %v, want true, nil", key, first, err)
		}
		if first, err := d.FirstSeen(ctx, key); err != nil || first {
			t.Errorf("FirstSeen(%s) again while frozen: got %v, %v, want false, nil (the fallback remembers)", key, first, err)
		}
	}
	h.wait(t, false)
	// Forget reports that Redis kept the key, but the fallback forgets it.
	if err := d.Forget(ctx, "u1"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Forget while frozen: got %v, want ErrUnavailable", err)
	}
	if first, _ := d.FirstSeen(ctx, "u1"); !first {
		t.Error("FirstSeen after Forget while frozen: got false, want true")
	}
	rule := flood.Rule{Rate: 0.001, Burst: 1}
	now := time.Now()
	if v, err := fl.Take(ctx, "k", rule, time.Minute, now); err != nil || v != flood.Allow {
		t.Errorf("first Take while frozen: got %v, %v, want Allow", v, err)
	}
	if v, err := fl.Take(ctx, "k", rule, time.Minute, now); err != nil || v != flood.Throttle {
		t.Errorf("second Take while frozen: got %v, %v, want Throttle (the fallback limits)", v, err)
	}
	if err := rec.Remember(ctx, "chat", 3, "m9", time.Minute); err != nil {
		t.Errorf("Remember while frozen: %v", err)
	}
	if id, ok, err := rec.Lookup(ctx, "chat", 3); err != nil || !ok || id != "m9" {
		t.Errorf("Lookup while frozen: got %q, %v, %v, want m9 from the fallback", id, ok, err)
	}
}
