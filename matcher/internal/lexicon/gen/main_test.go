package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func gunzipFile(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func firstDiff(a, b []byte) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// TestTablesUpToDate regenerates both tables from the Debian packages' data, as go generate
// does, and compares them with the committed ones. It runs only where wordnet-base and scowl
// are installed, and not with -short or -race.
func TestTablesUpToDate(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("regenerating takes seconds (minutes under -race); run go test ./matcher/internal/lexicon/gen")
	}
	for _, dir := range []string{DefaultWordNet, DefaultSCOWL} {
		if _, err := os.Stat(dir); err != nil {
			t.Skipf("%s not installed (apt-get install wordnet-base scowl): %v", dir, err)
		}
	}
	out := t.TempDir()
	if err := run(DefaultWordNet, DefaultSCOWL, DefaultMaxLevel, DefaultOptions, out); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"wordnet.gz", "scowl.gz", "variants.gz"} {
		got, want := gunzipFile(t, filepath.Join("..", f)), gunzipFile(t, filepath.Join(out, f))
		if !bytes.Equal(got, want) {
			t.Errorf("%s is out of date (first difference at byte %d): run go generate ./matcher/internal/lexicon", f, firstDiff(got, want))
		}
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	if _, err := Thesaurus(dir, DefaultOptions); err == nil {
		t.Error("Thesaurus of an empty directory: no error")
	}
	if _, err := WordLevels(dir, DefaultMaxLevel); err == nil {
		t.Error("WordLevels of an empty directory: no error")
	}
	if err := os.WriteFile(filepath.Join(dir, "data.noun"), []byte("00001740 03 n zz\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Thesaurus(dir, DefaultOptions); err == nil {
		t.Error("Thesaurus of a malformed data.noun: no error")
	}
}
