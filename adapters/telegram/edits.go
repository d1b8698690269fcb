package telegram

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"transcriptbot/bot"
)

// Everyday events: a user who edits a question (to fix a typo) within EditWindow gets the
// bot's earlier reply edited to answer the new text, or a new reply when that one is gone or
// there was none; the bot added to a group introduces itself once (planJoined); removed, it
// says nothing.

// DefaultEditWindow is Config.EditWindow when zero: long enough to fix a typo after reading
// the answer, short enough that an old conversation is not rewritten under its readers.
const DefaultEditWindow = 15 * time.Minute

// editChat is the Edits key of a chat: apart from the group etiquette's keys, which are bare
// chat ids, so that one store can hold both.
func editChat(chatID int64) string { return "edit:" + strconv.FormatInt(chatID, 10) }

// editsOn reports whether edited messages are answered.
func (a *Adapter) editsOn() bool { return a.cfg.EditWindow > 0 && a.cfg.Edits != nil }

// trackForEdits makes m, once sent (or its fallback, when that is sent instead), remembered as
// the reply to the user's message p.msgID for EditWindow.
func (a *Adapter) trackForEdits(p plan, m *outMsg) {
	if !a.editsOn() || p.msgID <= 0 || p.chatID == 0 {
		return
	}
	for _, out := range []*outMsg{m, m.fallback} {
		if out == nil {
			continue
		}
		prev := out.onSent
		out.onSent = func(ctx context.Context, result json.RawMessage) {
			if prev != nil {
				prev(ctx, result)
			}
			a.rememberReply(ctx, p, result)
		}
	}
}

// rememberReply records the sent message in result as the reply to p.msgID.
func (a *Adapter) rememberReply(ctx context.Context, p plan, result json.RawMessage) {
	var sent struct {
		MessageID int `json:"message_id"`
	}
	if json.Unmarshal(result, &sent) != nil || sent.MessageID <= 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	if err := a.cfg.Edits.Remember(ctx, editChat(p.chatID), p.msgID, strconv.Itoa(sent.MessageID), a.cfg.EditWindow); err != nil {
		a.log.Warn("telegram: edit store failed; an edit of this question will get a new reply", "err", a.redactor.redact(err.Error()))
	}
}

// editReplies answers an edited message: within EditWindow of the message being sent, the
// bot's reply to it is edited to answer the new text (falling back to a new reply should that
// one be gone), or, when the bot never replied to it, a new reply is sent. Older edits are
// left alone.
func (a *Adapter) editReplies(ctx context.Context, p plan) []*outMsg {
	if !a.editsOn() {
		return nil
	}
	if p.edited > 0 && p.sent > 0 && time.Duration(p.edited-p.sent)*time.Second > a.cfg.EditWindow {
		a.log.Debug("telegram: an old message was edited; not answered again", "chat", p.chatID)
		return nil
	}
	lctx, cancel := context.WithTimeout(ctx, storeTimeout)
	id, found, err := a.cfg.Edits.Lookup(lctx, editChat(p.chatID), p.msgID)
	cancel()
	if err != nil {
		a.log.Warn("telegram: edit store failed; answering the edit anew", "err", a.redactor.redact(err.Error()))
	}
	replyID, convErr := strconv.Atoi(id)
	known := found && convErr == nil && replyID > 0

	rep := a.handle(ctx, p.req)
	if rep.Kind == bot.ReplySilent {
		return nil
	}
	r := a.renderLogged(rep)
	if r.empty() {
		return nil
	}
	p.replyTo = p.msgID // a new reply shows which question it answers
	fresh := &outMsg{method: "sendMessage", params: a.sendParams(p, r), chatID: p.chatID, group: p.group}
	a.trackForEdits(p, fresh)
	if !known {
		return []*outMsg{fresh}
	}
	params := editParams(r)
	params["chat_id"] = strconv.FormatInt(p.chatID, 10)
	params.AddNonZero("message_id", replyID)
	return []*outMsg{{method: "editMessageText", params: params, chatID: p.chatID, group: p.group, fallback: fresh}}
}

// joinedReplies posts the introduction in the group the bot was added to.
func (a *Adapter) joinedReplies(p plan, rep bot.Reply) []*outMsg {
	if rep.Kind == bot.ReplySilent {
		return nil
	}
	r := a.renderLogged(rep)
	if r.empty() {
		return nil
	}
	return []*outMsg{{method: "sendMessage", params: a.sendParams(p, r), chatID: p.chatID, group: p.group}}
}

// editGone reports whether err is Telegram refusing to edit a message that no longer exists
// (or can no longer be edited).
func editGone(ae *APIError) bool {
	d := strings.ToLower(ae.Description)
	return ae.Code == 400 && (strings.Contains(d, "message to edit not found") || strings.Contains(d, "message can't be edited"))
}
