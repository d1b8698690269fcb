package telegram

import (
	"encoding/json"
	"fmt"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"transcriptbot/bot"
)

var testSelf = tgbotapi.User{ID: 777, IsBot: true, FirstName: "This", UserName: "ThisBot"}

func decodeTest(t *testing.T, obj map[string]any) *incoming {
	t.Helper()
	obj["update_id"] = 10
	raw, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	in, ok, err := decodeUpdate(raw)
	if err != nil || !ok {
		t.Fatalf("decodeUpdate(%s): ok=%v err=%v", raw, ok, err)
	}
	return in
}

func TestRoute(t *testing.T) {
	own := map[string]any{"id": 777, "is_bot": true, "first_name": "This", "username": "ThisBot"}
	replyTo := func(m map[string]any, r map[string]any) map[string]any { m["reply_to_message"] = r; return m }
	topic := func(m map[string]any, thread int) map[string]any {
		m["message_thread_id"] = thread
		m["is_topic_message"] = true
		return m
	}
	grp := groupChat(-100)
	tests := []struct {
		name    string
		update  map[string]any
		kind    planKind
		req     bot.Request // compared on Kind, Command, Text, Action, IsReply, Private
		chat    int64
		thread  int
		replyTo int
	}{
		{name: "private message is a question", update: message(msg(5, privateChat(42), 42, "what about hong kong?")),
			kind: planMessage, req: bot.Request{Kind: bot.KindMessage, Text: "what about hong kong?", Private: true}, chat: 42},
		{name: "private /ask", update: message(msg(5, privateChat(42), 42, "/ask trade talks")),
			kind: planMessage, req: bot.Request{Kind: bot.KindCommand, Command: "ask", Text: "trade talks", Private: true}, chat: 42},
		{name: "deep link opens an answer", update: message(msg(5, privateChat(42), 42, "/start q3")),
			kind: planMessage, req: bot.Request{Kind: bot.KindCommand, Command: "answer", Text: "3", Private: true}, chat: 42},
		{name: "plain /start", update: message(msg(5, privateChat(42), 42, "/start")),
			kind: planMessage, req: bot.Request{Kind: bot.KindCommand, Command: "start", Private: true}, chat: 42},
		{name: "private unknown command goes to the bot", update: message(msg(5, privateChat(42), 42, "/q12")),
			kind: planMessage, req: bot.Request{Kind: bot.KindCommand, Command: "q12", Private: true}, chat: 42},
		{name: "group command for this bot, any case", update: message(msg(6, grp, 42, "/answer@thisbot 3")),
			kind: planMessage, req: bot.Request{Kind: bot.KindCommand, Command: "answer", Text: "3"}, chat: -100, replyTo: 6},
		{name: "group command for another bot", update: message(msg(6, grp, 42, "/answer@OtherBot 3")), kind: planIgnore},
		{name: "group unaddressed known command", update: message(msg(6, grp, 42, "/help")),
			kind: planMessage, req: bot.Request{Kind: bot.KindCommand, Command: "help"}, chat: -100, replyTo: 6},
		{name: "group unaddressed unknown command", update: message(msg(6, grp, 42, "/ban someone")), kind: planIgnore},
		{name: "group plain message ignored", update: message(msg(6, grp, 42, "hello all")), kind: planIgnore},
		{name: "group mention", update: message(msg(6, grp, 42, "@ThisBot, what about Hong Kong?")),
			kind: planMessage, req: bot.Request{Kind: bot.KindMention, Text: "what about Hong Kong?"}, chat: -100, replyTo: 6},
		{name: "mention of a longer username is not ours", update: message(msg(6, grp, 42, "@ThisBotFan hi")), kind: planIgnore},
		{name: "/ask as a reply answers the replied message", update: message(replyTo(msg(9, grp, 42, "/ask@ThisBot"), msg(4, grp, 43, "Is the border open?"))),
			kind: planMessage, req: bot.Request{Kind: bot.KindCommand, Command: "ask", Text: "Is the border open?", IsReply: true}, chat: -100, replyTo: 4},
		{name: "/ask with text as a reply asks the text", update: message(replyTo(msg(9, grp, 42, "/ask tariffs"), msg(4, grp, 43, "Is the border open?"))),
			kind: planMessage, req: bot.Request{Kind: bot.KindCommand, Command: "ask", Text: "tariffs"}, chat: -100, replyTo: 9},
		{name: "bare mention as a reply answers the replied message", update: message(replyTo(msg(9, grp, 42, "@ThisBot"), msg(4, grp, 43, "Is the border open?"))),
			kind: planMessage, req: bot.Request{Kind: bot.KindMention, Text: "Is the border open?", IsReply: true}, chat: -100, replyTo: 4},
		{name: "reply to the bot's own message is a follow-up", update: message(replyTo(msg(9, grp, 42, "and the economy?"), map[string]any{"message_id": 3, "date": 1, "chat": grp, "from": own, "text": "answer"})),
			kind: planMessage, req: bot.Request{Kind: bot.KindMessage, Text: "and the economy?"}, chat: -100, replyTo: 9},
		{name: "forum topic kept", update: message(topic(msg(6, grp, 42, "/ask@ThisBot visas"), 55)),
			kind: planMessage, req: bot.Request{Kind: bot.KindCommand, Command: "ask", Text: "visas"}, chat: -100, thread: 55, replyTo: 6},
		{name: "reply thread in a non-forum group is not a topic", update: message(func() map[string]any { m := msg(6, grp, 42, "/help"); m["message_thread_id"] = 4; return m }()),
			kind: planMessage, req: bot.Request{Kind: bot.KindCommand, Command: "help"}, chat: -100, replyTo: 6},
		{name: "own message ignored", update: message(map[string]any{"message_id": 1, "date": 1, "chat": privateChat(42), "from": own, "text": "hi"}), kind: planIgnore},
		{name: "message without chat", update: message(map[string]any{"message_id": 1, "date": 1, "text": "hi"}), kind: planIgnore},
		{name: "anonymous admin without from", update: message(func() map[string]any {
			m := msg(6, grp, 0, "@ThisBot 3")
			m["sender_chat"] = grp
			return m
		}()), kind: planMessage, req: bot.Request{Kind: bot.KindMention, Text: "3"}, chat: -100, replyTo: 6},
		{name: "private photo with caption", update: message(map[string]any{"message_id": 1, "date": 1, "chat": privateChat(42), "from": user(42), "caption": "what is this?", "photo": []any{}}),
			kind: planMessage, req: bot.Request{Kind: bot.KindMessage, Text: "what is this?", Private: true}, chat: 42},
		{name: "edited message", update: map[string]any{"edited_message": msg(5, privateChat(42), 42, "edit")},
			kind: planEdit, req: bot.Request{Kind: bot.KindMessage, Text: "edit", Private: true}, chat: 42},
		{name: "edited mention in a group", update: map[string]any{"edited_message": msg(5, grp, 42, "@ThisBot edit")},
			kind: planEdit, req: bot.Request{Kind: bot.KindMention, Text: "edit"}, chat: -100, replyTo: 5},
		{name: "edited group message not addressed ignored", update: map[string]any{"edited_message": msg(5, grp, 42, "edit")}, kind: planIgnore},
		{name: "added to a group", update: membership(grp, "left", "member"),
			kind: planJoined, req: bot.Request{Kind: bot.KindJoined}, chat: -100},
		{name: "added to a group as admin", update: membership(grp, "kicked", "administrator"),
			kind: planJoined, req: bot.Request{Kind: bot.KindJoined}, chat: -100},
		{name: "removed from a group says nothing", update: membership(grp, "member", "left"), kind: planIgnore},
		{name: "banned from a group says nothing", update: membership(grp, "administrator", "kicked"), kind: planIgnore},
		{name: "promoted in a group says nothing", update: membership(grp, "member", "administrator"), kind: planIgnore},
		{name: "blocked in a private chat says nothing", update: membership(privateChat(42), "member", "kicked"), kind: planIgnore},
		{name: "unblocked in a private chat says nothing", update: membership(privateChat(42), "kicked", "member"), kind: planIgnore},
		{name: "added to a channel says nothing", update: membership(map[string]any{"id": -200, "type": "channel"}, "left", "administrator"), kind: planIgnore},
		{name: "channel post without sender ignored", update: map[string]any{"channel_post": msg(5, map[string]any{"id": -200, "type": "channel"}, 0, "@ThisBot hi")}, kind: planIgnore},
		{name: "message in a channel ignored", update: message(msg(5, map[string]any{"id": -200, "type": "channel"}, 0, "@ThisBot hi")), kind: planIgnore},
		{name: "callback in a chat", update: map[string]any{"callback_query": map[string]any{"id": "cb1", "from": user(42), "chat_instance": "x", "data": "full:abcd:3",
			"message": topic(map[string]any{"message_id": 70, "date": 1, "chat": grp, "from": own, "text": "answer"}, 55)}},
			kind: planCallback, req: bot.Request{Kind: bot.KindButton, Action: "full:abcd:3"}, chat: -100, thread: 55, replyTo: 70},
		{name: "callback from an inline message has no chat", update: map[string]any{"callback_query": map[string]any{"id": "cb2", "from": user(42), "chat_instance": "x", "data": "full:abcd:3", "inline_message_id": "im"}},
			kind: planCallback, req: bot.Request{Kind: bot.KindButton, Action: "full:abcd:3"}},
		{name: "inline query", update: map[string]any{"inline_query": map[string]any{"id": "iq", "from": user(42), "query": " hong kong ", "offset": ""}},
			kind: planInline, req: bot.Request{Kind: bot.KindInline, Text: "hong kong"}},
		{name: "poll update ignored", update: map[string]any{"poll": map[string]any{"id": "p", "question": "?", "options": []any{}}}, kind: planIgnore},
		{name: "empty update ignored", update: map[string]any{}, kind: planIgnore},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := decodeTest(t, tc.update)
			p := route(in, testSelf)
			if p.kind != tc.kind {
				t.Fatalf("kind: got %d (%s), want %d", p.kind, p.why, tc.kind)
			}
			if p.kind == planIgnore {
				return
			}
			got := fmt.Sprintf("%d|%s|%s|%s|%v|%v", p.req.Kind, p.req.Command, p.req.Text, p.req.Action, p.req.IsReply, p.req.Private)
			want := fmt.Sprintf("%d|%s|%s|%s|%v|%v", tc.req.Kind, tc.req.Command, tc.req.Text, tc.req.Action, tc.req.IsReply, tc.req.Private)
			if got != want {
				t.Errorf("request: got %q, want %q", got, want)
			}
			if p.req.Platform != "telegram" {
				t.Errorf("platform: got %q, want %q", p.req.Platform, "telegram")
			}
			if p.req.Limits.Body <= 0 || p.req.Limits.Body+headerBudget > MaxMessageLen {
				t.Errorf("limits: got %+v", p.req.Limits)
			}
			where := fmt.Sprintf("chat %d thread %d reply %d", p.chatID, p.thread, p.replyTo)
			wantWhere := fmt.Sprintf("chat %d thread %d reply %d", tc.chat, tc.thread, tc.replyTo)
			if where != wantWhere {
				t.Errorf("destination: got %q, want %q", where, wantWhere)
			}
		})
	}
}

func TestParseCommand(t *testing.T) {
	tests := []struct{ in, name, target, args string }{
		{"/start", "start", "", ""},
		{"/Answer@ThisBot  3 ", "answer", "ThisBot", "3"},
		{"/ask\nmultiline question", "ask", "", "multiline question"},
		{"/path/to/file", "", "", ""},
		{"/ what", "", "", ""},
		{"/@bot", "", "", ""},
		{"/ask@ hi", "", "", ""},
		{"/" + string(make([]byte, 0)) + "x", "x", "", ""},
		{"hello /ask", "", "", ""},
	}
	for _, tc := range tests {
		name, target, args, _ := parseCommand(tc.in)
		got := name + "|" + target + "|" + args
		want := tc.name + "|" + tc.target + "|" + tc.args
		if got != want {
			t.Errorf("parseCommand(%q): got %q, want %q", tc.in, got, want)
		}
	}
}

func TestStripMention(t *testing.T) {
	tests := []struct {
		in, want string
		found    bool
	}{
		{"@ThisBot what about X", "what about X", true},
		{"what about X @thisbot?", "what about X ?", true},
		{"@ThisBot: 3", "3", true},
		{"@ThisBot", "", true},
		{"@ThisBotFan hi", "@ThisBotFan hi", false},
		{"mail@ThisBot.example", "mail@ThisBot.example", false},
		{"no mention", "no mention", false},
	}
	for _, tc := range tests {
		got, found := stripMention(tc.in, "ThisBot")
		if got != tc.want || found != tc.found {
			t.Errorf("stripMention(%q): got %q %v, want %q %v", tc.in, got, found, tc.want, tc.found)
		}
	}
}

func TestDecodeUpdate(t *testing.T) {
	tests := []struct {
		raw    string
		ok     bool
		hasErr bool
	}{
		{`{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"text":"hi"}}`, true, false},
		{`{"update_id":2,"message":5}`, false, false}, // library cannot decode: skipped, not retried
		{`{"update_id":3,"some_future_type":{"x":1}}`, true, false},
		{`{"message":{}}`, false, true},
		{`{"update_id":-1}`, false, true},
		{`[1,2]`, false, true},
		{`null`, false, true},
		{`{"update_id":"7"}`, false, true},
	}
	for _, tc := range tests {
		_, ok, err := decodeUpdate([]byte(tc.raw))
		if ok != tc.ok || (err != nil) != tc.hasErr {
			t.Errorf("decodeUpdate(%s): got ok=%v err=%v, want ok=%v err=%v", tc.raw, ok, err, tc.ok, tc.hasErr)
		}
	}
}

func BenchmarkRoute(b *testing.B) {
	raw := []byte(`{"update_id":1,"message":{"message_id":9,"date":1,"chat":{"id":-100,"type":"supergroup"},"from":{"id":42,"is_bot":false,"first_name":"U"},"text":"@ThisBot what about hong kong and the security law?"}}`)
	b.ReportAllocs()
	for b.Loop() {
		in, _, _ := decodeUpdate(raw)
		_ = route(in, testSelf)
	}
}

// membership is a my_chat_member update: the bot's status in chat went from was to is.
func membership(chat map[string]any, was, is string) map[string]any {
	bot := map[string]any{"id": testSelf.ID, "is_bot": true, "first_name": "This", "username": testSelf.UserName}
	return map[string]any{"my_chat_member": map[string]any{
		"chat": chat, "from": user(42), "date": 1700000000,
		"old_chat_member": map[string]any{"user": bot, "status": was},
		"new_chat_member": map[string]any{"user": bot, "status": is},
	}}
}
