package matcher

import (
	_ "embed"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"transcriptbot/transcript"
)

// Learned phrasings: how people ask for each question of the embedded transcript.
//
// The labelled query sets about the embedded transcript (the decision's fit sets, thousands
// of questions written by others for each of its entries) say which words people use for
// which question: "work together" and "team up" for question 1's "step up cooperation",
// "keep the region safe" for question 3's "preserving regional security". learnedModel is a
// multinomial naive Bayes model over the stems and stem pairs of those queries (the words the
// matcher's analysis keeps, s.words), one class per entry and one for the out-of-scope
// queries of the same sets; the ranking multiplies each of its best candidates' confidence by
// its posterior, relative to the most probable entry's, to the power learnedWeight (score), and the
// out-of-scope class's posterior is a feature of the decision (learned_oos). The words
// themselves still decide which entries are candidates: the model only reorders what the
// ranking found.
//
// The table is learned_default.txt, written with the decision's coefficients by
//
//	go test ./matcher -run TestRefitDecision -refit
//
// from the same fit sets (never the never-fitted ones), and checked against a refit by the
// same test in CI. It applies to the embedded transcript alone (its hash is in the table):
// an operator's transcript has no labelled queries, and is ranked by its words alone. In the
// fit, the embedded transcript's samples are ranked by a model learned without the set they
// come from (each set left out), so that the decision is fitted on what an unseen query gets.

// learnedWeight is the power of the posterior ratio that scales a candidate's confidence
// (each fit set left out, ranked first over the embedded transcript's fit sets: 0 93.4%,
// 0.1 98.2%, 0.2 98.4%, 0.3 98.5%, 0.5 98.5%, 1 98.4%).
const learnedWeight = 0.3

// learnedPrior is the additive smoothing of the model's counts.
const learnedPrior = 0.5

// learnedModel is a naive Bayes model of the words people use for each entry.
type learnedModel struct {
	// hash is the transcript's content hash the model was learned for.
	hash string
	// n is the number of entries; class n is the out-of-scope queries'.
	n int
	// base[k] is log(prior / (total[k] + prior*vocabulary)): a feature's log-probability in
	// class k when the class never had it (n+1 classes).
	base []float64
	// feats maps a feature (a stem, or two stems joined by a space) to its span in counts.
	feats map[string][2]int32
	// counts are the features' non-zero counts, by entry.
	counts []learnedCount
}

type learnedCount struct {
	doc, count int32
	lr         float64 // learnedLog(count)
}

// learnedLogs are learnedLog of the small counts, which are most.
var learnedLogs = func() (l [64]float64) {
	for c := range l {
		l[c] = math.Log((float64(c) + learnedPrior) / learnedPrior)
	}
	return l
}()

// learnedLog is a feature's weight in a class that had it count times: log((count+prior)/prior).
func learnedLog(count int) float64 {
	if count < len(learnedLogs) {
		return learnedLogs[count]
	}
	return math.Log((float64(count) + learnedPrior) / learnedPrior)
}

// learnedTable is the embedded transcript's model (see above).
//
//go:embed learned_default.txt
var learnedTable string

var (
	embeddedLearnedOnce sync.Once
	embeddedLearned     *learnedModel
)

// learnedFor returns the learned model for transcript t in language lang, or nil.
func learnedFor(t *transcript.Transcript, lang string) *learnedModel {
	if lang != "english" || t.Hash != transcript.Default().Hash {
		return nil
	}
	embeddedLearnedOnce.Do(func() {
		l, err := parseLearned(learnedTable)
		if err != nil {
			panic("matcher: learned_default.txt: " + err.Error())
		}
		if l.hash == t.Hash && l.n == len(t.Entries) && l.n < maxLearned {
			embeddedLearned = l
		}
	})
	return embeddedLearned
}

// maxLearned bounds the classes of a learned model (the entries and out of scope), so that
// a query's posteriors fit in the scratch.
const maxLearned = 64

// newLearned builds a model from feature counts: counts[k][feature] for each entry k and,
// last, the out-of-scope queries'.
func newLearned(hash string, counts []map[string]int) *learnedModel {
	n := len(counts)
	l := &learnedModel{hash: hash, n: n - 1, base: make([]float64, n), feats: map[string][2]int32{}}
	vocab := map[string]bool{}
	total := make([]int, n)
	for k, c := range counts {
		for f, v := range c {
			vocab[f] = true
			total[k] += v
		}
	}
	for k := range l.base {
		l.base[k] = math.Log(learnedPrior / (float64(total[k]) + learnedPrior*float64(len(vocab))))
	}
	keys := make([]string, 0, len(vocab))
	for f := range vocab {
		keys = append(keys, f)
	}
	slices.Sort(keys)
	for _, f := range keys {
		start := int32(len(l.counts))
		for k := range counts {
			if v := counts[k][f]; v > 0 {
				l.counts = append(l.counts, learnedCount{int32(k), int32(v), learnedLog(v)})
			}
		}
		l.feats[f] = [2]int32{start, int32(len(l.counts))}
	}
	return l
}

// eachFeature calls fn with each feature of the analysed query s: its words' stems and each
// pair of neighbouring stems joined by a space. f is valid only during the call (fn may look
// it up as string(f) without a copy).
func eachFeature(s *scratch, fn func(f []byte)) {
	prev := ""
	for _, w := range s.words {
		stem := w.stem
		if w.learn != "" {
			stem = w.learn // a foreign word's English equivalent, or "-" for a filler
		}
		if stem == "" || stem == "-" {
			continue
		}
		s.featBuf = append(s.featBuf[:0], stem...)
		fn(s.featBuf)
		if prev != "" {
			s.featBuf = append(append(append(s.featBuf[:0], prev...), ' '), stem...)
			fn(s.featBuf)
		}
		prev = stem
	}
}

// queryFeatures appends the features of the analysed query s to out (eachFeature).
func queryFeatures(s *scratch, out []string) []string {
	eachFeature(s, func(f []byte) { out = append(out, string(f)) })
	return out
}

// posteriors computes, once per query, the posterior of each class for the analysed query s
// into s.learnedLP (log, unnormalised; n+1 classes) and s.learnedOOS (the out-of-scope
// class's normalised posterior); s.learnedOK reports whether any feature was known.
func (l *learnedModel) posteriors(s *scratch) {
	lp := s.learnedLP[:l.n+1]
	for k := range lp {
		lp[k] = 0
	}
	s.learnedOK, s.learnedOOS = false, 0
	eachFeature(s, func(f []byte) {
		sp, ok := l.feats[string(f)]
		if !ok {
			return
		}
		s.learnedOK = true
		for k := range lp {
			lp[k] += l.base[k]
		}
		for _, c := range l.counts[sp[0]:sp[1]] {
			lp[c.doc] += c.lr
		}
	})
	if !s.learnedOK {
		return
	}
	mx := math.Inf(-1)
	for _, v := range lp {
		mx = max(mx, v)
	}
	var z float64
	for _, v := range lp {
		z += math.Exp(v - mx)
	}
	s.learnedOOS = math.Exp(lp[l.n]-mx) / z
}

// scales computes the query's posteriors (posteriors) and, into s.learnedScale, the factor
// by which each entry's confidence is scaled: its posterior against the most probable
// entry's, to the power learnedWeight (1 for all when the model knows none of the query's
// features). The factor depends on the entry alone, not on which candidates the ranking
// weighs, so that score's pruning stays exact.
func (l *learnedModel) scales(s *scratch) {
	if l == nil {
		return
	}
	l.posteriors(s)
	if !s.learnedOK {
		return
	}
	lp := s.learnedLP[:l.n]
	best := math.Inf(-1)
	for _, v := range lp {
		best = max(best, v)
	}
	for k, v := range lp {
		s.learnedScale[k] = math.Exp(learnedWeight * (v - best))
	}
}

// scale returns the factor of entry d's confidence for the query s (scales).
func (l *learnedModel) scale(s *scratch, d int32) float64 {
	if l == nil || !s.learnedOK || int(d) >= l.n {
		return 1
	}
	return s.learnedScale[d]
}

// table writes the model in the format parseLearned reads.
func (l *learnedModel) table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Learned phrasings of the embedded transcript (matcher/learned.go); written by go test ./matcher -run TestRefitDecision -refit.\n")
	fmt.Fprintf(&b, "@hash\t%s\n", l.hash)
	b.WriteString("@base")
	for _, v := range l.base {
		fmt.Fprintf(&b, "\t%s", strconv.FormatFloat(v, 'g', 9, 64))
	}
	b.WriteByte('\n')
	keys := make([]string, 0, len(l.feats))
	for f := range l.feats {
		keys = append(keys, f)
	}
	slices.Sort(keys)
	for _, f := range keys {
		sp := l.feats[f]
		b.WriteString(f)
		// Entries are numbered from 1, the out-of-scope class is n+1.
		for _, c := range l.counts[sp[0]:sp[1]] {
			fmt.Fprintf(&b, "\t%d:%d", c.doc+1, c.count)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// parseLearned reads a table written by table: a line "@hash" and the transcript's hash, a
// line "@base" and each entry's base, then a line per feature (a feature named "@hash" or
// "@base" would be read as those): the feature and its counts, entry:count. It walks the
// text in place (the features are substrings of it), as the embedded table is read at
// start-up.
func parseLearned(text string) (*learnedModel, error) {
	lines := strings.Count(text, "\n") + 1
	l := &learnedModel{feats: make(map[string][2]int32, lines), counts: make([]learnedCount, 0, strings.Count(text, ":"))}
	rest := text
	for line := 1; rest != ""; line++ {
		var ln string
		ln, rest, _ = strings.Cut(rest, "\n")
		if ln == "" || ln[0] == '#' {
			continue
		}
		name, fields, _ := strings.Cut(ln, "\t")
		switch name {
		case "@hash":
			l.hash = fields
			continue
		case "@base":
			for f := range strings.SplitSeq(fields, "\t") {
				x, err := strconv.ParseFloat(f, 64)
				if err != nil {
					return nil, fmt.Errorf("line %d: %v", line, err)
				}
				l.base = append(l.base, x)
			}
			l.n = len(l.base) - 1
			continue
		}
		start := int32(len(l.counts))
		for fields != "" {
			var kc string
			kc, fields, _ = strings.Cut(fields, "\t")
			ks, cs, ok := strings.Cut(kc, ":")
			k, err1 := strconv.Atoi(ks)
			c, err2 := strconv.Atoi(cs)
			if !ok || err1 != nil || err2 != nil || k < 1 || k > l.n+1 || c < 1 {
				return nil, fmt.Errorf("line %d: bad count %q", line, kc)
			}
			l.counts = append(l.counts, learnedCount{int32(k - 1), int32(c), learnedLog(c)})
		}
		l.feats[name] = [2]int32{start, int32(len(l.counts))}
	}
	if l.hash == "" || l.n < 1 {
		return nil, fmt.Errorf("no hash or base line")
	}
	return l, nil
}
