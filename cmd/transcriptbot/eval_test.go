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

// TestEval checks eval's output on testdata/small-more.tsv, whose replies do not depend on
// the matcher (number requests, small talk, help), so its figures are known exactly; given
// twice, the pooled report counts it twice.
func TestEval(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "--transcript", small, "eval", "testdata/small-more.tsv", "testdata/small-more.tsv")
	if code != exitOK {
		t.Fatalf("exit code %d; stderr %q", code, stderr)
	}
	for _, w := range []string{
		fmt.Sprintf("transcript a98fb43f (4 questions), matcher threshold %.2f\n", matcher.DefaultThreshold),
		"\ntestdata/small-more.tsv: 6 queries (4 answerable, 2 out of scope)\n" +
			"top-1, answerable                2/4     50.0%  right question answered, or first in the menu\n" +
			"direct-correct, answerable       2/4     50.0%  right question answered, no menu\n" +
			"confident-wrong, all queries     1/6     16.7%  answered with a wrong question (out of scope included)\n" +
			"menu, all queries                0/6      0.0%  \"did you mean\" instead of an answer\n" +
			"false \"not covered\", answerable  1/4     25.0%  answerable but declined\n" +
			"declined, out of scope           2/2    100.0%  neither an answer nor a menu\n" +
			"MRR, answerable                  0.500          rank of the right question in what the reply offers\n" +
			"answerable: 2 right, 1 wrong, menu 0 right first / 0 lower / 0 absent, 0 not covered, 1 other replies\n" +
			"out of scope: 0 answered, 0 menu, 2 declined\n",
		"\npooled (2 files): 12 queries (8 answerable, 4 out of scope)\n",
		"\ntop-1, answerable                4/8     50.0%",
		"\nconfident-wrong, all queries     2/12    16.7%",
		"  N by number     4        50.0%  50.0%   25.0%  0.0%  25.0%     0.500\n",
		"  O out of scope  2        -      -       0.0%   0.0%  100.0%    -\n",
		"Misses (2):\n  7  N  want 4  got by-number 1  show me question 1\n  9  N  want 2  got help         help\n",
	} {
		if !strings.Contains(stdout, w) {
			t.Errorf("output lacks %q; got:\n%s", w, stdout)
		}
	}
	// Each file, then the pooled report; misses are listed with their file, not pooled.
	if strings.Count(stdout, "Misses") != 2 || strings.LastIndex(stdout, "Misses") > strings.Index(stdout, "pooled") {
		t.Errorf("want the misses once per file, before the pooled report; got:\n%s", stdout)
	}
	// Scripts grep the overall figures by the words that start their lines.
	hook := regexp.MustCompile(`(?im)^(top-1|direct|confident|wrong|abstained|declined|menu|not covered|false)`)
	if n := len(hook.FindAllString(stdout, -1)); n != 3*6 {
		t.Errorf("got %d figure lines, want 6 per report:\n%s", n, stdout)
	}

	// Any set goes through the same way: the matcher's answers on small.tsv, each file and
	// then pooled.
	code, stdout, _ = runCLI(t, "", "--transcript", small, "eval", "--misses=false", "testdata/small.tsv", "testdata/small-more.tsv")
	for _, w := range []string{
		"\ntestdata/small.tsv: 9 queries (7 answerable, 2 out of scope)\ntop-1, answerable ",
		"\ntestdata/small-more.tsv: 6 queries (4 answerable, 2 out of scope)\ntop-1, answerable ",
		"\npooled (2 files): 15 queries (11 answerable, 4 out of scope)\ntop-1, answerable ",
		"  A fact in answer ", "  K keywords ", "  T typo ",
	} {
		if code != exitOK || !strings.Contains(stdout, w) || strings.Contains(stdout, "Misses") {
			t.Errorf("two sets, --misses=false: exit %d, output lacks %q or has misses:\n%s", code, w, stdout)
		}
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
	if f.Name != "testdata/small-more.tsv" || f.Overall.Queries != 6 || f.Overall.Top1 != 0.5 || f.Overall.ConfidentWrong != 1.0/6 || len(f.Kinds) != 2 {
		t.Errorf("second file: got %+v", f)
	}
	if len(f.Misses) != 2 || f.Misses[0].Case.Line != 7 || f.Misses[0].Reply != "by-number" || f.Misses[0].Number != 1 || f.Misses[0].Outcome != "answered wrong" ||
		f.Misses[1].Reply != "help" || f.Misses[1].Outcome != "declined" {
		t.Errorf("misses: got %+v", f.Misses)
	}
	if out.Pooled == nil || out.Pooled.Overall.Queries != 15 {
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

// TestEvalWordsOnly: --words-only measures the embedded transcript by its words alone, with
// the general model's threshold, and says so; it is refused with --sweep or --transcripts.
func TestEvalWordsOnly(t *testing.T) {
	set := "../../matcher/testdata/holdout49.tsv"
	var out [2]struct {
		Threshold float64
		Learned   bool
		Pooled    *struct{}
	}
	for i, args := range [][]string{{"eval", "--json", "--misses=false", set}, {"eval", "--json", "--misses=false", "--words-only", set}} {
		code, stdout, stderr := runCLI(t, "", args...)
		if code != exitOK {
			t.Fatalf("%q: exit %d, stderr %q", args, code, stderr)
		}
		if err := json.Unmarshal([]byte(stdout), &out[i]); err != nil {
			t.Fatalf("%q: not JSON: %v", args, err)
		}
	}
	if !out[0].Learned || out[0].Threshold != matcher.EmbeddedThreshold {
		t.Errorf("embedded transcript: learned %v, threshold %v; want the learned phrasings and %v", out[0].Learned, out[0].Threshold, matcher.EmbeddedThreshold)
	}
	if out[1].Learned || out[1].Threshold != matcher.DefaultThreshold {
		t.Errorf("--words-only: learned %v, threshold %v; want the words alone and %v", out[1].Learned, out[1].Threshold, matcher.DefaultThreshold)
	}
	if _, stdout, _ := runCLI(t, "", "eval", "--misses=false", "--words-only", set); !strings.HasPrefix(stdout, fmt.Sprintf("transcript bff0aa1f (10 questions), matcher threshold %.2f, by the words alone\n", matcher.DefaultThreshold)) {
		t.Errorf("--words-only title: %q", strings.SplitN(stdout, "\n", 2)[0])
	}
	for _, args := range [][]string{{"eval", "--words-only", "--sweep", set}, {"--transcripts", "../../matcher/testdata", "eval", "--words-only", set}} {
		if code, _, stderr := runCLI(t, "", args...); code != exitUsage || !strings.Contains(stderr, "--words-only measures one transcript") {
			t.Errorf("%q: exit %d, stderr %q; want a usage error", args, code, stderr)
		}
	}
}
