package matcher

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// EvalCase is one labelled query of an evaluation set.
type EvalCase struct {
	// Line is the 1-based line of the case in its file.
	Line int
	// Expected are the acceptable entry numbers, best first; empty when the transcript has
	// no answer (written "0").
	Expected []int
	// Kind is the query kind: P paraphrase, A fact in the answer, K keywords, T typo,
	// C chatty, O out of scope (or any other label the file uses).
	Kind  string
	Query string
}

// Answerable reports whether the transcript answers the case.
func (c EvalCase) Answerable() bool { return len(c.Expected) > 0 }

// EvalError is a malformed line of an evaluation set.
type EvalError struct {
	Line int
	Err  error
}

// Error reports the line and the reason.
func (e *EvalError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the reason.
func (e *EvalError) Unwrap() error { return e.Err }

// ReadEvalSet reads an evaluation set: tab-separated lines "expected<TAB>kind<TAB>query",
// where expected is a comma-separated list of entry numbers (first = best) or 0 when the
// transcript has no answer. Blank lines and lines starting with '#' are skipped.
func ReadEvalSet(r io.Reader) ([]EvalCase, error) {
	var out []EvalCase
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.SplitN(text, "\t", 3)
		if len(f) != 3 {
			return nil, &EvalError{line, fmt.Errorf("want 3 tab-separated fields (expected, kind, query), got %d", len(f))}
		}
		c := EvalCase{Line: line, Kind: strings.TrimSpace(f[1]), Query: strings.TrimSpace(f[2])}
		if c.Kind == "" {
			return nil, &EvalError{line, errors.New("empty kind")}
		}
		if c.Query == "" {
			return nil, &EvalError{line, errors.New("empty query")}
		}
		for _, n := range strings.Split(f[0], ",") {
			v, err := strconv.Atoi(strings.TrimSpace(n))
			if err != nil || v < 0 {
				return nil, &EvalError{line, fmt.Errorf("expected %q: want entry numbers or 0", f[0])}
			}
			if v > 0 {
				c.Expected = append(c.Expected, v)
			}
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read evaluation set: %w", err)
	}
	if len(out) == 0 {
		return nil, &EvalError{line, errors.New("no queries")}
	}
	return out, nil
}

// EvalResult is the outcome of Evaluate.
type EvalResult struct {
	Threshold float64
	// Answerable and OutOfScope count the cases of each sort.
	Answerable, OutOfScope int
	// Top1 is the share of answerable cases whose answer was one of the expected entries.
	Top1 float64
	// Abstained is the share of answerable cases the matcher declined to answer.
	Abstained float64
	// Rejected is the share of out-of-scope cases the matcher declined to answer.
	Rejected float64
	// MRR is the mean reciprocal rank of the first expected entry in Rank, over answerable cases.
	MRR float64
	// Kinds are the figures per query kind, sorted by kind.
	Kinds []KindResult
	// Misses are the cases answered wrongly or not at all, and out-of-scope cases answered.
	Misses []EvalMiss
	// Sweep are the figures at other thresholds (0.05 to 0.95 by 0.05).
	Sweep []SweepPoint
}

// KindResult is the figure of one query kind: for answerable kinds the share answered
// correctly, for out-of-scope the share abstained.
type KindResult struct {
	Kind    string
	Cases   int
	Correct int
}

// EvalMiss is a case the matcher got wrong.
type EvalMiss struct {
	Case       EvalCase
	Got        int
	Confidence float64
}

// SweepPoint is the outcome at one threshold.
type SweepPoint struct {
	Threshold                 float64
	Top1, Abstained, Rejected float64
}

// Evaluate runs the cases at threshold (<= 0: the matcher's own) and returns accuracy,
// abstention, MRR, the per-kind table, the misses and a threshold sweep.
func (m *Matcher) Evaluate(cases []EvalCase, threshold float64) EvalResult {
	if threshold <= 0 {
		threshold = m.threshold
	}
	res := EvalResult{Threshold: threshold}
	type outcome struct {
		c    EvalCase
		best int
		conf float64
	}
	outs := make([]outcome, len(cases))
	kinds := map[string]*KindResult{}
	var rr float64
	for i, c := range cases {
		ranked := m.Rank(c.Query, 3)
		o := outcome{c: c}
		if len(ranked) > 0 {
			o.best, o.conf = ranked[0].Number, ranked[0].Confidence
		}
		outs[i] = o
		if c.Answerable() {
			for r, a := range ranked {
				if contains(c.Expected, a.Number) {
					rr += 1 / float64(r+1)
					break
				}
			}
		}
	}
	sweep := func(th float64) (top1, abst, rej int) {
		for _, o := range outs {
			answered := o.best > 0 && o.conf >= th
			if o.c.Answerable() {
				if !answered {
					abst++
				} else if contains(o.c.Expected, o.best) {
					top1++
				}
			} else if !answered {
				rej++
			}
		}
		return
	}
	for _, o := range outs {
		answered := o.best > 0 && o.conf >= threshold
		k := kinds[o.c.Kind]
		if k == nil {
			k = &KindResult{Kind: o.c.Kind}
			kinds[o.c.Kind] = k
		}
		k.Cases++
		got := 0
		if answered {
			got = o.best
		}
		ok := false
		if o.c.Answerable() {
			res.Answerable++
			ok = answered && contains(o.c.Expected, o.best)
		} else {
			res.OutOfScope++
			ok = !answered
		}
		if ok {
			k.Correct++
		} else {
			res.Misses = append(res.Misses, EvalMiss{Case: o.c, Got: got, Confidence: o.conf})
		}
	}
	top1, abst, rej := sweep(threshold)
	res.Top1 = ratio(top1, res.Answerable)
	res.Abstained = ratio(abst, res.Answerable)
	res.Rejected = ratio(rej, res.OutOfScope)
	if res.Answerable > 0 {
		res.MRR = rr / float64(res.Answerable)
	}
	for _, k := range kinds {
		res.Kinds = append(res.Kinds, *k)
	}
	sort.Slice(res.Kinds, func(i, j int) bool { return res.Kinds[i].Kind < res.Kinds[j].Kind })
	for i := 1; i <= 19; i++ {
		th := float64(i) * 0.05
		t, a, r := sweep(th)
		res.Sweep = append(res.Sweep, SweepPoint{Threshold: th, Top1: ratio(t, res.Answerable), Abstained: ratio(a, res.Answerable), Rejected: ratio(r, res.OutOfScope)})
	}
	return res
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func contains(l []int, n int) bool {
	for _, x := range l {
		if x == n {
			return true
		}
	}
	return false
}
