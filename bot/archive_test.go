package bot

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"transcriptbot/matcher/archive"
	"transcriptbot/transcript"
)

const (
	marchTown = "Town hall, March 2024\n\n1. When will the new bridge open?\n\nThe bridge opens in September, after the final safety inspection.\n\n" +
		"2. What is the city doing about housing costs?\n\nWe are building 2,000 affordable homes by 2027.\n\n" +
		"3. Will the library stay open on Sundays?\n\nYes. Sunday hours continue through the summer.\n"
	mayTown = "Town hall, May 2024\n\n1. What happens to the old harbour park?\n\nThe harbour park gets new trees and a playground next spring.\n\n" +
		"2. Are the library hours changing?\n\nThe library opens an hour earlier on weekdays from June.\n"
)

func archiveOf(t *testing.T, texts map[string]string) *archive.Archive {
	t.Helper()
	a := archive.New(archive.Options{})
	for id, text := range texts {
		tr, err := transcript.Parse(strings.NewReader(text))
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Put(transcript.NewBriefing(id, "", tr)); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

func townArchive(t *testing.T) (*Bot, *archive.Archive) {
	a := archiveOf(t, map[string]string{"2024-03-05-town-hall": marchTown, "2024-05-07-town-hall": mayTown})
	return NewArchive(a, Options{}), a
}

// inChat is a message in chat c1 of a test platform.
func inChat(text string) Request {
	return Request{Kind: KindMessage, Text: text, Private: true, Platform: "test", ChatID: "c1", UserID: "u1"}
}

func TestArchiveAnswerCitesItsBriefing(t *testing.T) {
	b, _ := townArchive(t)
	r := b.Handle(ctx, inChat("when does the bridge open?"))
	if r.Kind != ReplyAnswer || r.Number != 1 || r.Briefing != "2024-03-05-town-hall" || r.Date != "2024-03-05" {
		t.Fatalf("got %v #%d from %q %q, want answer 1 of 2024-03-05-town-hall", r.Kind, r.Number, r.Briefing, r.Date)
	}
	if want := "— Town hall, March 2024, 2024-03-05, question 1"; !strings.HasSuffix(r.Text(), want) {
		t.Errorf("got body %q, want it to end with %q", r.Text(), want)
	}
	if r.Source != "Town hall, March 2024, 2024-03-05" {
		t.Errorf("got source %q", r.Source)
	}
	for _, a := range r.Actions {
		if !strings.HasPrefix(a.ID, r.keyOf(t, b)+".") || len(a.ID) > MaxActionID {
			t.Errorf("action %q does not carry the briefing's key and version", a.ID)
		}
	}
}

// keyOf returns the short key of the reply's briefing.
func (r Reply) keyOf(t *testing.T, b *Bot) string {
	t.Helper()
	br, ok := b.Archive().Snapshot().Get(r.Briefing)
	if !ok {
		t.Fatalf("no briefing %q", r.Briefing)
	}
	return br.Key
}

func TestArchiveNumbersFollowTheCurrentBriefing(t *testing.T) {
	b, _ := townArchive(t)
	steps := []struct {
		text     string
		kind     ReplyKind
		number   int
		briefing string
	}{
		{"1", ReplyByNumber, 1, "2024-05-07-town-hall"}, // no history: the newest
		{"when does the bridge open?", ReplyAnswer, 1, "2024-03-05-town-hall"},
		{"3", ReplyByNumber, 3, "2024-03-05-town-hall"}, // the briefing of the last answer
		{"2024-05-07#2", ReplyByNumber, 2, "2024-05-07-town-hall"},
		{"1", ReplyByNumber, 1, "2024-05-07-town-hall"},
		{"3", ReplyInvalid, 0, ""}, // May has two questions
		{"/use 2024-03-05", ReplyList, 0, "2024-03-05-town-hall"},
		{"2", ReplyByNumber, 2, "2024-03-05-town-hall"},
		{"2024-05-07-town-hall#1", ReplyByNumber, 1, "2024-05-07-town-hall"},
		{"1999-01-01#1", ReplyInvalid, 0, ""},
	}
	for _, s := range steps {
		r := b.Handle(ctx, inChat(s.text))
		if r.Kind != s.kind || r.Number != s.number || (s.briefing != "" && r.Briefing != s.briefing) {
			t.Fatalf("%q: got %v #%d from %q (%q), want %v #%d from %q", s.text, r.Kind, r.Number, r.Briefing, r.Text(), s.kind, s.number, s.briefing)
		}
		if s.kind == ReplyByNumber && !strings.Contains(r.Text(), "question "+string(rune('0'+s.number))) {
			t.Errorf("%q: reply %q does not cite the question", s.text, r.Text())
		}
	}
	// Not a briefing: a question about the library, which both briefings answer (which one
	// the decision prefers is the model's call, not this test's).
	lib := b.Handle(ctx, inChat("library#2"))
	if got := fmt.Sprintf("%v #%d %s", lib.Kind, lib.Number, lib.Briefing); lib.Kind != ReplyAnswer ||
		!(lib.Number == 3 && lib.Briefing == "2024-03-05-town-hall" || lib.Number == 2 && lib.Briefing == "2024-05-07-town-hall") {
		t.Fatalf(`"library#2": got %s, want an answer to a library question`, got)
	}
	b.Handle(ctx, inChat("2024-05-07-town-hall#1")) // May again
	r := b.Handle(ctx, inChat("3"))
	if !strings.Contains(r.Text(), "“Town hall, May 2024” (2024-05-07) has questions 1–2.") {
		t.Errorf("got %q, want the briefing's range", r.Text())
	}
	// Another chat has its own current briefing.
	other := inChat("1")
	other.ChatID = "c2"
	if r := b.Handle(ctx, other); r.Briefing != "2024-05-07-town-hall" {
		t.Errorf("chat c2: got %q, want the newest", r.Briefing)
	}
}

func TestArchiveListOfBriefings(t *testing.T) {
	b, _ := townArchive(t)
	r := b.Handle(ctx, inChat("/questions"))
	if r.Kind != ReplyList || r.Briefing != "" {
		t.Fatalf("got %v from %q, want the list of briefings", r.Kind, r.Briefing)
	}
	lines := strings.Split(r.Text(), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "2024-05-07 · Town hall, May 2024 (2 questions)") || !strings.HasPrefix(lines[1], "2024-03-05") {
		t.Fatalf("got %q, want the two briefings newest first", r.Text())
	}
	if len(r.Actions) != 2 {
		t.Fatalf("got actions %v, want one per briefing", r.Actions)
	}
	q := b.Handle(ctx, Request{Kind: KindButton, Action: r.Actions[1].ID, Platform: "test", ChatID: "c1", UserID: "u1", Private: true})
	if q.Kind != ReplyList || q.Briefing != "2024-03-05-town-hall" || !strings.Contains(q.Text(), "1. When will the new bridge open?") {
		t.Fatalf("pressing the March briefing: got %v %q %q", q.Kind, q.Briefing, q.Text())
	}
	if r := b.Handle(ctx, inChat("2")); r.Briefing != "2024-03-05-town-hall" || r.Number != 2 {
		t.Errorf("after opening March, 2: got %q #%d", r.Briefing, r.Number)
	}
	if r := b.Handle(ctx, inChat("/questions 2024-05-07")); r.Kind != ReplyList || r.Briefing != "2024-05-07-town-hall" {
		t.Errorf("/questions DATE: got %v %q", r.Kind, r.Briefing)
	}
	if r := b.Handle(ctx, inChat("/questions nowhere")); r.Kind != ReplyInvalid {
		t.Errorf("/questions nowhere: got %v", r.Kind)
	}
}

func TestArchivePagedListOfBriefings(t *testing.T) {
	texts := map[string]string{}
	for d := 1; d <= 20; d++ {
		texts["2024-01-"+twoDigits(d)] = mayTown
	}
	b := NewArchive(archiveOf(t, texts), Options{})
	r := b.Handle(ctx, inChat("/questions"))
	if r.Pages != 3 || !strings.HasPrefix(r.Text(), "2024-01-20") {
		t.Fatalf("got %d pages starting %q, want 3 newest first", r.Pages, r.Text())
	}
	next := r.Actions[len(r.Actions)-1]
	if next.Label != "Older ▶" {
		t.Fatalf("last action %q, want Older", next.Label)
	}
	r2 := b.Handle(ctx, press(next.ID))
	if r2.Page != 2 || !strings.HasPrefix(r2.Text(), "2024-01-12") {
		t.Errorf("page 2: got %d %q", r2.Page, r2.Text())
	}
	if r := b.Handle(ctx, press("arc:b:9")); r.Kind != ReplyExpired {
		t.Errorf("page 9 button: got %v", r.Kind)
	}
}

func twoDigits(n int) string { return string(rune('0'+n/10)) + string(rune('0'+n%10)) }

func TestArchiveScopeSyntax(t *testing.T) {
	b, _ := townArchive(t)
	tests := []struct {
		text     string
		kind     ReplyKind
		briefing string
		number   int
	}{
		{"in:2024-03 library hours", ReplyAnswer, "2024-03-05-town-hall", 3},
		{"in:2024-05 library hours", ReplyAnswer, "2024-05-07-town-hall", 2},
		{"/ask in:2024-03-05 library hours", ReplyAnswer, "2024-03-05-town-hall", 3},
		{"in:2024-05-07-town-hall library", ReplyAnswer, "2024-05-07-town-hall", 2},
		{"in:1999 library", ReplyInvalid, "", 0},
		{"in:june library", ReplyInvalid, "", 0},
		{"in:2024", ReplyInvalid, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			r := b.Handle(ctx, inChat(tc.text))
			if r.Kind != tc.kind || r.Briefing != tc.briefing || r.Number != tc.number {
				t.Errorf("got %v %q #%d (%q), want %v %q #%d", r.Kind, r.Briefing, r.Number, r.Text(), tc.kind, tc.briefing, tc.number)
			}
		})
	}
}

func TestArchiveButtonsExpireWithTheirBriefing(t *testing.T) {
	b, a := townArchive(t)
	r := b.Handle(ctx, inChat("harbour park"))
	if r.Briefing != "2024-05-07-town-hall" || len(r.Actions) == 0 {
		t.Fatalf("got %q %v", r.Briefing, r.Actions)
	}
	full := r.Actions[0].ID
	if got := b.Handle(ctx, press(full)); got.Kind != ReplyByNumber || got.Briefing != "2024-05-07-town-hall" || got.Number != 1 {
		t.Fatalf("Full answer: got %v %q #%d", got.Kind, got.Briefing, got.Number)
	}
	tr, _ := transcript.Parse(strings.NewReader(strings.Replace(mayTown, "new trees", "old trees", 1)))
	if err := a.Put(transcript.NewBriefing("2024-05-07-town-hall", "", tr)); err != nil {
		t.Fatal(err)
	}
	if got := b.Handle(ctx, press(full)); got.Kind != ReplyExpired {
		t.Errorf("button of a changed briefing: got %v, want expired", got.Kind)
	}
	for _, id := range []string{"zzzz.12345678:f:1", "arc:q:1", "nokey:f:1", strings.Repeat("x", 80)} {
		if got := b.Handle(ctx, press(id)); got.Kind != ReplyExpired {
			t.Errorf("%q: got %v, want expired", id, got.Kind)
		}
	}
}

func TestArchiveOtherMatchesAcrossBriefings(t *testing.T) {
	b, _ := townArchive(t)
	r := b.Handle(ctx, inChat("library hours"))
	if r.Kind != ReplyAnswer {
		t.Fatalf("got %v %q", r.Kind, r.Text())
	}
	var other string
	for _, a := range r.Actions {
		if a.Label == "Other matches" {
			other = a.ID
		}
	}
	if other == "" {
		t.Fatalf("no Other matches in %v", r.Actions)
	}
	m := b.Handle(ctx, press(other))
	if m.Kind != ReplyAmbiguous || len(m.Actions) == 0 {
		t.Fatalf("Other matches: got %v %v", m.Kind, m.Actions)
	}
	opened := b.Handle(ctx, press(m.Actions[0].ID))
	if opened.Kind != ReplyByNumber || opened.Briefing == r.Briefing {
		t.Errorf("the other match: got %v from %q, want another briefing than %q", opened.Kind, opened.Briefing, r.Briefing)
	}
}

func TestArchiveOfOneCitesNothing(t *testing.T) {
	b := NewArchive(archiveOf(t, map[string]string{"2024-03-05-town-hall": marchTown}), Options{})
	r := b.Handle(ctx, inChat("when does the bridge open?"))
	if r.Kind != ReplyAnswer || r.Number != 1 || strings.Contains(r.Text(), "—") || r.Briefing != "2024-03-05-town-hall" {
		t.Errorf("got %v #%d %q from %q, want a plain answer", r.Kind, r.Number, r.Text(), r.Briefing)
	}
	if r := b.Handle(ctx, inChat("/questions")); r.Kind != ReplyList || !strings.Contains(r.Text(), "1. When will the new bridge open?") {
		t.Errorf("/questions: got %v %q, want the questions", r.Kind, r.Text())
	}
	if r := b.Handle(ctx, inChat("2")); r.Kind != ReplyByNumber || r.Number != 2 {
		t.Errorf("2: got %v #%d", r.Kind, r.Number)
	}
}

func TestArchiveFollowUpsAndSuggest(t *testing.T) {
	b, _ := townArchive(t)
	b.Handle(ctx, inChat("when does the bridge open?"))
	if r := b.Handle(ctx, inChat("more")); r.Kind != ReplyByNumber || r.Briefing != "2024-03-05-town-hall" || r.Number != 1 {
		t.Errorf("more: got %v %q #%d", r.Kind, r.Briefing, r.Number)
	}
	s := b.Suggest(ctx, SuggestRequest{Query: "harbour park", Max: 3})
	if len(s) == 0 || s[0].Number != 1 || !strings.Contains(s[0].Question, "harbour") {
		t.Errorf("Suggest: got %+v", s)
	}
	if r := b.Handle(ctx, inChat("/help")); !strings.Contains(r.Text(), "2020-06-12#3") || !strings.Contains(r.Text(), "in:2020-06") {
		t.Errorf("help lacks the archive syntax: %q", r.Text())
	}
}

func TestArchiveEmpty(t *testing.T) {
	b := NewArchive(archive.New(archive.Options{}), Options{})
	if r := b.Handle(ctx, inChat("hello")); r.Kind != ReplyError {
		t.Errorf("got %v, want an error reply", r.Kind)
	}
}

func TestArchiveMissNamesTheBriefing(t *testing.T) {
	a := archiveOf(t, map[string]string{"2024-03-05-town-hall": marchTown, "2024-05-07-town-hall": mayTown})
	type miss struct{ query, briefing, version string }
	var got []miss
	b := NewArchive(a, Options{OnMissIn: func(q, br, v string) { got = append(got, miss{q, br, v}) },
		OnMiss: func(string) { t.Error("OnMiss called in archive mode with OnMissIn set") }})
	r := b.Handle(ctx, inChat("what is the price of the night trams to the airport"))
	if r.Kind != ReplyNotCovered {
		t.Fatalf("got %v %q, want not covered", r.Kind, r.Text())
	}
	br, _ := a.Snapshot().Get(r.Briefing)
	if len(got) != 1 || got[0].briefing != r.Briefing || got[0].version != br.Version() || !strings.Contains(got[0].query, "night trams") {
		t.Errorf("got misses %+v, want one naming %q", got, r.Briefing)
	}
}

func TestBriefingChoices(t *testing.T) {
	b, _ := townArchive(t)
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"2024-05-07-town-hall", "2024-03-05-town-hall"}},
		{"2024-03", []string{"2024-03*", "2024-03-05-town-hall"}}, // *: a period naming no one briefing
		{"2024", []string{"2024*", "2024-05-07-town-hall", "2024-03-05-town-hall"}},
		{"2024-03-05", []string{"2024-03-05", "2024-03-05-town-hall"}}, // a day names its briefing
		{"may", []string{"2024-05-07-town-hall"}},
		{"nothing", nil},
	}
	for _, tc := range tests {
		var got []string
		for _, c := range b.BriefingChoices(tc.query, 25) {
			if c.Period {
				c.Value += "*"
			}
			got = append(got, c.Value)
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("BriefingChoices(%q) = %v, want %v", tc.query, got, tc.want)
		}
	}
	spaced := NewArchive(archiveOf(t, map[string]string{"press conference": marchTown}), Options{})
	c := spaced.BriefingChoices("", 5)
	br, _ := spaced.Archive().Snapshot().Get("press conference")
	if len(c) != 1 || c[0].Value != br.Key {
		t.Errorf("an id with a space: got %+v, want its key %q", c, br.Key)
	}
	if r := spaced.Handle(ctx, inChat("in:"+br.Key+" library")); r.Briefing != "press conference" || r.Number != 3 {
		t.Errorf("in:KEY: got %q #%d", r.Briefing, r.Number)
	}
	if got := New(nil, Options{}).BriefingChoices("", 5); got != nil {
		t.Errorf("a bot of one transcript offers %v", got)
	}
}

// TestArchiveFollowUpOfAnotherUser: in a group, a user's "the first one" follows their own
// menu even after another user's answer moved the chat to another briefing.
func TestArchiveFollowUpOfAnotherUser(t *testing.T) {
	b, _ := townArchive(t)
	ann := Request{Kind: KindMessage, Platform: "test", ChatID: "g1", UserID: "ann"}
	bob := Request{Kind: KindMessage, Platform: "test", ChatID: "g1", UserID: "bob"}
	ann.Text = "/questions 2024-03-05"
	if r := b.Handle(ctx, ann); r.Kind != ReplyList || r.Briefing != "2024-03-05-town-hall" {
		t.Fatalf("ann's list: got %v %q", r.Kind, r.Briefing)
	}
	bob.Text = "harbour park"
	if r := b.Handle(ctx, bob); r.Briefing != "2024-05-07-town-hall" {
		t.Fatalf("bob: got %q", r.Briefing)
	}
	ann.Text = "the third one"
	if r := b.Handle(ctx, ann); r.Kind != ReplyByNumber || r.Briefing != "2024-03-05-town-hall" || r.Number != 3 {
		t.Errorf("ann's follow-up: got %v %q #%d, want March's question 3", r.Kind, r.Briefing, r.Number)
	}
}

func TestArchiveSuggestCites(t *testing.T) {
	b, _ := townArchive(t)
	s := b.Suggest(ctx, SuggestRequest{Query: "harbour park", Max: 3})
	if len(s) == 0 || s[0].Briefing != "2024-05-07-town-hall" || !strings.HasSuffix(s[0].Text(), "— Town hall, May 2024, 2024-05-07, question 1") {
		t.Fatalf("got %+v, want the harbour park answer cited", s)
	}
	s = b.Suggest(ctx, SuggestRequest{Query: "in:2024-03 library", Max: 3})
	if len(s) == 0 || s[0].Briefing != "2024-03-05-town-hall" || s[0].Number != 3 {
		t.Errorf("in:2024-03 library: got %+v, want March's question 3", s)
	}
	if s := b.Suggest(ctx, SuggestRequest{Query: "in:1999 library", Max: 3}); len(s) != 0 {
		t.Errorf("in:1999: got %+v, want nothing", s)
	}
}

// TestArchiveCurrentWithoutFollowUps: with follow-ups off, the current briefing is still
// kept, in the store given.
func TestArchiveCurrentWithoutFollowUps(t *testing.T) {
	store := NewMemoryTurns(MemoryTurnsOptions{})
	a := archiveOf(t, map[string]string{"2024-03-05-town-hall": marchTown, "2024-05-07-town-hall": mayTown})
	b := NewArchive(a, Options{Turns: store, TurnTTL: -1})
	b.Handle(ctx, inChat("when does the bridge open?"))
	if r := b.Handle(ctx, inChat("3")); r.Briefing != "2024-03-05-town-hall" || r.Number != 3 {
		t.Errorf("3: got %q #%d, want March's question 3", r.Briefing, r.Number)
	}
	if store.Len() != 1 {
		t.Errorf("store holds %d entries, want the chat's current briefing", store.Len())
	}
}

func TestArchiveOtherMatchesExpireWithTheirBriefing(t *testing.T) {
	b, a := townArchive(t)
	r := b.Handle(ctx, inChat("library hours"))
	var other string
	for _, act := range r.Actions {
		if act.Label == "Other matches" {
			other = act.ID
		}
	}
	if other == "" || len(other) > MaxActionID {
		t.Fatalf("Other matches id %q", other)
	}
	// The other briefing (March; May answers) changes: the menu's id expires.
	if r.Briefing != "2024-05-07-town-hall" {
		t.Fatalf("library hours: answered from %q, want May", r.Briefing)
	}
	tr, err := transcript.Parse(strings.NewReader(strings.Replace(marchTown, "Yes.", "Yes, certainly.", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Put(transcript.NewBriefing("2024-03-05-town-hall", "", tr)); err != nil {
		t.Fatal(err)
	}
	if got := b.Handle(ctx, press(other)); got.Kind != ReplyExpired {
		t.Errorf("after March changed: got %v, want expired", got.Kind)
	}
}

// TestArchiveSuggestFollowsTheChat: a chat's suggestions come from the briefing its numbers
// mean — the current one, else the newest — unless "in:" or Briefing names another, and
// suggesting never moves the chat's current briefing.
func TestArchiveSuggestFollowsTheChat(t *testing.T) {
	store := NewMemoryTurns(MemoryTurnsOptions{})
	a := archiveOf(t, map[string]string{"2024-03-05-town-hall": marchTown, "2024-05-07-town-hall": mayTown})
	b := NewArchive(a, Options{Turns: store})
	if r := b.Handle(ctx, inChat("/use 2024-03-05")); r.Kind != ReplyList || r.Briefing != "2024-03-05-town-hall" {
		t.Fatalf("/use: got %v %q", r.Kind, r.Briefing)
	}
	stored := store.Len()
	const march, may = "2024-03-05-town-hall", "2024-05-07-town-hall"
	tests := []struct {
		name            string
		req             SuggestRequest
		briefing        string
		numbers, prefix string // the numbers suggested; the first question's beginning
	}{
		{"the chat's current briefing", SuggestRequest{Platform: "test", ChatID: "c1"}, march, "1 2 3", "When will the new bridge"},
		{"a number of the current briefing", SuggestRequest{Query: "3", Platform: "test", ChatID: "c1"}, march, "3", "Will the library stay open"},
		{"words ranked in the current briefing", SuggestRequest{Query: "library", Platform: "test", ChatID: "c1", Max: 1}, march, "3", "Will the library stay open"},
		{"the same chat id on another platform", SuggestRequest{Platform: "other", ChatID: "c1"}, may, "1 2", "What happens to the old harbour"},
		{"another chat: the newest", SuggestRequest{Platform: "test", ChatID: "c2"}, may, "1 2", "What happens to the old harbour"},
		{"no chat: the newest", SuggestRequest{}, may, "1 2", "What happens to the old harbour"},
		{"no chat, words: the best briefing", SuggestRequest{Query: "bridge open", Max: 1}, march, "1", "When will the new bridge"},
		{"in: wins over the current briefing", SuggestRequest{Query: "in:2024-05 1", Platform: "test", ChatID: "c1"}, may, "1", "What happens to the old harbour"},
		{"Briefing wins over the current briefing", SuggestRequest{Platform: "test", ChatID: "c1", Briefing: "2024-05-07"}, may, "1 2", "What happens to the old harbour"},
		{"Briefing by id, another chat", SuggestRequest{Query: "2", Platform: "test", ChatID: "c2", Briefing: march}, march, "2", "What is the city doing"},
		{"a number past the current briefing's", SuggestRequest{Query: "3", Platform: "test", ChatID: "c2"}, "", "", ""},
		{"Briefing naming none", SuggestRequest{Platform: "test", ChatID: "c1", Briefing: "1999-01-01"}, "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.req.Max == 0 {
				tc.req.Max = 5
			}
			s := b.Suggest(ctx, tc.req)
			var nums []string
			for _, r := range s {
				nums = append(nums, strconv.Itoa(r.Number))
				if r.Briefing != tc.briefing {
					t.Errorf("question %d from %q, want %q", r.Number, r.Briefing, tc.briefing)
				}
			}
			if got := strings.Join(nums, " "); got != tc.numbers {
				t.Fatalf("got numbers %q, want %q", got, tc.numbers)
			}
			if len(s) > 0 && !strings.HasPrefix(s[0].Question, tc.prefix) {
				t.Errorf("got question %q, want it to begin %q", s[0].Question, tc.prefix)
			}
		})
	}
	// Suggesting is not answering: no chat's current briefing moved or was stored.
	if got := store.Len(); got != stored {
		t.Errorf("store holds %d entries after suggesting, want %d", got, stored)
	}
	if r := b.Handle(ctx, inChat("3")); r.Kind != ReplyByNumber || r.Briefing != march || r.Number != 3 {
		t.Errorf("c1 after suggesting: 3 gives %v %q #%d, want March's question 3", r.Kind, r.Briefing, r.Number)
	}
	other := inChat("1")
	other.ChatID = "c2"
	if r := b.Handle(ctx, other); r.Briefing != may {
		t.Errorf("c2 after suggesting March: 1 gives %q, want the newest", r.Briefing)
	}
}
