package archive

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

// Scope narrows a query to one briefing or a period. The zero Scope is the whole archive.
type Scope struct {
	// ID, when set, is the only briefing searched.
	ID string
	// From and To, when set, bound the briefings' dates: From <= date < To. A briefing
	// without a date is outside every period.
	From, To time.Time
}

// IsZero reports whether the scope is the whole archive.
func (sc Scope) IsZero() bool { return sc.ID == "" && sc.From.IsZero() && sc.To.IsZero() }

// Contains reports whether b is inside the scope.
func (sc Scope) Contains(b *Briefing) bool {
	if sc.ID != "" && b.ID != sc.ID {
		return false
	}
	if sc.From.IsZero() && sc.To.IsZero() {
		return true
	}
	if b.Date.IsZero() {
		return false
	}
	return (sc.From.IsZero() || !b.Date.Before(sc.From)) && (sc.To.IsZero() || b.Date.Before(sc.To))
}

// String describes the scope for people: "2020-06", "2020-06-12..2020-07-01", "briefing X".
func (sc Scope) String() string {
	switch {
	case sc.ID != "":
		return sc.ID
	case sc.From.IsZero() && sc.To.IsZero():
		return "all briefings"
	case !sc.From.IsZero() && sc.To.Equal(sc.From.AddDate(0, 0, 1)):
		return sc.From.Format(transcript.DateLayout)
	case !sc.From.IsZero() && sc.From.Day() == 1 && sc.To.Equal(sc.From.AddDate(0, 1, 0)):
		return sc.From.Format("2006-01")
	case !sc.From.IsZero() && sc.From.YearDay() == 1 && sc.To.Equal(sc.From.AddDate(1, 0, 0)):
		return sc.From.Format("2006")
	}
	from, to := "", ""
	if !sc.From.IsZero() {
		from = sc.From.Format(transcript.DateLayout)
	}
	if !sc.To.IsZero() {
		to = sc.To.AddDate(0, 0, -1).Format(transcript.DateLayout)
	}
	return from + ".." + to
}

// ParsePeriod reads a period as people write it: a year ("2020"), a month ("2020-06"), a
// day ("2020-06-12") or a range of those ("2020-03..2020-06", open at either end:
// "2021..", "..2020-06"), both ends included.
func ParsePeriod(s string) (Scope, error) {
	s = strings.TrimSpace(s)
	if from, to, ok := strings.Cut(s, ".."); ok {
		var sc Scope
		if from != "" {
			f, err := ParsePeriod(from)
			if err != nil {
				return Scope{}, err
			}
			sc.From = f.From
		}
		if to != "" {
			t, err := ParsePeriod(to)
			if err != nil {
				return Scope{}, err
			}
			sc.To = t.To
		}
		if sc.From.IsZero() && sc.To.IsZero() {
			return Scope{}, fmt.Errorf("period %q: want a year, month or day at one end at least", s)
		}
		if !sc.From.IsZero() && !sc.To.IsZero() && !sc.From.Before(sc.To) {
			return Scope{}, fmt.Errorf("period %q ends before it starts", s)
		}
		return sc, nil
	}
	for _, f := range []struct {
		layout string
		next   func(time.Time) time.Time
	}{
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{transcript.DateLayout, func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
	} {
		if len(s) != len(f.layout) {
			continue
		}
		if t, err := time.Parse(f.layout, s); err == nil {
			return Scope{From: t, To: f.next(t)}, nil
		}
	}
	return Scope{}, fmt.Errorf("period %q: want a year (2020), a month (2020-06), a day (2020-06-12) or a range (2020-03..2020-06)", s)
}

// SplitScope's errors.
var (
	ErrScope        = errors.New("in: names no period or briefing")
	ErrScopeMissing = errors.New("in: wants a period or briefing, then the question")
)

// SplitScope reads the scope a query may start with — "in:2020-06 question", "in:2020",
// "in:2020-03..2020-06", "in:2020-06-12", "in:ID" (a briefing id or short key) — and returns
// it with the rest of the query. A query without the prefix comes back whole with the zero
// Scope. A prefix without a name or a question is ErrScopeMissing; one naming nothing
// wraps ErrScope.
func (s *Snapshot) SplitScope(query string) (Scope, string, error) {
	q := strings.TrimSpace(query)
	if len(q) < 3 || !strings.EqualFold(q[:3], "in:") {
		return Scope{}, query, nil
	}
	name, rest, _ := strings.Cut(q[3:], " ")
	rest = strings.TrimSpace(rest)
	if name == "" || rest == "" {
		return Scope{}, "", ErrScopeMissing
	}
	if b, ok := s.byID[name]; ok {
		return Scope{ID: b.ID}, rest, nil
	}
	if sc, err := ParsePeriod(name); err == nil {
		return sc, rest, nil
	}
	if b, ok := s.Resolve(name); ok {
		return Scope{ID: b.ID}, rest, nil
	}
	return Scope{}, "", fmt.Errorf("%w: %q", ErrScope, name)
}

// Result is the archive's answer to a query.
type Result struct {
	// Briefing is the briefing the answer comes from (abstaining: the one holding the
	// nearest questions); nil when no briefing was searched.
	Briefing *Briefing
	// Match is Briefing's match: Number 0 when the archive abstains.
	matcher.Match
	// Others are up to three next-best matches, best first: alternatives within Briefing and
	// the best matches of other briefings (abstaining: the nearest questions anywhere).
	Others []Other
	// Searched is the number of briefings the query was matched against.
	Searched int
}

// Other is a runner-up match, possibly from another briefing.
type Other struct {
	Briefing   *Briefing
	Number     int
	Confidence float64
}

// hit is one briefing's match.
type hit struct {
	b *Briefing
	m matcher.Match
}

// better reports whether h beats cur: higher confidence, the newer briefing within Epsilon.
func (h hit) better(cur hit) bool {
	if cur.b == nil {
		return true
	}
	if d := h.m.Confidence - cur.m.Confidence; d > Epsilon || d < -Epsilon {
		return d > 0
	}
	return newer(h.b, cur.b)
}

// candidate is a briefing with the query's bound in it.
type candidate struct {
	slot  int32
	bound float64
}

// queryScratch is per-query working memory.
type queryScratch struct {
	bound []float64
	seen  []uint32
	epoch uint32
	cands []candidate
	stems map[string][]string // language -> distinct query stems
}

func (s *Snapshot) scratch() *queryScratch {
	qs, _ := s.pool.Get().(*queryScratch)
	if qs == nil {
		qs = &queryScratch{stems: map[string][]string{}}
	}
	if len(qs.bound) < len(s.slots) {
		qs.bound = make([]float64, len(s.slots))
		qs.seen = make([]uint32, len(s.slots))
		qs.epoch = 0
	}
	qs.epoch++
	if qs.epoch == 0 {
		clear(qs.seen)
		qs.epoch = 1
	}
	qs.cands = qs.cands[:0]
	clear(qs.stems)
	return qs
}

// route fills qs.cands with the briefings of scope that contain a stem of query, with their
// bounds: the MaxVisit with the highest bounds, best first.
func (s *Snapshot) route(qs *queryScratch, query string, scope Scope) {
	for lang, an := range s.an {
		stems := an.Stems(query)
		slices.Sort(stems)
		stems = slices.Compact(stems)
		qs.stems[lang] = stems
		routes := s.routes[lang]
		for _, stem := range stems {
			for _, r := range routes[stem] {
				if qs.seen[r.slot] != qs.epoch {
					if !scope.Contains(s.slots[r.slot]) {
						continue
					}
					qs.seen[r.slot] = qs.epoch
					qs.bound[r.slot] = 0
					qs.cands = append(qs.cands, candidate{slot: r.slot})
				}
				qs.bound[r.slot] += float64(r.bound)
			}
		}
	}
	for i := range qs.cands {
		qs.cands[i].bound = qs.bound[qs.cands[i].slot]
	}
	// Only the first MaxVisit are ever matched: keep those, in order (highest bound first,
	// the newer briefing first among equal bounds), rather than sorting them all, which for a
	// query of common words is most of the archive.
	qs.cands = firstCandidates(qs.cands, MaxVisit, func(a, b candidate) bool {
		if a.bound != b.bound {
			return a.bound > b.bound
		}
		return newer(s.slots[a.slot], s.slots[b.slot])
	})
}

// firstCandidates returns the first n of cands in the order before defines (a strict total
// order), in that order: what sorting cands would put first. It reuses cands' array.
func firstCandidates(cands []candidate, n int, before func(a, b candidate) bool) []candidate {
	top := cands[:0] // a prefix of cands, never ahead of the candidate being read
	for _, c := range cands {
		if len(top) == n && !before(c, top[n-1]) {
			continue
		}
		if len(top) < n {
			top = append(top, c)
		} else {
			top[n-1] = c
		}
		for i := len(top) - 1; i > 0 && before(top[i], top[i-1]); i-- {
			top[i], top[i-1] = top[i-1], top[i]
		}
	}
	return top
}

// stemScore is the summed score of the query's stems in entry n of b.
func stemScore(b *Briefing, stems []string, n int) float64 {
	var v float64
	for _, st := range stems {
		v += b.Matcher.StemScore(st, n)
	}
	return v
}

// topNumber is the entry a match ranks first, answering or not (0 when none).
func topNumber(m matcher.Match) int {
	if m.Number > 0 {
		return m.Number
	}
	if len(m.Alternatives) > 0 {
		return m.Alternatives[0].Number
	}
	return 0
}

// Match answers query from the briefings of scope; budget is the excerpt length in runes
// (matcher.Match). See the package comment for how briefings are chosen.
func (s *Snapshot) Match(query string, budget int, scope Scope) Result {
	return s.match(query, budget, scope, (*matcher.Matcher).Match)
}

// MatchPlain is Match for a caller that shows the excerpt as plain text, without its
// highlights (matcher.MatchPlain).
func (s *Snapshot) MatchPlain(query string, budget int, scope Scope) Result {
	return s.match(query, budget, scope, (*matcher.Matcher).MatchPlain)
}

// match is Match, each briefing matched by matchOne.
func (s *Snapshot) match(query string, budget int, scope Scope, matchOne func(*matcher.Matcher, string, int) matcher.Match) Result {
	if scope.ID != "" {
		b, ok := s.byID[scope.ID]
		if !ok || !scope.Contains(b) {
			return Result{}
		}
		h := hit{b: b, m: matchOne(b.Matcher, query, budget)}
		return Result{Briefing: b, Match: h.m, Searched: 1, Others: others(h, nil)}
	}
	if len(s.list) == 1 {
		// An archive of one: nothing to route.
		b := s.list[0]
		if !scope.Contains(b) {
			return Result{}
		}
		h := hit{b: b, m: matchOne(b.Matcher, query, budget)}
		return Result{Briefing: b, Match: h.m, Searched: 1, Others: others(h, nil)}
	}
	qs := s.scratch()
	defer s.pool.Put(qs)
	s.route(qs, query, scope)
	cands := qs.cands
	fallback := len(cands) == 0
	if fallback {
		// No briefing holds any of the query's words as typed: the newest ones may still
		// know them misspelt or through synonyms.
		for _, b := range s.list {
			if len(cands) == FallbackVisit {
				break
			}
			if scope.Contains(b) {
				cands = append(cands, candidate{slot: b.slot})
			}
		}
		qs.cands = cands
	}
	var (
		best  hit
		hits  []hit
		theta float64
	)
	for i, c := range cands {
		if i >= MaxVisit || (!fallback && i >= MinVisit && best.b != nil && c.bound <= theta) {
			break
		}
		b := s.slots[c.slot]
		h := hit{b: b, m: matchOne(b.Matcher, query, budget)}
		hits = append(hits, h)
		if h.better(best) {
			best = h
			theta = stemScore(b, qs.stems[b.Language], topNumber(h.m))
		}
	}
	res := Result{Briefing: best.b, Match: best.m, Searched: len(hits)}
	if best.b == nil {
		return res
	}
	res.Others = others(best, hits)
	return res
}

// others merges the alternatives of the best hit with the other briefings' best matches.
func others(best hit, hits []hit) []Other {
	var out []Other
	if n := len(best.m.Alternatives) + len(hits); n > 0 {
		out = make([]Other, 0, n)
	}
	for _, a := range best.m.Alternatives {
		out = append(out, Other{Briefing: best.b, Number: a.Number, Confidence: a.Confidence})
	}
	answering := best.m.Number > 0
	for _, h := range hits {
		if h.b == best.b {
			continue
		}
		n := topNumber(h.m)
		if n == 0 {
			continue
		}
		if answering && (h.m.Number == 0 || h.m.Confidence < otherShare*best.m.Confidence) {
			continue
		}
		out = append(out, Other{Briefing: h.b, Number: n, Confidence: h.m.Confidence})
	}
	slices.SortStableFunc(out, func(a, b Other) int {
		if d := a.Confidence - b.Confidence; d > Epsilon || d < -Epsilon {
			if d > 0 {
				return -1
			}
			return 1
		}
		if a.Briefing != b.Briefing && newer(a.Briefing, b.Briefing) {
			return -1
		}
		if a.Briefing != b.Briefing && newer(b.Briefing, a.Briefing) {
			return 1
		}
		return 0
	})
	if len(out) > maxOthers {
		out = out[:maxOthers]
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Ref is a reference to a question of a briefing as people type it: "2020-06-12#3",
// "weekly-12#3", or a bare "3".
type Ref struct {
	// Briefing is the id or date written before '#' ("" for a bare number).
	Briefing string
	Number   int
}

// ParseRef reads "BRIEFING#N" or "N". ok is false for anything else.
func ParseRef(s string) (r Ref, ok bool) {
	s = strings.TrimSpace(s)
	name, num, found := strings.Cut(s, "#")
	if !found {
		num, name = s, ""
	}
	n, err := strconv.Atoi(strings.TrimSpace(num))
	if err != nil || n < 1 || strings.ContainsAny(num, "+-") {
		return Ref{}, false
	}
	name = strings.TrimSpace(name)
	if found && name == "" {
		return Ref{}, false
	}
	return Ref{Briefing: name, Number: n}, true
}

// Resolve finds the briefing a name refers to: an id, a short key, or a date (the newest
// briefing of that day). ok is false when none matches.
func (s *Snapshot) Resolve(name string) (*Briefing, bool) {
	if b, ok := s.byID[name]; ok {
		return b, true
	}
	if d, err := transcript.ParseDate(name); err == nil {
		if on := s.OnDate(d); len(on) > 0 {
			return on[0], true
		}
	}
	if b, ok := s.byKey[strings.ToLower(name)]; ok {
		return b, true
	}
	return nil, false
}
