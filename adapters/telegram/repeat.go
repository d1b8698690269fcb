package telegram

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"transcriptbot/bot"
	"transcriptbot/bot/recent"
)

// Group etiquette: when a question was answered in a group chat (or forum topic) within the
// repeat window, asking it again gets a short reply to that earlier answer instead of a second
// copy of it. Private chats, inline mode and answers shown only in a callback answer are not
// affected.
//
// Answers are remembered per chat and topic and question number, in two families: every
// answer under the chat's own key, full answers (by number, page 1) also under a "full" key.
// A free-text question (an excerpt) is pointed at any recent answer to its question; a request
// for the full answer only at a recent full answer, since an excerpt would not do.

// RecentStore remembers which message answered a question in a chat; recent.Store (in memory,
// or shared by replicas in Redis) implements it.
type RecentStore interface {
	Remember(ctx context.Context, chat string, question int, messageID string, ttl time.Duration) error
	Lookup(ctx context.Context, chat string, question int) (messageID string, ok bool, err error)
}

var _ RecentStore = recent.Store(nil)

// storeTimeout bounds one call to the recent-answer store: etiquette is not worth a slow reply.
const storeTimeout = 2 * time.Second

// repeatText is the pointer sent instead of a second copy of an answer.
func repeatText(n int) string {
	return "Asked and answered a moment ago — see question " + strconv.Itoa(n) + " above."
}

// repeatKey returns the recent-store chat key for the reply rep in plan p, and ok false when
// rep is not an answer that group etiquette covers.
func repeatKey(p plan, rep bot.Reply) (chat string, full, ok bool) {
	if !p.group || p.chatID == 0 || rep.Number <= 0 {
		return "", false, false
	}
	switch {
	case rep.Kind == bot.ReplyAnswer:
	case rep.Kind == bot.ReplyByNumber && rep.Page <= 1:
		full = true
	default:
		return "", false, false
	}
	chat = strconv.FormatInt(p.chatID, 10)
	if p.thread != 0 {
		chat += "/" + strconv.Itoa(p.thread)
	}
	return chat, full, true
}

const fullSuffix = "|full"

// repeatsOn reports whether group etiquette is on.
func (a *Adapter) repeatsOn() bool { return a.cfg.RepeatWindow > 0 && a.cfg.Recent != nil }

// answerOrPointer returns the message that answers rep in a group: a pointer to a recent
// answer of the same question, falling back to the answer itself should the earlier message
// be gone, or the answer, remembered once it is sent. Other replies are returned as they are.
func (a *Adapter) answerOrPointer(ctx context.Context, p plan, rep bot.Reply, answer *outMsg) *outMsg {
	chat, full, ok := repeatKey(p, rep)
	if !ok || !a.repeatsOn() {
		return answer
	}
	answer.onSent = a.rememberSent(chat, full, rep.Number)
	lookup := chat
	if full {
		lookup += fullSuffix
	}
	lctx, cancel := context.WithTimeout(ctx, storeTimeout)
	id, found, err := a.cfg.Recent.Lookup(lctx, lookup, rep.Number)
	cancel()
	if err != nil {
		a.log.Warn("telegram: recent-answer store failed; answering in full", "err", a.redactor.redact(err.Error()))
		return answer
	}
	msgID, convErr := strconv.Atoi(id)
	if !found || convErr != nil || msgID <= 0 {
		return answer
	}
	params := tgbotapi.Params{
		"chat_id":                  strconv.FormatInt(p.chatID, 10),
		"text":                     repeatText(rep.Number), // nothing in it needs escaping
		"parse_mode":               tgbotapi.ModeHTML,
		"disable_web_page_preview": "true",
	}
	params.AddNonZero("message_thread_id", p.thread)
	params.AddNonZero("reply_to_message_id", msgID)
	// No allow_sending_without_reply: a pointer to nothing is useless, so when the earlier
	// answer was deleted Telegram refuses it and the answer itself is sent instead.
	return &outMsg{method: "sendMessage", params: params, chatID: p.chatID, group: p.group, fallback: answer}
}

// rememberSent returns the hook recording the message that answered question n in chat.
func (a *Adapter) rememberSent(chat string, full bool, n int) func(context.Context, json.RawMessage) {
	return func(ctx context.Context, result json.RawMessage) {
		var sent struct {
			MessageID int `json:"message_id"`
		}
		if json.Unmarshal(result, &sent) != nil || sent.MessageID <= 0 {
			return
		}
		id := strconv.Itoa(sent.MessageID)
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
		defer cancel()
		keys := []string{chat}
		if full {
			keys = append(keys, chat+fullSuffix)
		}
		for _, k := range keys {
			if err := a.cfg.Recent.Remember(ctx, k, n, id, a.cfg.RepeatWindow); err != nil {
				a.log.Warn("telegram: recent-answer store failed; the answer will not be pointed to", "err", a.redactor.redact(err.Error()))
				return
			}
		}
	}
}

// replyGone reports whether err is Telegram refusing a reply to a message that no longer
// exists ("message to be replied not found").
func replyGone(ae *APIError) bool {
	d := strings.ToLower(ae.Description)
	return ae.Code == 400 && strings.Contains(d, "repl") && strings.Contains(d, "not found")
}
