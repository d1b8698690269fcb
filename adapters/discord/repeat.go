package discord

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"

	"transcriptbot/bot"
	"transcriptbot/bot/recent"
)

// Group etiquette: when a question was answered in a guild channel (or thread) within the
// repeat window, a mention or the context-menu command asking it again gets a short reply to
// that earlier answer instead of a second copy. A slash command must still be answered: it
// gets an ephemeral note with a link to the earlier answer. Direct messages, ephemeral
// answers (/ask private:true) and buttons are not affected. The answers remembered are those
// posted in the channel (to mentions and the context-menu command): a slash command's own
// public response is not, as learning its message id would cost a REST call per answer.
//
// Answers are remembered per channel and question number, in two families: every answer under
// the channel's id, full answers (by number, page 1) also under a "full" key. A free-text
// question (an excerpt) is pointed at any recent answer to its question; a request for the
// full answer only at a recent full answer, since an excerpt would not do.

// RecentStore remembers which message answered a question in a channel; recent.Store (in
// memory, or shared by replicas in Redis) implements it.
type RecentStore interface {
	Remember(ctx context.Context, chat string, question int, messageID string, ttl time.Duration) error
	Lookup(ctx context.Context, chat string, question int) (messageID string, ok bool, err error)
}

var _ RecentStore = recent.Store(nil)

// storeTimeout bounds one call to the recent-answer store: etiquette is not worth a slow reply.
const storeTimeout = 2 * time.Second

const fullSuffix = "|full"

// repeatText is the pointer posted instead of a second copy of an answer.
func repeatText(n int) string {
	return "Asked and answered a moment ago — see question " + strconv.Itoa(n) + " above."
}

// repeatKey returns the recent-store key for reply rep in a guild channel, and ok false when
// rep is not an answer that group etiquette covers.
func repeatKey(guildID, channelID string, rep bot.Reply) (chat string, full, ok bool) {
	if guildID == "" || channelID == "" || rep.Number <= 0 {
		return "", false, false
	}
	switch {
	case rep.Kind == bot.ReplyAnswer:
	case rep.Kind == bot.ReplyByNumber && rep.Page <= 1:
		full = true
	default:
		return "", false, false
	}
	return channelID, full, true
}

// repeatsOn reports whether group etiquette is on.
func (a *Adapter) repeatsOn() bool { return a.cfg.RepeatWindow > 0 && a.cfg.Recent != nil }

// earlierAnswer returns the id of the message that answered rep in the channel within the
// repeat window, or "" when there is none (or etiquette does not apply).
func (a *Adapter) earlierAnswer(ctx context.Context, guildID, channelID string, rep bot.Reply) string {
	chat, full, ok := repeatKey(guildID, channelID, rep)
	if !ok || !a.repeatsOn() {
		return ""
	}
	if full {
		chat += fullSuffix
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	id, found, err := a.cfg.Recent.Lookup(ctx, chat, rep.Number)
	if err != nil {
		a.log.Warn("discord: recent-answer store failed; answering in full", "err", a.redact(err))
		return ""
	}
	if !found || !isSnowflake(id) {
		return ""
	}
	return id
}

// remember records that message id answered rep in the channel.
func (a *Adapter) remember(ctx context.Context, guildID, channelID string, rep bot.Reply, id string) {
	chat, full, ok := repeatKey(guildID, channelID, rep)
	if !ok || !a.repeatsOn() || !isSnowflake(id) {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	keys := []string{chat}
	if full {
		keys = append(keys, chat+fullSuffix)
	}
	for _, k := range keys {
		if err := a.cfg.Recent.Remember(ctx, k, rep.Number, id, a.cfg.RepeatWindow); err != nil {
			a.log.Warn("discord: recent-answer store failed; the answer will not be pointed to", "err", a.redact(err))
			return
		}
	}
}

// postPointer posts the pointer to the earlier answer, as a reply to it. It fails when the
// earlier answer is gone, so that the caller answers in full instead.
func (a *Adapter) postPointer(ctx context.Context, guildID, channelID, earlier string, n int) error {
	failIfGone := true
	send := &discordgo.MessageSend{
		Content:         repeatText(n),
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
	return ephemeral("Asked and answered a moment ago — see question " + strconv.Itoa(n) + ": " +
		messageLink(guildID, channelID, earlier))
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
