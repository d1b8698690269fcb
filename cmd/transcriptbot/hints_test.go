package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"transcriptbot/bot/bottest"

	"transcriptbot/transcript"
)

// hintRE finds the commands ask suggests: "(Full answer: CMD; ...)" or "(Full answer: CMD)",
// and the menu lines "  CMD  # note".
var (
	fullAnswerRE = regexp.MustCompile(`\(Full answer: (.+?)(?:;.*)?\)$`)
	menuLineRE   = regexp.MustCompile(`^  (transcriptbot .+?)  +# (.+)$`)
)

// shellSplit splits a command line the way a POSIX shell does for the quoting ask uses:
// words separated by spaces, single quotes, and '\” for a quote inside them.
func shellSplit(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	var cur strings.Builder
	inWord, quoted, dquoted := false, false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quoted && c == '\'':
			quoted = false
		case quoted:
			cur.WriteByte(c)
		case dquoted && c == '"':
			dquoted = false
		case dquoted && c == '\\' && i+1 < len(line) && strings.IndexByte("\"\\$`", line[i+1]) >= 0:
			i++
			cur.WriteByte(line[i])
		case dquoted:
			cur.WriteByte(c)
		case c == '"':
			dquoted, inWord = true, true
		case c == '\'':
			quoted, inWord = true, true
		case c == '\\' && i+1 < len(line):
			i++
			cur.WriteByte(line[i])
			inWord = true
		case c == ' ':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if quoted || dquoted {
		t.Fatalf("unterminated quote in %q", line)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// hint is one command ask suggested, with the note beside it (for menu lines).
type hint struct {
	line, note string
}

// askHints runs ask and returns the commands its output suggests.
func askHints(t *testing.T, env map[string]string, args ...string) (stdout string, hints []hint) {
	t.Helper()
	var out, errOut strings.Builder
	e := &cliEnv{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: envOf(env)}
	if code := e.main(context.Background(), args); code != exitOK {
		t.Fatalf("%q: exit %d, stderr %q", args, code, errOut.String())
	}
	for line := range strings.SplitSeq(out.String(), "\n") {
		if m := fullAnswerRE.FindStringSubmatch(line); m != nil {
			hints = append(hints, hint{line: m[1]})
		} else if m := menuLineRE.FindStringSubmatch(line); m != nil {
			hints = append(hints, hint{line: strings.TrimSpace(m[1]), note: m[2]})
		}
		if strings.Contains(line, "transcriptbot chat") || strings.Contains(line, "[1]") {
			t.Errorf("%q: ask suggests what only the chat can do: %q", args, line)
		}
	}
	return out.String(), hints
}

// TestAskHintsWorkWhenCopied runs every command ask suggests, as a user pasting it into a
// shell would (with none of the environment ask had), and checks it gives the reply the hint
// promised: the answer to the question it names, from the same transcript, or the list.
// menuEnv is the environment under which ask shows menus on the embedded transcript
// (bottest.MenuThreshold).
var menuEnv = map[string]string{"ANSWER_THRESHOLD": strconv.FormatFloat(bottest.MenuThreshold, 'f', -1, 64)}

// menuQuery returns the first of bottest.MenuCandidates that ask answers with a menu under
// menuEnv.
func menuQuery(t *testing.T) string {
	t.Helper()
	for _, q := range bottest.MenuCandidates {
		if out, hints := askHints(t, menuEnv, "ask", q); len(hints) >= 2 && strings.HasPrefix(out, "Did you mean") {
			return q
		}
	}
	t.Fatal("no query gives a did-you-mean menu: update bottest.MenuCandidates")
	return ""
}

func TestAskHintsWorkWhenCopied(t *testing.T) {
	menu := menuQuery(t)
	dir := t.TempDir()
	own := filepath.Join(dir, "my talk's.txt") // a space and a quote: the hint must quote it
	src, err := os.ReadFile("testdata/small.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(own, src, 0o600); err != nil {
		t.Fatal(err)
	}
	small, err := transcript.Load(own)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name  string
		env   map[string]string
		args  []string
		t     *transcript.Transcript
		kinds []string // the hints expected, in order: "answer N" or "list"
	}{
		{"answer, embedded transcript", nil, []string{"ask", "what about hong kong"}, transcript.Default(), []string{"answer 4"}},
		{"menu, embedded transcript", menuEnv, []string{"ask", menu}, transcript.Default(), nil},
		{"not covered, embedded transcript", nil, []string{"ask", "bridge"}, transcript.Default(), []string{"list"}},
		{"greeting", nil, []string{"ask", "hello"}, transcript.Default(), []string{"list"}},
		{"answer, --transcript and --lang", nil, []string{"--transcript", own, "--lang", "spanish", "ask", "ticket price"}, small, []string{"answer 2"}},
		{"menu, --transcript and --lang after the command", nil, []string{"ask", "capital of peru", "--transcript", own, "--lang", "spanish"}, small, nil},
		{"not covered, --transcript", nil, []string{"--transcript", own, "ask", "weather"}, small, []string{"list"}},
		{"answer, TRANSCRIPT_FILE and TRANSCRIPT_LANG", map[string]string{"TRANSCRIPT_FILE": own, "TRANSCRIPT_LANG": "french"},
			[]string{"ask", "ferry timetable"}, small, []string{"answer 1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, hints := askHints(t, tc.env, tc.args...)
			if len(hints) == 0 {
				t.Fatalf("no hint in %q", out)
			}
			if tc.kinds == nil && len(hints) < 2 {
				t.Fatalf("want a menu of several commands, got %q", out)
			}
			for i, h := range hints {
				words := shellSplit(t, h.line)
				if words[0] != "transcriptbot" {
					t.Fatalf("hint %q does not start with the program name", h.line)
				}
				args := words[1:]
				var verb []string
				switch {
				case len(args) >= 1 && args[len(args)-1] == "list":
					verb = args[len(args)-1:]
				case len(args) >= 2 && args[len(args)-2] == "answer":
					verb = args[len(args)-2:]
				default:
					t.Fatalf("hint %q is neither answer N nor list", h.line)
				}
				if tc.kinds != nil && (i >= len(tc.kinds) || strings.Join(verb, " ") != tc.kinds[i]) {
					t.Errorf("hint %d is %q, want %q", i, h.line, tc.kinds)
				}
				if tc.t != transcript.Default() && !strings.Contains(h.line, "--transcript") {
					t.Errorf("hint %q drops --transcript", h.line)
				}
				code, got, stderr := runCLI(t, "", args...)
				if code != exitOK {
					t.Fatalf("copied hint %q: exit %d, stderr %q", h.line, code, stderr)
				}
				if verb[0] == "list" {
					for _, e := range tc.t.Entries {
						if !strings.Contains(got, strconv.Itoa(e.Number)+". "+e.Question+"\n") {
							t.Fatalf("copied hint %q does not list question %d of the transcript asked:\n%s", h.line, e.Number, got)
						}
					}
					continue
				}
				n, _ := strconv.Atoi(verb[1])
				e, ok := tc.t.Entry(n)
				if !ok {
					t.Fatalf("hint %q names question %d, which the transcript asked does not have", h.line, n)
				}
				if !strings.HasPrefix(got, strconv.Itoa(n)+". "+e.Question+"\n") || !strings.Contains(got, e.Answer()) {
					t.Errorf("copied hint %q gave\n%s\nwant question %d of the transcript asked, in full", h.line, got, n)
				}
				if h.note != "" && !strings.HasPrefix(e.Question, strings.TrimSuffix(h.note, "…")) {
					t.Errorf("menu line %q describes question %d as %q, which is %q", h.line, n, h.note, e.Question)
				}
			}
		})
	}
}

// TestAskMenuMatchesTheChatMenu checks that an ask menu offers the same questions, in the
// same order, as the buttons of the chat's reply to the same question.
func TestAskMenuMatchesTheChatMenu(t *testing.T) {
	menu := menuQuery(t)
	_, hints := askHints(t, menuEnv, "ask", menu)
	_, chat, _ := runCLIEnvInput(t, menuEnv, menu+"\n", "chat")
	var want []string
	for line := range strings.SplitSeq(chat, "\n") {
		if m := regexp.MustCompile(`^  \[\d+\] (\d+)\. `).FindStringSubmatch(line); m != nil {
			want = append(want, "transcriptbot answer "+m[1])
		}
	}
	var got []string
	for _, h := range hints {
		got = append(got, h.line)
	}
	if len(want) == 0 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ask menu\n%s\nchat menu\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestProgName(t *testing.T) {
	tests := []struct{ arg0, want string }{
		{"", "transcriptbot"},
		{"transcriptbot", "transcriptbot"},
		{"./transcriptbot", "./transcriptbot"},
		{"/usr/local/bin/transcriptbot", "/usr/local/bin/transcriptbot"},
		{"/opt/my bots/transcriptbot", "'/opt/my bots/transcriptbot'"},
		// go run builds into a temporary folder; the test runs in cmd/transcriptbot, which
		// has no cmd/transcriptbot below it.
		{"/tmp/go-build123/b001/exe/transcriptbot", "go run ."},
	}
	for _, tc := range tests {
		if got := progName(tc.arg0); got != tc.want {
			t.Errorf("progName(%q) = %q, want %q", tc.arg0, got, tc.want)
		}
	}
}

func TestAnswerNumberForms(t *testing.T) {
	_, want, _ := runCLI(t, "", "answer", "3")
	for _, arg := range []string{"#3", "q3", "Q3", "question 3", "Question3", " 3 "} {
		code, got, stderr := runCLI(t, "", "answer", arg)
		if code != exitOK || got != want {
			t.Errorf("answer %q: exit %d, stderr %q; want the answer to question 3", arg, code, stderr)
		}
	}
	for _, arg := range []string{"q", "qx3", "three"} {
		if code, _, stderr := runCLI(t, "", "answer", arg); code != exitUsage || !strings.Contains(stderr, "is not a question number") {
			t.Errorf("answer %q: exit %d, stderr %q; want a usage error", arg, code, stderr)
		}
	}
}

func TestNegativeNumberIsAnArgument(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"ask -1", []string{"ask", "-1"}, exitError, "Question numbers cannot be negative"},
		{"answer -3", []string{"answer", "-3"}, exitError, "no question -3"},
		{"flag value stays a value", []string{"ask", "--budget", "-1", "x"}, exitUsage, "--budget must be positive"},
		{"unknown flag still reported", []string{"ask", "-x", "y"}, exitUsage, "flag provided but not defined: -x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "", tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tc.code, tc.stderr)
			}
			if strings.Contains(stderr, "[1]") {
				t.Errorf("stderr shows a button: %q", stderr)
			}
		})
	}
}

// TestChatScript runs a piped chat through the real bot: one reply per line, the list of
// questions printed once, and the same conversation as JSON, pressing choices by number and
// by id. It uses no free-text question, so that it does not depend on the matcher's choices.
func TestChatScript(t *testing.T) {
	in := "hello\n\n/questions\n[9]\n2\n"
	code, out, stderr := runCLI(t, in, "chat")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if n := strings.Count(out, "A new type of coronavirus is now spreading"); n != 1 {
		// Once in the list, not again as ten buttons under it.
		t.Errorf("question 1 shown %d times, want 1:\n%s", n, out)
	}
	for _, want := range []string{
		"Please type a question, or send /help to see what I can do.\n\n",
		"There is no choice [9]: the last reply offered none. To read question 9, type 9 without brackets.\n\n",
		"2. The SCO adheres to the \"Shanghai Spirit\".",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	type reply struct {
		Line    int
		Kind    string
		Number  int
		Actions []struct {
			Choice   int
			ID       string
			Question int
		}
	}
	chatJSON := func(in string) []reply {
		t.Helper()
		code, out, stderr := runCLI(t, in, "chat", "--json")
		if code != exitOK {
			t.Fatalf("--json: exit %d, stderr %q", code, stderr)
		}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if want := strings.Count(in, "\n"); len(lines) != want {
			t.Fatalf("%d input lines got %d lines of JSON:\n%s", want, len(lines), out)
		}
		var replies []reply
		for i, l := range lines {
			var one reply
			if err := json.Unmarshal([]byte(l), &one); err != nil || one.Line != i+1 {
				t.Fatalf("line %d: %v: %s", i+1, err, l)
			}
			replies = append(replies, one)
		}
		return replies
	}
	replies := chatJSON("/questions\n\n[3]\n")
	list := replies[0]
	if list.Kind != "list" || len(list.Actions) != 10 || list.Actions[2].Question != 3 {
		t.Fatalf("/questions: got %+v, want the list with a button per question", list)
	}
	if replies[1].Kind != "invalid" || replies[2].Kind != "by-number" || replies[2].Number != 3 {
		t.Errorf("blank line then [3]: got %+v then %+v, want invalid, then question 3", replies[1], replies[2])
	}
	// Pressing by id on the next line gives the same answer.
	replies = chatJSON("/press " + list.Actions[6].ID + "\n")
	if replies[0].Kind != "by-number" || replies[0].Number != 7 {
		t.Errorf("/press %s: got %+v, want question 7", list.Actions[6].ID, replies[0])
	}
}

// TestUsageHintsNameTheProgramAsRun checks that the "Run '... --help'" hints are commands
// the user can type, written the way the program was run.
func TestUsageHintsNameTheProgramAsRun(t *testing.T) {
	for _, args := range [][]string{{"ask", "--bogus", "x"}, {"frobnicate"}, {"--bogus"}} {
		var out, errOut strings.Builder
		e := &cliEnv{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: envOf(nil), Prog: "go run ./cmd/transcriptbot"}
		e.main(context.Background(), args)
		if !strings.Contains(errOut.String(), "Run 'go run ./cmd/transcriptbot ") {
			t.Errorf("%q: stderr %q, want the hint as go run ./cmd/transcriptbot", args, errOut.String())
		}
	}
}

// TestAskListHint checks that ask /questions prints the list once, with one hint whose N,
// replaced by a question number, gives that question's answer from the same transcript.
func TestAskListHint(t *testing.T) {
	out, hints := askHints(t, nil, "--transcript", small, "ask", "/questions")
	if len(hints) != 0 {
		t.Errorf("ask /questions repeats the list as commands: %q", hints)
	}
	m := regexp.MustCompile(`(?m)^\(Full answer to question N: (.+)\)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no hint in %q", out)
	}
	words := shellSplit(t, strings.Replace(m[1], "answer N", "answer 3", 1))
	code, got, stderr := runCLI(t, "", words[1:]...)
	if code != exitOK || !strings.HasPrefix(got, "3. What is being done about the pollution in the bay?\n") {
		t.Errorf("hint %q with N=3: exit %d, stdout %q, stderr %q", m[1], code, got, stderr)
	}
}
