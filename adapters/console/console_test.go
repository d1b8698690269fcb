package console

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"transcriptbot/bot"
)

// fakeBot answers like a tiny bot: "ambiguous" offers two choices, a button answers the
// question its action id names, anything else is a plain answer echoing the text.
type fakeBot struct {
	mu   sync.Mutex
	reqs []bot.Request
}

func (f *fakeBot) Handle(_ context.Context, req bot.Request) bot.Reply {
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.mu.Unlock()
	switch {
	case req.Kind == bot.KindCommand && (req.Command == "help" || req.Command == "start"):
		return bot.Reply{Kind: bot.ReplyHelp, Body: []bot.Span{{Text: "I answer questions."}}}
	case req.Kind == bot.KindButton:
		return bot.Reply{Kind: bot.ReplyByNumber, Number: 7, Question: "Q" + req.Action,
			Body: []bot.Span{{Text: "answer for " + req.Action}}}
	case req.Text == "flood":
		return bot.Reply{Kind: bot.ReplySilent, Body: []bot.Span{{Text: "must not be shown"}}}
	case req.Text == "ambiguous":
		return bot.Reply{Kind: bot.ReplyAmbiguous, Body: []bot.Span{{Text: "Did you mean:"}},
			Actions: []bot.Action{{ID: "v1:n:2", Label: "2. Second"}, {ID: "v1:n:5", Label: "5. Fifth"}}}
	default:
		return bot.Reply{Kind: bot.ReplyAnswer, Number: 1, Question: "First?",
			Body: []bot.Span{{Text: "you said "}, {Text: req.Text, Highlight: true}}}
	}
}

func (f *fakeBot) requests() []bot.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bot.Request(nil), f.reqs...)
}

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		line    string
		kind    InputKind
		choice  int
		reqKind bot.Kind
		command string
		text    string
	}{
		{"empty", "", InputEmpty, 0, 0, "", ""},
		{"blank", "  \t ", InputEmpty, 0, 0, "", ""},
		{"message", "  What is the Shanghai spirit? ", InputRequest, 0, bot.KindMessage, "", "What is the Shanghai spirit?"},
		{"bare number", "3", InputRequest, 0, bot.KindMessage, "", "3"},
		{"help", "/help", InputRequest, 0, bot.KindCommand, "help", ""},
		{"answer", "/answer 3", InputRequest, 0, bot.KindCommand, "answer", "3"},
		{"upper case and bot name", "/ANSWER@transcriptbot   3 ", InputRequest, 0, bot.KindCommand, "answer", "3"},
		{"tab separated", "/ask\tsecurity", InputRequest, 0, bot.KindCommand, "ask", "security"},
		{"q3", "/q3", InputRequest, 0, bot.KindCommand, "q3", ""},
		{"lone slash", "/", InputRequest, 0, bot.KindMessage, "", "/"},
		{"choice", "[1]", InputChoice, 1, bot.KindButton, "", ""},
		{"choice with spaces", " [ 2 ] ", InputChoice, 2, bot.KindButton, "", ""},
		{"choice zero", "[0]", InputChoice, 0, bot.KindButton, "", ""},
		{"not a choice", "[x]", InputRequest, 0, bot.KindMessage, "", "[x]"},
		{"empty brackets", "[]", InputRequest, 0, bot.KindMessage, "", "[]"},
		{"negative", "[-1]", InputRequest, 0, bot.KindMessage, "", "[-1]"},
		{"too long", "[12345]", InputRequest, 0, bot.KindMessage, "", "[12345]"},
		{"quit", "/quit", InputQuit, 0, 0, "", ""},
		{"press", "/press v1:f:3", InputRequest, 0, bot.KindButton, "", ""},
		{"exit upper", "/EXIT", InputQuit, 0, 0, "", ""},
		{"bom", "\ufeffhello", InputRequest, 0, bot.KindMessage, "", "hello"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Parse(tc.line)
			if got.Kind != tc.kind {
				t.Fatalf("Parse(%q).Kind = %d, want %d", tc.line, got.Kind, tc.kind)
			}
			if got.Choice != tc.choice {
				t.Errorf("Parse(%q).Choice = %d, want %d", tc.line, got.Choice, tc.choice)
			}
			if tc.kind != InputRequest && tc.kind != InputChoice {
				return
			}
			if got.Request.Kind != tc.reqKind {
				t.Errorf("Parse(%q).Request.Kind = %d, want %d", tc.line, got.Request.Kind, tc.reqKind)
			}
			if got.Request.Command != tc.command {
				t.Errorf("Parse(%q).Request.Command: got %q, want %q", tc.line, got.Request.Command, tc.command)
			}
			if got.Request.Text != tc.text {
				t.Errorf("Parse(%q).Request.Text: got %q, want %q", tc.line, got.Request.Text, tc.text)
			}
		})
	}
}

func TestRender(t *testing.T) {
	answer := bot.Reply{Kind: bot.ReplyAnswer, Number: 3, Question: "What role?",
		Body: []bot.Span{{Text: "The SCO "}, {Text: "security", Highlight: true}, {Text: " role."}}}
	tests := []struct {
		name  string
		reply bot.Reply
		color bool
		want  string
	}{
		{"plain", answer, false, "3. What role?\n\nThe SCO security role.\n"},
		{"bold", answer, true, "\x1b[1m3. What role?\x1b[0m\n\nThe SCO \x1b[1msecurity\x1b[0m role.\n"},
		{"choices", bot.Reply{Kind: bot.ReplyNotCovered,
			Body:    []bot.Span{{Text: "Not covered. Nearest:"}},
			Actions: []bot.Action{{ID: "a", Label: "4. Hong Kong"}, {ID: "b", Label: "9. Economy"}}},
			false, "Not covered. Nearest:\n  [1] 4. Hong Kong\n  [2] 9. Economy\n"},
		{"no title without number", bot.Reply{Kind: bot.ReplyHelp, Question: "ignored",
			Body: []bot.Span{{Text: "Help.\n"}}}, false, "Help.\n"},
		{"escape removed", bot.Reply{Kind: bot.ReplyInvalid,
			Body: []bot.Span{{Text: "bad \x1b[31mred\x07 input\r"}}}, true, "bad [31mred input\n"},
		{"invalid utf-8 replaced", bot.Reply{Kind: bot.ReplyInvalid,
			Body: []bot.Span{{Text: "a\xffb"}}}, false, "a\uFFFDb\n"},
		{"empty body", bot.Reply{Kind: bot.ReplyError}, false, "\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Render(tc.reply, tc.color); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRunScripted(t *testing.T) {
	f := &fakeBot{}
	in := strings.NewReader("hello\n\nambiguous\n[2]\nflood\n[1]\n[9]\n/help\n/answer 3\n/quit\nnever read\n")
	var out strings.Builder
	a := New(f, in, &out, Options{})
	if err := a.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	reqs := f.requests()
	// The blank line is answered too (request 1), and keeps the choices of "ambiguous".
	wantActions := []string{"", "", "", "v1:n:5", "", "v1:n:2", "", ""}
	if len(reqs) != len(wantActions) {
		t.Fatalf("bot got %d requests, want %d: %+v", len(reqs), len(wantActions), reqs)
	}
	for i, r := range reqs {
		if r.Platform != "console" || !r.Private || r.UserID != "console" || r.Limits != DefaultLimits {
			t.Errorf("request %d: platform %q private %v user %q limits %+v", i, r.Platform, r.Private, r.UserID, r.Limits)
		}
		if r.Action != wantActions[i] {
			t.Errorf("request %d action: got %q, want %q", i, r.Action, wantActions[i])
		}
	}
	if reqs[1].Kind != bot.KindMessage || reqs[1].Text != "" {
		t.Errorf("the blank line became %+v", reqs[1])
	}
	if reqs[7].Kind != bot.KindCommand || reqs[7].Command != "answer" || reqs[7].Text != "3" {
		t.Errorf("/answer 3 became %+v", reqs[7])
	}
	got := out.String()
	for _, want := range []string{
		"1. First?\n\nyou said hello\n\n",
		"Did you mean:\n  [1] 2. Second\n  [2] 5. Fifth\n",
		"7. Qv1:n:5\n\nanswer for v1:n:5\n",
		"There is no choice [9]: pick [1] to [2].",
		"I answer questions.\n\nIn this terminal: type [1]",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q; got:\n%s", want, got)
		}
	}
	if strings.Contains(got, "never read") || strings.Contains(got, "must not be shown") || strings.Contains(got, "\x1b") {
		t.Errorf("output after /quit or with colour off:\n%s", got)
	}
}

func TestRunChoiceWithoutChoices(t *testing.T) {
	f := &fakeBot{}
	var out strings.Builder
	if err := New(f, strings.NewReader("[1]\nhello\n[1]"), &out, Options{}).Run(context.Background()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if n := len(f.requests()); n != 1 {
		t.Errorf("bot got %d requests, want 1 (choices without a reply offering them go nowhere)", n)
	}
	if c := strings.Count(out.String(), "There is no choice [1]: the last reply offered none."); c != 2 {
		t.Errorf("got %d 'no choice' messages, want 2; output:\n%s", c, out.String())
	}
}

func TestRunInteractiveWithoutTerminal(t *testing.T) {
	f := &fakeBot{}
	var out strings.Builder
	err := New(f, strings.NewReader("hello\n"), &out, Options{Interactive: true, Prompt: "you> ", Color: true}).
		Run(context.Background())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	reqs := f.requests()
	if len(reqs) != 2 || reqs[0].Command != "start" {
		t.Fatalf("want a start greeting then the message, got %+v", reqs)
	}
	got := out.String()
	for _, want := range []string{"I answer questions.", "/quit or Ctrl-D", "you> ", "\x1b[1mhello\x1b[0m"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q; got %q", want, got)
		}
	}
}

func TestRunCancel(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- New(&fakeBot{}, pr, io.Discard, Options{}).Run(ctx) }()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run after cancel: got %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestRunLineTooLong(t *testing.T) {
	in := strings.NewReader(strings.Repeat("x", maxLine+10) + "\n")
	err := New(&fakeBot{}, in, io.Discard, Options{}).Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "longer than") {
		t.Errorf("got %v, want a line-too-long error", err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestRunWriteError(t *testing.T) {
	err := New(&fakeBot{}, strings.NewReader("hello\nagain\n"), failWriter{}, Options{}).Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("got %v, want the write error", err)
	}
}

func TestRunWraps(t *testing.T) {
	var out strings.Builder
	err := New(&fakeBot{}, strings.NewReader("alpha beta gamma delta\n"), &out, Options{Width: 21}).
		Run(context.Background())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	want := "1. First?\n\nyou said alpha beta\ngamma delta\n\n"
	if got := out.String(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "/help", "/answer@bot 3", "[1]", "[ 12 ]", "3", "/quit", "\ufeff/ask x", "[\u00a0]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		in := Parse(line)
		switch in.Kind {
		case InputChoice:
			if in.Choice < 0 || in.Choice > 999 || in.Request.Kind != bot.KindButton {
				t.Errorf("Parse(%q) = %+v", line, in)
			}
		case InputRequest:
			if in.Request.Kind == bot.KindMessage && in.Request.Text == "" {
				t.Errorf("Parse(%q): empty message", line)
			}
			if in.Request.Kind == bot.KindCommand && strings.ContainsAny(in.Request.Command, " \t@") {
				t.Errorf("Parse(%q): command %q has a space or @", line, in.Request.Command)
			}
		}
		// Rendering whatever a user typed must never let an escape through.
		if got := Render(bot.Reply{Body: []bot.Span{{Text: line}}}, false); strings.ContainsRune(got, '\x1b') {
			t.Errorf("Render kept an escape: %q", got)
		}
	})
}
