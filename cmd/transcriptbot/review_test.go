package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestReviewCommand(t *testing.T) {
	misses, err := os.ReadFile("testdata/misses.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		stdin      string
		args       []string
		code       int
		wantStdout []string
		wantStderr string
	}{
		{"help", "", []string{"review", "--help"}, exitOK, []string{"usage: transcriptbot review [--max N] [--json] [--any-transcript] [FILE]", "sidecar", "-max N"}, ""},
		{"help command", "", []string{"help", "review"}, exitOK, []string{"usage: transcriptbot review"}, ""},
		{"listed in the program's usage", "", []string{"--help"}, exitOK, []string{"review  "}, ""},
		{"no file", "", []string{"review"}, exitUsage, nil, "want exactly one FILE (or MISS_LOG set), got 0 arguments"},
		{"two files", "", []string{"review", "a", "b"}, exitUsage, nil, "want exactly one FILE (or MISS_LOG set), got 2 arguments"},
		{"negative max", "", []string{"review", "--max", "-1", "x"}, exitUsage, nil, "--max must be 0 or more"},
		{"unknown flag", "", []string{"review", "--nope", "x"}, exitUsage, nil, "usage: transcriptbot review"},
		{"unknown language", "", []string{"review", "--lang", "klingon", "x"}, exitUsage, nil, `unknown --lang "klingon"`},
		{"missing file", "", []string{"review", "testdata/does-not-exist.jsonl"}, exitError, nil, "testdata/does-not-exist.jsonl: no such file"},
		{"malformed line", "", []string{"review", "testdata/bad-misses.jsonl"}, exitError, nil,
			`testdata/bad-misses.jsonl:3: field "query": want a string, got a JSON number`},
		{"malformed standard input", "{\"query\":\"x\"}\nnot json\n", []string{"review", "-"}, exitError, nil,
			"(standard input):2: not a JSON object"},
		{"missing transcript", "", []string{"--transcript", "testdata/does-not-exist.txt", "review", "testdata/misses.jsonl"}, exitError, nil, "does-not-exist.txt"},
		{"report on the given transcript", "", []string{"--transcript", "testdata/small.txt", "review", "testdata/misses.jsonl"}, exitOK, []string{
			"Reviewed 7 unanswered questions: 5 in 3 clusters.",
			"1 the current transcript now answers (left out).",
			"1 with no content words (left out).",
			"1. 1 question like question 4",
			"     [question 4]\n     lighthouse opening hours\n",
			"Gaps in the transcript: 2 clusters, 4 questions",
			"1. 3 questions about lost, office, property",
			`   "is there a lost property office" ×2`,
		}, ""},
		{"flags after the file", "", []string{"review", "testdata/misses.jsonl", "--transcript", "testdata/small.txt", "--max", "1"}, exitOK,
			[]string{"1. 3 questions about lost, office, property", "(1 more not shown)"}, ""},
		{"standard input", string(misses), []string{"--transcript", "testdata/small.txt", "review", "-"}, exitOK,
			[]string{"Reviewed 7 unanswered questions"}, ""},
		{"empty log", "", []string{"review", "-"}, exitOK, []string{"Reviewed 0 unanswered questions", "Gaps in the transcript: none"}, ""},
		{"log of another transcript refused", "", []string{"review", "testdata/misses.jsonl"}, exitError, nil,
			"transcriptbot review: testdata/misses.jsonl was written for another transcript (a98fb43f), not for the embedded transcript (bff0aa1f): name that transcript with --transcript or TRANSCRIPT_FILE"},
		{"log of another transcript, --any-transcript", "", []string{"review", "--any-transcript", "testdata/misses.jsonl"}, exitOK,
			[]string{"Reviewed 7 unanswered questions"}, "transcriptbot review: warning: testdata/misses.jsonl was written for another transcript"},
		{"some records of another version", `{"query":"ferry bikes","reason":"abstained","transcript":"a98fb43f"}
{"query":"ferry dogs","reason":"abstained","transcript":"0badc0de"}
`, []string{"--transcript", "testdata/small.txt", "review", "-"}, exitOK, []string{"Reviewed 2 unanswered questions"},
			"warning: 1 of the 2 records in (standard input) were written for another version of the transcript (0badc0de); they are reviewed against testdata/small.txt (a98fb43f)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.stdin, tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d; stderr %q", code, tc.code, stderr)
			}
			for _, want := range tc.wantStdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout: got %q, want it to contain %q", stdout, want)
				}
			}
			if !strings.Contains(stderr, tc.wantStderr) {
				t.Errorf("stderr: got %q, want it to contain %q", stderr, tc.wantStderr)
			}
			if tc.code != exitOK && stdout != "" {
				t.Errorf("stdout should be empty on failure, got %q", stdout)
			}
		})
	}
}

// TestReviewLanguage: --lang changes the stemming, so the same log groups differently.
func TestReviewLanguage(t *testing.T) {
	log := `{"query":"football running"}` + "\n" + `{"query":"football runs"}` + "\n"
	for _, tc := range []struct {
		lang     string
		clusters int
	}{
		{"english", 1}, // footbal run, footbal run
		{"spanish", 2}, // football running, football runs
	} {
		code, stdout, stderr := runCLI(t, log, "review", "--json", "--lang", tc.lang, "-")
		if code != exitOK {
			t.Fatalf("%s: exit code %d: %s", tc.lang, code, stderr)
		}
		var rep struct {
			Alternates, Gaps []struct{ Count int }
		}
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatalf("%s: %v", tc.lang, err)
		}
		if got := len(rep.Alternates) + len(rep.Gaps); got != tc.clusters {
			t.Errorf("--lang %s: got %d clusters, want %d", tc.lang, got, tc.clusters)
		}
	}
}

func TestReviewJSON(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "--transcript", "testdata/small.txt", "review", "--json", "testdata/misses.jsonl")
	if code != exitOK {
		t.Fatalf("exit code %d: %s", code, stderr)
	}
	var rep struct {
		Records, Answered, Unanalysable int
		Alternates                      []struct {
			Count     int
			Question  int
			Suggested []string
		}
		Gaps []struct {
			Count int
			Words []string
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if rep.Records != 7 || rep.Answered != 1 || rep.Unanalysable != 1 {
		t.Errorf("counts: got %d, %d, %d; want 7, 1, 1", rep.Records, rep.Answered, rep.Unanalysable)
	}
	if len(rep.Alternates) != 1 || rep.Alternates[0].Question != 4 ||
		strings.Join(rep.Alternates[0].Suggested, "|") != "lighthouse opening hours" {
		t.Errorf("alternates: got %+v, want question 4 with %q", rep.Alternates, "lighthouse opening hours")
	}
	if len(rep.Gaps) != 2 || rep.Gaps[0].Count != 3 || strings.Join(rep.Gaps[0].Words, " ") != "lost office property" {
		t.Errorf("gaps: got %+v, want 2 clusters, the first of 3 about lost, office, property", rep.Gaps)
	}
}

func TestReviewReadsTheSettings(t *testing.T) {
	env := map[string]string{"MISS_LOG": "testdata/misses.jsonl", "TRANSCRIPT_FILE": "testdata/small.txt"}
	code, stdout, stderr := runEnv(t, env, "", "review")
	if code != exitOK || !strings.Contains(stdout, "Reviewed 7 unanswered questions") || stderr != "" {
		t.Errorf("review with MISS_LOG and TRANSCRIPT_FILE: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
