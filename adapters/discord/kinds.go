package discord

import "transcriptbot/bot"

// Flood-control reply kinds: the bot core's contract names them, but until it defines them
// these placeholders (values no reply carries) keep the adapter compiling.
const (
	replySilent    bot.ReplyKind = -1
	replyThrottled bot.ReplyKind = -2
)
