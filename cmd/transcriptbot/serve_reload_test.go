package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"transcriptbot/adapters/prometheus"
	"transcriptbot/bot"
	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

// numberedTranscript returns a transcript of n questions whose answers carry tag.
func numberedTranscript(n int, tag string) string {
	var b strings.Builder
	b.WriteString("Briefing of the Harbour Authority\n\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d. What happens to pier number %d this season?\n\nPier %d gets new lights and a %s railing; work ends in week %d.\n\n", i, i, i, tag, i%52+1)
	}
	return b.String()
}

// newTestReloader returns a reloader of the transcript at path (loaded now), its log and the
// lengths of the transcripts it swaps in.
func newTestReloader(t *testing.T, path string) (*reloader, *syncBuffer, func() []int) {
	t.Helper()
	tr, err := loadTranscriptFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := matcher.New(tr, matcher.Options{Language: defaultLang})
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	cfg := &Config{TranscriptFile: path, Lang: defaultLang, Transcript: tr}
	r := newReloader(cfg, bot.New(m, bot.Options{}), prometheus.NewMetrics(), slog.New(slog.NewTextHandler(logs, nil)))
	var mu sync.Mutex
	var swapped []int
	r.onSwap = func(t *transcript.Transcript) {
		mu.Lock()
		swapped = append(swapped, t.Len())
		mu.Unlock()
	}
	return r, logs, func() []int {
		mu.Lock()
		defer mu.Unlock()
		return append([]int(nil), swapped...)
	}
}

// TestReloadWaitsForACompleteFile: a file rewritten in place while the reloader reads it —
// here a writer adding one piece each time the reloader pauses between its reads — is never
// swapped in half-written (it used to be: 48, 95, 184... of 300 questions); once the writer
// is done, the whole file is.
func TestReloadWaitsForACompleteFile(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "talk.txt", numberedTranscript(300, "blue"))
	r, logs, swapped := newTestReloader(t, path)

	next := numberedTranscript(300, "green")
	const pieces = 12
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0) // in place, as an editor saving over it
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	written := 0
	writePiece := func() {
		if written == pieces {
			return
		}
		written++
		if _, err := f.WriteString(next[len(next)*(written-1)/pieces : len(next)*written/pieces]); err != nil {
			t.Fatal(err)
		}
	}
	writePiece()
	r.sleep = func(time.Duration) { writePiece() } // the writer moves on while the reloader waits
	r.tries = 3
	for range pieces {
		if r.reload("file changed") {
			if written < pieces {
				t.Fatalf("swapped in after %d of %d pieces were written: %v", written, pieces, swapped())
			}
			break
		}
	}
	if got := swapped(); len(got) != 1 || got[0] != 300 {
		t.Fatalf("swapped in: got %v, want one transcript of 300 questions", got)
	}
	if !strings.Contains(logs.String(), "kept changing while it was read") {
		t.Errorf("logs: want the still-changing refusals:\n%s", logs)
	}
}

// TestReloadRefusesOverLimitFile: a file over the size cap is refused, never a prefix of it
// loaded (a 77,197-question prefix of one once was).
func TestReloadRefusesOverLimitFile(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "talk.txt", numberedTranscript(3, "blue"))
	r, logs, swapped := newTestReloader(t, path)
	r.sleep = func(time.Duration) {}
	big := numberedTranscript(3, "green")
	big += strings.Repeat(strings.Repeat("x", 1000)+"\n", transcript.MaxSize/1001+1)
	if err := os.WriteFile(path, []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	if r.reload("file changed") {
		t.Fatalf("an over-limit file was swapped in: %v", swapped())
	}
	if !strings.Contains(logs.String(), "file too large") {
		t.Errorf("logs: want the size refusal:\n%s", logs)
	}
	_, err := readVersion(path)
	if !errors.Is(err, transcript.ErrTooLarge) {
		t.Errorf("readVersion: got %v, want ErrTooLarge", err)
	}
}

// TestReloadSameContentKeepsButtons: a reload of the same content swaps nothing in, so the
// version buttons carry stays valid; a changed file is swapped in under a new version.
func TestReloadSameContentKeepsButtons(t *testing.T) {
	dir := t.TempDir()
	content := numberedTranscript(5, "blue")
	path := writeFile(t, dir, "talk.txt", content)
	r, _, swapped := newTestReloader(t, path)
	r.sleep = func(time.Duration) {}
	before := r.core.Version()
	later := time.Now().Add(time.Minute)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil { // touched, same bytes
		t.Fatal(err)
	}
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	r.poll()
	if got := r.core.Version(); got != before || len(swapped()) != 0 {
		t.Errorf("after rewriting the same content: version %q (was %q), swapped %v; want nothing swapped", got, before, swapped())
	}
	writeFile(t, dir, "talk.txt", numberedTranscript(6, "blue"))
	r.poll()
	if got := r.core.Version(); got == before || len(swapped()) != 1 {
		t.Errorf("after a change: version %q (was %q), swapped %v; want a new version swapped in", got, before, swapped())
	}
}

// reloadSwapRE reads the questions of every transcript swapped in from serve's log.
var reloadSwapRE = regexp.MustCompile(`msg="transcript reloaded".* questions=(\d+)`)

// TestServeReloadSlowWriter: serve polls the transcript every 100 ms while a slow writer
// rewrites it in place, over and over (each rewrite takes longer than a poll interval); every
// transcript it swaps in is a complete one. The README's figure comes from this test.
func TestServeReloadSlowWriter(t *testing.T) {
	s := newDiscordSigner(t)
	dir := t.TempDir()
	versions := []string{numberedTranscript(300, "blue"), numberedTranscript(250, "green")}
	path := writeFile(t, dir, "talk.txt", versions[0])
	r := startServe(t, discordEnv(s, map[string]string{"TRANSCRIPT_FILE": path, "RELOAD_INTERVAL": "100ms"}), nil)

	const rewrites, pieces = 8, 40
	start := time.Now()
	for i := 1; i <= rewrites; i++ {
		content := versions[i%2]
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			t.Fatal(err)
		}
		for p := range pieces {
			if _, err := f.WriteString(content[len(content)*p/pieces : len(content)*(p+1)/pieces]); err != nil {
				t.Fatal(err)
			}
			time.Sleep(10 * time.Millisecond) // about 400 ms a rewrite: polls land mid-write
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		want := float64(strings.Count(content, "What happens to pier"))
		waitDeadline(t, 30*time.Second, "rewrite "+strconv.Itoa(i)+" to be served", func() bool {
			return r.metric("transcriptbot_transcript_questions") == want
		})
	}
	logs := r.logs.String()
	var served []int
	for _, m := range reloadSwapRE.FindAllStringSubmatch(logs, -1) {
		n, _ := strconv.Atoi(m[1])
		served = append(served, n)
	}
	torn := 0
	for _, n := range served {
		if n != 300 && n != 250 {
			torn++
		}
	}
	t.Logf("%d in-place rewrites of %s (40 pieces 10 ms apart) in %v, polled every 100 ms: %d transcripts swapped in %v, %d torn; %d reads refused as still changing, %d failed to parse",
		rewrites, filepath.Base(path), time.Since(start).Round(time.Millisecond), len(served), served, torn,
		strings.Count(logs, "kept changing while it was read"), strings.Count(logs, "reload failed")-strings.Count(logs, "kept changing"))
	if torn != 0 || len(served) != rewrites {
		t.Errorf("swapped in: got %v, want %d complete transcripts (300 or 250 questions), one per rewrite", served, rewrites)
	}
}
