package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"transcriptbot/matcher"
)

func TestEval(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "--transcript", small, "eval", "testdata/small.tsv", "testdata/small-more.tsv")
	if code != exitOK {
		t.Fatalf("exit code %d; stderr %q", code, stderr)
	}
	for _, w := range []string{
		fmt.Sprintf("transcript a98fb43f (4 questions), matcher threshold %.2f\n", matcher.DefaultThreshold),
		"\ntestdata/small.tsv: 9 queries (7 answerable, 2 out of scope)\n",
		"\ntestdata/small-more.tsv: 4 queries (3 answerable, 1 out of scope)\n",
		"\npooled (2 files): 13 queries (10 answerable, 3 out of scope)\n",
		"\ntop-1, answerable                9/10    90.0%",
		"\nconfident-wrong, all queries     1/13     7.7%",
		"\ndeclined, out of scope           3/3    100.0%",
		"By kind:", "  N by number       2 ",
		"Misses (1):\n  7  P  want 4  got answer 2  how much is a ticket\n",
	} {
		if !strings.Contains(stdout, w) {
			t.Errorf("output lacks %q; got:\n%s", w, stdout)
		}
	}
	// Each file, then the pooled report; misses are listed once, with their file.
	if strings.Count(stdout, "Misses") != 1 || strings.Index(stdout, "Misses") > strings.Index(stdout, "pooled") {
		t.Errorf("want the misses once, before the pooled report; got:\n%s", stdout)
	}
	// Scripts grep the overall figures by the words that start their lines.
	hook := regexp.MustCompile(`(?im)^(top-1|direct|confident|wrong|abstained|declined|menu|not covered|false)`)
	if n := len(hook.FindAllString(stdout, -1)); n != 3*6 {
		t.Errorf("got %d figure lines, want 6 per report:\n%s", n, stdout)
	}

	code, stdout, _ = runCLI(t, "", "--transcript", small, "eval", "--misses=false", "--threshold", "0.42", "testdata/small-more.tsv")
	if code != exitOK || !strings.Contains(stdout, "threshold 0.42\n") || strings.Contains(stdout, "Misses") || strings.Contains(stdout, "pooled") {
		t.Errorf("--misses=false --threshold 0.42 on one file: exit %d, output:\n%s", code, stdout)
	}
}

func TestEvalJSON(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "--transcript", small, "eval", "--json", "testdata/small.tsv", "testdata/small-more.tsv")
	if code != exitOK {
		t.Fatalf("exit code %d; stderr %q", code, stderr)
	}
	var out struct {
		Transcript string
		Questions  int
		Threshold  float64
		Files      []struct {
			Name    string
			Overall struct {
				Queries        int
				Top1           float64
				ConfidentWrong float64 `json:"confident_wrong"`
			}
			Kinds  []struct{ Kind string }
			Misses []struct {
				Case    struct{ Line int }
				Reply   string
				Number  int
				Outcome string
			}
		}
		Pooled *struct {
			Name    string
			Overall struct{ Queries int }
		}
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if out.Transcript != "a98fb43f" || out.Questions != 4 || out.Threshold != matcher.DefaultThreshold || len(out.Files) != 2 {
		t.Fatalf("got %+v", out)
	}
	f := out.Files[1]
	if f.Name != "testdata/small-more.tsv" || f.Overall.Queries != 4 || f.Overall.ConfidentWrong != 0.25 || len(f.Kinds) != 3 {
		t.Errorf("second file: got %+v", f)
	}
	if len(f.Misses) != 1 || f.Misses[0].Case.Line != 7 || f.Misses[0].Reply != "answer" || f.Misses[0].Number != 2 || f.Misses[0].Outcome != "answered wrong" {
		t.Errorf("misses: got %+v", f.Misses)
	}
	if out.Pooled == nil || out.Pooled.Overall.Queries != 13 {
		t.Errorf("pooled: got %+v", out.Pooled)
	}

	code, stdout, _ = runCLI(t, "", "--transcript", small, "eval", "--json", "--misses=false", "testdata/small-more.tsv")
	if code != exitOK || strings.Contains(stdout, `"misses"`) || strings.Contains(stdout, `"pooled"`) {
		t.Errorf("--json --misses=false on one file: exit %d, output:\n%s", code, stdout)
	}
}

func TestEvalErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"malformed line", []string{"eval", "testdata/bad.tsv"}, "testdata/bad.tsv:3: want 3 tab-separated fields"},
		{"malformed second file", []string{"--transcript", small, "eval", "testdata/small.tsv", "testdata/bad.tsv"},
			"testdata/bad.tsv:3: want 3 tab-separated fields"},
		{"question not in transcript", []string{"--transcript", small, "eval", "testdata/outofrange.tsv"},
			"testdata/outofrange.tsv:1: question 9 is not in the transcript (it has 1-4)"},
		{"no queries", []string{"eval", "testdata/empty.tsv"}, "testdata/empty.tsv: no queries"},
		{"missing file", []string{"eval", "testdata/small.tsv", "testdata/does-not-exist.tsv"}, "testdata/does-not-exist.tsv: no such file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", tc.args...)
			if code != exitError || stdout != "" || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("got exit %d stdout %q stderr %q, want exit 1 and one line with %q", code, stdout, stderr, tc.want)
			}
		})
	}
}

// TestEvalMatcherSets runs eval on the repository's labelled sets at once, checking that the
// whole format is accepted on real data and that every set gets its report.
func TestEvalMatcherSets(t *testing.T) {
	sets := []string{"../../matcher/testdata/eval.tsv", "../../matcher/testdata/blind-mixed.tsv", "../../matcher/testdata/blind-chat.tsv"}
	for _, s := range sets {
		if _, err := os.Stat(s); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr := runCLI(t, "", append([]string{"eval", "--misses=false"}, sets...)...)
	if code != exitOK || strings.Count(stdout, "\nMRR, answerable ") != 4 || !strings.Contains(stdout, "\npooled (3 files): 511 queries") {
		t.Errorf("exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
}
