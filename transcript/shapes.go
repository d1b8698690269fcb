package transcript

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
)

// Errors that teach the format: when a file does not parse, it is often written in another
// common shape of Q&A text. formatHint recognises the usual ones and says how to write them.

// Shapes of question lines written in another format than "N. text", compiled the first
// time a file fails to parse rather than at every start-up.
var (
	// "1) text", "1: text", "1 - text", "(1) text", "#1 text", "Q1. text", "Q1: text",
	// "Question 1: text".
	otherNumberRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(?:\(?([0-9]{1,6})\)|([0-9]{1,6})\s*[:\-–—]|#\s*([0-9]{1,6})\.?|[Qq](?:uestion)?\s*([0-9]{1,6})\s*[.:)\-–—]?)\s+\S`)
	})
	// "Q: text", "Question: text", "Q. text", "Q - text".
	qLabelRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?i:q|question)\s*[:.\-–—]\s*\S`) })
	// "A: text", "Answer: text".
	aLabelRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?i:a|answer)\s*[:.\-–—]\s*\S`) })
)

// formatHint looks at the lines before the first question (normalised or not, line numbers
// from 1) and returns what is wrong with their shape and how to fix it.
func formatHint(ls []string) string {
	qLabel, aLabel, other, first := 0, 0, 0, 0
	otherText := ""
	for i, raw := range ls {
		line := Normalize(raw)
		if line == "" {
			continue
		}
		if _, _, ok := questionLine(line); ok {
			first = i + 1
			break
		}
		switch {
		case qLabelRE().MatchString(line):
			if qLabel == 0 {
				qLabel = i + 1
			}
		case aLabelRE().MatchString(line):
			if aLabel == 0 {
				aLabel = i + 1
			}
		case otherNumberRE().MatchString(line):
			if other == 0 {
				other, otherText = i+1, line
			}
		}
	}
	switch {
	case qLabel > 0:
		lines := fmt.Sprintf("line %d", qLabel)
		if aLabel > 0 {
			lines = fmt.Sprintf("lines %d and %d", qLabel, aLabel)
		}
		return fmt.Sprintf("the file marks questions and answers with \"Q:\" and \"A:\" (%s); "+
			"this format numbers the questions instead: write each question on a line of its own as "+
			"\"1. What ...?\", \"2. ...\", and its answer on the lines below it, without \"A:\"", lines)
	case other > 0:
		return fmt.Sprintf("line %d looks like a question numbered another way (%q); write it as %q: "+
			"the number, a full stop and a space, on a line of its own", other, clip(otherText, 30), "1. "+questionText(otherText))
	case first > 0:
		return fmt.Sprintf("only one line, the title, may come before the first question (line %d): "+
			"join the lines before it into one, or remove them", first)
	default:
		return "no line of the file is a numbered question: " + howToWrite
	}
}

// howToWrite says how a question is written.
const howToWrite = "write each question on a line of its own as \"1. What ...?\" (its number, a full " +
	"stop and a space; numbers from 1 up), and its answer on the lines below it"

// questionText strips a question line written another way of its number, for the example
// of how to write it: "Q1: What?" gives "What?".
func questionText(line string) string {
	loc := otherNumberRE().FindStringSubmatchIndex(line)
	if loc == nil {
		return line
	}
	// The match ends one character into the text (\S): keep that character, whole.
	_, size := utf8.DecodeLastRuneInString(line[:loc[1]])
	rest := strings.TrimSpace(line[loc[1]-size:])
	return clip(rest, 30)
}
