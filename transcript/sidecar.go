package transcript

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Sidecar errors wrapped by ParseError.
var (
	ErrNoSection       = errors.New("text outside any section; start with [question N] or [synonyms]")
	ErrBadSection      = errors.New("unknown section")
	ErrUnknownQuestion = errors.New("no such question in the transcript")
	ErrBadSynonyms     = errors.New("a synonym group needs at least two comma-separated words or phrases")
	ErrBadSetting      = errors.New("want date = 2020-06-12 or language = NAME")
	ErrConflict        = errors.New("differs from the transcript's own")
)

// Sidecar holds what an operator adds to a transcript by hand: alternate phrasings per
// question and synonym groups. It is parsed by ParseSidecar from an INI-style file:
//
//	; Lines starting with ';' or '#' are comments.
//	[question 3]
//	what does the SCO do against terrorism
//	is the RATS getting more powers
//
//	[synonyms]
//	RATS, regional antiterrorist structure
//	marathon, race, run
//
// A [question N] section lists alternate phrasings of question N, one per line. The
// [synonyms] section lists groups of words or phrases that mean the same, one group per line,
// comma-separated; write an abbreviation in capitals ("WHO") to match it only when the user
// types it in capitals. Section names are case-insensitive and sections may repeat.
//
// A [transcript] section may give the briefing's date and language, for a transcript that
// does not say them in its header lines:
//
//	[transcript]
//	date = 2020-06-12
//	language = spanish
type Sidecar struct {
	// Alternates maps a question number to its alternate phrasings.
	Alternates map[int][]string
	// Synonyms are the synonym groups.
	Synonyms [][]string
	// Date and Language are the [transcript] section's settings (zero when absent).
	Date     time.Time
	Language string
	// sectionLine maps a question number to the line of its first section, for errors;
	// dateLine and languageLine are the lines of the settings.
	sectionLine            map[int]int
	dateLine, languageLine int
}

// ParseSidecar reads a sidecar in the INI-style format documented on Sidecar. Errors are
// *ParseError values with the line number.
func ParseSidecar(r io.Reader) (*Sidecar, error) {
	data, err := readCapped(r)
	if err != nil {
		return nil, err
	}
	ls, err := lines(data)
	if err != nil {
		return nil, err
	}
	s := &Sidecar{Alternates: map[int][]string{}, sectionLine: map[int]int{}}
	const (
		none = iota
		question
		synonyms
		settings
	)
	section, qn := none, 0
	for i, raw := range ls {
		ln := i + 1
		line := Normalize(raw)
		if line == "" || line[0] == ';' || line[0] == '#' {
			continue
		}
		if line[0] == '[' {
			if !strings.HasSuffix(line, "]") {
				return nil, &ParseError{Line: ln, Err: fmt.Errorf("%w: %q has no closing ]", ErrBadSection, clip(line, 40))}
			}
			name := strings.ToLower(strings.TrimSpace(line[1 : len(line)-1]))
			fields := strings.Fields(name)
			switch {
			case name == "synonyms":
				section = synonyms
			case name == "transcript":
				section = settings
			case len(fields) == 2 && fields[0] == "question":
				n, err := strconv.Atoi(fields[1])
				if err != nil || n < 1 {
					return nil, &ParseError{Line: ln, Err: fmt.Errorf("%w: [%s]: want a question number of 1 or more", ErrBadSection, name)}
				}
				section, qn = question, n
				if _, ok := s.sectionLine[n]; !ok {
					s.sectionLine[n] = ln
				}
			default:
				return nil, &ParseError{Line: ln, Err: fmt.Errorf("%w [%s]: want [question N], [synonyms] or [transcript]", ErrBadSection, clip(name, 40))}
			}
			continue
		}
		switch section {
		case none:
			return nil, &ParseError{Line: ln, Err: ErrNoSection}
		case question:
			s.Alternates[qn] = append(s.Alternates[qn], line)
		case settings:
			if err := s.setting(line, ln); err != nil {
				return nil, err
			}
		case synonyms:
			var group []string
			for _, item := range strings.Split(line, ",") {
				item = strings.TrimSpace(item)
				if item == "" {
					return nil, &ParseError{Line: ln, Err: fmt.Errorf("%w: empty item in %q", ErrBadSynonyms, clip(line, 40))}
				}
				group = append(group, item)
			}
			if len(group) < 2 {
				return nil, &ParseError{Line: ln, Err: fmt.Errorf("%w: got %q", ErrBadSynonyms, clip(line, 40))}
			}
			s.Synonyms = append(s.Synonyms, group)
		}
	}
	return s, nil
}

// setting reads one "name = value" line of the [transcript] section.
func (s *Sidecar) setting(line string, ln int) error {
	i := strings.IndexAny(line, "=:")
	if i < 0 {
		return &ParseError{Line: ln, Err: fmt.Errorf("%w: got %q", ErrBadSetting, clip(line, 40))}
	}
	value := strings.TrimSpace(line[i+1:])
	switch strings.ToLower(strings.TrimSpace(line[:i])) {
	case "date":
		d, err := ParseDate(value)
		if err != nil {
			return &ParseError{Line: ln, Err: err}
		}
		s.Date, s.dateLine = d, ln
	case "language":
		l, err := parseLanguage(value)
		if err != nil {
			return &ParseError{Line: ln, Err: err}
		}
		s.Language, s.languageLine = l, ln
	default:
		return &ParseError{Line: ln, Err: fmt.Errorf("%w: got %q", ErrBadSetting, clip(line, 40))}
	}
	return nil
}

// WithSidecar returns a copy of t with the sidecar's alternates and synonyms added and the
// hash recomputed; t itself is unchanged. It fails with a *ParseError wrapping
// ErrUnknownQuestion, at the line of the section, when the sidecar names a question the
// transcript does not have.
func (t *Transcript) WithSidecar(s *Sidecar) (*Transcript, error) {
	if s == nil {
		return t, nil
	}
	nums := make([]int, 0, len(s.Alternates))
	for n := range s.Alternates {
		nums = append(nums, n)
	}
	for n := range s.sectionLine {
		if _, ok := s.Alternates[n]; !ok {
			nums = append(nums, n)
		}
	}
	sort.Ints(nums)
	for _, n := range nums {
		if n < 1 || n > len(t.Entries) {
			return nil, &ParseError{Line: s.sectionLine[n], Err: fmt.Errorf("%w: [question %d], the transcript has questions 1 to %d", ErrUnknownQuestion, n, len(t.Entries))}
		}
	}
	c := *t
	c.Entries = append([]Entry(nil), t.Entries...)
	for n, alts := range s.Alternates {
		e := &c.Entries[n-1]
		e.Alternates = append(append([]string(nil), e.Alternates...), alts...)
	}
	if !s.Date.IsZero() {
		if !t.Date.IsZero() && !t.Date.Equal(s.Date) {
			return nil, &ParseError{Line: s.dateLine, Err: fmt.Errorf("date %s %w (%s)", s.Date.Format(DateLayout), ErrConflict, t.Date.Format(DateLayout))}
		}
		c.Date = s.Date
	}
	if s.Language != "" {
		if t.Language != "" && t.Language != s.Language {
			return nil, &ParseError{Line: s.languageLine, Err: fmt.Errorf("language %s %w (%s)", s.Language, ErrConflict, t.Language)}
		}
		c.Language = s.Language
	}
	c.Synonyms = append([][]string(nil), t.Synonyms...)
	for _, g := range s.Synonyms {
		c.Synonyms = append(c.Synonyms, append([]string(nil), g...))
	}
	c.Hash = c.computeHash()
	return &c, nil
}

// SidecarPath returns the sidecar file name for a transcript file: the same name with the
// extension ".ini" (talk.txt -> talk.ini).
func SidecarPath(path string) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + ".ini"
}

// Load reads the transcript file at path and, when present, its sidecar (SidecarPath). Errors
// name the file they concern as "FILE:LINE: reason" (the form editors jump to), and parse
// errors stay reachable with errors.As (*ParseError).
func Load(path string) (*Transcript, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := Parse(f)
	if err != nil {
		return nil, inFile(path, err)
	}
	sp := SidecarPath(path)
	if sp == path {
		return t, nil
	}
	sf, err := os.Open(sp)
	if errors.Is(err, fs.ErrNotExist) {
		return t, nil
	}
	if err != nil {
		return nil, err
	}
	defer sf.Close()
	s, err := ParseSidecar(sf)
	if err != nil {
		return nil, inFile(sp, err)
	}
	t, err = t.WithSidecar(s)
	if err != nil {
		return nil, inFile(sp, err)
	}
	return t, nil
}

// fileError is an error in the named file: "FILE:LINE: reason" for a *ParseError with a
// line, else "FILE: reason".
type fileError struct {
	path string
	err  error
}

func inFile(path string, err error) error { return &fileError{path: path, err: err} }

func (e *fileError) Error() string {
	var pe *ParseError
	if errors.As(e.err, &pe) && pe.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.path, pe.Line, pe.Err)
	}
	return e.path + ": " + e.err.Error()
}

func (e *fileError) Unwrap() error { return e.err }
