package bot

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"transcriptbot/matcher"
)

// said is a message from user "u1" in chat "c1" of a test platform.
func said(text string) Request {
	return Request{Kind: KindMessage, Text: text, Private: true, Platform: "test", ChatID: "c1", UserID: "u1"}
}

// followUpBot returns a test bot whose engine answers "which summit" with a did-you-mean
// between questions 10 and 8, "the trade answer" with an excerpt of question 4, and anything
// else it does not know with "not covered", nearest questions 2 and 5.
func followUpBot(t testing.TB, opts Options) (*Bot, *fakeEngine) {
	t.Helper()
	b, f := newTestBot(opts)
	f.matches["which summit"] = matcher.Match{Number: 10, Ambiguous: true, Alternatives: []matcher.Alternative{{Number: 8}}}
	f.matches["the trade answer"] = matcher.Match{Number: 4, Excerpt: matcher.Excerpt{Text: "Topic 4 is discussed here."},
		Alternatives: []matcher.Alternative{{Number: 2}, {Number: 5}}}
	return b, f
}

func TestFollowUpAfterMenu(t *testing.T) {
	tests := []struct {
		name   string
		menu   string // the message that made the menu
		follow string
		kind   ReplyKind
		number int
		text   string // part of the body, when not empty
	}{
		{"first one", "which summit", "the first one", ReplyByNumber, 10, ""},
		{"second one", "which summit", "the second one", ReplyByNumber, 8, ""},
		{"ordinal alone", "which summit", "Second.", ReplyByNumber, 8, ""},
		{"2nd", "which summit", "the 2nd please", ReplyByNumber, 8, ""},
		{"last one", "which summit", "the last one", ReplyByNumber, 8, ""},
		{"option 1", "which summit", "option 1", ReplyByNumber, 10, ""},
		{"yes with choice", "which summit", "yes, the second one", ReplyByNumber, 8, ""},
		{"bare number is a choice", "which summit", "2", ReplyByNumber, 8, ""},
		{"bare number 1", "which summit", "1", ReplyByNumber, 10, ""},
		{"bare number on a button", "which summit", "8", ReplyByNumber, 8, ""},
		{"bare number beyond the menu", "which summit", "3", ReplyByNumber, 3, ""},
		{"explicit question number", "which summit", "question 2", ReplyByNumber, 2, ""},
		{"q2", "which summit", "q2", ReplyByNumber, 2, ""},
		{"no such choice", "which summit", "the third one", ReplyInvalid, 0, "There is no choice 3: the last list offered choices 1–2."},
		{"option beyond", "which summit", "option 7", ReplyInvalid, 0, "There is no choice 7"},
		{"yes", "which summit", "yes", ReplyByNumber, 10, ""},
		{"yeah please", "which summit", "Yes please!", ReplyByNumber, 10, ""},
		{"no", "which summit", "no", ReplyNotCovered, 0, "Sorry I couldn't find it."},
		{"none of these", "which summit", "none of these", ReplyNotCovered, 0, "Sorry I couldn't find it."},
		{"more after a menu", "which summit", "more", ReplyAmbiguous, 0, "Pick one of these questions"},
		{"nearest first", "something else entirely", "the first one", ReplyByNumber, 2, ""},
		{"nearest 2", "something else entirely", "2", ReplyByNumber, 2, ""}, // question 2 is on a button
		{"nearest bare 1", "something else entirely", "1", ReplyByNumber, 2, ""},
		{"yes after nearest is no pick", "something else entirely", "yes", ReplyNotCovered, 0, ""},
		{"list first", "/questions 1", "the first one", ReplyByNumber, 1, ""},
		{"list numbers are questions", "/questions", "2", ReplyByNumber, 2, ""},
		{"list last", "/questions", "the last one", ReplyByNumber, 10, ""},
		{"list more", "/questions", "more", ReplyHelp, 0, "That was the end of the list"},
		{"thanks keeps the menu", "which summit", "thanks", ReplySmallTalk, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, _ := followUpBot(t, Options{})
			menu := b.Handle(ctx, said(tc.menu))
			if !remembered(menu.Kind) {
				t.Fatalf("menu %q: got kind %v", tc.menu, menu.Kind)
			}
			r := b.Handle(ctx, said(tc.follow))
			if r.Kind != tc.kind || r.Number != tc.number {
				t.Fatalf("%q after %q: got %v %d %q, want %v %d", tc.follow, tc.menu, r.Kind, r.Number, r.Text(), tc.kind, tc.number)
			}
			if !strings.Contains(r.Text(), tc.text) {
				t.Errorf("%q after %q: got %q, want it to contain %q", tc.follow, tc.menu, r.Text(), tc.text)
			}
			if tc.kind == ReplyByNumber && r.Question == "" {
				t.Errorf("%q: the reply does not name the question it opens", tc.follow)
			}
		})
	}
}

func TestFollowUpAfterThanksStillPicks(t *testing.T) {
	b, _ := followUpBot(t, Options{})
	b.Handle(ctx, said("which summit"))
	b.Handle(ctx, said("thanks"))
	if r := b.Handle(ctx, said("the second one")); r.Kind != ReplyByNumber || r.Number != 8 {
		t.Fatalf("got %v %d, want question 8", r.Kind, r.Number)
	}
}

func TestFollowUpMenuAgainKeepsChoices(t *testing.T) {
	b, _ := followUpBot(t, Options{})
	b.Handle(ctx, said("which summit"))
	r := b.Handle(ctx, said("the fifth one"))
	if r.Kind != ReplyInvalid || len(r.Actions) != 3 {
		t.Fatalf("got %v with %d actions, want the menu again", r.Kind, len(r.Actions))
	}
	// The repeated menu is the conversation's menu still: pressing on by words works.
	if r := b.Handle(ctx, said("the first one")); r.Number != 10 {
		t.Fatalf("after the repeated menu, got question %d, want 10", r.Number)
	}
	if r := b.Handle(ctx, press(r.Actions[len(r.Actions)-1].ID)); r.Kind != ReplyNotCovered {
		t.Fatalf("None of these on the repeated menu: got %v", r.Kind)
	}
}

func TestFollowUpMore(t *testing.T) {
	b, _ := followUpBot(t, Options{})
	small := Limits{Body: 300, Title: 100}
	ask := func(text string) Reply {
		req := said(text)
		req.Limits = small
		return b.Handle(ctx, req)
	}

	if r := ask("more"); r.Kind != ReplyHelp || !strings.Contains(r.Text(), "no earlier answer") {
		t.Fatalf("more with nothing before: got %v %q", r.Kind, r.Text())
	}
	if r := ask("the trade answer"); r.Kind != ReplyAnswer || r.Number != 4 {
		t.Fatalf("setup: got %v %d", r.Kind, r.Number)
	}
	if r := ask("tell me more"); r.Kind != ReplyByNumber || r.Number != 4 || r.Page != 1 {
		t.Fatalf("tell me more after an excerpt: got %v %d page %d, want the full answer 4", r.Kind, r.Number, r.Page)
	}
	if r := ask("more"); r.Kind != ReplyHelp || !strings.Contains(r.Text(), "whole answer to question 4") {
		t.Fatalf("more after the whole answer: got %v %q", r.Kind, r.Text())
	}

	first := ask("3")
	if first.Pages < 3 {
		t.Fatalf("setup: answer 3 has %d pages, want 3 or more", first.Pages)
	}
	for page := 2; page <= first.Pages; page++ {
		r := ask("next")
		if r.Kind != ReplyByNumber || r.Number != 3 || r.Page != page {
			t.Fatalf("next: got %v %d page %d, want answer 3 page %d", r.Kind, r.Number, r.Page, page)
		}
	}
	if r := ask("more"); r.Kind != ReplyHelp || !strings.Contains(r.Text(), "whole answer to question 3") {
		t.Fatalf("more after the last page: got %v %q", r.Kind, r.Text())
	}
	// "more" said nothing new, so the last page is still the turn: "back" goes one page back.
	if r := ask("previous page"); r.Kind != ReplyByNumber || r.Number != 3 || r.Page != first.Pages-1 {
		t.Fatalf("previous page after the last: got %v %d page %d, want answer 3 page %d", r.Kind, r.Number, r.Page, first.Pages-1)
	}
	for page := first.Pages - 2; page >= 1; page-- {
		if r := ask("back"); r.Page != page {
			t.Fatalf("back: got page %d, want %d", r.Page, page)
		}
	}
	if r := ask("back"); r.Kind != ReplyHelp || !strings.Contains(r.Text(), "no page before") {
		t.Fatalf("back on page 1: got %v %q", r.Kind, r.Text())
	}
	if r := ask("/questions"); r.Kind != ReplyList {
		t.Fatalf("setup: got %v", r.Kind)
	}
	if r := ask("back"); r.Kind != ReplyHelp {
		t.Fatalf("back on the list's only page: got %v %q", r.Kind, r.Text())
	}
}

func TestFollowUpIsPerConversation(t *testing.T) {
	b, _ := followUpBot(t, Options{})
	b.Handle(ctx, said("which summit"))

	other := said("the second one")
	other.UserID = "u2" // same chat, another user
	if r := b.Handle(ctx, other); r.Number != 2 {
		t.Errorf("another user: got question %d, want 2 (no menu of theirs)", r.Number)
	}
	other = said("the second one")
	other.ChatID = "c2" // same user, another chat
	if r := b.Handle(ctx, other); r.Number != 2 {
		t.Errorf("another chat: got question %d, want 2", r.Number)
	}
	other = said("the second one")
	other.Platform = "elsewhere"
	if r := b.Handle(ctx, other); r.Number != 2 {
		t.Errorf("another platform: got question %d, want 2", r.Number)
	}
	anon := said("the second one")
	anon.UserID = ""
	if r := b.Handle(ctx, anon); r.Number != 2 {
		t.Errorf("no user id: got question %d, want 2", r.Number)
	}
	if r := b.Handle(ctx, said("the second one")); r.Number != 8 {
		t.Errorf("the menu's owner: got question %d, want 8", r.Number)
	}
}

func TestFollowUpByButtonAndCommand(t *testing.T) {
	b, _ := followUpBot(t, Options{})
	ans := b.Handle(ctx, said("the trade answer"))
	// Pressing "Other matches" (a button) shows a menu the conversation remembers.
	other := said("")
	other.Kind, other.Action = KindButton, ans.Actions[len(ans.Actions)-1].ID
	if r := b.Handle(ctx, other); r.Kind != ReplyAmbiguous {
		t.Fatalf("Other matches: got %v", r.Kind)
	}
	ask := said("the first one")
	ask.Kind, ask.Command = KindCommand, "ask"
	r := b.Handle(ctx, ask)
	if r.Kind != ReplyByNumber || r.Number != 2 {
		t.Fatalf("/ask the first one after other matches: got %v %d, want question 2", r.Kind, r.Number)
	}
	mention := said("more")
	mention.Kind = KindMention
	if r := b.Handle(ctx, mention); r.Kind != ReplyHelp || !strings.Contains(r.Text(), "whole answer to question 2") {
		t.Fatalf("mention more: got %v %q", r.Kind, r.Text())
	}
	// Someone else's message answered on their behalf is never read as a follow-up.
	onBehalf := said("yes")
	onBehalf.IsReply = true
	b.Handle(ctx, said("which summit"))
	if r := b.Handle(ctx, onBehalf); r.Kind == ReplyByNumber {
		t.Fatalf("a replied-to message was read as a follow-up: %v %d", r.Kind, r.Number)
	}
}

// fakeClock is a settable clock for the memory store.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestFollowUpExpires(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	b, _ := followUpBot(t, Options{Turns: NewMemoryTurns(MemoryTurnsOptions{Now: clock.Now}), TurnTTL: time.Minute})
	b.Handle(ctx, said("which summit"))
	clock.Add(59 * time.Second)
	if r := b.Handle(ctx, said("thanks")); r.Kind != ReplySmallTalk {
		t.Fatalf("thanks: got %v", r.Kind)
	}
	clock.Add(59 * time.Second) // small talk does not refresh the menu: 118 s since it
	if r := b.Handle(ctx, said("the second one")); r.Number != 2 {
		t.Fatalf("after the ttl: got question %d, want 2 (the menu is forgotten)", r.Number)
	}
}

func TestFollowUpForgetsAcrossReload(t *testing.T) {
	b, f := followUpBot(t, Options{})
	b.Handle(ctx, said("which summit"))
	t2 := testTranscript(10, "bbbb2222")
	b.load(f, t2)
	if r := b.Handle(ctx, said("the second one")); r.Number != 2 {
		t.Fatalf("after a reload: got question %d, want 2 (a menu of the old transcript is not followed)", r.Number)
	}
}

func TestFollowUpOff(t *testing.T) {
	b, _ := followUpBot(t, Options{TurnTTL: -1})
	b.Handle(ctx, said("which summit"))
	if r := b.Handle(ctx, said("the second one")); r.Number != 2 {
		t.Fatalf("follow-ups off: got question %d, want 2", r.Number)
	}
}

// brokenTurns fails every call.
type brokenTurns struct{}

func (brokenTurns) LoadTurn(context.Context, string) ([]byte, bool, error) {
	return nil, false, errors.New("store down")
}
func (brokenTurns) SaveTurn(context.Context, string, []byte, time.Duration) error {
	return errors.New("store down")
}

// garbageTurns returns a value no bot wrote.
type garbageTurns struct{ v []byte }

func (g garbageTurns) LoadTurn(context.Context, string) ([]byte, bool, error) { return g.v, true, nil }
func (garbageTurns) SaveTurn(context.Context, string, []byte, time.Duration) error {
	return nil
}

func TestFollowUpStoreFailure(t *testing.T) {
	var logs bytes.Buffer
	b, _ := followUpBot(t, Options{Turns: brokenTurns{}, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if r := b.Handle(ctx, said("which summit")); r.Kind != ReplyAmbiguous {
		t.Fatalf("menu with a broken store: got %v", r.Kind)
	}
	if r := b.Handle(ctx, said("the second one")); r.Kind != ReplyByNumber || r.Number != 2 {
		t.Fatalf("follow-up with a broken store: got %v %d, want question 2", r.Kind, r.Number)
	}
	if !strings.Contains(logs.String(), "store down") {
		t.Errorf("the store failure was not logged: %q", logs.String())
	}
	for _, v := range []string{"", "t1", "t9 aaaa1111 2 0 1 1 10.8 - - -", "t2 aaaa1111 x 0 1 1 - - - -", "t1 aaaa1111 2 0 1 1 10.8 - -",
		"t2 aaaa1111 2 0 1 1 10.0 - - -", "t2 aaaa1111 2 0 1 1 10.8 - - - extra", "t2 bbbb2222 2 0 1 1 10.8 - - -"} {
		b, _ := followUpBot(t, Options{Turns: garbageTurns{[]byte(v)}})
		if r := b.Handle(ctx, said("the first one")); r.Kind != ReplyByNumber || r.Number != 1 {
			t.Errorf("stored %q: got %v %d, want question 1", v, r.Kind, r.Number)
		}
	}
	// A choice naming a question the transcript does not have is expired, not a panic.
	b, _ = followUpBot(t, Options{Turns: garbageTurns{[]byte("t2 aaaa1111 2 0 1 1 99 - - -")}})
	if r := b.Handle(ctx, said("the first one")); r.Kind != ReplyExpired {
		t.Errorf("a choice of question 99: got %v %d, want expired", r.Kind, r.Number)
	}
}

func TestTurnEncoding(t *testing.T) {
	tests := []turn{
		{version: "aaaa1111", kind: ReplyAmbiguous, page: 1, pages: 1, choices: []int{10, 8}, none: "aaaa1111:n:AbC"},
		{version: "v", kind: ReplyAnswer, number: 4, page: 1, pages: 1, more: "v:f:4"},
		{version: "v", kind: ReplyByNumber, number: 3, page: 2, pages: 5, more: "v:p:3:3", back: "v:p:3:1"},
		{version: "v", kind: ReplyList, page: 1, pages: 2, choices: []int{1, 2, 3}, more: "v:l:2"},
	}
	for _, want := range tests {
		got, err := decodeTurn(want.encode())
		if err != nil {
			t.Fatalf("decode %q: %v", want.encode(), err)
		}
		if got.version != want.version || got.kind != want.kind || got.number != want.number ||
			got.page != want.page || got.pages != want.pages || joinInts(got.choices) != joinInts(want.choices) ||
			got.more != want.more || got.none != want.none || got.back != want.back {
			t.Errorf("round trip of %+v: got %+v", want, got)
		}
	}
}

func TestMemoryTurnsBounds(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	s := NewMemoryTurns(MemoryTurnsOptions{MaxEntries: 2, Now: clock.Now})
	for _, k := range []string{"a", "b", "c"} {
		if err := s.SaveTurn(ctx, k, []byte(k), time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if s.Len() != 2 {
		t.Fatalf("got %d entries, want 2", s.Len())
	}
	if _, ok, _ := s.LoadTurn(ctx, "a"); ok {
		t.Errorf("the oldest entry was kept beyond MaxEntries")
	}
	if v, ok, _ := s.LoadTurn(ctx, "c"); !ok || string(v) != "c" {
		t.Errorf("got %q %v, want c", v, ok)
	}
	// Expired entries make room before live ones are dropped.
	clock.Add(2 * time.Minute)
	s.SaveTurn(ctx, "d", []byte("d"), time.Minute)
	if s.Len() != 1 {
		t.Errorf("got %d entries after expiry, want 1", s.Len())
	}
	s.SaveTurn(ctx, "d", nil, 0) // a zero ttl forgets
	if _, ok, _ := s.LoadTurn(ctx, "d"); ok || s.Len() != 0 {
		t.Errorf("a zero ttl did not forget: ok %v, len %d", ok, s.Len())
	}
	// A value saved is a copy: the caller may reuse its buffer.
	buf := []byte("xyz")
	s.SaveTurn(ctx, "e", buf, time.Minute)
	buf[0] = 'Q'
	if v, _, _ := s.LoadTurn(ctx, "e"); string(v) != "xyz" {
		t.Errorf("got %q, want xyz", v)
	}
}

// TestFollowUpNextQuestion: after an answer, "next question" and "previous question" open the
// questions beside the one answered; past either end they say so; with no answer to count
// from they keep their plain meaning.
func TestFollowUpNextQuestion(t *testing.T) {
	b, _ := followUpBot(t, Options{})
	ask := func(text string) Reply { return b.Handle(ctx, said(text)) }

	if r := ask("next question"); r.Kind == ReplyByNumber {
		t.Fatalf("next question with nothing before: got question %d", r.Number)
	}
	if r := ask("the trade answer"); r.Kind != ReplyAnswer || r.Number != 4 {
		t.Fatalf("setup: got %v %d", r.Kind, r.Number)
	}
	for _, tc := range []struct {
		text string
		want int
	}{
		{"next question", 5}, {"And the next one?", 6}, {"the one before that", 5},
		{"previous question", 4}, {"what was the next question", 5},
	} {
		if r := ask(tc.text); r.Kind != ReplyByNumber || r.Number != tc.want || r.Page != 1 {
			t.Fatalf("%q: got %v %d page %d, want question %d", tc.text, r.Kind, r.Number, r.Page, tc.want)
		}
	}
	// A menu is no answer to count from: "next question" keeps its plain meaning there.
	if r := ask("which summit"); r.Kind != ReplyAmbiguous {
		t.Fatalf("setup: got %v", r.Kind)
	}
	if r := ask("next question"); r.Kind == ReplyByNumber {
		t.Fatalf("next question after a menu: got question %d", r.Number)
	}
	if r := ask("10"); r.Kind != ReplyByNumber || r.Number != 10 {
		t.Fatalf("setup: got %v %d", r.Kind, r.Number)
	}
	r := ask("next one")
	if r.Kind != ReplyHelp || !strings.Contains(r.Text(), "Question 10 was the last one") || !strings.Contains(r.Text(), "questions 1–10") {
		t.Fatalf("next one after the last: got %v %q", r.Kind, r.Text())
	}
	// The note is not remembered: "previous question" still counts from question 10.
	if r := ask("previous question"); r.Kind != ReplyByNumber || r.Number != 9 {
		t.Fatalf("previous question after the note: got %v %d, want 9", r.Kind, r.Number)
	}
	if r := ask("1"); r.Kind != ReplyByNumber || r.Number != 1 {
		t.Fatalf("setup: got %v %d", r.Kind, r.Number)
	}
	if r := ask("the previous question"); r.Kind != ReplyHelp || !strings.Contains(r.Text(), "Question 1 was the first one") {
		t.Fatalf("previous question after the first: got %v %q", r.Kind, r.Text())
	}
}

func TestParseFollowUp(t *testing.T) {
	tests := []struct {
		text string
		want followUp
	}{
		{"the first one", followUp{kind: followChoice, n: 1}},
		{"First!", followUp{kind: followChoice, n: 1}},
		{"the 3rd", followUp{kind: followChoice, n: 3}},
		{"I meant the second one", followUp{kind: followChoice, n: 2}},
		{"option 2", followUp{kind: followChoice, n: 2}},
		{"choice two", followUp{}}, // number words are question numbers ("two")
		{"2", followUp{kind: followChoice, n: 2, bare: true}},
		{"the last one", followUp{kind: followChoice, n: lastChoice}},
		{"yes", followUp{kind: followYes}},
		{"Yep!", followUp{kind: followYes}},
		{"nope", followUp{kind: followNo}},
		{"tell me more", followUp{kind: followMore}},
		{"Next page", followUp{kind: followMore}},
		{"Go back!", followUp{kind: followBack}},
		{"next question", followUp{kind: followNext}},
		{"and the next one??", followUp{kind: followNext}},
		{"The previous question.", followUp{kind: followPrev}},
		{"the next summit", followUp{}},
		{"third question", followUp{}},
		{"question 2", followUp{}},
		{"the first and the second", followUp{}},
		{"what did the first speaker say", followUp{}},
		{"one", followUp{}},
		{"", followUp{}},
	}
	for _, tc := range tests {
		if got := parseFollowUp(tc.text); got != tc.want {
			t.Errorf("parseFollowUp(%q) = %+v, want %+v", tc.text, got, tc.want)
		}
	}
}

func TestIntro(t *testing.T) {
	b, _ := newTestBot(Options{})
	r := b.Handle(ctx, Request{Kind: KindJoined, Platform: "test", ChatID: "g1", UserID: "u1"})
	if r.Kind != ReplyHelp {
		t.Fatalf("got %v, want help", r.Kind)
	}
	for _, want := range []string{"Test press conference", "10 numbered questions", "/ask", "mention me", "reply to one of my messages"} {
		if !strings.Contains(r.Text(), want) {
			t.Errorf("intro %q lacks %q", r.Text(), want)
		}
	}
	if n := len([]rune(r.Text())); n > 400 {
		t.Errorf("intro is %d characters; an uninvited post should be brief", n)
	}
}

func TestFollowUpInReplyTo(t *testing.T) {
	b, _ := followUpBot(t, Options{})
	menu := b.Handle(ctx, said("which summit")) // 10, 8, None of these
	var ids []string
	for _, a := range menu.Actions {
		ids = append(ids, a.ID)
	}
	b.Handle(ctx, said("something else entirely")) // a later menu: 2, 5

	reply := func(text string, ids []string) Reply {
		r := said(text)
		r.UserID = "u9" // not the user the menu was shown to
		r.InReplyTo = ids
		return b.Handle(ctx, r)
	}
	tests := []struct {
		text   string
		ids    []string
		kind   ReplyKind
		number int
	}{
		{"the second one", ids, ReplyByNumber, 8},
		{"2", ids, ReplyByNumber, 8}, // a did-you-mean menu: choice 2
		{"yes", ids, ReplyByNumber, 10},
		{"no", ids, ReplyNotCovered, 0},
		{"the first one", []string{"aaaa1111:f:2", "aaaa1111:f:5", "aaaa1111:l:1"}, ReplyByNumber, 2},
		{"2", []string{"aaaa1111:f:4", "aaaa1111:f:5", "aaaa1111:l:1"}, ReplyByNumber, 2},           // not did-you-mean: question 2
		{"the first one", []string{"aaaa1111:f:4", "aaaa1111:o:5.6"}, ReplyByNumber, 1},             // an answer's buttons: no menu
		{"the first one", []string{"zzzz0000:f:4", "zzzz0000:f:5", "zzzz0000:n"}, ReplyByNumber, 1}, // another version
		// "next question" replying to an answer counts from that answer, whoever asked it.
		{"next question", []string{"aaaa1111:f:4", "aaaa1111:o:5.6"}, ReplyByNumber, 5},
		{"the previous question", []string{"aaaa1111:p:3:1"}, ReplyByNumber, 2},
		{"next question", ids, ReplyByNumber, 3}, // a menu names no answer: the user's own last one (2) counts
	}
	for _, tc := range tests {
		if r := reply(tc.text, tc.ids); r.Kind != tc.kind || r.Number != tc.number {
			t.Errorf("%q replying to %q: got %v %d, want %v %d", tc.text, tc.ids, r.Kind, r.Number, tc.kind, tc.number)
		}
	}
	// The user who saw both menus, replying to the first, gets its choice, not the later one's.
	r := said("the first one")
	r.InReplyTo = ids
	if got := b.Handle(ctx, r); got.Number != 10 {
		t.Errorf("replying to the older menu: got question %d, want 10", got.Number)
	}
}

// FuzzFollowUp: whatever a user sends after a menu, and whatever a shared store hands back as
// a turn, the bot answers without panicking, and a turn it can read survives a round trip.
func FuzzFollowUp(f *testing.F) {
	for _, s := range []string{"the first one", "2", "yes", "no", "more", "back", "option 99", "the 0th",
		"first second", "t2 aaaa1111 2 0 1 1 10.8 - - -", "t2 aaaa1111 4 3 2 5 - aaaa1111:p:3:3 - aaaa1111:p:3:1"} {
		f.Add(s, s)
	}
	b, _ := followUpBot(f, Options{})
	f.Fuzz(func(t *testing.T, text, stored string) {
		req := said(text)
		req.ChatID = "fuzz"
		b.Handle(ctx, said("which summit"))
		b.Handle(ctx, req)
		g, _ := followUpBot(t, Options{Turns: garbageTurns{[]byte(stored)}})
		g.Handle(ctx, req)
		if tu, err := decodeTurn([]byte(stored)); err == nil {
			again, err := decodeTurn(tu.encode())
			if err != nil || again.version != tu.version || again.kind != tu.kind || joinInts(again.choices) != joinInts(tu.choices) {
				t.Errorf("round trip of %q: got %+v (%v), want %+v", stored, again, err, tu)
			}
		}
	})
}
