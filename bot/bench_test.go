package bot

import (
	"testing"

	"transcriptbot/matcher"
)

// benchHandle measures Handle on one request, over the scripted matcher (so the figure is
// the bot core's own cost; BenchmarkHandleDefault* measure it with the real matcher).
func benchHandle(b *testing.B, req Request) {
	bot, _ := newTestBot(Options{})
	b.ReportAllocs()
	for b.Loop() {
		bot.Handle(ctx, req)
	}
}

func BenchmarkHandleNumber(b *testing.B) { benchHandle(b, msg("question 3")) }

func BenchmarkHandleNumberWords(b *testing.B) { benchHandle(b, msg("the twenty-first question")) }

func BenchmarkHandlePagedButton(b *testing.B) {
	req := press("aaaa1111:p:3:4")
	req.Limits = Limits{Body: 500, Title: 100}
	benchHandle(b, req)
}

func BenchmarkHandleList(b *testing.B) { benchHandle(b, cmd("questions", "")) }

func BenchmarkHandleSmallTalk(b *testing.B) { benchHandle(b, msg("thanks a lot!")) }

func BenchmarkHandleInvalid(b *testing.B) { benchHandle(b, msg("what\x00about")) }

func BenchmarkParseNumberRequest(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		parseNumberRequest("What happened on 13 April?", 10, nil)
	}
}

// BenchmarkHandleListLarge shows a list page costing the same on 10,000 questions.
func BenchmarkHandleListLarge(b *testing.B) {
	tr := testTranscript(10_000, "eeee5555")
	bot := New(nil, Options{})
	bot.load(&fakeEngine{t: tr}, tr)
	req := press("eeee5555:l:537")
	b.ReportAllocs()
	for b.Loop() {
		bot.Handle(ctx, req)
	}
}

// BenchmarkHandleAmbiguous includes packing the query into the "none of these" id.
func BenchmarkHandleAmbiguous(b *testing.B) {
	bot, f := newTestBot(Options{})
	q := "How will the member states cooperate on trade and security?"
	f.matches[q] = matcher.Match{Number: 3, Ambiguous: true, Alternatives: []matcher.Alternative{{Number: 4}}}
	req := msg(q)
	b.ReportAllocs()
	for b.Loop() {
		bot.Handle(ctx, req)
	}
}

// BenchmarkHandleDefaultList is the list of questions on the default transcript with the real
// matcher's analysis, which the buttons' labels use.
func BenchmarkHandleDefaultList(b *testing.B) {
	bot := mustDefaultBot(b)
	req := cmd("questions", "")
	b.ReportAllocs()
	for b.Loop() {
		bot.Handle(ctx, req)
	}
}

// BenchmarkHandleFollowUp is a menu then "the second one" in one conversation: two requests,
// each loading or saving the conversation's turn in the in-memory store.
func BenchmarkHandleFollowUp(b *testing.B) {
	bot, f := newTestBot(Options{})
	f.matches["which summit"] = matcher.Match{Number: 10, Ambiguous: true, Alternatives: []matcher.Alternative{{Number: 8}}}
	menu, pick := msg("which summit"), msg("the second one")
	for _, r := range []*Request{&menu, &pick} {
		r.Platform, r.ChatID, r.UserID = "bench", "c1", "u1"
	}
	b.ReportAllocs()
	for b.Loop() {
		bot.Handle(ctx, menu)
		if r := bot.Handle(ctx, pick); r.Number != 8 {
			b.Fatalf("got question %d, want 8", r.Number)
		}
	}
}
