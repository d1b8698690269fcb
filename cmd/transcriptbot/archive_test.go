package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

const archiveDir = "testdata/archive"

func TestArchiveCommands(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		wantStdout []string
		wantStderr string
	}{
		{"list", []string{"--transcripts", archiveDir, "list"}, exitOK,
			[]string{"3 briefings, newest first", "2024-05-07  2024-05-07-town-hall  Town hall, May 2024 (2 questions)\n2024-03-05  2024-03-05-town-hall", "2023-11-02  rueda  Rueda de prensa"},
			"skipped testdata/archive/broken.txt:7: question number out of sequence"},
		{"list one", []string{"--transcripts", archiveDir, "list", "2024-03-05"}, exitOK,
			[]string{"Town hall with the mayor, March 2024 (2024-03-05)", "3. Will the library stay open on Sundays?"}, ""},
		{"list unknown", []string{"--transcripts", archiveDir, "list", "1999-01-01"}, exitError, nil, `no briefing "1999-01-01"`},
		{"answer newest", []string{"--transcripts", archiveDir, "answer", "2"}, exitOK,
			[]string{"2. Are the library hours changing?", "— Town hall, May 2024, 2024-05-07, question 2"}, ""},
		{"answer by date", []string{"--transcripts", archiveDir, "answer", "2024-03-05#q3"}, exitOK,
			[]string{"3. Will the library stay open on Sundays?", "question 3"}, ""},
		{"answer by id", []string{"--transcripts", archiveDir, "answer", "rueda#1"}, exitOK, []string{"¿Cuándo se abrirá"}, ""},
		{"answer out of range", []string{"--transcripts", archiveDir, "answer", "rueda#7"}, exitError, nil, "briefing rueda has questions 1-2"},
		{"answer malformed", []string{"--transcripts", archiveDir, "answer", "x#y"}, exitUsage, nil, "not a question number"},
		{"ask in words", []string{"--transcripts", archiveDir, "ask", "when does the bridge open"}, exitOK,
			[]string{"1. When will the new bridge open?", "— Town hall with the mayor, March 2024, 2024-03-05, question 1", "answer '2024-03-05-town-hall#1'"}, ""},
		{"both flags", []string{"--transcripts", archiveDir, "--transcript", "testdata/small.txt", "list"}, exitUsage, nil, "exclude each other"},
		{"missing dir", []string{"--transcripts", "testdata/nope", "list"}, exitError, nil, "no such file or directory"},
		{"serve check", []string{"--transcripts", archiveDir, "serve", "--check"}, exitOK,
			[]string{"configuration OK: 3 briefings (1 files skipped)"}, "skipped testdata/archive/broken.txt:7:"},
		{"eval", []string{"--transcripts", archiveDir, "eval", "--misses=false", "testdata/archive.tsv"}, exitOK,
			[]string{"archive testdata/archive (3 briefings, 7 questions)", "top-1"}, ""},
		{"eval wants BRIEFING#N", []string{"--transcripts", archiveDir, "eval", "testdata/small.tsv"}, exitError, nil,
			"testdata/small.tsv:2: in an archive write the expected question as BRIEFING#N"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stdout %q stderr %q", code, tc.code, stdout, stderr)
			}
			for _, w := range tc.wantStdout {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
			if tc.wantStderr != "" && !strings.Contains(stderr, tc.wantStderr) {
				t.Errorf("stderr %q lacks %q", stderr, tc.wantStderr)
			}
		})
	}
}

func TestArchiveAskJSON(t *testing.T) {
	stdin := "when does the bridge open\n¿cuándo abrirán el puente?\nin:2024-03 library\nin:1999 library\nlibrary hours\n"
	code, stdout, stderr := runCLI(t, stdin, "--transcripts", archiveDir, "ask", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := []struct {
		transcript, date string
		number           int
	}{
		{"2024-03-05-town-hall", "2024-03-05", 1},
		{"rueda", "2023-11-02", 1},
		{"2024-03-05-town-hall", "2024-03-05", 3},
		{"", "", 0},
		{"2024-05-07-town-hall", "2024-05-07", 2},
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), stdout)
	}
	for i, line := range lines {
		var raw map[string]json.RawMessage
		if err := json.Unmarshal([]byte(line), &raw); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"transcript", "title", "date", "number", "question", "excerpt"} {
			if _, ok := raw[f]; !ok {
				t.Errorf("line %d lacks %q", i+1, f)
			}
		}
		var r askResult
		_ = json.Unmarshal([]byte(line), &r)
		if r.Transcript != want[i].transcript || r.Date != want[i].date || r.Number != want[i].number {
			t.Errorf("line %d (%q): got %q %q #%d, want %+v", i+1, r.Query, r.Transcript, r.Date, r.Number, want[i])
		}
	}
	var last askResult
	_ = json.Unmarshal([]byte(lines[4]), &last)
	if len(last.Others) == 0 || last.Others[0].Transcript != "2024-03-05-town-hall" || last.Others[0].Number != 3 {
		t.Errorf("others: got %+v, want March's library question", last.Others)
	}
}

func TestArchiveFromEnvironment(t *testing.T) {
	var out, errOut strings.Builder
	env := &cliEnv{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string {
			if k == "TRANSCRIPT_DIR" {
				return archiveDir
			}
			return ""
		}}
	if code := env.main(context.Background(), []string{"ask", "--json", "viviendas asequibles"}); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), `"transcript":"rueda"`) || !strings.Contains(out.String(), `"number":2`) {
		t.Errorf("got %s, want rueda's question 2", out.String())
	}
}

func TestArchiveCheck(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "check", archiveDir)
	if code != exitError {
		t.Fatalf("exit %d, want 1 for the broken file", code)
	}
	for _, w := range []string{"testdata/archive/rueda.txt: ok", "  language:   spanish", "  date:       2023-11-02", "testdata/archive: 4 transcripts, 1 in error, 0 warnings"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("stdout lacks %q:\n%s", w, stdout)
		}
	}
	if !strings.Contains(stderr, "testdata/archive/broken.txt:7: ") {
		t.Errorf("stderr %q lacks the broken file's line", stderr)
	}
}

func TestOneTranscriptJSONNamesIt(t *testing.T) {
	code, stdout, _ := runCLI(t, "", "--transcript", small, "ask", "--json", "lighthouse tours")
	var r askResult
	if code != exitOK || json.Unmarshal([]byte(stdout), &r) != nil || r.Transcript != "small" || r.Title == "" || r.Date != "" {
		t.Errorf("got %d %q", code, stdout)
	}
}

func TestArchiveReview(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "--transcripts", archiveDir, "review", "testdata/archive-misses.jsonl")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	may := strings.Index(stdout, "== Briefing 2024-05-07-town-hall — Town hall, May 2024 (2024-05-07); sidecar: testdata/archive/2024-05-07-town-hall.ini ==")
	march := strings.Index(stdout, "== Briefing 2024-03-05-town-hall")
	if may < 0 || march < may || !strings.Contains(stdout[may:march], "night, trams") {
		t.Errorf("want May (2 records, the trams) before March:\n%s", stdout)
	}
	if !strings.Contains(stderr, "1 of the 4 records") {
		t.Errorf("stderr %q: want the record of a briefing no longer there counted", stderr)
	}
	code, stdout, _ = runCLI(t, "", "--transcripts", archiveDir, "review", "--json", "testdata/archive-misses.jsonl")
	var reps []briefingReport
	if code != exitOK || json.Unmarshal([]byte(stdout), &reps) != nil || len(reps) != 2 || reps[0].Briefing != "2024-05-07-town-hall" || reps[0].Date != "2024-05-07" {
		t.Errorf("--json: got %d %s", code, stdout)
	}
}

func TestArchiveChat(t *testing.T) {
	in := "library hours\n1\n/use 2024-03-05\n2\nin:2024-03 library\n2023-11-02#2\n/questions\n"
	code, stdout, stderr := runCLI(t, in, "--transcripts", archiveDir, "chat", "--plain")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"2. Are the library hours changing?",                             // the newer briefing answers
		"— Town hall, May 2024, 2024-05-07, question 1",                  // "1": the current briefing's
		"3. Will the library stay open on Sundays?",                      // /use lists March's questions
		"— Town hall with the mayor, March 2024, 2024-03-05, question 2", // "2" after /use
		"— Town hall with the mayor, March 2024, 2024-03-05, question 3", // in:2024-03
		"— Rueda de prensa de la alcaldesa, 2023-11-02, question 2",      // DATE#N
		"2024-05-07 · Town hall, May 2024 (2 questions)",                 // /questions lists briefings
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("chat output lacks %q:\n%s", want, stdout)
		}
	}
}
