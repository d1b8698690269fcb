package archive

import (
	"strings"
	"testing"
)

// FuzzUserSyntax: what users type to name briefings and periods never panics, and what is
// accepted is well formed.
func FuzzUserSyntax(f *testing.F) {
	for _, s := range []string{"2020", "2020-06", "2020-06-12", "2020-03..2020-06", "2021..", "..2020-06-12", "..",
		"2020-06-12#3", "x#0", "#3", "3", "in:2020-06 what", "in: what", "in:", "IN:2024-03-05-town-hall q", "in:\x00 q", "2020-02-30"} {
		f.Add(s)
	}
	a := New(Options{})
	tb := briefing(f, "2024-03-05-town-hall", bridgeText)
	if err := a.Put(tb); err != nil {
		f.Fatal(err)
	}
	snap := a.Snapshot()
	f.Fuzz(func(t *testing.T, s string) {
		if sc, err := ParsePeriod(s); err == nil {
			if sc.From.IsZero() && sc.To.IsZero() {
				t.Errorf("ParsePeriod(%q): an empty period", s)
			}
			if !sc.From.IsZero() && !sc.To.IsZero() && !sc.From.Before(sc.To) {
				t.Errorf("ParsePeriod(%q): %v is not before %v", s, sc.From, sc.To)
			}
			_ = sc.String()
		}
		if r, ok := ParseRef(s); ok && (r.Number < 1 || strings.Contains(r.Briefing, "#")) {
			t.Errorf("ParseRef(%q) = %+v", s, r)
		}
		sc, rest, err := snap.SplitScope(s)
		if err == nil && !sc.IsZero() && strings.TrimSpace(rest) == "" {
			t.Errorf("SplitScope(%q): a scope without a question", s)
		}
		_ = snap.Match(s, 0, sc)
	})
}
