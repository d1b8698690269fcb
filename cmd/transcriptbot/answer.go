package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"transcriptbot/adapters/console"
	"transcriptbot/bot"
)

func init() {
	register(&command{
		name:    "answer",
		summary: "print the full answer to question N",
		usage:   "answer N",
		help:    "Prints question N and its whole answer. N counts from 1 (3, #3, q3 and 'question 3' all work); see 'transcriptbot list'.",
		run:     runAnswer,
	})
	register(&command{
		name:    "list",
		summary: "list the transcript's questions",
		usage:   "list",
		help:    "Prints the transcript's title and its numbered questions, one per line.",
		run:     runList,
	})
}

func runAnswer(_ context.Context, env *cliEnv, args []string) int {
	fs := env.flagSet("answer")
	rest, code, ok := env.parse(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 1 {
		return env.usageError("answer", "want exactly one question number, got %d arguments", len(rest))
	}
	arg := questionNumberArg(rest[0])
	n, err := strconv.Atoi(arg)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return env.usageError("answer", "%q is not a question number", rest[0])
	}
	t, err := env.loadTranscript()
	if err != nil {
		return env.runtimeError("answer", err)
	}
	e, ok := t.Entry(n)
	if !ok {
		// A number too large for an int is out of range too; name it as typed.
		return env.runtimeError("answer", fmt.Errorf("no question %s: this transcript has questions 1-%d", arg, t.Len()))
	}
	reply := bot.Reply{Kind: bot.ReplyByNumber, Number: e.Number, Question: e.Question,
		Body: []bot.Span{{Text: e.Answer()}}}
	if _, err := io.WriteString(env.Stdout, env.wrap(console.Render(reply, env.color()))); err != nil {
		return env.runtimeError("answer", err)
	}
	return exitOK
}

// questionNumberArg strips the forms people write a question number in, as the chat
// accepts them: "#3", "q3", "Q3", "question 3", "question3" all give "3".
func questionNumberArg(s string) string {
	s = strings.TrimSpace(s)
	lower := strings.ToLower(s)
	for _, p := range []string{"question", "q", "#"} {
		if rest, ok := strings.CutPrefix(lower, p); ok && rest != "" {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), "#"))
		}
	}
	return s
}

func runList(_ context.Context, env *cliEnv, args []string) int {
	fs := env.flagSet("list")
	rest, code, ok := env.parse(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 0 {
		return env.usageError("list", "unexpected argument %q", rest[0])
	}
	t, err := env.loadTranscript()
	if err != nil {
		return env.runtimeError("list", err)
	}
	var b strings.Builder
	if t.Title != "" {
		b.WriteString(t.Title)
		b.WriteString("\n\n")
	}
	for _, e := range t.Entries {
		fmt.Fprintf(&b, "%d. %s\n", e.Number, e.Question)
	}
	reply := bot.Reply{Kind: bot.ReplyList, Body: []bot.Span{{Text: b.String()}}}
	if _, err := io.WriteString(env.Stdout, console.Render(reply, false)); err != nil {
		return env.runtimeError("list", err)
	}
	return exitOK
}
