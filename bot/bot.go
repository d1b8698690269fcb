// Package bot decides what to say: it turns a platform-neutral Request into a structured Reply.
// Adapters (Telegram, Discord, the terminal) only translate, rendering a Reply in their own
// markup with their own escaping.
//
// CONTRACT STUB: the types and signatures below are the agreed API adapters build on.
// The bot-core work fills in the bodies (and may add fields, never remove them).
package bot

import (
	"context"

	"transcriptbot/matcher"
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
)

// Limits are the adapter's sizes, in UTF-16 code units (which bounds both Telegram's and
// Discord's measures). Zero fields take the defaults (Body 4096, Title 256).
type Limits struct {
	Body  int // one page of body text, including the page label the adapter renders
	Title int // the question text shown as a title
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
	// Source names the transcript (its title), for footers.
	Source string
}

// PageLabel returns "(2/3)", or "" for a single page.
func (r Reply) PageLabel() string { panic("stub") }

// Text returns the body as plain text.
func (r Reply) Text() string { panic("stub") }

// Bot is the conversation core. It is safe for concurrent use and has no global state.
type Bot struct{}

// Options configure New.
type Options struct {
	// MaxInput is the input cap in runes (default 500).
	MaxInput int
	// OnMiss, when set, is called with the text of each question the bot could not answer
	// (abstained, or the user chose "none of these"), for learning from misses. No ids.
	OnMiss func(query string)
}

// New returns a bot answering from m.
func New(m *matcher.Matcher, opts Options) *Bot { panic("stub") }

// Reload atomically swaps in a new matcher (hot reload). Buttons from the old transcript
// version answer ReplyExpired afterwards.
func (b *Bot) Reload(m *matcher.Matcher) { panic("stub") }

// Handle answers one request. It never returns nil and never panics on user input.
func (b *Bot) Handle(ctx context.Context, req Request) Reply { panic("stub") }

// Suggest returns up to max answer replies ranked for query — for Telegram inline mode and
// Discord autocomplete. A query that is a number (or its prefix) ranks that question first.
// Each reply is ReplyAnswer-shaped: Number, Question, Body (excerpt), one page.
func (b *Bot) Suggest(ctx context.Context, query string, max int, limits Limits) []Reply {
	panic("stub")
}
