package main

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"transcriptbot/bot"
	"transcriptbot/bot/bottest"
	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

// TestReplicasShareFollowUps runs two serve replicas sharing one Redis: a user shown a menu
// through one replica picks from it with "the second one" through the other; with
// FOLLOW_UP_WINDOW=0 the same message is question 2.
func TestReplicasShareFollowUps(t *testing.T) {
	// A query the bot core answers with a "did you mean" menu, and the menu's second choice.
	m, err := matcher.New(transcript.Default(), matcher.Options{Threshold: bottest.MenuThreshold})
	if err != nil {
		t.Fatal(err)
	}
	core := bot.New(m, bot.Options{})
	query, second := "", ""
	for _, q := range bottest.MenuCandidates {
		r := core.Handle(context.Background(), bot.Request{Kind: bot.KindMessage, Text: q})
		if r.Kind == bot.ReplyAmbiguous && len(r.Actions) >= 3 {
			id := r.Actions[1].ID
			query, second = q, id[strings.LastIndexByte(id, ':')+1:]
			break
		}
	}
	if query == "" || second == "2" {
		t.Fatalf("no query gives a did-you-mean menu whose second choice is not question 2 (%q, %q)", query, second)
	}

	for _, tc := range []struct {
		name, window, want string
	}{
		{"follow-ups shared", "", second},
		{"follow-ups off", "0", "2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			redisURL := startRedisServer(t)
			tg := newFakeTelegram(t)
			const secret = "follow-up-hook-secret"
			env := map[string]string{
				"TELEGRAM_TOKEN": testTelegramToken, "TELEGRAM_API_ENDPOINT": tg.Endpoint(),
				"TELEGRAM_WEBHOOK_URL": "https://bot.example.org/telegram/webhook", "TELEGRAM_WEBHOOK_SECRET": secret,
				"REDIS_URL": redisURL, "REDIS_TIMEOUT": "5s", "ANSWER_THRESHOLD": menuEnv["ANSWER_THRESHOLD"],
			}
			if tc.window != "" {
				env["FOLLOW_UP_WINDOW"] = tc.window
			}
			replicas := []*running{startServe(t, env, nil), startServe(t, env, nil)}
			for i, r := range replicas {
				waitFor(t, "replica "+strconv.Itoa(i)+" to be ready", func() bool { code, _ := r.get("/readyz"); return code == http.StatusOK })
			}
			post := func(r *running, update string) {
				t.Helper()
				req, err := http.NewRequest(http.MethodPost, r.base+"/telegram/webhook", strings.NewReader(update))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("webhook: got status %d, want 200", resp.StatusCode)
				}
			}
			chat := map[string]any{"id": 940001, "type": "private"}
			post(replicas[0], webhookUpdate(1, chat, 11, 940001, query))
			post(replicas[1], webhookUpdate(2, chat, 12, 940001, "the second one"))
			waitFor(t, "both replies", func() bool { return len(sentMessages(tg)) >= 2 })
			for i, r := range replicas {
				if code, _ := r.stop(); code != exitOK {
					t.Errorf("replica %d: exit status %d, want 0", i, code)
				}
			}
			sent := sentMessages(tg)
			if len(sent) != 2 {
				t.Fatalf("got %d messages, want 2", len(sent))
			}
			if got := answerNumber.FindStringSubmatch(sent[1].Get("text")); got == nil || got[1] != tc.want {
				t.Errorf("\"the second one\" through the other replica: got %.80q, want answer %s", sent[1].Get("text"), tc.want)
			}
		})
	}
}
