package transcript

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestParseErrorsTeachTheFormat checks that a file written in another common Q&A shape gets
// an error naming the line and saying how to write it.
func TestParseErrorsTeachTheFormat(t *testing.T) {
	tests := []struct {
		name  string
		input string
		line  int
		err   error
		want  []string // substrings of the message
	}{
		{"1) questions", "Title\n\n1) What is it?\nIt is a thing.\n2) Why?\nBecause.\n", 3, ErrTextBeforeQuestion,
			[]string{`line 3 looks like a question numbered another way ("1) What is it?")`, `write it as "1. What is it?"`}},
		{"Q1: questions, no title", "Q1: What is it?\nA thing.\nQ2: Why?\nBecause.\n", 2, ErrTextBeforeQuestion,
			[]string{"line 1 looks like a question numbered another way", `write it as "1. What is it?"`}},
		{"Question 1: questions", "Talk\nQuestion 1: What?\nThat.\n", 2, ErrTextBeforeQuestion,
			[]string{"line 2 looks like a question", `"1. What?"`}},
		{"Q:/A: lines", "Q: What is it?\nA: A thing.\n\nQ: Why?\nA: Because.\n", 2, ErrTextBeforeQuestion,
			[]string{`marks questions and answers with "Q:" and "A:" (lines 1 and 2)`, `"1. What ...?"`, `without "A:"`}},
		{"Question:/Answer: lines after a title", "Interview\n\nQuestion: What?\nAnswer: That.\n", 3, ErrTextBeforeQuestion,
			[]string{`"Q:" and "A:" (lines 3 and 4)`}},
		{"no question line", "My talk\n\nWhat is it?\nA thing.\n", 3, ErrTextBeforeQuestion,
			[]string{"no line of the file is a numbered question", `"1. What ...?"`, "its answer on the lines below it"}},
		{"two title lines", "Title\nSubtitle\n\n1. Q?\nA.\n", 2, ErrTextBeforeQuestion,
			[]string{"only one line, the title, may come before the first question (line 4)"}},
		{"title only", "Just a title\n", 0, ErrNoQuestions, []string{`"1. What ...?"`}},
		{"numbered list in an answer", "Talk\n\n1. First?\n\nSteps:\n1. do this\n2. do that\n\n2. Second?\n\nYes.\n", 6, ErrOutOfSequence,
			[]string{"question 1 is repeated or out of sequence, want 2",
				`if this line belongs to the answer to question 1 (a numbered list), write "1) ..." instead of "1. ..."`}},
		{"list going back inside a later answer", "1. First?\nA.\n2. Second?\nA.\n3. Third?\nSteps:\n1. skip\n", 7, ErrOutOfSequence,
			[]string{`answer to question 3 (a numbered list), write "1) ..."`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tc.input))
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, tc.err) {
				t.Fatalf("got %v, want a *ParseError wrapping %v", err, tc.err)
			}
			if pe.Line != tc.line {
				t.Errorf("got line %d, want %d (%v)", pe.Line, tc.line, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

// TestParseErrorsNoFalseHint checks that the hint names the shape only when it is there.
func TestParseErrorsNoFalseHint(t *testing.T) {
	_, err := Parse(strings.NewReader("Title\n\n2. Q?\n\nA.\n"))
	if err == nil || strings.Contains(err.Error(), "numbered list") {
		t.Errorf("the first question misnumbered: got %v, want no list hint (no answer before it)", err)
	}
	_, err = Parse(strings.NewReader("Title\nMore prose here\n1. Q?\nA.\n"))
	if err == nil || strings.Contains(err.Error(), "Q:") || strings.Contains(err.Error(), "numbered another way") {
		t.Errorf("got %v, want only the one-title-line hint", err)
	}
}

func TestFormatHintMultibyte(t *testing.T) {
	_, err := Parse(strings.NewReader("Titre\n\n1) Été ?\nOui.\n2) Hiver ?\nNon.\n"))
	if err == nil || !strings.Contains(err.Error(), `write it as "1. Été ?"`) || !utf8.ValidString(err.Error()) {
		t.Errorf("got %v, want the question with its first letter whole", err)
	}
}
