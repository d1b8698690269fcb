package archive

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"transcriptbot/matcher/archive/archivetest"
	"transcriptbot/transcript"
)

func briefing(t testing.TB, id, text string) *transcript.Briefing {
	t.Helper()
	tr, err := transcript.Parse(strings.NewReader(text))
	if err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	return transcript.NewBriefing(id, "", tr)
}

const (
	bridgeText = "Town hall, March 2024\n\n1. When will the new bridge open?\n\nThe bridge opens in September, after the final safety inspection.\n\n" +
		"2. What is the city doing about housing costs?\n\nWe are building 2,000 affordable homes by 2027.\n\n" +
		"3. Will the library stay open on Sundays?\n\nYes. Sunday hours continue through the summer.\n"
	parkText = "Town hall, May 2024\n\n1. What happens to the old harbour park?\n\nThe harbour park gets new trees and a playground next spring.\n\n" +
		"2. Are the library hours changing?\n\nThe library opens an hour earlier on weekdays from June.\n"
	spanishText = "Rueda de prensa\nLanguage: spanish\n\n1. ¿Cuándo se abrirá el nuevo puente sobre el río?\n\nEl puente se abrirá en septiembre, tras la inspección final.\n\n" +
		"2. ¿Qué hace la ciudad con los precios de la vivienda?\n\nEstamos construyendo dos mil viviendas asequibles.\n"
)

func smallArchive(t testing.TB) *Archive {
	t.Helper()
	a := New(Options{})
	if errs := a.Load([]*transcript.Briefing{
		briefing(t, "2024-03-05-town-hall", bridgeText),
		briefing(t, "2024-05-07-town-hall", parkText),
		briefing(t, "2023-11-02-rueda", spanishText),
	}); len(errs) > 0 {
		t.Fatal(errs)
	}
	return a
}

func TestMatchCitesTheBriefing(t *testing.T) {
	a := smallArchive(t)
	tests := []struct {
		query  string
		id     string
		number int
	}{
		{"when does the bridge open", "2024-03-05-town-hall", 1},
		{"what about the harbour park playground", "2024-05-07-town-hall", 1},
		{"¿cuándo abrirán el puente?", "2023-11-02-rueda", 1},
		{"viviendas asequibles", "2023-11-02-rueda", 2},
		{"affordable homes", "2024-03-05-town-hall", 2},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			r := a.Match(tc.query, 0, Scope{})
			if r.Briefing == nil || r.Briefing.ID != tc.id || r.Number != tc.number {
				t.Fatalf("got %v #%d, want %s #%d", r.Briefing, r.Number, tc.id, tc.number)
			}
			if r.Excerpt.Text == "" {
				t.Error("no excerpt")
			}
		})
	}
	r := a.Match("when does the bridge open", 0, Scope{})
	if r.Briefing.Title != "Town hall, March 2024" || r.Briefing.DateString() != "2024-03-05" || r.Briefing.Language != "english" {
		t.Errorf("got title %q date %q language %q", r.Briefing.Title, r.Briefing.DateString(), r.Briefing.Language)
	}
	if es, _ := a.Snapshot().Get("2023-11-02-rueda"); es.Language != "spanish" {
		t.Errorf("got language %q, want spanish", es.Language)
	}
}

func TestOthersComeFromOtherBriefings(t *testing.T) {
	a := smallArchive(t)
	r := a.Match("library hours", 0, Scope{})
	if r.Number == 0 {
		t.Fatalf("abstained: %+v", r)
	}
	ids := map[string]bool{r.Briefing.ID: true}
	for _, o := range r.Others {
		ids[o.Briefing.ID] = true
		if o.Number < 1 || o.Number > o.Briefing.Transcript.Len() {
			t.Errorf("other %s #%d out of range", o.Briefing.ID, o.Number)
		}
	}
	if !ids["2024-03-05-town-hall"] || !ids["2024-05-07-town-hall"] {
		t.Errorf("got answer %s and others %+v, want both town halls", r.Briefing.ID, r.Others)
	}
}

func TestTieGoesToTheNewerBriefing(t *testing.T) {
	a := New(Options{})
	for _, id := range []string{"2020-01-01-a", "2022-01-01-c", "2021-01-01-b"} {
		if err := a.Put(briefing(t, id, bridgeText)); err != nil {
			t.Fatal(err)
		}
	}
	r := a.Match("when does the bridge open", 0, Scope{})
	if r.Briefing == nil || r.Briefing.ID != "2022-01-01-c" || r.Number != 1 {
		t.Fatalf("got %v #%d, want 2022-01-01-c #1", r.Briefing, r.Number)
	}
	if len(r.Others) == 0 || r.Others[0].Briefing.ID != "2021-01-01-b" || r.Others[0].Number != 1 {
		t.Errorf("got others %+v, want 2021-01-01-b #1 first", r.Others)
	}
	if got := a.Snapshot().Newest().ID; got != "2022-01-01-c" {
		t.Errorf("newest: got %q", got)
	}
}

func TestScope(t *testing.T) {
	a := smallArchive(t)
	may, _ := ParsePeriod("2024-05")
	tests := []struct {
		name   string
		scope  Scope
		query  string
		id     string
		number int
	}{
		{"by id", Scope{ID: "2024-05-07-town-hall"}, "library", "2024-05-07-town-hall", 2},
		{"by id, other briefing's topic", Scope{ID: "2024-05-07-town-hall"}, "when does the bridge open", "2024-05-07-town-hall", 0},
		{"by month", may, "library hours", "2024-05-07-town-hall", 2},
		{"by month, nothing there", Scope{From: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}, "library", "", 0},
		{"unknown id", Scope{ID: "nope"}, "library", "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := a.Match(tc.query, 0, tc.scope)
			id := ""
			if r.Briefing != nil {
				id = r.Briefing.ID
			}
			if id != tc.id || r.Number != tc.number {
				t.Fatalf("got %q #%d, want %q #%d", id, r.Number, tc.id, tc.number)
			}
			for _, o := range r.Others {
				if !tc.scope.Contains(o.Briefing) {
					t.Errorf("other %s outside the scope", o.Briefing.ID)
				}
			}
		})
	}
}

func TestParsePeriod(t *testing.T) {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		in       string
		from, to time.Time
		str      string
	}{
		{"2020", day(2020, 1, 1), day(2021, 1, 1), "2020"},
		{"2020-06", day(2020, 6, 1), day(2020, 7, 1), "2020-06"},
		{"2020-06-12", day(2020, 6, 12), day(2020, 6, 13), "2020-06-12"},
		{"2020-03..2020-06", day(2020, 3, 1), day(2020, 7, 1), "2020-03-01..2020-06-30"},
		{"2021..", day(2021, 1, 1), time.Time{}, "2021-01-01.."},
		{"..2020-06-12", time.Time{}, day(2020, 6, 13), "..2020-06-12"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			sc, err := ParsePeriod(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if !sc.From.Equal(tc.from) || !sc.To.Equal(tc.to) || sc.String() != tc.str {
				t.Errorf("got %v..%v %q, want %v..%v %q", sc.From, sc.To, sc.String(), tc.from, tc.to, tc.str)
			}
		})
	}
	for _, bad := range []string{"", "june", "2020-13", "2020-06-31", "..", "2021..2020", "20200", "2020-6"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q): no error", bad)
		}
	}
}

func TestParseRefAndResolve(t *testing.T) {
	a := smallArchive(t)
	s := a.Snapshot()
	march, _ := s.Get("2024-03-05-town-hall")
	tests := []struct {
		in     string
		ok     bool
		number int
		id     string // resolved briefing, "" for a bare number
	}{
		{"3", true, 3, ""},
		{"2024-03-05#2", true, 2, "2024-03-05-town-hall"},
		{"2024-05-07-town-hall#1", true, 1, "2024-05-07-town-hall"},
		{march.Key + "#1", true, 1, "2024-03-05-town-hall"},
		{"#3", false, 0, ""},
		{"x#0", false, 0, ""},
		{"x#-1", false, 0, ""},
		{"three", false, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			r, ok := ParseRef(tc.in)
			if ok != tc.ok || r.Number != tc.number {
				t.Fatalf("got %+v %v, want number %d %v", r, ok, tc.number, tc.ok)
			}
			if !ok || tc.id == "" {
				return
			}
			b, found := s.Resolve(r.Briefing)
			if !found || b.ID != tc.id {
				t.Errorf("resolved %q to %v, want %s", r.Briefing, b, tc.id)
			}
		})
	}
	if _, ok := s.Resolve("2019-01-01"); ok {
		t.Error("resolved a date without a briefing")
	}
}

func TestKeys(t *testing.T) {
	a := smallArchive(t)
	s := a.Snapshot()
	seen := map[string]bool{}
	for _, b := range s.List() {
		if len(b.Key) < 4 || len(b.Key) > 8 || seen[b.Key] {
			t.Errorf("%s: key %q too long, short or repeated", b.ID, b.Key)
		}
		seen[b.Key] = true
		if got, _ := s.ByKey(b.Key); got != b {
			t.Errorf("ByKey(%q) = %v, want %s", b.Key, got, b.ID)
		}
	}
	// Keys are stable: the same id gets the same key in another archive.
	b := New(Options{})
	if err := b.Put(briefing(t, "2024-03-05-town-hall", parkText)); err != nil {
		t.Fatal(err)
	}
	x, _ := s.Get("2024-03-05-town-hall")
	if y, _ := b.Snapshot().Get("2024-03-05-town-hall"); x.Key != y.Key {
		t.Errorf("got keys %q and %q for one id", x.Key, y.Key)
	}
}

func TestPutAndRemoveAreCopyOnWrite(t *testing.T) {
	a := smallArchive(t)
	before := a.Snapshot()
	changed := strings.Replace(parkText, "harbour park", "riverside meadow", -1)
	if err := a.Put(briefing(t, "2024-05-07-town-hall", changed)); err != nil {
		t.Fatal(err)
	}
	after := a.Snapshot()
	if r := after.Match("riverside meadow", 0, Scope{}); r.Briefing == nil || r.Briefing.ID != "2024-05-07-town-hall" || r.Number != 1 {
		t.Errorf("after Put: got %v #%d, want the May briefing #1", r.Briefing, r.Number)
	}
	if r := after.Match("harbour park", 0, Scope{ID: "2024-05-07-town-hall"}); r.Number == 1 {
		t.Errorf("after Put the old text still answers")
	}
	if r := before.Match("harbour park", 0, Scope{}); r.Briefing == nil || r.Number != 1 {
		t.Errorf("the earlier snapshot changed: got %v #%d", r.Briefing, r.Number)
	}
	if r := before.Match("riverside meadow", 0, Scope{}); r.Number != 0 {
		t.Errorf("the earlier snapshot sees the new text: got %v #%d", r.Briefing, r.Number)
	}
	old, _ := before.Get("2024-05-07-town-hall")
	cur, _ := after.Get("2024-05-07-town-hall")
	if old.Key != cur.Key || old.Version() == cur.Version() {
		t.Errorf("keys %q %q, versions %q %q: want one key, two versions", old.Key, cur.Key, old.Version(), cur.Version())
	}

	if !a.Remove("2024-05-07-town-hall") || a.Remove("2024-05-07-town-hall") {
		t.Error("Remove: want true, then false")
	}
	if r := a.Match("riverside meadow", 0, Scope{}); r.Number != 0 && r.Briefing.ID == "2024-05-07-town-hall" {
		t.Errorf("removed briefing answers")
	}
	if a.Snapshot().Len() != 2 || after.Len() != 3 {
		t.Errorf("got lengths %d and %d, want 2 and 3", a.Snapshot().Len(), after.Len())
	}
	if err := a.Put(briefing(t, "es2", strings.Replace(spanishText, "spanish", "klingon", 1))); err == nil {
		t.Error("Put of an unknown language: no error")
	}
}

func TestConcurrentReadersDuringUpdates(t *testing.T) {
	a := smallArchive(t)
	var wg sync.WaitGroup
	done := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				if r := a.Match("when does the bridge open", 0, Scope{}); r.Briefing == nil || r.Number != 1 {
					t.Errorf("got %v #%d during updates", r.Briefing, r.Number)
					return
				}
				// A misspelling reads the language's shared spelling index while Put adds
				// words to it.
				a.Match("harbuor parc playgrund", 0, Scope{})
			}
		}()
	}
	for i := range 20 {
		id := "2024-05-07-town-hall"
		if i%2 == 0 {
			a.Remove(id)
		} else if err := a.Put(briefing(t, id, parkText+fmt.Sprintf("\n3. What about pier %c%d?\n\nPier number%d reopens.\n", 'a'+rune(i), i, i))); err != nil {
			t.Error(err)
		}
	}
	close(done)
	wg.Wait()
}

// TestRoutingOnGeneratedArchive checks the routing against matching every briefing: on a
// generated archive the pruned search answers from the query's own question as often as
// the exhaustive one, while matching far fewer briefings.
func TestRoutingOnGeneratedArchive(t *testing.T) {
	for _, topics := range []int{0, 3} {
		t.Run(fmt.Sprintf("topics=%d", topics), func(t *testing.T) { testRouting(t, topics) })
	}
}

func testRouting(t *testing.T, topics int) {
	files := archivetest.Generate(archivetest.Options{Briefings: 60, Entries: 20, Seed: 5, Topics: topics})
	a := New(Options{})
	var bs []*transcript.Briefing
	for _, f := range files {
		bs = append(bs, briefing(t, f.ID(), f.Text))
	}
	if errs := a.Load(bs); len(errs) > 0 {
		t.Fatal(errs)
	}
	s := a.Snapshot()
	qs := archivetest.Queries(files, 200, 9)
	right, rightAll, searched := 0, 0, 0
	for _, q := range qs {
		r := s.Match(q.Text, 0, Scope{})
		searched += r.Searched
		// MatchPlain: the same result, without the excerpt's highlights.
		plain := s.MatchPlain(q.Text, 0, Scope{})
		r.Excerpt.Highlights = nil
		if !reflect.DeepEqual(plain, r) {
			t.Fatalf("%q: MatchPlain %+v, Match without highlights %+v", q.Text, plain, r)
		}
		r = s.Match(q.Text, 0, Scope{})
		if r.Briefing != nil && r.Briefing.ID == q.Briefing && r.Number == q.Number {
			right++
		}
		// Exhaustive: every briefing.
		var best hit
		for _, b := range s.List() {
			if h := (hit{b: b, m: b.Matcher.Match(q.Text, 0)}); h.better(best) {
				best = h
			}
		}
		if best.b.ID == q.Briefing && best.m.Number == q.Number {
			rightAll++
		}
	}
	t.Logf("right %d (exhaustive %d) of %d, %.1f briefings searched per query of %d", right, rightAll, len(qs), float64(searched)/float64(len(qs)), s.Len())
	if right < rightAll-len(qs)/100 {
		t.Errorf("routing answered %d right, exhaustive search %d", right, rightAll)
	}
	if searched >= len(qs)*s.Len()/2 {
		t.Errorf("searched %d briefings for %d queries: routing prunes little", searched, len(qs))
	}
}

func TestMisspeltQueryFallsBackToNewest(t *testing.T) {
	a := smallArchive(t)
	// No briefing holds "brdge" as typed: the newest briefings are matched, and the
	// matcher's own correction finds the bridge.
	r := a.Match("brdge", 0, Scope{})
	if r.Searched != 3 {
		t.Errorf("searched %d briefings, want all 3", r.Searched)
	}
	if r.Briefing == nil || r.Briefing.ID != "2024-03-05-town-hall" || r.Number != 1 {
		t.Errorf("got %v #%d, want 2024-03-05-town-hall #1", r.Briefing, r.Number)
	}
}

// TestSharedDictionaries checks that sharing a dictionary among the briefings of a language
// changes no answer: a generated archive answers its queries exactly as the same archive whose
// briefings each have a dictionary of their own.
func TestSharedDictionaries(t *testing.T) {
	files := archivetest.Generate(archivetest.Options{Briefings: 30, Entries: 20, Seed: 7, Topics: 5})
	var bs []*transcript.Briefing
	for _, f := range files {
		bs = append(bs, briefing(t, f.ID(), f.Text))
	}
	shared, own := New(Options{}), New(Options{ownDictionaries: true})
	for _, a := range []*Archive{shared, own} {
		if errs := a.Load(bs); len(errs) > 0 {
			t.Fatal(errs)
		}
	}
	queries := archivetest.Queries(files, 300, 8)
	// Misspelt and run-together forms too: the spelling index is what is shared.
	for i := range 60 {
		q := queries[i].Text
		queries = append(queries, archivetest.Query{Text: strings.Replace(q, "a", "", 1)},
			archivetest.Query{Text: strings.Replace(q, " ", "", 1)})
	}
	summary := func(r Result) string {
		var b strings.Builder
		if r.Briefing != nil {
			fmt.Fprintf(&b, "%s#%d", r.Briefing.ID, r.Number)
		}
		fmt.Fprintf(&b, " %.12f %v %q %d", r.Confidence, r.Ambiguous, r.Excerpt.Text, r.Searched)
		for _, o := range r.Others {
			fmt.Fprintf(&b, " %s#%d:%.12f", o.Briefing.ID, o.Number, o.Confidence)
		}
		return b.String()
	}
	for _, q := range queries {
		got, want := summary(shared.Match(q.Text, 0, Scope{})), summary(own.Match(q.Text, 0, Scope{}))
		if got != want {
			t.Errorf("%q: shared dictionary gives %s, own dictionaries %s", q.Text, got, want)
		}
	}
}

// TestFirstCandidates checks the selection of the briefings a query is matched against
// against a full sort, on random bounds with many ties.
func TestFirstCandidates(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	before := func(a, b candidate) bool {
		if a.bound != b.bound {
			return a.bound > b.bound
		}
		return a.slot < b.slot
	}
	for trial := range 500 {
		cands := make([]candidate, r.IntN(60))
		for i := range cands {
			cands[i] = candidate{slot: int32(i), bound: float64(r.IntN(8))}
		}
		r.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
		want := slices.Clone(cands)
		slices.SortFunc(want, func(a, b candidate) int {
			if before(a, b) {
				return -1
			}
			return 1
		})
		n := 1 + r.IntN(20)
		want = want[:min(n, len(want))]
		if got := firstCandidates(cands, n, before); !slices.Equal(got, want) {
			t.Fatalf("trial %d, n %d: got %v, want %v", trial, n, got, want)
		}
	}
}
