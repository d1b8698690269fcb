// Package transcript holds a press-conference transcript of numbered questions and answers:
// the types, the plain-text parser, the sidecar of alternate phrasings and synonyms, and the
// embedded default transcript. It imports nothing but the standard library.
//
// # Transcript format
//
// A transcript is a UTF-8 text file (at most MaxSize bytes, each line at most MaxLineSize
// bytes). The first non-blank line is the
// title unless it already is a question. Each question starts on a line of its own with its
// number, a full stop and the question text:
//
//	Answers of the Secretary-General to media questions
//
//	1. How will the organisation respond to the pandemic?
//
//	First paragraph of the answer.
//	Second paragraph of the answer.
//
//	Third paragraph, after a blank line.
//
//	2. The next question?
//	...
//
// Right after the title, before the first question, two optional header lines may say when
// the briefing was held and in which language it is (which drives its stemming); the names
// are case-insensitive:
//
//	Date: 2020-06-12
//	Language: spanish
//
// Numbers start at 1 and go up by one. Every line up to the next question is part of the
// answer; each non-blank line is a paragraph (blank lines and single line breaks both separate
// paragraphs). A UTF-8 byte order mark, CRLF line ends, no-break and other Unicode spaces,
// trailing whitespace and a missing final newline are all accepted; runs of whitespace inside a
// line become one space. A line that looks like a question ("7. ...", with any number of
// digits) but carries the wrong number is an error, so a numbered list inside an answer must not start its lines with
// "N. " (write "N) " instead).
//
// Errors teach the format: a file whose questions are written another common way ("1) ...",
// "Q1: ...", "Q: ... / A: ...") or that has no question line at all gets an error naming the
// line and how to write it, and a number out of sequence inside an answer suggests "N) ".
//
// Malformed input yields a *ParseError carrying the 1-based line number and one of the
// sentinel errors (ErrNoQuestions, ErrTooLarge, ErrLineTooLong, ErrOutOfSequence,
// ErrEmptyAnswer, ErrTextBeforeQuestion, ErrInvalidUTF8, ...).
//
// # Sidecar format
//
// Alternate phrasings and synonyms live in an INI-style sidecar next to the transcript, with
// the same name and the extension ".ini" (talk.txt -> talk.ini); see ParseSidecar and Load.
//
// # Directories
//
// A directory of transcripts is an archive of briefings: LoadDir reads every *.txt file of
// it (IsTranscriptFile) with its sidecar, each a Briefing with an id (the file name without
// extension) and a date (its Date: line or sidecar, else a leading YYYY-MM-DD in the file
// name). A file that does not load is reported with its file and line; the others load.
package transcript

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Transcript is a parsed transcript. It is immutable after Parse: callers must not modify it.
type Transcript struct {
	// Title is the first line of the file (may be empty when the file has none).
	Title string
	// Entries are the questions in order; Entries[i].Number == i+1.
	Entries []Entry
	// Hash is a short (8 hex characters) content hash of the transcript and its sidecar,
	// used as a version id in button ids and links.
	Hash string
	// Synonyms are the operator's synonym groups from the sidecar (each group: words or
	// phrases meaning the same). The built-in list is BuiltinSynonyms, kept separately.
	Synonyms [][]string
	// Date is the day of the briefing from a "Date: 2020-06-12" line after the title (or the
	// sidecar's [transcript] section); the zero time when neither gives one.
	Date time.Time
	// Language is the stemming language from a "Language: spanish" line after the title (or
	// the sidecar's [transcript] section), lower-cased; "" when neither names one.
	Language string
}

// Entry is one numbered question with its answer.
type Entry struct {
	Number   int
	Question string
	// Paragraphs of the answer, whitespace-normalised (no-break spaces become spaces).
	Paragraphs []string
	// Sentences of the answer in order; each knows its paragraph.
	Sentences []Sentence
	// Alternates are operator-supplied alternate phrasings of the question (sidecar).
	Alternates []string
	// Line is the 1-based line of the question in the transcript file (0 when unknown).
	Line int
}

// Sentence is one sentence of an answer.
type Sentence struct {
	Text      string
	Paragraph int // index into Entry.Paragraphs
}

// Answer returns the whole answer, paragraphs joined by a blank line.
func (e *Entry) Answer() string { return strings.Join(e.Paragraphs, "\n\n") }

// Entry returns the entry with number n and true, or nil and false when out of range.
func (t *Transcript) Entry(n int) (*Entry, bool) {
	if t == nil || n < 1 || n > len(t.Entries) {
		return nil, false
	}
	return &t.Entries[n-1], true
}

// Len returns the number of questions.
func (t *Transcript) Len() int { return len(t.Entries) }

// ParseError is returned by Parse and ParseSidecar for malformed input.
type ParseError struct {
	Line int // 1-based line number; 0 when the error concerns the whole file
	Err  error
}

// Error reports the line (when known) and the reason, e.g. "line 7: empty answer to question 2".
func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return e.Err.Error()
}

// Unwrap returns the underlying reason, one of the sentinel errors (possibly wrapped).
func (e *ParseError) Unwrap() error { return e.Err }

// Sentinel errors wrapped by ParseError (more may be added).
var (
	ErrNoQuestions        = errors.New("no numbered questions found")
	ErrTooLarge           = errors.New("file too large")
	ErrOutOfSequence      = errors.New("question number out of sequence")
	ErrEmptyAnswer        = errors.New("question has an empty answer")
	ErrEmptyQuestion      = errors.New("question has no text")
	ErrTextBeforeQuestion = errors.New("text before the first question is not a title")
	ErrInvalidUTF8        = errors.New("invalid UTF-8")
	ErrLineTooLong        = errors.New("line too long")
	ErrBadDate            = errors.New("date is not of the form 2020-06-12")
	ErrBadLanguage        = errors.New("language is not one word")
)

// DateLayout is the form of a transcript's date (time.Parse layout): "2020-06-12".
const DateLayout = "2006-01-02"

// MaxSize is the largest transcript or sidecar Parse and ParseSidecar accept, in bytes.
const MaxSize = 32 << 20

// MaxLineSize is the longest line Parse and ParseSidecar accept, in bytes (line end excluded):
// a longer one is an ErrLineTooLong error, not a paragraph nobody could read in a chat.
const MaxLineSize = 1 << 20

// maxTitleRunes bounds the title: a longer first line is prose, not a title.
const maxTitleRunes = 300

// Parse reads a transcript in the plain-text format described in the package comment.
func Parse(r io.Reader) (*Transcript, error) {
	data, err := readCapped(r)
	if err != nil {
		return nil, err
	}
	return parseBytes(data)
}

// readCapped reads all of r, failing with ErrTooLarge beyond MaxSize.
func readCapped(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read transcript: %w", err)
	}
	if len(data) > MaxSize {
		return nil, &ParseError{Err: fmt.Errorf("%w: more than %d bytes", ErrTooLarge, MaxSize)}
	}
	return data, nil
}

// lines splits data into lines, dropping a BOM and CR line ends, and checks UTF-8.
func lines(data []byte) ([]string, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	var out []string
	for n := 1; len(data) > 0; n++ {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) > MaxLineSize {
			return nil, &ParseError{Line: n, Err: fmt.Errorf("%w: %d bytes, at most %d", ErrLineTooLong, len(line), MaxLineSize)}
		}
		if !utf8.Valid(line) {
			col := 0
			for i := 0; i < len(line); {
				r, size := utf8.DecodeRune(line[i:])
				if r == utf8.RuneError && size <= 1 {
					col = i + 1
					break
				}
				i += size
			}
			return nil, &ParseError{Line: n, Err: fmt.Errorf("%w at byte %d of the line", ErrInvalidUTF8, col)}
		}
		out = append(out, string(line))
	}
	return out, nil
}

// Normalize trims s and collapses every run of Unicode white space (including no-break
// spaces) to one ASCII space. Zero-width characters and the BOM are dropped, and the result
// is in Unicode normalisation form C, so "cafe\u0301" and "café" are the same text.
func Normalize(s string) string {
	if t, ok := normalASCII(s); ok {
		return t
	}
	return normalize(s)
}

// normalize is Normalize without the shortcut for text that needs nothing done.
func normalize(s string) string {
	var b strings.Builder
	// The result is at most as long as s (unless NFC has to recompose it): sized once, the
	// string a transcript keeps for each line carries no spare capacity from the appends.
	b.Grow(len(s))
	space, started := false, false
	for _, r := range s {
		switch {
		case r == '\u200B' || r == '\uFEFF' || r == '\u200C' || r == '\u200D' || r == '\u2060':
			continue
		case unicode.IsSpace(r) || r == '\u00A0' || r == '\u2007' || r == '\u202F':
			space = started
			continue
		case unicode.IsControl(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
		started = true
	}
	out := b.String()
	if !norm.NFC.IsNormalString(out) {
		out = norm.NFC.String(out)
	}
	return out
}

// normalASCII returns s without the spaces at either end, and true, when the rest is
// printable ASCII with single spaces between words: text Normalize would only trim, returned
// without a copy (a transcript keeps its lines, and a copy of each would leave the original
// as garbage beside it).
func normalASCII(s string) (string, bool) {
	t := strings.Trim(s, " ")
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c < ' ' || c > '~' || c == ' ' && t[i+1] == ' ' {
			return "", false
		}
	}
	return t, true
}

// questionLine reports whether line (normalised) is "N. text" and returns N and the text.
// ok is false for lines that do not start with a number and a full stop followed by a space
// or the end of the line.
// Any number of digits is a question number; one too large for an int comes back as -1 (it
// cannot be in sequence).
func questionLine(line string) (n int, text string, ok bool) {
	i := 0
	for i < len(line) && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	if i == 0 || i >= len(line) || line[i] != '.' {
		return 0, "", false
	}
	rest := line[i+1:]
	if rest != "" && rest[0] != ' ' {
		return 0, "", false
	}
	n, err := strconv.Atoi(line[:i])
	if err != nil {
		n = -1
	}
	return n, strings.TrimSpace(rest), true
}

func parseBytes(data []byte) (*Transcript, error) {
	ls, err := lines(data)
	if err != nil {
		return nil, err
	}
	t := &Transcript{}
	var cur *Entry
	titleLine := 0
	finish := func() error {
		if cur == nil {
			return nil
		}
		if len(cur.Paragraphs) == 0 {
			return &ParseError{Line: cur.Line, Err: fmt.Errorf("%w: question %d", ErrEmptyAnswer, cur.Number)}
		}
		cur.Sentences = splitParagraphs(cur.Paragraphs)
		t.Entries = append(t.Entries, *cur)
		cur = nil
		return nil
	}
	for i, raw := range ls {
		ln := i + 1
		line := Normalize(raw)
		if line == "" {
			continue
		}
		if n, text, ok := questionLine(line); ok {
			want := len(t.Entries) + 1
			if cur != nil {
				want = cur.Number + 1
			}
			if n != want {
				what := "out of sequence"
				if n < want {
					what = "repeated or out of sequence"
				}
				if n < 0 {
					return nil, &ParseError{Line: ln, Err: fmt.Errorf("%w: question number %s is too large, want %d", ErrOutOfSequence, clip(line[:strings.IndexByte(line, '.')], 20), want)}
				}
				hint := ""
				if cur != nil && n < want {
					// A number going back inside an answer: almost always a numbered list.
					hint = fmt.Sprintf("; if this line belongs to the answer to question %d (a numbered list), write %q instead of %q",
						cur.Number, fmt.Sprintf("%d) ...", n), fmt.Sprintf("%d. ...", n))
				}
				return nil, &ParseError{Line: ln, Err: fmt.Errorf("%w: question %d is %s, want %d%s", ErrOutOfSequence, n, what, want, hint)}
			}
			if text == "" {
				return nil, &ParseError{Line: ln, Err: fmt.Errorf("%w: question %d", ErrEmptyQuestion, n)}
			}
			if err := finish(); err != nil {
				return nil, err
			}
			cur = &Entry{Number: n, Question: text, Line: ln}
			continue
		}
		if cur == nil {
			if titleLine != 0 {
				if ok, err := t.header(line, ln); ok {
					if err != nil {
						return nil, err
					}
					continue
				}
			}
			if titleLine == 0 {
				if n := utf8.RuneCountInString(line); n > maxTitleRunes && hasQuestionLine(ls) {
					// The first line of a transcript whose questions are numbered is its
					// title: say what is wrong with it rather than how a transcript is laid
					// out (formatHint, for files in another shape).
					return nil, &ParseError{Line: ln, Err: fmt.Errorf("%w: the first line, %q, is %d characters long and a title at most %d: shorten it, or remove it if it is prose", ErrTextBeforeQuestion, clip(line, 40), n, maxTitleRunes)}
				}
				t.Title = line
				titleLine = ln
				continue
			}
			return nil, &ParseError{Line: ln, Err: fmt.Errorf("%w: %q; %s", ErrTextBeforeQuestion, clip(line, 40), formatHint(ls))}
		}
		cur.Paragraphs = append(cur.Paragraphs, line)
	}
	if err := finish(); err != nil {
		return nil, err
	}
	if len(t.Entries) == 0 {
		if titleLine > 0 {
			return nil, &ParseError{Err: fmt.Errorf("%w; %s", ErrNoQuestions, howToWrite)}
		}
		return nil, &ParseError{Err: ErrNoQuestions}
	}
	t.Hash = t.computeHash()
	return t, nil
}

// header reads a "Date:" or "Language:" line after the title into t. ok is false when line is
// neither; err is a *ParseError at line ln for a malformed value.
func (t *Transcript) header(line string, ln int) (ok bool, err error) {
	name, value, found := strings.Cut(line, ":")
	if !found {
		return false, nil
	}
	value = strings.TrimSpace(value)
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "date":
		d, err := ParseDate(value)
		if err != nil {
			return true, &ParseError{Line: ln, Err: err}
		}
		t.Date = d
	case "language":
		l, err := parseLanguage(value)
		if err != nil {
			return true, &ParseError{Line: ln, Err: err}
		}
		t.Language = l
	default:
		return false, nil
	}
	return true, nil
}

// ParseDate parses a briefing date of the form 2020-06-12 (DateLayout), in UTC. The error
// wraps ErrBadDate.
func ParseDate(s string) (time.Time, error) {
	d, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q", ErrBadDate, clip(s, 40))
	}
	return d, nil
}

// parseLanguage checks a language name: one word, lower-cased. Whether the matcher knows it
// is the matcher's to say.
func parseLanguage(s string) (string, error) {
	if s == "" || strings.ContainsAny(s, " \t") {
		return "", fmt.Errorf("%w: %q", ErrBadLanguage, clip(s, 40))
	}
	return strings.ToLower(s), nil
}

// clip shortens s to at most n runes for error messages.
func clip(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "..."
		}
		i++
	}
	return s
}

// computeHash hashes the canonical content: title, questions, answers, alternates, synonyms.
func (t *Transcript) computeHash() string {
	h := sha256.New()
	w := bufio.NewWriter(h)
	field := func(s string) {
		fmt.Fprintf(w, "%d:%s", len(s), s)
	}
	field(t.Title)
	for _, e := range t.Entries {
		fmt.Fprintf(w, "Q%d", e.Number)
		field(e.Question)
		for _, p := range e.Paragraphs {
			field(p)
		}
		w.WriteString("A")
		for _, a := range e.Alternates {
			field(a)
		}
	}
	w.WriteString("S")
	for _, g := range t.Synonyms {
		w.WriteString("G")
		for _, s := range g {
			field(s)
		}
	}
	// Date and language joined the format later: hashed only when set, so transcripts
	// without them keep their versions.
	if !t.Date.IsZero() {
		w.WriteString("D")
		field(t.Date.Format(DateLayout))
	}
	if t.Language != "" {
		w.WriteString("L")
		field(t.Language)
	}
	w.Flush()
	return hex.EncodeToString(h.Sum(nil))[:8]
}

//go:embed default.txt
var defaultText []byte

var defaultTranscript = func() *Transcript {
	t, err := parseBytes(defaultText)
	if err != nil {
		panic("transcript: embedded default transcript does not parse: " + err.Error())
	}
	return t
}()

// Default returns the embedded default transcript (the SCO press conference of June 2020).
// All callers share one immutable value.
func Default() *Transcript { return defaultTranscript }

// hasQuestionLine reports whether any of ls is a numbered question line ("1. ...").
func hasQuestionLine(ls []string) bool {
	for _, l := range ls {
		if _, _, ok := questionLine(Normalize(l)); ok {
			return true
		}
	}
	return false
}
