// Command gen builds the lexicon package's embedded tables from Debian's wordnet-base and
// scowl packages:
//
//	go generate ./matcher/internal/lexicon    # runs: go run ./gen
//	go run ./gen -wordnet DIR -scowl DIR -out DIR
//
// It writes wordnet.gz (the thesaurus: each single-word lemma's synonyms, derived forms,
// similar adjectives and hypernyms from its most frequent senses, plus WordNet's irregular
// inflections), scowl.gz (each word's smallest SCOWL size level as a general word, a name and
// an abbreviation) and variants.gz (British spellings paired with American ones). The output is deterministic, so a rerun on the same data changes
// nothing; the package's tests compare it with the committed files when the data is installed.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

func main() {
	wn := flag.String("wordnet", DefaultWordNet, "directory of the WordNet 3.0 database (data.noun, index.noun, cntlist.rev, ...)")
	sc := flag.String("scowl", DefaultSCOWL, "directory of the SCOWL word lists (english-words.10, ...)")
	maxLevel := flag.Int("max-level", DefaultMaxLevel, "largest SCOWL size level kept (10..95)")
	opt := DefaultOptions
	flag.IntVar(&opt.MaxSense, "max-sense", opt.MaxSense, "senses per word, most frequent first, whose synonyms, derived forms and similar adjectives are kept (1..9)")
	flag.IntVar(&opt.MaxHypernymSense, "max-hypernym-sense", opt.MaxHypernymSense, "the same for hypernyms (0..9)")
	out := flag.String("out", ".", "directory to write wordnet.gz and scowl.gz into")
	flag.Parse()
	if err := run(*wn, *sc, *maxLevel, opt, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// Where Debian's wordnet-base and scowl packages install their data.
const (
	DefaultWordNet = "/usr/share/wordnet"
	DefaultSCOWL   = "/usr/share/dict/scowl"
)

func run(wnDir, scowlDir string, maxLevel int, opt Options, outDir string) error {
	thes, err := Thesaurus(wnDir, opt)
	if err != nil {
		return err
	}
	words, err := WordLevels(scowlDir, maxLevel)
	if err != nil {
		return err
	}
	variants, err := Variants(scowlDir, maxLevel)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{"wordnet.gz", thes}, {"scowl.gz", words}, {"variants.gz", variants}} {
		if err := writeGzip(filepath.Join(outDir, f.name), f.data); err != nil {
			return err
		}
	}
	return nil
}

func writeGzip(path string, data []byte) error {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(data); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// Options bounds what the thesaurus keeps for each word.
type Options struct {
	// MaxSense is the number of a word's senses, most frequent first, per part of speech,
	// whose synonyms, derived forms and similar adjectives are kept.
	MaxSense int
	// MaxHypernymSense is the same bound for hypernyms (0 keeps none).
	MaxHypernymSense int
}

// DefaultOptions are the bounds the committed table was generated with.
var DefaultOptions = Options{MaxSense: 3, MaxHypernymSense: 1}

// Relation kinds, in the order of preference when a word is related to another in two ways.
// The numbers are the table's encoding and the lexicon package's Kind values.
const (
	kindSynonym  = 1
	kindDerived  = 2
	kindSimilar  = 3
	kindHypernym = 4
)

// thesaurusMagic is the first line of the thesaurus table, naming its format.
const thesaurusMagic = "lexicon thesaurus 1"

type pointer struct {
	sym    string
	target string // pos letter + offset, the key of synsets
	src    int    // 1-based word number in this synset, 0 for the whole synset
	dst    int    // 1-based word number in the target synset, 0 for the whole synset
}

type synset struct {
	ssType  byte // n v a s r
	lexFile int
	words   []string // as written in the data file, adjective markers stripped
	lexIDs  []int
	ptrs    []pointer
	count   int // sum of its words' sense tag counts
}

type wordnet struct {
	synsets map[string]*synset // key: pos letter (n v a r; satellites under a) + offset
	// index maps pos letter then lemma to its synset keys in WordNet's sense order.
	index map[byte]map[string][]string
	// counts maps a sense key to its tag count (cntlist.rev).
	counts map[string]int
	exc    map[string][]string // inflected form -> base forms (all parts of speech)
}

var posFiles = []struct {
	pos  byte
	name string
}{{'n', "noun"}, {'v', "verb"}, {'a', "adj"}, {'r', "adv"}}

func load(dir string) (*wordnet, error) {
	wn := &wordnet{
		synsets: map[string]*synset{},
		index:   map[byte]map[string][]string{},
		counts:  map[string]int{},
		exc:     map[string][]string{},
	}
	for _, pf := range posFiles {
		if err := eachLine(filepath.Join(dir, "data."+pf.name), func(line string, n int) error {
			return wn.parseData(pf.pos, line, n)
		}); err != nil {
			return nil, err
		}
		idx := map[string][]string{}
		wn.index[pf.pos] = idx
		if err := eachLine(filepath.Join(dir, "index."+pf.name), func(line string, n int) error {
			return parseIndex(pf.pos, idx, line, n)
		}); err != nil {
			return nil, err
		}
		if err := eachLine(filepath.Join(dir, pf.name+".exc"), func(line string, n int) error {
			f := strings.Fields(line)
			if len(f) < 2 {
				return fmt.Errorf("line %d: want an inflected form and its base forms", n)
			}
			wn.exc[f[0]] = append(wn.exc[f[0]], f[1:]...)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	if err := eachLine(filepath.Join(dir, "cntlist.rev"), func(line string, n int) error {
		f := strings.Fields(line)
		if len(f) != 3 {
			return fmt.Errorf("line %d: want sense key, sense number and tag count", n)
		}
		c, err := strconv.Atoi(f[2])
		if err != nil {
			return fmt.Errorf("line %d: tag count: %w", n, err)
		}
		wn.counts[f[0]] = c
		return nil
	}); err != nil {
		return nil, err
	}
	// Each synset's frequency: the sum of its words' tag counts, found by their sense keys.
	for _, s := range wn.synsets {
		for i := range s.words {
			s.count += wn.counts[wn.senseKey(s, i)]
		}
	}
	return wn, nil
}

func eachLine(path string, fn func(line string, n int) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "  ") { // the licence header
			continue
		}
		if err := fn(line, n); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func synsetKey(pos byte, offset string) string {
	if pos == 's' {
		pos = 'a'
	}
	return string(pos) + offset
}

// parseData reads a data.* line:
// offset lex_filenum ss_type w_cnt [word lex_id]... p_cnt [ptr_symbol offset pos src/dst]... | gloss
func (wn *wordnet) parseData(pos byte, line string, n int) error {
	if i := strings.Index(line, " | "); i >= 0 {
		line = line[:i]
	}
	f := strings.Fields(line)
	bad := func(what string) error { return fmt.Errorf("line %d: bad %s", n, what) }
	if len(f) < 4 {
		return bad("synset")
	}
	s := &synset{ssType: f[2][0]}
	var err error
	if s.lexFile, err = strconv.Atoi(f[1]); err != nil {
		return bad("lex_filenum")
	}
	wc, err := strconv.ParseInt(f[3], 16, 32)
	if err != nil || len(f) < 4+2*int(wc)+1 {
		return bad("w_cnt")
	}
	i := 4
	for range wc {
		w := f[i]
		if j := strings.IndexByte(w, '('); j > 0 { // adjective marker: (a), (p), (ip)
			w = w[:j]
		}
		id, err := strconv.ParseInt(f[i+1], 16, 32)
		if err != nil {
			return bad("lex_id")
		}
		s.words = append(s.words, w)
		s.lexIDs = append(s.lexIDs, int(id))
		i += 2
	}
	pc, err := strconv.Atoi(f[i])
	if err != nil || len(f) < i+1+4*pc {
		return bad("p_cnt")
	}
	i++
	for range pc {
		st := f[i+3]
		src, err1 := strconv.ParseInt(st[:2], 16, 32)
		dst, err2 := strconv.ParseInt(st[2:], 16, 32)
		if len(st) != 4 || err1 != nil || err2 != nil {
			return bad("source/target")
		}
		s.ptrs = append(s.ptrs, pointer{sym: f[i], target: synsetKey(f[i+2][0], f[i+1]), src: int(src), dst: int(dst)})
		i += 4
	}
	wn.synsets[synsetKey(pos, f[0])] = s
	return nil
}

// parseIndex reads an index.* line:
// lemma pos synset_cnt p_cnt [ptr_symbol]... sense_cnt tagsense_cnt synset_offset...
func parseIndex(pos byte, idx map[string][]string, line string, n int) error {
	f := strings.Fields(line)
	if len(f) < 6 {
		return fmt.Errorf("line %d: short index entry", n)
	}
	sc, err1 := strconv.Atoi(f[2])
	pc, err2 := strconv.Atoi(f[3])
	if err1 != nil || err2 != nil || len(f) != 4+pc+2+sc {
		return fmt.Errorf("line %d: bad index entry", n)
	}
	keys := make([]string, 0, sc)
	for _, off := range f[4+pc+2:] {
		keys = append(keys, synsetKey(pos, off))
	}
	idx[f[0]] = keys
	return nil
}

// senseKey builds WordNet's sense key of word i of s (see senseidx(5WN)):
// lemma%ss_type:lex_filenum:lex_id:head_word:head_id.
func (wn *wordnet) senseKey(s *synset, i int) string {
	ssNum := map[byte]int{'n': 1, 'v': 2, 'a': 3, 'r': 4, 's': 5}[s.ssType]
	head := ":"
	if s.ssType == 's' {
		for _, p := range s.ptrs {
			if p.sym == "&" {
				if h := wn.synsets[p.target]; h != nil && h.ssType == 'a' {
					head = fmt.Sprintf("%s:%02d", strings.ToLower(h.words[0]), h.lexIDs[0])
				}
				break
			}
		}
	}
	return fmt.Sprintf("%s%%%d:%02d:%02d:%s", strings.ToLower(s.words[i]), ssNum, s.lexFile, s.lexIDs[i], head)
}

// single reports whether a lemma is one plain word the matcher's tokeniser keeps whole:
// ASCII letters and digits, at least one letter.
func single(w string) bool {
	letter := false
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= 'a' && c <= 'z':
			letter = true
		case c >= '0' && c <= '9':
		default:
			return false
		}
	}
	return letter
}

type rel struct {
	kind byte
	rank int
}

// sense is one of a lemma's synsets with the tag counts that rank it.
type sense struct {
	s        *synset
	own, all int
	order    int
}

// senses returns the synsets of lemma in every part of speech, most frequent first: by the
// lemma's own tag count in the sense, then (for senses it was never tagged in, as with British
// spellings) by the synset's total tag count, then nouns, verbs, adjectives, adverbs in
// WordNet's order. Ranking across parts of speech keeps "doctor" the physician first and the
// verb (to falsify) after it.
func (wn *wordnet) senses(lemma string) []*synset {
	var ss []sense
	for _, pf := range posFiles {
		for _, k := range wn.index[pf.pos][lemma] {
			s := wn.synsets[k]
			if s == nil {
				continue
			}
			own := 0
			for i, w := range s.words {
				if strings.ToLower(w) == lemma {
					own = wn.counts[wn.senseKey(s, i)]
					break
				}
			}
			ss = append(ss, sense{s, own, s.count, len(ss)})
		}
	}
	sort.SliceStable(ss, func(i, j int) bool {
		if ss[i].own != ss[j].own {
			return ss[i].own > ss[j].own
		}
		return ss[i].all > ss[j].all
	})
	out := make([]*synset, len(ss))
	for i, s := range ss {
		out[i] = s.s
	}
	return out
}

// Thesaurus builds the thesaurus table:
//
//   - a line "lexicon thesaurus 1" (thesaurusMagic), then a line with the number of words in
//     the vocabulary, then the vocabulary, front-coded (see writeFrontCoded): every
//     single-word lemma with at least one relation and every word related to one, sorted;
//   - a line with the number of irregular inflections, then one line "form TAB base" for each
//     inflected form of WordNet's exception lists that has no entry of its own, base being the
//     vocabulary index of its first base form that has one;
//   - binary to the end: for each vocabulary word in order, a uvarint count of its relations
//     (0 for a word with no entry), then for each relation a byte kind<<4 | rank and the
//     uvarint vocabulary index of the related word. kind is 1 synonym, 2 derived form,
//     3 similar adjective, 4 hypernym; rank is the 1-based rank (1..9) of the lemma's sense the
//     relation comes from; relations are sorted by rank, kind and word.
func Thesaurus(dir string, opt Options) ([]byte, error) {
	wn, err := load(dir)
	if err != nil {
		return nil, err
	}
	if opt.MaxSense < 1 || opt.MaxSense > 9 || opt.MaxHypernymSense < 0 || opt.MaxHypernymSense > 9 {
		return nil, errors.New("sense bounds must be within 1..9 (0..9 for hypernyms)")
	}
	table := map[string]map[string]rel{}
	add := func(lemma, word string, kind byte, rank int) {
		word = strings.ToLower(word)
		if word == lemma || !single(word) {
			return
		}
		m := table[lemma]
		if m == nil {
			m = map[string]rel{}
			table[lemma] = m
		}
		old, ok := m[word]
		if !ok || rank < old.rank || rank == old.rank && kind < old.kind {
			m[word] = rel{kind, rank}
		}
	}
	lemmas := map[string]bool{}
	for _, pf := range posFiles {
		for lemma := range wn.index[pf.pos] {
			if single(lemma) {
				lemmas[lemma] = true
			}
		}
	}
	{
		for lemma := range lemmas {
			for r, s := range wn.senses(lemma) {
				rank := r + 1
				if rank > opt.MaxSense && rank > opt.MaxHypernymSense {
					break
				}
				self := 0
				for i, w := range s.words {
					if strings.ToLower(w) == lemma {
						self = i + 1
						break
					}
				}
				for _, p := range s.ptrs {
					t := wn.synsets[p.target]
					if t == nil {
						return nil, fmt.Errorf("pointer to missing synset %s", p.target)
					}
					var kind byte
					switch p.sym {
					case "+", "\\": // derivationally related form; pertainym / derived from adjective
						kind = kindDerived
					case "&":
						kind = kindSimilar
					case "@":
						kind = kindHypernym
					default:
						continue
					}
					if kind == kindHypernym && rank > opt.MaxHypernymSense || kind != kindHypernym && rank > opt.MaxSense {
						continue
					}
					if p.src != 0 && p.src != self {
						continue // a lexical pointer from another word of the synset
					}
					if p.dst != 0 {
						if p.dst > len(t.words) {
							return nil, fmt.Errorf("pointer to word %d of %d in synset %s", p.dst, len(t.words), p.target)
						}
						add(lemma, t.words[p.dst-1], kind, rank)
						continue
					}
					for _, w := range t.words {
						add(lemma, w, kind, rank)
					}
				}
				if rank <= opt.MaxSense {
					for _, w := range s.words {
						add(lemma, w, kindSynonym, rank)
					}
				}
			}
		}
	}

	// The vocabulary: every lemma with relations and every related word, sorted.
	inVocab := map[string]bool{}
	for l, m := range table {
		inVocab[l] = true
		for w := range m {
			inVocab[w] = true
		}
	}
	vocab := make([]string, 0, len(inVocab))
	for w := range inVocab {
		vocab = append(vocab, w)
	}
	sort.Strings(vocab)
	index := make(map[string]int, len(vocab))
	for i, w := range vocab {
		index[w] = i
	}

	// Irregular inflections whose base has an entry, unless the form has one itself.
	infl := make([]string, 0, len(wn.exc))
	for w := range wn.exc {
		if single(w) && table[w] == nil {
			infl = append(infl, w)
		}
	}
	sort.Strings(infl)
	var excLines []string
	for _, w := range infl {
		for _, base := range wn.exc[w] {
			if table[base] != nil {
				excLines = append(excLines, fmt.Sprintf("%s\t%d", w, index[base]))
				break
			}
		}
	}

	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n%d\n", thesaurusMagic, len(vocab))
	writeFrontCoded(&b, vocab, nil)
	fmt.Fprintf(&b, "%d\n", len(excLines))
	for _, l := range excLines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	type item struct {
		word string
		rel
	}
	var num [binary.MaxVarintLen64]byte
	for _, l := range vocab {
		items := make([]item, 0, len(table[l]))
		for w, r := range table[l] {
			items = append(items, item{w, r})
		}
		sort.Slice(items, func(i, j int) bool {
			a, c := items[i], items[j]
			if a.rank != c.rank {
				return a.rank < c.rank
			}
			if a.kind != c.kind {
				return a.kind < c.kind
			}
			return a.word < c.word
		})
		b.Write(num[:binary.PutUvarint(num[:], uint64(len(items)))])
		for _, it := range items {
			b.WriteByte(it.kind<<4 | byte(it.rank))
			b.Write(num[:binary.PutUvarint(num[:], uint64(index[it.word]))])
		}
	}
	return b.Bytes(), nil
}

// writeFrontCoded writes sorted words one a line, each as the byte '0'+n, n being the
// number of leading bytes it shares with the previous word (at most 40), then the rest of it;
// then suffix(i), if suffix is not nil.
func writeFrontCoded(b *bytes.Buffer, words []string, suffix func(i int) string) {
	prev := ""
	for i, w := range words {
		n := 0
		for n < len(w) && n < len(prev) && n < 40 && w[n] == prev[n] {
			n++
		}
		prev = w
		b.WriteByte(byte('0' + n))
		b.WriteString(w[n:])
		if suffix != nil {
			b.WriteString(suffix(i))
		}
		b.WriteByte('\n')
	}
}

// Levels are SCOWL's size levels, most common words first.
var Levels = []int{10, 20, 35, 40, 50, 55, 60, 70, 80, 95}

// DefaultMaxLevel is the largest SCOWL level the committed table keeps. Level 95 ("insane")
// would add 215,000 words, mostly archaic, foreign and rare inflected forms, and triple the
// table's size; a word found only there counts as unknown.
const DefaultMaxLevel = 80
