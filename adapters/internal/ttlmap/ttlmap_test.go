package ttlmap

import (
	"strconv"
	"testing"
	"time"
)

func TestMap(t *testing.T) {
	now := time.Unix(1000, 0)
	m := New[string, int](3)
	m.Set("a", 1, now.Add(time.Minute), now)
	if !m.Add("b", 2, now.Add(time.Minute), now) || m.Add("b", 3, now.Add(time.Minute), now) {
		t.Fatal("Add: want the first to win")
	}
	if v, ok := m.Get("b", now); !ok || v != 2 {
		t.Errorf("Get(b): got %d %v, want 2", v, ok)
	}
	m.Set("c", 3, now.Add(time.Second), now)
	m.Set("d", 4, now.Add(time.Minute), now) // full: the least recently set ("a") goes
	if _, ok := m.Get("a", now); ok {
		t.Error("a kept past the bound")
	}
	later := now.Add(2 * time.Second)
	if _, ok := m.Get("c", later); ok {
		t.Error("c kept past its expiry")
	}
	if !m.Add("c", 5, later.Add(time.Minute), later) {
		t.Error("Add of an expired key: got false, want true")
	}
	m.Delete("d")
	if _, ok := m.Get("d", later); ok || m.Len() != 2 {
		t.Errorf("after Delete: d present %v, %d entries, want absent and 2", ok, m.Len())
	}
}

func TestMapBounded(t *testing.T) {
	now := time.Unix(1000, 0)
	m := New[string, struct{}](1000)
	for i := range 50_000 {
		if !m.Add(strconv.Itoa(i), struct{}{}, now.Add(time.Hour), now) {
			t.Fatalf("key %d reported present", i)
		}
	}
	if m.Len() != 1000 {
		t.Errorf("held %d entries, want 1000", m.Len())
	}
}
