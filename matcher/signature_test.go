package matcher

import "testing"

func TestDropSignature(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Could you tell me whether it took any side? Yours sincerely, Mrs D. Pollard", "Could you tell me whether it took any side?"},
		{"helping one another through this wretched virus? Many thanks, Edna", "helping one another through this wretched virus?"},
		{"Was anything said about what it does? I should be most grateful. Yours faithfully, Capt. (retd.) L. Bream", "Was anything said about what it does? I should be most grateful."},
		{"Could you tell me exactly what he said?\nWith kind regards,\nSister M. O'Neill (retd.)", "Could you tell me exactly what he said?"},
		// No sign-off before the name, or more than a name after it: left as it is.
		{"What did he say about Hong Kong, Norov I mean", "What did he say about Hong Kong, Norov I mean"},
		{"what about the summit, thanks, and the marathon", "what about the summit, thanks, and the marathon"},
		{"thanks, Edna", "thanks, Edna"},
		{"what did he say about the regards, Sir", "what did he say about the regards, Sir"},
		{"when is the summit", "when is the summit"},
	} {
		if got := DropSignature(tc.in); got != tc.want {
			t.Errorf("DropSignature(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
