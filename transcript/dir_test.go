package transcript

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestHeaderLines(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		date     string
		language string
		err      error
		line     int
	}{
		{"none", "Title\n\n1. Q?\n\nA.\n", "", "", nil, 0},
		{"both", "Title\nDate: 2020-06-12\nlanguage: Spanish\n\n1. Q?\n\nA.\n", "2020-06-12", "spanish", nil, 0},
		{"bad date", "Title\nDate: 12 June 2020\n\n1. Q?\n\nA.\n", "", "", ErrBadDate, 2},
		{"bad language", "Title\nLanguage: old english\n\n1. Q?\n\nA.\n", "", "", ErrBadLanguage, 2},
		{"other header is text", "Title\nPlace: Moscow\n\n1. Q?\n\nA.\n", "", "", ErrTextBeforeQuestion, 2},
		{"date as title", "Date: 2020-06-12\n\n1. Q?\n\nA.\n", "", "", nil, 0},
		{"date in an answer is text", "Title\n\n1. Q?\n\nDate: 2020-06-12\n", "", "", nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr, err := Parse(strings.NewReader(tc.text))
			if tc.err != nil {
				var pe *ParseError
				if !errors.Is(err, tc.err) || !errors.As(err, &pe) || pe.Line != tc.line {
					t.Fatalf("got error %v, want %v at line %d", err, tc.err, tc.line)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if !tr.Date.IsZero() {
				got = tr.Date.Format(DateLayout)
			}
			if got != tc.date || tr.Language != tc.language {
				t.Errorf("got date %q language %q, want %q %q", got, tr.Language, tc.date, tc.language)
			}
		})
	}
}

func TestHeaderLinesChangeTheHash(t *testing.T) {
	a, _ := Parse(strings.NewReader("Title\n\n1. Q?\n\nA.\n"))
	b, _ := Parse(strings.NewReader("Title\nDate: 2020-06-12\n\n1. Q?\n\nA.\n"))
	if a.Hash == b.Hash {
		t.Errorf("a date did not change the hash %q", a.Hash)
	}
	// The embedded briefing is dated (the SCO Secretariat's press conference of 12 June 2020):
	// the matcher reads its "this year" as 2020.
	if d := Default(); d.Hash != d.computeHash() || d.Date.Format(DateLayout) != "2020-06-12" {
		t.Errorf("default transcript changed: hash %q, date %v", d.Hash, d.Date)
	}
}

func TestSidecarSettings(t *testing.T) {
	tr, err := Parse(strings.NewReader("Title\n\n1. Q?\n\nA.\n"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseSidecar(strings.NewReader("[transcript]\ndate = 2021-01-02\nlanguage: French\n"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := tr.WithSidecar(s)
	if err != nil {
		t.Fatal(err)
	}
	if got.Date.Format(DateLayout) != "2021-01-02" || got.Language != "french" {
		t.Errorf("got %v %q, want 2021-01-02 french", got.Date, got.Language)
	}
	if got.Hash == tr.Hash {
		t.Error("settings did not change the hash")
	}

	if _, err := ParseSidecar(strings.NewReader("[transcript]\nplace = Moscow\n")); !errors.Is(err, ErrBadSetting) {
		t.Errorf("got %v, want ErrBadSetting", err)
	}
	dated, _ := Parse(strings.NewReader("Title\nDate: 2020-01-01\n\n1. Q?\n\nA.\n"))
	_, err = dated.WithSidecar(s)
	var pe *ParseError
	if !errors.Is(err, ErrConflict) || !errors.As(err, &pe) || pe.Line != 2 {
		t.Errorf("got %v, want ErrConflict at line 2", err)
	}
}

func TestIsTranscriptFile(t *testing.T) {
	for name, want := range map[string]bool{
		"a.txt": true, "2020-06-12.TXT": true, "a.ini": false, ".a.txt": false, "#a.txt#": false,
		"a.txt~": false, ".txt": false, "README.md": false, "a": false,
	} {
		if got := IsTranscriptFile(name); got != want {
			t.Errorf("IsTranscriptFile(%q) = %v, want %v", name, got, want)
		}
	}
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadDir(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"2020-06-12-sco.txt": "SCO press conference\n\n1. Q?\n\nA.\n",
		"2020-06-12-sco.ini": "[question 1]\nanother way to ask\n",
		"weekly.txt":         "Weekly briefing\nDate: 2021-03-04\nLanguage: spanish\n\n1. ¿Qué?\n\nEso.\n",
		"broken.txt":         "Broken\n\n1. Q?\n\nA.\n\n3. Skipped two?\n\nA.\n",
		"badside.txt":        "Bad sidecar\n\n1. Q?\n\nA.\n",
		"badside.ini":        "[question 9]\nno such question\n",
		"notes.md":           "not a transcript",
		"2020-13-01-x.txt":   "Not a date in the name\n\n1. Q?\n\nA.\n",
	})
	bs, broken, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, b := range bs {
		ids = append(ids, b.ID)
	}
	if got, want := strings.Join(ids, " "), "2020-06-12-sco 2020-13-01-x weekly"; got != want {
		t.Errorf("got ids %q, want %q", got, want)
	}
	if len(broken) != 2 {
		t.Fatalf("got broken %v, want 2 errors", broken)
	}
	for _, want := range []string{filepath.Join(dir, "badside.ini") + ":1: ", filepath.Join(dir, "broken.txt") + ":7: "} {
		found := false
		for _, e := range broken {
			found = found || strings.HasPrefix(e.Error(), want)
		}
		if !found {
			t.Errorf("no error starting %q in %v", want, broken)
		}
	}
	sco, x, weekly := bs[0], bs[1], bs[2]
	if sco.Date != time.Date(2020, 6, 12, 0, 0, 0, 0, time.UTC) || sco.Title != "SCO press conference" || len(sco.Entries[0].Alternates) != 1 {
		t.Errorf("sco: got date %v title %q alternates %v", sco.Date, sco.Title, sco.Entries[0].Alternates)
	}
	if !x.Date.IsZero() {
		t.Errorf("2020-13-01-x: got date %v, want none", x.Date)
	}
	if weekly.Date.Format(DateLayout) != "2021-03-04" || weekly.Language != "spanish" {
		t.Errorf("weekly: got %v %q", weekly.Date, weekly.Language)
	}
}

func TestLoadDirEmptyAndMissing(t *testing.T) {
	if _, _, err := LoadDir(writeFiles(t, map[string]string{"a.ini": "[synonyms]\na, b\n"})); !errors.Is(err, ErrNoTranscripts) {
		t.Errorf("got %v, want ErrNoTranscripts", err)
	}
	if _, _, err := LoadDir(filepath.Join(t.TempDir(), "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got %v, want not exist", err)
	}
}
