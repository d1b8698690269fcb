package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"transcriptbot/adapters/console"
	"transcriptbot/bot"
	"transcriptbot/matcher"
	"transcriptbot/matcher/archive"
	"transcriptbot/transcript"
)

func init() {
	register(&command{
		name:    "ask",
		summary: "answer a question (or, with --json, one question per line of stdin)",
		usage:   "ask [--json] [--budget N] QUESTION...",
		help: `Answers QUESTION the way the chat bot would: the question number and text, then the
excerpt of the answer that covers it, matched words in bold on a terminal. When the
transcript does not cover the question, or two questions fit equally well, the reply
says so and lists the nearest questions.

With --json the matcher's result is printed as one JSON object per query:
  {"query": ..., "number": N (0 = not covered), "confidence": 0..1, "ambiguous": bool,
   "question": ..., "excerpt": ..., "terms": [...], "alternatives": [N, ...],
   "alternative_confidences": [...], "transcript": ID, "title": ..., "date": "2020-06-12",
   "unread": N, "read": N}
"unread" counts the query's words the matcher could not read at all (another language's,
or misspelt past correcting), "read" the others.
With --transcripts DIR the answer comes from the best briefing of the archive, named by
"transcript" (its file name without extension), "title" and "date"; "others" lists the
next-best matches of any briefing. A query may start with in:PERIOD or in:ID to search
one period (in:2020-06, in:2020, in:2020-03..2020-06) or one briefing.
With --json and no QUESTION, queries are read from standard input, one per line, and
one object is written per input line, in order (a blank line gives number 0).`,
		run: runAsk,
	})
}

// askResult is one line of ask --json output: the matcher's result for one query.
type askResult struct {
	Query      string   `json:"query"`
	Number     int      `json:"number"`
	Confidence float64  `json:"confidence"`
	Ambiguous  bool     `json:"ambiguous"`
	Question   string   `json:"question"`
	Excerpt    string   `json:"excerpt"`
	Terms      []string `json:"terms"`
	// Alternatives are the runner-up question numbers (when abstaining: the nearest ones).
	Alternatives []int `json:"alternatives"`
	// AlternativeConfidences are the alternatives' confidences, index for index.
	AlternativeConfidences []float64 `json:"alternative_confidences"`
	// Transcript, Title and Date name the briefing the answer (or, abstaining, the nearest
	// questions) comes from: its id, title and date (2020-06-12, "" when it has none).
	Transcript string `json:"transcript"`
	Title      string `json:"title"`
	Date       string `json:"date"`
	// Unread counts the query's content words the matcher could not read at all (another
	// language's, or misspelt past correcting), Read the others (matcher.Match).
	Unread int `json:"unread"`
	Read   int `json:"read"`
	// Others are the next-best matches across the archive, possibly of other briefings
	// (--transcripts only).
	Others []askOther `json:"others,omitempty"`

	// entry and briefing are where Question and Transcript, Title and Date come from (nil
	// when they are empty): appendJSON quotes each once per batch (quoteMemo).
	entry    *transcript.Entry
	briefing *archive.Briefing
}

// askOther is a runner-up match of an archive.
type askOther struct {
	Transcript string  `json:"transcript"`
	Number     int     `json:"number"`
	Confidence float64 `json:"confidence"`
}

func runAsk(ctx context.Context, env *cliEnv, args []string) int {
	fs := env.flagSet("ask")
	asJSON := fs.Bool("json", false, "print the matcher's result as JSON (no QUESTION: read queries from stdin, one per line)")
	budget := fs.Int("budget", matcher.DefaultBudget, "excerpt length budget in characters (--json only)")
	rest, code, ok := env.parse(fs, args)
	if !ok {
		return code
	}
	if *budget <= 0 {
		return env.usageError("ask", "--budget must be positive, got %d", *budget)
	}
	query := strings.TrimSpace(strings.Join(rest, " "))
	if !*asJSON && len(rest) == 0 {
		return env.usageError("ask", "missing QUESTION")
	}
	if !*asJSON && query == "" {
		return env.usageError("ask", "QUESTION is empty")
	}

	if *asJSON {
		gcSet, procsSet, small := os.Getenv("GOGC") != "", os.Getenv("GOMAXPROCS") != "", env.smallSource()
		if small {
			// One transcript is indexed on one goroutine, and its batch answered, on one
			// processor and with the collector at batchGCPercent throughout (putting the
			// default back in between started a collection at once). An archive is indexed
			// in parallel at the default; its batch decides below.
			if !gcSet {
				defer setGCPercent(batchGCPercent)()
			}
			defer batchProcs(procsSet)()
		}
		a, err := env.loadArchive()
		if err != nil {
			return env.runtimeError("ask", err)
		}
		if len(rest) > 0 {
			err = writeJSON(env.Stdout, a.Snapshot(), query, *budget)
		} else {
			if !small {
				defer batchGC(gcSet)()
				defer batchProcs(procsSet)()
			}
			err = askJSONBatch(ctx, env.Stdin, env.Stdout, a, *budget)
		}
		if err != nil {
			return env.runtimeError("ask", err)
		}
		return exitOK
	}

	b, m, err := env.newBot()
	if err != nil {
		return env.runtimeError("ask", err)
	}
	req := bot.Request{
		Kind: bot.KindMessage, Platform: "cli", Text: query, Private: true,
		UserID: "cli", ChatID: "cli", Locale: env.locale(), Limits: console.DefaultLimits,
	}
	reply := b.Handle(ctx, req)
	switch reply.Kind {
	case bot.ReplyInvalid, bot.ReplyError:
		reply.Actions = nil // buttons mean nothing on stderr
		fmt.Fprintf(env.Stderr, "transcriptbot ask: %s", console.Render(reply, false))
		return exitError
	}
	// The reply's buttons become the commands that give the same replies, each on its own
	// line, runnable as it stands: "  transcriptbot answer 8   # The COVID-19 pandemic ...".
	// An answer's buttons ("Full answer", "Other matches") become one hint line instead.
	actions := reply.Actions
	if reply.Kind == bot.ReplyList {
		// The list shows its questions with their numbers: one hint says what to type,
		// rather than a command per question repeating the list.
		actions = slices.DeleteFunc(slices.Clone(actions), func(a bot.Action) bool { return a.Question() > 0 })
	}
	choices := env.cliChoices(ctx, b, req, actions)
	reply.Actions = nil
	if _, err := io.WriteString(env.Stdout, env.wrap(console.Render(reply, env.color()))); err != nil {
		return env.runtimeError("ask", err)
	}
	if reply.Kind == bot.ReplyAnswer && reply.Number > 0 {
		if m == nil {
			fmt.Fprintf(env.Stdout, "(Full answer: %s)\n", env.commandLine("answer", reply.Briefing+"#"+strconv.Itoa(reply.Number)))
			return exitOK
		}
		fmt.Fprintf(env.Stdout, "(Full answer: %s%s)\n", env.commandLine("answer", strconv.Itoa(reply.Number)), otherMatches(m, query))
		return exitOK
	}
	if reply.Kind == bot.ReplyList {
		fmt.Fprintf(env.Stdout, "(Full answer to question N: %s)\n", env.commandLine("answer", "N"))
	}
	width := 0
	for _, c := range choices {
		width = max(width, utf8.RuneCountInString(c.command))
	}
	for _, c := range choices {
		fmt.Fprintf(env.Stdout, "  %-*s  # %s\n", width, c.command, c.note)
	}
	return exitOK
}

// cliChoice is a reply's button as the command line that gives the same reply.
type cliChoice struct {
	command string // e.g. "transcriptbot answer 8", with the global flags in use
	note    string // what it shows, e.g. the question's text
}

// cliChoices finds, for each button of a reply, the command that gives the reply the button
// would: it presses the button and looks at the result. A question's answer becomes
// "answer N", the list of questions "list"; buttons with no command-line equivalent ("None
// of these") are left out, and repeats are dropped.
func (env *cliEnv) cliChoices(ctx context.Context, b *bot.Bot, req bot.Request, actions []bot.Action) []cliChoice {
	var out []cliChoice
	seen := map[string]bool{}
	for _, a := range actions {
		press := req
		press.Kind, press.Text, press.Action = bot.KindButton, "", a.ID
		r := b.Handle(ctx, press)
		var c cliChoice
		switch {
		case r.Kind == bot.ReplyByNumber && r.Number > 0 && r.Briefing != "" && env.Transcripts != "":
			c = cliChoice{env.commandLine("answer", r.Briefing+"#"+strconv.Itoa(r.Number)), cutRunes(bot.QuestionLabel(r.Question), 70)}
		case r.Kind == bot.ReplyByNumber && r.Number > 0:
			c = cliChoice{env.commandLine("answer", strconv.Itoa(r.Number)), cutRunes(bot.QuestionLabel(r.Question), 70)}
		case r.Kind == bot.ReplyList:
			c = cliChoice{env.commandLine("list"), "all questions"}
		default:
			continue
		}
		if !seen[c.command] {
			seen[c.command] = true
			out = append(out, c)
		}
	}
	return out
}

// commandLine returns the command line that runs this program with args and the global
// flags in effect (--transcript, and --lang unless it is the default), quoted for a POSIX
// shell, so that a hint works when copied.
func (env *cliEnv) commandLine(args ...string) string {
	parts := []string{env.prog()}
	if env.Transcript != "" {
		parts = append(parts, "--transcript", shellQuote(env.Transcript))
	}
	if env.Transcripts != "" {
		parts = append(parts, "--transcripts", shellQuote(env.Transcripts))
	}
	if env.Lang != "" && env.Lang != defaultLang {
		parts = append(parts, "--lang", shellQuote(env.Lang))
	}
	for _, a := range args {
		parts = append(parts, shellQuote(a))
	}
	return strings.Join(parts, " ")
}

// shellQuote quotes s for a POSIX shell when it holds anything but safe characters.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-./:=,+@%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// cutRunes shortens s to at most n runes, ending in "…" when cut.
func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:n-1]), " ") + "…"
}

// Batch garbage collection: answering a stream of queries allocates a little per query and
// keeps almost nothing, so with the default GOGC (100) and the small live heap of one
// transcript the collector runs every few hundred queries, about a tenth of the CPU time of
// a batch. batchGCPercent lets the heap grow to five times what is live between
// collections while that stays small (live heap up to batchGCMaxLive); a large archive keeps
// the default, and so does anyone who set GOGC.
const (
	batchGCPercent = 400
	batchGCMaxLive = 64 << 20
)

// batchGC raises the collector's percentage for a batch of ask --json queries when the live
// heap is small and GOGC was not set (userSet), and returns the function that restores it.
func batchGC(userSet bool) (restore func()) {
	if userSet {
		return func() {}
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 || sample[0].Value.Uint64() > batchGCMaxLive {
		return func() {}
	}
	return setGCPercent(batchGCPercent)
}

// batchProcs runs a batch of ask --json queries on one processor (GOMAXPROCS 1) unless
// GOMAXPROCS was set (userSet), and returns the function that restores the setting. The
// batch answers one query at a time on one goroutine: a second processor has nothing to run
// but the collector's share, and the scheduler's idle processors looking for work cost CPU
// time (6% of the 13,200-query batch: 128 ms against 142 ms, medians of 8 alternating runs;
// start-up on the embedded transcript 14 against 16 ms).
func batchProcs(userSet bool) (restore func()) {
	if userSet {
		return func() {}
	}
	old := runtime.GOMAXPROCS(1)
	return func() { runtime.GOMAXPROCS(old) }
}

// setGCPercent sets the collector's percentage and returns the function that restores it.
func setGCPercent(percent int) (restore func()) {
	old := debug.SetGCPercent(percent)
	return func() { debug.SetGCPercent(old) }
}

// smallLoadBytes is the largest transcript file whose indexing runs with the collector at
// batchGCPercent: indexing the embedded transcript (23 KB) allocates a few megabytes, kept,
// and the default percentage would collect several times on the way, a tenth of the
// start-up. A larger file or an archive keeps the default, whose heap grows less.
const smallLoadBytes = 1 << 20

// smallSource reports whether the command indexes the embedded transcript or one file of
// at most smallLoadBytes.
func (env *cliEnv) smallSource() bool {
	if env.Transcripts != "" {
		return false
	}
	if env.Transcript == "" {
		return true
	}
	fi, err := os.Stat(env.Transcript)
	return err == nil && fi.Size() <= smallLoadBytes
}

// maxQueryLine is the longest input line ask --json reads.
const maxQueryLine = 1 << 20

// askJSONBatch answers each line of in as a query, writing one JSON object per line to out.
// Output is flushed whenever no complete line of input is left in the read buffer, before
// reading more: a program feeding queries one at a time (ask --json as a co-process) gets
// each answer at once, and a batch piped in costs one write per buffer, not one per line.
func askJSONBatch(ctx context.Context, in io.Reader, out io.Writer, a *archive.Archive, budget int) error {
	lr := newLineReader(in)
	bw := bufio.NewWriterSize(out, 64<<10)
	var (
		res  askResult
		buf  []byte
		memo = newQuoteMemo()
	)
	for {
		if !lr.lineBuffered() {
			if err := bw.Flush(); err != nil {
				return err
			}
		}
		line, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		res.fill(a.Snapshot(), strings.TrimSuffix(line, "\r"), budget)
		if buf, err = res.appendJSON(buf[:0], memo); err != nil {
			return err
		}
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// lineReader reads lines of at most maxQueryLine bytes and says whether a whole line is
// already buffered (so that reading it cannot block).
type lineReader struct {
	br  *bufio.Reader
	buf []byte
}

func newLineReader(in io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(in, 64<<10)}
}

// lineBuffered reports whether the read buffer holds a complete line.
func (lr *lineReader) lineBuffered() bool {
	b, _ := lr.br.Peek(lr.br.Buffered())
	return bytes.IndexByte(b, '\n') >= 0
}

// next returns the next line without its "\n"; a last line without one is returned too.
// It returns io.EOF at the end of input.
func (lr *lineReader) next() (string, error) {
	lr.buf = lr.buf[:0]
	for {
		chunk, err := lr.br.ReadSlice('\n')
		lr.buf = append(lr.buf, chunk...)
		if len(lr.buf) > maxQueryLine+1 || (len(lr.buf) == maxQueryLine+1 && lr.buf[maxQueryLine] != '\n') {
			return "", errors.New("reading stdin: a line is longer than 1 MiB")
		}
		switch {
		case err == nil:
			return string(lr.buf[:len(lr.buf)-1]), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF:
			if len(lr.buf) == 0 {
				return "", io.EOF
			}
			return string(lr.buf), nil
		default:
			return "", fmt.Errorf("reading stdin: %w", err)
		}
	}
}

// writeJSON matches query and writes the result as one line of JSON.
func writeJSON(w io.Writer, snap *archive.Snapshot, query string, budget int) error {
	b, err := newAskResult(snap, query, budget).appendJSON(nil, nil)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// newAskResult matches query across the archive (one transcript: an archive of one) and
// converts the result to its JSON shape. An "in:" prefix that names nothing matches nothing.
func newAskResult(snap *archive.Snapshot, query string, budget int) *askResult {
	res := new(askResult)
	res.fill(snap, query, budget)
	return res
}

// fill sets res to the result of query, as newAskResult does, reusing res's slices: the
// batch loop answers every line with one askResult.
func (res *askResult) fill(snap *archive.Snapshot, query string, budget int) {
	*res = askResult{
		Query:                  query,
		Terms:                  []string{},
		Alternatives:           emptied(res.Alternatives),
		AlternativeConfidences: emptied(res.AlternativeConfidences),
		Others:                 res.Others[:0],
	}
	scope, q, err := snap.SplitScope(query)
	if err != nil {
		return
	}
	r := snap.MatchPlain(q, budget, scope) // JSON shows no highlights
	if r.Briefing == nil {
		return
	}
	res.Number, res.Confidence, res.Ambiguous = r.Number, round4(r.Confidence), r.Ambiguous
	res.Unread, res.Read = r.Unread, r.Read
	res.Transcript, res.Title, res.Date = r.Briefing.ID, r.Briefing.Title, r.Briefing.DateString()
	res.briefing = r.Briefing
	if r.Terms != nil {
		res.Terms = r.Terms
	}
	if e, ok := r.Briefing.Transcript.Entry(r.Number); ok {
		res.Question, res.entry = e.Question, e
		res.Excerpt = r.Excerpt.Text
	}
	for _, a := range r.Alternatives {
		res.Alternatives = append(res.Alternatives, a.Number)
		res.AlternativeConfidences = append(res.AlternativeConfidences, round4(a.Confidence))
	}
	if snap.Len() > 1 {
		for _, o := range r.Others {
			res.Others = append(res.Others, askOther{Transcript: o.Briefing.ID, Number: o.Number, Confidence: round4(o.Confidence)})
		}
	}
}

// emptied returns s with length 0, keeping its array; an empty, non-nil slice when s is nil,
// so that it is written [] rather than null.
func emptied[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s[:0]
}

// otherMatches lists the matcher's runner-up questions for query as "; other matches: 5, 3",
// or "" when there are none.
func otherMatches(m *matcher.Matcher, query string) string {
	r := m.Match(query, 1)
	if len(r.Alternatives) == 0 {
		return ""
	}
	ns := make([]string, len(r.Alternatives))
	for i, a := range r.Alternatives {
		ns[i] = strconv.Itoa(a.Number)
	}
	return "; other matches: " + strings.Join(ns, ", ")
}

// round4 rounds a confidence to 4 decimals: enough to compare, short enough to read.
func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }
