package transcript

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name  string
		input string
		line  int
		err   error
	}{
		{"empty", "", 0, ErrNoQuestions},
		{"title only", "Just a title\n", 0, ErrNoQuestions},
		{"text before first question", "Title\nSecond line of prose\n\n1. Q?\n\nA.\n", 2, ErrTextBeforeQuestion},
		{"first number not one", "Title\n\n2. Q?\n\nA.\n", 3, ErrOutOfSequence},
		{"number skipped", "1. Q?\nA.\n3. Q?\nA.\n", 3, ErrOutOfSequence},
		{"number repeated", "1. Q?\nA.\n2. Q?\nA.\n2. Again?\nA.\n", 5, ErrOutOfSequence},
		{"empty answer", "1. Q?\n\n2. Q?\nA.\n", 1, ErrEmptyAnswer},
		{"empty last answer", "1. Q?\nA.\n2. Q?\n\n  \n", 3, ErrEmptyAnswer},
		{"empty question", "1. \nA.\n", 1, ErrEmptyQuestion},
		{"invalid utf-8", "1. Q?\nA \xff\xfe.\n", 2, ErrInvalidUTF8},
		{"overlong title", strings.Repeat("word ", 100) + "\n1. Q?\nA.\n", 1, ErrTextBeforeQuestion},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tc.input))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a *ParseError", err)
			}
			if pe.Line != tc.line {
				t.Errorf("got line %d, want %d (%v)", pe.Line, tc.line, err)
			}
			if !errors.Is(err, tc.err) {
				t.Errorf("got %q, want it to wrap %q", err, tc.err)
			}
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	_, err := Parse(strings.NewReader("1. Q?\nA.\n3. Q?\nA.\n"))
	got, want := err.Error(), "line 3: question number out of sequence: question 3 is out of sequence, want 2"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	_, err = Parse(strings.NewReader(""))
	if got, want := err.Error(), "no numbered questions found"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestParseTooLarge(t *testing.T) {
	big := strings.NewReader("1. Q?\n" + strings.Repeat("a", MaxSize))
	_, err := Parse(big)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
}

// TestParseNormalises checks what real files carry: BOM, CRLF, no-break spaces, trailing
// white space, single and blank line breaks between paragraphs, no final newline.
func TestParseNormalises(t *testing.T) {
	input := "\uFEFFMy  title \r\n\r\n1.\u00a0First  question?\u00a0\r\nPara one.\u00a0Still one. \r\nPara two.\r\n\r\n\r\nPara three\t\r\n2. Second?\nOnly answer"
	tr, err := Parse(strings.NewReader(input))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tr.Title, "My title"; got != want {
		t.Errorf("title: got %q, want %q", got, want)
	}
	if got, want := tr.Len(), 2; got != want {
		t.Fatalf("entries: got %d, want %d", got, want)
	}
	e, _ := tr.Entry(1)
	if got, want := e.Question, "First question?"; got != want {
		t.Errorf("question: got %q, want %q", got, want)
	}
	if got, want := strings.Join(e.Paragraphs, "|"), "Para one. Still one.|Para two.|Para three"; got != want {
		t.Errorf("paragraphs: got %q, want %q", got, want)
	}
	if got, want := e.Answer(), "Para one. Still one.\n\nPara two.\n\nPara three"; got != want {
		t.Errorf("answer: got %q, want %q", got, want)
	}
	var sents []string
	for _, s := range e.Sentences {
		sents = append(sents, s.Text)
	}
	if got, want := strings.Join(sents, "|"), "Para one.|Still one.|Para two.|Para three"; got != want {
		t.Errorf("sentences: got %q, want %q", got, want)
	}
	if got, want := e.Sentences[2].Paragraph, 1; got != want {
		t.Errorf("sentence paragraph: got %d, want %d", got, want)
	}
	e2, _ := tr.Entry(2)
	if got, want := e2.Answer(), "Only answer"; got != want {
		t.Errorf("answer 2: got %q, want %q", got, want)
	}
	if got, want := e2.Line, 9; got != want {
		t.Errorf("line: got %d, want %d", got, want)
	}
}

func TestParseNoTitle(t *testing.T) {
	tr, err := Parse(strings.NewReader("1. Q?\nA.\n"))
	if err != nil {
		t.Fatal(err)
	}
	if tr.Title != "" {
		t.Errorf("got title %q, want none", tr.Title)
	}
}

func TestDefault(t *testing.T) {
	d := Default()
	if got, want := d.Len(), 10; got != want {
		t.Fatalf("got %d entries, want %d", got, want)
	}
	if !strings.HasPrefix(d.Title, "Answers of the SCO Secretary-General") {
		t.Errorf("got title %q", d.Title)
	}
	if len(d.Hash) != 8 {
		t.Errorf("got hash %q, want 8 hex characters", d.Hash)
	}
	for i, e := range d.Entries {
		if e.Number != i+1 {
			t.Errorf("entry %d: got number %d", i, e.Number)
		}
		if len(e.Paragraphs) == 0 || len(e.Sentences) < len(e.Paragraphs) {
			t.Errorf("entry %d: %d paragraphs, %d sentences", e.Number, len(e.Paragraphs), len(e.Sentences))
		}
		for _, p := range append(e.Paragraphs, e.Question) {
			if strings.ContainsRune(p, '\u00a0') || strings.Contains(p, "  ") || p != strings.TrimSpace(p) {
				t.Errorf("entry %d: paragraph not normalised: %q", e.Number, p)
			}
		}
		for _, s := range e.Sentences {
			if !strings.Contains(e.Paragraphs[s.Paragraph], s.Text) {
				t.Errorf("entry %d: sentence %q not in its paragraph", e.Number, s.Text)
			}
		}
	}
	if Default() != d {
		t.Error("Default returns a new value each call")
	}
	raw, err := os.ReadFile("default.txt")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Count(string(raw), "\u00a0"), 570; got != want {
		t.Errorf("default.txt has %d no-break spaces, want %d (keep it byte-identical)", got, want)
	}
}

func TestEntry(t *testing.T) {
	d := Default()
	for _, n := range []int{-1, 0, 11} {
		if e, ok := d.Entry(n); ok || e != nil {
			t.Errorf("Entry(%d): got %v, %v, want nil, false", n, e, ok)
		}
	}
	e, ok := d.Entry(10)
	if !ok || e.Number != 10 {
		t.Errorf("Entry(10): got %v, %v", e, ok)
	}
	var nilT *Transcript
	if _, ok := nilT.Entry(1); ok {
		t.Error("nil transcript has entries")
	}
}

func TestHash(t *testing.T) {
	a, _ := Parse(strings.NewReader("T\n1. Q?\nA.\n"))
	b, _ := Parse(strings.NewReader("\uFEFFT\r\n\r\n1.\u00a0Q?  \r\nA."))
	c, _ := Parse(strings.NewReader("T\n1. Q?\nB.\n"))
	if a.Hash != b.Hash {
		t.Errorf("layout changed the hash: got %q, want %q", b.Hash, a.Hash)
	}
	if a.Hash == c.Hash {
		t.Errorf("content change kept the hash %q", a.Hash)
	}
	s, _ := ParseSidecar(strings.NewReader("[question 1]\nWhat?\n"))
	w, err := a.WithSidecar(s)
	if err != nil {
		t.Fatal(err)
	}
	if w.Hash == a.Hash {
		t.Errorf("sidecar kept the hash %q", a.Hash)
	}
}

func TestSplitSentences(t *testing.T) {
	tests := []struct{ in, want string }{
		{"One. Two! Three? Four", "One.|Two!|Three?|Four"},
		{"It is held in St. Petersburg. Next.", "It is held in St. Petersburg.|Next."},
		{`He said "stop." Then left.`, `He said "stop."|Then left.`},
		{"Mr. J. Smith came. 2020 was hard.", "Mr. J. Smith came.|2020 was hard."},
		{"Values 3.5 and 4.2 rose. Yes", "Values 3.5 and 4.2 rose.|Yes"},
		{"no capital. after it", "no capital. after it"},
		{"Ends with ellipsis… Then more", "Ends with ellipsis…|Then more"},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := strings.Join(SplitSentences(tc.in), "|")
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  a\u00a0\u00a0b\t c\u200b ", "a b c"},
		{"\u202fx\u2007y\u3000z", "x y z"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q): got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestBuiltinSynonyms(t *testing.T) {
	a := BuiltinSynonyms()
	a[0][0] = "changed"
	b := BuiltinSynonyms()
	if b[0][0] == "changed" {
		t.Error("BuiltinSynonyms shares its slices")
	}
	found := map[string]bool{}
	for _, g := range b {
		if len(g) < 2 {
			t.Errorf("group %q has fewer than two members", g)
		}
		for _, w := range g {
			found[strings.ToLower(w)] = true
		}
	}
	for _, w := range []string{"covid", "coronavirus", "un", "united nations", "hk", "hong kong", "eu", "who", "gdp"} {
		if !found[w] {
			t.Errorf("built-in synonyms lack %q", w)
		}
	}
}

func TestParseSidecar(t *testing.T) {
	input := "; comment\n# another\n[Question 2]\nFirst alternate\n\n  Second\u00a0 alternate \n[synonyms]\nRATS, regional antiterrorist structure\nkids ,children\n[question 2]\nThird\n"
	s, err := ParseSidecar(strings.NewReader(input))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(s.Alternates[2], "|"), "First alternate|Second alternate|Third"; got != want {
		t.Errorf("alternates: got %q, want %q", got, want)
	}
	var groups []string
	for _, g := range s.Synonyms {
		groups = append(groups, strings.Join(g, ","))
	}
	if got, want := strings.Join(groups, "|"), "RATS,regional antiterrorist structure|kids,children"; got != want {
		t.Errorf("synonyms: got %q, want %q", got, want)
	}
}

func TestParseSidecarErrors(t *testing.T) {
	tests := []struct {
		name, input string
		line        int
		err         error
	}{
		{"text before section", "alternate\n", 1, ErrNoSection},
		{"unknown section", "\n[answers]\nx\n", 2, ErrBadSection},
		{"bad number", "[question x]\n", 1, ErrBadSection},
		{"zero", "[question 0]\n", 1, ErrBadSection},
		{"unclosed", "[question 1\n", 1, ErrBadSection},
		{"one-word group", "[synonyms]\na, b\nlonely\n", 3, ErrBadSynonyms},
		{"empty item", "[synonyms]\na,,b\n", 2, ErrBadSynonyms},
		{"invalid utf-8", "[synonyms]\na, \xff\n", 2, ErrInvalidUTF8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSidecar(strings.NewReader(tc.input))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a *ParseError", err)
			}
			if pe.Line != tc.line || !errors.Is(err, tc.err) {
				t.Errorf("got %q at line %d, want %q at line %d", err, pe.Line, tc.err, tc.line)
			}
		})
	}
}

func TestWithSidecarUnknownQuestion(t *testing.T) {
	s, err := ParseSidecar(strings.NewReader("[question 1]\nok\n\n[question 12]\nno such\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Default().WithSidecar(s)
	var pe *ParseError
	if !errors.As(err, &pe) || !errors.Is(err, ErrUnknownQuestion) || pe.Line != 4 {
		t.Fatalf("got %v, want ErrUnknownQuestion at line 4", err)
	}
	if len(Default().Entries[0].Alternates) != 0 {
		t.Error("WithSidecar changed the original transcript")
	}
}

func TestLoad(t *testing.T) {
	tr, err := Load(filepath.Join("testdata", "talk.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tr.Len(), 3; got != want {
		t.Fatalf("got %d entries, want %d", got, want)
	}
	if got := tr.Entries[1].Alternates; len(got) != 2 {
		t.Errorf("got alternates %q, want two", got)
	}
	if len(tr.Synonyms) == 0 {
		t.Error("got no synonyms from the sidecar")
	}
	plain, err := Load(filepath.Join("testdata", "nosidecar.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(plain.Synonyms) != 0 {
		t.Errorf("got synonyms %q without a sidecar", plain.Synonyms)
	}

	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("bad.txt", "1. Q?\nA.\n")
	write("bad.ini", "[question 1]\nfine\n[question 2]\nnope\n")
	_, err = Load(bad)
	if err == nil || !errors.Is(err, ErrUnknownQuestion) || !strings.Contains(err.Error(), "bad.ini:3:") {
		t.Errorf("got %v, want an error naming bad.ini line 3", err)
	}
	broken := write("broken.txt", "1. Q?\n\n")
	_, err = Load(broken)
	if err == nil || !strings.Contains(err.Error(), "broken.txt:1:") {
		t.Errorf("got %v, want an error naming broken.txt line 1", err)
	}
	if _, err := Load(filepath.Join(dir, "missing.txt")); err == nil {
		t.Error("got no error for a missing file")
	}
}

func TestSidecarPath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"talk.txt", "talk.ini"},
		{"dir/talk.v2.txt", "dir/talk.v2.ini"},
		{"talk", "talk.ini"},
	}
	for _, tc := range tests {
		if got := SidecarPath(tc.in); got != tc.want {
			t.Errorf("SidecarPath(%q): got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseNeverReturnsInvalidText(t *testing.T) {
	tr, err := Parse(strings.NewReader("T\n1. Ünïcødé quëstion?\nÄnswer — with “quotes”. Ånd more.\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range tr.Entries[0].Sentences {
		if !utf8.ValidString(s.Text) {
			t.Errorf("invalid UTF-8 in %q", s.Text)
		}
	}
}

// TestParseLongNumbers: a question number of any length is a question number, so one out of
// sequence is a line-numbered error instead of text joining the previous answer.
func TestParseLongNumbers(t *testing.T) {
	tests := []struct {
		name, number string
		want         string
	}{
		{"seven digits", "1234567", "line 3: question number out of sequence: question 1234567 is out of sequence, want 2"},
		{"ten digits", "1000000000", "line 3: question number out of sequence: question 1000000000 is out of sequence, want 2"},
		{"too large for an int", "123456789012345678901234567890", "line 3: question number out of sequence: question number 12345678901234567890... is too large, want 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader("1. Q?\nA.\n" + tc.number + ". Another?\nB.\n"))
			if !errors.Is(err, ErrOutOfSequence) {
				t.Fatalf("got %v, want ErrOutOfSequence", err)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestParseLineTooLong: a line over MaxLineSize is refused with its line number, in the
// transcript and in the sidecar.
func TestParseLineTooLong(t *testing.T) {
	long := strings.Repeat("a", MaxLineSize+1)
	_, err := Parse(strings.NewReader("1. Q?\nA.\n" + long + "\n"))
	var pe *ParseError
	if !errors.As(err, &pe) || !errors.Is(err, ErrLineTooLong) || pe.Line != 3 {
		t.Fatalf("got %v, want line 3: ErrLineTooLong", err)
	}
	if _, err := Parse(strings.NewReader("1. Q?\n" + long[1:] + "\r\n")); err != nil {
		t.Errorf("a line of exactly MaxLineSize bytes: got %v, want it accepted", err)
	}
	_, err = ParseSidecar(strings.NewReader("[1]\n" + long + "\n"))
	if !errors.As(err, &pe) || !errors.Is(err, ErrLineTooLong) || pe.Line != 2 {
		t.Errorf("sidecar: got %v, want line 2: ErrLineTooLong", err)
	}
}

// TestNormalizeShortcut checks that the shortcut for text Normalize leaves alone (normalASCII)
// agrees with the full normalisation on every string of up to four characters from a set
// with the cases that matter: spaces, other white space, controls, non-ASCII.
func TestNormalizeShortcut(t *testing.T) {
	chars := []string{"a", "Z", " ", "\t", "\n", "\x7f", "~", "é", "\u00a0", "\u200b"}
	var walk func(s string, n int)
	walk = func(s string, n int) {
		if got, want := Normalize(s), normalize(s); got != want {
			t.Fatalf("Normalize(%q): got %q, want %q", s, got, want)
		}
		if n == 0 {
			return
		}
		for _, c := range chars {
			walk(s+c, n-1)
		}
	}
	walk("", 4)
}

// TestOverlongTitleSaysItsLength: a first line too long for a title, in a transcript whose
// questions are numbered, is reported with its length and the limit, not as a layout problem.
func TestOverlongTitleSaysItsLength(t *testing.T) {
	title := strings.Repeat("Joint briefing on the eruption, ", 10) // 320 characters
	_, err := Parse(strings.NewReader(title + "\nDate: 2025-10-14\n\n1. Q?\n\nA.\n"))
	if !errors.Is(err, ErrTextBeforeQuestion) {
		t.Fatalf("got %v, want ErrTextBeforeQuestion", err)
	}
	msg := err.Error()
	for _, want := range []string{"line 1:", "characters long", "a title at most 300", "shorten it"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q lacks %q", msg, want)
		}
	}
	// Without numbered questions the long line is prose: the layout hint stays.
	_, err = Parse(strings.NewReader(title + "\nQ: What?\nA: That.\n"))
	if err == nil || strings.Contains(err.Error(), "characters long") {
		t.Errorf("got %v, want the layout hint", err)
	}
}
