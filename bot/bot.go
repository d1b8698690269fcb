// Package bot decides what to say: it turns a platform-neutral Request into a structured Reply.
// Adapters (Telegram, Discord, the terminal) only translate, rendering a Reply in their own
// markup with their own escaping.
//
// What a user can send, as a message, a command (structured in Request.Command, or raw in
// Request.Text as "/answer 3") or a button press:
//
//   - a question in their own words: the best question with an excerpt of its answer, the
//     matched words highlighted, and "Full answer" / "Other matches" actions; "did you mean"
//     choices when the matcher cannot tell two questions apart; "The transcript does not cover
//     that." with the nearest questions when it abstains (Options.OnMiss hears about it);
//   - a number request: "3", "#3", "q3", "Q 3", "question 3", "answer 3", "three", "third
//     question", "the 21st one", "last question", alone or in a sentence of politeness, chat
//     noise and words about the press conference ("can you repeat question 1 for me?", "what
//     was the eighth question at the press conference?", "yo show me q7 pls"; see
//     parseNumberRequest), and the commands /answer N and /qN: the full answer, paged; zero,
//     negative, out-of-range, huge and malformed numbers get a clear ReplyInvalid;
//   - /questions [page]: the list of questions, paged, with a button for each;
//   - /start [payload] and /help: what the bot knows and how to ask (a "q3" payload opens
//     answer 3); greetings and thanks get a short friendly reply.
//
// Long text is split into pages of Request.Limits.Body UTF-16 code units, less room for the
// page label (see LabelReserve), at paragraph, then sentence, then word boundaries and never
// inside a rune. Action ids carry the transcript's hash, so buttons from an older transcript,
// like forged ones, get ReplyExpired rather than a wrong answer (see the id grammar in
// actions.go).
//
// The bot remembers one thing per conversation (platform, chat and user): its last menu or
// answer, for a while (Options.Turns, Options.TurnTTL), so that "the first one", "2", "yes"
// and "more" can refer to it (see followup.go for how each is read). Every other reply is
// computed from the request alone. The bot keeps no global state and is safe for concurrent
// use.
package bot

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"transcriptbot/matcher"
	"transcriptbot/matcher/archive"
	"transcriptbot/transcript"
)

// Kind says how a request reached the bot.
type Kind int

// Request kinds.
const (
	KindMessage Kind = iota // a plain message (private chat, or group text addressed to the bot)
	KindCommand             // a command: Command holds its name, Text its argument
	KindMention             // a message that mentioned the bot; Text has the mention removed
	KindInline              // an inline query (Telegram) — usually served by Suggest
	KindButton              // a button press: Action holds the action id
	// KindJoined: the bot was just added to a group (Private false). The reply is a brief
	// introduction saying how to ask there, to post once, uninvited; an adapter whose platform
	// frowns on uninvited posts (Discord) does not send this kind.
	KindJoined
)

// Limits are the adapter's sizes, in UTF-16 code units (which bounds both Telegram's and
// Discord's measures). Zero fields take the defaults (Body 4096, Title 256, Label 64); positive
// values below MinBody, MinTitle and MinLabel are raised to them.
type Limits struct {
	Body  int // one page of body text, including the page label the adapter renders
	Title int // the question text shown as a title
	Label int // a button's label (DefaultLabel if 0; Discord allows 80)
}

// Request is what a user asked, independent of platform.
type Request struct {
	Kind Kind
	// Platform names the front door ("telegram", "discord", "console", ...), for metrics.
	Platform string
	// Text is the user's text: the message with the bot mention and any command removed, the
	// command's argument, or the text of the message being answered (see IsReply).
	Text string
	// Command is the command name without slash or @bot ("answer", "ask", "start", "help",
	// "questions", "q3", ...) when Kind == KindCommand.
	Command string
	// Action is the action id of a pressed button (Kind == KindButton).
	Action string
	// IsReply: Text is someone else's message being answered on their behalf
	// (Telegram /ask as a reply, Discord's message context-menu command).
	IsReply bool
	// InReplyTo holds the action ids of the buttons on the bot's message this message replies
	// to, when the platform tells (a Telegram reply to a menu): "the first one" and the like then
	// pick from that menu, whoever showed it and however long ago, rather than from the last
	// menu remembered for the user.
	InReplyTo []string
	// Private is true in a one-to-one chat, false in groups and channels.
	Private bool
	UserID  string
	ChatID  string
	Locale  string // IETF tag from the platform, may be empty
	Limits  Limits
}

// ReplyKind is the outcome, used by adapters (ephemeral replies) and metrics.
type ReplyKind int

// Reply kinds.
const (
	ReplyAnswer     ReplyKind = iota // a matched free-text question: excerpt with highlights
	ReplyByNumber                    // an answer asked for by number: full answer, paged
	ReplyAmbiguous                   // "did you mean": Actions hold the choices
	ReplyNotCovered                  // the transcript does not cover it: Actions hold nearest
	ReplyList                        // the list of questions, paged
	ReplyHelp                        // help / start text
	ReplySmallTalk                   // greeting or thanks
	ReplyInvalid                     // bad input: empty, too long, control chars, bad number
	ReplyExpired                     // stale or forged button id
	ReplyError                       // internal failure (details logged, short apology shown)
	ReplyThrottled                   // flood control: "slow down", sent once per cooldown
	ReplySilent                      // flood control: muted, the adapter sends nothing
)

// String returns the kind's name ("answer", "by-number", ...), for logs.
func (k ReplyKind) String() string {
	names := [...]string{"answer", "by-number", "ambiguous", "not-covered", "list", "help",
		"small-talk", "invalid", "expired", "error", "throttled", "silent"}
	if k >= 0 && int(k) < len(names) {
		return names[k]
	}
	return "ReplyKind(" + strconv.Itoa(int(k)) + ")"
}

// Span is a piece of body text; Highlight marks matched words (render bold). Paragraph
// breaks are "\n\n" inside span text.
type Span struct {
	Text      string
	Highlight bool
}

// Action is a button the adapter offers. ID is at most 64 bytes and versioned with the
// transcript hash; pass it back as Request.Action when pressed.
type Action struct {
	ID    string
	Label string
}

// Reply is what the bot says, without markup.
type Reply struct {
	Kind ReplyKind
	// Number and Question identify the question answered (0 and "" when none). Question is
	// already cut to Limits.Title.
	Number   int
	Question string
	// Body is this page's text.
	Body []Span
	// Page and Pages are 1-based; Pages > 1 means the adapter must show PageLabel().
	Page, Pages int
	Actions     []Action
	// Choices are the question numbers a ReplyAmbiguous offers ("did you mean", best first) or
	// a ReplyNotCovered names as the nearest, in the order of their Actions; Others are the
	// questions behind a ReplyAnswer's "Other matches" action. Adapters render the Actions;
	// these say the same for programs that measure what the user was offered (bot/evaluate).
	Choices []int
	Others  []int
	// Source names the transcript (its title), for footers; in archive mode with more than
	// one briefing, its title and date.
	Source string
	// Briefing and Date name the briefing the reply comes from, in archive mode (NewArchive):
	// its id and its date (2020-06-12, or ""). Both are "" for a bot of one transcript.
	Briefing string
	Date     string
}

// PageLabel returns "(2/3)", or "" for a single page.
func (r Reply) PageLabel() string {
	if r.Pages <= 1 {
		return ""
	}
	return "(" + strconv.Itoa(r.Page) + "/" + strconv.Itoa(r.Pages) + ")"
}

// Text returns the body as plain text.
func (r Reply) Text() string {
	if len(r.Body) == 1 {
		return r.Body[0].Text
	}
	var b strings.Builder
	for _, s := range r.Body {
		b.WriteString(s.Text)
	}
	return b.String()
}

// Bot is the conversation core. It is safe for concurrent use and has no global state.
type Bot struct {
	state   atomic.Pointer[state]
	opts    Options
	log     *slog.Logger
	turns   TurnStore // nil: no follow-ups
	turnTTL time.Duration
	arc     *archiveMode // nil: one transcript (New)
}

// Options configure New.
type Options struct {
	// MaxInput is the input cap in runes (default 500).
	MaxInput int
	// OnMiss, when set, is called with the text of each question the bot could not answer
	// (abstained, or the user chose "none of these"), for learning from misses. No ids.
	// It is called synchronously from Handle, so it should be quick, and concurrently when
	// requests are handled concurrently.
	OnMiss func(query string)
	// Logger receives internal failures (a recovered panic, a matcher result out of range).
	// Nil discards them.
	Logger *slog.Logger
	// Turns keeps each conversation's last menu or answer (per platform, chat and user), for
	// follow-ups such as "the first one", "yes" and "more". Nil keeps them in this process
	// (NewMemoryTurns with its defaults); several replicas share one store instead.
	Turns TurnStore
	// TurnTTL is how long a menu or answer can be followed up (DefaultTurnTTL if 0); a
	// negative value turns follow-ups off, making every reply depend on its request alone.
	TurnTTL time.Duration
	// CurrentTTL is how long a chat's current briefing is remembered in archive mode
	// (DefaultCurrentTTL if 0).
	CurrentTTL time.Duration
	// OnMissIn, when set, is called in archive mode instead of OnMiss, with the id and the
	// version (transcript hash) of the briefing that could not answer.
	OnMissIn func(query, briefing, version string)
}

// DefaultMaxInput is the input cap when Options.MaxInput is zero or negative.
const DefaultMaxInput = 500

// engine is what the bot needs of a matcher; *matcher.Matcher is the one in use, tests
// also drive the bot with scripted ones.
type engine interface {
	Match(query string, budget int) matcher.Match
	Excerpt(n int, query string, budget int) (matcher.Excerpt, bool)
	Rank(query string, max int) []matcher.Alternative
}

var _ engine = (*matcher.Matcher)(nil)

// state is one transcript version: immutable, swapped whole by Reload.
type state struct {
	m       engine
	t       *transcript.Transcript
	version string // the transcript hash, as it appears in action ids
	title   string
	answers []string // whole answers, by number-1 (joined once, at load)
	packer  *queryPacker
	// labelWords are the questions' words as menu labels read them, by number-1, analysed
	// on first use.
	labelWords []atomic.Pointer[[]labelWord]
	// briefing is the archive's briefing this state answers from (archive mode only).
	briefing *archive.Briefing
}

// New returns a bot answering from m. A nil m gives a bot that answers every request with
// ReplyError until Reload provides a matcher.
func New(m *matcher.Matcher, opts Options) *Bot {
	if opts.MaxInput <= 0 {
		opts.MaxInput = DefaultMaxInput
	}
	b := &Bot{opts: opts, log: opts.Logger, turns: opts.Turns, turnTTL: opts.TurnTTL}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	switch {
	case b.turnTTL < 0:
		b.turns = nil
	case b.turnTTL == 0:
		b.turnTTL = DefaultTurnTTL
	}
	if b.turns == nil && b.turnTTL > 0 {
		b.turns = NewMemoryTurns(MemoryTurnsOptions{})
	}
	b.Reload(m)
	return b
}

// Reload atomically swaps in a new matcher (hot reload). Buttons from the old transcript
// version answer ReplyExpired afterwards. Requests already running finish on the old one.
// A nil matcher (or one without a transcript) is refused: the bot keeps answering from the
// current one, and the refusal is logged.
func (b *Bot) Reload(m *matcher.Matcher) {
	if m == nil || m.Transcript() == nil {
		if b.state.Load() != nil {
			b.log.Error("bot: reload without a transcript refused; keeping the current one")
		}
		return
	}
	b.load(m, m.Transcript())
}

// load swaps in engine m over transcript t.
func (b *Bot) load(m engine, t *transcript.Transcript) {
	b.state.Store(newState(m, t))
}

// newState returns the state of engine m over transcript t.
func newState(m engine, t *transcript.Transcript) *state {
	st := &state{m: m, t: t, version: version(t), title: strings.TrimSpace(t.Title), packer: newQueryPacker(t),
		labelWords: make([]atomic.Pointer[[]labelWord], len(t.Entries))}
	for i := range t.Entries {
		st.answers = append(st.answers, answerText(&t.Entries[i]))
	}
	return st
}

// Version returns the transcript version action ids currently carry ("" when the bot has no
// transcript).
func (b *Bot) Version() string {
	if st := b.state.Load(); st != nil {
		return st.version
	}
	return ""
}

// version returns t's hash when it is usable in an id (short, no separator), or else a hash
// of the content computed here.
func version(t *transcript.Transcript) string {
	h := t.Hash
	ok := h != "" && len(h) <= 16
	for i := 0; ok && i < len(h); i++ {
		c := h[i]
		ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	}
	if ok {
		return h
	}
	f := fnv.New32a()
	f.Write([]byte(t.Title))
	for _, e := range t.Entries {
		fmt.Fprintf(f, "\x00%d\x00%s", e.Number, e.Question)
		for _, p := range e.Paragraphs {
			f.Write([]byte{0})
			f.Write([]byte(p))
		}
	}
	return fmt.Sprintf("%08x", f.Sum32())
}

// Handle answers one request. It never returns nil and never panics on user input.
func (b *Bot) Handle(ctx context.Context, req Request) (reply Reply) {
	if b.arc != nil {
		return b.handleArchive(ctx, req)
	}
	st := b.state.Load()
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("bot: panic handling a request", "panic", fmt.Sprint(p),
				"kind", int(req.Kind), "platform", req.Platform)
			reply = st.errorReply()
		}
	}()
	if st == nil {
		b.log.Error("bot: no transcript loaded")
		return st.errorReply()
	}
	c := conv{b: b, st: st, lim: req.Limits.normalize(), private: req.Private}
	key := turnKey(req)
	reply, ok := c.followUpReply(ctx, req, key)
	if !ok {
		reply = c.handle(req)
	}
	reply = c.fit(reply)
	b.saveTurn(ctx, key, st.version, reply)
	return reply
}

// fit cuts a fixed-text reply (help, a message) that is longer than the page limit, for
// adapters with very small limits; answers and lists fit by construction.
func (c conv) fit(r Reply) Reply {
	switch r.Kind {
	case ReplyAnswer, ReplyByNumber, ReplyList:
		return r // built to fit
	}
	if r.Pages > 1 || UTF16Len(r.Text()) <= c.lim.Body {
		return r
	}
	var m marked
	var text strings.Builder
	for _, s := range r.Body {
		if s.Highlight {
			m.hl = append(m.hl, matcher.Highlight{Start: text.Len(), End: text.Len() + len(s.Text)})
		}
		text.WriteString(s.Text)
	}
	m.text = text.String()
	r.Body = fitSpans(m, c.lim.Body)
	return r
}

// handle answers req with the transcript version and limits of c.
func (c conv) handle(req Request) Reply {
	b := c.b
	switch req.Kind {
	case KindButton:
		return c.button(req.Action)
	case KindJoined:
		return c.intro()
	case KindCommand:
		if msg := validate(req.Text, b.opts.MaxInput); msg != "" && strings.TrimSpace(req.Text) != "" {
			return c.invalid(msg)
		}
		return c.command(req.Command, strings.TrimSpace(req.Text))
	}
	if msg := validate(req.Text, b.opts.MaxInput); msg != "" {
		return c.invalid(msg)
	}
	if !req.IsReply {
		if name, arg, ok := rawCommand(req.Text); ok {
			return c.command(name, arg)
		}
	}
	return c.text(req.Text)
}

// validate returns why text is not acceptable input, or "" when it is.
func validate(text string, maxRunes int) string {
	if !utf8.ValidString(text) {
		return "That message is not valid text. Please type it again."
	}
	if n := utf8.RuneCountInString(text); n > maxRunes {
		return fmt.Sprintf("That message is too long (%d characters). Please keep questions under %d characters.", n, maxRunes)
	}
	blank := true
	for _, r := range text {
		if r == '\n' || r == '\t' || r == '\r' {
			continue
		}
		if unicode.IsControl(r) {
			return "That message contains control characters. Please send plain text."
		}
		if !unicode.IsSpace(r) {
			blank = false
		}
	}
	if blank {
		return "Please type a question, or send /help to see what I can do."
	}
	return ""
}

// rawCommand splits "/answer 3" (or "/answer@SomeBot 3") into name and argument.
func rawCommand(text string) (name, arg string, ok bool) {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, "/") || len(text) < 2 {
		return "", "", false
	}
	name, arg, _ = strings.Cut(text[1:], " ")
	if i := strings.IndexAny(name, "\n\t"); i >= 0 {
		name, arg = name[:i], name[i+1:]+" "+arg
	}
	name, _, _ = strings.Cut(name, "@")
	return name, strings.TrimSpace(arg), true
}

// conv is one request being answered: the transcript version and the adapter's limits.
type conv struct {
	b       *Bot
	st      *state
	lim     Limits
	private bool
	ar      *archiveConv // archive mode only
}

// id returns the action id of a in this transcript version.
func (c conv) id(a action) string { return a.encode(c.st.version) }

// total is the number of questions.
func (c conv) total() int { return len(c.st.t.Entries) }

// rangeText is "This transcript has questions 1–10."
func (c conv) rangeText() string {
	if c.ar != nil && c.ar.multi && c.st.briefing != nil {
		name := "“" + cutWords(c.st.briefing.Title, maxCiteTitle) + "”"
		if d := c.st.briefing.DateString(); d != "" {
			name += " (" + d + ")"
		}
		return fmt.Sprintf("%s has questions 1–%d.", name, c.total())
	}
	switch n := c.total(); n {
	case 0:
		return "This transcript has no questions."
	case 1:
		return "This transcript has only question 1."
	default:
		return fmt.Sprintf("This transcript has questions 1–%d.", n)
	}
}

// command answers a command by name (without slash), with its argument.
func (c conv) command(name, arg string) Reply {
	name = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(name), "/"))
	name, _, _ = strings.Cut(name, "@")
	switch name {
	case "start":
		if arg != "" {
			if r, ok := c.deepLink(arg); ok {
				return r
			}
		}
		return c.help(true)
	case "help":
		return c.help(false)
	case "ask":
		if arg == "" {
			return c.invalid("Type your question after /ask, for example: /ask " + c.exampleQuery() + "\n\n" + c.rangeText())
		}
		return c.text(arg)
	case "answer", "a", "q", "question":
		if arg == "" {
			return c.invalid("Which question? Send /answer with its number, for example /answer 1. " + c.rangeText())
		}
		return c.numberArg(arg)
	case "questions", "list":
		page := 1
		if arg != "" {
			n, ok := parseCount(arg)
			if !ok {
				return c.invalid(fmt.Sprintf("“%s” is not a page number. Send /questions for the first page.", cutWords(arg, 40)))
			}
			page = n
		}
		return c.list(page, true)
	}
	if base, rest, ok := strings.Cut(name, "_"); ok && rest != "" {
		switch base {
		case "q", "answer", "question", "a": // "/answer_3", "/q_3": commands cannot hold spaces
			return c.numberArg(rest)
		}
	}
	if rest, ok := strings.CutPrefix(name, "q"); ok && rest != "" {
		if rest[0] >= '0' && rest[0] <= '9' {
			return c.numberArg(rest)
		}
	}
	if name != "" && name[0] >= '0' && name[0] <= '9' {
		return c.numberArg(name) // "/3"
	}
	if !isCommandName(name) {
		return c.invalid("I don't know that command. Send /help to see what I can do.")
	}
	return c.invalid(fmt.Sprintf("I don't know the command /%s. Send /help to see what I can do.", name))
}

// isCommandName reports whether name looks like a command: 1–32 letters, digits or "_".
func isCommandName(name string) bool {
	if name == "" || utf8.RuneCountInString(name) > 32 {
		return false
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
			return false
		}
	}
	return true
}

// deepLink answers a /start payload: "q3", "3" or another number request opens the answer.
func (c conv) deepLink(payload string) (Reply, bool) {
	if nr, ok := parseNumberRequest(strings.ReplaceAll(payload, "_", " "), c.total()); ok {
		return c.numberReply(nr), true
	}
	return Reply{}, false
}

// numberArg answers the argument of /answer or /qN, which must be a number.
func (c conv) numberArg(arg string) Reply {
	nr, ok := parseNumberRequest("answer "+arg, c.total()) // the command names the question
	if !ok {
		return c.invalid(fmt.Sprintf("“%s” is not a question number. %s To ask in your own words, use /ask.", cutWords(arg, 40), c.rangeText()))
	}
	return c.numberReply(nr)
}

// numberReply answers a parsed number request, or explains what is wrong with the number.
func (c conv) numberReply(nr numRequest) Reply {
	switch nr.status {
	case numOK:
		if nr.n <= c.total() {
			return c.byNumber(nr.n, 1, false)
		}
		return c.invalid(fmt.Sprintf("There is no question %d. %s", nr.n, c.rangeText()))
	case numZero:
		return c.invalid("Questions are numbered from 1. " + c.rangeText())
	case numNegative:
		return c.invalid("Question numbers cannot be negative. " + c.rangeText())
	case numHuge:
		return c.invalid("That number is far too large. " + c.rangeText())
	default:
		return c.invalid(fmt.Sprintf("“%s” is not a question number. %s", cutWords(nr.raw, 40), c.rangeText()))
	}
}

// text answers a message typed by the user.
func (c conv) text(text string) Reply {
	if k := smallTalk(text); k != talkNone {
		return c.smallTalk(k)
	}
	if nr, ok := parseNumberRequest(text, c.total()); ok {
		return c.numberReply(nr)
	}
	if isListRequest(text) {
		return c.list(1, false)
	}
	if isHelpRequest(text) {
		return c.help(false)
	}
	return c.match(text)
}

// isListRequest reports whether text just asks for the questions ("questions", "list",
// "list of questions", "show all questions").
func isListRequest(text string) bool {
	if len(text) > 40 {
		return false
	}
	switch strings.Join(talkWords(text, nil), " ") {
	case "questions", "list", "list questions", "list of questions", "all questions",
		"show questions", "show all questions", "show me the questions", "the questions",
		"what are the questions", "which questions", "menu", "index", "contents":
		return true
	}
	return false
}

// isHelpRequest reports whether text just asks for help.
func isHelpRequest(text string) bool {
	if len(text) > 40 {
		return false
	}
	switch strings.Join(talkWords(text, nil), " ") {
	case "help", "help me", "start", "what can you do", "how does this work", "how do i use this",
		"who are you", "what are you", "commands":
		return true
	}
	return false
}

// match answers free text through the matcher.
func (c conv) match(query string) Reply {
	if c.ar != nil {
		return c.archiveMatch(query)
	}
	budget := min(matcher.DefaultBudget, c.lim.Body)
	return c.matchResult(query, c.st.m.Match(query, budget))
}

// matchResult is the reply to query given the matcher's result mt.
func (c conv) matchResult(query string, mt matcher.Match) Reply {
	if mt.Number < 0 || mt.Number > c.total() {
		c.b.log.Error("bot: matcher returned a number out of range", "number", mt.Number)
		return c.st.errorReply()
	}
	var alts []int
	for _, a := range mt.Alternatives {
		if a.Number >= 1 && a.Number <= c.total() && a.Number != mt.Number && !containsInt(alts, a.Number) {
			alts = append(alts, a.Number)
		}
	}
	switch {
	case mt.Number == 0:
		c.miss(query)
		return c.notCovered(query, alts)
	case mt.Ambiguous:
		return c.ambiguous(query, append([]int{mt.Number}, alts...))
	}
	e := &c.st.t.Entries[mt.Number-1]
	body := newMarked(mt.Excerpt.Text, mt.Excerpt.Highlights)
	if strings.TrimSpace(body.text) == "" {
		body = marked{text: firstParagraph(e)}
	}
	r := Reply{
		Kind:     ReplyAnswer,
		Number:   mt.Number,
		Question: cutWords(e.Question, c.lim.Title),
		Body:     fitSpans(body, c.lim.Body),
		Page:     1,
		Pages:    1,
		Source:   c.st.title,
		Actions:  []Action{{ID: c.id(action{verb: verbFull, n: mt.Number}), Label: "Full answer"}},
	}
	if len(alts) > 0 {
		r.Others = alts[:min(len(alts), maxOthers)]
		r.Actions = append(r.Actions, Action{ID: c.id(action{verb: verbOther, others: r.Others}), Label: "Other matches"})
	}
	return r
}

// fitSpans returns the spans of m cut to one page of body units, ending in "…" when cut.
func fitSpans(m marked, body int) []Span {
	if UTF16Len(m.text) <= body {
		return m.spans(0, len(m.text))
	}
	b := split(m.text, body-1)
	spans := m.spans(0, b[1])
	if n := len(spans); n > 0 {
		if spans[n-1].Highlight {
			spans = append(spans, Span{Text: "…"})
		} else {
			spans[n-1].Text += "…"
		}
	}
	return spans
}

// answerText is the whole answer, paragraphs joined by a blank line (Entry.Answer).
func answerText(e *transcript.Entry) string { return strings.Join(e.Paragraphs, "\n\n") }

// firstParagraph is the fallback excerpt when the matcher gives none.
func firstParagraph(e *transcript.Entry) string {
	if len(e.Paragraphs) > 0 {
		return e.Paragraphs[0]
	}
	return ""
}

func containsInt(s []int, n int) bool {
	for _, v := range s {
		if v == n {
			return true
		}
	}
	return false
}

// miss reports an unanswered query to Options.OnMiss.
func (c conv) miss(query string) {
	if query == "" {
		return
	}
	if br := c.st.briefing; br != nil && c.b.opts.OnMissIn != nil {
		c.b.opts.OnMissIn(query, br.ID, br.Version())
		return
	}
	if c.b.opts.OnMiss != nil {
		c.b.opts.OnMiss(query)
	}
}

// notCovered is the abstention reply, offering the nearest questions.
func (c conv) notCovered(query string, nearest []int) Reply {
	r := Reply{Kind: ReplyNotCovered, Source: c.st.title, Page: 1, Pages: 1}
	text := "The transcript does not cover that."
	if len(nearest) > 0 {
		text += " The nearest questions are below; or see the full list."
	} else {
		text += " See the list of questions for what it does cover."
	}
	r.Body = []Span{{Text: text}}
	for i, label := range c.menuLabels(nearest, query) {
		r.Actions = append(r.Actions, Action{ID: c.id(action{verb: verbFull, n: nearest[i]}), Label: label})
		r.Choices = append(r.Choices, nearest[i])
	}
	r.Actions = append(r.Actions, Action{ID: c.id(action{verb: verbList, page: 1}), Label: "All questions"})
	return r
}

// ambiguous is the "did you mean" reply.
func (c conv) ambiguous(query string, choices []int) Reply {
	r := Reply{Kind: ReplyAmbiguous, Source: c.st.title, Page: 1, Pages: 1,
		Body: []Span{{Text: "Did you mean…"}}}
	for i, label := range c.menuLabels(choices, query) {
		r.Actions = append(r.Actions, Action{ID: c.id(action{verb: verbFull, n: choices[i]}), Label: label})
		r.Choices = append(r.Choices, choices[i])
	}
	none := action{verb: verbNone}
	if packed, ok := c.st.packer.pack(query, packedBudget(c.st.version)); ok {
		none.packed = packed
	}
	r.Actions = append(r.Actions, Action{ID: c.id(none), Label: "None of these"})
	return r
}

// byNumber is the full answer to question n, page page (1-based). fromButton says an
// out-of-range page came from an id, which is then expired rather than invalid.
func (c conv) byNumber(n, page int, fromButton bool) Reply {
	e := &c.st.t.Entries[n-1]
	text := c.st.answers[n-1]
	b := paginate(text, c.lim.Body)
	pages := len(b) - 1
	if page < 1 || page > pages {
		if fromButton {
			return c.st.expired()
		}
		page = 1
	}
	r := Reply{
		Kind:     ReplyByNumber,
		Number:   n,
		Question: cutWords(e.Question, c.lim.Title),
		Body:     marked{text: text}.spans(b[page-1], b[page]),
		Page:     page,
		Pages:    pages,
		Source:   c.st.title,
	}
	if page > 1 {
		r.Actions = append(r.Actions, Action{ID: c.id(action{verb: verbPage, n: n, page: page - 1}), Label: "◀ Previous page"})
	}
	if page < pages {
		r.Actions = append(r.Actions, Action{ID: c.id(action{verb: verbPage, n: n, page: page + 1}), Label: "Next page ▶"})
	}
	return r
}

// listPerPage bounds the questions on one page of the list (and so its buttons).
const listPerPage = 10

// maxListLine bounds one question's line in the list, in UTF-16 code units.
const maxListLine = 160

// listLayout is how the list of questions pages under the request's limits: each line is
// cut to lineMax units and each page holds perPage lines. Every line is bounded, so pages
// are computed without reading the questions: a page costs the same on a transcript of ten
// questions and of ten thousand.
func (c conv) listLayout() (lineMax, perPage, pages int) {
	n := c.total()
	layout := func(capacity int) (int, int) {
		lm := max(1, min(maxListLine, c.lim.Title+8, capacity))
		return lm, max(1, min(listPerPage, (capacity+1)/(lm+1)))
	}
	lineMax, perPage = layout(c.lim.Body)
	if n <= perPage {
		return lineMax, perPage, 1
	}
	for guess := 2; ; {
		lineMax, perPage = layout(c.lim.Body - LabelReserve(guess))
		pages = (n + perPage - 1) / perPage
		if LabelReserve(pages) <= LabelReserve(guess) {
			return lineMax, perPage, pages
		}
		guess = pages
	}
}

// list is page page of the list of questions. Out-of-range pages from a command show the
// nearest page; from a button they are expired.
func (c conv) list(page int, fromCommand bool) Reply {
	if c.total() == 0 {
		return Reply{Kind: ReplyList, Source: c.st.title, Page: 1, Pages: 1,
			Body: []Span{{Text: "This transcript has no questions."}}}
	}
	lineMax, perPage, pages := c.listLayout()
	if page < 1 || page > pages {
		if !fromCommand {
			return c.st.expired()
		}
		page = min(max(page, 1), pages)
	}
	from, to := (page-1)*perPage, min(page*perPage, c.total())
	var body strings.Builder
	r := Reply{Kind: ReplyList, Page: page, Pages: pages, Source: c.st.title}
	var nums []int
	for i := from; i < to; i++ {
		e := &c.st.t.Entries[i]
		if i > from {
			body.WriteByte('\n')
		}
		body.WriteString(cutWords(strconv.Itoa(e.Number)+". "+e.Question, lineMax))
		nums = append(nums, i+1)
	}
	for i, label := range c.menuLabels(nums, "") {
		r.Actions = append(r.Actions, Action{ID: c.id(action{verb: verbFull, n: nums[i]}), Label: label})
	}
	r.Body = []Span{{Text: body.String()}}
	if page > 1 {
		r.Actions = append(r.Actions, Action{ID: c.id(action{verb: verbList, page: page - 1}), Label: "◀ Previous"})
	}
	if page < pages {
		r.Actions = append(r.Actions, Action{ID: c.id(action{verb: verbList, page: page + 1}), Label: "Next ▶"})
	}
	return r
}

// button answers a pressed button.
func (c conv) button(id string) Reply {
	a, ok := parseAction(id, c.st.version)
	if !ok {
		return c.st.expired()
	}
	inRange := func(n int) bool { return n >= 1 && n <= c.total() }
	switch a.verb {
	case verbFull:
		if inRange(a.n) {
			return c.byNumber(a.n, 1, true)
		}
	case verbPage:
		if inRange(a.n) {
			return c.byNumber(a.n, a.page, true)
		}
	case verbList:
		return c.list(a.page, false)
	case verbOther:
		for i, n := range a.others {
			if !inRange(n) || containsInt(a.others[:i], n) {
				return c.st.expired()
			}
		}
		r := Reply{Kind: ReplyAmbiguous, Source: c.st.title, Page: 1, Pages: 1,
			Body: []Span{{Text: "Other questions that may answer it:"}}}
		for i, label := range c.menuLabels(a.others, "") {
			r.Actions = append(r.Actions, Action{ID: c.id(action{verb: verbFull, n: a.others[i]}), Label: label})
			r.Choices = append(r.Choices, a.others[i])
		}
		return r
	case verbNone:
		if len(a.packed) > 0 {
			q, ok := c.st.packer.unpack(a.packed, 4*c.b.opts.MaxInput)
			if !ok || validate(q, c.b.opts.MaxInput) != "" {
				return c.st.expired() // forged: real ids hold what the bot packed
			}
			c.miss(q)
		}
		return Reply{Kind: ReplyNotCovered, Source: c.st.title, Page: 1, Pages: 1,
			Body:    []Span{{Text: "Sorry I couldn't find it. The transcript may not cover that: try other words, or pick from the list of questions."}},
			Actions: []Action{{ID: c.id(action{verb: verbList, page: 1}), Label: "All questions"}}}
	}
	return c.st.expired()
}

// ExpiredText is the reply to a stale or forged button.
const ExpiredText = "This button has expired — ask again."

// expired is the reply to a stale or forged button, offering the current list.
func (st *state) expired() Reply {
	return Reply{Kind: ReplyExpired, Body: []Span{{Text: ExpiredText}}, Page: 1, Pages: 1, Source: st.source(),
		Actions: []Action{{ID: action{verb: verbList, page: 1}.encode(st.version), Label: "All questions"}}}
}

// errorReply is the short apology for an internal failure (st may be nil).
func (st *state) errorReply() Reply {
	return Reply{Kind: ReplyError, Page: 1, Pages: 1, Source: st.source(),
		Body: []Span{{Text: "Sorry, something went wrong on my side. Please try again in a moment."}}}
}

func (st *state) source() string {
	if st == nil {
		return ""
	}
	return st.title
}

// invalid is a ReplyInvalid with msg.
func (c conv) invalid(msg string) Reply {
	return Reply{Kind: ReplyInvalid, Body: []Span{{Text: msg}}, Page: 1, Pages: 1, Source: c.st.title,
		Actions: []Action{{ID: c.id(action{verb: verbList, page: 1}), Label: "All questions"}}}
}

// about names the transcript for help texts.
func (c conv) about() string {
	if c.st.title == "" {
		return "a press-conference transcript"
	}
	return "“" + c.st.title + "”"
}

// exampleQuery is a few words for help texts (generic: no transcript is assumed).
func (c conv) exampleQuery() string { return "what was said about cooperation?" }

// help is the help text, or the start text (a greeting first).
func (c conv) help(start bool) Reply {
	var b strings.Builder
	if start {
		b.WriteString("Hello! ")
	}
	if c.ar != nil && c.ar.multi {
		fmt.Fprintf(&b, "I answer questions from %d briefings, each a transcript of numbered questions and answers; the current one here is %s.\n\n", c.ar.snap.Len(), c.about())
	} else {
		fmt.Fprintf(&b, "I answer questions about %s, from its %d numbered questions and answers.\n\n", c.about(), c.total())
	}
	b.WriteString("Ask in your own words and I'll find the question that answers it, with the matching part of the answer. Or:\n")
	fmt.Fprintf(&b, "• send a number — “3”, “q3”, “third question” — for a full answer (%s)\n", strings.TrimSuffix(strings.ToLower(c.rangeText()[:1])+c.rangeText()[1:], "."))
	b.WriteString("• after a list of choices, “the first one” or “2” picks one; after an answer, “more” goes on\n")
	b.WriteString("• /questions — the list of questions\n")
	b.WriteString("• /answer N — the full answer to question N\n")
	b.WriteString("• /ask QUESTION — ask a question\n")
	if c.ar != nil && c.ar.multi {
		b.WriteString("• numbers are questions of the current briefing: the one of your last answer, else the newest\n")
		b.WriteString("• 2020-06-12#3 — question 3 of the briefing of that day; /use 2020-06-12 — make it the current one\n")
		b.WriteString("• in:2020-06 QUESTION — search only that month (in:2020, in:2020-06-12, in:2020-03..2020-06 too)\n")
	}
	b.WriteString("• /help — this message")
	if !c.private {
		b.WriteString("\n\nIn a group, mention me or use /ask.")
	}
	return Reply{
		Kind:    ReplyHelp,
		Body:    []Span{{Text: b.String()}},
		Page:    1,
		Pages:   1,
		Source:  c.st.title,
		Actions: []Action{{ID: c.id(action{verb: verbList, page: 1}), Label: "All questions"}},
	}
}

// intro is the brief introduction posted once when the bot is added to a group. Most groups
// keep the platform's privacy mode on, in which the bot sees only commands, mentions of it and
// replies to its messages, so it names exactly those ways to ask.
func (c conv) intro() Reply {
	text := fmt.Sprintf("Hello! I answer questions about %s, from its %d numbered questions and answers. "+
		"To ask me here, send /ask followed by your question, mention me, or reply to one of my messages. "+
		"/questions lists them all; /help tells more.", c.about(), c.total())
	return Reply{Kind: ReplyHelp, Body: []Span{{Text: text}}, Page: 1, Pages: 1, Source: c.st.title,
		Actions: []Action{{ID: c.id(action{verb: verbList, page: 1}), Label: "All questions"}}}
}

// smallTalk is the short friendly reply to a greeting, thanks, a farewell or an "ok".
func (c conv) smallTalk(k talkKind) Reply {
	var text string
	switch k {
	case talkGreeting:
		text = "Hello! Ask me anything about " + c.about() + ", or send /help to see how."
	case talkThanks:
		text = "You're welcome! Ask another question any time."
	case talkBye:
		text = "Goodbye! Come back with more questions any time."
	case talkHowAreYou:
		text = "I'm fine, thank you! What would you like to know about " + c.about() + "?"
	default:
		text = "Anything else? Ask away, or send /questions for the list."
	}
	r := Reply{Kind: ReplySmallTalk, Body: []Span{{Text: text}}, Page: 1, Pages: 1, Source: c.st.title}
	if k == talkGreeting || k == talkHowAreYou {
		r.Actions = []Action{{ID: c.id(action{verb: verbList, page: 1}), Label: "All questions"}}
	}
	return r
}

// Suggest returns up to max answer replies ranked for query — for Telegram inline mode and
// Discord autocomplete. A query that is a number (or its prefix) ranks that question first.
// Each reply is ReplyAnswer-shaped: Number, Question, Body (excerpt), one page. An empty
// query lists the first questions in order; an invalid one (too long, control characters)
// gives none.
func (b *Bot) Suggest(ctx context.Context, query string, max int, limits Limits) (out []Reply) {
	st := b.state.Load()
	if b.arc != nil {
		st = b.suggestState(query)
	}
	if st == nil || max <= 0 {
		return nil
	}
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("bot: panic suggesting", "panic", fmt.Sprint(p))
			out = nil
		}
	}()
	c := conv{b: b, st: st, lim: limits.normalize(), private: true}
	max = min(max, c.total(), 100)
	query = strings.TrimSpace(query)
	if query != "" && validate(query, b.opts.MaxInput) != "" {
		return nil
	}
	var nums []int
	excerptQuery := query
	add := func(n int) {
		if n >= 1 && n <= c.total() && len(nums) < max && !containsInt(nums, n) {
			nums = append(nums, n)
		}
	}
	switch {
	case query == "":
		for n := 1; n <= max; n++ {
			add(n)
		}
	default:
		if prefix, ok := numberPrefix(query); ok {
			// The number itself, then those it begins, shortest first: 1, 10–19, 100–199, ...
			if p, ok := parseCount(prefix); ok {
				for lo, width := p, 1; lo <= c.total() && len(nums) < max; lo, width = lo*10, width*10 {
					for n := lo; n < lo+width && n <= c.total() && len(nums) < max; n++ {
						add(n)
					}
				}
			}
			if len(nums) > 0 {
				excerptQuery = "" // a number says nothing about which part of the answer to show
				break
			}
		}
		if nr, ok := parseNumberRequest(query, c.total()); ok && nr.status == numOK {
			add(nr.n)
		}
		for _, a := range st.m.Rank(query, max) {
			add(a.Number)
		}
	}
	budget := min(matcher.DefaultBudget, c.lim.Body)
	for _, n := range nums {
		e := &st.t.Entries[n-1]
		ex, ok := st.m.Excerpt(n, excerptQuery, budget)
		body := newMarked(ex.Text, ex.Highlights)
		if !ok || strings.TrimSpace(ex.Text) == "" {
			body = marked{text: firstParagraph(e)}
		}
		out = append(out, Reply{
			Kind:     ReplyAnswer,
			Number:   n,
			Question: cutWords(e.Question, c.lim.Title),
			Body:     fitSpans(body, c.lim.Body),
			Page:     1,
			Pages:    1,
			Source:   st.title,
			Actions:  []Action{{ID: c.id(action{verb: verbFull, n: n}), Label: "Full answer"}},
		})
	}
	return out
}

// numberPrefix returns the digits of a query that is a question number or its beginning
// ("1", "q1", "#1", "question 1").
func numberPrefix(query string) (string, bool) {
	toks := tokenizeRequest(query)
	digits := ""
	for _, t := range toks {
		switch {
		case requestKeywords[t]:
		case digits == "" && t != "" && strings.Trim(t, "0123456789") == "":
			digits = strings.TrimLeft(t, "0")
		default:
			return "", false
		}
	}
	return digits, digits != ""
}
