package misses

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRecordInNamesTheBriefing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "misses.jsonl")
	l, err := NewLog(path)
	if err != nil {
		t.Fatal(err)
	}
	l.SetTranscript("aaaaaaaa")
	if err := l.RecordIn("night trams", ReasonAbstained, "2024-05-07-town-hall", "bbbbbbbb"); err != nil {
		t.Fatal(err)
	}
	if err := l.Record("plain", ReasonAbstained); err != nil {
		t.Fatal(err)
	}
	l.Close()
	data, _ := os.ReadFile(path)
	recs, err := Read(strings.NewReader(string(data)))
	if err != nil || len(recs) != 2 {
		t.Fatalf("got %v, %v", recs, err)
	}
	if r := recs[0]; r.Briefing != "2024-05-07-town-hall" || r.Transcript != "bbbbbbbb" || r.Query != "night trams" {
		t.Errorf("RecordIn: got %+v", r)
	}
	if r := recs[1]; r.Briefing != "" || r.Transcript != "aaaaaaaa" {
		t.Errorf("Record: got %+v", r)
	}
}
