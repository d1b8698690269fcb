package discord

import (
	"context"
	"fmt"

	"github.com/bwmarrin/discordgo"

	"transcriptbot/adapters/recent"
	"transcriptbot/bot"
)

// Group etiquette (recent.Etiquette): when a question was answered in a guild channel (or
// thread) within the repeat window, a mention or the context-menu command asking it again gets
// a short reply to that earlier answer instead of a second copy. A slash command must still be
// answered: it gets an ephemeral note with a link to the earlier answer. Direct messages,
// ephemeral answers (/ask private:true) and buttons are not affected. The answers remembered
// are those posted in the channel (to mentions and the context-menu command): a slash
// command's own public response is not, as learning its message id would cost a REST call per
// answer. The rule is recent's; this file decides what a group is here and posts the pointer.

// etiquetteChat is the etiquette's chat key for a channel: its id in a guild, "" in DMs.
func etiquetteChat(guildID, channelID string) string {
	if guildID == "" {
		return ""
	}
	return channelID
}

// earlierAnswer returns the id of the message that answered rep in the channel within the
// repeat window, or "" when there is none (or etiquette does not apply).
func (a *Adapter) earlierAnswer(ctx context.Context, guildID, channelID string, rep bot.Reply) string {
	id, err := a.etiquette.Earlier(context.WithoutCancel(ctx), etiquetteChat(guildID, channelID), rep)
	if err != nil {
		a.log.Warn("discord: recent-answer store failed; answering in full", "err", a.redact(err))
		return ""
	}
	if !isSnowflake(id) {
		return ""
	}
	return id
}

// remember records that message id answered rep in the channel.
func (a *Adapter) remember(ctx context.Context, guildID, channelID string, rep bot.Reply, id string) {
	if !isSnowflake(id) {
		return
	}
	if err := a.etiquette.Remember(ctx, etiquetteChat(guildID, channelID), rep, id); err != nil {
		a.log.Warn("discord: recent-answer store failed; the answer will not be pointed to", "err", a.redact(err))
	}
}

// postPointer posts the pointer to the earlier answer, as a reply to it. It fails when the
// earlier answer is gone, so that the caller answers in full instead.
func (a *Adapter) postPointer(ctx context.Context, guildID, channelID, earlier string, n int) error {
	failIfGone := true
	send := &discordgo.MessageSend{
		Content:         recent.PointerText(n),
		AllowedMentions: noMentions(),
		Reference:       &discordgo.MessageReference{MessageID: earlier, ChannelID: channelID, GuildID: guildID, FailIfNotExists: &failIfGone},
	}
	_, err := a.session.ChannelMessageSendComplex(channelID, send, discordgo.WithContext(ctx))
	return err
}

// messageLink is the URL of a message in a guild channel.
func messageLink(guildID, channelID, messageID string) string {
	return fmt.Sprintf("https://discord.com/channels/%s/%s/%s", guildID, channelID, messageID)
}

// earlierNote is the ephemeral answer to a slash command whose question was answered in the
// channel a moment ago.
func earlierNote(guildID, channelID, earlier string, n int) response {
	return ephemeral(recent.NoteText(n, messageLink(guildID, channelID, earlier)))
}

// isSnowflake reports whether s looks like a Discord id.
func isSnowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
