package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"transcriptbot/matcher"
)

// TestEvalSweep: eval --sweep measures the files pooled at every threshold from 0.10 to 0.95
// and the one in use, and suggests the lowest one whose answers reach the precision asked.
func TestEvalSweep(t *testing.T) {
	files := []string{"../../matcher/testdata/holdout3.tsv", "../../matcher/testdata/dev.tsv"}
	code, stdout, stderr := runCLI(t, "", append([]string{"eval", "--sweep", "--json"}, files...)...)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var out sweepOutput
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("--json output: %v\n%s", err, stdout)
	}
	if out.Answerable != 31+29 || out.OutOfScope != 10+5 || len(out.Files) != 2 || out.Precision != 0.92 {
		t.Errorf("header: %d answerable, %d out of scope, files %q, precision %g; want 60, 15, both, 0.92",
			out.Answerable, out.OutOfScope, out.Files, out.Precision)
	}
	want := len(sweepThresholds)
	if !slices.Contains(sweepThresholds, matcher.EmbeddedThreshold) {
		want++ // the threshold in use has a row of its own
	}
	if len(out.Rows) != want {
		t.Fatalf("%d rows, want %d: the thresholds and the one in use", len(out.Rows), want)
	}
	inUse := 0
	var suggested *float64
	for i, r := range out.Rows {
		if r.InUse {
			inUse++
			if r.Threshold != matcher.EmbeddedThreshold { // these sets ask about the embedded transcript
				t.Errorf("threshold in use %g, want the embedded transcript's %g", r.Threshold, matcher.EmbeddedThreshold)
			}
		}
		if i > 0 {
			prev := out.Rows[i-1]
			// A higher threshold never answers more, nor declines fewer out-of-scope queries.
			if r.Threshold <= prev.Threshold || r.Answers > prev.Answers || r.OOSDeclinedRate < prev.OOSDeclinedRate {
				t.Errorf("row %d (%g: %d answers, %.3f declined) after %g (%d, %.3f)", i, r.Threshold,
					r.Answers, r.OOSDeclinedRate, prev.Threshold, prev.Answers, prev.OOSDeclinedRate)
			}
		}
		if r.AnswerPrecision != nil && *r.AnswerPrecision >= 0.92 && suggested == nil {
			suggested = &r.Threshold
		}
	}
	if inUse != 1 {
		t.Errorf("%d rows marked in use, want 1", inUse)
	}
	if suggested == nil || out.Suggested == nil || *out.Suggested != *suggested {
		t.Errorf("suggested %v, want the lowest threshold reaching 92%%: %v", out.Suggested, suggested)
	}
	// The same as text: a row per threshold, the one in use starred, and the suggestion.
	code, stdout, _ = runCLIEnv(t, map[string]string{"ANSWER_THRESHOLD": "0.42"}, append([]string{"eval", "--sweep", "--precision", "0.5"}, files...)...)
	if code != exitOK || !strings.Contains(stdout, "\n0.42 *  ") || !strings.Contains(stdout, "\n0.10    ") ||
		!strings.Contains(stdout, "\n0.95    ") || !strings.Contains(stdout, "right 50% of the time or more: 0.10\n") {
		t.Errorf("text sweep with ANSWER_THRESHOLD=0.42 and --precision 0.5: exit %d\n%s", code, stdout)
	}
	// A precision no threshold reaches says so.
	code, stdout, _ = runCLI(t, "", "--transcript", small, "eval", "--sweep", "--precision", "1", "testdata/small-more.tsv")
	if code != exitOK || !strings.Contains(stdout, "No threshold measured gets 100% of its answers right") {
		t.Errorf("unreachable precision: exit %d\n%s", code, stdout)
	}
}

func TestEvalSweepErrors(t *testing.T) {
	for _, args := range [][]string{
		{"eval", "--sweep", "--threshold", "0.5", "testdata/small.tsv"},
		{"eval", "--sweep", "--precision", "0", "testdata/small.tsv"},
		{"eval", "--sweep", "--precision", "1.5", "testdata/small.tsv"},
		{"--transcripts", "testdata/archive", "eval", "--sweep", "testdata/small.tsv"},
	} {
		if code, stdout, stderr := runCLI(t, "", args...); code != exitUsage || stdout != "" || !strings.Contains(stderr, "eval") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want a usage error", args, code, stdout, stderr)
		}
	}
}
