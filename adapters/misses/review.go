package misses

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"

	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

// Review tuning.
const (
	// Similarity is the Jaccard similarity of two stem sets from which their questions are
	// near-duplicates and join one cluster.
	Similarity = 0.5
	// MajorityShare is the share of a cluster's records the matcher must rank to one question
	// for the cluster to be about that question.
	MajorityShare = 0.5
	// ModerateConfidence is the share of the matcher's threshold from which its mean
	// confidence in that question counts as moderate.
	ModerateConfidence = 0.5
	// StemOverlap is the share of a cluster's stems (by frequency) that must be found in a
	// question, its alternates or its answer for the cluster to be an alternate phrasing of it.
	StemOverlap = 0.5
	// MaxSuggestions bounds the sidecar lines suggested per cluster.
	MaxSuggestions = 5
)

// Report is the outcome of Review.
type Report struct {
	// Records is the number of records reviewed.
	Records int `json:"records"`
	// Answered counts the abstained records the current transcript answers (the transcript or
	// its sidecar changed since they were asked); they are left out of the clusters.
	Answered int `json:"answered"`
	// Unanalysable counts the records with no content word (greetings, numbers, emoji).
	Unanalysable int `json:"unanalysable"`
	// Alternates are the clusters that look like alternate phrasings of an existing question,
	// most frequent first.
	Alternates []Cluster `json:"alternates"`
	// Gaps are the clusters the transcript does not cover, most frequent first.
	Gaps []Cluster `json:"gaps"`
}

// Cluster is a group of records asking the same thing.
type Cluster struct {
	// Count is the number of records.
	Count int `json:"count"`
	// Phrasings are the distinct texts asked (compared case-insensitively), most frequent first.
	Phrasings []Phrasing `json:"phrasings"`
	// Stems are the stems most of the records share, most frequent first.
	Stems []string `json:"stems"`
	// Words are the words most often typed for Stems, in the same order, for people.
	Words []string `json:"words"`
	// Reasons counts the records by reason.
	Reasons map[string]int `json:"reasons"`
	// Question is the question the cluster looks like an alternate phrasing of; 0 for a gap.
	// For a gap it may still be set in Nearest.
	Question int `json:"question,omitempty"`
	// Nearest is the question the matcher ranks first for most of the records (0 if none).
	Nearest int `json:"nearest,omitempty"`
	// Confidence is the matcher's mean confidence in Nearest over the records ranking it first.
	Confidence float64 `json:"confidence"`
	// Overlap is the share of the cluster's stems, by frequency, found in Nearest.
	Overlap float64 `json:"overlap"`
	// Suggested are the phrasings to add as alternates of Question (those the transcript does
	// not have yet, at most MaxSuggestions).
	Suggested []string `json:"suggested,omitempty"`
}

// Phrasing is one text and how often it was asked.
type Phrasing struct {
	Text  string `json:"text"`
	Count int    `json:"count"`
}

// Sidecar returns the suggested lines in the sidecar format ("[question N]" and one phrasing
// a line), or "" when there is nothing to add.
func (c Cluster) Sidecar() string {
	if c.Question <= 0 || len(c.Suggested) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "[question %d]\n", c.Question)
	for _, s := range c.Suggested {
		b.WriteString(s)
		b.WriteByte('\n')
	}
	return b.String()
}

// group is the records of one stem set.
type group struct {
	stems     []string // sorted, distinct
	count     int
	phrasings map[string]*Phrasing // by lower-cased text
	reasons   map[string]int
	votes     map[int]int     // question ranked first -> records
	conf      map[int]float64 // question ranked first -> sum of confidences
}

// Review groups records into clusters and sorts them into alternate phrasings of the
// questions of m's transcript and gaps in it. It never panics on any input.
func Review(records []Record, m *matcher.Matcher) Report {
	a := m.Analyzer()
	rep := Report{Records: len(records), Alternates: []Cluster{}, Gaps: []Cluster{}}
	matches := map[string]matcher.Match{}
	groups := map[string]*group{}
	for _, r := range records {
		q := clean(r.Query)
		stems := distinct(a.Stems(q))
		if len(stems) == 0 {
			rep.Unanalysable++
			continue
		}
		lower := strings.ToLower(q)
		mt, ok := matches[lower]
		if !ok {
			mt = m.Match(q, 1)
			matches[lower] = mt
		}
		if r.Reason == ReasonAbstained && mt.Number > 0 && !mt.Ambiguous {
			rep.Answered++
			continue
		}
		key := strings.Join(stems, "\x00")
		g := groups[key]
		if g == nil {
			g = &group{stems: stems, phrasings: map[string]*Phrasing{}, reasons: map[string]int{},
				votes: map[int]int{}, conf: map[int]float64{}}
			groups[key] = g
		}
		g.count++
		if p := g.phrasings[lower]; p != nil {
			p.Count++
		} else {
			g.phrasings[lower] = &Phrasing{Text: q, Count: 1}
		}
		g.reasons[r.Reason]++
		if n, c := nearest(mt); n > 0 {
			g.votes[n]++
			g.conf[n] += c
		}
	}

	entryStems := map[int]map[string]bool{}
	byQuestion := map[int][]*group{} // the members of the alternate clusters of each question
	var questions []int
	for _, members := range cluster(groups) {
		c := summarise(members, m, a, entryStems)
		if c.Question == 0 {
			rep.Gaps = append(rep.Gaps, c)
			continue
		}
		if byQuestion[c.Question] == nil {
			questions = append(questions, c.Question)
		}
		byQuestion[c.Question] = append(byQuestion[c.Question], members...)
	}
	// Clusters that are alternates of one question (phrasings whose stems differ, such as
	// "register" and "registration") are reported as one, with one set of sidecar lines.
	for _, q := range questions {
		c := summarise(byQuestion[q], m, a, entryStems)
		if c.Question != q { // together they may fall short of the tests each passed
			c.Question, c.Nearest, c.Suggested = q, q, suggest(c.Phrasings, m.Transcript(), q)
		}
		rep.Alternates = append(rep.Alternates, c)
	}
	order := func(x, y Cluster) int {
		if c := cmp.Compare(y.Count, x.Count); c != 0 {
			return c
		}
		return cmp.Compare(x.Phrasings[0].Text, y.Phrasings[0].Text)
	}
	slices.SortFunc(rep.Alternates, order)
	slices.SortFunc(rep.Gaps, order)
	return rep
}

// nearest returns the question the matcher ranks first for a match, answered or not, with its
// confidence.
func nearest(mt matcher.Match) (int, float64) {
	if mt.Number > 0 {
		return mt.Number, mt.Confidence
	}
	if len(mt.Alternatives) > 0 {
		return mt.Alternatives[0].Number, mt.Alternatives[0].Confidence
	}
	return 0, 0
}

// cluster joins the groups greedily, most frequent first: a group joins the cluster holding
// the group most similar to it (Jaccard similarity of stem sets at least Similarity), or
// starts a cluster of its own. Only clusters sharing a stem are compared.
func cluster(groups map[string]*group) [][]*group {
	gs := make([]*group, 0, len(groups))
	for _, g := range groups {
		gs = append(gs, g)
	}
	slices.SortFunc(gs, func(x, y *group) int {
		if c := cmp.Compare(y.count, x.count); c != 0 {
			return c
		}
		return slices.Compare(x.stems, y.stems)
	})
	var clusters [][]*group
	byStem := map[string][]int{} // stem -> clusters with a member having it
	for _, g := range gs {
		best, bestSim := -1, 0.0
		seen := map[int]bool{}
		for _, s := range g.stems {
			for _, ci := range byStem[s] {
				if seen[ci] {
					continue
				}
				seen[ci] = true
				for _, other := range clusters[ci] {
					if sim := jaccard(g.stems, other.stems); sim > bestSim || (sim == bestSim && ci < best) {
						best, bestSim = ci, sim
					}
				}
			}
		}
		if best < 0 || bestSim < Similarity {
			best = len(clusters)
			clusters = append(clusters, nil)
		}
		clusters[best] = append(clusters[best], g)
		for _, s := range g.stems {
			if !slices.Contains(byStem[s], best) {
				byStem[s] = append(byStem[s], best)
			}
		}
	}
	return clusters
}

// jaccard returns |a∩b| / |a∪b| for sorted, distinct a and b.
func jaccard(a, b []string) float64 {
	i, j, both := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch c := strings.Compare(a[i], b[j]); {
		case c == 0:
			both++
			i++
			j++
		case c < 0:
			i++
		default:
			j++
		}
	}
	union := len(a) + len(b) - both
	if union == 0 {
		return 0
	}
	return float64(both) / float64(union)
}

// summarise makes the Cluster of members and decides whether it is an alternate phrasing.
func summarise(members []*group, m *matcher.Matcher, a *matcher.Analyzer, entryStems map[int]map[string]bool) Cluster {
	c := Cluster{Reasons: map[string]int{}}
	votes := map[int]int{}
	conf := map[int]float64{}
	stemCount := map[string]int{}
	var phrasings []Phrasing
	for _, g := range members {
		c.Count += g.count
		for _, p := range g.phrasings {
			phrasings = append(phrasings, *p)
		}
		for r, n := range g.reasons {
			c.Reasons[r] += n
		}
		for q, n := range g.votes {
			votes[q] += n
			conf[q] += g.conf[q]
		}
		for _, s := range g.stems {
			stemCount[s] += g.count
		}
	}
	slices.SortFunc(phrasings, func(x, y Phrasing) int {
		if d := cmp.Compare(y.Count, x.Count); d != 0 {
			return d
		}
		return cmp.Compare(x.Text, y.Text)
	})
	c.Phrasings = phrasings

	stems := make([]string, 0, len(stemCount))
	for s := range stemCount {
		stems = append(stems, s)
	}
	slices.SortFunc(stems, func(x, y string) int {
		if d := cmp.Compare(stemCount[y], stemCount[x]); d != 0 {
			return d
		}
		return cmp.Compare(x, y)
	})
	for _, s := range stems {
		if 2*stemCount[s] >= c.Count {
			c.Stems = append(c.Stems, s)
		}
	}
	if len(c.Stems) == 0 {
		c.Stems = stems[:min(3, len(stems))]
	}
	c.Words = words(c.Stems, c.Phrasings, a)

	for q, n := range votes {
		if n > votes[c.Nearest] || (n == votes[c.Nearest] && q < c.Nearest) || c.Nearest == 0 {
			c.Nearest = q
		}
	}
	if c.Nearest == 0 {
		return c
	}
	c.Confidence = conf[c.Nearest] / float64(votes[c.Nearest])
	es := entryStems[c.Nearest]
	if es == nil {
		es = map[string]bool{}
		if e, ok := m.Transcript().Entry(c.Nearest); ok {
			text := e.Question + "\n" + strings.Join(e.Alternates, "\n") + "\n" + e.Answer()
			for _, s := range a.Stems(text) {
				es[s] = true
			}
		}
		entryStems[c.Nearest] = es
	}
	found, total := 0, 0
	for s, n := range stemCount {
		total += n
		if es[s] {
			found += n
		}
	}
	if total > 0 {
		c.Overlap = float64(found) / float64(total)
	}
	// Each test alone misfires: in a transcript about ferries "can I bring my bike on the
	// ferry" ranks to the timetable with moderate confidence, and a question sharing most of
	// its words with an answer may still be ranked elsewhere.
	majority := float64(votes[c.Nearest]) >= MajorityShare*float64(c.Count)
	moderate := c.Confidence >= ModerateConfidence*m.Threshold()
	if majority && moderate && c.Overlap >= StemOverlap {
		c.Question = c.Nearest
		c.Suggested = suggest(c.Phrasings, m.Transcript(), c.Question)
	}
	return c
}

// words returns, for each stem, the word most often typed for it in phrasings (the stem itself
// when none is found).
func words(stems []string, phrasings []Phrasing, a *matcher.Analyzer) []string {
	want := map[string]map[string]int{}
	for _, s := range stems {
		want[s] = map[string]int{}
	}
	for _, p := range phrasings {
		for _, w := range strings.FieldsFunc(strings.ToLower(p.Text), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
		}) {
			if st := a.Stems(w); len(st) == 1 && want[st[0]] != nil {
				want[st[0]][w] += p.Count
			}
		}
	}
	out := make([]string, len(stems))
	for i, s := range stems {
		out[i] = s
		best := 0
		for w, n := range want[s] {
			if n > best || (n == best && (len(w) < len(out[i]) || (len(w) == len(out[i]) && w < out[i]))) {
				out[i], best = w, n
			}
		}
	}
	return out
}

// suggest returns the phrasings that are not yet the question or one of its alternates, made
// safe as sidecar lines, at most MaxSuggestions.
func suggest(phrasings []Phrasing, t *transcript.Transcript, n int) []string {
	e, ok := t.Entry(n)
	if !ok {
		return nil
	}
	have := map[string]bool{strings.ToLower(transcript.Normalize(e.Question)): true}
	for _, alt := range e.Alternates {
		have[strings.ToLower(transcript.Normalize(alt))] = true
	}
	var out []string
	for _, p := range phrasings {
		line := sidecarLine(p.Text)
		key := strings.ToLower(line)
		if line == "" || have[key] {
			continue
		}
		have[key] = true
		out = append(out, line)
		if len(out) == MaxSuggestions {
			break
		}
	}
	return out
}

// sidecarLine makes text one line the sidecar parser reads as an alternate phrasing: no line
// break, not starting with '[' (a section) or ';' or '#' (a comment).
func sidecarLine(text string) string {
	return strings.TrimSpace(strings.TrimLeft(transcript.Normalize(text), "[;# \t"))
}

// distinct returns the distinct strings of s, sorted.
func distinct(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}

// Write prints the report for a person: the alternate phrasings with their suggested sidecar
// lines, then the gaps, at most max clusters of each (all when max <= 0) and a few phrasings
// of each cluster.
func (r Report) Write(w io.Writer, max int) error {
	ew := &errWriter{w: w}
	total := 0
	for _, c := range r.Alternates {
		total += c.Count
	}
	for _, c := range r.Gaps {
		total += c.Count
	}
	ew.printf("Reviewed %d unanswered %s: %d in %d %s.\n", r.Records, plural(r.Records, "question", "questions"),
		total, len(r.Alternates)+len(r.Gaps), plural(len(r.Alternates)+len(r.Gaps), "cluster", "clusters"))
	if r.Answered > 0 {
		ew.printf("%d the current transcript now answers (left out).\n", r.Answered)
	}
	if r.Unanalysable > 0 {
		ew.printf("%d with no content words (left out).\n", r.Unanalysable)
	}

	sections := []struct {
		title    string
		clusters []Cluster
	}{
		{"Alternate phrasings of existing questions (add the sidecar lines to teach the matcher)", r.Alternates},
		{"Gaps in the transcript", r.Gaps},
	}
	for _, sec := range sections {
		ew.printf("\n%s: %s\n", sec.title, countClusters(sec.clusters))
		shown := sec.clusters
		if max > 0 && len(shown) > max {
			shown = shown[:max]
		}
		for i, c := range shown {
			ew.printf("\n%d. %s", i+1, c.headline())
			for j, p := range c.Phrasings {
				if j == 3 {
					ew.printf("   … and %d more %s\n", len(c.Phrasings)-3, plural(len(c.Phrasings)-3, "phrasing", "phrasings"))
					break
				}
				ew.printf("   %q", p.Text)
				if p.Count > 1 {
					ew.printf(" ×%d", p.Count)
				}
				ew.printf("\n")
			}
			if sc := c.Sidecar(); sc != "" {
				ew.printf("   Suggested sidecar lines:\n")
				for _, line := range strings.Split(strings.TrimRight(sc, "\n"), "\n") {
					ew.printf("     %s\n", line)
				}
			}
		}
		if len(shown) < len(sec.clusters) {
			ew.printf("\n(%d more not shown)\n", len(sec.clusters)-len(shown))
		}
	}
	return ew.err
}

// headline describes a cluster in one line.
func (c Cluster) headline() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s", c.Count, plural(c.Count, "question", "questions"))
	if c.Question > 0 {
		fmt.Fprintf(&b, " like question %d (confidence %.2f, %.0f%% of their words in it)", c.Question, c.Confidence, 100*c.Overlap)
	} else {
		fmt.Fprintf(&b, " about %s", strings.Join(c.Words, ", "))
		if c.Nearest > 0 {
			fmt.Fprintf(&b, " (nearest: question %d, confidence %.2f)", c.Nearest, c.Confidence)
		}
	}
	var reasons []string
	for _, r := range []string{ReasonAbstained, ReasonNoneOfThese} {
		if n := c.Reasons[r]; n > 0 {
			reasons = append(reasons, fmt.Sprintf("%d %s", n, r))
		}
	}
	if len(reasons) > 0 {
		fmt.Fprintf(&b, "; %s", strings.Join(reasons, ", "))
	}
	b.WriteByte('\n')
	return b.String()
}

func countClusters(cs []Cluster) string {
	if len(cs) == 0 {
		return "none"
	}
	n := 0
	for _, c := range cs {
		n += c.Count
	}
	return fmt.Sprintf("%d %s, %d %s", len(cs), plural(len(cs), "cluster", "clusters"), n, plural(n, "question", "questions"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// errWriter keeps the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, a ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, a...)
	}
}
