package telegram

import (
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"transcriptbot/adapters/telegram/telegramtest"
	"transcriptbot/bot"
)

// outage502 is what every sendMessage gets during the tests' Bot API outages: a proxy's 502 page.
var outage502 = telegramtest.Fault{Status: 502, HTML: true}

// outageQuestion is the question of update i in the outage tests; echoReply quotes it.
func outageQuestion(i int) string { return "outage question " + strconv.Itoa(i) }

// answeredTimes counts the sent answers to outageQuestion(i).
func answeredTimes(texts []string, i int) int {
	n := 0
	for _, s := range texts {
		if strings.Contains(s, "<b>"+outageQuestion(i)+"</b>") {
			n++
		}
	}
	return n
}

// confirmWatch records, at every getUpdates, the updates its offset confirms without their
// answer having been sent: acknowledged and lost, were the bot to stop then. question maps
// update ids to the i of their outageQuestion.
type confirmWatch struct {
	fake     *telegramtest.Server
	mu       sync.Mutex
	question map[int]int
	early    map[int]bool
}

func watchConfirms(f *telegramtest.Server) *confirmWatch {
	w := &confirmWatch{fake: f, question: map[int]int{}, early: map[int]bool{}}
	f.Observe = func(c telegramtest.Call) {
		if c.Method != "getUpdates" {
			return
		}
		off, _ := strconv.Atoi(c.Params["offset"])
		texts := f.SentTexts()
		w.mu.Lock()
		defer w.mu.Unlock()
		for id, i := range w.question {
			if id < off && answeredTimes(texts, i) == 0 {
				w.early[id] = true
			}
		}
	}
	return w
}

// push adds outageQuestion(i) from private chat chat, as update i's question.
func (w *confirmWatch) push(i int, chat int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	ids := w.fake.Push(message(msg(i+1, privateChat(chat), chat, outageQuestion(i))))
	w.question[ids[0]] = i
}

func (w *confirmWatch) confirmedUnanswered() []int {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []int
	for id := range w.early {
		out = append(out, id)
	}
	return out
}

// failedSends counts the failed sendMessage calls to each chat.
func failedSends(f *telegramtest.Server) map[string]int {
	out := map[string]int{}
	for _, c := range f.Calls("sendMessage") {
		if !c.OK {
			out[c.Params["chat_id"]]++
		}
	}
	return out
}

// outageEnv is a polling adapter whose old retry budget (MaxTries tries at 2-20 ms backoff) is
// tens of milliseconds, with a short MaxHold.
func outageEnv(t *testing.T) *testEnv {
	e := newEnv(t)
	e.cfg.MaxTries = 3
	e.cfg.MaxHold = 500 * time.Millisecond
	e.cfg.SendRetryWindow = time.Minute
	return e
}

// waitOutageLonger waits until the outage has outlasted both the old budget (every chat's
// reply failed more than MaxTries times) and several MaxHolds.
func waitOutageLonger(t *testing.T, e *testEnv, chats int, began time.Time) {
	t.Helper()
	waitFor(t, "an outage longer than MaxTries tries and 3×MaxHold", func() bool {
		failed := failedSends(e.fake)
		if len(failed) < chats {
			return false
		}
		for _, n := range failed {
			if n <= e.cfg.MaxTries+1 {
				return false
			}
		}
		return time.Since(began) > 3*e.cfg.MaxHold
	})
}

// TestPollingOutageLosesNothing: every sendMessage fails (502) for longer than the old retry
// budget and than MaxHold, while updates arrive by getUpdates. No update is confirmed before
// its answer is sent; when the Bot API is back, every update is answered once.
func TestPollingOutageLosesNothing(t *testing.T) {
	e := outageEnv(t)
	var omu sync.Mutex
	var outages []bool
	e.cfg.OnOutage = func(down bool) { omu.Lock(); outages = append(outages, down); omu.Unlock() }
	e.cfg.OnReplyDropped = func() { t.Errorf("a reply was dropped") }
	w := watchConfirms(e.fake)
	e.fake.Outage("sendMessage", outage502)
	const n, chats = 24, 6
	for i := range n / 2 {
		w.push(i, int64(100+i%chats))
	}
	a := e.adapter(t)
	stop := run(t, a)
	began := time.Now()
	waitOutageLonger(t, e, chats, began)
	for i := n / 2; i < n; i++ { // more arrive during the outage
		w.push(i, int64(100+i%chats))
	}
	waitFor(t, "the updates that arrived during the outage to be tried", func() bool {
		return len(e.h.requests()) == n
	})
	if got := e.fake.Pending(); got != n {
		t.Errorf("during the outage: %d updates unconfirmed, want all %d", got, n)
	}
	if got := len(e.fake.SentTexts()); got != 0 {
		t.Fatalf("during the outage: %d answers sent, want 0", got)
	}
	e.fake.Outage("sendMessage", telegramtest.Fault{})
	waitFor(t, "every answer after the outage", func() bool { return len(e.fake.SentTexts()) >= n })
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}

	texts := e.fake.SentTexts()
	for i := range n {
		if got := answeredTimes(texts, i); got != 1 {
			t.Errorf("%q answered %d times, want 1", outageQuestion(i), got)
		}
	}
	if early := w.confirmedUnanswered(); len(early) > 0 {
		t.Errorf("updates %v confirmed before their answer was sent", early)
	}
	if got := e.fake.Pending(); got != 0 {
		t.Errorf("after the outage and shutdown: %d updates unconfirmed, want 0", got)
	}
	logs := e.logs.String()
	for _, want := range []string{"Bot API failing", "Bot API answering again"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q", want)
		}
	}
	if strings.Contains(logs, "dropped") {
		t.Errorf("logs say a reply was dropped:\n%s", logs)
	}
	omu.Lock()
	defer omu.Unlock()
	if len(outages) != 2 || !outages[0] || outages[1] {
		t.Errorf("OnOutage calls: got %v, want [true false]", outages)
	}
	checkNoLeak(t, "logs", logs)
}

// TestPollingShutdownDuringOutage stops the adapter while every sendMessage fails: no update
// is confirmed, and the next instance answers each once.
func TestPollingShutdownDuringOutage(t *testing.T) {
	e := outageEnv(t)
	e.cfg.ShutdownTimeout = 100 * time.Millisecond
	w := watchConfirms(e.fake)
	e.fake.Outage("sendMessage", outage502)
	const n, chats = 12, 4
	for i := range n {
		w.push(i, int64(200+i%chats))
	}
	a := e.adapter(t)
	stop := run(t, a)
	waitOutageLonger(t, e, chats, time.Now())
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := e.fake.Pending(); got != n {
		t.Fatalf("after shutdown during the outage: %d updates unconfirmed, want all %d", got, n)
	}
	if !strings.Contains(e.logs.String(), "cutting them short") {
		t.Errorf("logs lack the shutdown cutting replies short:\n%s", e.logs)
	}

	e.fake.Outage("sendMessage", telegramtest.Fault{})
	a2 := e.adapter(t)
	stop2 := run(t, a2)
	waitFor(t, "every answer after the restart", func() bool { return len(e.fake.SentTexts()) >= n })
	if err := stop2(); err != nil {
		t.Fatalf("Run after restart: %v", err)
	}
	texts := e.fake.SentTexts()
	for i := range n {
		if got := answeredTimes(texts, i); got != 1 {
			t.Errorf("%q answered %d times, want 1", outageQuestion(i), got)
		}
	}
	if early := w.confirmedUnanswered(); len(early) > 0 {
		t.Errorf("updates %v confirmed before their answer was sent", early)
	}
	if got := e.fake.Pending(); got != 0 {
		t.Errorf("after the restart: %d updates unconfirmed, want 0", got)
	}
}

// TestPollingRetryWindowEnds: a reply failing for the whole SendRetryWindow is dropped, said
// in the logs, and its update confirmed so the stream goes on.
func TestPollingRetryWindowEnds(t *testing.T) {
	e := outageEnv(t)
	e.cfg.SendRetryWindow = 300 * time.Millisecond
	dropped := make(chan struct{}, 10)
	e.cfg.OnReplyDropped = func() { dropped <- struct{}{} }
	e.fake.Outage("sendMessage", outage502)
	e.fake.Push(message(msg(1, privateChat(5), 5, "lost one")))
	a := e.adapter(t)
	stop := run(t, a)
	waitFor(t, "the reply dropped and its update confirmed", func() bool {
		return e.fake.Pending() == 0 && strings.Contains(e.logs.String(), "whole send retry window")
	})
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := len(dropped); got != 1 {
		t.Errorf("OnReplyDropped calls: got %d, want 1", got)
	}
	if got := failedSends(e.fake)["5"]; got <= e.cfg.MaxTries {
		t.Errorf("failed tries: got %d, want more than MaxTries (%d) within the window", got, e.cfg.MaxTries)
	}
}

// TestPollingMaxPending: with MaxPending updates waiting for their replies, getUpdates
// pauses (Telegram keeps the rest) and resumes when they are answered.
func TestPollingMaxPending(t *testing.T) {
	e := outageEnv(t)
	e.cfg.MaxPending = 3
	e.cfg.MaxHold = time.Millisecond // so the hold is no bound: MaxPending is
	var mu sync.Mutex
	handled, worst := 0, 0
	e.h.reply = func(req bot.Request) bot.Reply {
		mu.Lock()
		defer mu.Unlock()
		handled++
		worst = max(worst, handled-len(e.fake.SentTexts()))
		return echoReply(req)
	}
	w := watchConfirms(e.fake)
	e.fake.Outage("sendMessage", outage502)
	const n = 8
	for i := range n {
		w.push(i, int64(300+i))
	}
	a := e.adapter(t)
	stop := run(t, a)
	waitFor(t, "getUpdates paused", func() bool { return strings.Contains(e.logs.String(), "getUpdates paused") })
	if got := len(e.h.requests()); got > e.cfg.MaxPending {
		t.Errorf("updates taken on during the outage: got %d, want at most MaxPending (%d)", got, e.cfg.MaxPending)
	}
	for _, c := range e.fake.Calls("getUpdates") {
		if l, _ := strconv.Atoi(c.Params["limit"]); l > e.cfg.MaxPending {
			t.Errorf("getUpdates limit %d, want at most MaxPending (%d)", l, e.cfg.MaxPending)
		}
	}
	e.fake.Outage("sendMessage", telegramtest.Fault{})
	waitFor(t, "every answer after the outage", func() bool { return len(e.fake.SentTexts()) >= n })
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	texts := e.fake.SentTexts()
	for i := range n {
		if got := answeredTimes(texts, i); got != 1 {
			t.Errorf("%q answered %d times, want 1", outageQuestion(i), got)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if worst > e.cfg.MaxPending {
		t.Errorf("at most %d updates handled and unanswered at once, want at most MaxPending (%d)", worst, e.cfg.MaxPending)
	}
	if !strings.Contains(e.logs.String(), "getUpdates resumed") {
		t.Errorf("logs lack getUpdates resuming")
	}
}

// TestStuckChatDoesNotBlockOthers: one chat's replies fail (its lane retries) while it keeps
// asking — more than any per-chat queue would hold — and a question from another chat on the
// same worker is still answered.
func TestStuckChatDoesNotBlockOthers(t *testing.T) {
	e := outageEnv(t)
	e.cfg.Workers = 1 // every chat on one worker
	var dropped atomic.Int32
	e.cfg.OnReplyDropped = func() { dropped.Add(1) }
	e.cfg.ShutdownTimeout = 100 * time.Millisecond
	e.fake.Handle("sendMessage", func(c telegramtest.Call) (any, *telegramtest.Fault) {
		if c.Params["chat_id"] == "900" {
			return nil, &outage502
		}
		return map[string]any{"message_id": 1, "date": 1700000000, "text": c.Params["text"],
			"chat": privateChat(901), "from": e.fake.BotUser()}, nil
	})
	const stuck = 150
	for i := range stuck {
		e.fake.Push(message(msg(i+1, privateChat(900), 900, outageQuestion(i))))
	}
	e.fake.Push(message(msg(1, privateChat(901), 901, outageQuestion(stuck))))
	a := e.adapter(t)
	stop := run(t, a)
	waitFor(t, "the other chat's answer", func() bool { return answeredTimes(e.fake.SentTexts(), stuck) == 1 })
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	// The stuck chat's updates held past MaxHold were confirmed so the stream could flow: each
	// of them, cut short at shutdown, is reported lost; the others stay unconfirmed.
	unconfirmed := 0
	for id := 1; id <= stuck; id++ {
		if id >= e.fake.Confirmed() {
			unconfirmed++
		}
	}
	lost := strings.Count(e.logs.String(), "its reply is lost")
	if unconfirmed+lost != stuck {
		t.Errorf("after shutdown: %d of the stuck chat's updates unconfirmed and %d reported lost, want %d in all", unconfirmed, lost, stuck)
	}
	if got := int(dropped.Load()); got != lost {
		t.Errorf("OnReplyDropped calls: got %d, want %d (one per update reported lost)", got, lost)
	}
}

// TestOutageEndWakesHeldReplies: replies waiting out a long backoff are sent as soon as the
// Bot API answers another chat's message, not when their backoff ends.
func TestOutageEndWakesHeldReplies(t *testing.T) {
	e := outageEnv(t)
	e.cfg.MinBackoff, e.cfg.MaxBackoff = time.Minute, time.Minute // longer than any wait below
	e.fake.Outage("sendMessage", outage502)
	for i := range 2 {
		e.fake.Push(message(msg(1, privateChat(int64(400+i)), int64(400+i), outageQuestion(i))))
	}
	a := e.adapter(t)
	stop := run(t, a)
	waitFor(t, "both chats' replies failing", func() bool { return len(failedSends(e.fake)) == 2 })
	e.fake.Outage("sendMessage", telegramtest.Fault{})
	e.fake.Push(message(msg(1, privateChat(402), 402, outageQuestion(2))))
	waitFor(t, "the held replies sent once another is answered", func() bool { return len(e.fake.SentTexts()) == 3 })
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	texts := e.fake.SentTexts()
	for i := range 3 {
		if got := answeredTimes(texts, i); got != 1 {
			t.Errorf("%q answered %d times, want 1", outageQuestion(i), got)
		}
	}
}

// TestRetryAfterPastWindowGivesUp: a 429 whose retry_after reaches past the send retry window
// drops the reply at once (retrying sooner would only be refused again).
func TestRetryAfterPastWindowGivesUp(t *testing.T) {
	e := outageEnv(t)
	e.cfg.SendRetryWindow = 2 * time.Second
	e.fake.Inject("sendMessage", telegramtest.Fault{Status: 429, Description: "Too Many Requests: retry after 30", RetryAfter: 30})
	e.fake.Push(message(msg(1, privateChat(5), 5, "hi")))
	a := e.adapter(t)
	stop := run(t, a)
	waitFor(t, "the reply dropped and its update confirmed", func() bool {
		return e.fake.Pending() == 0 && strings.Contains(e.logs.String(), "retry_after reaches past the send retry window")
	})
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := len(e.fake.Calls("sendMessage")); got != 1 {
		t.Errorf("sendMessage calls: got %d, want 1 (no retry before retry_after)", got)
	}
}

// TestQuietChatHeldPastMaxHold: a lone chat's reply failing for longer than MaxHold (not an
// outage to the adapter: one chat) keeps its update unconfirmed while nothing waits behind
// it, so a shutdown then loses nothing: the next instance answers it.
func TestQuietChatHeldPastMaxHold(t *testing.T) {
	e := outageEnv(t)
	e.cfg.ShutdownTimeout = 100 * time.Millisecond
	e.fake.Outage("sendMessage", outage502)
	e.fake.Push(message(msg(1, privateChat(5), 5, outageQuestion(0))))
	a := e.adapter(t)
	stop := run(t, a)
	waitOutageLonger(t, e, 1, time.Now())
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := e.fake.Pending(); got != 1 {
		t.Fatalf("after shutdown: %d updates unconfirmed, want 1", got)
	}
	e.fake.Outage("sendMessage", telegramtest.Fault{})
	a2 := e.adapter(t)
	stop2 := run(t, a2)
	waitFor(t, "the answer after the restart", func() bool { return answeredTimes(e.fake.SentTexts(), 0) == 1 })
	if err := stop2(); err != nil {
		t.Fatalf("Run after restart: %v", err)
	}
	if got := e.fake.Pending(); got != 0 {
		t.Errorf("after the restart: %d updates unconfirmed, want 0", got)
	}
}
