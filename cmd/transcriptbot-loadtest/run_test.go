package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// runReport runs the command with --json and returns its report, failing the test when the
// run failed. The load tester measures time and fails a run in which a Discord interaction was
// answered after the 3-second window; on a loaded machine that measures the machine, not the
// bot, so here a run whose only failure is lateness passes (the report still carries it).
func runReport(t *testing.T, args ...string) ltReport {
	t.Helper()
	code, stdout, stderr := runCLI(t, "", append(args, "--json")...)
	var rep ltReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("exit %d; output is not the JSON report: %v\nstdout:\n%s\nstderr:\n%s", code, err, stdout, stderr)
	}
	if code != exitOK && (code != exitError || !onlyLate(rep)) {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	return rep
}

// onlyLate reports whether every problem of rep is an answer past the Discord window.
func onlyLate(rep ltReport) bool {
	for _, r := range rep.Scenarios {
		if r.Lost != 0 || r.Duplicates != 0 || r.Violations != 0 {
			return false
		}
		for _, p := range r.Problems {
			if !strings.HasPrefix(p, "late: ") {
				return false
			}
		}
	}
	return true
}

func TestLoadtestScenarios(t *testing.T) {
	for _, sc := range []string{scenarioTelegramPoll, scenarioTelegramWebhook, scenarioDiscordHTTP} {
		t.Run(sc, func(t *testing.T) {
			rep := runReport(t, "--scenario", sc,
				"--updates", "300", "--chats", "20", "--interactions", "300", "--concurrency", "8", "--timeout", "40s")
			if len(rep.Scenarios) != 1 {
				t.Fatalf("got %d scenarios, want 1", len(rep.Scenarios))
			}
			r := rep.Scenarios[0]
			if r.Scenario != sc || r.Count != 300 {
				t.Errorf("scenario %q count %d, want %q 300", r.Scenario, r.Count, sc)
			}
			if r.Lost != 0 || r.Duplicates != 0 || r.Violations != 0 {
				t.Errorf("lost %d, duplicates %d, violations %d, problems %q; want none",
					r.Lost, r.Duplicates, r.Violations, r.Problems)
			}
			if r.Answered+r.Ignored != r.Count {
				t.Errorf("answered %d + ignored %d != count %d", r.Answered, r.Ignored, r.Count)
			}
			if sc == scenarioDiscordHTTP && r.Ignored != 0 {
				t.Errorf("discord: %d ignored, want 0", r.Ignored)
			}
			if strings.HasPrefix(sc, "telegram") && (r.Ignored == 0 || r.Ignored > r.Count/4) {
				t.Errorf("telegram: %d of %d updates were group chatter, want some but not most", r.Ignored, r.Count)
			}
			if !(0 < r.P50ms && r.P50ms <= r.P90ms && r.P90ms <= r.P99ms && r.P99ms <= r.MaxMs) {
				t.Errorf("latency percentiles not ordered: p50 %v p90 %v p99 %v max %v", r.P50ms, r.P90ms, r.P99ms, r.MaxMs)
			}
			if r.Seconds <= 0 || r.Throughput <= 0 || r.Requests < r.Answered || r.PeakHeap == 0 || r.PeakGo < r.PeakHeap {
				t.Errorf("implausible figures: %+v", r)
			}
		})
	}
}

// TestLoadtestRealRates runs a few updates under Telegram's published send limits, which the
// fake then checks.
func TestLoadtestRealRates(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "--scenario", "telegram-webhook", "--telegram-rates", "real",
		"--updates", "40", "--chats", "10", "--concurrency", "4", "--json")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestLoadtestDiscordDeferred makes the Discord adapter defer nearly every interaction, so
// that answers arrive as follow-ups at the fake REST server, which checks them.
func TestLoadtestDiscordDeferred(t *testing.T) {
	rep := runReport(t, "--scenario", "discord-http", "--discord-window", "1ns",
		"--interactions", "60", "--concurrency", "6")
	if r := rep.Scenarios[0]; r.Deferred == 0 || r.Answered != r.Count {
		t.Errorf("deferred %d, answered %d of %d; want some deferred and all answered", r.Deferred, r.Answered, r.Count)
	}
}

// TestLoadtestPagedAnswers runs over a transcript whose answers need several pages, so that
// button presses turn pages by editing messages, which the fake then checks.
func TestLoadtestPagedAnswers(t *testing.T) {
	var b strings.Builder
	b.WriteString("A long press conference\n\n")
	topics := []string{"cooperation in trade", "security and terrorism", "health and the pandemic"}
	for i, topic := range topics {
		fmt.Fprintf(&b, "%d. What was said about %s?\n\n", i+1, topic)
		for p := range 40 {
			fmt.Fprintf(&b, "Paragraph %d on %s: the parties discussed %s at length, with figures, "+
				"examples and plans for the coming years, and agreed to meet again <soon> & often.\n\n", p+1, topic, topic)
		}
	}
	path := filepath.Join(t.TempDir(), "long.txt")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, sc := range []string{scenarioTelegramPoll, scenarioDiscordHTTP} {
		rep := runReport(t, "--transcript", path, "--scenario", sc,
			"--updates", "300", "--chats", "10", "--interactions", "300", "--concurrency", "5")
		mix := rep.Scenarios[0].Mix
		if sc == scenarioTelegramPoll && mix["editMessageText"] == 0 {
			t.Errorf("telegram: no page turned by an edit: %v", mix)
		}
		if sc == scenarioDiscordHTTP && mix["type 7"] == 0 {
			t.Errorf("discord: no message updated by a button: %v", mix)
		}
	}
}

// TestLoadtestGroupRepeat turns group etiquette on: questions asked again in a group get a
// pointer to the earlier answer, which the fake accepts as their answer.
func TestLoadtestGroupRepeat(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "--scenario", "telegram-poll", "--group-repeat", "5m",
		"--updates", "300", "--chats", "10", "--json")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	var rep ltReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if n := rep.Scenarios[0].Mix["pointer to an earlier answer"]; n == 0 {
		t.Errorf("no pointer to an earlier answer in %v", rep.Scenarios[0].Mix)
	}
}

func TestLoadtestTable(t *testing.T) {
	// A Telegram scenario: Discord's, measured against its 3-second window, could fail on a
	// loaded machine.
	code, stdout, stderr := runCLI(t, "", "--scenario", "telegram-poll", "--updates", "40", "--chats", "4")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"telegram-poll", "p99 ms", "OK: nothing lost"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestLoadtestUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"help", []string{"--help"}, exitOK, "telegram-webhook"},
		{"unknown scenario", []string{"--scenario", "irc"}, exitUsage, `unknown --scenario "irc"`},
		{"zero updates", []string{"--updates", "0"}, exitUsage, "--updates must be"},
		{"zero chats", []string{"--chats", "0"}, exitUsage, "--chats must be"},
		{"negative concurrency", []string{"--concurrency", "-1"}, exitUsage, "--concurrency must be"},
		{"negative repeat", []string{"--group-repeat", "-1s"}, exitUsage, "--group-repeat must not be negative"},
		{"bad window", []string{"--discord-window", "4s"}, exitUsage, "--discord-window must be"},
		{"bad rates", []string{"--telegram-rates", "fast"}, exitUsage, "--telegram-rates"},
		{"argument", []string{"extra"}, exitUsage, `unexpected argument "extra"`},
		{"unknown flag", []string{"--nope"}, exitUsage, "flag provided but not defined"},
		{"bad lang", []string{"--lang", "klingon"}, exitUsage, "unknown --lang"},
		{"missing transcript", []string{"--transcript", "testdata/does-not-exist.txt"}, exitError, "does-not-exist.txt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, stdout, stderr)
			}
			if !strings.Contains(stdout+stderr, tc.want) {
				t.Errorf("output lacks %q:\n%s%s", tc.want, stdout, stderr)
			}
		})
	}
}

// TestLtTGCatchesDuplicates shows that the fake Bot API counts a second answer to one update,
// and an answer to the wrong message in a group, as duplicates.
func TestLtTGCatchesDuplicates(t *testing.T) {
	prob, lat := &ltProblems{}, &ltLatencies{}
	f, err := newLtTG(prob, lat)
	if err != nil {
		t.Fatal(err)
	}
	defer f.close()
	group := newLtChat()
	group.id, group.group, group.nextMsg = -100, true, 10
	group.obj = map[string]any{"id": -100, "type": "supergroup"}
	f.chats[group.id] = group
	e := &ltExpect{updateID: 1, chat: group, wantChat: true, replyTo: 10, done: make(chan struct{})}
	group.cur = e
	send := func(replyTo int) int {
		form := url.Values{"chat_id": {"-100"}, "text": {"<b>1.</b> answer"}, "parse_mode": {"HTML"},
			"reply_to_message_id": {strconv.Itoa(replyTo)}}
		resp, err := http.PostForm(f.srv.URL+"/bot"+f.srv.Token+"/sendMessage", form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := send(9); code != http.StatusOK || prob.duplicates != 1 || e.closed {
		t.Fatalf("reply to the wrong message: HTTP %d, %d duplicates, closed %v; want 200, 1, false", code, prob.duplicates, e.closed)
	}
	if code := send(10); code != http.StatusOK || prob.duplicates != 1 || !e.closed {
		t.Fatalf("the answer: HTTP %d, %d duplicates, closed %v; want 200, 1, true", code, prob.duplicates, e.closed)
	}
	if send(10); prob.duplicates != 2 {
		t.Fatalf("the answer again: %d duplicates, want 2", prob.duplicates)
	}
	if len(lat.d) != 1 {
		t.Errorf("%d latencies recorded, want 1", len(lat.d))
	}
}

// TestLtTGRateCheck shows that the rate check flags a chat sent to faster than Telegram allows
// and passes one sent to at its pace.
func TestLtTGRateCheck(t *testing.T) {
	prob := &ltProblems{}
	f := &ltTG{prob: prob, record: true, sends: map[int64][]time.Time{}, chats: map[int64]*ltChat{}}
	start := time.Now()
	for i := range 10 { // one a second after a burst of three: within the limit
		f.recordLocked(1, start.Add(time.Duration(max(i-2, 0))*time.Second))
	}
	f.checkRates()
	if prob.violations != 0 {
		t.Fatalf("paced sends flagged: %q", prob.first)
	}
	for i := range 6 { // six in half a second
		f.recordLocked(2, start.Add(time.Duration(i)*100*time.Millisecond))
	}
	f.checkRates()
	if prob.violations != 1 {
		t.Fatalf("%d violations for six messages in half a second, want 1: %q", prob.violations, prob.first)
	}
}

// runCLI runs the command with args and returns its exit code and output.
func runCLI(t *testing.T, _ string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut strings.Builder
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestLoadtestReportText checks that the text report explains its columns and does not
// claim the Discord interactions went over the fake REST API's connections.
func TestLoadtestReportText(t *testing.T) {
	rep := &ltReport{Transcript: "embedded", Questions: 10, Scenarios: []*ltResult{
		{Scenario: "telegram-poll", Count: 10, Requests: 12, Conns: 3},
		{Scenario: "discord-http", Count: 10, Requests: 12, Posted: 10, Conns: 1},
	}}
	var out strings.Builder
	if err := ltWriteReport(&out, rep); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"viol: replies breaking a platform rule",
		"late: Discord interactions answered after 3 s",
		"telegram-poll: 12 requests to the fake platform over 3 connections;",
		"discord-http: 10 interactions posted to the bot; 2 requests to the fake REST API over 1 connection;",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

// TestLoadtestReadsTheTranscriptSettings checks that TRANSCRIPT_FILE and TRANSCRIPT_LANG are
// the flags' defaults, as for transcriptbot's commands.
func TestLoadtestReadsTheTranscriptSettings(t *testing.T) {
	t.Setenv("TRANSCRIPT_LANG", "klingon")
	if code, _, stderr := runCLI(t, "", "--updates", "1"); code != exitUsage || !strings.Contains(stderr, `unknown --lang "klingon"`) {
		t.Errorf("TRANSCRIPT_LANG=klingon: exit %d, stderr %q; want a usage error", code, stderr)
	}
	t.Setenv("TRANSCRIPT_LANG", "")
	t.Setenv("TRANSCRIPT_FILE", "testdata/does-not-exist.txt")
	if code, _, stderr := runCLI(t, "", "--updates", "1"); code != exitError || !strings.Contains(stderr, "does-not-exist.txt") {
		t.Errorf("TRANSCRIPT_FILE: exit %d, stderr %q; want the missing file named", code, stderr)
	}
}
