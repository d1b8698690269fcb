package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	tr := write(t, dir, "t.txt", "Title\n\n1. Who treats the sick?\n\nThe physicians of the city.\n\n2. What about the roads?\n\nEach road has a trench beside it.\n")
	q := write(t, dir, "q.tsv", "# expected\tkind\tquery\n1\tP\tdoctors\n2\tP\tditch\n0\tO\tphysician salaries\n2\tN\tshow me q2\n")
	var out strings.Builder
	if err := run(&out, tr, []string{q}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	// doctors -> physician (synonym of the first sense) bridges query 1; the out-of-scope
	// and number queries are not counted.
	for _, want := range []string{
		"2 answerable queries, 2 entries",
		"synonym      1         4             1           1  2.00        1       0",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	tr := write(t, dir, "t.txt", "1. Q?\n\nA.\n")
	for _, q := range []string{"1\tP\n", "x\tP\tq\n", "5\tP\tq\n"} {
		p := write(t, dir, "q.tsv", q)
		if err := run(&strings.Builder{}, tr, []string{p}); err == nil || !strings.Contains(err.Error(), "q.tsv:1:") {
			t.Errorf("queries %q: error %v, want one naming q.tsv:1", q, err)
		}
	}
	if err := run(&strings.Builder{}, filepath.Join(dir, "none.txt"), nil); err == nil {
		t.Error("missing transcript: no error")
	}
	bad := write(t, dir, "bad.txt", "no questions here\n")
	if err := run(&strings.Builder{}, bad, nil); err == nil {
		t.Error("transcript without questions: no error")
	}
}
