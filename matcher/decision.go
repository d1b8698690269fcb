package matcher

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"transcriptbot/transcript"
)

// The decision between answering, offering a menu and saying "not covered".
//
// Ranking orders the entries; deciding whether the best one really answers the query is a
// separate question, answered by a model over a few features of the query and its best entry
// (decisionFeatures): a logistic model's probability and that of boosted trees of depth two
// (boost.go), blended (linearShare). Both are fitted offline on the pooled labelled query
// sets in testdata, with cross-validation, by
//
//	go test ./matcher -run TestRefitDecision -refit
//
// which rewrites decision_coef.go (see fit_test.go). The model's output is the probability
// that the best entry is a right answer; Match answers when it reaches the threshold chosen
// by the same command for a stated precision, and offers a menu only when the runner-up is
// genuinely tied with the best.

// Decision features, in the order of decisionModel.weights.
const (
	fConf         = iota // the ranking's combined confidence (presence x evidence x match)
	fCoverage            // share of the query's weight the entry matches
	fPassage             // share found together in the question and one answer window
	fEvidence            // matched weight against that of one rare word, capped at 1
	fPresence            // share of the query's weight the transcript knows at all
	fUnkCommon           // everyday words the transcript lacks
	fUnkNumber           // numbers the transcript lacks ("2021")
	fUnkName             // names the transcript lacks ("NATO", "Galwan")
	fUnkRare             // other words the transcript lacks, weighted by rarity in English
	fTypeMissing         // the question asks who/where/when/how many and the passage has none
	fConcepts            // log(1 + number of query concepts the transcript knows)
	fTypeAsked           // the question asks who/where/when/how many: a fact, not a topic
	fAnchor              // the rarest concept the entry matches: its weight against a rare word's
	fFocusUnknown        // the first content words after a question word that the transcript lacks
	fMeta                // the query refers to the briefing or its speaker ("did he say", "the SG")
	fRunnerUp            // the runner-up's confidence against the best's
	fQuestion            // share of the query's weight found in the entry's question (with alternates)
	fOtherSpeaker        // the query asks what a subject the transcript lacks said or thinks (speaker.go)
	fQuestionGap         // the largest question share among the runners-up less the best's
	fAnchorGap           // the rarest concept a runner-up matches against the best's (fAnchor)
	fHindsight           // the query asks how something turned out; the passage speaks of it in the future (hindsight.go)
	fLearnedOOS          // the learned phrasings' posterior that the query is out of scope (learned.go; embedded transcript)
	fPhrase              // share of the query's pairs of words in a row the entry's question has (phrase.go)
	fForeign             // share of the query's weight read through the foreign word lists (foreignword.go)
	nFeatures
)

// featureNames name the features, for the fitting report and decision_coef.go.
var featureNames = [nFeatures]string{"conf", "coverage", "passage", "evidence", "presence",
	"unk_common", "unk_number", "unk_name", "unk_rare", "type_missing", "concepts", "type_asked",
	"anchor", "focus_unknown", "meta", "runner_up", "question", "other_speaker", "question_gap", "anchor_gap",
	"hindsight", "learned_oos", "phrase", "foreign"}

// features is one query's decision input.
type features [nFeatures]float64

// decisionFeatures describes the best candidate top[0] for the analysed query.
func (m *Matcher) decisionFeatures(s *scratch, top []candidate) features {
	var x features
	if len(top) == 0 {
		return x
	}
	b := top[0]
	x[fConf] = b.conf
	x[fCoverage] = b.coverage
	x[fPassage] = b.passage
	x[fEvidence] = b.evidence
	x[fPresence] = s.presence()
	x[fUnkCommon] = s.unk[unknownCommon]
	x[fUnkNumber] = s.unk[unknownNumber]
	x[fUnkName] = s.unk[unknownName]
	x[fUnkRare] = s.unk[unknownRare]
	if s.asked != typeNone {
		x[fTypeAsked] = 1
		if b.typeMissing {
			x[fTypeMissing] = 1
		}
	}
	x[fConcepts] = math.Log1p(float64(len(s.concepts)))
	found := m.foundIn(s, b.doc)
	for ci := range s.concepts {
		c := &s.concepts[ci]
		if c.everyday || found&(1<<uint(ci)) == 0 {
			continue
		}
		x[fAnchor] = max(x[fAnchor], c.imp/m.idfRare)
	}
	x[fFocusUnknown] = m.focusUnknown(s)
	x[fMeta] = s.meta
	// A close runner-up says the query fits no entry better than another. (Measured and left
	// out while the fit pool held thirteen sets, where it bettered log-loss but no answer;
	// over nineteen, leave-one-set-out log-loss 0.2692 -> 0.2679, never-fitted 0.2781 ->
	// 0.2727.)
	if len(top) > 1 && b.conf > 0 {
		x[fRunnerUp] = top[1].conf / b.conf
	}
	// What the question itself says is surer evidence than words found in a long answer.
	// (Leave-one-set-out log-loss 0.2679 -> 0.2588, AUC 0.936 -> 0.941; never-fitted sets
	// 0.2727 -> 0.2554.)
	x[fQuestion] = b.question
	x[fLearnedOOS] = s.learnedOOS
	x[fPhrase] = m.phraseShare(s, b.doc)
	x[fForeign] = s.foreignShare()
	x[fOtherSpeaker] = s.otherSpeaker
	if s.hindsight > 0 && m.hasType(int(b.doc), b.window, typeFuture) {
		x[fHindsight] = 1
	}
	// A runner-up whose question says more of the query than the best's does is the other
	// reading of the query: the best entry won on words its answer holds (leave-one-set-out
	// log-loss 0.2634 -> 0.2571, the embedded briefing's sets 0.2221 -> 0.2145, other
	// briefings each left out 0.4030 -> 0.3985, never-fitted 0.1949 -> 0.1883, other
	// transcripts 0.4453 -> 0.4388; the runner-up alone, 0.2162 and 0.1889. The same gap for
	// the passage share as well took the embedded briefing's sets to 0.2133 and the other
	// briefings' to 0.4027, for the coverage to 0.2138 and 0.4040 (other transcripts 0.4433),
	// and was left out.)
	if len(top) > 1 {
		x[fQuestionGap] = top[1].question - b.question
		for _, c := range top[2:] {
			x[fQuestionGap] = max(x[fQuestionGap], c.question-b.question)
		}
		// A runner-up that matches a rarer word of the query than the best entry does holds
		// what the query is most about (leave-one-set-out log-loss 0.2571 -> 0.2561, the
		// embedded briefing's sets 0.2145 -> 0.2123, other briefings 0.3985 -> 0.3973,
		// never-fitted 0.1883 -> 0.1870; other transcripts 0.4388 -> 0.4431, the one measure
		// it costs). The concepts are tried rarest first, until one is found in a runner-up:
		// most queries need one or two lookups, not all of them.
		var order [maxConcepts]int8
		n := 0
		for ci := range s.concepts {
			if s.concepts[ci].everyday {
				continue
			}
			j := n
			for j > 0 && s.concepts[order[j-1]].imp < s.concepts[ci].imp {
				order[j] = order[j-1]
				j--
			}
			order[j] = int8(ci)
			n++
		}
		var a float64
	rarest:
		for _, ci := range order[:n] {
			cc := &s.concepts[ci]
			for _, c := range top[1:] {
				if m.conceptScore(s, cc, c.doc) > 0 {
					a = cc.imp / m.idfRare
					break rarest
				}
			}
		}
		x[fAnchorGap] = a - x[fAnchor]
	}
	return x
}

// focusWords is how many content words after a question word make its focus: "what is the
// annual budget of ..." asks for a budget, and a transcript that never says "budget" does not
// answer it, however well the rest matches.
const focusWords = 2

// commonFocus is the weight of an everyday focus word the transcript lacks ("weather"), against
// a rarer one's: weaker evidence of another topic (leave-one-set-out log-loss 0.2892 at 1,
// 0.2872 at 0.5).
const commonFocus = 0.5

// focusUnknown weighs the focus words of the query (see focusWords) that the transcript lacks.
// A word it knows through a correction or a related form counts as known; a title word
// ("Norov") and a number word ("which three threats") are skipped.
func (m *Matcher) focusUnknown(s *scratch) float64 {
	if s.whEnd < 0 {
		return 0
	}
	// The focus follows the noun that names the kind of fact, when there is one ("what
	// exact date will the summit open": the summit's opening).
	from := max(s.whEnd, s.typeNoun+1)
	var missing float64
	n, ci := 0, 0
	for wi := 0; wi < len(s.words) && n < focusWords; wi++ {
		w := &s.words[wi]
		if w.start < from {
			continue
		}
		for ci < len(s.concepts) && s.concepts[ci].w1 < wi {
			ci++
		}
		if ci < len(s.concepts) && s.concepts[ci].w0 <= wi {
			n++ // known
			continue
		}
		if w.term < 0 && (m.titleStems[w.stem] || numberWords[w.lower]) {
			continue
		}
		n++
		if m.isCommon(*w) {
			missing += commonFocus
		} else {
			missing++
		}
	}
	return missing
}

// decisionModel is one fitted decision: the logistic model's coefficients, the boosted trees
// (boost.go) and the threshold fitted with them. decision_coef.go holds two (TestRefitDecision
// fits both): embeddedDecision, fitted on the labelled queries about the embedded transcript
// and used for it alone, and generalDecision, fitted on every briefing's and used for any
// other transcript an operator loads (see decisionFor).
type decisionModel struct {
	bias      float64
	weights   [nFeatures]float64
	treeBase  float64
	trees     []boostTree
	threshold float64 // the lowest probability at which targetPrecision of the answers are right
	logOdds   bool    // blend in log-odds: fitted on one transcript's queries (blend)
}

// decisionFor returns the decision model for a matcher of transcript t in language lang: the
// embedded transcript's own when t is the embedded transcript (the same content, sidecar
// included), read in English, else the general one. A model fitted on one transcript's
// queries alone decides for it better than one pooled with other briefings', whose
// calibration differs (leave-one-set-out log-loss over its sets 0.2357 -> 0.2309, never-fitted
// sets 0.2102 -> 0.2045), and the precision target over its own queries needs a lower
// threshold than over the pool.
func decisionFor(t *transcript.Transcript, lang string) *decisionModel {
	if lang == "english" && t.Hash == transcript.Default().Hash {
		return &embeddedDecision
	}
	return &generalDecision
}

// probability is the decision model's estimate that the best entry answers the query: the
// logistic model's and the boosted trees' (boost.go), blended.
func (d *decisionModel) probability(x features) float64 {
	return capEvidence(blend(d.logistic(x), d.boosted(x), d.logOdds, treeless(d.weights, x, d.logOdds)), x)
}

// minEvidence is the word evidence (fEvidence: the matched weight against half a rare word's)
// below which the words read say nothing of which entry is meant: what they match, every entry
// has ("SCO" in "zdrowie publiczne SCO" or a message in Hangul around it). The ranking is
// then the learned phrasings' prior, and the models, fitted where the learned phrasings knew
// the other words of such messages, still gave some of them 0.2-0.4.
const minEvidence = 0.02

// capEvidence caps p at the word evidence of x when that is under minEvidence: no answer
// rests on words that do not tell the entries apart.
func capEvidence(p float64, x features) float64 {
	if x[fEvidence] < minEvidence {
		return min(p, x[fEvidence])
	}
	return p
}

// treelessFeatures are the rare features no tree splits on: a leaf needs boostMinLeaf
// samples, and `other_speaker` and `hindsight` are set in few queries of the fit
// sets. In the log-odds blend (the embedded transcript's model) the trees' log-odds get
// their logistic terms at full weight, so that they count whole and not at the logistic
// model's share of 0.1: leave-one-set-out log-loss of the embedded briefing's sets 0.2032 ->
// 0.2025, never-fitted 0.1853 -> 0.1806 ("did the st petersburg summit end up being in
// person or online in the end" 0.62 -> 0.03). Added to the general model's trees too, its other
// briefings, each left out, went 0.3984 -> 0.3995 and the other transcripts stayed at
// 0.4517, so it keeps its average of probabilities unchanged.
var treelessFeatures = [...]int{fOtherSpeaker, fHindsight}

// treeless is the log-odds the logistic weights w give the treeless features of x, for the
// log-odds blend (0 for the other, which does not use it).
func treeless(w features, x features, logOdds bool) float64 {
	if !logOdds {
		return 0
	}
	var z float64
	for _, f := range treelessFeatures {
		z += w[f] * x[f]
	}
	return z
}

// linearShare is the logistic model's share of the decision's probability, the trees' the
// rest. Leave-one-set-out log-loss over the thirty-three fit sets: 0.2642 at 0.5 (the even
// average of the fourth round), 0.2604 at 0.3, 0.2607 at 0.15, 0.2656 at 0 (trees alone);
// never-fitted sets 0.2461, 0.2392, 0.2368, 0.2376; the other briefings' 0.4612, 0.4644,
// 0.4709, 0.4842 (the logistic model transfers better).
const linearShare = 0.3

// embeddedLinearShare is linearShare for a model fitted on one transcript's queries alone
// (the embedded transcript's): its trees, fitted on that transcript's queries, are better
// calibrated for it than the logistic model. Its leave-one-set-out log-loss, blended in
// log-odds, at 0.3, 0.2, 0.1 and 0 (trees alone): 0.2081, 0.2052, 0.2035, 0.2030;
// never-fitted sets 0.1858, 0.1844, 0.1842, 0.1852 (an average of probabilities at 0.1:
// 0.2041 and 0.1844; at 0.3, 0.2110 and 0.1880).
const embeddedLinearShare = 0.1

// blend is the decision's probability from the logistic model's, lin, and the trees', trees:
// their average weighted by linearShare, or, for a model fitted on one transcript's queries
// alone (logOdds), the average of their log-odds weighted by embeddedLinearShare, the trees'
// with rare added (the logistic model's log-odds from treelessFeatures). The general
// model keeps the average of probabilities at 0.3: blended in log-odds (at 0.3), its other
// briefings, each left out, went 0.3987 -> 0.4021 and the never-fitted other transcripts
// 0.4453 -> 0.4517 (at 0.45: 0.4029 and 0.4442), and at 0.5 as an average of probabilities
// 0.3994 -> 0.4023 and 0.4459 -> 0.4395.
func blend(lin, trees float64, logOdds bool, rare float64) float64 {
	if logOdds {
		return sigmoid(embeddedLinearShare*logit(lin) + (1-embeddedLinearShare)*(logit(trees)+rare))
	}
	return linearShare*lin + (1-linearShare)*trees
}

// logit is the log-odds of probability p, kept finite.
func logit(p float64) float64 {
	p = min(max(p, 1e-9), 1-1e-9)
	return math.Log(p / (1 - p))
}

// logistic is the logistic model's probability that the best entry answers the query.
func (d *decisionModel) logistic(x features) float64 {
	z := d.bias
	for i, w := range d.weights {
		z += w * x[i]
	}
	return sigmoid(z)
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// answerType is the kind of fact a question word asks for.
type answerType uint8

const (
	typeNone   answerType = iota
	typePerson            // who, whom, whose
	typePlace             // where, which city / country
	typeTime              // when, what year / date
	typeNumber            // how many, how much, how long, how far, how old, what percentage
	typeDay               // what date, which day: a day, not a season or a year
	// typeFuture is never asked: a sentence that speaks of what is to come ("will be held").
	typeFuture
)

// leadWords may come before a question word at the start of a clause ("so when is ...",
// "hey bot, where ...", "and where", "in which city").
var leadWords = map[string]bool{"so": true, "and": true, "but": true, "or": true, "ok": true,
	"okay": true, "hey": true, "hi": true, "hello": true, "yo": true, "bot": true, "please": true,
	"pls": true, "guys": true, "bro": true, "then": true, "also": true, "now": true, "well": true,
	"oh": true, "um": true, "in": true, "at": true, "on": true, "since": true, "from": true,
	"to": true, "for": true, "by": true, "exactly": true, "just": true}

// foreignQuestionWords are question words of languages users mix into English that open
// their clause as English's do (Tagalog "sino nanalo sa marathon": who won the marathon;
// Nigerian Pidgin "wetin"), each read as its English equivalent. Hindi and Urdu put theirs
// at the end of the clause ("summit kab hoga"), where a question word is no question's.
var foreignQuestionWords = map[string]string{"sino": "who", "sinong": "who", "saan": "where",
	"kailan": "when", "kelan": "when", "ilan": "how many", "ilang": "how many",
	"magkano": "how many", "ano": "what", "anong": "what", "paano": "how", "pano": "how",
	"bakit": "why", "alin": "which", "wetin": "what",
	// Indonesian and Malay, with their chat spellings ("siapa pemenang ...", "kapan menteri
	// ... rapat", "berapa jumlah ...", "gimana dia menilai ...").
	"siapa": "who", "sape": "who", "kapan": "when", "bila": "when", "berapa": "how many",
	"brp": "how many", "apa": "what", "apakah": "what", "gimana": "how", "bagaimana": "how",
	"gmn": "how", "kenapa": "why", "mengapa": "why", "knp": "why"}

// typeLinkWords may come between "what" or "which" and the noun that names the kind of fact
// asked for ("what is the date", "what's the exact year").
var typeLinkWords = map[string]bool{"is": true, "was": true, "are": true, "were": true,
	"will": true, "the": true, "a": true, "an": true, "exact": true, "exactly": true,
	"specific": true}

// typeModifiers are the typeLinkWords that make a noun phrase with the noun after them ("the
// exact date of the summit", "which exact date this autumn"), as against the verbs ("what is
// the city doing"): after them the noun need not end the clause, and they may open a request
// made as a noun phrase. (Leave-one-set-out log-loss 0.2623 -> 0.2621, the embedded
// briefing's sets 0.2362 -> 0.2357, never-fitted 0.2187 -> 0.2146, the other briefings'
// 0.4217 -> 0.4230.)
var typeModifiers = map[string]bool{"the": true, "a": true, "an": true, "exact": true,
	"exactly": true, "specific": true}

// onlyModifiers reports whether the words from i to j (exclusive) are all typeModifiers.
func onlyModifiers(i, j int, lower func(int) string) bool {
	for ; i < j; i++ {
		if !typeModifiers[lower(i)] {
			return false
		}
	}
	return true
}

// typeNouns name the kind of fact after "what" or "which" ("which city", "what year").
var typeNouns = map[string]answerType{"city": typePlace, "country": typePlace,
	"place": typePlace, "venue": typePlace, "town": typePlace, "year": typeTime,
	"date": typeDay, "day": typeDay, "month": typeTime, "time": typeTime,
	"percentage": typeNumber, "percent": typeNumber, "number": typeNumber,
	"amount": typeNumber, "share": typeNumber, "size": typeNumber,
	// Plurals, and more nouns that name the kind of fact: a person or an organisation, a
	// place, a time, a quantity.
	"countries": typePlace, "cities": typePlace, "location": typePlace, "places": typePlace,
	"dates": typeDay, "days": typeDay, "years": typeTime, "months": typeTime,
	"season": typeTime, "leader": typePerson, "leaders": typePerson, "minister": typePerson,
	"ministers": typePerson, "official": typePerson, "officials": typePerson,
	"person": typePerson, "company": typePerson, "companies": typePerson,
	"organisation": typePerson, "organization": typePerson, "figure": typeNumber,
	"figures": typeNumber, "quantity": typeNumber, "total": typeNumber, "cost": typeNumber,
	"budget": typeNumber, "population": typeNumber, "toll": typeNumber, "rate": typeNumber}

// phraseTypeNouns are typeNouns, and the nouns that ask for a name, that can open a request
// made as a noun phrase.
var phraseTypeNouns = func() map[string]answerType {
	m := map[string]answerType{"name": typePerson, "names": typePerson, "price": typeNumber,
		"value": typeNumber, "length": typeNumber, "duration": typeNumber}
	for k, v := range typeNouns {
		m[k] = v
	}
	return m
}()

// askedType returns the kind of fact an English question asks for, from the question word
// that opens one of its clauses ("when is the summit", "in which city ..."); a "when" or
// "where" inside a clause is a conjunction ("can it mediate when two members ..."). When a
// noun names the kind ("what date", "which city"), noun is its byte offset in query, else -1:
// the noun says what kind of fact is wanted, not what it is about, and is no content word.
func askedType(query string) (t answerType, noun int) {
	var buf [64]rawWord
	t, noun, _ = askedTypeOf(query, words(query, buf[:0]))
	return t, noun
}

// askedTypeOf is askedType over the words of query, ws; whEnd is the byte offset after the
// first question word (what, which, who, where, when, why, how) that opens a clause, or after
// the opening "is there" or "can I bring" (existentialEnd) when that comes first, or -1: where
// the query's focus begins.
func askedTypeOf(query string, ws []rawWord) (t answerType, noun, whEnd int) {
	lower := func(i int) string {
		if i < 0 || i >= len(ws) {
			return ""
		}
		return askKey(query[ws[i].start:ws[i].end])
	}
	whEnd = -1
	clauseStart := true // only lead words since the start of the clause
	frameEnd := -1      // a reporting frame ("did he say", "can you tell me") ends before it
	for i := range ws {
		if i > 0 && clauseBreak(query[ws[i-1].end:ws[i].start]) {
			clauseStart = true
		}
		if !clauseStart || i < frameEnd {
			continue
		}
		w := lower(i)
		if leadWords[w] || strings.HasPrefix(query[max(0, ws[i].start-1):ws[i].end], "@") {
			continue
		}
		if j := reportingFrame(query, ws, i, lower); j > i {
			frameEnd = j
			continue
		}
		clauseStart = false
		if e, ok := foreignQuestionWords[w]; ok {
			w = e
		} else if w == "" {
			w = foreignQuestion(query[ws[i].start:ws[i].end])
		}
		switch w {
		case "who", "whom", "whose", "where", "wheres", "where's", "when", "whens", "when's",
			"how", "what", "which", "whats", "what's", "why", "how many":
			if whEnd < 0 {
				whEnd = ws[i].end
			}
		}
		if whEnd < 0 {
			whEnd = existentialEnd(ws, i, lower)
		}
		// A request as a noun phrase names the kind of fact first ("Number of trolley
		// patients on 7 January", "name of the union leader", "cost per bed"): what follows
		// "of" is the focus. (Leave-one-set-out log-loss 0.2554 -> 0.2544, other briefings
		// left out whole 0.4190 -> 0.4116, never-fitted sets 0.2175 -> 0.2160; without the
		// nouns that ask for a name 0.2546, 0.4121, 0.2164.)
		if whEnd < 0 {
			j := i
			for j < i+3 && typeModifiers[lower(j)] {
				j++
			}
			if t, ok := phraseTypeNouns[lower(j)]; ok {
				switch lower(j + 1) {
				case "of", "for", "per":
					return t, ws[j].start, ws[j+1].end
				}
			}
		}
		switch w {
		case "who", "whom", "whose":
			return typePerson, -1, whEnd
		case "where", "wheres", "where's":
			return typePlace, -1, whEnd
		case "when", "whens", "when's":
			if t, noun := innerTypeNoun(query, ws, i+1, lower); t == typeDay {
				return t, noun, whEnd
			}
			return typeTime, -1, whEnd
		case "how many":
			return typeNumber, -1, whEnd
		case "how":
			switch lower(i + 1) {
			case "many", "much", "long", "far", "old":
				return typeNumber, -1, whEnd
			}
		case "what", "which", "whats", "what's":
			if t, noun := typeNounAfter(query, ws, i, lower); t != typeNone {
				return t, noun, whEnd
			}
		}
	}
	return typeNone, -1, whEnd
}

// innerTypeNoun finds "what" or "which" and a noun that names the kind of fact anywhere in
// the words of query from word i on: a later clause that narrows a "when" to a day ("when
// is the summit, what day"; leave-one-set-out log-loss 0.2540 -> 0.2532, the embedded
// briefing's sets 0.2362 -> 0.2351, never-fitted 0.2099 -> 0.2100, the other briefings'
// 0.4083 -> 0.4097). Taken anywhere as the type of a query with no question word opening a
// clause ("sco marathon which date it run") it measured 0.2539, never-fitted 0.2103: left out.
func innerTypeNoun(query string, ws []rawWord, i int, lower func(int) string) (answerType, int) {
	for ; i < len(ws); i++ {
		switch lower(i) {
		case "what", "which", "whats", "what's":
			if t, noun := typeNounAfter(query, ws, i, lower); t != typeNone {
				return t, noun
			}
		}
	}
	return typeNone, -1
}

// typeNounAfter reads the noun naming the kind of fact after the "what" or "which" at word i
// ("what date", "which exact city"): its kind and byte offset, or typeNone and -1. After
// linking words the noun must end the clause or take "of"/"for": "what is the date of SCO
// Day", not "what is the city doing about housing".
func typeNounAfter(query string, ws []rawWord, i int, lower func(int) string) (answerType, int) {
	j := i + 1
	for j < len(ws) && j < i+4 && typeLinkWords[lower(j)] {
		j++
	}
	if t, ok := typeNouns[lower(j)]; ok && (onlyModifiers(i+1, j, lower) || typeNounEnd(query, ws, j)) {
		return t, ws[j].start
	}
	return typeNone, -1
}

// frameOpeners may open a reporting frame: an auxiliary, a pronoun or a verb of telling.
var frameOpeners = map[string]bool{"did": true, "does": true, "do": true, "can": true,
	"could": true, "would": true, "will": true, "has": true, "have": true, "i": true,
	"im": true, "we": true, "anyone": true, "anybody": true, "someone": true,
	"somebody": true, "u": true, "you": true, "any": true, "need": true, "want": true}

// reportVerbs end a reporting frame: what follows them is the question asked.
var reportVerbs = map[string]bool{"say": true, "says": true, "said": true, "tell": true,
	"mention": true, "mentioned": true, "know": true, "explain": true, "specify": true,
	"confirm": true, "reveal": true, "list": true, "wonder": true, "wondering": true,
	"curious": true, "idea": true}

// frameFillers may come between a verb of telling and the question word ("tell me when",
// "did he say anything about where").
var frameFillers = map[string]bool{"me": true, "us": true, "anything": true, "about": true,
	"exactly": true}

// reportingFrame returns, when a clause opening at word i asks for a fact inside a reporting
// frame ("did Norov say how many ...", "can you tell me when ...", "anyone know where ...",
// "I wonder how much ..."), the index of the question word after the frame: the question
// opens there, as if the frame were not said. Otherwise it returns -1. A frame is an opener
// (frameOpeners, or a verb of telling itself), at most four more words, a verb of telling,
// and fillers; a clause opening with a question word ("what did he say when he was asked")
// is no frame, its "when" a conjunction.
func reportingFrame(query string, ws []rawWord, i int, lower func(int) string) int {
	w := lower(i)
	if !frameOpeners[w] && !reportVerbs[w] {
		return -1
	}
	v := i
	for v < len(ws) && v <= i+5 && !reportVerbs[lower(v)] {
		if v > i && (clauseBreak(query[ws[v-1].end:ws[v].start]) || whWords[lower(v)]) {
			return -1
		}
		v++
	}
	if v >= len(ws) || v > i+5 {
		return -1
	}
	j := v + 1
	for j < len(ws) && j <= v+3 && frameFillers[lower(j)] {
		j++
	}
	if j >= len(ws) || !whWords[lower(j)] || clauseBreak(query[ws[j-1].end:ws[j].start]) {
		return -1
	}
	return j
}

// whWords are the question words that open a question.
var whWords = map[string]bool{"who": true, "whom": true, "whose": true, "where": true,
	"wheres": true, "where's": true, "when": true, "whens": true, "when's": true, "how": true,
	"what": true, "which": true, "whats": true, "what's": true}

// existentialEnd returns, for a clause that opens at word i with "is there" or "are there"
// ("is there wifi on the ferry"), or with "can I" and a verb of taking or getting ("can I
// bring my bike on the ferry"), the byte offset after those words: what follows is the
// focus, what the question asks about (see focusUnknown). Otherwise it returns -1.
func existentialEnd(ws []rawWord, i int, lower func(int) string) int {
	switch lower(i) {
	case "is", "are", "was", "were", "isnt", "arent":
		if lower(i+1) == "there" || lower(i+1) == "theres" {
			return ws[i+1].end
		}
	case "can", "could", "may":
		switch lower(i + 1) {
		case "i", "we", "you":
			if existentialVerbs[lower(i+2)] {
				return ws[i+2].end
			}
		}
	}
	return -1
}

// existentialVerbs are the verbs of "can I bring ...", "can we get ...".
var existentialVerbs = map[string]bool{"bring": true, "take": true, "carry": true, "get": true,
	"buy": true, "book": true, "use": true, "have": true, "find": true}

// typeNounEnd reports whether word j of query ends its clause or is followed by "of" or
// "for".
func typeNounEnd(query string, ws []rawWord, j int) bool {
	if j+1 >= len(ws) || clauseBreak(query[ws[j].end:ws[j+1].start]) {
		return true
	}
	next := askKey(query[ws[j+1].start:ws[j+1].end])
	return next == "of" || next == "for" || typeNounVerbs[next]
}

// typeNounVerbs may follow the noun that names the kind of fact when the question goes on
// ("what exact date will the summit open", "which city is hosting").
var typeNounVerbs = map[string]bool{"will": true, "is": true, "was": true, "are": true,
	"were": true, "does": true, "did": true, "do": true, "has": true, "have": true,
	"can": true, "should": true, "would": true, "in": true, "on": true, "at": true}

// clauseBreak reports whether the text between two words ends a clause: it holds one of
// . ? ! , : ; ( ) … or a newline (strings.ContainsAny with those, without its rune-by-rune
// search of a set that is not all ASCII).
func clauseBreak(gap string) bool {
	for i := 0; i < len(gap); i++ {
		switch gap[i] {
		case '.', '?', '!', ',', ':', ';', '(', ')', '\n':
			return true
		case 0xE2: // the first byte of '…'
			if strings.HasPrefix(gap[i:], "…") {
				return true
			}
		}
	}
	return false
}

// askKeys holds every word askedType looks for, each mapped to itself.
var askKeys = func() map[string]string {
	keys := map[string]string{}
	add := func(w string) { keys[w] = w }
	for w := range leadWords {
		add(w)
	}
	for w := range typeLinkWords {
		add(w)
	}
	for w := range phraseTypeNouns {
		add(w)
	}
	add("per")
	for _, w := range []string{"who", "whom", "whose", "where", "wheres", "where's", "when",
		"whens", "when's", "how", "many", "much", "long", "far", "old", "what", "which", "whats",
		"what's", "of", "for", "why"} {
		add(w)
	}
	for w := range typeNounVerbs {
		add(w)
	}
	for _, w := range []string{"is", "are", "was", "were", "isnt", "arent", "there", "theres",
		"can", "could", "may", "i", "we", "you"} {
		add(w)
	}
	for w := range existentialVerbs {
		add(w)
	}
	for w := range foreignQuestionWords {
		add(w)
	}
	for _, m := range []map[string]bool{frameOpeners, reportVerbs, frameFillers, whWords} {
		for w := range m {
			add(w)
		}
	}
	return keys
}()

// maxAskKey is the length of the longest of askKeys.
var maxAskKey = func() int {
	n := 0
	for w := range askKeys {
		n = max(n, len(w))
	}
	return n
}()

// askKey returns w lower-cased when that is one of the words askedType looks for, else "":
// askedType only compares words with those, so any other word may stand for all the rest.
// An ASCII word is lower-cased on the stack, so a capitalised "What" allocates nothing.
func askKey(w string) string {
	var buf [16]byte
	if len(w) > len(buf) || len(w) > maxAskKey {
		for i := 0; i < len(w); i++ {
			if w[i] >= utf8.RuneSelf {
				return askKeys[strings.ToLower(w)] // a non-ASCII letter may lower-case to ASCII
			}
		}
		return ""
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			return askKeys[strings.ToLower(w)]
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return askKeys[string(buf[:len(w)])]
}

// hasType reports whether the answer of entry d, around the passage window (or anywhere
// when the question alone made the passage), holds a fact of type t.
func (m *Matcher) hasType(d, window int, t answerType) bool {
	sents := m.sentsOf(d)
	var types uint8
	if window >= 0 && window < len(sents) {
		types = sents[window].types
		if window+1 < len(sents) {
			types |= sents[window+1].types
		}
	} else {
		for i := range sents {
			types |= sents[i].types
		}
	}
	return types&(1<<t) != 0
}

// typesOf returns the kinds of fact text holds, as a set of bits 1<<answerType, in one pass
// over its words; New keeps each answer sentence's, so a query only combines bits.
func typesOf(text string) uint8 {
	var types uint8
	var buf [128]rawWord
	ws := words(text, buf[:0])
	for i, w := range ws {
		word := text[w.start:w.end]
		lower := strings.ToLower(word)
		switch {
		case isNumber(word):
			// A year dates; it does not count: "how many doctors" is not answered by "2020".
			// Nor does the day of a date ("May 28").
			switch {
			case clockAt(text, w.end) || w.start >= 2 && text[w.start-1] == ':' && isDigit(text[w.start-2]):
				// A clock time ("at 21:51 the ship grounded"), its hours and its minutes,
				// says when; it is no count.
				types |= 1 << typeTime
			case len(word) == 4 && (word[:2] == "19" || word[:2] == "20"):
				types |= 1 << typeTime
			case monthAt(ws, text, i-1) || monthAt(ws, text, i+1):
				types |= 1<<typeDay | 1<<typeTime
			default:
				types |= 1 << typeNumber
			}
		case strings.ContainsAny(word, "0123456789"):
			types |= 1 << typeNumber
			// A clock time ("6am", "14:00", "2pm") says when.
			if l := strings.ToLower(word); strings.HasSuffix(l, "am") || strings.HasSuffix(l, "pm") ||
				i+1 < len(ws) && text[w.end] == ':' {
				types |= 1 << typeTime
			}
		case numberWords[lower]:
			types |= 1 << typeNumber
		case timeWords[lower]:
			types |= 1 << typeTime
			if weekdays[lower] || months[lower] && (dayNumber(ws, text, i-1) || dayNumber(ws, text, i+1)) {
				types |= 1<<typeDay | 1<<typeTime
			}
		case personWords[lower]:
			types |= 1 << typePerson
		case futureWords[lower] || strings.HasSuffix(lower, "'ll") || strings.HasSuffix(lower, "’ll"):
			types |= 1 << typeFuture
		}
		// A capitalised word inside a sentence that is not an abbreviation in capitals
		// ("SCO", "WHO") names someone or somewhere. A stricter test for people (two such
		// words in a row) made the decision's cross-validated log-loss worse: many answers
		// say who through a country's name.
		if r, _ := utf8.DecodeRuneInString(word); unicode.IsUpper(r) && !isCaps(word) {
			gapStart := 0
			if i > 0 {
				gapStart = ws[i-1].end
			}
			if i > 0 && !strings.ContainsAny(text[gapStart:w.start], ".!?…:") {
				types |= 1<<typePlace | 1<<typePerson
			}
		}
	}
	return types
}

// clockAt reports whether text continues at end with the minutes of a clock time: a colon and
// two digits (":51" in "21:51").
func clockAt(text string, end int) bool {
	return end+2 < len(text) && text[end] == ':' && isDigit(text[end+1]) && isDigit(text[end+2])
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

var numberWords = map[string]bool{"two": true, "three": true, "four": true, "five": true, "six": true,
	"seven": true, "eight": true, "nine": true, "ten": true, "eleven": true, "twelve": true,
	"twenty": true, "thirty": true, "forty": true, "fifty": true, "hundred": true, "hundreds": true,
	"thousand": true, "thousands": true, "million": true, "millions": true, "billion": true,
	"billions": true, "percent": true, "dozen": true, "dozens": true, "half": true}

var timeWords = map[string]bool{"january": true, "february": true, "march": true, "april": true,
	"may": true, "june": true, "july": true, "august": true, "september": true, "october": true,
	"november": true, "december": true, "spring": true, "summer": true, "autumn": true, "fall": true,
	"winter": true, "year": true, "years": true, "month": true, "months": true, "week": true,
	"weeks": true, "today": true, "tomorrow": true, "yesterday": true, "decade": true,
	"decades": true, "monday": true, "tuesday": true, "wednesday": true, "thursday": true,
	"friday": true, "saturday": true, "sunday": true, "date": true, "postponed": true,
	// Times of day and spans counted in days or hours answer "when" too ("by Thursday
	// evening", "within ten days", "from 6 a.m.").
	"day": true, "days": true, "hour": true, "hours": true, "weekend": true, "weekends": true,
	"tonight": true, "morning": true, "mornings": true, "afternoon": true, "evening": true,
	"evenings": true, "midnight": true, "noon": true, "midday": true, "overnight": true,
	"fortnight": true, "night": true, "nights": true, "a.m.": true, "p.m.": true, "a.m": true, "p.m": true}

// months and weekdays name a day with a day's number ("May 28", "13 April") or alone.
var months = map[string]bool{"january": true, "february": true, "march": true, "april": true,
	"may": true, "june": true, "july": true, "august": true, "september": true, "october": true,
	"november": true, "december": true}

var weekdays = map[string]bool{"monday": true, "tuesday": true, "wednesday": true,
	"thursday": true, "friday": true, "saturday": true, "sunday": true}

// monthAt reports whether word i of text names a month.
func monthAt(ws []rawWord, text string, i int) bool {
	return i >= 0 && i < len(ws) && months[strings.ToLower(text[ws[i].start:ws[i].end])]
}

// dayNumber reports whether word i of text is a day of the month: 1 to 31, or 1st to 31st.
func dayNumber(ws []rawWord, text string, i int) bool {
	if i < 0 || i >= len(ws) {
		return false
	}
	w := strings.ToLower(text[ws[i].start:ws[i].end])
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		w = strings.TrimSuffix(w, suf)
	}
	if !isNumber(w) || len(w) > 2 {
		return false
	}
	n, _ := strconv.Atoi(w)
	return n >= 1 && n <= 31
}

var personWords = map[string]bool{"leader": true, "leaders": true, "president": true,
	"minister": true, "ministers": true, "head": true, "heads": true, "chairman": true,
	"secretary-general": true, "director": true, "staff": true, "specialists": true,
	"experts": true, "delegation": true, "delegations": true}
