package bot

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// render writes a reply as plain text: what a user of any adapter reads, markup aside. The
// transcript version in ids shows as "<v>", so the files survive an edit of the transcript.
func render(r Reply, version string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "kind: %v\n", r.Kind)
	if r.Number > 0 {
		fmt.Fprintf(&b, "title: %d. %s\n", r.Number, r.Question)
	}
	b.WriteString("---\n")
	for _, s := range r.Body {
		if s.Highlight {
			b.WriteString("*" + s.Text + "*")
		} else {
			b.WriteString(s.Text)
		}
	}
	b.WriteString("\n---\n")
	if l := r.PageLabel(); l != "" {
		b.WriteString(l + "\n")
	}
	for _, a := range r.Actions {
		fmt.Fprintf(&b, "[%s] %s\n", strings.Replace(a.ID, version, "<v>", 1), a.Label)
	}
	return b.String()
}

// TestGolden pins the wording of whole replies on the default transcript (replies that do
// not depend on the matcher's ranking, which is tuned separately).
func TestGolden(t *testing.T) {
	b := mustDefaultBot(t)
	tests := []struct {
		name string
		req  Request
	}{
		{"start", Request{Kind: KindCommand, Command: "start", Private: true}},
		{"help_group", Request{Kind: KindCommand, Command: "help"}},
		{"list", Request{Kind: KindCommand, Command: "questions", Limits: Limits{Body: 2000, Title: 256}}},
		{"answer_paged", Request{Kind: KindMessage, Text: "third question", Limits: Limits{Body: 1200, Title: 120}}},
		{"expired", Request{Kind: KindButton, Action: "00000000:f:3"}},
		{"greeting", Request{Kind: KindMessage, Text: "Good morning!"}},
		{"out_of_range", Request{Kind: KindMessage, Text: "question 12"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := render(b.Handle(ctx, tc.req), b.Version())
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("reply differs from %s:\ngot:\n%s\nwant:\n%s", path, got, want)
			}
		})
	}
}
