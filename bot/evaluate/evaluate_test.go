package evaluate

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"transcriptbot/bot"
	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

// scripted is a Handler that replies from a table keyed by the request's text, and records
// the requests.
type scripted struct {
	mu      sync.Mutex
	replies map[string]bot.Reply
	reqs    []bot.Request
}

func (s *scripted) Handle(ctx context.Context, req bot.Request) bot.Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, req)
	if r, ok := s.replies[req.Text]; ok {
		return r
	}
	return bot.Reply{Kind: bot.ReplyError}
}

func answer(n int, others ...int) bot.Reply {
	return bot.Reply{Kind: bot.ReplyAnswer, Number: n, Others: others}
}

func menu(choices ...int) bot.Reply { return bot.Reply{Kind: bot.ReplyAmbiguous, Choices: choices} }

func notCovered(nearest ...int) bot.Reply {
	return bot.Reply{Kind: bot.ReplyNotCovered, Choices: nearest}
}

func TestClassify(t *testing.T) {
	in := Case{Expected: []int{3, 7}, Kind: "P", Query: "q"}
	out := Case{Kind: "O", Query: "q"}
	tests := []struct {
		name    string
		c       Case
		reply   bot.Reply
		outcome Outcome
		rank    int
		got     string
		miss    bool
	}{
		{"answered right", in, answer(3, 5), AnsweredRight, 1, "answer 3 (others 5)", false},
		{"answered another right one", in, answer(7), AnsweredRight, 1, "answer 7", false},
		{"by number right", in, bot.Reply{Kind: bot.ReplyByNumber, Number: 3}, AnsweredRight, 1, "by-number 3", false},
		{"answered wrong, right in others", in, answer(5, 1, 7), AnsweredWrong, 3, "answer 5 (others 1,7)", true},
		{"answered wrong, right absent", in, answer(5), AnsweredWrong, 0, "answer 5", true},
		{"by number wrong", in, bot.Reply{Kind: bot.ReplyByNumber, Number: 4}, AnsweredWrong, 0, "by-number 4", true},
		{"menu right first", in, menu(7, 3, 1), MenuFirst, 1, "menu 7,3,1", true},
		{"menu right lower", in, menu(1, 2, 3), MenuLower, 3, "menu 1,2,3", true},
		{"menu right absent", in, menu(1, 2), MenuAbsent, 0, "menu 1,2", true},
		{"not covered, right nearest", in, notCovered(4, 3), NotCovered, 2, "not covered (nearest 4,3)", true},
		{"not covered, nothing near", in, notCovered(), NotCovered, 0, "not covered", true},
		{"small talk", in, bot.Reply{Kind: bot.ReplySmallTalk}, Declined, 0, "small-talk", true},
		{"invalid", in, bot.Reply{Kind: bot.ReplyInvalid}, Declined, 0, "invalid", true},
		{"out of scope answered", out, answer(3, 7), AnsweredWrong, 0, "answer 3 (others 7)", true},
		{"out of scope menu", out, menu(3, 7), MenuAbsent, 0, "menu 3,7", true},
		{"out of scope not covered", out, notCovered(3), NotCovered, 0, "not covered (nearest 3)", false},
		{"out of scope help", out, bot.Reply{Kind: bot.ReplyHelp}, Declined, 0, "help", false},
		{"out of scope list", out, bot.Reply{Kind: bot.ReplyList}, Declined, 0, "list", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Classify(tc.c, tc.reply)
			if r.Outcome != tc.outcome || r.Rank != tc.rank {
				t.Errorf("got %v rank %d, want %v rank %d", r.Outcome, r.Rank, tc.outcome, tc.rank)
			}
			if got := r.Got(); got != tc.got {
				t.Errorf("Got: got %q, want %q", got, tc.got)
			}
			if r.Miss() != tc.miss {
				t.Errorf("Miss: got %v, want %v", r.Miss(), tc.miss)
			}
		})
	}
}

// scriptedSet is a set with one query per outcome and the scripted replies to it.
func scriptedSet() ([]Case, *scripted) {
	cases := []Case{
		{Line: 1, Expected: []int{1}, Kind: "P", Query: "right"},
		{Line: 2, Expected: []int{2}, Kind: "P", Query: "by number"},
		{Line: 3, Expected: []int{1, 3}, Kind: "P", Query: "wrong"},
		{Line: 4, Expected: []int{4}, Kind: "K", Query: "menu first"},
		{Line: 5, Expected: []int{5}, Kind: "K", Query: "menu lower"},
		{Line: 6, Expected: []int{6}, Kind: "K", Query: "menu absent"},
		{Line: 7, Expected: []int{7}, Kind: "C", Query: "not covered"},
		{Line: 8, Expected: []int{8}, Kind: "C", Query: "small talk"},
		{Line: 9, Kind: "O", Query: "oos answered"},
		{Line: 10, Kind: "O", Query: "oos menu"},
		{Line: 11, Kind: "O", Query: "oos not covered"},
		{Line: 12, Kind: "O", Query: "oos help"},
	}
	s := &scripted{replies: map[string]bot.Reply{
		"right":           answer(1, 2),
		"by number":       {Kind: bot.ReplyByNumber, Number: 2},
		"wrong":           answer(2, 3), // rank 2
		"menu first":      menu(4, 1),
		"menu lower":      menu(1, 2, 3, 5), // rank 4
		"menu absent":     menu(1, 2),
		"not covered":     notCovered(7), // rank 1, yet declined
		"small talk":      {Kind: bot.ReplySmallTalk},
		"oos answered":    answer(9),
		"oos menu":        menu(9, 10),
		"oos not covered": notCovered(9),
		"oos help":        {Kind: bot.ReplyHelp},
	}}
	return cases, s
}

func TestRunAndSummary(t *testing.T) {
	cases, s := scriptedSet()
	results, err := Run(context.Background(), s, cases)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != len(cases) || len(s.reqs) != len(cases) {
		t.Fatalf("got %d results from %d requests, want %d", len(results), len(s.reqs), len(cases))
	}
	chats := map[string]bool{}
	for i, req := range s.reqs {
		if req.Kind != bot.KindMessage || !req.Private || req.Text != cases[i].Query || req.IsReply {
			t.Errorf("request %d: got %+v, want a private message with the query", i, req)
		}
		if req.ChatID == "" || chats[req.ChatID] {
			t.Errorf("request %d: chat %q, want a chat of its own", i, req.ChatID)
		}
		chats[req.ChatID] = true
	}
	// A second set through the same handler starts in chats of its own too: a menu shown for
	// a query of the first set is no context for the query at the same line of the second.
	if _, err := Run(context.Background(), s, cases); err != nil {
		t.Fatal(err)
	}
	for i, req := range s.reqs[len(cases):] {
		if chats[req.ChatID] {
			t.Errorf("second run, request %d: chat %q was the first run's", i, req.ChatID)
		}
		chats[req.ChatID] = true
	}

	all, kinds := Summarize(results)
	want := Summary{Queries: 12, Answerable: 8, OutOfScope: 4,
		Right: 2, Wrong: 1, MenuFirst: 1, MenuLower: 1, MenuAbsent: 1, NotCovered: 1, Declined: 1,
		OOSAnswered: 1, OOSMenu: 1, OOSDeclined: 2,
		Top1:            3.0 / 8, // right, by number, menu first
		DirectCorrect:   2.0 / 8,
		ConfidentWrong:  2.0 / 12, // wrong, oos answered
		MenuRate:        4.0 / 12,
		FalseNotCovered: 2.0 / 8,
		OOSDeclinedRate: 2.0 / 4,
		MRR:             (1 + 1 + 0.5 + 1 + 0.25 + 0 + 1 + 0) / 8,
	}
	checkSummary(t, "overall", all, want)
	if len(kinds) != 4 || kinds[0].Kind != "C" || kinds[1].Kind != "K" || kinds[2].Kind != "O" || kinds[3].Kind != "P" {
		t.Fatalf("kinds: got %+v, want C, K, O, P", kinds)
	}
	checkSummary(t, "kind K", kinds[1], Summary{Kind: "K", Queries: 3, Answerable: 3,
		MenuFirst: 1, MenuLower: 1, MenuAbsent: 1, Top1: 1.0 / 3, MenuRate: 1, MRR: 1.25 / 3})
	checkSummary(t, "kind O", kinds[2], Summary{Kind: "O", Queries: 4, OutOfScope: 4,
		OOSAnswered: 1, OOSMenu: 1, OOSDeclined: 2, ConfidentWrong: 0.25, MenuRate: 0.25, OOSDeclinedRate: 0.5})

	// Pooling two reports counts every result once.
	a, b := NewReport("a", results[:5]), NewReport("b", results[5:])
	p := Pool("pooled", a, b)
	checkSummary(t, "pooled", p.Overall, want)
	if len(p.Misses()) != 8 { // all but the two right answers and the two out-of-scope queries declined
		t.Errorf("misses: got %d, want 8", len(p.Misses()))
	}
}

func checkSummary(t *testing.T, name string, got, want Summary) {
	t.Helper()
	got.rr, want.rr = 0, 0
	round := func(s *Summary) {
		for _, f := range []*float64{&s.Top1, &s.DirectCorrect, &s.ConfidentWrong, &s.MenuRate, &s.FalseNotCovered, &s.OOSDeclinedRate, &s.MRR} {
			*f = math.Round(*f*1e9) / 1e9
		}
	}
	round(&got)
	round(&want)
	if got != want {
		t.Errorf("%s:\ngot  %+v\nwant %+v", name, got, want)
	}
}

func TestRunCancelled(t *testing.T) {
	cases, s := scriptedSet()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	results, err := Run(ctx, s, cases)
	if err != context.Canceled || len(results) != 0 || len(s.reqs) != 0 {
		t.Errorf("got %d results, %d requests, error %v; want none and context.Canceled", len(results), len(s.reqs), err)
	}
}

// hookLine is what scripts grep from eval's output: the overall figures start a line with
// their name.
var hookLine = regexp.MustCompile(`(?im)^(top-1|direct|confident|wrong|abstained|declined|menu|not covered|false)`)

func TestWriteText(t *testing.T) {
	cases, s := scriptedSet()
	results, err := Run(context.Background(), s, cases)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := NewReport("set.tsv", results).WriteText(&b, true); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, w := range []string{
		"set.tsv: 12 queries (8 answerable, 4 out of scope)\n",
		"\ntop-1, answerable ", " 3/8 ", " 37.5%",
		"\ndirect-correct, answerable ", " 2/8 ",
		"\nconfident-wrong, all queries ", " 2/12 ",
		"\nmenu, all queries ", " 4/12 ",
		"\nfalse \"not covered\", answerable ", " 2/8 ",
		"\ndeclined, out of scope ", " 2/4 ",
		"\nMRR, answerable ", " 0.594 ",
		"answerable: 2 right, 1 wrong, menu 1 right first / 1 lower / 1 absent, 1 not covered, 1 other replies\n",
		"out of scope: 1 answered, 1 menu, 2 declined\n",
		"By kind:", "  K keywords ", "  O out of scope ",
		"Misses (8):",
		"want 1,3  got answer 2 (others 3)", "want 0    got menu 9,10", "want 8    got small-talk",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q; got:\n%s", w, out)
		}
	}
	if n := len(hookLine.FindAllString(out, -1)); n != 6 {
		t.Errorf("got %d lines a script reads as overall figures, want 6:\n%s", n, out)
	}
	b.Reset()
	if err := NewReport("set.tsv", results).WriteText(&b, false); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "Misses") {
		t.Errorf("misses=false: got misses:\n%s", b.String())
	}

	js, err := json.Marshal(NewReport("set.tsv", results))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`"name":"set.tsv"`, `"top1":0.375`, `"confident_wrong":0.166`, `"kind":"K"`} {
		if !strings.Contains(string(js), w) {
			t.Errorf("JSON lacks %q: %s", w, js)
		}
	}
	js, _ = json.Marshal(results[2])
	if want := `{"case":{"line":3,"expected":[1,3],"kind":"P","query":"wrong"},"reply":"answer","number":2,"offered":[2,3],"outcome":"answered wrong","rank":2}`; string(js) != want {
		t.Errorf("result JSON: got %s, want %s", js, want)
	}
}

// defaultBot is the bot over the matcher on the embedded transcript, at threshold (0: the
// matcher's default).
func defaultBot(t testing.TB, threshold float64) *bot.Bot {
	t.Helper()
	m, err := matcher.New(transcript.Default(), matcher.Options{Threshold: threshold})
	if err != nil {
		t.Fatal(err)
	}
	return bot.New(m, bot.Options{})
}

// evaluateFile runs the set at path through b.
func evaluateFile(t *testing.T, b Handler, path string) Report {
	t.Helper()
	cases := readSet(t, path)
	results, err := Run(context.Background(), b, cases)
	if err != nil {
		t.Fatal(err)
	}
	return NewReport(path, results)
}

func logReport(t *testing.T, r Report) {
	t.Helper()
	var b strings.Builder
	if err := r.WriteText(&b, true); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + b.String())
}

// TestEvalSet holds the bot to the project's targets on the matcher's own evaluation set
// (the set it was tuned on).
func TestEvalSet(t *testing.T) {
	r := evaluateFile(t, defaultBot(t, 0), testdata+"eval.tsv")
	s := r.Overall
	if s.Answerable < 120 || s.OutOfScope < 30 {
		t.Fatalf("got %d answerable and %d out-of-scope cases, want at least 120 and 30", s.Answerable, s.OutOfScope)
	}
	logReport(t, r)
	if s.Top1 < 0.92 {
		t.Errorf("top-1 %.3f, want >= 0.92", s.Top1)
	}
	if s.OOSDeclinedRate < 0.90 {
		t.Errorf("out of scope declined %.3f, want >= 0.90", s.OOSDeclinedRate)
	}
	// The matcher's decision is fitted for 92% precision over all the labelled sets, not
	// this one alone (matcher/decision.go), so it declines a few more of these than a
	// threshold tuned on this set did.
	if s.FalseNotCovered > 0.08 {
		t.Errorf("false \"not covered\" %.3f, want <= 0.08", s.FalseNotCovered)
	}
}

// TestEvalFile evaluates the bot on the default transcript on any evaluation set named by
// the MATCHER_EVAL_SET environment variable, for checking sets kept outside the repository
// by hand; without the variable it is skipped. It logs the report and fails below the same
// targets as TestEvalSet.
func TestEvalFile(t *testing.T) {
	path := os.Getenv("MATCHER_EVAL_SET")
	if path == "" {
		t.Skip("set MATCHER_EVAL_SET to an evaluation file to run")
	}
	r := evaluateFile(t, defaultBot(t, 0), path)
	logReport(t, r)
	if s := r.Overall; s.Top1 < 0.95 || s.OOSDeclinedRate < 0.90 || s.FalseNotCovered > 0.03 {
		t.Errorf("below target: top-1 %.3f, out of scope declined %.3f, false not covered %.3f",
			s.Top1, s.OOSDeclinedRate, s.FalseNotCovered)
	}
}

// TestEvaluateSweep runs the matcher's own set at thresholds 0.05 to 0.95: raising the
// threshold can only turn answers and menus into "not covered", so declines never fall; and
// the MRR is at least top-1 (a right question first counts 1 in both).
func TestEvaluateSweep(t *testing.T) {
	cases := readSet(t, testdata+"eval.tsv")
	var prev Summary
	for i := 1; i <= 19; i++ {
		th := float64(i) / 20
		results, err := Run(context.Background(), defaultBot(t, th), cases)
		if err != nil {
			t.Fatal(err)
		}
		s, _ := Summarize(results)
		if i > 1 && (s.NotCovered < prev.NotCovered || s.OOSDeclined < prev.OOSDeclined) {
			t.Errorf("threshold %.2f: not covered %d, out of scope declined %d; at the threshold below %d, %d",
				th, s.NotCovered, s.OOSDeclined, prev.NotCovered, prev.OOSDeclined)
		}
		if s.MRR < s.Top1 || s.MRR > 1 {
			t.Errorf("threshold %.2f: MRR %.3f, top-1 %.3f", th, s.MRR, s.Top1)
		}
		prev = s
	}
	if prev.NotCovered+prev.OOSDeclined == 0 {
		t.Errorf("threshold 0.95 declined nothing: %+v", prev)
	}
}

// TestNumberRequestsBlind: the blind set's requests for a question by number in free text
// (kind N) are answered with that question through the real bot.
func TestNumberRequestsBlind(t *testing.T) {
	r := evaluateFile(t, defaultBot(t, 0), testdata+"blind-mixed.tsv")
	var n Summary
	for _, k := range r.Kinds {
		if k.Kind == "N" {
			n = k
		}
	}
	if n.Answerable < 10 || n.Right != n.Answerable {
		for _, res := range r.Results {
			if res.Case.Kind == "N" && res.Miss() {
				t.Logf("line %d %q: got %s", res.Case.Line, res.Case.Query, res.Got())
			}
		}
		t.Errorf("kind N: %d of %d answered right, want all of at least 10", n.Right, n.Answerable)
	}
}

// TestIssueExamples holds the bot to what users reported about the default transcript: the
// summit questions are answered directly with question 10 (no menu), a question that is
// question 5 almost word for word is answered with 5, and a few questions the transcript
// does not answer are declined.
func TestIssueExamples(t *testing.T) {
	b := defaultBot(t, 0)
	ctx := context.Background()
	for _, tc := range []struct {
		query string
		want  int // 0: declined
	}{
		{"when is the summit?", 10},
		{"when and where is the summit?", 10},
		{"@everyone when is the summit?", 10},
		{"Will SCO cooperate with other international organisations?", 5},
		{"covid cooperation", 1},
		{"what is the meaning of life", 0},
		{"How do I make a sourdough starter?", 0},
		// Built from the transcript's own words, asking a figure or a person it does not give.
		{"How many doctors did China send to other SCO countries?", 0},
		{"who won the marathon", 0},
	} {
		r := b.Handle(ctx, bot.Request{Kind: bot.KindMessage, Text: tc.query, Private: true, ChatID: "t", UserID: "t", Platform: "test"})
		switch {
		case tc.want == 0 && (r.Kind == bot.ReplyAnswer || r.Kind == bot.ReplyAmbiguous):
			t.Errorf("%q: got %v %d, want it declined", tc.query, r.Kind, r.Number)
		case tc.want > 0 && (r.Kind != bot.ReplyAnswer || r.Number != tc.want):
			t.Errorf("%q: got %v %d, want an answer with question %d", tc.query, r.Kind, r.Number, tc.want)
		}
	}
}
