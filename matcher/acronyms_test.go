package matcher

import (
	"slices"
	"testing"
)

// TestAcronymFindsName checks that an acronym the transcript never writes finds the name it
// spells out, in the answer, and that the name typed in full still matches word by word.
func TestAcronymFindsName(t *testing.T) {
	const text = `Press conference of the Chief Executive Helena Marsk

1. Is the aviation regulator investigating the airline?

The Civil Aviation Authority opened a formal investigation on Friday 31 July. Its inquiry has two parts.

2. Where are the talks with the pilots?

We met the Baltavian Pilots' Association on Monday; the next round of talks is on Thursday.

3. What will the airline do about lost baggage?

Our baggage teams have traced most bags and are sending them home by courier.
`
	m := matcherOfText(t, text)
	tr := m.Transcript()
	for _, tc := range []struct {
		query string
		want  int
	}{
		{"is the CAA looking into them", 1},
		{"what did the BPA say about the talks", 2},
		{"is the Civil Aviation Authority investigating", 1},
	} {
		r := m.Rank(tc.query, 1)
		if len(r) == 0 || r[0].Number != tc.want {
			t.Errorf("Rank(%q) = %+v, want question %d first", tc.query, r, tc.want)
		}
	}
	// In lower case an acronym is read as a word: "sa" and "ng" are Tagalog before they are
	// anyone's initials, and "caa" is no word the transcript has.
	if got := m.Match("is the caa looking into them", 0); slices.Contains(got.Terms, "caa") {
		t.Errorf("lower-case caa matched as the acronym: %q", got.Terms)
	}
	// The acronym is no word the transcript lacks: it counts as known.
	with, without := m.Match("is the CAA investigating", 0), m.Match("is the XQZ investigating", 0)
	if with.Number != 1 || with.Confidence <= without.Confidence {
		t.Errorf("CAA: question %d at %.3f; an unknown acronym %.3f: want 1, and higher", with.Number, with.Confidence, without.Confidence)
	}
	// The title's speaker ("CEHM", "HM") is no entry's name, and the built-in CEO finds the
	// title's chief executive only as the title does: as every entry's.
	names := map[string]string{}
	for _, g := range acronymGroups(tr, m.an, nil, m.titleStems) {
		names[g[0]] = g[1]
	}
	if names["caa"] != "Civil Aviation Authority" || names["bpa"] != "Baltavian Pilots' Association" {
		t.Errorf("acronym groups %q: want caa and bpa for their names", names)
	}
	for _, acr := range []string{"hm", "cehm", "ce", "bpam"} {
		if name, ok := names[acr]; ok {
			t.Errorf("acronym group %s for %q: want none", acr, name)
		}
	}
}
