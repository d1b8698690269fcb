package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// SCOWL: word levels and British/American spelling pairs.

// WordLevels builds the word-commonness table from SCOWL's word lists of levels up to
// maxLevel: every lower-cased word, sorted and front-coded (see writeFrontCoded), each
// followed by
//
//	SPACE w p a
//
// with
// w, p and a being the index (0 for none, 1..10 for Levels[0..9], written 0-9 and a) of the
// smallest level the word appears at in a list of general words (SCOWL's "words" and
// "contractions"), of names (SCOWL's "upper", dictionary words written with a capital such as
// "China" and "Monday", and "proper-names", the other names) and of abbreviations. All spelling categories
// (American, British, Canadian, Australian and their variants) count, so both "colour" and
// "color" are common. Possessives ("doctor's") are left out: a lookup strips "'s".
func WordLevels(dir string, maxLevel int) ([]byte, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	levelIndex := map[int]int{}
	for i, l := range Levels {
		levelIndex[l] = i + 1
	}
	table := map[string]*[3]int{}
	files := 0
	for _, e := range ents {
		name := e.Name()
		dot := strings.LastIndexByte(name, '.')
		dash := strings.IndexByte(name, '-')
		if dot < 0 || dash < 0 || strings.HasPrefix(name, "special-") {
			continue
		}
		level, err := strconv.Atoi(name[dot+1:])
		if err != nil || levelIndex[level] == 0 || level > maxLevel {
			continue
		}
		var col int
		switch name[dash+1 : dot] {
		case "words", "contractions":
			col = 0
		case "upper", "proper-names":
			col = 1
		case "abbreviations":
			col = 2
		default:
			continue
		}
		files++
		if err := eachLine(filepath.Join(dir, name), func(line string, n int) error {
			w := strings.ToLower(strings.TrimSpace(line))
			if w == "" || strings.HasSuffix(w, "'s") || strings.ContainsAny(w, " \t") {
				return nil
			}
			e := table[w]
			if e == nil {
				e = new([3]int)
				table[w] = e
			}
			if li := levelIndex[level]; e[col] == 0 || li < e[col] {
				e[col] = li
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	if files == 0 {
		return nil, fmt.Errorf("%s: no SCOWL word lists (english-words.10, ...)", dir)
	}
	words := make([]string, 0, len(table))
	for w := range table {
		words = append(words, w)
	}
	sort.Strings(words)
	var b bytes.Buffer
	const digits = "0123456789a"
	writeFrontCoded(&b, words, func(i int) string {
		e := table[words[i]]
		return string([]byte{' ', digits[e[0]], digits[e[1]], digits[e[2]]})
	})
	return b.Bytes(), nil
}

// spellingRules are the regular differences between British and American spelling, British
// first. weak marks the rules whose American result may be another word altogether when it is
// also British ("spilled" -> "spiled", "prise" -> "prize").
var spellingRules = []struct {
	british, american string
	weak              bool
}{
	{"isation", "ization", true}, {"ise", "ize", true}, {"yse", "yze", true}, {"our", "or", false},
	{"tre", "ter", false}, {"ence", "ense", false}, {"ogue", "og", false}, {"ll", "l", true},
	{"ae", "e", false}, {"oe", "e", false}, {"mme", "m", false},
}

// respell returns the spellings one rule makes of w, each with whether the rule is weak.
func respell(w string) (out []string, weak []bool) {
	for _, r := range spellingRules {
		for i := 0; i <= len(w)-len(r.british); i++ {
			if strings.HasPrefix(w[i:], r.british) {
				out = append(out, w[:i]+r.american+w[i+len(r.british):])
				weak = append(weak, r.weak)
			}
		}
	}
	return out, weak
}

// Variants pairs British and American spellings: each word (lower case, no possessive) of
// SCOWL's British-only lists up to maxLevel with the American spelling that one or two
// spelling rules (see spellingRules) turn it into ("decolourise" -> "decolorize"): a word of
// the American-only lists, or failing that one of the lists of all spellings that no weak
// rule was needed for ("programme" -> "program", which British English also writes). The
// output is lines "british SPACE american" sorted by the British word; a British word with
// no partner is left out.
func Variants(dir string, maxLevel int) ([]byte, error) {
	read := func(category string) (map[string]bool, error) {
		set := map[string]bool{}
		for _, l := range Levels {
			if l > maxLevel {
				break
			}
			if err := eachLine(filepath.Join(dir, fmt.Sprintf("%s-words.%d", category, l)), func(line string, n int) error {
				if w := strings.ToLower(strings.TrimSpace(line)); single(strings.ReplaceAll(w, "-", "")) {
					set[w] = true
				}
				return nil
			}); err != nil {
				return nil, err
			}
		}
		return set, nil
	}
	brit, err := read("british")
	if err != nil {
		return nil, err
	}
	amer, err := read("american")
	if err != nil {
		return nil, err
	}
	common, err := read("english")
	if err != nil {
		return nil, err
	}
	words := make([]string, 0, len(brit))
	for w := range brit {
		words = append(words, w)
	}
	sort.Strings(words)
	var b bytes.Buffer
	for _, w := range words {
		// Candidates by one rule, then by two, in rule order; within each, American-only
		// words first.
		one, weak1 := respell(w)
		var two []string
		var weak2 []bool
		for i, c := range one {
			t, wk := respell(c)
			two = append(two, t...)
			for _, k := range wk {
				weak2 = append(weak2, k || weak1[i])
			}
		}
		best := ""
		for _, tier := range []struct {
			cands []string
			weak  []bool
		}{{one, weak1}, {two, weak2}} {
			for _, c := range tier.cands {
				if amer[c] {
					best = c
					break
				}
			}
			for i, c := range tier.cands {
				if best == "" && !tier.weak[i] && common[c] && !brit[c] {
					best = c
				}
			}
			if best != "" {
				break
			}
		}
		if best != "" && best != w {
			fmt.Fprintf(&b, "%s %s\n", w, best)
		}
	}
	return b.Bytes(), nil
}
