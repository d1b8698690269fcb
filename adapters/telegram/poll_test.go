package telegram

import (
	"testing"
	"time"
)

func TestTracker(t *testing.T) {
	now := time.Unix(0, 0)
	tr := newTracker(10 * time.Second)
	tr.now = func() time.Time { return now }
	step := func(name string, got, want int) {
		t.Helper()
		if got != want {
			t.Errorf("%s: got %d, want %d", name, got, want)
		}
	}
	for _, id := range []int{5, 6, 7} {
		if !tr.start(id) {
			t.Fatalf("start(%d): got false, want true", id)
		}
	}
	if tr.start(6) {
		t.Errorf("start(6) again: got true, want false")
	}
	step("offset with 5,6,7 open", tr.offset(), 5)
	step("backlog", tr.backlog(), 3)
	tr.finish(6, true)
	step("offset after 6 finished", tr.offset(), 5)
	if tr.start(6) {
		t.Errorf("start(6) after finishing (redelivered): got true, want false")
	}
	tr.finish(5, true)
	step("offset after 5 finished", tr.offset(), 7)
	// 7 is stuck: after the hold it no longer holds the offset back.
	now = now.Add(11 * time.Second)
	step("offset after the hold", tr.offset(), 8)
	if tr.start(7) {
		t.Errorf("start(7) while open: got true, want false")
	}
	if tr.finish(7, false) {
		t.Errorf("finish(7, cut short) after release: got true, want false (lost)")
	}
	// An update cut short within the hold keeps the offset back for good.
	tr.start(8)
	tr.finish(8, false)
	now = now.Add(time.Minute)
	step("offset with 8 cut short", tr.offset(), 8)
	tr.start(9)
	tr.finish(9, true)
	step("offset still at 8", tr.offset(), 8)
	step("backlog", tr.backlog(), 2)
}
