package matcher

import "testing"

func TestWithoutAsker(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Sarah Whitlock, Merrow Vale Gazette: How many operations have been cancelled?", "How many operations have been cancelled?"},
		{"Priya Raman (Halvergate Sport): And Dr Farrow, how confident are you?", "And Dr Farrow, how confident are you?"},
		{"Jenny Cole, Kestwick Courier: What has this week been like for staff?", "What has this week been like for staff?"},
		{"Ben Okonjo from Coastal Public Radio: Who is moving those patients?", "Who is moving those patients?"},
		// No attribution: left as it is.
		{"How should the SCO countries step up cooperation to respond to COVID-19?", "How should the SCO countries step up cooperation to respond to COVID-19?"},
		{"Two questions: when is the summit, and where?", "Two questions: when is the summit, and where?"},
		{"The summit: will it be held online, as planned?", "The summit: will it be held online, as planned?"},
		{"Dr Raman, ambulances were diverted: has any patient been harmed?", "Dr Raman, ambulances were diverted: has any patient been harmed?"},
		{"Sarah Whitlock, Gazette:", "Sarah Whitlock, Gazette:"},
	} {
		if got := WithoutAsker(tc.in); got != tc.want {
			t.Errorf("WithoutAsker(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestAskerIsNoTopic checks that a query naming the organisation finds the question about
// it, not the one asked by a journalist of an outlet named after it.
func TestAskerIsNoTopic(t *testing.T) {
	m := loadMatcher(t, "hospital/briefing.txt", Options{})
	r := m.Rank("Did Merrow Vale pay the attackers?", 1)
	if len(r) == 0 || r[0].Number != 3 {
		t.Errorf("Rank = %+v, want question 3 (the ransom) first", r)
	}
}
