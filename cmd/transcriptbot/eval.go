package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

func init() {
	register(&command{
		name:    "eval",
		summary: "measure the matcher on a labelled set of queries",
		usage:   "eval [--threshold T] [--misses=false] FILE.tsv",
		help: `Runs every query of FILE.tsv through the matcher and reports top-1 accuracy, abstention
on answerable and on out-of-scope queries, mean reciprocal rank, a table per query kind,
the queries it got wrong, and a sweep of the confidence threshold.

FILE.tsv has one query per line, three tab-separated fields:
  expected<TAB>kind<TAB>query
expected is the right question number, or several separated by commas (first = best;
any of them counts as correct), or 0 when the transcript has no answer. kind is a
letter: P paraphrase, A fact only in the answer, K keywords, T typo, C chatty,
O out of scope (others are reported as they are). Lines starting with # and blank lines
are ignored.`,
		run: runEval,
	})
}

// evalCase is one labelled query.
type evalCase struct {
	Line     int
	Expected []int // empty: out of scope (expected 0)
	Kind     string
	Query    string
}

// answerable reports whether the transcript covers the query.
func (c evalCase) answerable() bool { return len(c.Expected) > 0 }

// readEvalSet parses an evaluation set; errors carry the line number.
func readEvalSet(r io.Reader) ([]evalCase, error) {
	var cases []evalCase
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		if strings.TrimSpace(text) == "" || strings.HasPrefix(strings.TrimSpace(text), "#") {
			continue
		}
		fields := strings.SplitN(text, "\t", 3)
		if len(fields) != 3 {
			return nil, &transcript.ParseError{Line: line,
				Err: fmt.Errorf("want 3 tab-separated fields (expected, kind, query), got %d", len(fields))}
		}
		c := evalCase{Line: line, Kind: strings.TrimSpace(fields[1]), Query: strings.TrimSpace(fields[2])}
		if c.Kind == "" {
			return nil, &transcript.ParseError{Line: line, Err: errors.New("empty kind")}
		}
		if c.Query == "" {
			return nil, &transcript.ParseError{Line: line, Err: errors.New("empty query")}
		}
		for _, f := range strings.Split(fields[0], ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 0 {
				return nil, &transcript.ParseError{Line: line,
					Err: fmt.Errorf("expected %q is not a question number", strings.TrimSpace(f))}
			}
			if n > 0 {
				c.Expected = append(c.Expected, n)
			} else if len(strings.Split(fields[0], ",")) > 1 {
				return nil, &transcript.ParseError{Line: line,
					Err: errors.New("0 (no answer) cannot be combined with question numbers")}
			}
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(cases) == 0 {
		return nil, &transcript.ParseError{Err: errors.New("no queries")}
	}
	return cases, nil
}

// kindNames describes the query kinds of the evaluation format.
var kindNames = map[string]string{
	"P": "paraphrase",
	"A": "fact in answer",
	"K": "keywords",
	"T": "typo",
	"C": "chatty",
	"O": "out of scope",
}

// tally counts outcomes over a set of queries.
type tally struct {
	n, answerable, outOfScope int
	correct                   int     // answerable answered right + out of scope abstained
	top1                      int     // answerable answered right
	abstainedAns              int     // answerable, abstained
	abstainedOOS              int     // out of scope, abstained
	wrong                     int     // answered with a wrong question (either kind)
	rr                        float64 // sum of reciprocal ranks over answerable queries
}

func (t *tally) add(c evalCase, number int, rank int) {
	t.n++
	if !c.answerable() {
		t.outOfScope++
		if number == 0 {
			t.abstainedOOS++
			t.correct++
		} else {
			t.wrong++
		}
		return
	}
	t.answerable++
	switch {
	case number == 0:
		t.abstainedAns++
	case slices.Contains(c.Expected, number):
		t.top1++
		t.correct++
	default:
		t.wrong++
	}
	if rank > 0 {
		t.rr += 1 / float64(rank)
	}
}

func pct(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
}

func ratio(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%d/%d %s", a, b, pct(a, b))
}

func (t *tally) mrr() string {
	if t.answerable == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f", t.rr/float64(t.answerable))
}

func runEval(ctx context.Context, env *cliEnv, args []string) int {
	fs := env.flagSet("eval")
	threshold := fs.Float64("threshold", matcher.DefaultThreshold, "confidence threshold below which the matcher abstains")
	misses := fs.Bool("misses", true, "list the queries answered wrongly")
	rest, code, ok := env.parse(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 1 {
		return env.usageError("eval", "want exactly one FILE.tsv, got %d arguments", len(rest))
	}
	if *threshold <= 0 || *threshold > 1 {
		return env.usageError("eval", "--threshold must be in (0, 1], got %g", *threshold)
	}
	name := rest[0]
	f, err := os.Open(name)
	if err != nil {
		fmt.Fprintln(env.Stderr, locateError(name, err))
		return exitError
	}
	cases, err := readEvalSet(f)
	f.Close()
	if err != nil {
		fmt.Fprintln(env.Stderr, locateError(name, err))
		return exitError
	}
	t, err := env.loadTranscript()
	if err != nil {
		return env.runtimeError("eval", err)
	}
	for _, c := range cases {
		for _, n := range c.Expected {
			if _, ok := t.Entry(n); !ok {
				fmt.Fprintf(env.Stderr, "%s:%d: question %d is not in the transcript (it has 1-%d)\n",
					name, c.Line, n, t.Len())
				return exitError
			}
		}
	}
	m, err := matcher.New(t, matcher.Options{Language: env.Lang, Threshold: *threshold})
	if err != nil {
		return env.runtimeError("eval", err)
	}

	total := &tally{}
	tops := make([]topCandidate, 0, len(cases))
	byKind := map[string]*tally{}
	var missLines []string
	for _, c := range cases {
		if err := ctx.Err(); err != nil {
			return env.runtimeError("eval", err)
		}
		r := m.Match(c.Query, 0)
		top := topCandidate{number: r.Number, conf: r.Confidence}
		if top.number == 0 && len(r.Alternatives) > 0 {
			top.number = r.Alternatives[0].Number // when abstaining, the top candidate
		}
		tops = append(tops, top)
		rank := 0
		if c.answerable() {
			for i, a := range m.Rank(c.Query, min(t.Len(), mrrDepth)) {
				if slices.Contains(c.Expected, a.Number) {
					rank = i + 1
					break
				}
			}
		}
		total.add(c, r.Number, rank)
		k := byKind[c.Kind]
		if k == nil {
			k = &tally{}
			byKind[c.Kind] = k
		}
		k.add(c, r.Number, rank)
		if right := (r.Number == 0 && !c.answerable()) || slices.Contains(c.Expected, r.Number); !right {
			want := "0"
			if c.answerable() {
				want = joinInts(c.Expected)
			}
			missLines = append(missLines, fmt.Sprintf("%s:%d\t%s\twant %s\tgot %d (%.2f)\t%s",
				name, c.Line, c.Kind, want, r.Number, r.Confidence, c.Query))
		}
	}

	w := env.Stdout
	fmt.Fprintf(w, "%s: %d queries (%d answerable, %d out of scope); transcript %s, threshold %.2f\n\n",
		name, total.n, total.answerable, total.outOfScope, t.Hash, *threshold)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "accuracy (all queries)\t%s\n", ratio(total.correct, total.n))
	fmt.Fprintf(tw, "top-1, answerable\t%s\n", ratio(total.top1, total.answerable))
	fmt.Fprintf(tw, "abstained, answerable\t%s\n", ratio(total.abstainedAns, total.answerable))
	fmt.Fprintf(tw, "abstained, out of scope\t%s\n", ratio(total.abstainedOOS, total.outOfScope))
	fmt.Fprintf(tw, "wrong question given\t%s\n", ratio(total.wrong, total.n))
	fmt.Fprintf(tw, "mean reciprocal rank\t%s\n", total.mrr())
	tw.Flush()

	fmt.Fprintln(w, "\nBy kind:")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  kind\tqueries\tcorrect\tabstained\twrong\tMRR")
	kinds := make([]string, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		s := byKind[k]
		abst := s.abstainedAns + s.abstainedOOS
		fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%s\t%s\n", strings.TrimSpace(k+" "+kindNames[k]), s.n,
			pct(s.correct, s.n), pct(abst, s.n), pct(s.wrong, s.n), s.mrr())
	}
	tw.Flush()

	if *misses && len(missLines) > 0 {
		fmt.Fprintf(w, "\nMisses (%d):\n", len(missLines))
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, l := range missLines {
			fmt.Fprintf(tw, "  %s\n", l)
		}
		tw.Flush()
	}

	fmt.Fprintln(w, "\nThreshold sweep (* = this run):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "threshold\taccuracy\ttop-1 ans\tabstained ans\tabstained oos\twrong\t")
	for _, th := range sweepThresholds(*threshold) {
		// The threshold only decides whether to abstain: the matcher answers with its top
		// candidate when the confidence reaches the threshold (matcher.Match's contract),
		// so every threshold is evaluated from one run.
		s := &tally{}
		for i, c := range cases {
			number := 0
			if tops[i].conf >= th {
				number = tops[i].number
			}
			s.add(c, number, 0)
		}
		mark := ""
		if th == *threshold {
			mark = "*"
		}
		fmt.Fprintf(tw, "%s%.2f\t%s\t%s\t%s\t%s\t%s\t\n", mark, th, pct(s.correct, s.n),
			pct(s.top1, s.answerable), pct(s.abstainedAns, s.answerable),
			pct(s.abstainedOOS, s.outOfScope), pct(s.wrong, s.n))
	}
	tw.Flush()
	return exitOK
}

// mrrDepth is how deep the ranking is searched for the reciprocal rank: an expected question
// ranked below it counts 0 (it would add less than 1/mrrDepth).
const mrrDepth = 100

// topCandidate is the matcher's best question for a query and its confidence, whether or not
// it abstained.
type topCandidate struct {
	number int
	conf   float64
}

// sweepThresholds returns 0.05, 0.10, ... 0.95 with cur inserted in order.
func sweepThresholds(cur float64) []float64 {
	var ths []float64
	for i := 1; i <= 19; i++ {
		ths = append(ths, float64(i)/20)
	}
	for i, th := range ths {
		if fmt.Sprintf("%.4f", th) == fmt.Sprintf("%.4f", cur) {
			ths[i] = cur
			return ths
		}
	}
	ths = append(ths, cur)
	sort.Float64s(ths)
	return ths
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}
