package transcript

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParse(f *testing.F) {
	f.Add(string(defaultText))
	f.Add("T\n1. Q?\nA.\n2. Q?\nB. C.\n")
	f.Add("\uFEFF1.\u00a0Q?\r\n\r\nA\r\n")
	f.Add("1. \n")
	f.Add("12345678. x\n")
	f.Add("T\n1) Été?\nA.\n")
	f.Add("Q: What?\nA: That.\n")
	f.Add("T\n1. Q?\nA:\n1. a\n")
	f.Add("T\nDate: 2020-06-12\nLanguage: spanish\n\n1. Q?\n\nA.\n")
	f.Add("T\ndate:2020-13-01\n1. Q?\nA.\n")
	f.Add("Civil Aviation Authority\n1. Q?\nThe Bank of-Norvania (BoN) and Air-Rights (AR Act) & Co-Op (\n")
	f.Fuzz(func(t *testing.T, input string) {
		tr, err := Parse(strings.NewReader(input))
		if err != nil {
			if tr != nil {
				t.Fatal("got a transcript and an error")
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %T %v, want *ParseError", err, err)
			}
			if !utf8.ValidString(err.Error()) {
				t.Fatalf("error message is not valid UTF-8: %q", err)
			}
			return
		}
		if tr.Len() == 0 || len(tr.Hash) != 8 {
			t.Fatalf("got %d entries, hash %q", tr.Len(), tr.Hash)
		}
		for _, a := range tr.Acronyms() {
			if a.Acronym == "" || a.Name == "" || !utf8.ValidString(a.Acronym) || !utf8.ValidString(a.Name) {
				t.Fatalf("bad acronym %+v", a)
			}
		}
		for _, a := range tr.TitleAcronyms() {
			if a == "" || !utf8.ValidString(a) {
				t.Fatalf("bad title acronym %q", a)
			}
		}
		for i, e := range tr.Entries {
			if e.Number != i+1 || e.Question == "" || len(e.Paragraphs) == 0 {
				t.Fatalf("bad entry %+v", e)
			}
			for _, s := range e.Sentences {
				if !utf8.ValidString(s.Text) || s.Text == "" || s.Paragraph >= len(e.Paragraphs) {
					t.Fatalf("bad sentence %+v", s)
				}
			}
		}
	})
}

func FuzzParseSidecar(f *testing.F) {
	f.Add("[question 1]\nalt\n[synonyms]\na, b\n")
	f.Add("; c\n[Question 99999999999999999999]\n")
	f.Add("[synonyms]\n,\n")
	f.Add("[transcript]\ndate = 2020-06-12\nlanguage: French\n")
	f.Add("[Transcript]\nplace = x\n")
	f.Fuzz(func(t *testing.T, input string) {
		s, err := ParseSidecar(strings.NewReader(input))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %T %v, want *ParseError", err, err)
			}
			return
		}
		for _, g := range s.Synonyms {
			if len(g) < 2 {
				t.Fatalf("group %q too small", g)
			}
		}
		// Applying to any transcript either works or fails cleanly.
		if _, err := Default().WithSidecar(s); err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %T %v, want *ParseError", err, err)
			}
		}
	})
}
