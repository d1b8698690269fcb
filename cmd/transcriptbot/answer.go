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
	"transcriptbot/matcher/archive"
)

func init() {
	register(&command{
		name:    "answer",
		summary: "print the full answer to question N",
		usage:   "answer [BRIEFING#]N",
		help: `Prints question N and its whole answer. N counts from 1 (3, #3, q3 and 'question 3' all
work); see 'transcriptbot list'. With --transcripts DIR, N is a question of the newest
briefing, and BRIEFING#N (a date such as 2020-06-12, or a briefing's id) names another.`,
		run: runAnswer,
	})
	register(&command{
		name:    "list",
		summary: "list the transcript's questions",
		usage:   "list [BRIEFING]",
		help: `Prints the transcript's title and its numbered questions, one per line. With
--transcripts DIR it lists the briefings, newest first (date, id, title, questions), and
with BRIEFING (a date or an id) the questions of that one.`,
		run: runList,
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
	if env.Transcripts != "" {
		return env.answerInArchive(rest[0])
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
	if env.Transcripts != "" && len(rest) <= 1 {
		return env.listArchive(rest)
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

// answerInArchive prints question N of the newest briefing, or BRIEFING#N.
func (env *cliEnv) answerInArchive(arg string) int {
	ref, ok := archive.ParseRef(questionNumberArg(arg))
	if !ok {
		if name, num, found := strings.Cut(arg, "#"); found {
			ref, ok = archive.ParseRef(name + "#" + questionNumberArg(num))
		}
	}
	if !ok {
		return env.usageError("answer", "%q is not a question number (N, or BRIEFING#N such as 2020-06-12#3)", arg)
	}
	a, err := env.loadArchive()
	if err != nil {
		return env.runtimeError("answer", err)
	}
	snap := a.Snapshot()
	br := snap.Newest()
	if ref.Briefing != "" {
		if br, ok = snap.Resolve(ref.Briefing); !ok {
			return env.runtimeError("answer", fmt.Errorf("no briefing %q: 'transcriptbot list' shows their dates and ids", ref.Briefing))
		}
	}
	e, ok := br.Transcript.Entry(ref.Number)
	if !ok {
		return env.runtimeError("answer", fmt.Errorf("no question %d: briefing %s has questions 1-%d", ref.Number, br.ID, br.Transcript.Len()))
	}
	body := e.Answer() + "\n\n— " + citation(br, e.Number)
	reply := bot.Reply{Kind: bot.ReplyByNumber, Number: e.Number, Question: e.Question, Body: []bot.Span{{Text: body}}}
	if _, err := io.WriteString(env.Stdout, env.wrap(console.Render(reply, env.color()))); err != nil {
		return env.runtimeError("answer", err)
	}
	return exitOK
}

// citation is "Title, 2020-06-12, question N" (briefing id for a briefing without title).
func citation(br *archive.Briefing, n int) string {
	s := br.Title
	if s == "" {
		s = br.ID
	}
	if d := br.DateString(); d != "" {
		s += ", " + d
	}
	return s + ", question " + strconv.Itoa(n)
}

// listArchive prints the briefings newest first, or (with an argument) one's questions.
func (env *cliEnv) listArchive(rest []string) int {
	a, err := env.loadArchive()
	if err != nil {
		return env.runtimeError("list", err)
	}
	snap := a.Snapshot()
	var b strings.Builder
	if len(rest) == 1 {
		br, ok := snap.Resolve(rest[0])
		if !ok {
			return env.runtimeError("list", fmt.Errorf("no briefing %q: 'transcriptbot list' shows their dates and ids", rest[0]))
		}
		if br.Title != "" {
			b.WriteString(br.Title)
			if d := br.DateString(); d != "" {
				b.WriteString(" (" + d + ")")
			}
			b.WriteString("\n\n")
		}
		for _, e := range br.Transcript.Entries {
			fmt.Fprintf(&b, "%d. %s\n", e.Number, e.Question)
		}
	} else {
		fmt.Fprintf(&b, "%d briefings, newest first (list ID shows one's questions):\n\n", snap.Len())
		for _, br := range snap.List() {
			d := br.DateString()
			if d == "" {
				d = "(no date)"
			}
			fmt.Fprintf(&b, "%-10s  %s  %s (%d questions)\n", d, br.ID, br.Title, br.Transcript.Len())
		}
	}
	reply := bot.Reply{Kind: bot.ReplyList, Body: []bot.Span{{Text: b.String()}}}
	if _, err := io.WriteString(env.Stdout, console.Render(reply, false)); err != nil {
		return env.runtimeError("list", err)
	}
	return exitOK
}
