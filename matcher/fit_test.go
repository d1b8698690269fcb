package matcher

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Fitting the decision model (decision.go).
//
//	go test ./matcher -run TestRefitDecision -refit -v
//
// fits the two decision models (a logistic model and boosted trees each): the general one on
// the pooled labelled sets of fitSets, the embedded transcript's own on those of them about it
// (the sets at the top of testdata), chooses each one's threshold for targetPrecision on its
// 5-fold cross-validated probabilities, and rewrites decision_coef.go. With -v (or -refit) it
// also reports leave-one-set-out figures per set (fitted on the other sets only; another
// briefing's sets with the whole briefing left out) and the never-fitted sets' figures.
// Without -refit the test checks that decision_coef.go is what fitting gives, so the
// committed coefficients can always be reproduced.

var refit = flag.Bool("refit", false, "rewrite decision_coef.go from the labelled sets")

// fitSets are the labelled sets the model is fitted on. neverFitted are left out of all
// fitting and tuning on purpose (decided before their results were seen): they measure what
// the fit transfers.
var fitSets = []string{"eval.tsv", "holdout.tsv", "holdout2.tsv", "dev.tsv", "blind-mixed.tsv",
	"blind-chat.tsv", "blind-journalists.tsv", "blind-groupchat.tsv", "blind-public.tsv",
	"holdout5.tsv", "holdout6.tsv", "blind-diaspora.tsv", "blind-revision.tsv", "blind-gaming.tsv",
	"blind-family.tsv", "blind-esl.tsv", "blind-thinktank.tsv", "blind-voice.tsv", "blind-skeptics.tsv",
	"blind-parents.tsv", "blind-geopolitics.tsv", "blind-newsdesk.tsv", "blind-latam.tsv",
	"blind-seniors.tsv", "blind-debate.tsv", "blind-nurses.tsv", "blind-teens.tsv",
	"blind-lawyers.tsv", "blind-drivers.tsv", "blind-researchers.tsv", "blind-retirees.tsv",
	"blind-activists.tsv", "blind-mixedlang.tsv", "blind-radio.tsv", "blind-corporate.tsv",
	"blind-quiz.tsv", "blind-urdu.tsv", "blind-protocol.tsv", "blind-finance.tsv",
	"blind-runners.tsv", "blind-learners.tsv", "blind-russian.tsv", "blind-chinese.tsv",
	"blind-tvdesk.tsv", "blind-tourism.tsv", "blind-autocorrect.tsv", "blind-publichealth.tsv",
	"blind-trade.tsv", "blind-stress.tsv", "blind-englishclub.tsv", "blind-diplomats.tsv",
	"blind-sportsdesk.tsv", "blind-gulf.tsv", "blind-rumours.tsv", "blind-speaker.tsv",
	"blind-migrants.tsv", "blind-professors.tsv", "blind-kazakh.tsv", "blind-wire.tsv",
	"blind-readers.tsv", "blind-modelun.tsv", "blind-pakistan.tsv", "blind-interpreters.tsv",
	"blind-iranian.tsv", "blind-contrarians.tsv", "blind-podcasters.tsv", "blind-mongolian.tsv",
	"blind-factcheckers.tsv", "blind-geochannel.tsv", "blind-turkish.tsv", "blind-librarians.tsv",
	"blind-truckers.tsv", "blind-students.tsv", "blind-skimmers.tsv", "blind-wechat.tsv",
	"blind-veterans.tsv", "blind-eli5.tsv", "blind-travellers.tsv", "blind-hospitality.tsv",
	"blind-accessibility.tsv", "blind-arabic.tsv", "blind-compliance.tsv",
	// Half of the never-fitted sets joined in the thirty-seventh round, one of each pair
	// written together, alternately the first and the second of the pairs in the order
	// neverFitted listed them, oldest first (decided before any result with them in the fit
	// was seen): the decision and the learned phrasings had been fitted on eighty-two sets
	// written mostly in English, while most of the never-fitted sets written since the
	// twenty-sixth round are in other languages or mix them, and their false "not covered"
	// (3.0% pooled, 12-17% on the Dutch, Russian, Swahili and French sets) was the target
	// nearest to failing. The other half stay never fitted (neverFitted).
	"holdout3.tsv", "holdout8.tsv", "holdout9.tsv", "holdout12.tsv", "holdout13.tsv",
	"holdout16.tsv", "holdout17.tsv", "holdout20.tsv", "holdout21.tsv", "holdout24.tsv",
	"holdout25.tsv", "holdout28.tsv", "holdout29.tsv", "holdout32.tsv", "holdout33.tsv",
	"holdout36.tsv", "holdout37.tsv", "holdout40.tsv", "holdout41.tsv", "holdout44.tsv",
	"holdout45.tsv", "holdout48.tsv", "holdout49.tsv", "holdout52.tsv", "holdout53.tsv",
	"holdout56.tsv", "holdout57.tsv", "holdout60.tsv", "holdout61.tsv", "holdout64.tsv",
	"holdout65.tsv", "holdout68.tsv", "holdout69.tsv", "holdout72.tsv", "holdout73.tsv",
	"holdout76.tsv",
	// Other briefings' sets (each folder's briefing.txt), fitted since the sixth round: the
	// decision is made for every transcript an operator loads, and fitted on the embedded
	// briefing's queries alone it answered most of their out-of-scope questions. Each
	// briefing left out was predicted better from the other (log-loss 0.4516 -> 0.4301 and
	// 0.4728 -> 0.4513); the embedded briefing's sets paid 0.2548 -> 0.2564, its never-fitted
	// sets 0.2318 -> 0.2308. Housing (sealed until the sixth round's end) and the university
	// briefing joined in the seventh: with them transport's sets went 0.4199 -> 0.4056 and
	// 0.4208 -> 0.3956, health's 0.4455 -> 0.4319 and 0.4842 -> 0.4744 (each briefing left
	// out whole), the university's 0.4132 -> 0.4069 with housing alone; the embedded
	// briefing's sets paid 0.2386 -> 0.2415. The schools and refuse briefings joined in the
	// eighth: the four above, each left out whole, 0.4074 -> 0.4058 on average, the
	// never-fitted water and festival briefings 0.4756 -> 0.4635; the embedded briefing's
	// sets paid 0.2352 -> 0.2362, its never-fitted sets 0.2171 -> 0.2200.
	"transport/commuters.tsv", "transport/press.tsv", "health/locals.tsv", "health/press.tsv",
	"housing/residents.tsv", "housing/press.tsv", "university/students.tsv", "university/press.tsv",
	"schools/parents.tsv", "schools/press.tsv", "refuse/residents.tsv", "refuse/press.tsv",
	// Nine of the never-fitted briefings joined in the twenty-fifth round, every other one in
	// the order they were written, oldest first (decided before any result with them in the
	// fit was seen): the general model had been fitted on six briefings, and on the briefings
	// never fitted it answered about 85% right where its cross-validation promised 92%. The
	// other nine, never fitted, each left out: log-loss 0.4886 -> 0.4492, AUC 0.826 -> 0.839.
	"water/residents.tsv", "water/press.tsv", "centralbank/households.tsv",
	"centralbank/markets.tsv", "airline/passengers.tsv", "airline/analysts.tsv",
	"hurricane/residents.tsv", "hurricane/producers.tsv", "recall/shoppers.tsv",
	"recall/tradepress.tsv", "blackout/public.tsv", "blackout/industry.tsv", "breach/public.tsv",
	"breach/security.tsv", "museum/public.tsv", "museum/experts.tsv", "rail/public.tsv",
	"rail/industry.tsv",
	// Ten more joined in the thirty-sixth round, every other one of the twenty never fitted
	// in the order they were written, oldest first (decided before any result with them in
	// the fit was seen): on the briefings never fitted the general model answered about 85%
	// right where its cross-validation promised 92%, and trailed Bleve's top hit by nine
	// points, answering too few. The other ten stay never fitted (otherTranscripts).
	"festival/locals.tsv", "festival/press.tsv", "hospital/patients.tsv",
	"hospital/reporters.tsv", "launch/public.tsv", "launch/industry.tsv",
	"chemfire/public.tsv", "chemfire/experts.tsv", "ebike/owners.tsv", "ebike/trade.tsv",
	"birdflu/public.tsv", "birdflu/trade.tsv", "ferry/public.tsv", "ferry/trade.tsv",
	"mine/public.tsv", "mine/trade.tsv", "zoo/public.tsv", "zoo/trade.tsv",
	"cruise/public.tsv", "cruise/trade.tsv"}

// otherTranscripts are blind sets about other briefings than the embedded one (each folder's
// briefing.txt) that are never fitted, to measure how the decision transfers to a transcript
// an operator loads: football/ (sealed through the tenth round, measured once at its end),
// census/ (through the fourteenth), port/ (through the eighteenth), election/ (through the
// twenty-second), meds/ (through the twenty-fifth), bridge/ (through the twenty-seventh),
// quake/ (through the twenty-ninth), heat/ (through the thirty-first), avalanche/ (through
// the thirty-third), wildfire/ (through the thirty-fifth), volcano/ (through the
// thirty-sixth), oilspill/ (through the thirty-seventh), exams/ (through the
// thirty-eighth) and telecom/ (through the thirty-ninth). Nine briefings sealed through other rounds (water/ to rail/) are fitted
// since the twenty-fifth round, and ten more (festival/, hospital/, launch/, chemfire/,
// ebike/, birdflu/, ferry/, mine/, zoo/, cruise/) since the thirty-sixth (fitSets). The
// briefings fitted on are left out whole in the leave-one-set-out figures too (heldOutWith);
// the next unseen one is in testdata/sealed/ (see its README).
var otherTranscripts = []string{"football/supporters.tsv", "football/desk.tsv",
	"census/community.tsv", "census/datadesk.tsv", "port/public.tsv", "port/trade.tsv",
	"election/voters.tsv", "election/observers.tsv", "meds/public.tsv", "meds/trade.tsv",
	"bridge/public.tsv", "bridge/trade.tsv", "quake/public.tsv", "quake/trade.tsv",
	"heat/public.tsv", "heat/trade.tsv", "avalanche/public.tsv", "avalanche/trade.tsv",
	"wildfire/public.tsv", "wildfire/trade.tsv", "volcano/public.tsv", "volcano/trade.tsv",
	"oilspill/public.tsv", "oilspill/trade.tsv", "exams/public.tsv", "exams/trade.tsv",
	"telecom/public.tsv", "telecom/trade.tsv"}

// neverFitted are the held-out sets: reported, never fitted. Each was unseen when first
// measured (the README's Answer quality says when); later rounds read them while choosing
// changes, so the next round's unseen sets are in testdata/sealed, which nothing here reads.
var neverFitted = []string{
	"holdout4.tsv", "holdout7.tsv", "holdout10.tsv", "holdout11.tsv", "holdout14.tsv",
	"holdout15.tsv", "holdout18.tsv", "holdout19.tsv", "holdout22.tsv", "holdout23.tsv",
	"holdout26.tsv", "holdout27.tsv", "holdout30.tsv", "holdout31.tsv", "holdout34.tsv",
	"holdout35.tsv", "holdout38.tsv", "holdout39.tsv", "holdout42.tsv", "holdout43.tsv",
	"holdout46.tsv", "holdout47.tsv", "holdout50.tsv", "holdout51.tsv", "holdout54.tsv",
	"holdout55.tsv", "holdout58.tsv", "holdout59.tsv", "holdout62.tsv", "holdout63.tsv",
	"holdout66.tsv", "holdout67.tsv", "holdout70.tsv", "holdout71.tsv", "holdout74.tsv",
	"holdout75.tsv", "holdout77.tsv", "holdout78.tsv", "holdout79.tsv", "holdout80.tsv",
	"holdout81.tsv", "holdout82.tsv"}

// targetPrecision is the share of answers that must be right, on cross-validated
// probabilities, at the general model's threshold: operators' transcripts, ranked by their
// words alone.
const targetPrecision = 0.92

// The targets for the embedded transcript, as shares: of answerable queries, the
// right question first at least targetTop1 of the time and answered at least targetDirect;
// at most targetWrong of all queries answered with a wrong question; at most targetFalseNC
// of answerable ones declined; at least targetDeclined of out-of-scope ones declined.
const (
	targetTop1     = 0.94
	targetDirect   = 0.90
	targetWrong    = 0.03
	targetFalseNC  = 0.03
	targetDeclined = 0.85
)

// slack is how far figures f are inside the targets: the least margin, in shares,
// over the targets (negative when one is missed). The model answers or declines, so its
// top-1 and direct-correct are both its answered-right share.
func (f figures) slack() float64 {
	right := float64(f.answeredRight) / float64(f.answerable)
	return min(right-targetTop1, right-targetDirect,
		targetWrong-float64(f.answeredWrong)/float64(f.answerable+f.oos),
		targetFalseNC-float64(f.declinedAnswerable)/float64(f.answerable),
		float64(f.declinedOOS)/float64(f.oos)-targetDeclined)
}

// chooseEmbeddedThreshold returns the threshold, on a grid of 0.005, at which the
// cross-validated figures of the embedded transcript's model on its sets are furthest inside
// every one of the targets (the largest least margin; the lowest such threshold on a
// tie): the threshold that leaves the most room on each side, false "not covered" and
// declining as much as wrong answers, for sets the fit never saw. (Until the twenty-eighth
// round it was the lowest threshold at which 96.3% of answers were right, the precision the
// targets imply with top-1 94% and one query in six out of scope; with top-1 near 98% that
// answers more and left wrong answers at 3.1% of all on the fit sets themselves.)
func chooseEmbeddedThreshold(ss []sample, p []float64) float64 {
	best, bestSlack := 0.0, math.Inf(-1)
	for k := 1; k < 200; k++ {
		th := float64(k) / 200
		if s := measure(ss, p, th, func(sample) bool { return true }).slack(); s > bestSlack+1e-12 {
			best, bestSlack = th, s
		}
	}
	return best
}

// l2 is the ridge penalty on the standardised coefficients.
const l2 = 1.0

// sample is one labelled query with its decision features.
type sample struct {
	set, kind, query string
	x                features
	answerable       bool
	rankedRight      bool // the best-ranked entry is an expected one
}

// dropped names features to leave out (FIT_DROP=words,anchor), to measure what each adds.
var dropped = strings.Split(os.Getenv("FIT_DROP"), ",")

// fitCase is a labelled query read from a set.
type fitCase struct {
	expected    []int
	kind, query string
}

// readFitSet reads the labelled-set format of testdata (expected, kind, query; tab-separated).
func readFitSet(t testing.TB, path string) []fitCase {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []fitCase
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		l := sc.Text()
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.SplitN(l, "\t", 3)
		if len(f) != 3 {
			t.Fatalf("%s:%d: want 3 tab-separated fields", path, line)
		}
		c := fitCase{kind: f[1], query: f[2]}
		for _, n := range strings.Split(f[0], ",") {
			v, err := strconv.Atoi(strings.TrimSpace(n))
			if err != nil {
				t.Fatalf("%s:%d: expected %q", path, line, f[0])
			}
			if v > 0 {
				c.expected = append(c.expected, v)
			}
		}
		out = append(out, c)
	}
	return out
}

// learnedSetCounts are the learned model's feature counts (learned.go) of the queries (not
// number requests) of the fit sets about the embedded transcript, by the first question each
// expects or as out of scope: how people asked for each, and what they asked that it lacks.
type learnedSetCounts struct {
	hash    string
	n       int
	queries []learnedQuery
	total   []map[string]int
	memo    map[string]*learnedModel
}

type learnedQuery struct {
	set, text string // text: lower-cased, spaces collapsed
	entry     int
	feats     []string
}

// learnedCounts counts the features of the sets about m's transcript.
func learnedCounts(t testing.TB, m *Matcher, sets []string) *learnedSetCounts {
	n := len(m.t.Entries)
	// Class n is the out-of-scope queries'.
	lc := &learnedSetCounts{hash: m.t.Hash, n: n + 1, total: make([]map[string]int, n+1), memo: map[string]*learnedModel{}}
	for k := range lc.total {
		lc.total[k] = map[string]int{}
	}
	for _, set := range sets {
		if filepath.Dir(set) != "." {
			continue
		}
		for _, fc := range readFitSet(t, filepath.Join("testdata", set)) {
			if fc.kind == "N" {
				continue
			}
			entry := n
			if len(fc.expected) > 0 {
				entry = fc.expected[0] - 1
			}
			s := m.pool.Get().(*scratch)
			m.analyse(s, prepare(fc.query))
			q := learnedQuery{set: set, text: strings.Join(strings.Fields(strings.ToLower(fc.query)), " "),
				entry: entry, feats: queryFeatures(s, nil)}
			m.pool.Put(s)
			for _, f := range q.feats {
				lc.total[q.entry][f]++
			}
			lc.queries = append(lc.queries, q)
		}
	}
	return lc
}

// all is the model learned from every set.
func (lc *learnedSetCounts) all() *learnedModel { return lc.without("") }

// without is the model learned from every set but set, and without the other sets' queries
// that set also asks, word for word (keyword queries recur from set to set: "border disputes
// sco"), so that a set left out is as unseen as a new one.
func (lc *learnedSetCounts) without(set string) *learnedModel {
	if l, ok := lc.memo[set]; ok {
		return l
	}
	c := make([]map[string]int, lc.n)
	for k := range c {
		c[k] = maps.Clone(lc.total[k])
	}
	if set != "" {
		asked := map[string]bool{}
		for _, q := range lc.queries {
			if q.set == set {
				asked[q.text] = true
			}
		}
		for _, q := range lc.queries {
			if q.set != set && !asked[q.text] {
				continue
			}
			for _, f := range q.feats {
				if c[q.entry][f]--; c[q.entry][f] == 0 {
					delete(c[q.entry], f)
				}
			}
		}
	}
	l := newLearned(lc.hash, c)
	lc.memo[set] = l
	return l
}

// samples computes the decision features of every query of the sets. Number requests in
// free text (kind N) are the bot's, not the matcher's, and are left out. A set in a folder of
// testdata asks about that folder's briefing.txt, not about m's transcript.
//
// learn gives the learned model to rank a set of the embedded transcript with (learned.go),
// or nil for none; the other briefings' sets have none.
func samples(t testing.TB, m *Matcher, sets []string, learn func(set string) *learnedModel) []sample {
	var out []sample
	keep, mainT := m.learned, m.t
	defer func() { m.learned = keep }()
	own := map[string]*Matcher{}
	for _, set := range sets {
		m := m
		if dir := filepath.Dir(set); dir != "." {
			if own[dir] == nil {
				own[dir] = loadMatcher(t, filepath.Join(dir, "briefing.txt"), Options{})
			}
			m = own[dir]
		}
		if m.t == mainT {
			m.learned = nil
			if learn != nil {
				m.learned = learn(set)
			}
		}
		for _, c := range readFitSet(t, filepath.Join("testdata", set)) {
			if c.kind == "N" {
				continue
			}
			x, top := m.explain(c.query)
			for i, name := range featureNames {
				if slices.Contains(dropped, name) {
					x[i] = 0
				}
			}
			out = append(out, sample{set: set, kind: c.kind, query: c.query, x: x,
				answerable: len(c.expected) > 0, rankedRight: top > 0 && slices.Contains(c.expected, top)})
		}
	}
	return out
}

// explain returns the decision features of query and its best-ranked entry (0: none).
func (m *Matcher) explain(query string) (features, int) {
	query = prepare(query)
	s := m.pool.Get().(*scratch)
	defer m.pool.Put(s)
	m.analyse(s, query)
	top := m.score(s, 4)
	if len(top) == 0 {
		return features{}, 0
	}
	return m.decisionFeatures(s, top), int(top[0].doc) + 1
}

// model is a fitted logistic model on raw (unstandardised) features.
type model struct {
	bias float64
	w    features
}

func (md model) p(x features) float64 {
	z := md.bias
	for i := range x {
		z += md.w[i] * x[i]
	}
	return sigmoid(z)
}

// fitLogistic fits a ridge-penalised logistic regression by Newton's method on standardised
// features, then folds the standardisation into the coefficients.
func fitLogistic(ss []sample) model {
	n := len(ss)
	var mean, sd features
	for _, s := range ss {
		for i := range s.x {
			mean[i] += s.x[i] / float64(n)
		}
	}
	for _, s := range ss {
		for i := range s.x {
			d := s.x[i] - mean[i]
			sd[i] += d * d / float64(n)
		}
	}
	for i := range sd {
		sd[i] = math.Sqrt(sd[i])
		if sd[i] < 1e-9 {
			sd[i] = 1
		}
	}
	const k = nFeatures + 1
	z := make([][k]float64, n)
	y := make([]float64, n)
	for j, s := range ss {
		z[j][0] = 1
		for i := range s.x {
			z[j][i+1] = (s.x[i] - mean[i]) / sd[i]
		}
		if s.rankedRight {
			y[j] = 1
		}
	}
	var beta [k]float64
	for iter := 0; iter < 50; iter++ {
		var g [k]float64
		var h [k][k]float64
		for j := range z {
			eta := 0.0
			for i := range beta {
				eta += beta[i] * z[j][i]
			}
			p := sigmoid(eta)
			wt := p * (1 - p)
			for a := range k {
				g[a] += (y[j] - p) * z[j][a]
				for b := range k {
					h[a][b] += wt * z[j][a] * z[j][b]
				}
			}
		}
		for a := 1; a < k; a++ { // no penalty on the intercept
			g[a] -= l2 * beta[a]
			h[a][a] += l2
		}
		step := solve(h, g)
		var moved float64
		for a := range beta {
			beta[a] += step[a]
			moved = max(moved, math.Abs(step[a]))
		}
		if moved < 1e-9 {
			break
		}
	}
	md := model{bias: beta[0]}
	for i := range md.w {
		md.w[i] = beta[i+1] / sd[i]
		md.bias -= md.w[i] * mean[i]
	}
	return md
}

// solve solves h x = g by Gaussian elimination with partial pivoting.
func solve(h [nFeatures + 1][nFeatures + 1]float64, g [nFeatures + 1]float64) [nFeatures + 1]float64 {
	const k = nFeatures + 1
	for c := range k {
		p := c
		for r := c + 1; r < k; r++ {
			if math.Abs(h[r][c]) > math.Abs(h[p][c]) {
				p = r
			}
		}
		h[c], h[p] = h[p], h[c]
		g[c], g[p] = g[p], g[c]
		if math.Abs(h[c][c]) < 1e-12 {
			continue
		}
		for r := c + 1; r < k; r++ {
			f := h[r][c] / h[c][c]
			for cc := c; cc < k; cc++ {
				h[r][cc] -= f * h[c][cc]
			}
			g[r] -= f * g[c]
		}
	}
	var x [k]float64
	for c := k - 1; c >= 0; c-- {
		v := g[c]
		for cc := c + 1; cc < k; cc++ {
			v -= h[c][cc] * x[cc]
		}
		if math.Abs(h[c][c]) > 1e-12 {
			x[c] = v / h[c][c]
		}
	}
	return x
}

// crossValidate returns out-of-fold probabilities: 5 folds over the pooled samples, in a
// fixed random order.
func crossValidate(ss []sample) []float64 {
	const folds = 5
	order := rand.New(rand.NewPCG(1, 2)).Perm(len(ss))
	fold := make([]int, len(ss))
	for rank, i := range order {
		fold[i] = rank % folds
	}
	out := make([]float64, len(ss))
	for f := range folds {
		var train []sample
		for i, s := range ss {
			if fold[i] != f {
				train = append(train, s)
			}
		}
		md := fitDecision(train)
		for i, s := range ss {
			if fold[i] == f {
				out[i] = md.p(s.x)
			}
		}
	}
	return out
}

// leaveOneSetOut returns each sample's probability from a model fitted on the other sets.
func leaveOneSetOut(ss []sample) []float64 {
	out := make([]float64, len(ss))
	groups := map[string]bool{}
	for _, s := range ss {
		groups[heldOutWith(s.set)] = true
	}
	for g := range groups {
		var train []sample
		for _, s := range ss {
			if heldOutWith(s.set) != g {
				train = append(train, s)
			}
		}
		md := fitDecision(train)
		for i, s := range ss {
			if heldOutWith(s.set) == g {
				out[i] = md.p(s.x)
			}
		}
	}
	return out
}

// heldOutWith names what leaves the fit together with set in leaveOneSetOut: the set alone
// for the embedded briefing's sets, the whole briefing (its folder) for another's, so that
// another briefing's figures say how the decision does on a transcript it never saw.
func heldOutWith(set string) string {
	if d := filepath.Dir(set); d != "." {
		return d
	}
	return set
}

// chooseThreshold returns the lowest threshold whose answers are right at least target of
// the time (answers: samples with p >= threshold).
func chooseThreshold(ss []sample, p []float64, target float64) float64 {
	idx := make([]int, len(ss))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case p[a] > p[b]:
			return -1
		case p[a] < p[b]:
			return 1
		}
		return 0
	})
	best := 0.99
	right := 0
	for k, i := range idx {
		if ss[i].rankedRight {
			right++
		}
		if float64(right)/float64(k+1) >= target && (k+1 == len(idx) || p[idx[k+1]] < p[i]) {
			best = p[i]
		}
	}
	return math.Round(best*1000) / 1000
}

// figures are the decision's outcomes over samples at threshold th.
type figures struct {
	answerable, oos                     int
	rank1, answeredRight, answeredWrong int
	declinedAnswerable, declinedOOS     int
}

func measure(ss []sample, p []float64, th float64, keep func(sample) bool) figures {
	var f figures
	for i, s := range ss {
		if !keep(s) {
			continue
		}
		answered := p[i] >= th
		if s.answerable {
			f.answerable++
			if s.rankedRight {
				f.rank1++
			}
			switch {
			case !answered:
				f.declinedAnswerable++
			case s.rankedRight:
				f.answeredRight++
			default:
				f.answeredWrong++
			}
		} else {
			f.oos++
			if answered {
				f.answeredWrong++
			} else {
				f.declinedOOS++
			}
		}
	}
	return f
}

func pctOf(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
}

func (f figures) String() string {
	return fmt.Sprintf("ranked first %s, answered right %s, false not-covered %s, wrong answers %s of all, out of scope declined %s",
		pctOf(f.rank1, f.answerable), pctOf(f.answeredRight, f.answerable), pctOf(f.declinedAnswerable, f.answerable),
		pctOf(f.answeredWrong, f.answerable+f.oos), pctOf(f.declinedOOS, f.oos))
}

func TestRefitDecision(t *testing.T) {
	if raceEnabled && !*refit {
		t.Skip("single-threaded and checked without -race: the refit check takes minutes under it")
	}
	m := defaultMatcher(t)
	// The re-ranking of transcripts without learned phrasings (rerank.go), fitted first: the
	// general model's samples are ranked with it.
	var briefings []string
	for _, set := range fitSets {
		if filepath.Dir(set) != "." {
			briefings = append(briefings, set)
		}
	}
	rw := fitRerank(rerankCases(t, briefings))
	keepRerank := rerankWeights
	rerankWeights = rw
	defer func() { rerankWeights = keepRerank }()
	// The general model decides for transcripts operators load, which have no learned model:
	// its samples are ranked by their words alone.
	ss := samples(t, m, fitSets, nil)
	all := func(sample) bool { return true }
	embedded := func(s sample) bool { return filepath.Dir(s.set) == "." }
	otherBriefing := func(s sample) bool { return !embedded(s) }
	// The general model, fitted on every set, decides for the transcripts operators load.
	cv := crossValidate(ss)
	th := chooseThreshold(ss, cv, targetPrecision)
	md := fitDecision(ss)
	// The embedded transcript's own model, fitted on its sets alone, each ranked with the
	// learned model of the other sets (learned.go).
	lc := learnedCounts(t, m, fitSets)
	var embeddedSets []string
	for _, set := range fitSets {
		if filepath.Dir(set) == "." {
			embeddedSets = append(embeddedSets, set)
		}
	}
	es := samples(t, m, embeddedSets, lc.without)
	ecv := crossValidate(es)
	eth := chooseEmbeddedThreshold(es, ecv)
	emd := fitDecision(es)
	t.Logf("general model, pooled, 5-fold cross-validated at threshold %.3f: %v", th, measure(ss, cv, th, all))
	t.Logf("general model, pooled, 5-fold cross-validated: log-loss %.4f, AUC %.4f", logLoss(ss, cv), auc(ss, cv))
	t.Logf("embedded transcript's model, its sets, 5-fold cross-validated at threshold %.3f: log-loss %.4f, AUC %.4f, %v; least margin to the targets %.1f points",
		eth, logLoss(es, ecv), auc(es, ecv), measure(es, ecv, eth, all), 100*measure(es, ecv, eth, all).slack())
	// Leave-one-set-out (a model per set or briefing left out) only for the report: it is what
	// takes this test its time.
	if testing.Verbose() || *refit {
		loso := leaveOneSetOut(ss)
		eloso := leaveOneSetOut(es)
		t.Logf("general model, pooled, leave-one-set-out: log-loss %.4f, AUC %.4f, %v", logLoss(ss, loso), auc(ss, loso),
			measure(ss, loso, th, all))
		gs, gp := subset(ss, loso, embedded)
		t.Logf("embedded briefing's sets, leave-one-set-out, general model: log-loss %.4f, AUC %.4f, %v", logLoss(gs, gp), auc(gs, gp),
			measure(ss, loso, th, embedded))
		t.Logf("embedded briefing's sets, leave-one-set-out: log-loss %.4f, AUC %.4f, %v", logLoss(es, eloso), auc(es, eloso),
			measure(es, eloso, eth, all))
		if obs, obp := subset(ss, loso, otherBriefing); len(obs) > 0 {
			t.Logf("other briefings' sets, each briefing left out: log-loss %.4f, AUC %.4f, %v", logLoss(obs, obp), auc(obs, obp),
				measure(ss, loso, th, otherBriefing))
		}
		for _, set := range fitSets {
			in := func(s sample) bool { return s.set == set }
			if filepath.Dir(set) == "." {
				sub, subP := subset(es, eloso, in)
				t.Logf("%-22s 5-fold: %v", set, measure(es, ecv, eth, in))
				t.Logf("%-22s other sets only: log-loss %.4f, %v", set, logLoss(sub, subP), measure(es, eloso, eth, in))
				continue
			}
			sub, subP := subset(ss, loso, in)
			t.Logf("%-22s 5-fold: %v", set, measure(ss, cv, th, in))
			t.Logf("%-22s other briefings only: log-loss %.4f, %v", set, logLoss(sub, subP), measure(ss, loso, th, in))
		}
	}
	for _, sw := range []float64{0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8} {
		t.Logf("sweep %.2f: embedded transcript's model on its sets %v; general model %v", sw, measure(es, ecv, sw, all), measure(ss, cv, sw, all))
	}
	if os.Getenv("FIT_MISSES") != "" {
		for i, s := range es {
			answered := ecv[i] >= eth
			if answered != s.rankedRight {
				t.Logf("%.2f right=%v %s %q %v", ecv[i], s.rankedRight, s.kind, s.query, s.x)
			}
		}
	}
	if testing.Verbose() || *refit {
		reportNeverFitted(t, m, emd, eth, md, th, lc.all())
	}
	src := coefSource(md, th, emd, eth, rw)
	table := lc.all().table()
	if *refit {
		if err := os.WriteFile("decision_coef.go", src, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("learned_default.txt", []byte(table), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if have, err := os.ReadFile("learned_default.txt"); err != nil || string(have) != table {
		t.Errorf("learned_default.txt is not what learning from the fit sets gives (%v); run go test ./matcher -run TestRefitDecision -refit", err)
	}
	have, err := os.ReadFile("decision_coef.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, src) {
		t.Errorf("decision_coef.go is not what fitting gives; run go test ./matcher -run TestRefitDecision -refit")
	}
}

// reportNeverFitted logs the never-fitted sets' figures, each and pooled, with the embedded
// transcript's model emd at threshold eth (they ask about the embedded transcript: its model
// decides for them) and pooled with the general model md at th, and the other transcripts'
// with the general model.
func reportNeverFitted(t *testing.T, m *Matcher, emd fittedModel, eth float64, md fittedModel, th float64, learned *learnedModel) {
	all := func(sample) bool { return true }
	held := samples(t, m, neverFitted, func(string) *learnedModel { return learned })
	plain := samples(t, m, neverFitted, nil)
	hp := make([]float64, len(held))
	gp := make([]float64, len(held))
	for i, s := range held {
		hp[i], gp[i] = emd.p(s.x), md.p(plain[i].x)
	}
	for _, set := range neverFitted {
		in := func(s sample) bool { return s.set == set }
		t.Logf("%-22s never fitted: %v", set, measure(held, hp, eth, in))
	}
	t.Logf("never fitted, pooled: log-loss %.4f, %v", logLoss(held, hp), measure(held, hp, eth, all))
	t.Logf("never fitted, pooled, with the general model, ranked by words alone: log-loss %.4f, %v", logLoss(plain, gp), measure(plain, gp, th, all))
	if other := samples(t, m, otherTranscripts, nil); len(other) > 0 {
		op := make([]float64, len(other))
		for i, s := range other {
			op[i] = md.p(s.x)
		}
		t.Logf("other transcripts, never fitted: log-loss %.4f, %v", logLoss(other, op), measure(other, op, th, all))
		var seen []string
		for _, s := range other {
			if dir := filepath.Dir(s.set); !slices.Contains(seen, dir) {
				seen = append(seen, dir)
				in := func(s sample) bool { return filepath.Dir(s.set) == dir }
				sub, subP := subset(other, op, in)
				t.Logf("%-22s never fitted: log-loss %.4f, %v", dir+"/", logLoss(sub, subP), measure(other, op, th, in))
			}
		}
	}
}

// subset returns the samples that keep selects, with their probabilities.
func subset(ss []sample, p []float64, keep func(sample) bool) ([]sample, []float64) {
	var sub []sample
	var subP []float64
	for i, s := range ss {
		if keep(s) {
			sub = append(sub, s)
			subP = append(subP, p[i])
		}
	}
	return sub, subP
}

// logLoss is the mean negative log-likelihood of the labels under p.
func logLoss(ss []sample, p []float64) float64 {
	var l float64
	for i, s := range ss {
		q := min(max(p[i], 1e-9), 1-1e-9)
		if s.rankedRight {
			l -= math.Log(q)
		} else {
			l -= math.Log(1 - q)
		}
	}
	return l / float64(len(ss))
}

// auc is the probability that a right sample gets a higher p than a wrong one.
func auc(ss []sample, p []float64) float64 {
	var pairs, wins float64
	for i, a := range ss {
		if !a.rankedRight {
			continue
		}
		for j, b := range ss {
			if b.rankedRight {
				continue
			}
			pairs++
			switch {
			case p[i] > p[j]:
				wins++
			case p[i] == p[j]:
				wins += 0.5
			}
		}
	}
	return wins / pairs
}

// coefSource renders decision_coef.go.
func coefSource(general fittedModel, generalTh float64, embedded fittedModel, embeddedTh float64, rerank [nRerank]float64) []byte {
	var b strings.Builder
	b.WriteString("// Code generated by go test ./matcher -run TestRefitDecision -refit; DO NOT EDIT.\n\npackage matcher\n\nimport \"math\"\n\n")
	fmt.Fprintf(&b, "// generalThreshold and embeddedThreshold are the probabilities at which Match answers with\n// each model: for the general one, the lowest at which %.0f%% of the cross-validated answers on its\n// labelled sets are right; for the embedded one, the one at which its cross-validated figures\n// are furthest inside every one of the issue's targets (chooseEmbeddedThreshold).\nconst (\n\tgeneralThreshold  = %.3f\n\tembeddedThreshold = %.3f\n)\n\nconst noSplit = math.MaxFloat64\n\n", 100*targetPrecision, generalTh, embeddedTh)
	model := func(name, doc string, md fittedModel, th string) {
		fmt.Fprintf(&b, "// %s\nvar %s = decisionModel{\n\tbias: %.6g,\n\tweights: [nFeatures]float64{\n", doc, name, md.lin.bias)
		for i, w := range md.lin.w {
			fmt.Fprintf(&b, "\t\t%.6g, // %s\n", w, featureNames[i])
		}
		fmt.Fprintf(&b, "\t},\n\tthreshold: %s,\n\tlogOdds: %v,\n\ttreeBase: %s,\n\ttrees: []boostTree{\n", th, md.logOdds, exact(md.boost.base))
		for _, t := range md.boost.trees {
			thr := make([]string, 3)
			for i, v := range t.thr {
				if thr[i] = exact(v); v == math.MaxFloat64 {
					thr[i] = "noSplit"
				}
			}
			val := make([]string, 4)
			for i, v := range t.value {
				val[i] = exact(v)
			}
			fmt.Fprintf(&b, "\t\t{[3]uint8{%d, %d, %d}, [3]float64{%s}, [4]float64{%s}},\n", t.feat[0], t.feat[1], t.feat[2],
				strings.Join(thr, ", "), strings.Join(val, ", "))
		}
		b.WriteString("\t},\n}\n\n")
	}
	model("generalDecision", "generalDecision is fitted on every labelled set of fitSets: the decision for a transcript\n// an operator loads (decision.go: decisionFor). Its logistic model's bias and weights, its\n// boosted trees (boost.go): the base log-odds, then each tree's features, thresholds (noSplit\n// where a node is not split) and leaf values.",
		general, "generalThreshold")
	model("embeddedDecision", "embeddedDecision is fitted on the sets of fitSets about the embedded transcript alone: the\n// decision for it.", embedded, "embeddedThreshold")
	b.WriteString("// rerankWeights weigh the re-ranking features (rerank.go) of a transcript without learned\n// phrasings: fitted on the other briefings' sets of fitSets (fitRerank).\nvar rerankWeights = [nRerank]float64{\n")
	for i, w := range rerank {
		fmt.Fprintf(&b, "\t%s, // %s\n", exact(w), rerankFeatureNames[i])
	}
	b.WriteString("}\n")
	src, err := format.Source([]byte(b.String()))
	if err != nil {
		panic(err)
	}
	return src
}

// exact formats v so that it reads back as the same float64.
func exact(v float64) string {
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}

// rerankCase is one labelled query's best candidates by confidence (rank, before rerank), each
// one's logarithm of confidence and re-ranking features, and the first right one's index.
type rerankCase struct {
	logConf []float64
	f       [][nRerank]float64
	right   int
}

// rerankCases are the answerable queries of sets (other briefings' sets) whose best
// rerankDepthFinal candidates hold a right one; number requests are left out, as the bot
// answers them.
func rerankCases(t testing.TB, sets []string) []rerankCase {
	var out []rerankCase
	own := map[string]*Matcher{}
	for _, set := range sets {
		dir := filepath.Dir(set)
		if own[dir] == nil {
			own[dir] = loadMatcher(t, filepath.Join(dir, "briefing.txt"), Options{})
		}
		m := own[dir]
		for _, c := range readFitSet(t, filepath.Join("testdata", set)) {
			if c.kind == "N" || len(c.expected) == 0 {
				continue
			}
			s := m.pool.Get().(*scratch)
			m.analyse(s, prepare(c.query))
			rc := rerankCase{right: -1}
			for i, cand := range m.rank(s, rerankDepthFinal) {
				rc.logConf = append(rc.logConf, math.Log(max(cand.conf, 1e-9)))
				rc.f = append(rc.f, m.rerankFeatures(s, &cand))
				if rc.right < 0 && slices.Contains(c.expected, int(cand.doc)+1) {
					rc.right = i
				}
			}
			m.pool.Put(s)
			if rc.right >= 0 && len(rc.f) > 1 {
				out = append(out, rc)
			}
		}
	}
	return out
}

// Re-ranking fit: rerankRounds steps of gradient ascent at rerankRate on the conditional
// log-likelihood of the right candidate (a softmax over each query's candidates of their log
// confidence plus the weighted features), with a ridge penalty rerankL2. On the nine
// never-fitted briefings of the time (the round's prototype, 2,395 answerable queries), the
// right question ranked first 2,002 -> 2,035; the fitted briefings' 3,101 -> 3,138 of 3,592.
const (
	rerankRounds = 3000
	rerankRate   = 0.5
	rerankL2     = 0.001
)

// fitRerank fits the re-ranking weights on cs.
func fitRerank(cs []rerankCase) [nRerank]float64 {
	var w [nRerank]float64
	var z [rerankDepthFinal]float64
	for range rerankRounds {
		var g [nRerank]float64
		for _, c := range cs {
			top := math.Inf(-1)
			for i := range c.f {
				z[i] = c.logConf[i]
				for j := range w {
					z[i] += w[j] * c.f[i][j]
				}
				top = max(top, z[i])
			}
			sum := 0.0
			for i := range c.f {
				z[i] = math.Exp(z[i] - top)
				sum += z[i]
			}
			for i := range c.f {
				y := 0.0
				if i == c.right {
					y = 1
				}
				for j := range w {
					g[j] += (y - z[i]/sum) * c.f[i][j]
				}
			}
		}
		for j := range w {
			w[j] += rerankRate * (g[j]/float64(len(cs)) - rerankL2*w[j])
		}
	}
	return w
}

// TestChooseEmbeddedThreshold: the threshold balances the targets' margins. Of 100
// queries, 80 answerable ranked right at probability 0.9, 2 answerable ranked right at 0.3,
// 2 answerable ranked wrong at 0.6, and 16 out of scope: 8 at 0.1, 4 at 0.25, 4 at 0.45.
// Below 0.45 at least the four out-of-scope queries at 0.45 are answered too: 6% of all
// answered wrong, 3 points over the target. Above it every out-of-scope query is declined,
// at the cost of the two right answers at 0.3 (false "not covered" 2 of 84, 0.6 points
// inside the target; wrong answers 2%, 1 point inside). Above 0.6 the two wrong answers go too, but the
// least margin, false "not covered", stays 0.6 points, and the lowest of equals is kept: the
// grid's first point above 0.45 (it steps by 0.005).
func TestChooseEmbeddedThreshold(t *testing.T) {
	var ss []sample
	var p []float64
	add := func(n int, answerable, right bool, prob float64) {
		for range n {
			ss = append(ss, sample{answerable: answerable, rankedRight: right})
			p = append(p, prob)
		}
	}
	add(80, true, true, 0.9)
	add(2, true, true, 0.3)
	add(2, true, false, 0.6)
	add(8, false, false, 0.1)
	add(4, false, false, 0.25)
	add(4, false, false, 0.45)
	if th := chooseEmbeddedThreshold(ss, p); th != 0.455 {
		t.Errorf("threshold %.3f, want 0.455 (%v)", th, measure(ss, p, th, func(sample) bool { return true }))
	}
	// With the two right answers at 0.3 moved to 0.5 the threshold stays at 0.455: nothing is
	// gained above it, and the lowest of equals is kept.
	for i := 80; i < 82; i++ {
		p[i] = 0.5
	}
	if th := chooseEmbeddedThreshold(ss, p); th != 0.455 {
		t.Errorf("threshold %.3f, want 0.455", th)
	}
}
