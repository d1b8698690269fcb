package bot

import (
	"strings"
	"testing"

	"transcriptbot/transcript"
)

// TestMenuLabelsDefault checks that the choices of real menus on the default transcript can be
// told apart: each label fits the limit, names its question, differs from the others, and
// shows a word of the query when its question holds one.
func TestMenuLabelsDefault(t *testing.T) {
	b := mustDefaultBot(t)
	menus, longest := 0, 0
	for _, label := range []int{0, 80} { // the default (Telegram's), and Discord's 80
		limit := Limits{Label: label}.normalize().Label
		for _, q := range menuQueries {
			req := msg(q)
			req.Limits.Label = label
			r := b.Handle(ctx, req)
			if r.Kind != ReplyAmbiguous && r.Kind != ReplyNotCovered {
				continue // the matcher answers this one: nothing to check
			}
			menus++
			seen := map[string]bool{}
			for _, a := range r.Actions {
				if seen[a.Label] {
					t.Errorf("%q: two choices labelled %q", q, a.Label)
				}
				seen[a.Label] = true
				if UTF16Len(a.Label) > limit {
					t.Errorf("%q: label %q is %d units, over %d", q, a.Label, UTF16Len(a.Label), limit)
				}
				longest = max(longest, UTF16Len(a.Label))
			}
		}
	}
	if longest <= DefaultLabel {
		t.Errorf("no label used the room of an 80-unit limit (longest %d)", longest)
	}
	if menus < 4 {
		t.Fatalf("only %d of %d queries gave a menu: choose queries the matcher cannot decide", menus, len(menuQueries))
	}
	// A query word that appears late in a long question shows in its label.
	c := conv{b: b, st: b.state.Load(), lim: Limits{}.normalize()}
	for _, tc := range []struct {
		nums  []int
		query string
		word  string
	}{
		{[]int{10, 8}, "coronavirus summit", "summit"}, // 8 speaks of the summit in its second sentence
		{[]int{5, 9}, "cooperation with the UN", "UN"}, // 5 names the UN in its last sentence
	} {
		if label := c.menuLabels(tc.nums, tc.query)[0]; !strings.Contains(label, tc.word) {
			t.Errorf("label of %d for %q: %q does not show %q", tc.nums[0], tc.query, label, tc.word)
		}
	}
}

// menuQueries are questions the default transcript's matcher tends to answer with a menu
// (did you mean, or nearest questions); tests use those that do.
var menuQueries = []string{"cooperation", "security", "SCO", "coronavirus summit", "international organizations",
	"what about the pandemic", "national security", "covid", "development", "member states", "cooperation security"}

// TestMenuLabelsPreamble: questions sharing a long preamble are labelled by what follows it.
func TestMenuLabelsPreamble(t *testing.T) {
	pre := "In your capacity as the Secretary-General of the organisation, speaking to us today, could you tell us "
	tr := &transcript.Transcript{Title: "T", Hash: "ccc333", Entries: []transcript.Entry{
		{Number: 1, Question: pre + "about trade?", Paragraphs: []string{"Trade."}},
		{Number: 2, Question: pre + "about security in the region?", Paragraphs: []string{"Security."}},
		{Number: 3, Question: "Short one?", Paragraphs: []string{"Yes."}},
		{Number: 4, Question: "What do you think about the weather, the sea, the mountains, the rivers, and the roads?", Paragraphs: []string{"Fine."}},
	}}
	c := labelConv(tr)
	tests := []struct {
		nums  []int
		query string
		want  []string
	}{
		// The shared preamble gives way to the end of each question, with as much context as fits.
		{[]int{1, 2}, "", []string{"1. …speaking to us today, could you tell us about trade?", "2. …to us today, could you tell us about security in the region?"}},
		// Nothing shared: the beginning.
		{[]int{1, 3}, "", []string{"1. In your capacity as the Secretary-General of the…", "3. Short one?"}},
		// The query's words, wherever they are.
		{[]int{2, 1}, "region", []string{"2. …to us today, could you tell us about security in the region?", "1. …speaking to us today, could you tell us about trade?"}},
		{[]int{4}, "rivers", []string{"4. …about the weather, the sea, the mountains, the rivers, and…"}},
		{[]int{4}, "", []string{"4. What do you think about the weather, the sea, the mountains…"}},
	}
	for _, tc := range tests {
		got := c.menuLabels(tc.nums, tc.query)
		for i := range got {
			if UTF16Len(got[i]) > DefaultLabel {
				t.Errorf("label %q is over %d units", got[i], DefaultLabel)
			}
			if got[i] != tc.want[i] {
				t.Errorf("menuLabels(%v, %q)[%d] = %q, want %q", tc.nums, tc.query, i, got[i], tc.want[i])
			}
		}
	}
}

// TestMenuLabelsWithoutAsker: a label leaves out the journalist and outlet that open a
// question in an operator's transcript, and shows the question; one whose colon is part of
// the question keeps it.
func TestMenuLabelsWithoutAsker(t *testing.T) {
	tr := &transcript.Transcript{Title: "T", Hash: "ddd444", Entries: []transcript.Entry{
		{Number: 1, Question: "Hanna Lyng, VLT Local Television: Have you got CCTV footage, and what are you asking the public to do?", Paragraphs: []string{"Yes."}},
		{Number: 2, Question: "Two questions: when does it reopen, and who pays?", Paragraphs: []string{"Soon."}},
		{Number: 3, Question: "Ingrid Solheim (Kulturbladet): When will the museum reopen?", Paragraphs: []string{"Monday."}},
	}}
	c := labelConv(tr)
	want := []string{"1. Have you got CCTV footage, and what are you asking the…",
		"2. Two questions: when does it reopen, and who pays?", "3. When will the museum reopen?"}
	got := c.menuLabels([]int{1, 2, 3}, "")
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("menuLabels()[%d] = %q, want %q", i, got[i], want[i])
		}
	}
}

// labelConv returns a conversation of a test bot loaded with tr, for its menu labels.
func labelConv(tr *transcript.Transcript) conv {
	b, f := newTestBot(Options{})
	f.t = tr
	b.load(f, tr)
	return conv{b: b, st: b.state.Load(), lim: Limits{}.normalize()}
}
