// Package misses records the questions the bot could not answer and reviews them, so that an
// operator learns what people ask that the transcript misses.
//
// # The log
//
// A Log appends one JSON object per line (JSON Lines) to a file:
//
//	{"time":"2026-03-01T12:00:00Z","query":"how does the sco fight terrorists","reason":"abstained","transcript":"3f2a9c1e"}
//	{"time":"2026-03-01T12:00:07Z","query":"sourdough recipes","reason":"none of these"}
//
// time is when the question was asked (RFC 3339, UTC), query the question as typed (whitespace
// collapsed, at most MaxQueryRunes runes), reason ReasonAbstained or ReasonNoneOfThese, and
// transcript the hash of the transcript that could not answer it, when known. A record holds
// nothing about who asked or where: no user, chat or message ids, by design.
//
// # The review
//
// Review groups the records by what they ask: questions with the same stems (the matcher's own
// text analysis) are one phrasing group, and groups whose stem sets are alike (Jaccard
// similarity) form a cluster. Each cluster is then either an alternate phrasing of an existing
// question, when the matcher ranks most of it to one question with moderate confidence and
// most of its stems occur in that question (or its answer), with the sidecar lines that would
// teach the matcher the new phrasings, or a gap in the transcript. Report.Write prints both
// lists, most frequent first.
//
// # Where it lives
//
// The log is a file outside the process, written for an operator to review, so the package
// sits under adapters/ with the other packages that talk to the world outside the process; the
// bot core only reports a miss through its OnMiss hook and knows nothing of files. The review
// is the operator's tool for that file and lives beside the format it reads rather than in the
// command: cmd/transcriptbot's review command only opens the files and prints the Report, so
// the record format, its reader and the analysis stay in one package, tested as a library.
package misses

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"transcriptbot/transcript"
)

// Reasons a question was not answered.
const (
	// ReasonAbstained: the matcher found no question close enough.
	ReasonAbstained = "abstained"
	// ReasonNoneOfThese: the user was offered questions and chose "none of these".
	ReasonNoneOfThese = "none of these"
)

// MaxQueryRunes bounds the query text recorded; longer queries are cut.
const MaxQueryRunes = 1000

// Record is one unanswered question.
type Record struct {
	Time  time.Time `json:"time"`
	Query string    `json:"query"`
	// Reason is ReasonAbstained or ReasonNoneOfThese (other values are kept as they are).
	Reason string `json:"reason"`
	// Transcript is the hash of the transcript that was asked, if known.
	Transcript string `json:"transcript,omitempty"`
	// Briefing is the id of the archive's briefing that was asked (its file name without
	// extension), when the bot serves a directory of transcripts.
	Briefing string `json:"briefing,omitempty"`
}

// Log appends records to a JSON-lines file. Each record is written with one write call as
// soon as it is recorded (no buffering, no fsync), so a crash loses at most the line being
// written and several processes may append to one file. It is safe for concurrent use.
type Log struct {
	path string
	mu   sync.Mutex
	f    *os.File
	now  func() time.Time
	hash atomic.Pointer[string]
}

// ErrClosed is returned by Record after Close.
var ErrClosed = errors.New("misses: log closed")

// NewLog opens (creating it if needed, mode 0640) the file at path for appending.
func NewLog(path string) (*Log, error) {
	f, err := openAppend(path)
	if err != nil {
		return nil, err
	}
	return &Log{path: path, f: f, now: time.Now}, nil
}

func openAppend(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("misses: %w", err)
	}
	return f, nil
}

// Reopen closes the file and opens the path again, creating it if it was moved away: call it
// after a log rotation (on SIGHUP, say). On failure the log keeps writing to the old file.
// It fails with ErrClosed after Close.
func (l *Log) Reopen() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return ErrClosed
	}
	f, err := openAppend(l.path)
	if err != nil {
		return err
	}
	old := l.f
	l.f = f
	if err := old.Close(); err != nil {
		return fmt.Errorf("misses: closing the rotated file: %w", err)
	}
	return nil
}

// SetTranscript sets the transcript hash recorded with the records that follow ("" for none).
// Call it again after a reload.
func (l *Log) SetTranscript(hash string) { l.hash.Store(&hash) }

// Record appends query with reason. A query with no visible text is not recorded. Errors
// (a full disk, a closed log) are returned for the caller to log; the record is lost.
func (l *Log) Record(query, reason string) error {
	hash := ""
	if h := l.hash.Load(); h != nil {
		hash = *h
	}
	return l.RecordIn(query, reason, "", hash)
}

// RecordIn is Record for a question asked of one briefing of an archive: it records the
// briefing's id and version (transcript hash) instead of the one SetTranscript set.
func (l *Log) RecordIn(query, reason, briefing, hash string) error {
	query = clean(query)
	if query == "" {
		return nil
	}
	rec := Record{Time: l.now().UTC(), Query: query, Reason: strings.TrimSpace(reason), Transcript: hash, Briefing: briefing}
	line, err := json.Marshal(rec)
	if err != nil { // cannot happen for these field types; never panic
		return fmt.Errorf("misses: %w", err)
	}
	line = append(line, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return ErrClosed
	}
	if _, err := l.f.Write(line); err != nil {
		return fmt.Errorf("misses: %w", err)
	}
	return nil
}

// Close closes the file. Later Records fail with ErrClosed.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// clean normalises whitespace, drops control characters and invalid UTF-8 and cuts the text
// to MaxQueryRunes runes.
func clean(s string) string {
	s = transcript.Normalize(strings.ToValidUTF8(s, ""))
	if utf8.RuneCountInString(s) <= MaxQueryRunes {
		return s
	}
	n := 0
	for i := range s {
		if n == MaxQueryRunes {
			return strings.TrimSpace(s[:i])
		}
		n++
	}
	return s
}

// Errors wrapped by ParseError.
var (
	ErrNoQuery   = errors.New("no query")
	ErrLongLine  = errors.New("line too long")
	ErrNotObject = errors.New("not a JSON object")
)

// MaxLineBytes bounds one line of a log read by Read.
const MaxLineBytes = 64 * 1024

// ParseError is a malformed line of a log.
type ParseError struct {
	Line int // 1-based
	Err  error
}

// Error reports the line and the reason.
func (e *ParseError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the reason.
func (e *ParseError) Unwrap() error { return e.Err }

// Read reads a log written by Log. Blank lines are skipped; unknown fields are ignored. The
// first malformed line stops it with a *ParseError.
func Read(r io.Reader) ([]Record, error) {
	var recs []Record
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), MaxLineBytes)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		if text == "" {
			continue
		}
		if text[0] != '{' {
			return recs, &ParseError{Line: line, Err: ErrNotObject}
		}
		var rec Record
		if err := json.Unmarshal([]byte(text), &rec); err != nil {
			return recs, &ParseError{Line: line, Err: jsonError(err)}
		}
		rec.Query = clean(rec.Query)
		if rec.Query == "" {
			return recs, &ParseError{Line: line, Err: ErrNoQuery}
		}
		recs = append(recs, rec)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return recs, &ParseError{Line: line + 1, Err: fmt.Errorf("%w (over %d bytes)", ErrLongLine, MaxLineBytes)}
		}
		return recs, err
	}
	return recs, nil
}

// jsonError rewords encoding/json's errors for a person reading a line number.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("invalid JSON at column %d: %w", syn.Offset, err)
	case errors.As(err, &typ):
		return fmt.Errorf("field %q: want a %s, got a JSON %s", typ.Field, typ.Type, typ.Value)
	}
	return err
}
