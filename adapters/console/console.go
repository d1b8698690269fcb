// Package console is the terminal front door of the bot: a line-by-line conversation through the
// same bot core as the chat platforms, like Hubot's shell.
//
// Each input line becomes a bot.Request (Platform "console", Private true):
//
//	/help, /start, /questions, /answer N, /ask TEXT, /q3 ...   a command (KindCommand)
//	3, #3, question 3, What is the Shanghai spirit?             a message (KindMessage)
//	[1]                                                         press choice 1 of the last reply
//	/press ID                                                   press the button with action id ID
//	/quit, /exit, or end of input                               leave
//
// In a script (not Interactive) every input line gets exactly one reply, blank lines
// included, followed by a blank line; with Options.JSON, exactly one line of JSON instead
// (see JSONReply).
//
// A reply's buttons are printed as numbered choices "[1] Full answer"; typing "[1]" presses that
// button (KindButton with the button's action id). Plain words and numbers keep their chat
// meaning, read by the bot core as on every platform: "3" asks for question 3, except right
// after a did-you-mean menu, where "2" or "the second one" picks that choice (see package bot).
//
// When the input is a terminal, lines are read with github.com/chzyer/readline (history, line
// editing, tab completion of commands); otherwise a plain line scanner reads them, so a
// conversation can be scripted through a pipe.
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/chzyer/readline"

	"transcriptbot/bot"
)

// Handler answers requests; *bot.Bot is the implementation used outside tests.
type Handler interface {
	Handle(ctx context.Context, req bot.Request) bot.Reply
}

var _ Handler = (*bot.Bot)(nil)

// Platform is the Request.Platform of console requests.
const Platform = "console"

// DefaultLimits are the page sizes used when Options.Limits is zero: a terminal scrolls, so
// pages are long.
var DefaultLimits = bot.Limits{Body: 8000, Title: 1000}

// maxLine caps an input line in bytes when reading from a pipe; longer lines are an error.
const maxLine = 1 << 20

// Options configure New. The zero value reads a plain line stream with no prompt or colour.
type Options struct {
	// Interactive: the input and output are a terminal. Enables the prompt, the greeting and,
	// when the input is an *os.File, readline line editing and history.
	Interactive bool
	// Color renders highlights and titles in ANSI bold.
	Color bool
	// Prompt shown before each input line in interactive mode (default "> ").
	Prompt string
	// HistoryFile persists readline history when set (interactive mode only).
	HistoryFile string
	// UserID and ChatID fill the requests (default "console").
	UserID, ChatID string
	// Locale is the user's IETF language tag, may be empty.
	Locale string
	// Limits are the page sizes passed to the bot (default DefaultLimits).
	Limits bot.Limits
	// Width wraps replies at this many columns; 0 does not wrap, and a negative value follows
	// the terminal's width (TerminalWidth) at each reply.
	Width int
	// JSON writes each reply as one line of JSON (see JSONReply) instead of text, for scripts;
	// it implies a non-interactive conversation.
	JSON bool
}

// Adapter runs a terminal conversation. Create it with New; it is not safe for concurrent use.
type Adapter struct {
	h    Handler
	in   io.Reader
	out  io.Writer
	opts Options
	// choices are the buttons of the last reply that had any, pressed by typing "[N]".
	choices []bot.Action
	// lineNo counts input lines, for JSON output.
	lineNo int
}

// New returns an adapter that reads lines from in, answers them with h and writes to out.
func New(h Handler, in io.Reader, out io.Writer, opts Options) *Adapter {
	if opts.Prompt == "" {
		opts.Prompt = "> "
	}
	if opts.UserID == "" {
		opts.UserID = "console"
	}
	if opts.ChatID == "" {
		opts.ChatID = "console"
	}
	if opts.Limits == (bot.Limits{}) {
		opts.Limits = DefaultLimits
	}
	if opts.JSON {
		opts.Interactive, opts.Color, opts.Width = false, false, 0
	}
	return &Adapter{h: h, in: in, out: out, opts: opts}
}

// lineReader yields input lines; io.EOF ends the conversation.
type lineReader interface {
	readLine() (string, error)
	close()
}

// Run holds the conversation until end of input, /quit or /exit (returning nil), or until ctx is
// cancelled (returning ctx.Err()). Read and write failures are returned.
func (a *Adapter) Run(ctx context.Context) error {
	lr, err := a.newReader()
	if err != nil {
		return err
	}
	defer lr.close()

	if a.opts.Interactive {
		if err := a.greet(ctx); err != nil {
			return err
		}
	}

	type result struct {
		line string
		err  error
	}
	lines := make(chan result)
	next := make(chan struct{})
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			l, err := lr.readLine()
			select {
			case lines <- result{l, err}:
			case <-done:
				return
			}
			if err != nil {
				return
			}
			select {
			case <-next:
			case <-done:
				return
			}
		}
	}()

	for {
		var r result
		select {
		case <-ctx.Done():
			lr.close() // interrupts readline; a plain reader goroutine just ends with the process
			return ctx.Err()
		case r = <-lines:
		}
		if errors.Is(r.err, io.EOF) {
			if a.opts.Interactive {
				fmt.Fprintln(a.out)
			}
			return nil
		}
		if r.err != nil {
			return fmt.Errorf("read input: %w", r.err)
		}
		quit, err := a.handleLine(ctx, r.line)
		if err != nil || quit {
			return err
		}
		next <- struct{}{}
	}
}

// greet prints the bot's start text and how to leave.
func (a *Adapter) greet(ctx context.Context) error {
	reply := a.h.Handle(ctx, a.request(bot.Request{Kind: bot.KindCommand, Command: "start"}))
	reply.Actions = a.shown(reply)
	a.remember(reply, reply.Actions, false)
	if _, err := io.WriteString(a.out, a.wrap(Render(reply, a.opts.Color))); err != nil {
		return err
	}
	_, err := fmt.Fprintln(a.out, "(Type /help for help, [N] to pick a choice, /quit or Ctrl-D to leave.)")
	return err
}

// handleLine answers one input line. quit is true for /quit and /exit.
func (a *Adapter) handleLine(ctx context.Context, line string) (quit bool, err error) {
	a.lineNo++
	in := Parse(line)
	blank := false
	switch in.Kind {
	case InputEmpty:
		if a.opts.Interactive {
			return false, nil // Enter at the prompt: prompt again
		}
		// In a script every line gets a reply, so that replies and lines stay paired. The
		// reply keeps the last reply's choices: a blank line is no new question.
		in.Request = bot.Request{Kind: bot.KindMessage}
		blank = true
	case InputQuit:
		if a.opts.JSON {
			return true, a.writeJSON(a.own(line, "quit", "", nil))
		}
		return true, nil
	case InputChoice:
		if in.Choice < 1 || in.Choice > len(a.choices) {
			text := a.noSuchChoice(in.Choice)
			if a.opts.JSON {
				return false, a.writeJSON(a.own(line, "no-choice", text, a.choices))
			}
			_, err := io.WriteString(a.out, a.wrap(text+"\n")+"\n")
			return false, err
		}
		in.Request.Action = a.choices[in.Choice-1].ID
	}
	reply := a.h.Handle(ctx, a.request(in.Request))
	if reply.Kind == bot.ReplySilent {
		// Flood control muted this user: say nothing, as on every platform. JSON output is
		// data, not a message: it still has its line, saying so.
		if a.opts.JSON {
			return false, a.writeJSON(a.own(line, reply.Kind.String(), "", nil))
		}
		return false, nil
	}
	shown := a.shown(reply)
	if blank {
		shown = nil
	} else {
		a.remember(reply, shown, in.Request.Kind == bot.KindButton)
	}
	if a.opts.JSON {
		return false, a.writeJSON(newJSONReply(a.lineNo, line, reply, a.jsonActions(shown)))
	}
	reply.Actions = shown
	text := Render(reply, a.opts.Color)
	if reply.Kind == bot.ReplyHelp && in.Request.Kind == bot.KindCommand && in.Request.Command == "help" {
		text += consoleHelp
	}
	text = a.wrap(text) + "\n" // a blank line between replies keeps the conversation readable
	_, err = io.WriteString(a.out, text)
	return false, err
}

// shown returns the reply's buttons as the console shows them: all of them, except that the
// list of questions does not repeat its questions as choices (typing the number asks for
// one) and keeps only its paging buttons. JSON output shows every button.
func (a *Adapter) shown(r bot.Reply) []bot.Action {
	if a.opts.JSON || r.Kind != bot.ReplyList {
		return r.Actions
	}
	var out []bot.Action
	for _, act := range r.Actions {
		if act.Question() == 0 {
			out = append(out, act)
		}
	}
	return out
}

// consoleHelp is appended to the bot's /help text: what only the terminal has.
const consoleHelp = "\nIn this terminal: type [1], [2], ... to pick one of the numbered choices " +
	"under a reply; /quit, /exit or Ctrl-D leaves.\n"

// wrap applies Options.Width to text.
func (a *Adapter) wrap(text string) string {
	w := a.opts.Width
	if w < 0 {
		w = TerminalWidth()
	}
	if w > 1 {
		w-- // leave the last column free: some terminals wrap early when it is written
	}
	return Wrap(text, w)
}

func (a *Adapter) noSuchChoice(n int) string {
	var s string
	switch len(a.choices) {
	case 0:
		s = fmt.Sprintf("There is no choice [%d]: the last reply offered none.", n)
	case 1:
		s = fmt.Sprintf("There is no choice [%d]: the last reply offered [1] only.", n)
	default:
		s = fmt.Sprintf("There is no choice [%d]: pick [1] to [%d].", n, len(a.choices))
	}
	if n > 0 {
		s += fmt.Sprintf(" To read question %d, type %d without brackets.", n, n)
	}
	return s
}

// remember keeps the buttons shown with a reply for "[N]". A reply without buttons keeps the
// previous ones so "[2]" still works after reading choice 1 — except that a new question
// resets them. pressed says the reply answers a button.
func (a *Adapter) remember(r bot.Reply, shown []bot.Action, pressed bool) {
	if len(shown) > 0 {
		a.choices = shown
		return
	}
	switch {
	case r.Kind == bot.ReplyByNumber, r.Kind == bot.ReplyExpired, r.Kind == bot.ReplyList && pressed:
		// Reading a choice: the earlier choices stay pickable.
	default:
		// A new question, or the list asked for with /questions: its numbers are typed
		// without brackets, and an older menu's [N] would only confuse.
		a.choices = nil
	}
}

// request fills the console's fixed fields into req.
func (a *Adapter) request(req bot.Request) bot.Request {
	req.Platform = Platform
	req.Private = true
	req.UserID = a.opts.UserID
	req.ChatID = a.opts.ChatID
	req.Locale = a.opts.Locale
	req.Limits = a.opts.Limits
	return req
}

// InputKind classifies an input line.
type InputKind int

// Input kinds.
const (
	InputEmpty   InputKind = iota // blank line: ignored at a prompt, answered in a script
	InputQuit                     // /quit or /exit
	InputChoice                   // "[N]": press choice N of the last reply
	InputRequest                  // a message or command for the bot
)

// Input is a parsed input line.
type Input struct {
	Kind InputKind
	// Choice is N of "[N]" (InputChoice).
	Choice int
	// Request is the request for InputRequest and InputChoice (KindButton, Action to be filled
	// from the last reply's buttons); only Kind, Command and Text are set.
	Request bot.Request
}

// Parse classifies one input line: "/cmd arg" is a command (name lowercased, "@bot" suffix
// dropped), "[N]" a choice, "/quit" and "/exit" leave, anything else is a message.
func Parse(line string) Input {
	line = strings.TrimSpace(strings.TrimPrefix(line, "\ufeff"))
	if line == "" {
		return Input{Kind: InputEmpty}
	}
	if n, ok := parseChoice(line); ok {
		return Input{Kind: InputChoice, Choice: n, Request: bot.Request{Kind: bot.KindButton}}
	}
	if strings.HasPrefix(line, "/") && len(line) > 1 {
		name, arg, _ := strings.Cut(line[1:], " ")
		if i := strings.IndexFunc(name, unicode.IsSpace); i >= 0 {
			name, arg = name[:i], name[i:]+" "+arg
		}
		name, _, _ = strings.Cut(name, "@")
		name = strings.ToLower(name)
		switch name {
		case "quit", "exit":
			return Input{Kind: InputQuit}
		case "press":
			// Presses a button by its action id, as listed by chat --json: a script can
			// follow a conversation without counting choices.
			return Input{Kind: InputRequest, Request: bot.Request{Kind: bot.KindButton, Action: strings.TrimSpace(arg)}}
		}
		return Input{Kind: InputRequest, Request: bot.Request{
			Kind: bot.KindCommand, Command: name, Text: strings.TrimSpace(arg),
		}}
	}
	return Input{Kind: InputRequest, Request: bot.Request{Kind: bot.KindMessage, Text: line}}
}

// parseChoice recognises "[N]" with optional spaces inside the brackets.
func parseChoice(s string) (int, bool) {
	if len(s) < 3 || s[0] != '[' || s[len(s)-1] != ']' {
		return 0, false
	}
	inner := strings.TrimSpace(s[1 : len(s)-1])
	if inner == "" || len(inner) > 3 {
		return 0, false
	}
	n, err := strconv.Atoi(inner)
	if err != nil || n < 0 || inner[0] == '+' || inner[0] == '-' {
		return 0, false
	}
	return n, true
}

// ANSI styles used when colour is on.
const (
	bold  = "\x1b[1m"
	reset = "\x1b[0m"
)

// Render formats a reply as terminal text ending in a newline: the question as a title
// ("3. What ..."), the body with highlights in ANSI bold when color is set, the page label,
// and the buttons as numbered choices "[1] label". Control characters that could drive the
// terminal are removed from all text.
func Render(r bot.Reply, color bool) string {
	var b strings.Builder
	if r.Number > 0 && r.Question != "" {
		title := fmt.Sprintf("%d. %s", r.Number, clean(r.Question))
		if color {
			title = bold + title + reset
		}
		b.WriteString(title)
		b.WriteString("\n\n")
	}
	for _, s := range r.Body {
		text := clean(s.Text)
		if s.Highlight && color && strings.TrimSpace(text) != "" {
			b.WriteString(bold + text + reset)
		} else {
			b.WriteString(text)
		}
	}
	if !strings.HasSuffix(b.String(), "\n") {
		b.WriteString("\n")
	}
	if r.Pages > 1 {
		b.WriteString(r.PageLabel())
		b.WriteString("\n")
	}
	for i, act := range r.Actions {
		fmt.Fprintf(&b, "  [%d] %s\n", i+1, clean(act.Label))
	}
	return b.String()
}

// clean drops control characters other than newline and tab (ESC above all, so that text from
// a transcript or echoed input cannot drive the terminal) and replaces invalid UTF-8.
func clean(s string) string {
	ok := true
	for _, r := range s {
		if isUnsafe(r) {
			ok = false
			break
		}
	}
	if ok && utf8.ValidString(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isUnsafe(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

func isUnsafe(r rune) bool {
	return r != '\n' && r != '\t' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029')
}

// newReader picks readline for an interactive terminal and a line scanner otherwise.
func (a *Adapter) newReader() (lineReader, error) {
	if a.opts.Interactive {
		if f, ok := a.in.(*os.File); ok && readline.IsTerminal(int(f.Fd())) {
			return a.newReadline(f)
		}
	}
	sc := bufio.NewScanner(a.in)
	sc.Buffer(make([]byte, 0, 64*1024), maxLine)
	var w io.Writer
	if a.opts.Interactive {
		w = a.out
	}
	return &scanReader{sc: sc, prompt: a.opts.Prompt, w: w}, nil
}

// scanReader reads lines with a bufio.Scanner, printing the prompt first when w is set.
type scanReader struct {
	sc     *bufio.Scanner
	prompt string
	w      io.Writer
}

func (s *scanReader) readLine() (string, error) {
	if s.w != nil {
		if _, err := io.WriteString(s.w, s.prompt); err != nil {
			return "", err
		}
	}
	if s.sc.Scan() {
		return s.sc.Text(), nil
	}
	if err := s.sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return "", fmt.Errorf("a line is longer than %d bytes", maxLine)
		}
		return "", err
	}
	return "", io.EOF
}

func (s *scanReader) close() {}

// rlReader reads lines with readline: editing, history, completion of commands.
type rlReader struct {
	rl   *readline.Instance
	once sync.Once
}

// commandNames are completed with Tab at the start of a line.
var commandNames = []string{"/help", "/start", "/questions", "/answer ", "/ask ", "/quit", "/exit"}

func (a *Adapter) newReadline(in *os.File) (lineReader, error) {
	items := make([]readline.PrefixCompleterInterface, len(commandNames))
	for i, c := range commandNames {
		items[i] = readline.PcItem(c)
	}
	rl, err := readline.NewEx(&readline.Config{
		Prompt:            a.opts.Prompt,
		HistoryFile:       a.opts.HistoryFile,
		HistorySearchFold: true,
		AutoComplete:      readline.NewPrefixCompleter(items...),
		Stdin:             readline.NewCancelableStdin(in),
		Stdout:            a.out,
		InterruptPrompt:   "^C",
		EOFPrompt:         "\n",
	})
	if err != nil {
		return nil, fmt.Errorf("start line editor: %w", err)
	}
	return &rlReader{rl: rl}, nil
}

func (r *rlReader) readLine() (string, error) {
	for {
		line, err := r.rl.Readline()
		if errors.Is(err, readline.ErrInterrupt) {
			if line == "" {
				return "", io.EOF // Ctrl-C on an empty line leaves, like a shell's Ctrl-D
			}
			continue // Ctrl-C with text discards the line
		}
		return line, err
	}
}

func (r *rlReader) close() { r.once.Do(func() { r.rl.Close() }) }
