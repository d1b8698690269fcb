package evaluate

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	in := "\ufeff# comment\n\n  # indented comment\n2\tP\tWhat is the Shanghai spirit?\r\n1, 9\tK\tpandemic economy\n0\tO\tsourdough\tstarter\n4\tN\t  what was the 4th question?  \n"
	cases, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	got := fmt.Sprintf("%+v", cases)
	want := "[{Line:4 Expected:[2] Briefing: Kind:P Query:What is the Shanghai spirit?} " +
		"{Line:5 Expected:[1 9] Briefing: Kind:K Query:pandemic economy} " +
		"{Line:6 Expected:[] Briefing: Kind:O Query:sourdough\tstarter} " +
		"{Line:7 Expected:[4] Briefing: Kind:N Query:what was the 4th question?}]"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if !cases[0].Answerable() || cases[2].Answerable() {
		t.Errorf("Answerable: got %v and %v, want true and false", cases[0].Answerable(), cases[2].Answerable())
	}
}

func TestParseErrors(t *testing.T) {
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
		{"empty number", "1,\tP\tquery\n", 1, `expected "" is not a question number`},
		{"zero combined", "0,2\tP\tquery\n", 1, "cannot be combined"},
		{"twice", "2,2\tP\tquery\n", 1, "question 2 is expected twice"},
		{"empty kind", "1\t \tquery\n", 1, "empty kind"},
		{"empty query", "1\tP\t  \n", 1, "empty query"},
		{"later line", "1\tP\tq\n\n# c\n2\tP\n", 4, "want 3 tab-separated fields"},
		{"no queries", "# only a comment\n", 0, "no queries"},
		{"empty file", "", 0, "no queries"},
		{"line too long", "1\tP\t" + strings.Repeat("x", maxLine) + "\n", 1, "token too long"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tc.in))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a *ParseError", err)
			}
			if pe.Line != tc.line {
				t.Errorf("line: got %d, want %d", pe.Line, tc.line)
			}
			if got := err.Error(); !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want it to contain %q", got, tc.want)
			}
			if tc.line > 0 && !strings.HasPrefix(err.Error(), fmt.Sprintf("line %d: ", tc.line)) {
				t.Errorf("got %q, want it to start with the line", err.Error())
			}
		})
	}
	if _, err := Parse(strings.NewReader("# c\n")); !errors.Is(err, ErrNoQueries) {
		t.Errorf("no queries: got %v, want ErrNoQueries", err)
	}
}

func TestCheckRange(t *testing.T) {
	cases, err := Parse(strings.NewReader("1\tP\ta\n0\tO\tb\n3,11\tK\tc\n12\tK\td\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckRange(cases, 11); err == nil || err.Error() != "line 4: question 12 is not in the transcript (it has 1-11)" {
		t.Errorf("got %v, want line 4 out of range", err)
	}
	if err := CheckRange(cases[:3], 11); err != nil {
		t.Errorf("in range: got %v", err)
	}
}

// TestTestdataSets parses every evaluation set of the repository: they must stay readable
// and fit the default transcript's ten questions.
func TestTestdataSets(t *testing.T) {
	for _, name := range []string{"eval.tsv", "holdout.tsv", "holdout2.tsv", "dev.tsv", "blind-mixed.tsv", "blind-chat.tsv"} {
		t.Run(name, func(t *testing.T) {
			cases := readSet(t, testdata+name)
			if err := CheckRange(cases, 10); err != nil {
				t.Error(err)
			}
		})
	}
}

func ExampleParse() {
	set := "# expected\tkind\tquery\n" +
		"2\tP\tWhat does the Shanghai Spirit mean for the world?\n" +
		"1,9\tK\tpandemic economy\n" +
		"0\tO\tHow do I make a sourdough starter?\n"
	cases, err := Parse(strings.NewReader(set))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range cases {
		fmt.Println(c.Line, c.Expected, c.Kind, c.Answerable(), c.Query)
	}
	// Output:
	// 2 [2] P true What does the Shanghai Spirit mean for the world?
	// 3 [1 9] K true pandemic economy
	// 4 [] O false How do I make a sourdough starter?
}

func FuzzParse(f *testing.F) {
	f.Add("1\tP\tquery\n")
	f.Add("# c\n0\tO\tx\n1,2\tK\ty\r\n")
	f.Add("\ufeff3\tN\tq3??\n")
	f.Add("x\ty")
	f.Fuzz(func(t *testing.T, in string) {
		cases, err := Parse(strings.NewReader(in))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
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

// testdata is where the repository's evaluation sets are (next to the matcher's tests).
const testdata = "../../matcher/testdata/"

// readSet parses the evaluation set at path.
func readSet(t testing.TB, path string) []Case {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := Parse(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return cases
}
