package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"transcriptbot/transcript"
)

func TestArchiveScenario(t *testing.T) {
	var out, errOut strings.Builder
	code := run(context.Background(), []string{"archive", "--briefings", "30", "--entries", "10", "--queries", "100", "--json"}, &out, &errOut)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var r archiveResult
	if err := json.Unmarshal([]byte(out.String()), &r); err != nil {
		t.Fatal(err)
	}
	if r.Briefings != 30 || r.Queries != 100 || r.P99ms < r.MedianMs || r.Searched < 1 || r.Right < 0.8 || r.BuildSeconds <= 0 {
		t.Errorf("implausible result %+v", r)
	}
}

func TestArchiveWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "briefings")
	var out, errOut strings.Builder
	if code := run(context.Background(), []string{"archive", "--briefings", "3", "--entries", "2", "--write", dir}, &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	bs, broken, err := transcript.LoadDir(dir)
	if err != nil || len(broken) > 0 || len(bs) != 3 || bs[0].ID != "2015-01-05-briefing-0001" || bs[0].Date.IsZero() || bs[0].Len() != 2 {
		t.Fatalf("got %d briefings, broken %v, err %v", len(bs), broken, err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 3 {
		t.Errorf("got %d files, want 3", len(ents))
	}
	if code := run(context.Background(), []string{"archive", "--briefings", "0"}, &out, &errOut); code != exitUsage {
		t.Errorf("--briefings 0: exit %d, want 2", code)
	}
}
