package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"transcriptbot/matcher/archive"
	"transcriptbot/transcript"
)

// stdJSON is what encoding/json writes for v with HTML escaping off: the reference that
// appendJSON must match byte for byte.
func stdJSON(t testing.TB, v any) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// trickyString builds a string from pieces encoding/json treats specially.
func trickyString(r *rand.Rand) string {
	pieces := []string{"a", "Shanghai", " ", "\"", "\\", "\n", "\r", "\t", "\b", "\f", "\x00", "\x1f", "\x7f",
		"<", ">", "&", "é", "€", "😀", "\u2028", "\u2029", "\xff", "\xe2\x82", "…", "'", "/"}
	var b strings.Builder
	for range r.IntN(12) {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

func TestAskResultJSONMatchesEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 1))
	floats := []float64{0, 1, 0.5, 0.9829, 0.0001, 1e-7, 1.5e-9, -2e-7, 1e21, 123456789, 1e20, -0.25, math.SmallestNonzeroFloat64, math.MaxFloat64}
	for i := range 2000 {
		res := askResult{
			Query: trickyString(r), Number: r.IntN(200) - 1, Confidence: floats[r.IntN(len(floats))],
			Ambiguous: r.IntN(2) == 0, Question: trickyString(r), Excerpt: trickyString(r),
			Transcript: trickyString(r), Title: trickyString(r), Date: trickyString(r),
			Unread: r.IntN(5), Read: r.IntN(30),
		}
		if r.IntN(4) > 0 {
			res.Terms = []string{}
			for range r.IntN(4) {
				res.Terms = append(res.Terms, trickyString(r))
			}
		}
		if r.IntN(4) > 0 {
			res.Alternatives, res.AlternativeConfidences = []int{}, []float64{}
			for range r.IntN(4) {
				res.Alternatives = append(res.Alternatives, r.IntN(1000))
				res.AlternativeConfidences = append(res.AlternativeConfidences, floats[r.IntN(len(floats))])
			}
		}
		if r.IntN(3) == 0 {
			res.Others = []askOther{}
			for range r.IntN(3) {
				res.Others = append(res.Others, askOther{Transcript: trickyString(r), Number: r.IntN(50), Confidence: floats[r.IntN(len(floats))]})
			}
		}
		got, err := res.appendJSON(nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := stdJSON(t, res); string(got) != want {
			t.Fatalf("result %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

// TestQuoteMemo: a batch's memo gives the same bytes as quoting each time, for entries and
// briefings seen before and new ones, and stops growing at quoteMemoMax.
func TestQuoteMemo(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 2))
	entries := make([]*transcript.Entry, 20)
	for i := range entries {
		entries[i] = &transcript.Entry{Number: i + 1, Question: trickyString(r)}
	}
	briefings := make([]*archive.Briefing, 5)
	for i := range briefings {
		briefings[i] = &archive.Briefing{ID: trickyString(r), Title: trickyString(r)}
	}
	answer := strings.Repeat(trickyString(r)+"answer text ", 40)
	memo := newQuoteMemo()
	for i := range 3000 {
		res := askResult{Query: trickyString(r), Excerpt: trickyString(r)}
		if r.IntN(2) == 0 { // a slice of a long-lived answer, as the matcher's excerpts are
			a := r.IntN(len(answer))
			res.Excerpt = answer[a : a+r.IntN(len(answer)-a+1)]
		}
		if r.IntN(5) > 0 { // else an abstention: no entry, no briefing
			e, b := entries[r.IntN(len(entries))], briefings[r.IntN(len(briefings))]
			res.Number, res.Question, res.entry = e.Number, e.Question, e
			res.Transcript, res.Title, res.Date, res.briefing = b.ID, b.Title, b.DateString(), b
		}
		got, err := res.appendJSON([]byte("prefix"), memo)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := res.appendJSON([]byte("prefix"), nil)
		if string(got) != string(want) {
			t.Fatalf("result %d:\n got %s\nwant %s", i, got, want)
		}
		if string(got[len("prefix"):]) != stdJSON(t, res) {
			t.Fatalf("result %d: %s is not encoding/json's %s", i, got, stdJSON(t, res))
		}
	}
	if len(memo.excerpts) == 0 {
		t.Error("no excerpt was kept")
	}
	if len(memo.questions) != len(entries) || len(memo.briefings) != len(briefings) {
		t.Fatalf("memo holds %d questions and %d briefings, want %d and %d", len(memo.questions), len(memo.briefings), len(entries), len(briefings))
	}
	full := newQuoteMemo()
	for i := range quoteMemoMax + 10 {
		e := &transcript.Entry{Number: i, Question: fmt.Sprintf("question %d \"quoted\"", i)}
		res := askResult{Question: e.Question, entry: e}
		got, want := full.question(nil, &res), appendJSONString(nil, e.Question)
		if string(got) != string(want) {
			t.Fatalf("%q: got %s want %s", e.Question, got, want)
		}
	}
	if len(full.questions) != quoteMemoMax {
		t.Fatalf("memo holds %d questions, want the cap %d", len(full.questions), quoteMemoMax)
	}
}

// TestAppendJSONFloatTenThousandths: every confidence rounded to 4 decimals, and numbers
// near them, are written as encoding/json writes them.
func TestAppendJSONFloatTenThousandths(t *testing.T) {
	for n := 0; n <= 10000; n++ {
		f := float64(n) / 1e4
		for _, v := range []float64{f, math.Nextafter(f, 2), math.Nextafter(f, -1), round4(f + 0.00004)} {
			got, err := appendJSONFloat(nil, v)
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.TrimSuffix(stdJSON(t, v), "\n"); string(got) != want {
				t.Fatalf("%v: got %s, want %s", v, got, want)
			}
		}
	}
}

func TestAskResultJSONRejectsNaN(t *testing.T) {
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		res := askResult{Confidence: f}
		if _, err := res.appendJSON(nil, nil); err == nil {
			t.Errorf("confidence %v: no error", f)
		}
		res = askResult{AlternativeConfidences: []float64{0.5, f}}
		if _, err := res.appendJSON(nil, nil); err == nil {
			t.Errorf("alternative confidence %v: no error", f)
		}
	}
}

// FuzzAppendJSONString: any string is quoted as encoding/json quotes it.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "quote\" and \\", "\x00\n\u2028\xff", "😀…"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := stdJSON(t, s)
		if got := string(appendJSONString(nil, s)) + "\n"; got != want {
			t.Fatalf("%q: got %s want %s", s, got, want)
		}
	})
}

// BenchmarkAppendJSONString quotes the default transcript's first answer (ASCII with
// typographic quotes and dashes).
func BenchmarkAppendJSONString(b *testing.B) {
	s := transcript.Default().Entries[0].Answer()
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	buf := make([]byte, 0, 2*len(s))
	for b.Loop() {
		buf = appendJSONString(buf[:0], s)
	}
}

// TestAppendJSONStringEveryByte puts every byte value at every place of a 16-byte run of
// plain text, so that each of the eight-byte blocks appendJSONString skips meets it.
func TestAppendJSONStringEveryByte(t *testing.T) {
	for c := range 256 {
		for at := range 16 {
			b := []byte("plain text here!")
			b[at] = byte(c)
			s := string(b)
			if got, want := string(appendJSONString(nil, s))+"\n", stdJSON(t, s); got != want {
				t.Fatalf("%q: got %s want %s", s, got, want)
			}
		}
	}
}
