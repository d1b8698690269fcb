package matcher

import (
	"strings"
	"testing"
)

// markContext marks the words of the clauses that do not ask, only when another clause does.
func TestMarkContext(t *testing.T) {
	m := defaultMatcher(t)
	for _, tc := range []struct {
		query string
		ctx   string // the words marked, space-separated
	}{
		{"pls someone tell me what he said about humanitarian cooperation, my essay is due friday 😭", "essay due friday"},
		{"@wire_desk anyone have his quote on Alibaba? editor wants it asap 🙃", "editor wants asap"},
		{"runners club asking 🏃 is the Kunming race still on or what??", "runners club asking"},
		{"India vs China at the border, does the SCO actually do anything?", "india vs china border"},
		{"what did he say about the summit", ""},                                // one clause, it asks
		{"summit date. venue. agenda", ""},                                      // no clause asks
		{"Where is the summit? When does it open?", ""},                         // every clause asks
		{"So, WHAT did he say about Hong Kong? my boss needs it", "boss needs"}, // capitals; a lead word before the question word
	} {
		var got []string
		analysed(m, tc.query, func(s *scratch) {
			for _, w := range s.words {
				if w.ctx {
					got = append(got, w.lower)
				}
			}
		})
		if strings.Join(got, " ") != tc.ctx {
			t.Errorf("%q: context words %q, want %q", tc.query, strings.Join(got, " "), tc.ctx)
		}
	}
}

// A word the transcript lacks weighs less in a clause that does not ask.
func TestContextClauseWeighsLess(t *testing.T) {
	m := defaultMatcher(t)
	presence := func(q string) (p float64) {
		analysed(m, q, func(s *scratch) { p = s.presence() })
		return p
	}
	asked := presence("what did he say about humanitarian cooperation? my essay is due friday")
	stated := presence("what did he say about humanitarian cooperation and my essay due friday")
	if !(asked > stated) {
		t.Errorf("presence with the context clause %.3f, with the same words asked %.3f: want higher", asked, stated)
	}
}

func TestMetaOf(t *testing.T) {
	for q, want := range map[string]float64{
		"did he say anything about NATO":       1,
		"What did the SG mention about the UN": 1,
		"is it in the TRANSCRIPT":              1,
		"how long is the kunming marathon":     0,
		"member states of the sco":             0,
	} {
		if got := metaOf(q, words(q, nil)); got != want {
			t.Errorf("metaOf(%q) = %v, want %v", q, got, want)
		}
	}
}
