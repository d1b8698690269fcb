package main

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"transcriptbot/adapters/prometheus"
	"transcriptbot/matcher/archive"
)

const islandsTranscript = `Island council briefing
Date: 2024-06-01

1. When will the new pier be finished?

The new pier will be finished in August, before the regatta.
`

// testWatcher returns a watcher over dir (loaded as serve would) that never sleeps, and its
// log.
func testWatcher(t *testing.T, dir string) (*archiveWatcher, *syncBuffer) {
	t.Helper()
	cfg := &Config{TranscriptDir: dir, Lang: defaultLang}
	if err := cfg.loadArchive(); err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	w := newArchiveWatcher(cfg, cfg.Archive, prometheus.NewMetrics(), slog.New(slog.NewTextHandler(logs, nil)))
	w.quiet, w.sleep = 0, func(time.Duration) {}
	return w, logs
}

func TestArchiveWatcherReindexesOneFile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "2024-05-01-harbour.txt", serveTranscript)
	writeFile(t, dir, "2024-03-01-town.txt", reloadedTranscript)
	w, logs := testWatcher(t, dir)
	snap := w.a.Snapshot()
	harbour, _ := snap.Get("2024-05-01-harbour")
	town, _ := snap.Get("2024-03-01-town")
	if snap.Len() != 2 || harbour == nil || town == nil {
		t.Fatalf("got %d briefings at start, want 2", snap.Len())
	}
	if n := w.scan("test"); n != 0 {
		t.Errorf("scan with nothing changed: %d changes", n)
	}

	// A new file: indexed alone, the others untouched.
	writeFile(t, dir, "islands.txt", islandsTranscript)
	if n := w.scan("test"); n != 1 {
		t.Fatalf("new file: %d changes, want 1", n)
	}
	snap = w.a.Snapshot()
	if b, ok := snap.Get("islands"); !ok || b.DateString() != "2024-06-01" || snap.Newest() != b {
		t.Fatalf("new file: got %v, want islands as the newest briefing", b)
	}
	if h, _ := snap.Get("2024-05-01-harbour"); h != harbour {
		t.Error("adding a file re-indexed another briefing")
	}

	// A changed file: only that one is re-indexed.
	writeFile(t, dir, "2024-03-01-town.txt", strings.Replace(reloadedTranscript, "lighthouse", "watchtower", -1))
	if n := w.scan("test"); n != 1 {
		t.Fatalf("changed file: %d changes, want 1", n)
	}
	snap = w.a.Snapshot()
	if tw, _ := snap.Get("2024-03-01-town"); tw == town || !strings.Contains(tw.Transcript.Entries[2].Question+tw.Transcript.Entries[2].Answer(), "watchtower") {
		t.Error("the changed file was not re-indexed")
	}
	if h, _ := snap.Get("2024-05-01-harbour"); h != harbour {
		t.Error("changing one file re-indexed another")
	}
	if r := snap.Match("watchtower", 0, archive.Scope{}); r.Briefing == nil || r.Briefing.ID != "2024-03-01-town" {
		t.Errorf("watchtower: got %v", r.Briefing)
	}

	// A broken edit: logged with its line, the earlier version keeps serving.
	writeFile(t, dir, "2024-05-01-harbour.txt", serveTranscript+"\n4. Skipped?\n\nYes.\n")
	if n := w.scan("test"); n != 0 {
		t.Errorf("broken file: %d changes, want 0", n)
	}
	if h, _ := w.a.Snapshot().Get("2024-05-01-harbour"); h != harbour {
		t.Error("a broken edit replaced the serving version")
	}
	if !strings.Contains(logs.String(), "2024-05-01-harbour.txt:11:") {
		t.Errorf("log lacks FILE:LINE of the broken file:\n%s", logs)
	}

	// A removed file: its briefing goes.
	if err := os.Remove(dir + "/islands.txt"); err != nil {
		t.Fatal(err)
	}
	if n := w.scan("test"); n != 1 {
		t.Fatalf("removed file: %d changes, want 1", n)
	}
	if _, ok := w.a.Snapshot().Get("islands"); ok {
		t.Error("removed file still served")
	}
}

func TestArchiveWatcherSkipsHalfWrittenFile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "harbour.txt", serveTranscript)
	w, logs := testWatcher(t, dir)
	// The new file keeps growing while it is read: every quiet period appends to it.
	path := writeFile(t, dir, "islands.txt", islandsTranscript)
	w.sleep = func(time.Duration) {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Error(err)
			return
		}
		f.WriteString("More of the answer.\n")
		f.Close()
	}
	if n := w.scan("test"); n != 0 {
		t.Fatalf("half-written file: %d changes, want 0", n)
	}
	if _, ok := w.a.Snapshot().Get("islands"); ok {
		t.Fatal("a file still being written was loaded")
	}
	if !strings.Contains(logs.String(), "still being written") {
		t.Errorf("log does not say the file is still being written:\n%s", logs)
	}
	// Once the writer is done, the next look loads it.
	w.sleep = func(time.Duration) {}
	if n := w.scan("test"); n != 1 {
		t.Fatalf("finished file: %d changes, want 1", n)
	}
	if b, ok := w.a.Snapshot().Get("islands"); !ok || !strings.Contains(b.Transcript.Entries[0].Answer(), "More of the answer.") {
		t.Error("the finished file was not loaded whole")
	}
}

func TestServeArchive(t *testing.T) {
	s := newDiscordSigner(t)
	dir := t.TempDir()
	writeFile(t, dir, "2024-05-01-harbour.txt", serveTranscript)
	writeFile(t, dir, "broken.txt", "Broken\n\n2. No first question\n\nA.\n")
	r := startServe(t, discordEnv(s, map[string]string{"TRANSCRIPT_DIR": dir, "RELOAD_INTERVAL": "100ms"}), nil)
	if !strings.Contains(r.logs.String(), "broken.txt:3:") {
		t.Errorf("logs lack the skipped file's line:\n%s", r.logs)
	}
	if _, reply := r.interact(s, askInteraction("5001", "ticket to the islands")); len(reply.Data.Embeds) == 0 || !strings.Contains(reply.Data.Embeds[0].Title, "2 ·") {
		t.Fatalf("before: got %+v, want question 2", reply)
	}
	writeFile(t, dir, "islands.txt", islandsTranscript)
	reloads := func() float64 { return r.metric(`transcriptbot_transcript_reloads_total{result="ok"}`) }
	waitFor(t, "the new briefing to be indexed", func() bool { return reloads() == 1 })
	_, reply := r.interact(s, askInteraction("5001", "when is the new pier finished"))
	if len(reply.Data.Embeds) == 0 || !strings.Contains(reply.Data.Embeds[0].Description, "— Island council briefing, 2024-06-01, question 1") {
		t.Fatalf("after: got %+v, want the pier answer with its citation", reply)
	}
	// /ask's "in" option narrows the question to a briefing.
	_, reply = r.interact(s, askInInteraction("5001", "ticket to the islands", "2024-05-01-harbour"))
	if len(reply.Data.Embeds) == 0 || !strings.Contains(reply.Data.Embeds[0].Description, "2024-05-01, question 2") {
		t.Fatalf("in:harbour: got %+v, want its question 2", reply)
	}
	_, reply = r.interact(s, answerInInteraction("5001", 1, "islands"))
	if len(reply.Data.Embeds) == 0 || !strings.Contains(reply.Data.Embeds[0].Description, "pier") {
		t.Fatalf("/answer 1 in:islands: got %+v, want the pier answer", reply)
	}
	_, reply = r.interact(s, askInInteraction("5001", "ticket to the islands", "2024-06"))
	if len(reply.Data.Embeds) != 0 && strings.Contains(reply.Data.Embeds[0].Description, "four euros") {
		t.Errorf("in:2024-06: got the harbour's answer %+v", reply)
	}
}

// answerInInteraction is /answer number with the "in" option.
func answerInInteraction(user string, number int, in string) string {
	var m map[string]any
	_ = json.Unmarshal([]byte(askInteraction(user, "x")), &m)
	m["data"] = map[string]any{"id": "3002", "name": "answer", "type": 1, "options": []map[string]any{
		{"name": "number", "type": 4, "value": number}, {"name": "in", "type": 3, "value": in}}}
	b, _ := json.Marshal(m)
	return string(b)
}

// askInInteraction is /ask question with the "in" option.
func askInInteraction(user, question, in string) string {
	var m map[string]any
	_ = json.Unmarshal([]byte(askInteraction(user, question)), &m)
	data := m["data"].(map[string]any)
	data["options"] = append(data["options"].([]any), map[string]any{"name": "in", "type": 3, "value": in})
	b, _ := json.Marshal(m)
	return string(b)
}

// TestServeArchiveTelegram: over the fake Bot API, answers cite their briefing, numbers
// follow the chat's current briefing and a button opens the briefing it was made for.
func TestServeArchiveTelegram(t *testing.T) {
	tg := newFakeTelegram(t)
	dir := t.TempDir()
	writeFile(t, dir, "2024-05-01-harbour.txt", serveTranscript)
	writeFile(t, dir, "islands.txt", islandsTranscript)
	r := startServe(t, map[string]string{"TELEGRAM_TOKEN": testTelegramToken, "TELEGRAM_API_ENDPOINT": tg.Endpoint(),
		"TRANSCRIPT_DIR": dir}, nil)
	waitFor(t, "readiness", func() bool { code, _ := r.get("/readyz"); return code == http.StatusOK })
	say := func(text string) url.Values {
		t.Helper()
		n := len(sentMessages(tg))
		addMessage(tg, 400, 400, text)
		waitFor(t, "the answer to "+text, func() bool { return len(sentMessages(tg)) > n })
		return sentMessages(tg)[n]
	}
	m := say("how much is a ticket to the islands")
	if !strings.Contains(m.Get("text"), "— Briefing of the Harbour Authority, 2024-05-01, question 2") {
		t.Fatalf("answer: got %q, want the harbour's question 2 cited", m.Get("text"))
	}
	var markup struct {
		Keyboard [][]struct {
			Text string `json:"text"`
			Data string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(m.Get("reply_markup")), &markup); err != nil || len(markup.Keyboard) == 0 {
		t.Fatalf("no buttons: %q", m.Get("reply_markup"))
	}
	for _, row := range markup.Keyboard {
		for _, b := range row {
			if len(b.Data) > 64 {
				t.Errorf("callback data %q over 64 bytes", b.Data)
			}
		}
	}
	// "1" is question 1 of the briefing the chat last got an answer from, not the newest.
	if m := say("1"); !strings.Contains(m.Get("text"), "summer timetable") || !strings.Contains(m.Get("text"), "2024-05-01, question 1") {
		t.Errorf("1: got %q, want the harbour's question 1", m.Get("text"))
	}
	if m := say("islands#1"); !strings.Contains(m.Get("text"), "pier") {
		t.Errorf("islands#1: got %q", m.Get("text"))
	}
	// The first answer's button still opens the harbour's answer.
	n := len(sentMessages(tg))
	tg.Push(map[string]any{"callback_query": map[string]any{"id": "cb1", "data": markup.Keyboard[0][0].Data,
		"from":    map[string]any{"id": 400, "is_bot": false, "first_name": "W"},
		"message": map[string]any{"message_id": 1, "date": 1700000000, "chat": map[string]any{"id": 400, "type": "private"}, "text": "x"}}})
	waitFor(t, "the button's answer", func() bool { return len(sentMessages(tg)) > n })
	if got := sentMessages(tg)[n].Get("text"); !strings.Contains(got, "four euros") || !strings.Contains(got, "question 2") {
		t.Errorf("button: got %q, want the harbour's question 2", got)
	}
	if v := tg.Violations(); len(v) > 0 {
		t.Errorf("Bot API violations: %v", v)
	}
	if calls := tg.Calls("setMyCommands"); len(calls) == 0 || !strings.Contains(calls[0].Params["commands"], `"use"`) {
		t.Errorf("the command menu lacks /use: %v", calls)
	}
}

func TestArchiveWatcherKeepsServingAnEmptiedDirectory(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "harbour.txt", serveTranscript)
	w, logs := testWatcher(t, dir)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if n := w.scan("test"); n != 0 || w.a.Snapshot().Len() != 1 {
		t.Errorf("emptied directory: %d changes, %d briefings; want the briefing kept", n, w.a.Snapshot().Len())
	}
	if !strings.Contains(logs.String(), "no transcript file left") {
		t.Errorf("log does not say so:\n%s", logs)
	}
	// A file back: the directory is read again as usual.
	writeFile(t, dir, "islands.txt", islandsTranscript)
	if n := w.scan("test"); n != 2 {
		t.Errorf("islands added, harbour gone: %d changes, want 2", n)
	}
	if _, ok := w.a.Snapshot().Get("harbour"); ok {
		t.Error("harbour still served after its file went and another came")
	}
}
