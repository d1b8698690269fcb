package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"transcriptbot/matcher/archive"
	"transcriptbot/transcript"
)

// countingWriter counts the writes that reach it.
type countingWriter struct {
	strings.Builder
	writes int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	return w.Builder.Write(p)
}

func defaultMatcher(t testing.TB) *archive.Archive {
	t.Helper()
	a := archive.New(archive.Options{})
	if err := a.Put(transcript.NewBriefing("default", "", transcript.Default())); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestAskJSONBatchWritesOnce: queries that arrive together are answered in one write.
func TestAskJSONBatchWritesOnce(t *testing.T) {
	m := defaultMatcher(t)
	in := strings.Repeat("what is the Shanghai spirit\n", 50) + "last line\n"
	var out countingWriter
	if err := askJSONBatch(context.Background(), strings.NewReader(in), &out, m, 80); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 51 {
		t.Fatalf("got %d lines, want 51", len(lines))
	}
	var last askResult
	if err := json.Unmarshal([]byte(lines[50]), &last); err != nil || last.Query != "last line" {
		t.Errorf("last line: got %q (%v)", lines[50], err)
	}
	if out.writes != 1 {
		t.Errorf("got %d writes for one buffered batch (%d bytes), want 1", out.writes, out.Len())
	}
}

// TestAskJSONCoProcess: a program that sends one query and waits for its answer before the
// next gets every answer without closing its end.
func TestAskJSONCoProcess(t *testing.T) {
	m := defaultMatcher(t)
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- askJSONBatch(context.Background(), inR, outW, m, 80); outW.Close() }()
	answers := bufio.NewScanner(outR)
	for _, q := range []string{"what is the Shanghai spirit", "", "terrorism"} {
		if _, err := io.WriteString(inW, q+"\n"); err != nil {
			t.Fatal(err)
		}
		got := make(chan string, 1)
		go func() {
			if answers.Scan() {
				got <- answers.Text()
			}
			close(got)
		}()
		select {
		case line := <-got:
			var r askResult
			if err := json.Unmarshal([]byte(line), &r); err != nil || r.Query != q {
				t.Fatalf("got %q (%v), want the answer to %q", line, err, q)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no answer to %q while the input stays open", q)
		}
	}
	inW.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestAskJSONLongLine(t *testing.T) {
	m := defaultMatcher(t)
	in := strings.Repeat("a", maxQueryLine) + "\n" + strings.Repeat("b", maxQueryLine+1) + "\n"
	var out strings.Builder
	err := askJSONBatch(context.Background(), strings.NewReader(in), &out, m, 80)
	if err == nil || !strings.Contains(err.Error(), "longer than 1 MiB") {
		t.Errorf("got %v, want a line-too-long error", err)
	}
	if strings.Count(out.String(), "\n") != 1 {
		t.Errorf("got %d answers, want the 1 MiB line answered", strings.Count(out.String(), "\n"))
	}
}

func TestAskJSONLastLineWithoutNewline(t *testing.T) {
	m := defaultMatcher(t)
	var out strings.Builder
	if err := askJSONBatch(context.Background(), strings.NewReader("terrorism\nShanghai spirit"), &out, m, 80); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	var r askResult
	if len(lines) != 2 || json.Unmarshal([]byte(lines[1]), &r) != nil || r.Query != "Shanghai spirit" {
		t.Errorf("got %q, want two answers, the last to %q", out.String(), "Shanghai spirit")
	}
}

// TestBatchGC: a batch over a small live heap lets the collector run less often, and puts
// the percentage back after; a GOGC the user set is left alone.
func TestBatchGC(t *testing.T) {
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	restore := batchGC(false)
	if got := debug.SetGCPercent(100); got != batchGCPercent {
		t.Errorf("during a batch: GC percent %d, want %d", got, batchGCPercent)
	}
	debug.SetGCPercent(batchGCPercent)
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("after the batch: GC percent %d, want 100 back", got)
	}
	restore = batchGC(true)
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC set by the user: GC percent %d, want it left at 100", got)
	}
	restore()
	// A large live heap (a big archive) keeps the default.
	big := make([]byte, batchGCMaxLive+(16<<20))
	for i := range big {
		big[i] = byte(i)
	}
	runtime.GC()
	restore = batchGC(false)
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("live heap over %d MiB: GC percent %d, want it left at 100", batchGCMaxLive>>20, got)
	}
	restore()
	runtime.KeepAlive(big)
}

// TestBatchProcs: a batch runs on one processor and puts the setting back after; a
// GOMAXPROCS the user set is left alone.
func TestBatchProcs(t *testing.T) {
	old := runtime.GOMAXPROCS(3)
	defer runtime.GOMAXPROCS(old)
	restore := batchProcs(false)
	if got := runtime.GOMAXPROCS(0); got != 1 {
		t.Errorf("during a batch: GOMAXPROCS %d, want 1", got)
	}
	restore()
	if got := runtime.GOMAXPROCS(0); got != 3 {
		t.Errorf("after the batch: GOMAXPROCS %d, want 3 back", got)
	}
	restore = batchProcs(true)
	if got := runtime.GOMAXPROCS(0); got != 3 {
		t.Errorf("GOMAXPROCS set by the user: %d, want it left at 3", got)
	}
	restore()
}
