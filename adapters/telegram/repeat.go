package telegram

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"transcriptbot/adapters/recent"
	"transcriptbot/bot"
)

// Group etiquette (recent.Etiquette): when a question was answered in a group chat or forum
// topic within the repeat window, asking it again gets a short reply to that earlier answer
// instead of a second copy of it. Private chats, inline mode and answers shown only in a
// callback answer are not affected. The rule is recent's; this file decides what a group is
// here and sends the pointer.

// storeTimeout bounds one call to a recent-message store.
const storeTimeout = recent.StoreTimeout

// etiquetteChat is the etiquette's chat key for plan p: the chat, and its topic in a forum;
// "" outside groups.
func etiquetteChat(p plan) string {
	if !p.group || p.chatID == 0 {
		return ""
	}
	chat := strconv.FormatInt(p.chatID, 10)
	if p.thread != 0 {
		chat += "/" + strconv.Itoa(p.thread)
	}
	return chat
}

// answerOrPointer returns the message that answers rep in a group: a pointer to a recent
// answer of the same question, falling back to the answer itself should the earlier message
// be gone, or the answer, remembered once it is sent. Other replies are returned as they are.
func (a *Adapter) answerOrPointer(ctx context.Context, p plan, rep bot.Reply, answer *outMsg) *outMsg {
	chat := etiquetteChat(p)
	if !a.etiquette.Covers(chat, rep) {
		return answer
	}
	answer.onSent = a.rememberSent(chat, rep)
	id, err := a.etiquette.Earlier(ctx, chat, rep)
	if err != nil {
		a.log.Warn("telegram: recent-answer store failed; answering in full", "err", a.redactor.redact(err.Error()))
		return answer
	}
	msgID, convErr := strconv.Atoi(id)
	if id == "" || convErr != nil || msgID <= 0 {
		return answer
	}
	params := tgbotapi.Params{
		"chat_id":                  strconv.FormatInt(p.chatID, 10),
		"text":                     recent.PointerText(rep.Number), // nothing in it needs escaping
		"parse_mode":               tgbotapi.ModeHTML,
		"disable_web_page_preview": "true",
	}
	params.AddNonZero("message_thread_id", p.thread)
	params.AddNonZero("reply_to_message_id", msgID)
	// No allow_sending_without_reply: a pointer to nothing is useless, so when the earlier
	// answer was deleted Telegram refuses it and the answer itself is sent instead.
	return &outMsg{method: "sendMessage", params: params, chatID: p.chatID, group: p.group, fallback: answer}
}

// rememberSent returns the hook recording the message that answered rep in chat.
func (a *Adapter) rememberSent(chat string, rep bot.Reply) func(context.Context, json.RawMessage) {
	return func(ctx context.Context, result json.RawMessage) {
		var sent struct {
			MessageID int `json:"message_id"`
		}
		if json.Unmarshal(result, &sent) != nil || sent.MessageID <= 0 {
			return
		}
		if err := a.etiquette.Remember(ctx, chat, rep, strconv.Itoa(sent.MessageID)); err != nil {
			a.log.Warn("telegram: recent-answer store failed; the answer will not be pointed to", "err", a.redactor.redact(err.Error()))
		}
	}
}

// replyGone reports whether err is Telegram refusing a reply to a message that no longer
// exists ("message to be replied not found").
func replyGone(ae *APIError) bool {
	d := strings.ToLower(ae.Description)
	return ae.Code == 400 && strings.Contains(d, "repl") && strings.Contains(d, "not found")
}
