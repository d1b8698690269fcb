package matcher

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"transcriptbot/transcript"
)

// The index's storage: compact records, tables laid end to end with offsets, and the tables
// every matcher of a language shares. An archive holds thousands of matchers, so every byte
// a posting, a sentence or an occurrence takes counts a million times over.

// posting is one entry containing a term, with the term's precomputed BM25F score there:
// 12 bytes, since an archive holds millions of them.
type posting struct {
	doc   int32
	score float32
	// sent locates, in Matcher.sentIdx, the indexes of the answer sentences the term occurs
	// in (ascending; they end where the next posting's begin), and its top bit is set when
	// the term occurs in the question or an alternate.
	sent uint32
}

const inQuestionBit = 1 << 31

// inQuestion reports whether the term occurs in the entry's question or an alternate.
func (p *posting) inQuestion() bool { return p.sent&inQuestionBit != 0 }

// sentences returns the answer sentences the term of posting k (an index into m.post)
// occurs in.
func (m *Matcher) sentences(k uint32) []uint16 {
	end := uint32(len(m.sentIdx))
	if k+1 < uint32(len(m.post)) {
		end = m.post[k+1].sent &^ inQuestionBit
	}
	return m.sentIdx[m.post[k].sent&^inQuestionBit : end]
}

// occurrence is a matched term's byte span in a sentence, from the sentence's start: 8
// bytes, as an archive holds millions. A sentence longer than 64 KB has its occurrences in
// Matcher.wideOcc instead (sentence.wide).
type occurrence struct {
	term       int32
	start, end uint16
}

// wideOccurrence is an occurrence in a sentence longer than 64 KB.
type wideOccurrence struct {
	term       int32
	start, end int32
}

// sentence is an answer sentence with its place in Entry.Answer() and its terms: 28 bytes,
// as an archive holds millions.
type sentence struct {
	off, end       int32 // byte span in the answer text
	runeOff, runes int32 // rune offset in the answer text, rune length
	// occ0 and occ1 locate the sentence's matched terms in Matcher.occ.
	// wide: occ0 and occ1 locate them in Matcher.wideOcc instead.
	occ0, occ1 uint32
	wide       bool
	types      uint8 // kinds of fact the sentence holds (typesOf)
}

// phrase is an entry of Matcher.phrases.
type phrase struct {
	groups []int32
	// names are the groups of the acronyms (acronyms.go) whose name these words are: found
	// in the transcript while it is indexed, never in a query, where each word of the name
	// stays a concept of its own.
	names  []int32
	prefix bool // some longer member starts with these words
}

// weightedTerm is one component of a question's TF-IDF vector: its term and how often the
// question and alternates have it (weight gives its weight).
type weightedTerm struct {
	term int32
	tf   float32
}

// weight returns x's TF-IDF weight: (1 + ln tf) x IDF.
func (m *Matcher) weight(x weightedTerm) float64 {
	return (1 + math.Log(float64(x.tf))) * m.idfOf(x.term)
}

// Tables every matcher of a language has alike, kept once per process: an archive holds
// thousands of matchers.
var (
	// commonEnglishSet is the set of commonEnglish.
	commonEnglishSet = sync.OnceValue(func() map[string]bool {
		set := make(map[string]bool, len(commonEnglish))
		for _, w := range commonEnglish {
			set[w] = true
		}
		return set
	})
	// commonEnglishStems are the stems of commonEnglish: every inflection of an everyday
	// word is everyday too ("meaning" for "mean"), whether or not the transcript has the
	// word (cross-validated log-loss 0.2431 -> 0.2420 against keeping only those it lacks).
	commonEnglishStems = sync.OnceValue(func() map[string]bool {
		set := map[string]bool{}
		for _, w := range commonEnglish {
			if st := englishStem(w, true); st != "" {
				set[st] = true
			}
		}
		return set
	})
	// builtinPhrases holds Matcher.phrases of the built-in synonym groups alone, by
	// language ("\x00none" added without them).
	builtinPhrases sync.Map
)

// sentsOf returns the answer sentences of entry d.
func (m *Matcher) sentsOf(d int) []sentence { return m.sent[m.sentOff[d]:m.sentOff[d+1]] }

// qvecOf returns the TF-IDF vector of entry d's question and alternates.
func (m *Matcher) qvecOf(d int) []weightedTerm { return m.qvec[m.qoff[d]:m.qoff[d+1]] }

// postingsOf returns the posting list of term t.
func (m *Matcher) postingsOf(t int32) []posting { return m.post[m.postOff[t]:m.postOff[t+1]] }

// idfOf returns the IDF of term t: that of the number of entries it is found in.
func (m *Matcher) idfOf(t int32) float64 { return m.idfByDF[m.postOff[t+1]-m.postOff[t]] }

// eachOcc calls fn with each matched term of a sentence and its byte span in the answer.
func (m *Matcher) eachOcc(s *sentence, fn func(term int32, start, end int)) {
	off := int(s.off)
	if s.wide {
		for _, o := range m.wideOcc[s.occ0:s.occ1] {
			fn(o.term, off+int(o.start), off+int(o.end))
		}
		return
	}
	for _, o := range m.occ[s.occ0:s.occ1] {
		fn(o.term, off+int(o.start), off+int(o.end))
	}
}

// answerText returns Entry.Answer()[start:end] of entry d without joining the whole answer:
// a slice of one paragraph when the span lies in one.
func (m *Matcher) answerText(d, start, end int) string {
	ps := m.t.Entries[d].Paragraphs
	off := 0
	for _, p := range ps {
		if start >= off && end <= off+len(p) {
			return p[start-off : end-off]
		}
		off += len(p) + 2
	}
	if j := m.joinedAnswer(d); j != "" {
		return j[start:end]
	}
	var b strings.Builder
	b.Grow(end - start)
	off = 0
	add := func(piece string) {
		if lo, hi := max(start, off), min(end, off+len(piece)); lo < hi {
			b.WriteString(piece[lo-off : hi-off])
		}
		off += len(piece)
	}
	for i, p := range ps {
		if i > 0 {
			add("\n\n")
		}
		add(p)
	}
	return b.String()
}

// stemTerm returns the term of stem.
func (m *Matcher) stemTerm(stem string) (int32, bool) {
	id, ok := m.dict.stemID(stem)
	if !ok {
		return 0, false
	}
	return m.stemIDTerm(id)
}

// stemIDTerm returns the term of the stem with dictionary id id.
func (m *Matcher) stemIDTerm(id uint32) (int32, bool) {
	k, ok := slices.BinarySearch(m.stemKeys, id)
	if !ok {
		return 0, false
	}
	return int32(m.stemTerms[k]), true
}

// termKey returns the stem of term t ("" for a synonym group's term). It looks for the term
// among all the stems' (queries need it seldom: a word made of two transcript words).
func (m *Matcher) termKey(t int32) string {
	k := slices.Index(m.stemTerms, uint32(t))
	if k < 0 {
		return ""
	}
	var s string
	m.dict.read(func(_ []dictWord, stems []string) { s = stems[m.stemKeys[k]] })
	return s
}

// vocabTerm returns the term of a lower-cased word of the transcript.
func (m *Matcher) vocabTerm(w string) (int32, bool) { return m.typo.word(w) }

// storeVocabulary adds the words an met while New indexed t to the dictionary and keeps
// their ids: the stems' terms (stemKeys, stemTerms) and the vocabulary's spelling index. It
// also makes the matcher's other arrays of 4-byte values (postOff, sentOff, qoff), in the
// same allocation. df is each term's document frequency.
func (m *Matcher) storeVocabulary(t *transcript.Transcript, an *Analyzer, df []int) {
	n := len(t.Entries)
	// The words stemmed while indexing go into the dictionary. The surface forms of the
	// vocabulary are those whose stems are transcript terms; the terms are found by stem id.
	var vocab []uint32
	stems := make([]string, 0, len(m.terms))
	stemTerm := make([]int32, 0, len(m.terms))
	for k, id := range m.terms {
		if k != "" && k[0] == 0 {
			continue // a synonym group
		}
		stems = append(stems, k)
		stemTerm = append(stemTerm, id)
	}
	type stemPair struct {
		stem uint32
		term int32
	}
	pairs := make([]stemPair, len(stems))
	m.dict.add(an.memo, stems, func(w string, id uint32) {
		if t, ok := m.terms[an.memo[w]]; ok && df[t] > 0 {
			vocab = append(vocab, id)
		}
	}, func(i int, id uint32) {
		pairs[i] = stemPair{id, stemTerm[i]}
	})
	slices.SortFunc(pairs, func(a, b stemPair) int { return cmp.Compare(a.stem, b.stem) })
	// The matcher's arrays of 4-byte values, which New makes last, share one allocation:
	// made apart, each would be a small object in a span the build's garbage shares, and
	// the span would stay resident, mostly unused, once that garbage is collected.
	blk := make([]uint32, m.nTerms+1+2*len(pairs)+2*len(vocab)+2*(n+1))
	carve := func(n int) []uint32 {
		part := blk[:n:n]
		blk = blk[n:]
		return part
	}
	m.postOff = carve(m.nTerms + 1)
	m.sentOff, m.qoff = carve(n+1), carve(n+1)
	for d := range t.Entries {
		m.sentOff[d+1] = m.sentOff[d] + uint32(len(t.Entries[d].Sentences))
	}
	m.stemKeys, m.stemTerms = carve(len(pairs)), carve(len(pairs))
	for i, p := range pairs {
		m.stemKeys[i], m.stemTerms[i] = p.stem, uint32(p.term)
	}
	m.typo = newTypoIndex(m.dict, vocab, carve(len(vocab)), carve(len(vocab)), m.stemKeys, m.stemTerms)
}

// Joined answers: an excerpt that spans paragraphs is a slice of its answer's paragraphs
// joined by blank lines. The transcript keeps the paragraphs apart and an archive holds no
// joined copy of its answers; a matcher joins an answer the first time an excerpt spans its
// paragraphs and keeps it, so that later excerpts of the answer are substrings rather than
// a fresh copy each (the bulk of what answering a query allocates). The joined answers of
// all matchers together are held to maxJoinedBytes; past it, excerpts are copied.
var maxJoinedBytes int64 = 8 << 20

// joinedBytes is the size of the joined answers that live matchers hold.
var joinedBytes atomic.Int64

// joinedAnswers holds a matcher's joined answers, made with the first one.
type joinedAnswers struct {
	texts []atomic.Pointer[string] // by entry
	bytes atomic.Int64             // their size, returned to joinedBytes with the matcher
}

// joinedAnswer returns entry d's answer with its paragraphs joined by blank lines, or ""
// when the joined answers of all matchers have reached maxJoinedBytes.
func (m *Matcher) joinedAnswer(d int) string {
	ja := m.joined.Load()
	if ja == nil {
		ja = &joinedAnswers{texts: make([]atomic.Pointer[string], len(m.t.Entries))}
		if !m.joined.CompareAndSwap(nil, ja) {
			ja = m.joined.Load()
		} else {
			runtime.AddCleanup(m, func(ja *joinedAnswers) { joinedBytes.Add(-ja.bytes.Load()) }, ja)
		}
	}
	if p := ja.texts[d].Load(); p != nil {
		return *p
	}
	ps := m.t.Entries[d].Paragraphs
	n := int64(2 * (len(ps) - 1))
	for _, p := range ps {
		n += int64(len(p))
	}
	if joinedBytes.Add(n) > maxJoinedBytes {
		joinedBytes.Add(-n)
		return ""
	}
	text := strings.Join(ps, "\n\n")
	if !ja.texts[d].CompareAndSwap(nil, &text) {
		joinedBytes.Add(-n) // another query joined it first
		return *ja.texts[d].Load()
	}
	ja.bytes.Add(n)
	return text
}
