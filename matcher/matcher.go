// Package matcher maps a user's message to the closest question of a transcript, and decides
// whether that question really answers it.
//
// # How a query is scored
//
// Questions, operator alternates and answers are analysed (Analyzer: Unicode words in
// normalisation form C, stop words and chat fillers dropped, snowball stems in the chosen
// language) and indexed as three fields of each entry, scored with BM25F: the question weighs
// 3, alternates 2.5, the answer 1 (2/2/1, 4/3/1 and 1.5/1.5/1 measured within noise of these).
// Synonym groups (the transcript's own and, unless disabled, transcript.BuiltinSynonyms) are
// indexed as one extra term per group wherever a member phrase occurs, so "United Nations"
// finds "UN"; a query's member matches only through its group, so "attend" finds "take part"
// as well as "attended". The acronyms of the transcript's names are groups too (acronyms.go):
// "CAA" finds "Civil Aviation Authority", though the name in a query is read word by word.
// In a dated English transcript "this year", "last year" and "next
// year" are indexed as the years they name too (years.go). A query word the transcript lacks
// may be two transcript words run together ("hongkong"), a misspelling (corrected to the
// nearest transcript words: one edit for words of 5-8 letters, two for longer, through a
// deletion-neighbourhood index over the words of the Dictionary, narrowed to the transcript's
// own; a correction that changes the first letter counts half, as people seldom mistype it), a
// word of the same family with another derivational ending ("terrorists" for "terrorism"; and,
// in English, WordNet's derived forms, package internal/lexicon, also at half weight for words
// the transcript has), or the start of transcript words ("cyber"); failing all that, a
// misspelt stop word ("goign", "shoud") is dropped. A word of the transcript's title (the
// event, the speaker) that no entry has is skipped. The words New meets, with their stems, go
// into the matcher's Dictionary, so a query calls snowball only for words it does not contain;
// an archive shares one Dictionary among the transcripts of a language (Options.Dictionary).
// The last few thousand query words' analysis (normal form, stop word, stem) and the
// alternatives found for words the transcript lacks are cached, a word at a time (never a
// whole query or answer), since a chat's words recur (package internal/wordcache:
// the cache of a fact that depends on the matcher or dictionary keeps each with its id).
//
// Each query word, or synonym phrase, is a concept weighted by its rarity in the transcript
// (IDF), everyday words ("time", "good", "homework") at half weight. The ranking score of an
// entry, in [0,1], is the product of presence (the share of the query's weight the transcript
// knows at all: a word absent from the transcript counts against it as much as the most
// specific transcript word, an everyday one a tenth, a capitalised name 1.5 times, a
// lower-case word no English word list has 0.3), evidence (the matched weight against half
// that of one rare word, capped at 1) and match (0.6 x coverage + 0.4 x passage: the share of
// the query's weight found in the question and one window of two answer sentences). When the
// query opens a clause with who, where, when or how many (or names the kind of fact: "which
// city", "what exact date", "what budget"), an entry whose passage holds no name, date or
// number scores 0.7 of that; a question for a date or a day wants a day ("May 28"), and a
// year or the day of a date is no count.
//
// For the embedded transcript, the ranking also knows how people ask for each of its
// questions: a naive Bayes model learned from the labelled queries of its fit sets scales each
// candidate's confidence by its posterior against the most probable question's, and its
// out-of-scope posterior is a decision feature (learned.go). Operators' transcripts, which
// have no labelled queries, are ranked by their words alone (as is the embedded one with
// Options.WordsOnly), their best four then re-ranked by a conditional logit fitted on the
// other briefings' labelled queries: the score's logarithm plus weighted coverage, passage,
// evidence, kind of fact missing, question share and the share of the query's pairs of words
// in a row that the question says too (rerank.go, phrase.go).
//
// # Deciding: answer, menu or "not covered"
//
// Ranking orders the entries; whether the best one answers the query is decided by a
// logistic model over features of the query and its best entry (decision.go: the ranking's
// shares and evidence, the words the transcript lacks by kind, whether the kind of fact asked
// is missing, and the focus words right after a question word that the transcript lacks, as
// "budget" in "what is the annual budget of ..."), fitted on the
// pooled labelled sets in testdata with cross-validation (fit_test.go:
// go test ./matcher -run TestRefitDecision -refit). There are two fits: one on the sets about
// the embedded transcript alone, which decides for it (EmbeddedThreshold), and one on every
// briefing's sets, which decides for any other transcript (DefaultThreshold); see
// decisionFor. Match.Confidence is the model's probability that the best entry is right;
// Match answers from the model's threshold and abstains (Number 0) below it: for the general
// model the lowest probability at which 92% of its cross-validated answers are right; for the
// embedded transcript's, the one at which its cross-validated figures are furthest inside
// every one of issue 10's targets (fit_test.go: chooseEmbeddedThreshold). It reports Ambiguous, for a menu, only when the runner-up is genuinely tied (97%
// of the best's score); otherwise the runner-ups are Alternatives ("Other matches").
//
// # Measured
//
// Accuracy is measured through the bot core by package bot/evaluate (transcriptbot eval) and,
// cross-validated, by TestRefitDecision; the README gives both for every labelled set. Speed
// on the default transcript: go test ./matcher -run X -bench MatchEach -cpu 1 -benchtime
// 2000x (the median of the per-query results); on a generated transcript of 10,000 entries:
// -bench 'New10k|Match10k'.
package matcher

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"transcriptbot/matcher/internal/foreign"
	"transcriptbot/matcher/internal/lexicon"
	"transcriptbot/transcript"
)

// DefaultThreshold is the confidence below which Match abstains on a transcript other than
// the embedded one: the general decision model's probability that its best entry is right,
// at the threshold fitted with it (decision.go). The embedded transcript has a decision model
// and threshold of its own, EmbeddedThreshold. DefaultThresholdFor gives the one for a
// transcript.
const DefaultThreshold = generalThreshold

// EmbeddedThreshold is the confidence below which Match abstains on the embedded transcript,
// with the decision model fitted on the labelled queries about it (decision.go).
const EmbeddedThreshold = embeddedThreshold

// DefaultThresholdFor returns the threshold a matcher of t in language lang (as
// Options.Language) uses when Options.Threshold is 0.
func DefaultThresholdFor(t *transcript.Transcript, lang string) float64 {
	return decisionFor(t, languageName(lang)).threshold
}

// DefaultBudget is the default excerpt length budget in characters (runes).
const DefaultBudget = 500

// Options configure New. The zero value is valid: English, built-in synonyms, the threshold
// fitted for the transcript (DefaultThresholdFor).
type Options struct {
	// Language is a snowball language: "english" (default), "spanish", "french", "russian",
	// "swedish", "norwegian", "hungarian".
	Language string
	// Threshold overrides the fitted threshold (DefaultThresholdFor) when > 0.
	Threshold float64
	// NoBuiltinSynonyms drops transcript.BuiltinSynonyms; the transcript's own are always used.
	NoBuiltinSynonyms bool
	// Dictionary, when set, is where the matcher keeps its words, their stems and the
	// spelling index over them, shared with the other matchers built with it (an archive's
	// briefings of one language); its language must be Language. Nil: a dictionary of the
	// matcher's own. The answers are the same either way.
	Dictionary *Dictionary
	// WordsOnly ranks and decides the embedded transcript as any other: by the query's words
	// alone, without its learned phrasings (learned.go), with the general decision model.
	// For comparisons, and for tests about what the words do.
	WordsOnly bool
}

// BM25F parameters: k1 saturates repeated terms; per field weight and length normalisation.
const (
	k1 = 1.2
	// idealTF is the weighted, normalised term frequency a concept must reach to count as
	// fully covered: about one mention in the question, or several in the answer.
	idealTF = 3.0
)

const (
	fieldQuestion = iota
	fieldAlternates
	fieldAnswer
	nFields
)

var (
	fieldWeight = [nFields]float64{3.0, 2.5, 1.0}
	fieldB      = [nFields]float64{0.3, 0.3, 0.75}
)

// Matcher is an immutable index over one transcript, safe for concurrent use.
type Matcher struct {
	t         *transcript.Transcript
	threshold float64
	// decision is the decision model for the transcript (decisionFor).
	decision *decisionModel
	// learned is the model of how people ask for each entry, or nil (learnedFor).
	learned *learnedModel
	an      *Analyzer

	// terms maps a stem, or "\x00" + group index for a synonym group, to its term while New
	// runs; after, the stems' terms are found through the dictionary: stemKeys are the
	// dictionary ids of the terms' stems, ascending, and stemTerms their terms.
	terms     map[string]int32
	dict      *Dictionary
	stemKeys  []uint32
	stemTerms []uint32
	nTerms    int
	// post holds the posting lists end to end: term t's is post[postOff[t]:postOff[t+1]]
	// (postingsOf), sorted by entry.
	post    []posting
	postOff []uint32
	sentIdx []uint16 // the postings' sentence indexes, end to end (posting.sent0)
	// idfByDF is the IDF of a term found in df entries, by df (idfOf).
	idfByDF []float64
	// phrases maps the stems of a synonym member, joined by "\x1f", to its group terms;
	// the proper prefixes of members map to an entry without groups, so a scan can stop
	// as soon as no member can start the way the text does.
	phrases   map[string]phrase
	maxPhrase int
	typo      *typoIndex
	common    map[string]bool // everyday words
	// commonStems are the stems of everyday words, so that their inflections count as
	// everyday too.
	commonStems map[string]bool
	// titleStems are the stems of the transcript's title: the event and its speaker, which
	// a query may name ("what did Norov say") without saying anything about the topic.
	titleStems map[string]bool
	// acronyms maps the acronyms of the transcript's names (acronyms.go), in capitals, to
	// their groups' terms: a query word typed with two capitals or more finds its name.
	acronyms map[string]int32
	// rangeYears maps a year the transcript names only as an end of year ranges to the
	// years at their other ends (see rangeOnlyYears).
	rangeYears map[string][]string
	// namedPairs are two words the transcript writes as a name, the second an everyday word
	// ("SCO Day", "General Assembly"): their stems. In a query the pair
	// names that thing, so its everyday word is no everyday word there ("when is sco day").
	namedPairs map[namedPair]bool
	// pairs are the keys of the pairs of words in a row of each entry's question, sorted
	// (phrase.go).
	pairs   []uint64
	idfRare float64 // IDF of a term found in one entry
	// sent holds the answer sentences end to end, entry d's at sent[sentOff[d]:sentOff[d+1]]
	// (sentsOf).
	sent    []sentence
	sentOff []uint32
	occ     []occurrence     // the sentences' terms, end to end (sentence.occ0)
	wideOcc []wideOccurrence // those of sentences longer than 64 KB
	// qvec holds the TF-IDF vectors of the entries' questions with their alternates, for
	// Similarity, end to end (qvecOf), each sorted by term.
	qvec []weightedTerm
	qoff []uint32
	pool sync.Pool
	// joined holds the answers joined for excerpts (joinedAnswer).
	joined atomic.Pointer[joinedAnswers]
	// id tells this matcher's cached query words from other matchers' (wordAltsCache).
	id uint64
}

// New builds the index. It returns an error for an unknown language or a threshold above 1.
func New(t *transcript.Transcript, opts Options) (*Matcher, error) {
	base, err := NewAnalyzer(opts.Language)
	if err != nil {
		return nil, err
	}
	m := &Matcher{
		id:      matcherIDs.Add(1),
		t:       t,
		terms:   map[string]int32{},
		phrases: map[string]phrase{},
	}
	if opts.Threshold > 1 || math.IsNaN(opts.Threshold) {
		return nil, fmt.Errorf("threshold %v out of range: want a confidence in (0, 1], or 0 for the default", opts.Threshold)
	}
	m.decision = decisionFor(t, base.lang)
	m.learned = learnedFor(t, base.lang)
	if base.lang == "english" {
		foreign.Load() // read the foreign word lists now, not on a user's first query
	}
	if opts.WordsOnly {
		m.decision, m.learned = &generalDecision, nil
	}
	m.threshold = m.decision.threshold
	if opts.Threshold > 0 {
		m.threshold = opts.Threshold
	}
	dict := opts.Dictionary
	if dict == nil {
		if dict, err = NewDictionary(base.lang); err != nil {
			return nil, err
		}
	} else if err := dict.checkLanguage(base.lang); err != nil {
		return nil, err
	}
	m.dict = dict
	an := base.learner(dict)
	m.an = an
	// Synonym groups: each gets a term; each member phrase maps to it.
	var groups [][]string
	if !opts.NoBuiltinSynonyms {
		groups = transcript.BuiltinSynonyms()
	}
	groups = append(groups, t.Synonyms...)
	var tbuf []token
	for gi, g := range groups {
		id := m.termID("\x00" + itoa(gi))
		for _, member := range g {
			if tbuf = an.tokens(member, tbuf[:0]); len(tbuf) > 0 {
				m.addPhrase(tbuf, id, false)
			}
		}
	}
	// The acronyms of the transcript's names: groups too, numbered after the others.
	titleStems := m.titleStemsOf(t, base)
	acronyms := acronymGroups(t, an, groups, titleStems)
	m.addAcronyms(an, acronyms, len(groups))
	if len(t.Synonyms) == 0 && len(acronyms) == 0 {
		// The built-in groups alone: the same table for every transcript of the language,
		// kept once (the members were analysed all the same, so their words are in the memo).
		key := an.lang
		if opts.NoBuiltinSynonyms {
			key += "\x00none"
		}
		shared, _ := builtinPhrases.LoadOrStore(key, m.phrases)
		m.phrases = shared.(map[string]phrase)
	}
	if an.lang == "english" {
		m.common = commonEnglishSet()
		// The general-English tables are read in place; Load checks them once per
		// process, so that a broken build fails here rather than matching without them.
		if err := lexicon.Load(); err != nil {
			return nil, fmt.Errorf("load the English lexicon: %w", err)
		}
	}
	// The year a dated English transcript calls "this year" (see addYears).
	year := 0
	if !t.Date.IsZero() && an.lang == "english" {
		year = t.Date.Year()
	}
	n := len(t.Entries)
	// Per-entry term statistics, gathered in a dense accumulator indexed by term id.
	type stat struct {
		term  int32
		tf    [nFields]float32
		sents []uint16
	}
	var (
		acc     []int32 // term -> index+1 into cur while an entry is read
		cur     []stat
		entries = make([][]stat, n)
		lens    = make([][nFields]float64, n)
		sum     [nFields]float64
	)
	var occBuf []wideOccurrence
	nSents := 0
	for d := range t.Entries {
		nSents += len(t.Entries[d].Sentences)
	}
	m.sent = make([]sentence, nSents)
	allSents := m.sent
	for d := range t.Entries {
		e := &t.Entries[d]
		cur = cur[:0]
		add := func(f int, text string, si int) {
			tbuf = an.tokens(text, tbuf[:0])
			if year > 0 {
				tbuf = addYears(text, tbuf, year)
			}
			lens[d][f] += float64(len(tbuf))
			m.scan(tbuf, func(term int32, i, j int) {
				for int(term) >= len(acc) {
					acc = append(acc, 0)
				}
				k := acc[term]
				if k == 0 {
					cur = append(cur, stat{term: term})
					k = int32(len(cur))
					acc[term] = k
				}
				st := &cur[k-1]
				st.tf[f]++
				if f == fieldAnswer {
					occBuf = append(occBuf, wideOccurrence{term: term, start: int32(tbuf[i].start), end: int32(tbuf[j].end)})
					s16 := uint16(min(si, math.MaxUint16))
					if l := st.sents; len(l) == 0 || l[len(l)-1] != s16 {
						st.sents = append(l, s16)
					}
				}
			})
		}
		add(fieldQuestion, WithoutAsker(e.Question), 0)
		for _, a := range e.Alternates {
			add(fieldAlternates, a, 0)
		}
		answer := e.Answer() // the matcher keeps offsets into it, not the text (answerText)
		paraOff := make([]int, len(e.Paragraphs))
		off := 0
		for i, p := range e.Paragraphs {
			paraOff[i] = off
			off += len(p) + 2
		}
		cursor, para := 0, -1
		sents := allSents[:0:len(e.Sentences)]
		allSents = allSents[len(e.Sentences):]
		for si, s := range e.Sentences {
			if s.Paragraph != para {
				para = s.Paragraph
				cursor = 0
			}
			p := e.Paragraphs[para]
			at := strings.Index(p[cursor:], s.Text)
			if at < 0 { // not a substring: fall back to the start of the paragraph
				at = 0
				cursor = 0
			}
			start := paraOff[para] + cursor + at
			cursor += at + len(s.Text)
			occBuf = occBuf[:0]
			add(fieldAnswer, s.Text, si)
			end := min(start+len(s.Text), len(answer))
			sent := sentence{off: int32(start), end: int32(end), types: typesOf(answer[start:end])}
			if len(s.Text) <= math.MaxUint16 {
				sent.occ0 = uint32(len(m.occ))
				for _, o := range occBuf {
					m.occ = append(m.occ, occurrence{term: o.term, start: uint16(o.start), end: uint16(o.end)})
				}
				sent.occ1 = uint32(len(m.occ))
			} else {
				sent.wide, sent.occ0 = true, uint32(len(m.wideOcc))
				m.wideOcc = append(m.wideOcc, occBuf...)
				sent.occ1 = uint32(len(m.wideOcc))
			}
			sents = append(sents, sent)
		}
		// Rune offsets of sentences.
		ro, last := 0, 0
		for i := range sents {
			s := &sents[i]
			ro += utf8.RuneCountInString(answer[last:s.off])
			s.runeOff = int32(ro)
			s.runes = int32(utf8.RuneCountInString(answer[s.off:s.end]))
			ro += int(s.runes)
			last = int(s.end)
		}
		for f := range nFields {
			sum[f] += lens[d][f]
		}
		entries[d] = append([]stat(nil), cur...)
		for _, st := range cur {
			acc[st.term] = 0
		}
	}
	var avg [nFields]float64
	for f := range nFields {
		if n > 0 {
			avg[f] = sum[f] / float64(n)
		}
	}
	m.nTerms = len(m.terms)
	df := make([]int, m.nTerms)
	for d := range n {
		for _, st := range entries[d] {
			df[st.term]++
		}
	}
	// The words go into the dictionary; the matcher keeps their ids.
	m.storeVocabulary(t, an, df)
	// The posting lists, the sentence indexes and the question vectors each share one
	// array: a few large allocations rather than thousands of small ones, which an archive
	// of many matchers would leave scattered among the build's garbage. The sentence
	// indexes are in the order of the postings, so each posting's end where the next's
	// begin; the first pass counts them.
	for term := range df {
		m.postOff[term+1] = m.postOff[term] + uint32(df[term])
	}
	m.post = make([]posting, m.postOff[m.nTerms])
	fill := slices.Clone(m.postOff[:m.nTerms]) // where each term's next posting goes
	for d := range n {
		for _, st := range entries[d] {
			m.post[fill[st.term]].sent = uint32(min(len(st.sents), math.MaxUint16))
			fill[st.term]++
		}
	}
	nSentIdx := uint32(0)
	for k := range m.post {
		nSentIdx, m.post[k].sent = nSentIdx+m.post[k].sent, nSentIdx
	}
	if nSentIdx >= inQuestionBit {
		return nil, fmt.Errorf("transcript too large: %d term-sentence pairs, at most %d", nSentIdx, inQuestionBit-1)
	}
	m.sentIdx = make([]uint16, nSentIdx)
	copy(fill, m.postOff[:m.nTerms])
	var qall []weightedTerm
	m.idfByDF = make([]float64, n+1)
	for df := range m.idfByDF {
		m.idfByDF[df] = idf(n, df)
	}
	m.idfRare = idf(n, 1)
	for d := range n {
		q0 := len(qall)
		for _, st := range entries[d] {
			var tfn float64
			for f := range nFields {
				if st.tf[f] == 0 || avg[f] == 0 {
					continue
				}
				tfn += fieldWeight[f] * float64(st.tf[f]) / (1 - fieldB[f] + fieldB[f]*lens[d][f]/avg[f])
			}
			s := m.idfOf(st.term) * tfn * (k1 + 1) / (k1 + tfn)
			q := float64(st.tf[fieldQuestion] + st.tf[fieldAlternates])
			// Entries are visited in order, so each posting list is sorted by entry.
			sents := st.sents[:min(len(st.sents), math.MaxUint16)]
			p := &m.post[fill[st.term]]
			fill[st.term]++
			copy(m.sentIdx[p.sent:], sents)
			p.doc, p.score = int32(d), float32(s)
			if q > 0 {
				p.sent |= inQuestionBit
				qall = append(qall, weightedTerm{st.term, float32(q)})
			}
		}
		slices.SortFunc(qall[q0:], func(a, b weightedTerm) int { return int(a.term) - int(b.term) })
		m.qoff[d+1] = uint32(len(qall))
	}
	m.qvec = slices.Clone(qall)
	an.finish()
	m.terms = nil
	// Exactly as long as they are: appending left up to half of each unused.
	m.occ, m.wideOcc = slices.Clone(m.occ), slices.Clone(m.wideOcc)
	if an.lang == "english" {
		m.commonStems = commonEnglishStems()
	}
	m.addQuestionPairs(t)
	m.namedPairs = map[namedPair]bool{}
	if an.lang == "english" {
		for d := range t.Entries {
			e := &t.Entries[d]
			m.addNamedPairs(e.Question)
			for _, p := range e.Paragraphs {
				m.addNamedPairs(p)
			}
		}
	}
	var texts []string
	for d := range t.Entries {
		e := &t.Entries[d]
		texts = append(append(append(texts, e.Question), e.Alternates...), e.Paragraphs...)
	}
	m.rangeYears = rangeOnlyYears(texts)
	m.titleStems = titleStems
	m.pool.New = func() any { return m.newScratch() }
	return m, nil
}

// addPhrase maps the phrase of tokens ts to synonym group id: where a query or the index has
// it (phrase.groups), or, with indexOnly, where the index has it alone (phrase.names).
func (m *Matcher) addPhrase(ts []token, id int32, indexOnly bool) {
	key := phraseKey(ts)
	p := m.phrases[key]
	if indexOnly && !containsTerm(p.names, id) {
		p.names = append(p.names, id)
	} else if !indexOnly && !containsTerm(p.groups, id) {
		p.groups = append(p.groups, id)
	}
	m.phrases[key] = p
	for k := 1; k < len(ts); k++ {
		pk := phraseKey(ts[:k])
		p := m.phrases[pk]
		p.prefix = true
		m.phrases[pk] = p
	}
	m.maxPhrase = max(m.maxPhrase, len(ts))
}

// Dictionary returns the dictionary the matcher keeps its words in.
func (m *Matcher) Dictionary() *Dictionary { return m.dict }

// Transcript returns the transcript the matcher was built on.
func (m *Matcher) Transcript() *transcript.Transcript { return m.t }

// Analyzer returns the text analysis the matcher uses (with the transcript's vocabulary
// memoised), for features that must see text the way the matcher does.
func (m *Matcher) Analyzer() *Analyzer { return m.an }

// Threshold returns the confidence below which Match abstains.
func (m *Matcher) Threshold() float64 { return m.threshold }

// Learned reports whether the matcher ranks with learned phrasings (learned.go): the
// embedded transcript's, unless Options.WordsOnly.
func (m *Matcher) Learned() bool { return m.learned != nil }

// Match is the outcome of matching one query.
type Match struct {
	// Number is the best entry's number, or 0 when the matcher abstains ("not in the transcript").
	Number int
	// Confidence in [0,1], comparable across queries: the decision model's probability that
	// the best entry answers the query. Set even when abstaining.
	Confidence float64
	// Ambiguous is true when the top two candidates are too close to call.
	Ambiguous bool
	// Terms are the query words (as typed) that matched the best entry.
	Terms []string
	// Alternatives are up to 3 next-best entries (when abstaining: the nearest questions,
	// starting with the top candidate).
	Alternatives []Alternative
	// Excerpt of the best entry's answer (zero when abstaining).
	Excerpt Excerpt
	// Unread counts the query's content words the matcher could not read at all, and Read
	// the others: a word is unread when the transcript lacks it (as typed, corrected, split
	// or as a cognate), it is no everyday or English word, number or name, and the foreign
	// word lists lack it, as a word of another language may ("zayıflatır", "członków").
	// English transcripts only (Unread is 0 for others). A reply that abstains on a query
	// mostly unread can say it could not read it, rather than that the transcript does not
	// cover it.
	Unread, Read int
}

// Alternative is a runner-up entry.
type Alternative struct {
	Number int
	// Confidence: in Match, the best entry's Confidence scaled by this entry's ranking score
	// against the best one's; in Rank, the ranking score itself, in [0,1].
	Confidence float64
}

// Excerpt is a span of whole sentences of an answer, with the positions of matched terms.
type Excerpt struct {
	Text       string
	Highlights []Highlight // sorted, non-overlapping, byte offsets into Text on rune/word boundaries
}

// Highlight marks Text[Start:End] as a matched term.
type Highlight struct{ Start, End int }

// alternativeShare: a runner-up is offered as an alternative to an answer only when its
// confidence is at least this share of the answer's.
const alternativeShare = 0.2

// ambiguityRatio: the runner-up is too close to call, and Match offers a menu, when both its
// confidence and its summed score are at least this share of the best one's.
const ambiguityRatio = 0.97

// questionTie: two entries tied on score are told apart by how much of the query their
// questions hold (a query that is question 5 almost word for word is not a tie with an entry
// that matches it in its answer); they are tied only when these shares are this close.
const questionTie = 0.1

// Match matches query and returns the result; budget is the excerpt length in runes
// (<= 0 means DefaultBudget). It never panics on any input.
func (m *Matcher) Match(query string, budget int) Match { return m.match(query, budget, true) }

// MatchPlain is Match for a caller that shows the excerpt as plain text: the excerpt's
// Highlights are left nil, and not marked.
func (m *Matcher) MatchPlain(query string, budget int) Match { return m.match(query, budget, false) }

// match is Match, with the excerpt's highlights when marks is set.
func (m *Matcher) match(query string, budget int, marks bool) Match {
	if budget <= 0 {
		budget = DefaultBudget
	}
	query = prepare(query)
	s := m.pool.Get().(*scratch)
	defer m.pool.Put(s)
	m.analyse(s, query)
	top := m.score(s, 4)
	var res Match
	res.Unread, res.Read = s.unread, m.contentWords(s)-s.unread
	if len(top) == 0 {
		return res
	}
	best := top[0]
	p := m.decision.probability(m.decisionFeatures(s, top))
	res.Confidence = p
	// A runner-up's confidence is the best one's, scaled by their ranking scores.
	conf := func(c candidate) float64 {
		if c.doc == best.doc {
			return p
		}
		if best.conf <= 0 {
			return 0
		}
		return p * c.conf / best.conf
	}
	// At most 3 alternatives (top holds 4): one allocation for them, made with the first.
	addAlt := func(c candidate) {
		if res.Alternatives == nil {
			res.Alternatives = make([]Alternative, 0, 3)
		}
		res.Alternatives = append(res.Alternatives, Alternative{Number: int(c.doc) + 1, Confidence: conf(c)})
	}
	if p < m.threshold {
		for _, c := range top[:min(3, len(top))] {
			addAlt(c)
		}
		return res
	}
	res.Number = int(best.doc) + 1
	for _, c := range top[1:] {
		if c.conf < alternativeShare*best.conf {
			break
		}
		addAlt(c)
	}
	if len(top) > 1 && top[1].conf >= ambiguityRatio*best.conf && top[1].raw >= ambiguityRatio*best.raw &&
		top[1].question >= best.question-questionTie {
		res.Ambiguous = true
	}
	res.Terms = m.matchedWords(s, query, best.doc)
	res.Excerpt = m.excerpt(s, int(best.doc), budget, marks)
	return res
}

// Excerpt returns the excerpt of entry n's answer that best covers query within budget runes,
// or the full answer with highlights when budget is < 0 (0 means DefaultBudget). ok is false
// when n is out of range.
func (m *Matcher) Excerpt(n int, query string, budget int) (ex Excerpt, ok bool) {
	if n < 1 || n > len(m.t.Entries) {
		return Excerpt{}, false
	}
	if budget == 0 {
		budget = DefaultBudget
	}
	query = prepare(query)
	s := m.pool.Get().(*scratch)
	defer m.pool.Put(s)
	m.analyse(s, query)
	return m.excerpt(s, n-1, budget, true), true
}

// Rank returns up to max entries ordered by relevance to query (no abstention), for
// suggestions such as inline mode and autocomplete. Entries that share nothing with the
// query are left out.
func (m *Matcher) Rank(query string, max int) []Alternative {
	if max <= 0 {
		return nil
	}
	query = prepare(query)
	s := m.pool.Get().(*scratch)
	defer m.pool.Put(s)
	m.analyse(s, query)
	top := m.score(s, max)
	out := make([]Alternative, len(top))
	for i, c := range top {
		out[i] = Alternative{Number: int(c.doc) + 1, Confidence: c.conf}
	}
	return out
}
