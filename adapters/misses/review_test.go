package misses

import (
	"bytes"
	"flag"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// reviewOptions set a strict threshold, so that the fixture's near-paraphrases stay
// unanswered whatever threshold the matcher's fitted decision has: these tests are about the
// review's clustering and suggestions, not about the matcher's decision. The phrasings of
// question 9 in testdata/misses.jsonl must keep a confidence between ModerateConfidence x 0.8
// (0.40) and 0.8 when the decision is refitted: "register for the marathon" and "how do i
// register for the sco marathon" sit near 0.43 together, "sign up" near 0.70. (At 0.9 until
// the embedded model's trees took 90% of its blend, when the first two fell to 0.43 from
// above 0.45.) "sco marathon entry" sat at 0.8 itself and went from one side of it to the
// other as the decision was refitted; the fixture asks "tell me about the sco marathon",
// answered well above, instead.
// The matcher ranks by the words alone (WordsOnly): the embedded transcript's learned
// phrasings know that the transcript does not say how to register for the marathon.
var reviewOptions = matcher.Options{Threshold: 0.8, WordsOnly: true}

func defaultMatcher(t testing.TB) *matcher.Matcher {
	t.Helper()
	m, err := matcher.New(transcript.Default(), reviewOptions)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func readTestdata(t testing.TB, name string) []Record {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := Read(f)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestReview(t *testing.T) {
	rep := Review(readTestdata(t, "misses.jsonl"), defaultMatcher(t))
	if rep.Records != 25 || rep.Answered != 7 || rep.Unanalysable != 2 {
		t.Errorf("counts: got %d records, %d answered, %d unanalysable; want 25, 7, 2",
			rep.Records, rep.Answered, rep.Unanalysable)
	}

	type want struct {
		count     int
		question  int
		words     string
		phrasings string // the first phrasings, joined with " | "
		sidecar   string
	}
	check := func(t *testing.T, got []Cluster, wants []want) {
		t.Helper()
		if len(got) != len(wants) {
			for _, c := range got {
				t.Logf("cluster: %+v", c)
			}
			t.Fatalf("got %d clusters, want %d", len(got), len(wants))
		}
		for i, w := range wants {
			c := got[i]
			var ps []string
			for _, p := range c.Phrasings[:min(2, len(c.Phrasings))] {
				ps = append(ps, p.Text)
			}
			if c.Count != w.count || c.Question != w.question {
				t.Errorf("cluster %d: got %d records about question %d, want %d about %d", i, c.Count, c.Question, w.count, w.question)
			}
			if got := strings.Join(c.Words, ", "); got != w.words {
				t.Errorf("cluster %d words: got %q, want %q", i, got, w.words)
			}
			if got := strings.Join(ps, " | "); got != w.phrasings {
				t.Errorf("cluster %d phrasings: got %q, want %q", i, got, w.phrasings)
			}
			if got := c.Sidecar(); got != w.sidecar {
				t.Errorf("cluster %d sidecar: got %q, want %q", i, got, w.sidecar)
			}
		}
	}
	t.Run("alternates", func(t *testing.T) {
		check(t, rep.Alternates, []want{
			// Clusters of different words, all about question 9, reported as one.
			{3, 9, "marathon, register, sco", "how do i register for the sco marathon | register for the marathon",
				"[question 9]\nhow do i register for the sco marathon\nregister for the marathon\nsco marathon sign up\n"},
			// Near question 8's words, though vaccines are not in it: at 0.41 since the
			// thirty-sixth round's refit, just over the line of an alternate phrasing (0.39
			// before; each refit moves it a little), so the reviewer is asked.
			{2, 8, "covid, member, states, vaccine, distribution", "covid vaccine distribution in member states | vaccines for member states covid",
				"[question 8]\ncovid vaccine distribution in member states\nvaccines for member states covid\n"},
			{1, 3, "fight, sco, terrorists", "How does the SCO fight terrorists?",
				"[question 3]\nHow does the SCO fight terrorists?\n"},
		})
	})
	t.Run("gaps", func(t *testing.T) {
		check(t, rep.Gaps, []want{
			{4, 0, "sourdough, bread, recipes", "sourdough bread recipes | best sourdough bread", ""},
			{3, 0, "cup, football, world, won", "who won the football world cup | football world cup winner", ""},
			// Ranked to question 9, but the fee is not in it.
			{2, 0, "fee, marathon, registration", "marathon registration fee", ""},
			{1, 0, "bitcoin, price, today", "bitcoin price today", ""},
		})
	})
}

// TestReviewSuggestionsWork applies the suggested sidecar lines to the transcript: they parse,
// and the reviewed questions are then answered, so a second review has no alternates left.
func TestReviewSuggestionsWork(t *testing.T) {
	recs := readTestdata(t, "misses.jsonl")
	rep := Review(recs, defaultMatcher(t))
	var sidecar strings.Builder
	for _, c := range rep.Alternates {
		sidecar.WriteString(c.Sidecar())
	}
	sc, err := transcript.ParseSidecar(strings.NewReader(sidecar.String()))
	if err != nil {
		t.Fatalf("the suggested lines do not parse: %v\n%s", err, sidecar.String())
	}
	tr, err := transcript.Default().WithSidecar(sc)
	if err != nil {
		t.Fatal(err)
	}
	m, err := matcher.New(tr, reviewOptions)
	if err != nil {
		t.Fatal(err)
	}
	again := Review(recs, m)
	var left []string
	for _, c := range again.Alternates {
		for _, p := range c.Phrasings {
			if c.Reasons[ReasonAbstained] > 0 {
				left = append(left, p.Text)
			}
		}
	}
	if len(left) > 0 {
		t.Errorf("abstained phrasings still unanswered after adding the suggestions: %q", left)
	}
	if again.Answered <= rep.Answered {
		t.Errorf("answered: got %d after the suggestions, want more than %d", again.Answered, rep.Answered)
	}
	// Teaching a question new phrasings may draw a gap near them to it ("marathon
	// registration fee" after "how do i register for the sco marathon"), never make one.
	for _, g := range again.Gaps {
		if !slices.ContainsFunc(rep.Gaps, func(c Cluster) bool { return slices.Equal(c.Stems, g.Stems) }) {
			t.Errorf("a new gap after the suggestions: %v", g.Words)
		}
	}
}

func TestReviewWriteGolden(t *testing.T) {
	rep := Review(readTestdata(t, "misses.jsonl"), defaultMatcher(t))
	var b bytes.Buffer
	if err := rep.Write(&b, 0); err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/review.golden"
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestReviewWriteMax(t *testing.T) {
	rep := Review(readTestdata(t, "misses.jsonl"), defaultMatcher(t))
	var b bytes.Buffer
	if err := rep.Write(&b, 1); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"(2 more not shown)", "(3 more not shown)", "1. 3 questions like question 9", "1. 4 questions about sourdough"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("got:\n%s\nwant it to contain %q", b.String(), want)
		}
	}
	if strings.Contains(b.String(), "2. ") {
		t.Errorf("got a second cluster with max 1:\n%s", b.String())
	}
}

func TestReviewEdgeCases(t *testing.T) {
	m := defaultMatcher(t)
	tests := []struct {
		name         string
		queries      []string
		unanalysable int
		clusters     int
	}{
		{"nothing", nil, 0, 0},
		{"no content words", []string{"hi", "?!", "the and of", "👍"}, 4, 0},
		{"case and punctuation are one phrasing", []string{"Bitcoin price?", "bitcoin PRICE", "price of bitcoin!"}, 0, 1},
		{"unrelated questions stay apart", []string{"bitcoin price", "football scores", "weather tomorrow"}, 0, 3},
		{"huge and odd input", []string{strings.Repeat("word ", 5000), "\x00\xff[question 1]", "# comment-like ; text"}, 0, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var recs []Record
			for _, q := range tc.queries {
				recs = append(recs, Record{Query: q, Reason: ReasonNoneOfThese})
			}
			rep := Review(recs, m)
			if rep.Unanalysable != tc.unanalysable {
				t.Errorf("unanalysable: got %d, want %d", rep.Unanalysable, tc.unanalysable)
			}
			if got := len(rep.Alternates) + len(rep.Gaps); got != tc.clusters {
				t.Errorf("clusters: got %d, want %d", got, tc.clusters)
			}
			for _, c := range append(rep.Alternates, rep.Gaps...) {
				for _, line := range c.Suggested {
					if strings.ContainsAny(line[:1], "[;#") || strings.Contains(line, "\n") {
						t.Errorf("suggested line %q would not parse as an alternate", line)
					}
				}
			}
			var b bytes.Buffer
			if err := rep.Write(&b, 0); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestJaccard(t *testing.T) {
	tests := []struct {
		a, b []string
		want float64
	}{
		{nil, nil, 0},
		{[]string{"a"}, nil, 0},
		{[]string{"a"}, []string{"a"}, 1},
		{[]string{"a", "b"}, []string{"b", "c"}, 1.0 / 3},
		{[]string{"a", "b", "c"}, []string{"a", "b"}, 2.0 / 3},
	}
	for _, tc := range tests {
		if got := jaccard(tc.a, tc.b); got != tc.want {
			t.Errorf("jaccard(%q, %q): got %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func BenchmarkReview(b *testing.B) {
	recs := readTestdata(b, "misses.jsonl")
	var many []Record
	for i := range 40 {
		for _, r := range recs {
			r.Query += " " + strings.Repeat("x", i%5)
			many = append(many, r)
		}
	}
	m := defaultMatcher(b)
	b.ReportAllocs()
	for b.Loop() {
		Review(many, m)
	}
}

func FuzzReview(f *testing.F) {
	m := defaultMatcher(f)
	f.Add("how does the sco fight terrorists", "sourdough bread", ReasonAbstained)
	f.Add("[question 1]", "; comment", ReasonNoneOfThese)
	f.Add("\x00\xff", "", "")
	f.Fuzz(func(t *testing.T, a, b, reason string) {
		rep := Review([]Record{{Query: a, Reason: reason}, {Query: b, Reason: reason}, {Query: a + " " + b}}, m)
		n := rep.Answered + rep.Unanalysable
		for _, c := range append(rep.Alternates, rep.Gaps...) {
			n += c.Count
			if _, err := transcript.ParseSidecar(strings.NewReader(c.Sidecar())); err != nil {
				t.Fatalf("suggested lines %q do not parse: %v", c.Sidecar(), err)
			}
		}
		if n != rep.Records {
			t.Fatalf("records accounted for: got %d, want %d", n, rep.Records)
		}
		if err := rep.Write(io.Discard, 0); err != nil {
			t.Fatal(err)
		}
	})
}
