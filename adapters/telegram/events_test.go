package telegram

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"transcriptbot/adapters/telegram/telegramtest"
	"transcriptbot/bot"
	"transcriptbot/bot/bottest"
)

// chatEnv runs the adapter over the fake Bot API with handler h and offers helpers that push an
// update and wait for the call it must cause.
type chatEnv struct {
	t    *testing.T
	e    *testEnv
	next int
}

func startChat(t *testing.T, h bot.Handler, tweak func(*Config)) *chatEnv {
	t.Helper()
	e := newEnv(t)
	if tweak != nil {
		tweak(&e.cfg)
	}
	a, err := New(t.Context(), e.cfg, h)
	if err != nil {
		t.Fatal(err)
	}
	run(t, a)
	return &chatEnv{t: t, e: e, next: 100}
}

// push sends update u and waits until method has been called successfully once more; it
// returns that call.
func (c *chatEnv) push(u map[string]any, method string) telegramtest.Call {
	c.t.Helper()
	before := c.okCalls(method)
	c.e.fake.Push(u)
	waitFor(c.t, "a "+method+" call", func() bool { return len(c.okCalls(method)) > len(before) })
	return c.okCalls(method)[len(before)]
}

func (c *chatEnv) okCalls(method string) []telegramtest.Call {
	var out []telegramtest.Call
	for _, call := range c.e.fake.Calls(method) {
		if call.OK {
			out = append(out, call)
		}
	}
	return out
}

// say is a new message from user from in chat; it returns the message and its id.
func (c *chatEnv) say(chat map[string]any, from int64, text string) (map[string]any, int) {
	c.next++
	return msg(c.next, chat, from, text), c.next
}

// sentID is the message id the fake gave the message sent by call.
func sentID(t *testing.T, e *testEnv, call telegramtest.Call) int {
	t.Helper()
	// The fake numbers sent messages 1001, 1002, ... in order: count the successful sends up
	// to this one.
	n := 0
	for _, c := range e.fake.Calls("sendMessage") {
		if c.OK {
			n++
		}
		if c.At == call.At && c.Params["text"] == call.Params["text"] {
			return 1000 + n
		}
	}
	t.Fatalf("call %v not found", call)
	return 0
}

func TestEditedQuestionUpdatesTheReply(t *testing.T) {
	c := startChat(t, realBot(t), nil)
	private := privateChat(42)

	m, id := c.say(private, 42, "What is the Shangai sprit?")
	first := c.push(message(m), "sendMessage")
	replyID := sentID(t, c.e, first)

	// The user fixes the typo: the same reply is edited to answer the new text.
	m["text"], m["edit_date"] = "What is the Shanghai spirit?", m["date"].(int)+30
	edit := c.push(map[string]any{"edited_message": m}, "editMessageText")
	if edit.Params["message_id"] != strconv.Itoa(replyID) || edit.Params["chat_id"] != "42" {
		t.Fatalf("edit: got message %s in chat %s, want %d in 42", edit.Params["message_id"], edit.Params["chat_id"], replyID)
	}
	if !strings.Contains(edit.Params["text"], "Shanghai") || !strings.Contains(edit.Params["text"], "<b>") {
		t.Errorf("edited reply %q does not answer the new text", edit.Params["text"])
	}
	if c.e.fake.Count("sendMessage") != 1 {
		t.Errorf("an edit sent a new message besides editing the reply")
	}

	// The reply was deleted meanwhile: the next edit answers anew, replying to the question,
	// and that new reply is the one a later edit updates.
	c.e.fake.Inject("editMessageText", telegramtest.Fault{Status: 400, Description: "Bad Request: message to edit not found"})
	m["text"], m["edit_date"] = "question 3", m["date"].(int)+60
	fresh := c.push(map[string]any{"edited_message": m}, "sendMessage")
	if fresh.Params["reply_to_message_id"] != strconv.Itoa(id) || !strings.HasPrefix(fresh.Params["text"], "<b>3.") {
		t.Fatalf("after the reply was deleted: got %q replying to %s, want answer 3 replying to %d", fresh.Params["text"], fresh.Params["reply_to_message_id"], id)
	}
	m["text"], m["edit_date"] = "question 4", m["date"].(int)+90
	edit = c.push(map[string]any{"edited_message": m}, "editMessageText")
	if edit.Params["message_id"] != strconv.Itoa(sentID(t, c.e, fresh)) || !strings.HasPrefix(edit.Params["text"], "<b>4.") {
		t.Errorf("a later edit: got message %s %q, want the new reply edited to answer 4", edit.Params["message_id"], edit.Params["text"])
	}

	// An edit of a message the bot never answered (sent before it joined, say) is answered.
	m2, _ := c.say(private, 42, "question 2")
	m2["edit_date"] = m2["date"].(int) + 10
	if got := c.push(map[string]any{"edited_message": m2}, "sendMessage"); !strings.HasPrefix(got.Params["text"], "<b>2.") {
		t.Errorf("an edit of an unanswered message: got %q", got.Params["text"])
	}

	// An edit long after the message is left alone: the next message's reply comes first.
	old, _ := c.say(private, 42, "question 5")
	old["edit_date"] = old["date"].(int) + 3600
	c.e.fake.Push(map[string]any{"edited_message": old})
	before := c.e.fake.Count("editMessageText")
	m3, _ := c.say(private, 42, "question 6")
	if got := c.push(message(m3), "sendMessage"); !strings.HasPrefix(got.Params["text"], "<b>6.") {
		t.Fatalf("the message after an old edit: got %q", got.Params["text"])
	}
	for _, s := range sentMessages(c.e.fake) {
		if strings.HasPrefix(s.text, "<b>5.") {
			t.Errorf("an edit beyond the window was answered: %q", s.text)
		}
	}
	if c.e.fake.Count("editMessageText") != before {
		t.Errorf("an edit beyond the window edited a reply")
	}
	if v := c.e.fake.Violations(); len(v) > 0 {
		t.Errorf("the fake Bot API saw violations: %q", v)
	}
}

func TestEditsOff(t *testing.T) {
	c := startChat(t, realBot(t), func(cfg *Config) { cfg.EditWindow = -1 })
	private := privateChat(42)
	m, _ := c.say(private, 42, "question 1")
	c.push(message(m), "sendMessage")
	m["text"], m["edit_date"] = "question 2", m["date"].(int)+5
	c.e.fake.Push(map[string]any{"edited_message": m})
	m2, _ := c.say(private, 42, "question 3")
	c.push(message(m2), "sendMessage") // comes after the edit, which was handled first
	if n := c.e.fake.Count("editMessageText") + c.e.fake.Count("sendMessage"); n != 2 {
		t.Errorf("with edits off, got %d calls, want only the 2 replies", n)
	}
}

func TestAddedToGroupIntroducesItselfOnce(t *testing.T) {
	c := startChat(t, realBot(t), nil)
	grp := groupChat(-100)

	intro := c.push(membership(grp, "left", "member"), "sendMessage")
	if intro.Params["chat_id"] != "-100" {
		t.Fatalf("intro went to chat %s", intro.Params["chat_id"])
	}
	for _, want := range []string{"/ask", "mention me", "reply to one of my messages", "/questions"} {
		if !strings.Contains(intro.Params["text"], want) {
			t.Errorf("intro %q lacks %q", intro.Params["text"], want)
		}
	}
	if intro.Params["reply_to_message_id"] != "" {
		t.Errorf("the intro replies to something: %q", intro.Params["reply_to_message_id"])
	}

	// Promoted, removed, banned: nothing. A mention after them is the next thing said.
	c.e.fake.Push(membership(grp, "member", "administrator"))
	c.e.fake.Push(membership(grp, "administrator", "left"))
	c.e.fake.Push(membership(grp, "left", "kicked"))
	m, _ := c.say(grp, 42, "@ThisBot question 2")
	reply := c.push(message(m), "sendMessage")
	if !strings.HasPrefix(reply.Params["text"], "<b>2.") {
		t.Fatalf("the mention: got %q", reply.Params["text"])
	}
	if n := c.e.fake.Count("sendMessage"); n != 2 {
		t.Errorf("got %d messages, want the intro and the answer only: %v", n, c.e.fake.SentTexts())
	}
}

// TestFollowUpsInTelegram: the bot core's conversation context reaches Telegram users: the next
// message in a private chat, and a reply to the bot's message in a group, refer to the last
// menu shown to that user in that chat.
func TestFollowUpsInTelegram(t *testing.T) {
	b := realBotAt(t, bottest.MenuThreshold)
	query, menu := "", bot.Reply{}
	for _, q := range bottest.MenuCandidates {
		menu = b.Handle(t.Context(), bot.Request{Kind: bot.KindMessage, Text: q, Limits: limits})
		if menu.Kind == bot.ReplyAmbiguous && len(menu.Actions) >= 3 {
			query = q
			break
		}
	}
	if query == "" {
		t.Fatal("no query gives a did-you-mean menu: update bottest.MenuCandidates")
	}
	// The choices' question numbers end their action ids ("<version>:f:8").
	first := menu.Actions[0].ID[strings.LastIndexByte(menu.Actions[0].ID, ':')+1:]
	second := menu.Actions[1].ID[strings.LastIndexByte(menu.Actions[1].ID, ':')+1:]
	if first == "1" {
		t.Fatalf("the menu for %q starts with question 1: the test could not tell a choice from a question number", query)
	}

	c := startChat(t, b, nil)
	private := privateChat(42)
	m, _ := c.say(private, 42, query)
	c.push(message(m), "sendMessage")
	m, _ = c.say(private, 42, "the second one")
	if got := c.push(message(m), "sendMessage"); !strings.HasPrefix(got.Params["text"], "<b>"+second+".") {
		t.Errorf("private chat, the second one: got %q, want answer %s", got.Params["text"], second)
	}
	m, _ = c.say(private, 42, "more")
	if got := c.push(message(m), "sendMessage"); !strings.Contains(got.Params["text"], "whole answer to question "+second) {
		t.Errorf("private chat, more after a whole answer: got %q", got.Params["text"])
	}

	grp := groupChat(-100)
	m, _ = c.say(grp, 7, "@ThisBot "+query)
	menuMsg := c.push(message(m), "sendMessage")
	// The menu as Telegram hands it back inside a reply: with its inline keyboard.
	var keyboard any
	if err := json.Unmarshal([]byte(menuMsg.Params["reply_markup"]), &keyboard); err != nil {
		t.Fatalf("the menu's reply_markup: %v", err)
	}
	own := map[string]any{"message_id": sentID(t, c.e, menuMsg), "date": 1, "chat": grp, "from": c.e.fake.BotUser(),
		"text": "Did you mean…", "reply_markup": keyboard}
	bare := map[string]any{"message_id": sentID(t, c.e, menuMsg), "date": 1, "chat": grp, "from": c.e.fake.BotUser(), "text": "Did you mean…"}

	reply, _ := c.say(grp, 7, "the first one")
	reply["reply_to_message"] = bare // without its buttons: the user's last menu
	if got := c.push(message(reply), "sendMessage"); !strings.HasPrefix(got.Params["text"], "<b>"+first+".") {
		t.Errorf("group reply, the first one: got %q, want answer %s", got.Params["text"], first)
	}
	// Another member replying to the menu picks from it too, as the reply names it.
	other, _ := c.say(grp, 8, "the second one")
	other["reply_to_message"] = own
	if got := c.push(message(other), "sendMessage"); !strings.HasPrefix(got.Params["text"], "<b>"+second+".") {
		t.Errorf("another member replying to the menu: got %q, want answer %s", got.Params["text"], second)
	}
	// A member with no menu of their own, mentioning the bot without replying: question 1.
	third, _ := c.say(grp, 9, "@ThisBot the first one")
	if got := c.push(message(third), "sendMessage"); !strings.HasPrefix(got.Params["text"], "<b>1.") {
		t.Errorf("a member without a menu: got %q, want answer 1", got.Params["text"])
	}
	// "next question" replying to another member's answer counts from that answer, read from
	// its buttons as Telegram hands them back.
	asked, _ := c.say(grp, 10, "@ThisBot What is the Shanghai spirit?")
	answer := c.push(message(asked), "sendMessage")
	if !strings.HasPrefix(answer.Params["text"], "<b>2.") || answer.Params["reply_markup"] == "" {
		t.Fatalf("setup: got %q with buttons %q, want an excerpt of answer 2 with buttons", answer.Params["text"], answer.Params["reply_markup"])
	}
	if err := json.Unmarshal([]byte(answer.Params["reply_markup"]), &keyboard); err != nil {
		t.Fatalf("the answer's reply_markup: %v", err)
	}
	next, _ := c.say(grp, 11, "next question")
	next["reply_to_message"] = map[string]any{"message_id": sentID(t, c.e, answer), "date": 1, "chat": grp,
		"from": c.e.fake.BotUser(), "text": "2. The SCO adheres…", "reply_markup": keyboard}
	if got := c.push(message(next), "sendMessage"); !strings.HasPrefix(got.Params["text"], "<b>3.") {
		t.Errorf("next question replying to answer 2: got %q, want answer 3", got.Params["text"])
	}
}
