package telegram

import (
	"testing"
	"time"
)

func TestTracker(t *testing.T) {
	now := time.Unix(0, 0)
	tr := newTracker(10*time.Second, nil)
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
	// 7 is stuck. Holding it back costs nothing while few updates wait behind it.
	now = now.Add(11 * time.Second)
	step("offset after the hold, nothing waiting behind", tr.offset(), 7)
	// Once they would fill half a batch, it no longer holds the offset back; the younger
	// ones do.
	for id := 8; id < 8+pollLimit/2; id++ {
		tr.start(id)
	}
	step("offset after the hold, half a batch waiting", tr.offset(), 8)
	tr.sending(8)
	if tr.start(7) {
		t.Errorf("start(7) while open: got true, want false")
	}
	if tr.finish(7, false) {
		t.Errorf("finish(7, cut short) after its offset was sent: got true, want false (lost)")
	}
	// An update cut short (shutdown) keeps the offset back for good.
	tr.finish(8, false)
	for id := 9; id < 8+pollLimit/2; id++ {
		tr.finish(id, true)
	}
	now = now.Add(time.Minute)
	step("offset with 8 cut short", tr.offset(), 8)
	tr.start(100)
	tr.finish(100, true)
	step("offset still at 8", tr.offset(), 8)
	step("backlog", tr.backlog(), 101-8)
}

// TestTrackerHoldStopsWhileDown: the hold clock does not run while the Bot API is down, so an
// outage longer than the hold confirms nothing unanswered.
func TestTrackerHoldStopsWhileDown(t *testing.T) {
	now := time.Unix(0, 0)
	h := newHealth()
	h.now = func() time.Time { return now }
	tr := newTracker(10*time.Second, h.downFor)
	tr.now = h.now
	tr.start(1)
	now = now.Add(4 * time.Second)
	for range 2 {
		if h.failed(7) {
			t.Fatalf("failures in one chat: got an outage, want none (one chat's trouble)")
		}
	}
	if h.downFor() != 0 {
		t.Errorf("downFor after one chat's failures: got %v, want 0", h.downFor())
	}
	if !h.failed(8) {
		t.Fatalf("a failure in a second chat: got false, want the start of an outage")
	}
	if h.failed(9) {
		t.Errorf("a failure in a third chat: got true, want the same outage")
	}
	tr.start(2)
	now = now.Add(time.Minute) // an outage 6 times the hold
	if got := tr.offset(); got != 1 {
		t.Errorf("offset after a 1-minute outage: got %d, want 1 (held)", got)
	}
	if tr.finish(2, false) != true {
		t.Errorf("finish(2, cut short) during the outage: got false, want true (still held)")
	}
	up := h.recovered()
	if d := h.answered(); d != time.Minute {
		t.Errorf("answered: got outage %v, want 1m", d)
	}
	select {
	case <-up:
	default:
		t.Errorf("recovered channel not closed when the API answered again")
	}
	if h.failed(7); h.answered() != 0 || h.failed(8) {
		t.Errorf("failures in two chats with an answer between them: got an outage, want none")
	}
	h.answered()
	for id := 3; id < 3+pollLimit; id++ { // a batch waiting behind: the hold binds
		tr.start(id)
	}
	now = now.Add(5 * time.Second) // 1 has held 9 s of up time
	if got := tr.offset(); got != 1 {
		t.Errorf("offset after 9 s up: got %d, want 1", got)
	}
	now = now.Add(2 * time.Second) // 11 s: 1 is released; 2 was cut short and holds for good
	if got := tr.offset(); got != 2 {
		t.Errorf("offset after 11 s up: got %d, want 2", got)
	}
}
