package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"transcriptbot/adapters/misses"
	"transcriptbot/transcript"
)

// TestServeMissLog: with MISS_LOG, a question the transcript does not cover, asked on a fake
// Telegram, is appended to the log with the transcript's hash and no user or chat ids; after
// a reload the new hash is recorded, and after SIGHUP a rotated log is written afresh.
func TestServeMissLog(t *testing.T) {
	tg := newFakeTelegram(t)
	dir := t.TempDir()
	path := writeFile(t, dir, "harbour.txt", serveTranscript)
	logPath := filepath.Join(dir, "misses.jsonl")
	r := startServe(t, map[string]string{
		"TELEGRAM_TOKEN": testTelegramToken, "TELEGRAM_API_ENDPOINT": tg.Endpoint(),
		"TRANSCRIPT_FILE": path, "RELOAD_INTERVAL": "0", "MISS_LOG": logPath,
	}, nil)
	const chat, user = 918273645, 564738291
	asked := 0
	ask := func(text string) {
		t.Helper()
		asked++
		addMessage(tg, chat, user, text)
		waitFor(t, "the reply to "+strconv.Quote(text), func() bool { return len(sentMessages(tg)) == asked })
	}
	records := func(p string) []misses.Record {
		t.Helper()
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		recs, err := misses.Read(f)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		return recs
	}
	first, err := transcript.Load(path)
	if err != nil {
		t.Fatal(err)
	}

	ask("How do I bake sourdough bread at home?")
	ask("When does the summer ferry timetable start?") // answered: not recorded
	recs := records(logPath)
	if len(recs) != 1 {
		t.Fatalf("got %d records %+v, want 1", len(recs), recs)
	}
	if got := recs[0]; got.Query != "How do I bake sourdough bread at home?" || got.Reason != misses.ReasonAbstained || got.Transcript != first.Hash {
		t.Errorf("got record %+v, want the query, reason %q and transcript %s", got, misses.ReasonAbstained, first.Hash)
	}
	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{strconv.Itoa(chat), strconv.Itoa(user)} {
		if strings.Contains(string(raw), id) {
			t.Errorf("the log holds an id (%s): %s", id, raw)
		}
	}
	var fields map[string]any
	if err := json.Unmarshal([]byte(strings.SplitN(string(raw), "\n", 2)[0]), &fields); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if got, want := strings.Join(keys, ","), "query,reason,time,transcript"; got != want {
		t.Errorf("fields: got %s, want %s", got, want)
	}

	// A reload: the records that follow carry the new transcript's hash.
	writeFile(t, dir, "harbour.txt", reloadedTranscript)
	r.reload <- struct{}{}
	waitFor(t, "the reload", func() bool { return r.metric("transcriptbot_transcript_questions") == 3 })
	second, err := transcript.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	ask("Which football team won the cup?")
	recs = records(logPath)
	if len(recs) != 2 || recs[1].Transcript != second.Hash || second.Hash == first.Hash {
		t.Fatalf("after the reload: got %+v, want a second record with transcript %s", recs, second.Hash)
	}

	// Rotation: the log is moved away, SIGHUP reopens the path.
	rotated := logPath + ".1"
	if err := os.Rename(logPath, rotated); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the SIGHUP", func() bool { return strings.Contains(r.logs.String(), "reason=SIGHUP") })
	ask("Is there a discount for pensioners on the bus?")
	if recs := records(logPath); len(recs) != 1 || !strings.Contains(recs[0].Query, "pensioners") {
		t.Errorf("after rotation: got %+v in the new file, want the last question", recs)
	}
	if recs := records(rotated); len(recs) != 2 {
		t.Errorf("the rotated file: got %d records, want 2", len(recs))
	}
}

// TestServeReloadDiscordAutocomplete: /answer's autocomplete offers a question that a reload
// added, at once.
// interactRaw posts a signed interaction and returns the status and the raw response.
func (r *running) interactRaw(s *discordSigner, body string) (int, []byte) {
	r.t.Helper()
	req, err := http.NewRequest(http.MethodPost, r.base+"/discord/interactions", strings.NewReader(body))
	if err != nil {
		r.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	s.Sign(req, []byte(body), time.Now())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}

func TestServeReloadDiscordAutocomplete(t *testing.T) {
	s := newDiscordSigner(t)
	dir := t.TempDir()
	path := writeFile(t, dir, "harbour.txt", serveTranscript)
	r := startServe(t, discordEnv(s, map[string]string{"TRANSCRIPT_FILE": path, "RELOAD_INTERVAL": "0"}), nil)
	offered := func(typed string) []int {
		t.Helper()
		n := interactionSeq.Add(1)
		body, _ := json.Marshal(map[string]any{
			"id": strconv.FormatInt(1000+n, 10), "type": 4, "token": "itok-ac-" + strconv.FormatInt(n, 10),
			"application_id": "9001", "guild_id": "7001", "channel_id": "8001", "version": 1,
			"member": map[string]any{"user": map[string]any{"id": "5001"}, "roles": []string{}},
			"data": map[string]any{"id": "3002", "name": "answer", "type": 1,
				"options": []map[string]any{{"name": "number", "type": 4, "value": typed, "focused": true}}},
		})
		var reply struct {
			Type int `json:"type"`
			Data struct {
				Choices []struct {
					Value int `json:"value"`
				} `json:"choices"`
			} `json:"data"`
		}
		code, raw := r.interactRaw(s, string(body))
		if code != 200 {
			t.Fatalf("autocomplete: status %d", code)
		}
		if err := json.Unmarshal(raw, &reply); err != nil || reply.Type != 8 {
			t.Fatalf("autocomplete reply %s: %v", raw, err)
		}
		var nums []int
		for _, c := range reply.Data.Choices {
			nums = append(nums, c.Value)
		}
		return nums
	}
	if got := offered("3"); slices.Contains(got, 3) {
		t.Fatalf("before the reload: offered %v, want no question 3", got)
	}
	writeFile(t, dir, "harbour.txt", reloadedTranscript)
	r.reload <- struct{}{}
	waitFor(t, "the reload", func() bool { return r.metric("transcriptbot_transcript_questions") == 3 })
	if got := offered("3"); !slices.Contains(got, 3) {
		t.Errorf("after the reload: offered %v, want question 3", got)
	}
	if got := offered("lighthouse"); !slices.Contains(got, 3) {
		t.Errorf("after the reload, typing words: offered %v, want question 3", got)
	}
}

// TestServeRedisUnreachable: a Redis that does not answer stops serve at start-up with an
// error that names the server without its password.
func TestServeRedisUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	cfg, err := parseConfigArgs(nil, envOf(map[string]string{
		"DISCORD_PUBLIC_KEY": testPublicKey, "REDIS_URL": "redis://:CANARY-redis-pw@" + addr + "/0",
	}))
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	done := make(chan int, 1)
	go func() { done <- serve(context.Background(), cfg, serveOptions{Stderr: &logs}) }()
	select {
	case code := <-done:
		if code != exitError {
			t.Errorf("exit status: got %d, want %d", code, exitError)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not give up on an unreachable Redis")
	}
	out := logs.String()
	if strings.Contains(out, "CANARY") {
		t.Errorf("the logs show the password:\n%s", out)
	}
	if !strings.Contains(out, "xxxxx@"+addr) {
		t.Errorf("the logs do not name the server (password masked):\n%s", out)
	}
}
