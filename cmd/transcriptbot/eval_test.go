package main

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"transcriptbot/transcript"
)

func TestReadEvalSet(t *testing.T) {
	in := "\ufeff# comment\n\n2\tP\tWhat is the Shanghai spirit?\r\n1, 9\tK\tpandemic economy\n0\tO\tsourdough\tstarter\n"
	cases, err := readEvalSet(strings.NewReader(in))
	if err != nil {
		t.Fatalf("readEvalSet: %v", err)
	}
	got := fmt.Sprintf("%+v", cases)
	want := "[{Line:3 Expected:[2] Kind:P Query:What is the Shanghai spirit?} " +
		"{Line:4 Expected:[1 9] Kind:K Query:pandemic economy} " +
		"{Line:5 Expected:[] Kind:O Query:sourdough\tstarter}]"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestReadEvalSetErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		line int
		want string
	}{
		{"two fields", "# x\n1\tP\n", 2, "want 3 tab-separated fields"},
		{"spaces not tabs", "1 P query\n", 1, "want 3 tab-separated fields"},
		{"bad number", "x\tP\tquery\n", 1, `expected "x" is not a question number`},
		{"negative", "-1\tP\tquery\n", 1, `expected "-1" is not a question number`},
		{"zero combined", "0,2\tP\tquery\n", 1, "cannot be combined"},
		{"empty kind", "1\t \tquery\n", 1, "empty kind"},
		{"empty query", "1\tP\t  \n", 1, "empty query"},
		{"no queries", "# only a comment\n", 0, "no queries"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readEvalSet(strings.NewReader(tc.in))
			var pe *transcript.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a *transcript.ParseError", err)
			}
			if pe.Line != tc.line {
				t.Errorf("line: got %d, want %d", pe.Line, tc.line)
			}
			if got := pe.Err.Error(); !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want it to contain %q", got, tc.want)
			}
		})
	}
}

func TestSweepThresholds(t *testing.T) {
	tests := []struct {
		cur  float64
		n    int
		want string
	}{
		{0.35, 19, "0.30 0.35 0.40"},
		{0.33, 20, "0.30 0.33 0.35"},
		{0.01, 20, "0.01 0.05"},
	}
	for _, tc := range tests {
		ths := sweepThresholds(tc.cur)
		if len(ths) != tc.n {
			t.Errorf("sweepThresholds(%g): got %d thresholds, want %d", tc.cur, len(ths), tc.n)
		}
		var around []string
		for i, th := range ths {
			if th == tc.cur {
				for _, x := range ths[max(0, i-1):min(len(ths), i+2)] {
					around = append(around, fmt.Sprintf("%.2f", x))
				}
			}
		}
		if got := strings.Join(around, " "); got != tc.want {
			t.Errorf("sweepThresholds(%g) around it: got %q, want %q", tc.cur, got, tc.want)
		}
	}
}

func FuzzReadEvalSet(f *testing.F) {
	f.Add("1\tP\tquery\n")
	f.Add("# c\n0\tO\tx\n1,2\tK\ty\r\n")
	f.Add("x\ty")
	f.Fuzz(func(t *testing.T, in string) {
		cases, err := readEvalSet(strings.NewReader(in))
		if err != nil {
			var pe *transcript.ParseError
			if !errors.As(err, &pe) && !strings.Contains(err.Error(), "too long") {
				t.Errorf("error %v is not a *ParseError", err)
			}
			return
		}
		for _, c := range cases {
			if c.Query == "" || c.Kind == "" || c.Line < 1 {
				t.Errorf("bad case %+v from %q", c, in)
			}
			for _, n := range c.Expected {
				if n < 1 {
					t.Errorf("expected number %d < 1 from %q", n, in)
				}
			}
		}
	})
}
