package telegram

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"transcriptbot/adapters/recent"
	"transcriptbot/adapters/telegram/telegramtest"
	"transcriptbot/bot"
)

// countingStore counts the answers remembered, so a test can wait until the adapter has
// recorded an answer (after its sendMessage returned) before the next step reads the record
// or moves the clock.
type countingStore struct {
	recent.Store
	n atomic.Int64
}

func (c *countingStore) Remember(ctx context.Context, chat string, question int, messageID string, ttl time.Duration) error {
	defer c.n.Add(1)
	return c.Store.Remember(ctx, chat, question, messageID, ttl)
}

// fakeClock is a settable clock for the recent-answer store.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// numberedReply answers "about N" with an excerpt of question N and "/answer N" with its full
// answer (page 1 of 2), so that tests choose the question.
func numberedReply(req bot.Request) bot.Reply {
	if req.Kind == bot.KindCommand && req.Command == "answer" {
		n, _ := strconv.Atoi(req.Text)
		return bot.Reply{Kind: bot.ReplyByNumber, Number: n, Question: "Question " + req.Text,
			Body: []bot.Span{{Text: "The full answer " + req.Text + "."}}, Page: 1, Pages: 2,
			Actions: []bot.Action{{ID: "page:abcd1234:" + req.Text + ":2", Label: "Next"}}}
	}
	_, num, _ := strings.Cut(req.Text, "about ")
	n, err := strconv.Atoi(strings.TrimSpace(num))
	if err != nil {
		return bot.Reply{Kind: bot.ReplyNotCovered, Body: []bot.Span{{Text: "Not covered."}}}
	}
	return bot.Reply{Kind: bot.ReplyAnswer, Number: n, Question: "Question " + num,
		Body: []bot.Span{{Text: "Excerpt of answer " + num + "."}}, Page: 1, Pages: 1}
}

// repeatStep is one message sent to the bot and what must come back.
type repeatStep struct {
	chat    map[string]any
	thread  int           // forum topic of the message, 0 for none
	text    string        // the message
	advance time.Duration // moves the clock forward before the message
	gone    bool          // the earlier answer was deleted: the pointer is refused
	// pointTo is the step whose answer the reply must point to; -1 for a full answer.
	pointTo int
}

func TestGroupRepeatPointer(t *testing.T) {
	grp, other, priv := groupChat(-100), groupChat(-200), privateChat(42)
	tests := []struct {
		name  string
		steps []repeatStep
	}{
		{"same question twice in a group: a pointer to the first answer", []repeatStep{
			{chat: grp, text: "@ThisBot about 3", pointTo: -1},
			{chat: grp, text: "@ThisBot tell me about 3", pointTo: 0},
			{chat: grp, text: "/ask@ThisBot about 3", pointTo: 0},
		}},
		{"same question twice in a private chat: the answer twice", []repeatStep{
			{chat: priv, text: "about 3", pointTo: -1},
			{chat: priv, text: "about 3", pointTo: -1},
		}},
		{"after the window: the answer again, then pointers to that one", []repeatStep{
			{chat: grp, text: "@ThisBot about 3", pointTo: -1},
			{chat: grp, text: "@ThisBot about 3", pointTo: 0, advance: 4 * time.Minute},
			{chat: grp, text: "@ThisBot about 3", pointTo: -1, advance: 2 * time.Minute},
			{chat: grp, text: "@ThisBot about 3", pointTo: 2, advance: time.Minute},
		}},
		{"another question: answered", []repeatStep{
			{chat: grp, text: "@ThisBot about 3", pointTo: -1},
			{chat: grp, text: "@ThisBot about 4", pointTo: -1},
			{chat: grp, text: "@ThisBot about 4", pointTo: 1},
		}},
		{"another group: answered", []repeatStep{
			{chat: grp, text: "@ThisBot about 3", pointTo: -1},
			{chat: other, text: "@ThisBot about 3", pointTo: -1},
		}},
		{"the full answer after an excerpt: answered; an excerpt after it: a pointer to it", []repeatStep{
			{chat: grp, text: "@ThisBot about 3", pointTo: -1},
			{chat: grp, text: "/answer@ThisBot 3", pointTo: -1},
			{chat: grp, text: "/answer@ThisBot 3", pointTo: 1},
			{chat: grp, text: "@ThisBot about 3", pointTo: 1},
		}},
		{"forum topics: a pointer in the same topic only", []repeatStep{
			{chat: grp, thread: 7, text: "@ThisBot about 3", pointTo: -1},
			{chat: grp, thread: 8, text: "@ThisBot about 3", pointTo: -1},
			{chat: grp, thread: 7, text: "@ThisBot about 3", pointTo: 0},
		}},
		{"the earlier answer was deleted: answered in full", []repeatStep{
			{chat: grp, text: "@ThisBot about 3", pointTo: -1},
			{chat: grp, text: "@ThisBot about 3", pointTo: -1, gone: true},
			{chat: grp, text: "@ThisBot about 3", pointTo: 1},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.h.reply = numberedReply
			clock := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
			store := &countingStore{Store: recent.NewMemory(recent.MemoryOptions{Now: clock.Now})}
			e.cfg.Recent = store
			e.cfg.RepeatWindow = 5 * time.Minute
			a := e.adapter(t)
			stop := run(t, a)
			var answerIDs []int // the message id that answered each step
			for i, st := range tc.steps {
				clock.advance(st.advance)
				if st.gone {
					e.fake.Inject("sendMessage", telegramtest.Fault{Status: 400, Description: "Bad Request: message to be replied not found"})
				}
				before, remembered := len(e.fake.SentTexts()), store.n.Load()
				m := msg(100+i, st.chat, 43, st.text)
				if st.thread != 0 {
					m["message_thread_id"], m["is_topic_message"] = st.thread, true
				}
				e.fake.Push(message(m))
				waitFor(t, "the reply to step "+strconv.Itoa(i), func() bool { return len(e.fake.SentTexts()) == before+1 })
				var sent []telegramtest.Call
				for _, c := range e.fake.Calls("sendMessage") {
					if c.OK {
						sent = append(sent, c)
					}
				}
				last := sent[len(sent)-1].Params
				id := 1001 + len(sent) - 1 // the fake numbers sent messages from 1001
				if got, want := last["message_thread_id"], strconv.Itoa(st.thread); st.thread != 0 && got != want {
					t.Errorf("step %d: message_thread_id %q, want %q", i, got, want)
				}
				if st.pointTo < 0 {
					// The answer is remembered once its sendMessage has returned, a moment
					// after the fake counted it: the next step must not start before.
					if st.chat["type"] != "private" {
						waitFor(t, "the answer of step "+strconv.Itoa(i)+" remembered", func() bool { return store.n.Load() > remembered })
					}
					if strings.Contains(last["text"], "Asked and answered") {
						t.Errorf("step %d: got a pointer %q, want the answer", i, last["text"])
					}
					if st.chat["type"] != "private" && last["reply_to_message_id"] != strconv.Itoa(100+i) {
						t.Errorf("step %d: the answer replies to %q, want the question %d", i, last["reply_to_message_id"], 100+i)
					}
					answerIDs = append(answerIDs, id)
					continue
				}
				answerIDs = append(answerIDs, answerIDs[st.pointTo])
				if !strings.HasPrefix(last["text"], "Asked and answered a moment ago") || !strings.Contains(last["text"], "question 3") && !strings.Contains(last["text"], "question 4") {
					t.Errorf("step %d: got %q, want a pointer", i, last["text"])
				}
				if got, want := last["reply_to_message_id"], strconv.Itoa(answerIDs[st.pointTo]); got != want {
					t.Errorf("step %d: the pointer replies to %q, want %s (the answer of step %d)", i, got, want, st.pointTo)
				}
				if last["allow_sending_without_reply"] == "true" || last["reply_markup"] != "" {
					t.Errorf("step %d: pointer params %v", i, last)
				}
			}
			if err := stop(); err != nil {
				t.Fatalf("Run: %v", err)
			}
			if p := e.fake.Violations(); len(p) > 0 {
				t.Errorf("invalid requests: %q", p)
			}
			if got := e.fake.Pending(); got != 0 {
				t.Errorf("unconfirmed updates: got %d, want 0", got)
			}
		})
	}
}

// TestGroupRepeatButtonAndOff: a "full answer" button in a group points to a full answer
// given a moment ago (with the default in-memory store); with no window nothing is ever
// pointed to.
func TestGroupRepeatButtonAndOff(t *testing.T) {
	for _, window := range []time.Duration{recent.DefaultTTL, 0, -1} {
		t.Run("window "+window.String(), func(t *testing.T) {
			e := newEnv(t)
			e.cfg.RepeatWindow = window
			e.h.reply = func(req bot.Request) bot.Reply {
				if req.Kind == bot.KindButton {
					return numberedReply(bot.Request{Kind: bot.KindCommand, Command: "answer", Text: "5"})
				}
				return numberedReply(req)
			}
			a := e.adapter(t)
			stop := run(t, a)
			e.fake.Push(message(msg(1, groupChat(-100), 43, "/answer@ThisBot 5")))
			waitFor(t, "the answer", func() bool { return len(e.fake.SentTexts()) == 1 })
			e.fake.Push(map[string]any{"callback_query": map[string]any{"id": "cb1", "from": user(44), "chat_instance": "x", "data": "full:abcd1234:5",
				"message": map[string]any{"message_id": 9, "date": 1, "chat": groupChat(-100), "text": "5. Question 5\n\nExcerpt"}}})
			waitFor(t, "the button's reply", func() bool { return len(e.fake.SentTexts()) == 2 })
			_ = stop()
			texts := e.fake.SentTexts()
			pointer := strings.HasPrefix(texts[1], "Asked and answered")
			if want := window > 0; pointer != want {
				t.Errorf("button reply %q: pointer %v, want %v", texts[1], pointer, want)
			}
			if len(e.fake.Calls("answerCallbackQuery")) != 1 {
				t.Errorf("the button press was not acknowledged")
			}
		})
	}
}
