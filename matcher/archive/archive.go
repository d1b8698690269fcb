// Package archive answers questions across many transcripts — every briefing a press office
// has held — each indexed by its own matcher.Matcher in its own language.
//
// # Routing
//
// A query is not matched against every briefing. The archive keeps a routing index from each
// stem to the briefings that contain it, with the largest score the stem has in any entry of
// that briefing (matcher.StemBounds). A query's bound in a briefing, the sum of its stems'
// bounds there, is an upper bound on the summed score of the query's stems in any one entry
// of it. Briefings are matched in decreasing order of bound, MaxScore-style: once the next
// bound cannot exceed the stem score of the best answer found so far (matcher.StemScore), no
// entry of the remaining briefings can outscore it on the query's own words, and the search
// stops. At least MinVisit briefings are matched whatever the bounds (so a briefing that
// matches through synonyms, corrections or related forms still competes), at most MaxVisit;
// a query none of whose words any briefing contains (all misspelt, say) is matched against
// the newest FallbackVisit briefings of its scope.
//
// The answer is the best briefing's Match (highest confidence; within Epsilon the newer
// briefing wins). Other matches may come from other briefings.
//
// # Updates
//
// The archive is a copy-on-write Snapshot behind an atomic pointer: Put and Remove build
// the changed briefing's matcher and a new snapshot that shares everything else (only the
// routing lists of the changed briefing's stems are copied), then swap the pointer. Readers
// never wait; a query sees one snapshot from start to end.
//
// # Memory
//
// The briefings of one language share a matcher.Dictionary: each word once, with its stem
// and the spelling index over all the words, while each briefing's matcher keeps the ids of
// its own words only. The dictionary only grows (a word stays when the briefings that had it
// are gone), so re-indexing a briefing adds its new words and rebuilds nothing else.
//
// # Measured
//
// On a generated archive of 1,000 briefings x 100 answers (archivetest; 103 MB of text), on
// a loaded 2-core machine: a query takes 0.15 ms at the median and 0.49 ms at the 99th
// percentile on one core, matching 2.6 briefings (go test ./matcher/archive -run X -bench
// Query -cpu 1 -benchtime 3000x); one changed briefing is re-indexed in about 16 ms (-bench
// Reindex); the whole archive is indexed in 6-12 s on 2 cores and holds 354 MB of heap
// (-bench Build -benchtime 1x, which also reports the process's resident set); served, with
// its parsed transcripts, it stays at about 565 MB resident (transcriptbot-loadtest archive).
package archive

import (
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

// Search limits; see the package comment.
const (
	// MinVisit is the number of briefings matched whatever their bounds.
	MinVisit = 2
	// MaxVisit bounds the briefings one query is matched against.
	MaxVisit = 16
	// FallbackVisit is the number of newest briefings a query is matched against when no
	// briefing holds any of its words as typed.
	FallbackVisit = 8
	// Epsilon: two confidences closer than this are equal, and the newer briefing wins.
	Epsilon = 1e-6
	// otherShare: a match of another briefing is offered among the other matches when its
	// confidence is at least this share of the answer's (as matcher does within one).
	otherShare = 0.2
	// maxOthers bounds Result.Others.
	maxOthers = 3
)

// Briefing is one transcript of the archive with its matcher. It is immutable.
type Briefing struct {
	// ID is the briefing's id (its file name without extension).
	ID string
	// Key is a short id for buttons and action ids: a few base-32 characters derived from
	// ID, stable across restarts, unique within the archive.
	Key string
	// Title, Date and Language are the transcript's; Language is the one its matcher stems in.
	Title    string
	Date     time.Time
	Language string
	// Path is the file the briefing was read from ("" when not read from a file).
	Path string
	// Transcript and Matcher are the briefing's transcript and index.
	Transcript *transcript.Transcript
	Matcher    *matcher.Matcher

	slot int32 // index into Snapshot.slots
}

// Version is the transcript's content hash, which changes with every edit.
func (b *Briefing) Version() string { return b.Transcript.Hash }

// DateString is the briefing's date as 2020-06-12, or "" when it has none.
func (b *Briefing) DateString() string {
	if b.Date.IsZero() {
		return ""
	}
	return b.Date.Format(transcript.DateLayout)
}

// newer reports whether a is newer than b: a later date, then (same day) the larger id.
func newer(a, b *Briefing) bool {
	if !a.Date.Equal(b.Date) {
		return a.Date.After(b.Date)
	}
	return a.ID > b.ID
}

// route is one briefing containing a stem, with the stem's bound there.
type route struct {
	slot  int32
	bound float32
}

// Options configure an Archive.
type Options struct {
	// Language is the stemming language of a briefing that names none ("" means english).
	Language string
	// Threshold and NoBuiltinSynonyms are passed to every matcher (matcher.Options).
	Threshold         float64
	NoBuiltinSynonyms bool

	// ownDictionaries gives each briefing a dictionary of its own, for tests that compare
	// the answers with and without sharing.
	ownDictionaries bool
}

// Archive is a set of briefings answering queries together. Its methods are safe for
// concurrent use; queries never wait for updates.
type Archive struct {
	opts Options
	snap atomic.Pointer[Snapshot]
	mu   sync.Mutex // serialises writers
	// dicts holds the dictionary of each language, shared by its briefings' matchers.
	dictMu sync.Mutex
	dicts  map[string]*matcher.Dictionary
}

// Snapshot is an immutable view of the archive.
type Snapshot struct {
	slots  []*Briefing // by slot; nil for a free slot
	free   []int32
	list   []*Briefing // newest first
	byID   map[string]*Briefing
	byKey  map[string]*Briefing
	routes map[string]map[string][]route // language -> stem -> briefings
	an     map[string]*matcher.Analyzer  // language -> analyzer
	pool   *sync.Pool
	// owned marks the routing lists (language + "\x00" + stem) a writer has already copied
	// in this clone, so a bulk load appends to them in place; nil once published.
	owned map[string]struct{}
	// grow is, while a bulk load adds briefings, the number of routes it adds to each list
	// (language -> stem -> count), so that a list is copied once with room for them all.
	grow map[string]map[string]int
}

// New returns an empty archive.
func New(opts Options) *Archive {
	a := &Archive{opts: opts, dicts: map[string]*matcher.Dictionary{}}
	if a.opts.Language == "" {
		a.opts.Language = "english"
	}
	a.snap.Store(emptySnapshot())
	return a
}

func emptySnapshot() *Snapshot {
	return &Snapshot{byID: map[string]*Briefing{}, byKey: map[string]*Briefing{}, routes: map[string]map[string][]route{},
		an: map[string]*matcher.Analyzer{}, pool: &sync.Pool{}}
}

// Snapshot returns the current view of the archive.
func (a *Archive) Snapshot() *Snapshot { return a.snap.Load() }

// Match answers query from the current snapshot (Snapshot.Match).
func (a *Archive) Match(query string, budget int, scope Scope) Result {
	return a.Snapshot().Match(query, budget, scope)
}

// build indexes one briefing.
func (a *Archive) build(tb *transcript.Briefing) (*Briefing, error) {
	if tb == nil || tb.Transcript == nil {
		return nil, errors.New("no transcript")
	}
	if tb.ID == "" {
		return nil, errors.New("briefing without an id")
	}
	lang := strings.ToLower(tb.Language)
	if lang == "" {
		lang = a.opts.Language
	}
	m, err := matcher.New(tb.Transcript, matcher.Options{Language: lang, Threshold: a.opts.Threshold,
		NoBuiltinSynonyms: a.opts.NoBuiltinSynonyms, Dictionary: a.dictionary(lang)})
	if err != nil {
		if tb.Path != "" {
			return nil, fmt.Errorf("%s: %w", tb.Path, err)
		}
		return nil, fmt.Errorf("briefing %s: %w", tb.ID, err)
	}
	return &Briefing{ID: tb.ID, Title: tb.Title, Date: tb.Date, Language: m.Analyzer().Language(), Path: tb.Path,
		Transcript: tb.Transcript, Matcher: m}, nil
}

// dictionary returns the shared dictionary of lang, nil for an unknown language (which
// matcher.New then reports).
func (a *Archive) dictionary(lang string) *matcher.Dictionary {
	if a.opts.ownDictionaries {
		return nil
	}
	a.dictMu.Lock()
	defer a.dictMu.Unlock()
	if d, ok := a.dicts[lang]; ok {
		return d
	}
	d, err := matcher.NewDictionary(lang)
	if err != nil {
		return nil
	}
	// Keyed by the dictionary's own spelling of the language too ("" is english).
	if d2, ok := a.dicts[d.Language()]; ok {
		d = d2
	}
	a.dicts[lang], a.dicts[d.Language()] = d, d
	return d
}

// Load indexes bs (on every CPU) and adds them to the archive in one new snapshot, replacing
// briefings with the same ids. A briefing that cannot be indexed (an unknown language) is
// left out and its error returned in errs; the others are added.
func (a *Archive) Load(bs []*transcript.Briefing) (errs []error) {
	built := make([]*Briefing, len(bs))
	bErrs := make([]error, len(bs))
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(bs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(bs) {
					return
				}
				built[i], bErrs[i] = a.build(bs[i])
			}
		}()
	}
	wg.Wait()
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.snap.Load().clone()
	s.grow = map[string]map[string]int{}
	for i, b := range built {
		if bErrs[i] != nil {
			continue
		}
		g := s.grow[b.Language]
		if g == nil {
			g = map[string]int{}
			s.grow[b.Language] = g
		}
		b.Matcher.StemBounds(func(stem string, _ float64) { g[stem]++ })
	}
	for i, b := range built {
		if bErrs[i] != nil {
			errs = append(errs, bErrs[i])
			continue
		}
		s.put(b)
	}
	s.finish()
	a.snap.Store(s)
	return errs
}

// Put indexes one briefing and adds it, replacing the briefing with the same id. Only that
// briefing is indexed; readers keep answering from the previous snapshot meanwhile.
func (a *Archive) Put(tb *transcript.Briefing) error {
	b, err := a.build(tb)
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.snap.Load().clone()
	s.put(b)
	s.finish()
	a.snap.Store(s)
	return nil
}

// Remove drops the briefing with the given id and reports whether there was one.
func (a *Archive) Remove(id string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	old := a.snap.Load()
	if _, ok := old.byID[id]; !ok {
		return false
	}
	s := old.clone()
	s.remove(id)
	s.finish()
	a.snap.Store(s)
	return true
}

// clone copies s's top-level tables for a writer; the routing lists stay shared until put or
// remove replaces the ones they change.
func (s *Snapshot) clone() *Snapshot {
	c := &Snapshot{
		slots:  append([]*Briefing(nil), s.slots...),
		free:   append([]int32(nil), s.free...),
		byID:   maps.Clone(s.byID),
		byKey:  maps.Clone(s.byKey),
		routes: make(map[string]map[string][]route, len(s.routes)),
		an:     maps.Clone(s.an),
		pool:   &sync.Pool{},
		owned:  map[string]struct{}{},
	}
	for lang, r := range s.routes {
		c.routes[lang] = maps.Clone(r)
	}
	return c
}

// remove drops briefing id from s (a clone).
func (s *Snapshot) remove(id string) {
	b := s.byID[id]
	if b == nil {
		return
	}
	routes := s.routes[b.Language]
	b.Matcher.StemBounds(func(stem string, _ float64) {
		old := routes[stem]
		l := make([]route, 0, len(old))
		for _, r := range old {
			if r.slot != b.slot {
				l = append(l, r)
			}
		}
		if len(l) == 0 {
			delete(routes, stem)
		} else {
			routes[stem] = l
			s.owned[b.Language+"\x00"+stem] = struct{}{}
		}
	})
	delete(s.byID, id)
	delete(s.byKey, b.Key)
	s.slots[b.slot] = nil
	s.free = append(s.free, b.slot)
}

// put adds b to s (a clone), replacing the briefing with its id. b is not yet shared, so
// its slot and key are set here.
func (s *Snapshot) put(b *Briefing) {
	s.remove(b.ID)
	if n := len(s.free); n > 0 {
		b.slot, s.free = s.free[n-1], s.free[:n-1]
		s.slots[b.slot] = b
	} else {
		b.slot = int32(len(s.slots))
		s.slots = append(s.slots, b)
	}
	b.Key = s.keyFor(b.ID)
	s.byID[b.ID] = b
	s.byKey[b.Key] = b
	if s.an[b.Language] == nil {
		s.an[b.Language] = b.Matcher.Analyzer()
	}
	routes := s.routes[b.Language]
	if routes == nil {
		routes = map[string][]route{}
		s.routes[b.Language] = routes
	}
	b.Matcher.StemBounds(func(stem string, bound float64) {
		r := route{slot: b.slot, bound: float32(bound)}
		key := b.Language + "\x00" + stem
		if _, ok := s.owned[key]; ok {
			routes[stem] = append(routes[stem], r)
			return
		}
		// A fresh list: the old one may be shared with earlier snapshots.
		old := routes[stem]
		l := make([]route, len(old), len(old)+max(1, s.grow[b.Language][stem]))
		copy(l, old)
		routes[stem] = append(l, r)
		s.owned[key] = struct{}{}
	})
}

// keyFor returns the short key of id: the first characters of the base-32 SHA-256 of id,
// as few as make it unique in s (at least 4).
func (s *Snapshot) keyFor(id string) string {
	sum := sha256.Sum256([]byte(id))
	full := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:]))
	for n := 4; n < len(full); n++ {
		k := full[:n]
		if other, ok := s.byKey[k]; !ok || other.ID == id {
			return k
		}
	}
	return full
}

// finish rebuilds the newest-first list after changes.
func (s *Snapshot) finish() {
	s.owned, s.grow = nil, nil
	s.list = make([]*Briefing, 0, len(s.byID))
	for _, b := range s.byID {
		s.list = append(s.list, b)
	}
	sort.Slice(s.list, func(i, j int) bool { return newer(s.list[i], s.list[j]) })
	for lang := range s.an {
		if len(s.routes[lang]) == 0 {
			still := false
			for _, b := range s.list {
				still = still || b.Language == lang
			}
			if !still {
				delete(s.an, lang)
				delete(s.routes, lang)
			}
		}
	}
}

// Len returns the number of briefings.
func (s *Snapshot) Len() int { return len(s.list) }

// List returns the briefings, newest first. The slice must not be modified.
func (s *Snapshot) List() []*Briefing { return s.list }

// Newest returns the newest briefing, nil for an empty archive.
func (s *Snapshot) Newest() *Briefing {
	if len(s.list) == 0 {
		return nil
	}
	return s.list[0]
}

// Get returns the briefing with the given id.
func (s *Snapshot) Get(id string) (*Briefing, bool) {
	b, ok := s.byID[id]
	return b, ok
}

// ByKey returns the briefing with the given short key (Briefing.Key).
func (s *Snapshot) ByKey(key string) (*Briefing, bool) {
	b, ok := s.byKey[key]
	return b, ok
}

// OnDate returns the briefings held on day d, newest (largest id) first.
func (s *Snapshot) OnDate(d time.Time) []*Briefing {
	var out []*Briefing
	for _, b := range s.list {
		if b.Date.Equal(d) {
			out = append(out, b)
		}
	}
	return out
}
