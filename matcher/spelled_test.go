package matcher

import "testing"

func TestJoinSpelled(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"what has the s c o done for security", "what has the sco done for security"},
		{"does the s c o work with the u n", "does the sco work with the un"},
		{"S. C. O. summit", "SCO summit"},
		{"S.C.O summit", "SCO summit"},
		{"when is s c o day", "when is sco day"},
		{"am i a member", "am i a member"},
		{"plan b", "plan b"},
		{"q 7 please", "q 7 please"},
		{"it's a b c thing", "it's abc thing"},
		{"x-y z", "x-y z"},
		{"no letters here", "no letters here"},
		{"", ""},
		{"s c o", "sco"},
		{"s  c  o", "sco"},
		{"s   c", "s   c"},
		{"é s c", "é sc"},
	} {
		if got := joinSpelled(tc.in); got != tc.want {
			t.Errorf("joinSpelled(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { joinSpelled("what did he say about the summit") }); n != 0 {
		t.Errorf("joinSpelled allocates %v times on a query without spelled letters", n)
	}
}

// A spelled-out abbreviation finds what the abbreviation finds, with the same confidence.
func TestSpelledAbbreviationMatches(t *testing.T) {
	m := defaultMatcher(t)
	for _, tc := range []struct {
		spelled, typed string
		want           int
	}{
		{"when is s c o day", "when is sco day", 9},
		{"what has the s c o done for security in the region", "what has the SCO done for security in the region", 3},
		{"does the S. C. O. work with the u n", "does the SCO work with the UN", 5},
	} {
		a, b := m.Rank(tc.spelled, 1), m.Rank(tc.typed, 1)
		if len(a) != 1 || len(b) != 1 || a[0].Number != tc.want || b[0].Number != tc.want {
			t.Errorf("%q ranks %v first, %q %v; want %d", tc.spelled, a, tc.typed, b, tc.want)
		}
		if ca, cb := m.Match(tc.spelled, 0).Confidence, m.Match(tc.typed, 0).Confidence; ca != cb {
			t.Errorf("%q: confidence %.3f, %q: %.3f", tc.spelled, ca, tc.typed, cb)
		}
	}
}
