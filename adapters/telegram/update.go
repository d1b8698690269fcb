package telegram

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"transcriptbot/bot"
)

// Platform is the bot.Request.Platform value of this adapter.
const Platform = "telegram"

// incoming is one decoded update.
type incoming struct {
	ID  int
	U   tgbotapi.Update
	ext updateExtras
}

// updateExtras are fields telegram-bot-api v5.5.1 does not know (forum topics).
type updateExtras struct {
	Message       *msgExtras `json:"message"`
	EditedMessage *msgExtras `json:"edited_message"`
	CallbackQuery *struct {
		Message *msgExtras `json:"message"`
	} `json:"callback_query"`
}

type msgExtras struct {
	ThreadID int  `json:"message_thread_id"`
	IsTopic  bool `json:"is_topic_message"`
}

// topic returns the forum topic to reply in, 0 for none.
func (m *msgExtras) topic() int {
	if m == nil || !m.IsTopic {
		return 0
	}
	return m.ThreadID
}

// decodeUpdate decodes one update. It fails only when the update has no usable update_id;
// an update whose body the library cannot decode comes back with ok=false and its id, so it
// can be confirmed and skipped rather than redelivered forever.
func decodeUpdate(raw []byte) (in *incoming, ok bool, err error) {
	var id struct {
		UpdateID *int `json:"update_id"`
	}
	if err := json.Unmarshal(raw, &id); err != nil {
		return nil, false, err
	}
	if id.UpdateID == nil || *id.UpdateID < 0 {
		return nil, false, errNoUpdateID
	}
	in = &incoming{ID: *id.UpdateID}
	if json.Unmarshal(raw, &in.U) != nil {
		return in, false, nil
	}
	_ = json.Unmarshal(raw, &in.ext) // optional fields; a mismatch leaves them zero
	return in, true, nil
}

// errNoUpdateID: the update has no usable update_id, so it cannot be confirmed or deduplicated.
var errNoUpdateID = errors.New("update has no update_id")

// planKind says what to do with an update.
type planKind int

const (
	planIgnore planKind = iota
	planMessage
	planCallback
	planInline
	planEdit   // an edited message: update the earlier reply, or answer anew
	planJoined // the bot was added to a group: introduce itself once
)

// plan is the routing decision for one update: the bot request and where the answer goes.
type plan struct {
	kind   planKind
	why    string // for ignored updates, a debug reason
	req    bot.Request
	chatID int64
	group  bool
	thread int // forum topic, 0 for none
	// replyTo is the message the answer replies to (0: none).
	replyTo int
	// msgID is the user's message being answered (messages and edits); sent and edited are
	// its date and, for an edit, the edit's date (Unix seconds, Telegram's clock).
	msgID, sent, edited int
	callbackID          string
	inlineID            string
	// For button presses: the message carrying the button, to edit it in place when the
	// answer is a page turn (origMsgID, origText), or the inline-mode message (inlineMsgID).
	origMsgID   int
	origText    string
	inlineMsgID string
}

// groupCommands are the commands answered in groups when not addressed with @bot (Telegram
// shows "/help" and friends without the suffix when only one bot is in the group).
// "use" is an archive's (Config.Archive); a bot of one transcript answers it as unknown.
var groupCommands = map[string]bool{"start": true, "help": true, "ask": true, "answer": true, "questions": true, "use": true}

// route decides how to answer u. self is the bot's own user; it never panics on any shape.
func route(u *incoming, self tgbotapi.User) plan {
	switch {
	case u.U.Message != nil:
		return routeMessage(u.U.Message, u.ext.Message, self)
	case u.U.CallbackQuery != nil:
		return routeCallback(u.U.CallbackQuery, u.ext, self)
	case u.U.InlineQuery != nil:
		q := u.U.InlineQuery
		p := plan{kind: planInline, inlineID: q.ID}
		p.req = bot.Request{Kind: bot.KindInline, Platform: Platform, Text: strings.TrimSpace(q.Query), Limits: limits}
		if q.From != nil {
			p.req.UserID = strconv.FormatInt(q.From.ID, 10)
			p.req.Locale = q.From.LanguageCode
		}
		if q.ID == "" {
			return plan{why: "inline query without id"}
		}
		return p
	case u.U.EditedMessage != nil:
		p := routeMessage(u.U.EditedMessage, u.ext.EditedMessage, self)
		if p.kind != planMessage {
			return p
		}
		m := u.U.EditedMessage
		p.kind, p.msgID, p.sent, p.edited = planEdit, m.MessageID, m.Date, m.EditDate
		return p
	case u.U.MyChatMember != nil:
		return routeMembership(u.U.MyChatMember, self)
	case u.U.ChannelPost != nil, u.U.EditedChannelPost != nil:
		return plan{why: "channel post"}
	}
	return plan{why: "unhandled update type"}
}

func routeCallback(cq *tgbotapi.CallbackQuery, ext updateExtras, self tgbotapi.User) plan {
	p := plan{kind: planCallback, callbackID: cq.ID, inlineMsgID: cq.InlineMessageID}
	if cq.ID == "" {
		return plan{why: "callback query without id"}
	}
	p.req = bot.Request{Kind: bot.KindButton, Platform: Platform, Action: cq.Data, Limits: limits}
	if cq.From != nil {
		p.req.UserID = strconv.FormatInt(cq.From.ID, 10)
		p.req.Locale = cq.From.LanguageCode
	}
	// An inline-mode message's buttons come without Message: the answer goes in the callback
	// answer instead (chatID stays 0).
	if m := cq.Message; m != nil && m.Chat != nil {
		p.chatID = m.Chat.ID
		p.req.ChatID = strconv.FormatInt(m.Chat.ID, 10)
		p.req.Private = m.Chat.IsPrivate()
		p.group = m.Chat.IsGroup() || m.Chat.IsSuperGroup()
		if ext.CallbackQuery != nil {
			p.thread = ext.CallbackQuery.Message.topic()
		}
		if p.group {
			p.replyTo = m.MessageID
		}
		p.origMsgID, p.origText = m.MessageID, m.Text
	}
	return p
}

func routeMessage(m *tgbotapi.Message, ext *msgExtras, self tgbotapi.User) plan {
	if m.Chat == nil {
		return plan{why: "message without chat"}
	}
	if m.From != nil && m.From.ID == self.ID {
		return plan{why: "own message"}
	}
	chat := m.Chat
	p := plan{
		kind:   planMessage,
		chatID: chat.ID,
		group:  chat.IsGroup() || chat.IsSuperGroup(),
		thread: ext.topic(),
	}
	if !chat.IsPrivate() && !p.group {
		return plan{why: "message in a " + chat.Type}
	}
	p.req = bot.Request{
		Platform: Platform,
		Private:  chat.IsPrivate(),
		ChatID:   strconv.FormatInt(chat.ID, 10),
		Limits:   limits,
	}
	switch {
	case m.From != nil:
		p.req.UserID = strconv.FormatInt(m.From.ID, 10)
		p.req.Locale = m.From.LanguageCode
	case m.SenderChat != nil: // anonymous group admin or a linked channel
		p.req.UserID = strconv.FormatInt(m.SenderChat.ID, 10)
	}
	if p.group {
		p.replyTo = m.MessageID
	}
	p.msgID, p.sent = m.MessageID, m.Date
	p.req.InReplyTo = repliedButtons(m, self)
	text := m.Text
	if text == "" {
		text = m.Caption
	}

	if name, target, args, ok := parseCommand(text); ok {
		if target != "" && !strings.EqualFold(target, self.UserName) {
			return plan{why: "command for another bot"}
		}
		if p.group && target == "" && !groupCommands[name] && !isQCommand(name) {
			return plan{why: "unaddressed unknown command in a group"}
		}
		p.req.Kind = bot.KindCommand
		p.req.Command = name
		p.req.Text = args
		switch {
		case name == "start" && isQCommand(args):
			// Deep link t.me/ThisBot?start=q3 opens answer 3.
			p.req.Command, p.req.Text = "answer", args[1:]
		case name == "ask" && args == "":
			if q, id, ok := repliedText(m, self); ok {
				p.req.Text, p.req.IsReply, p.replyTo = q, true, id
			}
		}
		return p
	}

	if rest, ok := stripMention(text, self.UserName); ok {
		p.req.Kind = bot.KindMention
		p.req.Text = rest
		if rest == "" { // "@ThisBot" alone, replying to a question: answer that message
			if q, id, ok := repliedText(m, self); ok {
				p.req.Text, p.req.IsReply, p.replyTo = q, true, id
			}
		}
		return p
	}
	if chat.IsPrivate() {
		p.req.Kind = bot.KindMessage
		p.req.Text = text
		return p
	}
	// In groups, a reply to one of the bot's own messages is a follow-up question.
	if r := m.ReplyToMessage; r != nil && r.From != nil && r.From.ID == self.ID && text != "" {
		p.req.Kind = bot.KindMessage
		p.req.Text = text
		return p
	}
	return plan{why: "group message not addressed to the bot"}
}

// routeMembership answers a change of the bot's own membership: added to a group (from
// outside it) is an introduction, posted once; removed, promoted, restricted, or anything in a
// private chat (a user blocking or unblocking the bot) or a channel says nothing.
func routeMembership(cm *tgbotapi.ChatMemberUpdated, self tgbotapi.User) plan {
	chat := cm.Chat
	if !chat.IsGroup() && !chat.IsSuperGroup() {
		return plan{why: "membership change outside a group"}
	}
	if u := cm.NewChatMember.User; u != nil && u.ID != self.ID {
		return plan{why: "membership change of another user"}
	}
	was, is := cm.OldChatMember.Status, cm.NewChatMember.Status
	outside := was == "" || was == "left" || was == "kicked"
	inside := is == "member" || is == "administrator"
	switch {
	case is == "left" || is == "kicked":
		return plan{why: "removed from a group"}
	case !inside || !outside:
		return plan{why: "membership change within a group (" + was + " to " + is + ")"}
	}
	p := plan{kind: planJoined, chatID: chat.ID, group: true}
	p.req = bot.Request{Kind: bot.KindJoined, Platform: Platform, ChatID: strconv.FormatInt(chat.ID, 10), Limits: limits}
	if cm.From.ID != 0 {
		p.req.UserID = strconv.FormatInt(cm.From.ID, 10)
		p.req.Locale = cm.From.LanguageCode
	}
	return p
}

// repliedButtons returns the callback data of the buttons on the bot's own message that m
// replies to, so that "the first one" picks from that message's menu.
func repliedButtons(m *tgbotapi.Message, self tgbotapi.User) []string {
	r := m.ReplyToMessage
	if r == nil || r.From == nil || r.From.ID != self.ID || r.ReplyMarkup == nil {
		return nil
	}
	var ids []string
	for _, row := range r.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if b.CallbackData != nil && *b.CallbackData != "" {
				ids = append(ids, *b.CallbackData)
			}
		}
	}
	return ids
}

// repliedText returns the text of the message m replies to, unless that is the bot's own.
func repliedText(m *tgbotapi.Message, self tgbotapi.User) (string, int, bool) {
	r := m.ReplyToMessage
	if r == nil || (r.From != nil && r.From.ID == self.ID) {
		return "", 0, false
	}
	t := r.Text
	if t == "" {
		t = r.Caption
	}
	t = strings.TrimSpace(t)
	if t == "" {
		return "", 0, false
	}
	return t, r.MessageID, true
}

// isQCommand reports whether s is "q" followed by digits, as in /q3 or the deep link q3.
func isQCommand(s string) bool {
	if len(s) < 2 || (s[0] != 'q' && s[0] != 'Q') || len(s) > 12 {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isCommandChar(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// parseCommand splits "/name@target args" as Telegram's bot_command entity does. It does not
// trust entities (whose lengths are UTF-16 and may not match the text).
func parseCommand(text string) (name, target, args string, ok bool) {
	if len(text) < 2 || text[0] != '/' {
		return "", "", "", false
	}
	i := 1
	for i < len(text) && isCommandChar(text[i]) {
		i++
	}
	if i == 1 || i-1 > 32 {
		return "", "", "", false
	}
	name = strings.ToLower(text[1:i])
	if i < len(text) && text[i] == '@' {
		j := i + 1
		for j < len(text) && isCommandChar(text[j]) {
			j++
		}
		if j == i+1 {
			return "", "", "", false
		}
		target = text[i+1 : j]
		i = j
	}
	if i < len(text) && !isSpace(text[i]) {
		return "", "", "", false // "/path/to" or "/3rd-party": not a command
	}
	return name, target, strings.TrimSpace(text[i:]), true
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// stripMention removes "@username" (ASCII case-insensitive, as a whole word) from text and
// reports whether it was there.
func stripMention(text, username string) (string, bool) {
	if username == "" {
		return text, false
	}
	needle := "@" + username
	found := false
	var sb strings.Builder
	for i := 0; i < len(text); {
		if text[i] == '@' && len(text)-i >= len(needle) && asciiEqualFold(text[i:i+len(needle)], needle) &&
			(i+len(needle) == len(text) || !isCommandChar(text[i+len(needle)])) &&
			(i == 0 || !isCommandChar(text[i-1])) {
			found = true
			i += len(needle)
			continue
		}
		sb.WriteByte(text[i])
		i++
	}
	if !found {
		return text, false
	}
	rest := strings.Join(strings.Fields(sb.String()), " ")
	rest = strings.TrimLeft(rest, ",:;-— ")
	return strings.TrimSpace(rest), true
}

func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
