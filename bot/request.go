package bot

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
