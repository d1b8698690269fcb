package misses

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLogRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "misses.jsonl")
	l, err := NewLog(path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 13, 4, 5, 0, time.FixedZone("CET", 3600))
	l.now = func() time.Time { return at }

	steps := []struct {
		hash, query, reason string
	}{
		{"", "how does the SCO fight terrorists?", ReasonAbstained},
		{"", "   ", ReasonAbstained}, // not recorded
		{"3f2a9c1e", "sourdough\n\trecipes ", ReasonNoneOfThese},
		{"3f2a9c1e", "bad \xff utf-8 \x00 control", ReasonAbstained},
		{"", strings.Repeat("é", MaxQueryRunes+10), ReasonAbstained},
	}
	for _, st := range steps {
		if st.hash != "" {
			l.SetTranscript(st.hash)
		}
		if err := l.Record(st.query, st.reason); err != nil {
			t.Fatalf("Record(%q): %v", st.query, err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Record("after close", ReasonAbstained); !errors.Is(err, ErrClosed) {
		t.Errorf("Record after Close: got %v, want ErrClosed", err)
	}

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	want := []string{
		`{"time":"2026-03-01T12:04:05Z","query":"how does the SCO fight terrorists?","reason":"abstained"}`,
		`{"time":"2026-03-01T12:04:05Z","query":"sourdough recipes","reason":"none of these","transcript":"3f2a9c1e"}`,
		`{"time":"2026-03-01T12:04:05Z","query":"bad utf-8 control","reason":"abstained","transcript":"3f2a9c1e"}`,
		`{"time":"2026-03-01T12:04:05Z","query":"` + strings.Repeat("é", MaxQueryRunes) + `","reason":"abstained","transcript":"3f2a9c1e"}`,
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), data)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d: got %q, want %q", i+1, lines[i], want[i])
		}
	}
}

// TestLogHoldsNoIDs: a record has exactly the documented fields, none naming a person or place.
func TestLogHoldsNoIDs(t *testing.T) {
	b, err := json.Marshal(Record{Time: time.Unix(0, 0), Query: "q", Reason: "r", Transcript: "h"})
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(b, &fields); err != nil {
		t.Fatal(err)
	}
	var got []string
	for k := range fields {
		got = append(got, k)
	}
	slices.Sort(got)
	if want := []string{"query", "reason", "time", "transcript"}; !slices.Equal(got, want) {
		t.Errorf("fields: got %q, want %q", got, want)
	}
}

func TestLogConcurrentAppend(t *testing.T) {
	path := filepath.Join(t.TempDir(), "misses.jsonl")
	// Two logs on one file, as two processes would have.
	logs := make([]*Log, 2)
	for i := range logs {
		l, err := NewLog(path)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		logs[i] = l
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				if err := logs[w%2].Record(fmt.Sprintf("question %d from worker %d", i, w), ReasonAbstained); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := Read(f)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if len(recs) != 400 {
		t.Errorf("got %d records, want 400", len(recs))
	}
}

func TestLogReopen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "misses.jsonl")
	l, err := NewLog(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Record("before rotation", ReasonAbstained); err != nil {
		t.Fatal(err)
	}
	rotated := filepath.Join(dir, "misses.jsonl.1")
	if err := os.Rename(path, rotated); err != nil {
		t.Fatal(err)
	}
	if err := l.Record("still to the moved file", ReasonAbstained); err != nil {
		t.Fatal(err)
	}
	if err := l.Reopen(); err != nil {
		t.Fatalf("Reopen: %v", err)
	}
	if err := l.Record("after rotation", ReasonAbstained); err != nil {
		t.Fatal(err)
	}
	l.Close()
	if err := l.Reopen(); !errors.Is(err, ErrClosed) {
		t.Errorf("Reopen after Close: got %v, want ErrClosed", err)
	}
	for file, want := range map[string][]string{
		rotated: {"before rotation", "still to the moved file"},
		path:    {"after rotation"},
	} {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := Read(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range recs {
			got = append(got, r.Query)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %q, want %q", filepath.Base(file), got, want)
		}
	}
}

func TestNewLogError(t *testing.T) {
	_, err := NewLog(filepath.Join(t.TempDir(), "no-such-dir", "misses.jsonl"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got %v, want a not-exist error", err)
	}
}

func TestRead(t *testing.T) {
	ok := `{"time":"2026-03-01T12:00:00Z","query":"q1","reason":"abstained"}`
	tests := []struct {
		name    string
		in      string
		queries []string
		line    int    // of the error, 0 for none
		err     string // in the error
	}{
		{"empty", "", nil, 0, ""},
		{"records and blank lines", "\ufeff" + ok + "\n\n  \n" + `{"query":"  q2  ","reason":"none of these","extra":1}` + "\r\n", []string{"q1", "q2"}, 0, ""},
		{"no final newline", ok, []string{"q1"}, 0, ""},
		{"not an object", ok + "\nhello\n", []string{"q1"}, 2, "not a JSON object"},
		{"truncated JSON", ok + "\n" + `{"query":"x"`, []string{"q1"}, 2, "invalid JSON"},
		{"query of the wrong type", `{"query":5}`, nil, 1, `field "query": want a string, got a JSON number`},
		{"no query", ok + "\n" + ok + "\n" + `{"reason":"abstained"}`, []string{"q1", "q1"}, 3, "no query"},
		{"blank query", `{"query":"   "}`, nil, 1, "no query"},
		{"bad time", `{"time":"yesterday","query":"x"}`, nil, 1, "yesterday"},
		{"line too long", ok + "\n" + strings.Repeat("x", MaxLineBytes+1), []string{"q1"}, 2, "line too long"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, err := Read(strings.NewReader(tc.in))
			var got []string
			for _, r := range recs {
				got = append(got, r.Query)
			}
			if !slices.Equal(got, tc.queries) {
				t.Errorf("queries: got %q, want %q", got, tc.queries)
			}
			if tc.line == 0 {
				if err != nil {
					t.Errorf("got error %v, want none", err)
				}
				return
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a *ParseError", err)
			}
			if pe.Line != tc.line {
				t.Errorf("line: got %d, want %d", pe.Line, tc.line)
			}
			if !strings.Contains(err.Error(), tc.err) || !strings.HasPrefix(err.Error(), fmt.Sprintf("line %d: ", tc.line)) {
				t.Errorf("got %q, want %q containing %q", err, fmt.Sprintf("line %d: ...", tc.line), tc.err)
			}
		})
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(`{"time":"2026-03-01T12:00:00Z","query":"q1","reason":"abstained"}` + "\n"))
	f.Add([]byte("{\"query\":\"\\u0000\"}\n{"))
	f.Add([]byte("\ufeff\n\n{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := Read(bytes.NewReader(data))
		var pe *ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Fatalf("error %v is not a *ParseError", err)
		}
		for _, r := range recs {
			if strings.TrimSpace(r.Query) == "" {
				t.Fatalf("record with a blank query: %+v", r)
			}
		}
	})
}
