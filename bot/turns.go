package bot

import (
	"container/list"
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"
)

// TurnStore keeps the last turn of each conversation (the bot's last menu or answer to one
// user in one chat), so that "the first one", "yes" or "more" can refer to it.
//
// SaveTurn stores value under key for ttl, replacing what was there; LoadTurn returns it, with
// ok false when there is none or it expired. Values are small (a few hundred bytes) and opaque
// to the store. Implementations must be safe for concurrent use. MemoryTurns keeps them in the
// process; a shared implementation (Redis, for several replicas) lives outside this package.
type TurnStore interface {
	LoadTurn(ctx context.Context, key string) (value []byte, ok bool, err error)
	SaveTurn(ctx context.Context, key string, value []byte, ttl time.Duration) error
}

// DefaultTurnTTL is how long a conversation's last menu or answer can be referred to when
// Options.TurnTTL is zero.
const DefaultTurnTTL = 15 * time.Minute

// DefaultMaxTurns bounds a MemoryTurns store when MemoryTurnsOptions.MaxEntries is zero.
const DefaultMaxTurns = 10_000

// MemoryTurnsOptions configure NewMemoryTurns.
type MemoryTurnsOptions struct {
	// MaxEntries bounds the conversations remembered (DefaultMaxTurns if 0). When full, the
	// least recently saved one is forgotten.
	MaxEntries int
	// Now is the clock (time.Now if nil); tests pass a fake one.
	Now func() time.Time
}

// MemoryTurns is an in-process TurnStore: at most MaxEntries conversations, each forgotten
// after its ttl, expired ones dropped as new ones arrive (no background goroutine). It is safe
// for concurrent use.
type MemoryTurns struct {
	max int
	now func() time.Time

	mu      sync.Mutex
	entries map[string]*list.Element // of *turnEntry
	order   *list.List               // front: most recently saved
}

type turnEntry struct {
	key     string
	value   []byte
	expires time.Time
}

var _ TurnStore = (*MemoryTurns)(nil)

// NewMemoryTurns returns an empty MemoryTurns store.
func NewMemoryTurns(opts MemoryTurnsOptions) *MemoryTurns {
	if opts.MaxEntries <= 0 {
		opts.MaxEntries = DefaultMaxTurns
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &MemoryTurns{max: opts.MaxEntries, now: opts.Now, entries: map[string]*list.Element{}, order: list.New()}
}

// SaveTurn implements TurnStore. A ttl <= 0 forgets key.
func (s *MemoryTurns) SaveTurn(_ context.Context, key string, value []byte, ttl time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if el, ok := s.entries[key]; ok {
		if ttl <= 0 {
			s.remove(el)
			return nil
		}
		e := el.Value.(*turnEntry)
		e.value, e.expires = append(e.value[:0], value...), s.now().Add(ttl)
		s.order.MoveToFront(el)
		return nil
	}
	if ttl <= 0 {
		return nil
	}
	now := s.now()
	s.evict(now)
	s.entries[key] = s.order.PushFront(&turnEntry{key: key, value: append([]byte(nil), value...), expires: now.Add(ttl)})
	return nil
}

// LoadTurn implements TurnStore.
func (s *MemoryTurns) LoadTurn(_ context.Context, key string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	el, ok := s.entries[key]
	if !ok {
		return nil, false, nil
	}
	e := el.Value.(*turnEntry)
	if !s.now().Before(e.expires) {
		s.remove(el)
		return nil, false, nil
	}
	return append([]byte(nil), e.value...), true, nil
}

// Len returns the number of conversations held (expired ones not yet dropped included).
func (s *MemoryTurns) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.order.Len()
}

// maxTurnScan bounds how many live entries one eviction pass steps over, so that SaveTurn
// stays cheap.
const maxTurnScan = 64

// evict makes room for one entry: expired entries go first (from the oldest end), then, when
// still full, the least recently saved.
func (s *MemoryTurns) evict(now time.Time) {
	scanned := 0
	for el := s.order.Back(); el != nil && scanned < maxTurnScan; {
		prev := el.Prev()
		if !now.Before(el.Value.(*turnEntry).expires) {
			s.remove(el)
		} else {
			scanned++
		}
		el = prev
	}
	for s.order.Len() >= s.max {
		s.remove(s.order.Back())
	}
}

func (s *MemoryTurns) remove(el *list.Element) {
	e := s.order.Remove(el).(*turnEntry)
	delete(s.entries, e.key)
}

// turn is what the bot remembers of its last menu or answer in a conversation.
type turn struct {
	version string    // transcript version; a turn from another version is ignored
	kind    ReplyKind // the reply's kind
	number  int       // question answered (answers), 0 for menus
	page    int       // page shown (answers by number, the list)
	pages   int
	choices []int  // questions offered as choices, in order (menus, the list)
	more    string // action id for "more": the full answer, or the next page
	back    string // action id for "back": the previous page
	none    string // action id of "None of these" (did-you-mean menus)
}

// turnKey identifies a conversation: one user in one chat of one platform. It is "" (nothing
// remembered) when the request does not say who and where.
func turnKey(req Request) string {
	if req.UserID == "" || req.ChatID == "" {
		return ""
	}
	// Lengths first, so that no id can be read as part of another.
	return req.Platform + ":" + strconv.Itoa(len(req.ChatID)) + ":" + req.ChatID + ":" + req.UserID
}

// remembered reports whether a reply of kind k becomes the conversation's last turn. Small
// talk, help and errors leave the earlier menu or answer in place ("thanks" then "more").
func remembered(k ReplyKind) bool {
	switch k {
	case ReplyAnswer, ReplyByNumber, ReplyAmbiguous, ReplyNotCovered, ReplyList:
		return true
	}
	return false
}

// turnOf reads the turn r leaves behind, from its kind and its actions' ids.
func turnOf(r Reply, version string) turn {
	t := turn{version: version, kind: r.Kind, number: r.Number, page: r.Page, pages: r.Pages}
	for _, act := range r.Actions {
		a, ok := parseAction(act.ID, version)
		if !ok {
			continue
		}
		switch {
		case a.verb == verbFull && r.Kind == ReplyAnswer && a.n == r.Number:
			t.more = act.ID // "Full answer"
		case a.verb == verbFull && r.Kind != ReplyAnswer:
			t.choices = append(t.choices, a.n)
		case a.verb == verbPage && r.Kind == ReplyByNumber && a.page == r.Page+1:
			t.more = act.ID // "Next page"
		case a.verb == verbList && r.Kind == ReplyList && a.page == r.Page+1:
			t.more = act.ID
		case a.verb == verbPage && r.Kind == ReplyByNumber && a.page == r.Page-1,
			a.verb == verbList && r.Kind == ReplyList && a.page == r.Page-1:
			t.back = act.ID // "Previous page"
		case a.verb == verbNone:
			t.none = act.ID
		}
	}
	return t
}

// turnFormat is the first field of an encoded turn; a change of layout changes it, so that
// replicas of two versions sharing a store ignore each other's turns.
const turnFormat = "t2"

// encode writes t as one line of space-separated fields (action ids hold no spaces).
func (t turn) encode() []byte {
	var b strings.Builder
	b.WriteString(turnFormat)
	for _, f := range []string{t.version, strconv.Itoa(int(t.kind)), strconv.Itoa(t.number),
		strconv.Itoa(t.page), strconv.Itoa(t.pages), joinInts(t.choices), orDash(t.more), orDash(t.none), orDash(t.back)} {
		b.WriteByte(' ')
		b.WriteString(f)
	}
	return []byte(b.String())
}

// errBadTurn: a stored turn could not be read (another format, or damaged).
var errBadTurn = errors.New("bot: unreadable conversation turn")

// decodeTurn reads what encode wrote.
func decodeTurn(p []byte) (turn, error) {
	f := strings.Split(string(p), " ")
	if len(f) != 10 || f[0] != turnFormat {
		return turn{}, errBadTurn
	}
	t := turn{version: f[1], more: fromDash(f[7]), none: fromDash(f[8]), back: fromDash(f[9])}
	nums := make([]int, 4)
	for i := range nums {
		n, err := strconv.Atoi(f[2+i])
		if err != nil || n < 0 || n > 1_000_000 {
			return turn{}, errBadTurn
		}
		nums[i] = n
	}
	t.kind, t.number, t.page, t.pages = ReplyKind(nums[0]), nums[1], nums[2], nums[3]
	if f[6] != "-" {
		for _, s := range strings.Split(f[6], ".") {
			n, ok := parseCount(s)
			if !ok {
				return turn{}, errBadTurn
			}
			t.choices = append(t.choices, n)
		}
	}
	return t, nil
}

func joinInts(ns []int) string {
	if len(ns) == 0 {
		return "-"
	}
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ".")
}

func orDash(s string) string {
	if s == "" || strings.ContainsAny(s, " \n") {
		return "-"
	}
	return s
}

func fromDash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}
