package evaluate

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Case is one labelled query of an evaluation set.
type Case struct {
	// Line is the 1-based line of the case in its file.
	Line int `json:"line"`
	// Expected are the questions that answer the query, best first; any of them is right.
	// Empty when the transcript has no answer (written "0"): the query is out of scope.
	Expected []int `json:"expected"`
	// Briefing is the archive's briefing the expected questions belong to, written before
	// '#' ("2020-06-12-sco#3,5"); "" for a single transcript.
	Briefing string `json:"briefing,omitempty"`
	// Kind is the query's kind as the file labels it (see KindNames).
	Kind  string `json:"kind"`
	Query string `json:"query"`
}

// Answerable reports whether the transcript answers the case.
func (c Case) Answerable() bool { return len(c.Expected) > 0 }

// ParseError is a malformed line of an evaluation set, or a case that does not fit the
// transcript (see CheckRange). Line is 0 when the error is about the whole file.
type ParseError struct {
	Line int
	Err  error
}

// Error reports the line and the reason.
func (e *ParseError) Error() string {
	if e.Line == 0 {
		return e.Err.Error()
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

// Unwrap returns the reason.
func (e *ParseError) Unwrap() error { return e.Err }

// ErrNoQueries is the reason given for a set without a single query.
var ErrNoQueries = errors.New("no queries")

// maxLine bounds one line of a set, in bytes.
const maxLine = 1 << 20

// Parse reads an evaluation set (the format is in the package comment). A malformed line
// gives a *ParseError naming it; so does a set without queries (Line 0, ErrNoQueries).
func Parse(r io.Reader) ([]Case, error) {
	var cases []Case
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLine)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		if t := strings.TrimSpace(text); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		c, err := parseLine(text)
		if err != nil {
			return nil, &ParseError{Line: line, Err: err}
		}
		c.Line = line
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		return nil, &ParseError{Line: line + 1, Err: fmt.Errorf("read: %w", err)}
	}
	if len(cases) == 0 {
		return nil, &ParseError{Err: ErrNoQueries}
	}
	return cases, nil
}

// parseLine reads "expected<TAB>kind<TAB>query".
func parseLine(text string) (Case, error) {
	fields := strings.SplitN(text, "\t", 3)
	if len(fields) != 3 {
		return Case{}, fmt.Errorf("want 3 tab-separated fields (expected, kind, query), got %d", len(fields))
	}
	c := Case{Kind: strings.TrimSpace(fields[1]), Query: strings.TrimSpace(fields[2])}
	if c.Kind == "" {
		return Case{}, errors.New("empty kind")
	}
	if c.Query == "" {
		return Case{}, errors.New("empty query")
	}
	expected := strings.TrimSpace(fields[0])
	if name, rest, ok := strings.Cut(expected, "#"); ok {
		name = strings.TrimSpace(name)
		if name == "" || strings.ContainsAny(name, " \t,") {
			return Case{}, fmt.Errorf("expected %q: want BRIEFING#N, a briefing's id before '#'", expected)
		}
		c.Briefing, expected = name, rest
	}
	nums := strings.Split(expected, ",")
	for _, f := range nums {
		f = strings.TrimSpace(f)
		n, err := strconv.Atoi(f)
		switch {
		case err != nil || n < 0:
			return Case{}, fmt.Errorf("expected %q is not a question number (or 0 for out of scope)", f)
		case n == 0 && len(nums) > 1:
			return Case{}, errors.New("0 (out of scope) cannot be combined with question numbers")
		case n == 0 && c.Briefing != "":
			return Case{}, errors.New("an out-of-scope query is written 0, without a briefing")
		case n > 0:
			for _, seen := range c.Expected {
				if seen == n {
					return Case{}, fmt.Errorf("question %d is expected twice", n)
				}
			}
			c.Expected = append(c.Expected, n)
		}
	}
	return c, nil
}

// CheckRange checks that every expected question of cases is one of the transcript's total
// questions, and returns a *ParseError naming the first line that expects another.
func CheckRange(cases []Case, total int) error {
	for _, c := range cases {
		for _, n := range c.Expected {
			if n > total {
				return &ParseError{Line: c.Line, Err: fmt.Errorf("question %d is not in the transcript (it has 1-%d)", n, total)}
			}
		}
	}
	return nil
}
