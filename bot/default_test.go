package bot

import (
	"strconv"
	"strings"
	"sync"
	"testing"

	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

// defaultBot is the bot on the embedded default transcript with the real matcher.
var defaultBot = sync.OnceValues(func() (*Bot, error) {
	m, err := matcher.New(transcript.Default(), matcher.Options{})
	if err != nil {
		return nil, err
	}
	return New(m, Options{}), nil
})

func mustDefaultBot(t testing.TB) *Bot {
	t.Helper()
	b, err := defaultBot()
	if err != nil {
		t.Fatalf("matcher.New on the default transcript: %v", err)
	}
	return b
}

func TestDefaultTranscriptConversation(t *testing.T) {
	b := mustDefaultBot(t)
	tr := transcript.Default()
	if b.Version() != tr.Hash {
		t.Errorf("version: got %q, want the transcript hash %q", b.Version(), tr.Hash)
	}
	help := b.Handle(ctx, cmd("start", ""))
	if help.Kind != ReplyHelp || !strings.Contains(help.Text(), tr.Title) {
		t.Errorf("start: got %v %q, want help naming %q", help.Kind, help.Text(), tr.Title)
	}
	if got := b.Handle(ctx, msg("11")).Text(); got != "There is no question 11. This transcript has questions 1–10." {
		t.Errorf("out of range: got %q", got)
	}
	for _, text := range []string{"3", "#3", "q3", "Q 3", "question 3", "answer 3", "/answer 3", "/q3", "three", "third question"} {
		r := b.Handle(ctx, msg(text))
		if r.Kind != ReplyByNumber || r.Number != 3 {
			t.Errorf("%q: got %v %d, want answer 3", text, r.Kind, r.Number)
		}
	}
	off := b.Handle(ctx, msg("What is the best recipe for chocolate cake?"))
	if off.Kind != ReplyNotCovered || off.Text() == "" || len(off.Actions) == 0 {
		t.Errorf("off-topic: got %v %q with %d actions, want not covered with the nearest questions", off.Kind, off.Text(), len(off.Actions))
	}
}

// Free-text questions about the default transcript: whatever the matcher picks, the reply
// must be well formed, highlights must be words of the query found in the excerpt, and every
// button must lead somewhere.
func TestDefaultTranscriptFreeText(t *testing.T) {
	b := mustDefaultBot(t)
	for _, q := range []string{
		"How will the SCO fight COVID-19?",
		"What is the Shanghai spirit?",
		"What happened in the past 19 years?",
		"cooperation on security and terrorism",
		"economy and trade",
		"hi, what about Afghanistan?",
	} {
		t.Run(q, func(t *testing.T) {
			for _, lim := range []Limits{{}, {Body: 3000, Title: 240}, {Body: 300, Title: 60}} {
				req := msg(q)
				req.Limits = lim
				r := b.Handle(ctx, req)
				switch r.Kind {
				case ReplyAnswer:
					if r.Number < 1 || r.Number > 10 || r.Question == "" || r.Text() == "" {
						t.Fatalf("answer: number %d question %q body %q", r.Number, r.Question, r.Text())
					}
					if units := UTF16Len(r.Text()); units > lim.normalize().Body {
						t.Errorf("excerpt is %d units, limit %d", units, lim.normalize().Body)
					}
					if UTF16Len(r.Question) > lim.normalize().Title {
						t.Errorf("question %q over %d units", r.Question, lim.normalize().Title)
					}
					for _, s := range r.Body {
						if s.Highlight && strings.TrimSpace(s.Text) == "" {
							t.Errorf("blank highlight %q", s.Text)
						}
					}
				case ReplyAmbiguous, ReplyNotCovered:
					if len(r.Actions) == 0 {
						t.Errorf("%v without choices", r.Kind)
					}
				default:
					t.Fatalf("got %v %q", r.Kind, r.Text())
				}
				for _, a := range r.Actions {
					p := press(a.ID)
					p.Limits = lim
					if got := b.Handle(ctx, p); got.Kind == ReplyExpired || got.Kind == ReplyError {
						t.Errorf("action %q (%s): got %v", a.ID, a.Label, got.Kind)
					}
				}
			}
		})
	}
}

// Every answer of the default transcript pages within Telegram's and Discord's limits.
func TestDefaultTranscriptPages(t *testing.T) {
	b := mustDefaultBot(t)
	tr := transcript.Default()
	for _, lim := range []Limits{{Body: 3800, Title: 256}, {Body: 2000, Title: 256}, {Body: 500, Title: 100}} {
		for n := 1; n <= tr.Len(); n++ {
			req := press(b.Version() + ":f:" + strconv.Itoa(n))
			req.Limits = lim
			all := pages(t, b, b.Handle(ctx, req), lim)
			var text []string
			for _, p := range all {
				if units := UTF16Len(p.Text()) + LabelReserve(p.Pages); units > lim.Body {
					t.Errorf("answer %d page %d/%d: %d units, limit %d", n, p.Page, p.Pages, units, lim.Body)
				}
				text = append(text, p.Text())
			}
			e, _ := tr.Entry(n)
			if strings.Join(strings.Fields(strings.Join(text, " ")), " ") != strings.Join(strings.Fields(e.Answer()), " ") {
				t.Errorf("answer %d at %+v: pages do not reassemble", n, lim)
			}
		}
	}
}

func BenchmarkHandleDefaultFreeText(b *testing.B) {
	bot := mustDefaultBot(b)
	req := msg("How will the SCO countries cooperate against COVID-19?")
	b.ReportAllocs()
	for b.Loop() {
		bot.Handle(ctx, req)
	}
}

func BenchmarkHandleDefaultNumber(b *testing.B) {
	bot := mustDefaultBot(b)
	req := msg("third question")
	b.ReportAllocs()
	for b.Loop() {
		bot.Handle(ctx, req)
	}
}

func BenchmarkSuggestDefault(b *testing.B) {
	bot := mustDefaultBot(b)
	b.ReportAllocs()
	for b.Loop() {
		bot.Suggest(ctx, SuggestRequest{Query: "shanghai spirit", Max: 10, Limits: Limits{Body: 100, Title: 100}})
	}
}

// FuzzHandle throws arbitrary requests at the bot on the default transcript: it must never
// fail internally (a recovered panic shows as ReplyError), and every reply must keep the
// limits and the id size.
func FuzzHandle(f *testing.F) {
	f.Add(uint8(KindMessage), "", "What is the Shanghai spirit?", "", 0, 0)
	f.Add(uint8(KindCommand), "answer", "third", "", 100, 20)
	f.Add(uint8(KindCommand), "questions", "2", "", 41, 9)
	f.Add(uint8(KindButton), "", "", "bff0aa1f:p:3:2", 300, 60)
	f.Add(uint8(KindMessage), "", "/q 99999999999999999999999", "", 0, 0)
	f.Add(uint8(KindMessage), "", "hi there, twenty-first question ✨", "", 50, 50)
	f.Add(uint8(KindMessage), "", "cho mình xin câu 2 với câu trả lời nhé (the last question (10))", "", 0, 0)
	f.Add(uint8(KindMessage), "", "no. need #12 verbatim - the 3 Sept. 2020 one? right before the last", "", 0, 0)
	f.Fuzz(func(t *testing.T, kind uint8, command, text, act string, body, title int) {
		b := mustDefaultBot(t)
		req := Request{Kind: Kind(kind % 5), Command: command, Text: text, Action: act,
			Limits: Limits{Body: body % 5000, Title: title % 300}}
		if act == "" && req.Kind == KindButton {
			req.Action = b.Version() + ":" + text // reach the id parser with a valid version
		}
		r := b.Handle(ctx, req)
		if r.Kind == ReplyError {
			t.Fatalf("internal error for %+v", req)
		}
		lim := req.Limits.normalize()
		if UTF16Len(r.Text())+LabelReserve(r.Pages) > lim.Body {
			t.Errorf("reply %v is %d units, limit %d", r.Kind, UTF16Len(r.Text()), lim.Body)
		}
		if UTF16Len(r.Question) > lim.Title {
			t.Errorf("question %q over %d units", r.Question, lim.Title)
		}
		if r.Pages < 1 || r.Page < 1 || r.Page > r.Pages {
			t.Errorf("page %d/%d", r.Page, r.Pages)
		}
		for _, a := range r.Actions {
			if len(a.ID) > MaxActionID || a.Label == "" {
				t.Errorf("action %+v", a)
			}
		}
	})
}

func TestReloadRealMatcher(t *testing.T) {
	m, err := matcher.New(transcript.Default(), matcher.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := New(m, Options{})
	id := b.Version() + ":f:3"
	b.Reload(nil) // refused: the bot keeps its transcript
	if got := b.Handle(ctx, press(id)); got.Kind != ReplyByNumber || got.Number != 3 {
		t.Errorf("after Reload(nil): got %v %d, want answer 3", got.Kind, got.Number)
	}
	small, err := transcript.Parse(strings.NewReader("A small one\n\n1. First question?\n\nFirst answer.\n\n2. Second question?\n\nSecond answer.\n"))
	if err != nil {
		t.Fatal(err)
	}
	m2, err := matcher.New(small, matcher.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b.Reload(m2)
	if got := b.Handle(ctx, press(id)); got.Kind != ReplyExpired {
		t.Errorf("old id after reload: got %v, want expired", got.Kind)
	}
	if got := b.Handle(ctx, msg("3")).Text(); got != "There is no question 3. This transcript has questions 1–2." {
		t.Errorf("after reload: got %q", got)
	}
	if got := b.Handle(ctx, cmd("help", "")).Text(); !strings.Contains(got, "“A small one”") {
		t.Errorf("help after reload: got %q, want the new title", got)
	}
}

// Requests, suggestions and reloads at once, on the real matcher: run with -race.
func TestConcurrentRealMatcher(t *testing.T) {
	def, err := matcher.New(transcript.Default(), matcher.Options{})
	if err != nil {
		t.Fatal(err)
	}
	small, err := transcript.Parse(strings.NewReader("Small\n\n1. Trade?\n\nTrade grew.\n\n2. Security?\n\nSecurity held.\n"))
	if err != nil {
		t.Fatal(err)
	}
	sm, err := matcher.New(small, matcher.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := New(def, Options{OnMiss: func(string) {}})
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				var r Reply
				switch i % 4 {
				case 0:
					r = b.Handle(ctx, msg("what about trade and security?"))
				case 1:
					r = b.Handle(ctx, press(b.Version()+":f:2"))
				case 2:
					b.Suggest(ctx, SuggestRequest{Query: "secur", Max: 5})
				case 3:
					if g == 0 {
						if i%8 == 3 {
							b.Reload(sm)
						} else {
							b.Reload(def)
						}
					}
				}
				if r.Kind == ReplyError {
					t.Errorf("internal error under concurrency")
				}
			}
		}(g)
	}
	wg.Wait()
}

// Questions as people type them pack into a "none of these" id and come back exactly.
func TestQueryPackDefault(t *testing.T) {
	b := mustDefaultBot(t)
	st := b.state.Load()
	budget := packedBudget(st.version)
	for _, q := range []string{
		"What role does the SCO play in regional security and against terrorism?",
		"How many deaths from the disease has WHO counted so far?",
		"What does the Shanghai Spirit mean for the world and for global development?",
		"will the summit format change because of the coronavirus epidemic",
		"Hong Kong national security law",
		"what about the economic downturn?",
	} {
		packed, ok := st.packer.pack(q, budget)
		if !ok {
			t.Errorf("%q (%d bytes) does not pack into %d bytes", q, len(q), budget)
			continue
		}
		id := action{verb: verbNone, packed: packed}.encode(st.version)
		if len(id) > MaxActionID {
			t.Fatalf("id %q is %d bytes", id, len(id))
		}
		a, ok := parseAction(id, st.version)
		if !ok {
			t.Fatalf("id %q does not parse", id)
		}
		if got, ok := st.packer.unpack(a.packed, 2000); !ok || got != q {
			t.Errorf("round trip: got %q, %v, want %q", got, ok, q)
		}
	}
	// A bomb: a tiny stream expanding far beyond any input is refused.
	bomb, ok := st.packer.pack(strings.Repeat("a", 100_000), 1000)
	if !ok {
		t.Fatal("cannot build the bomb")
	}
	if _, ok := st.packer.unpack(bomb, 2000); ok {
		t.Errorf("a %d-byte stream expanding to 100,000 bytes was accepted", len(bomb))
	}
}

func TestNoneOfTheseCarriesQuery(t *testing.T) {
	var got []string
	b, f := newTestBot(Options{OnMiss: func(q string) { got = append(got, q) }})
	q := "How will the member states cooperate on trade and security in the coming years?"
	f.matches[q] = matcher.Match{Number: 3, Ambiguous: true, Alternatives: []matcher.Alternative{{Number: 4}}}
	r := b.Handle(ctx, msg(q))
	none := r.Actions[len(r.Actions)-1]
	if none.Label != "None of these" || len(none.ID) > MaxActionID {
		t.Fatalf("last action %+v", none)
	}
	if b.Handle(ctx, press(none.ID)).Kind != ReplyNotCovered || len(got) != 1 || got[0] != q {
		t.Errorf("OnMiss got %q, want [%q]", got, q)
	}
}
