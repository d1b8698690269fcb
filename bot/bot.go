package bot

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"transcriptbot/matcher"
	"transcriptbot/matcher/archive"
	"transcriptbot/transcript"
)

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
	named   map[string]bool // the title's words, for number requests (titleWords)
	answers []string        // whole answers, by number-1 (joined once, at load)
	packer  *queryPacker
	// labelWords are the questions' words as menu labels read them, by number-1, analysed
	// on first use.
	labelWords []atomic.Pointer[[]labelWord]
	// briefing is the archive's briefing this state answers from (archive mode only).
	briefing *archive.Briefing
	// content reports whether a word is one of the transcript's content words (its stem is in
	// the index), for looseNumberRequest; nil when the engine has no analyzer.
	content func(word string) bool
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
	st := &state{m: m, t: t, version: version(t), title: strings.TrimSpace(t.Title), named: namedWords(t), packer: newQueryPacker(t),
		labelWords: make([]atomic.Pointer[[]labelWord], len(t.Entries))}
	for i := range t.Entries {
		st.answers = append(st.answers, answerText(&t.Entries[i]))
	}
	st.content = contentWords(m)
	return st
}

// contentWords returns a function reporting whether a word is a content word of the
// transcript m indexes (a stop word is none), or nil when m cannot tell. The set of stems is
// gathered on first use: most messages are no number request and never ask.
func contentWords(m engine) func(string) bool {
	idx, ok := m.(interface {
		Analyzer() *matcher.Analyzer
		StemBounds(func(stem string, bound float64))
	})
	if !ok || idx.Analyzer() == nil {
		return nil
	}
	stems := sync.OnceValue(func() map[string]bool {
		out := map[string]bool{}
		idx.StemBounds(func(stem string, _ float64) { out[stem] = true })
		return out
	})
	return func(word string) bool {
		for _, s := range idx.Analyzer().Stems(word) {
			if stems()[s] {
				return true
			}
		}
		return false
	}
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
