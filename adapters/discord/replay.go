package discord

import (
	"sync"
	"time"
)

// A signed interaction request stays valid for as long as its timestamp is accepted
// (Config.MaxTimestampSkew either way), so whoever captures one could post it again and get it
// answered again. Discord itself never sends an interaction twice over HTTP: the endpoint
// answers each interaction id once and refuses the others. The ids are remembered in this
// process (replaySet) and, when Config.Claim is set (Redis, shared by replicas), there too.

// DefaultMaxReplayIDs bounds the interaction ids remembered in memory when Config.MaxReplayIDs
// is zero: at 100 interactions a second for the 10-minute window, about 60,000.
const DefaultMaxReplayIDs = 100_000

// replaySet remembers ids for a fixed time, at most max of them (the oldest are forgotten
// first). Every id lives equally long, so the order of arrival is the order of expiry.
type replaySet struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	seen  map[string]time.Time // id -> expiry
	order []replayEntry        // by expiry; order[head:] is live
	head  int
}

type replayEntry struct {
	id  string
	exp time.Time
}

func newReplaySet(ttl time.Duration, max int) *replaySet {
	return &replaySet{ttl: ttl, max: max, seen: make(map[string]time.Time)}
}

// first records id at now and reports whether it was not recorded (and unexpired) before.
func (s *replaySet) first(id string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expire(now)
	if exp, ok := s.seen[id]; ok && now.Before(exp) {
		return false
	}
	for len(s.seen) >= s.max && s.head < len(s.order) {
		s.drop()
	}
	exp := now.Add(s.ttl)
	s.seen[id] = exp
	s.order = append(s.order, replayEntry{id, exp})
	return true
}

// expire forgets the ids expired at now and compacts the queue when half of it is spent.
func (s *replaySet) expire(now time.Time) {
	for s.head < len(s.order) && !now.Before(s.order[s.head].exp) {
		s.drop()
	}
	if s.head > 0 && s.head >= len(s.order)/2 {
		s.order = append(s.order[:0], s.order[s.head:]...)
		s.head = 0
	}
}

// drop forgets the oldest id.
func (s *replaySet) drop() {
	e := s.order[s.head]
	s.order[s.head] = replayEntry{}
	s.head++
	if exp, ok := s.seen[e.id]; ok && exp.Equal(e.exp) {
		delete(s.seen, e.id)
	}
}

// len returns the number of ids remembered.
func (s *replaySet) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.seen)
}
