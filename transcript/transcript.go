// Package transcript holds a press-conference transcript of numbered questions and answers:
// the types, the plain-text parser, the sidecar of alternate phrasings and synonyms, and the
// embedded default transcript. It imports nothing but the standard library.
//
// CONTRACT STUB: the types and signatures below are the agreed API other packages build on.
// The transcript/matcher work fills in the bodies (and may add fields, never remove them).
package transcript

import (
	"errors"
	"io"
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
}

// Sentence is one sentence of an answer.
type Sentence struct {
	Text      string
	Paragraph int // index into Entry.Paragraphs
}

// Answer returns the whole answer, paragraphs joined by a blank line.
func (e *Entry) Answer() string { panic("stub") }

// Entry returns the entry with number n and true, or nil and false when out of range.
func (t *Transcript) Entry(n int) (*Entry, bool) { panic("stub") }

// Len returns the number of questions.
func (t *Transcript) Len() int { return len(t.Entries) }

// ParseError is returned by Parse and ParseSidecar for malformed input.
type ParseError struct {
	Line int // 1-based line number; 0 when the error concerns the whole file
	Err  error
}

func (e *ParseError) Error() string { panic("stub") }
func (e *ParseError) Unwrap() error { return e.Err }

// Sentinel errors wrapped by ParseError (more may be added).
var (
	ErrNoQuestions = errors.New("no numbered questions found")
	ErrTooLarge    = errors.New("file too large")
)

// Parse reads a transcript in the plain-text format described in the package comment.
func Parse(r io.Reader) (*Transcript, error) { panic("stub") }

// Default returns the embedded default transcript (the SCO press conference of June 2020).
func Default() *Transcript { panic("stub") }

// BuiltinSynonyms returns the built-in list of common abbreviations and synonyms for news
// transcripts (COVID/coronavirus, UN/United Nations, ...). Each call returns a fresh copy.
func BuiltinSynonyms() [][]string { panic("stub") }
