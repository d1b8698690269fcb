package dedup

import (
	"context"
	"strconv"
	"testing"
	"time"
)

func TestMemory(t *testing.T) {
	ctx := context.Background()
	now := time.Unix(1000, 0)
	d := NewMemory(MemoryOptions{TTL: time.Minute, MaxKeys: 3, Now: func() time.Time { return now }})
	steps := []struct {
		key     string
		advance time.Duration
		want    bool
	}{
		{"a", 0, true},
		{"a", 0, false},
		{"b", 0, true},
		{"a", 59 * time.Second, false},
		{"a", 2 * time.Second, true}, // expired
		{"c", 0, true},
		{"d", 0, true}, // full: evicts the oldest ("b")
		{"b", 0, true},
		{"d", 0, false},
	}
	for i, s := range steps {
		now = now.Add(s.advance)
		got, err := d.FirstSeen(ctx, s.key)
		if err != nil || got != s.want {
			t.Errorf("step %d FirstSeen(%q): got %v %v, want %v", i, s.key, got, err, s.want)
		}
		if d.Len() > 3 {
			t.Errorf("step %d: %d keys held, want at most 3", i, d.Len())
		}
	}
	if err := d.Forget(ctx, "d"); err != nil {
		t.Fatal(err)
	}
	if got, _ := d.FirstSeen(ctx, "d"); !got {
		t.Errorf("after Forget: got false, want true")
	}
}

func TestMemoryBounded(t *testing.T) {
	d := NewMemory(MemoryOptions{TTL: time.Hour, MaxKeys: 1000})
	for i := 0; i < 50_000; i++ {
		if first, _ := d.FirstSeen(context.Background(), strconv.Itoa(i)); !first {
			t.Fatalf("key %d reported seen", i)
		}
	}
	if d.Len() > 1000 {
		t.Errorf("held %d keys, want at most 1000", d.Len())
	}
}

func BenchmarkMemory(b *testing.B) {
	d := NewMemory(MemoryOptions{TTL: time.Hour, MaxKeys: 10_000})
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_, _ = d.FirstSeen(ctx, strconv.Itoa(i))
		i++
	}
}
