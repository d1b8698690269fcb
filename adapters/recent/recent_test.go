package recent

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// clock is a fake time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestMemory(t *testing.T) {
	type step struct {
		advance  time.Duration
		remember bool // Remember (else Lookup)
		chat     string
		question int
		msg      string // Remember: the message id; Lookup: the id wanted ("" = none)
		ttl      time.Duration
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"nothing remembered", []step{
			{chat: "g1", question: 3},
		}},
		{"remembered then found", []step{
			{remember: true, chat: "g1", question: 3, msg: "m1", ttl: time.Minute},
			{chat: "g1", question: 3, msg: "m1"},
			{advance: 59 * time.Second, chat: "g1", question: 3, msg: "m1"},
		}},
		{"expires at its ttl", []step{
			{remember: true, chat: "g1", question: 3, msg: "m1", ttl: time.Minute},
			{advance: time.Minute, chat: "g1", question: 3},
		}},
		{"other chat and other question are separate", []step{
			{remember: true, chat: "g1", question: 3, msg: "m1", ttl: time.Minute},
			{chat: "g2", question: 3},
			{chat: "g1", question: 4},
			{chat: "g1", question: 3, msg: "m1"},
		}},
		{"a later answer replaces the earlier", []step{
			{remember: true, chat: "g1", question: 3, msg: "m1", ttl: time.Minute},
			{advance: 50 * time.Second, remember: true, chat: "g1", question: 3, msg: "m2", ttl: time.Minute},
			{advance: 50 * time.Second, chat: "g1", question: 3, msg: "m2"},
		}},
		{"zero ttl forgets", []step{
			{remember: true, chat: "g1", question: 3, msg: "m1", ttl: time.Minute},
			{remember: true, chat: "g1", question: 3, ttl: 0},
			{chat: "g1", question: 3},
		}},
		{"chat ids with separators stay apart", []step{
			{remember: true, chat: "a:1", question: 2, msg: "m1", ttl: time.Minute},
			{chat: "a", question: 12},
			{chat: "a:1", question: 2, msg: "m1"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &clock{t: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
			s := NewMemory(MemoryOptions{Now: c.now})
			ctx := context.Background()
			for i, st := range tc.steps {
				c.advance(st.advance)
				if st.remember {
					if err := s.Remember(ctx, st.chat, st.question, st.msg, st.ttl); err != nil {
						t.Fatalf("step %d: Remember: %v", i, err)
					}
					continue
				}
				got, ok, err := s.Lookup(ctx, st.chat, st.question)
				if err != nil {
					t.Fatalf("step %d: Lookup: %v", i, err)
				}
				if got != st.msg || ok != (st.msg != "") {
					t.Errorf("step %d: Lookup(%q, %d): got %q (ok=%v), want %q", i, st.chat, st.question, got, ok, st.msg)
				}
			}
		})
	}
}

func TestMemoryEmptyMessage(t *testing.T) {
	s := NewMemory(MemoryOptions{})
	err := s.Remember(context.Background(), "g", 1, "", time.Minute)
	if !errors.Is(err, ErrNoMessage) {
		t.Errorf("got %v, want ErrNoMessage", err)
	}
	if s.Len() != 0 {
		t.Errorf("got %d entries, want 0", s.Len())
	}
}

func TestMemoryBounded(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	s := NewMemory(MemoryOptions{MaxEntries: 3, Now: c.now})
	ctx := context.Background()
	for q := 1; q <= 5; q++ {
		if err := s.Remember(ctx, "g", q, fmt.Sprint("m", q), time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.Len(); got != 3 {
		t.Errorf("Len: got %d, want 3", got)
	}
	for q, want := range map[int]string{1: "", 2: "", 3: "m3", 4: "m4", 5: "m5"} {
		got, _, _ := s.Lookup(ctx, "g", q)
		if got != want {
			t.Errorf("question %d: got %q, want %q", q, got, want)
		}
	}
	// Expired entries make room before live ones are pushed out.
	c.advance(2 * time.Hour)
	for q := 6; q <= 8; q++ {
		if err := s.Remember(ctx, "g", q, fmt.Sprint("m", q), time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.Len(); got != 3 {
		t.Errorf("Len after expiry: got %d, want 3", got)
	}
}

func TestMemoryConcurrent(t *testing.T) {
	s := NewMemory(MemoryOptions{MaxEntries: 50})
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				chat := fmt.Sprint("g", i%7)
				if err := s.Remember(ctx, chat, i%13, fmt.Sprint(w, "-", i), time.Minute); err != nil {
					t.Error(err)
					return
				}
				if _, _, err := s.Lookup(ctx, chat, (i+1)%13); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if got := s.Len(); got > 50 {
		t.Errorf("Len: got %d, want at most 50", got)
	}
}

func ExampleMemory() {
	s := NewMemory(MemoryOptions{})
	ctx := context.Background()
	if _, ok, _ := s.Lookup(ctx, "group-1", 7); !ok {
		fmt.Println("question 7 not answered here lately: post the answer")
	}
	_ = s.Remember(ctx, "group-1", 7, "message-42", DefaultTTL)
	if id, ok, _ := s.Lookup(ctx, "group-1", 7); ok {
		fmt.Println("point to", id)
	}
	// Output:
	// question 7 not answered here lately: post the answer
	// point to message-42
}
