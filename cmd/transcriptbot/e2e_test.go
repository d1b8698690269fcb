package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const small = "testdata/small.txt"

func TestAsk(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string // substrings of stdout, in order
	}{
		{"embedded transcript", []string{"ask", "What is the Shanghai spirit?"},
			[]string{"2. The SCO adheres to the \"Shanghai Spirit\"", "The Shanghai spirit embodies", "(Full answer: transcriptbot answer 2"}},
		{"words as separate arguments", []string{"--transcript", small, "ask", "how", "much", "is", "a", "ticket"},
			[]string{"2. How much will a ticket to the islands cost this year?\n\nA single ticket costs four euros"}},
		{"global flag after the question", []string{"ask", "lighthouse", "visitors", "--transcript", small},
			[]string{"4. Will the old lighthouse be opened to visitors?"}},
		{"not covered lists the nearest questions", []string{"--transcript", small, "ask", "what is the capital of Peru"},
			[]string{"does not cover", "  transcriptbot --transcript testdata/small.txt list  # all questions\n"}},
		// The hints show a question without the journalist and outlet that open it.
		{"nearest questions without their askers", []string{"--transcript", "../../matcher/testdata/museum/briefing.txt", "ask", "have the police caught anyone yet?"},
			[]string{"does not cover", "answer 7  # Have you got CCTV footage, and what are you asking the public to do?\n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", tc.args...)
			if code != exitOK {
				t.Fatalf("exit code %d, want 0; stderr %q", code, stderr)
			}
			rest := stdout
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("stdout lacks %q (in order); got %q", w, stdout)
				}
				rest = rest[i+len(w):]
			}
			if strings.Contains(stdout, "\x1b[") {
				t.Errorf("ANSI escapes in output to a non-terminal: %q", stdout)
			}
		})
	}
}

func TestAskTooLong(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "ask", strings.Repeat("word ", 400))
	if code != exitError || stdout != "" || !strings.HasPrefix(stderr, "transcriptbot ask: ") {
		t.Errorf("got code %d stdout %q stderr %q, want exit 1 and a message on stderr", code, stdout, stderr)
	}
}

func TestAskJSON(t *testing.T) {
	stdin := "how much is a ticket\r\nwhat is the capital of Peru\n\nlighthouse tours\n"
	code, stdout, stderr := runCLI(t, stdin, "--transcript", small, "ask", "--json")
	if code != exitOK {
		t.Fatalf("exit code %d, want 0; stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	wantQueries := []string{"how much is a ticket", "what is the capital of Peru", "", "lighthouse tours"}
	wantNumbers := []int{2, 0, 0, 4}
	if len(lines) != len(wantQueries) {
		t.Fatalf("got %d lines, want %d: %q", len(lines), len(wantQueries), stdout)
	}
	for i, line := range lines {
		var raw map[string]json.RawMessage
		if err := json.Unmarshal([]byte(line), &raw); err != nil {
			t.Fatalf("line %d is not JSON: %v: %q", i+1, err, line)
		}
		for _, field := range []string{"query", "number", "confidence", "question", "excerpt", "alternatives", "ambiguous", "terms"} {
			if _, ok := raw[field]; !ok {
				t.Errorf("line %d lacks field %q: %q", i+1, field, line)
			}
		}
		var r askResult
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if r.Query != wantQueries[i] {
			t.Errorf("line %d query: got %q, want %q", i+1, r.Query, wantQueries[i])
		}
		if r.Number != wantNumbers[i] {
			t.Errorf("line %d (%q) number: got %d, want %d", i+1, r.Query, r.Number, wantNumbers[i])
		}
		if r.Confidence < 0 || r.Confidence > 1 {
			t.Errorf("line %d confidence %v out of [0,1]", i+1, r.Confidence)
		}
		if (r.Number == 0) != (r.Question == "" && r.Excerpt == "") {
			t.Errorf("line %d: number %d with question %q excerpt %q", i+1, r.Number, r.Question, r.Excerpt)
		}
		if len(r.Alternatives) != len(r.AlternativeConfidences) {
			t.Errorf("line %d: %d alternatives but %d confidences", i+1, len(r.Alternatives), len(r.AlternativeConfidences))
		}
	}
	var first askResult
	_ = json.Unmarshal([]byte(lines[0]), &first)
	if first.Question != "How much will a ticket to the islands cost this year?" {
		t.Errorf("question: got %q", first.Question)
	}
	if !strings.Contains(first.Excerpt, "four euros") {
		t.Errorf("excerpt: got %q, want the ticket price", first.Excerpt)
	}
}

func TestAskJSONOneQuery(t *testing.T) {
	code, stdout, stderr := runCLI(t, "ignored stdin\n", "ask", "--json", "--transcript", small, "bay", "pollution")
	if code != exitOK {
		t.Fatalf("exit code %d; stderr %q", code, stderr)
	}
	var r askResult
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("not one JSON object: %v: %q", err, stdout)
	}
	if r.Query != "bay pollution" || r.Number != 3 || strings.Count(stdout, "\n") != 1 {
		t.Errorf("got %q, want one line answering question 3 for %q", stdout, "bay pollution")
	}
}

func TestAnswer(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		wantStdout string
		wantStderr string
	}{
		{"full answer", []string{"--transcript", small, "answer", "1"}, exitOK,
			"1. When does the summer ferry timetable start?\n\nThe summer timetable starts on the first of June. " +
				"Ferries then leave the main pier every thirty minutes from six in the morning until midnight.\n\n" +
				"On public holidays the last ferry leaves at one in the morning.\n", ""},
		{"hash prefix", []string{"--transcript", small, "answer", "#4"}, exitOK,
			"4. Will the old lighthouse be opened to visitors?\n\nYes. After the restoration the lighthouse opens " +
				"to visitors in July, with guided tours on weekends.\n", ""},
		{"out of range", []string{"--transcript", small, "answer", "5"}, exitError, "",
			"transcriptbot answer: no question 5: this transcript has questions 1-4\n"},
		{"zero", []string{"answer", "0"}, exitError, "", "no question 0: this transcript has questions 1-10\n"},
		{"negative", []string{"answer", "--", "-3"}, exitError, "", "no question -3: this transcript has questions 1-10\n"},
		{"huge", []string{"answer", "99999999999999999999999"}, exitError, "",
			"no question 99999999999999999999999: this transcript has questions 1-10\n"},
		{"word", []string{"answer", "three"}, exitUsage, "", "Run 'transcriptbot answer --help' for details.\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d; stderr %q", code, tc.code, stderr)
			}
			if stdout != tc.wantStdout {
				t.Errorf("stdout: got %q, want %q", stdout, tc.wantStdout)
			}
			if !strings.HasSuffix(stderr, tc.wantStderr) {
				t.Errorf("stderr: got %q, want it to end with %q", stderr, tc.wantStderr)
			}
		})
	}
}

func TestList(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "list", "--transcript", small)
	want := "Briefing of the Harbour Authority on the new ferry season\n\n" +
		"1. When does the summer ferry timetable start?\n" +
		"2. How much will a ticket to the islands cost this year?\n" +
		"3. What is being done about the pollution in the bay?\n" +
		"4. Will the old lighthouse be opened to visitors?\n"
	if code != exitOK || stdout != want {
		t.Errorf("exit %d, stderr %q\ngot  %q\nwant %q", code, stderr, stdout, want)
	}
	code, stdout, _ = runCLI(t, "", "list")
	if code != exitOK || strings.Count(stdout, "\n") != 12 || !strings.Contains(stdout, "\n10. How has the coronavirus") {
		t.Errorf("embedded list: exit %d, got %q", code, stdout)
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		wantStdout []string
		wantStderr string
	}{
		{"good file", []string{"check", small}, exitOK, []string{
			"testdata/small.txt: ok\n", "  title:      Briefing of the Harbour Authority on the new ferry season\n",
			"  questions:  4\n", "  hash:       ", "  sidecar:    none (no testdata/small.ini)\n",
			"  no confusable questions\n"}, ""},
		{"with sidecar", []string{"check", "testdata/withsidecar.txt"}, exitOK, []string{
			"  sidecar:    testdata/withsidecar.ini\n", "  alternates: 2 alternate phrasings\n", "  synonyms:   2 groups"}, ""},
		{"--transcript names the file", []string{"--transcript", small, "check"}, exitOK, []string{"testdata/small.txt: ok\n"}, ""},
		{"embedded", []string{"check"}, exitOK, []string{"(embedded transcript): ok\n", "  questions:  10\n"}, ""},
		{"confusable", []string{"check", "testdata/confusable.txt"}, exitOK,
			[]string{"warning: questions 1 and 2 are near-duplicates"}, ""},
		{"confusable strict", []string{"check", "--strict", "testdata/confusable.txt"}, exitError,
			[]string{"warning: questions 1 and 2"}, "transcriptbot check: 1 warning (--strict)\n"},
		{"out of sequence", []string{"check", "testdata/bad-sequence.txt"}, exitError, nil,
			"testdata/bad-sequence.txt:7: "},
		{"empty answer", []string{"check", "testdata/bad-emptyanswer.txt"}, exitError, nil,
			"testdata/bad-emptyanswer.txt:7: "},
		{"text before questions", []string{"check", "testdata/bad-empty.txt"}, exitError, nil,
			"testdata/bad-empty.txt:2: "},
		{"no questions", []string{"check", "testdata/bad-noquestions.txt"}, exitError, nil,
			"testdata/bad-noquestions.txt: no numbered questions found; write each question on a line of its own as \"1. What ...?\" (its number, a full stop and a space; numbers from 1 up), and its answer on the lines below it\n"},
		{"bad sidecar names its own file", []string{"check", "testdata/badsidecar.txt"}, exitError, nil,
			"testdata/badsidecar.ini:4: "},
		{"missing file", []string{"check", "testdata/nope.txt"}, exitError, nil,
			"testdata/nope.txt: no such file or directory\n"},
		{"bad similarity", []string{"check", "--similarity", "0", small}, exitUsage, nil, "--similarity must be in (0, 1]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d; stderr %q", code, tc.code, stderr)
			}
			for _, w := range tc.wantStdout {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q; got %q", w, stdout)
				}
			}
			if tc.wantStdout == nil && stdout != "" {
				t.Errorf("stdout: got %q, want nothing", stdout)
			}
			if tc.wantStderr == "" && stderr != "" || !strings.Contains(stderr, tc.wantStderr) {
				t.Errorf("stderr: got %q, want %q", stderr, tc.wantStderr)
			}
			if tc.code == exitError && tc.wantStdout == nil && strings.Count(stderr, "\n") != 1 {
				t.Errorf("want one error line, got %q", stderr)
			}
		})
	}
}

func TestChatScripted(t *testing.T) {
	script := "how much is a ticket\n[1]\nwhat is the capital of Peru\n[1]\n3\n/questions\n/answer 9\n/quit\nnever answered\n"
	code, stdout, stderr := runCLI(t, script, "chat", "--transcript", small)
	if code != exitOK {
		t.Fatalf("exit code %d; stderr %q", code, stderr)
	}
	for _, w := range []string{
		"2. How much will a ticket to the islands cost this year?\n\nA single ticket costs four euros",
		"does not cover",
		"\n4. Will the old lighthouse be opened to visitors?\n\n", // the list, without its questions as choices
		"3. What is being done about the pollution in the bay?\n\nThe authority has installed new filters",
		"\n1. When does the summer ferry timetable start?\n",
		"This transcript has questions 1–4",
	} {
		if !strings.Contains(stdout, w) {
			t.Errorf("output lacks %q; got:\n%s", w, stdout)
		}
	}
	if strings.Contains(stdout, "never answered") || strings.Contains(stdout, "\x1b[") {
		t.Errorf("unexpected output:\n%s", stdout)
	}
}

func TestLang(t *testing.T) {
	code, _, stderr := runCLI(t, "", "--lang", "klingon", "list")
	if code != exitUsage || !strings.Contains(stderr, `unknown --lang "klingon": want one of english, spanish`) {
		t.Errorf("got exit %d stderr %q, want a usage error", code, stderr)
	}
	code, stdout, stderr := runCLI(t, "", "ask", "--lang", "Spanish", "--json", "lighthouse visitors", "--transcript", small)
	if code != exitOK || !strings.Contains(stdout, `"number":4`) {
		t.Errorf("--lang Spanish: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
}

// word returns a distinct letters-only word for i that stemming leaves distinct: consonants
// without s or y, and a fixed ending no suffix rule touches.
func word(i int) string {
	const letters = "bcdfghjklmnpqrtvwxz"
	b := []byte("k")
	for i++; i > 0; i /= len(letters) {
		b = append(b, letters[i%len(letters)])
	}
	return string(append(b, "ob"...))
}

// TestCheckLargeNearDuplicates covers the ranked near-duplicate scan used above
// exactSimilarLimit questions.
func TestCheckLargeNearDuplicates(t *testing.T) {
	var b strings.Builder
	b.WriteString("A generated transcript\n\n")
	n := exactSimilarLimit + 2
	for i := 1; i <= n; i++ {
		q := fmt.Sprintf("%s %s %s %s?", word(4*i), word(4*i+1), word(4*i+2), word(4*i+3))
		if i == n {
			q = fmt.Sprintf("%s %s %s %s?", word(4*(n-1)), word(4*(n-1)+1), word(4*(n-1)+2), word(4*i+3))
		}
		fmt.Fprintf(&b, "%d. %s\n\nAnswer %s %s.\n\n", i, q, word(9000+i), word(20000+i))
	}
	path := filepath.Join(t.TempDir(), "large.txt")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "", "check", path)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	want := fmt.Sprintf("warning: questions %d and %d are near-duplicates", n-1, n)
	if !strings.Contains(stdout, want) {
		t.Errorf("stdout lacks %q; got:\n%s", want, stdout)
	}
	if c := strings.Count(stdout, "near-duplicates"); c != 1 {
		t.Errorf("got %d near-duplicate warnings, want 1:\n%s", c, stdout)
	}
}
