// Command relstats measures how well each kind and rank of lexicon.Related's relations points
// a query at the transcript entry that answers it, on labelled query files (the eval format:
// "expected TAB kind TAB query", expected being the right question numbers, 0 for out of
// scope). It is how the thesaurus's contents were chosen; the matcher's weights are fitted
// with the evaluator, end to end.
//
//	go run ./matcher/internal/lexicon/relstats transcript/default.txt matcher/testdata/blind-*.tsv
//
// For every content word of an answerable query (not a snowball stop word, three letters or
// more) and every word Related gives for it whose snowball stem occurs in the transcript, it
// counts whether that stem occurs in a right entry. "lift" is that count over the number
// expected if the entries holding the stem were drawn at random; "bridged" counts query words
// missing from every right entry that the related word leads to one ("doctors" → physician),
// "misled" those it leads only to wrong entries.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/kljensen/snowball/english"

	"transcriptbot/matcher/internal/lexicon"
	"transcriptbot/transcript"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: relstats TRANSCRIPT QUERIES.tsv...")
		os.Exit(2)
	}
	if err := run(os.Stdout, os.Args[1], os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "relstats:", err)
		os.Exit(1)
	}
}

func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func stem(w string) string { return english.Stem(w, false) }

type key struct {
	kind lexicon.Kind
	rank uint8
}

type stat struct {
	relations, inTranscript, right, bridged, misled int
	chance                                          float64
}

func run(w io.Writer, transcriptPath string, sets []string) error {
	f, err := os.Open(transcriptPath)
	if err != nil {
		return err
	}
	tr, err := transcript.Parse(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", transcriptPath, err)
	}
	ents := make([]map[string]bool, len(tr.Entries))
	anywhere := map[string]bool{}
	for i, e := range tr.Entries {
		ents[i] = map[string]bool{}
		for _, t := range words(e.Question + " " + e.Answer()) {
			ents[i][stem(t)] = true
			anywhere[stem(t)] = true
		}
	}
	stats := map[key]*stat{}
	queries := 0
	for _, path := range sets {
		err := eachQuery(path, func(expected []int, query string) {
			queries++
			right := map[int]bool{}
			for _, x := range expected {
				right[x-1] = true
			}
			for _, qw := range words(query) {
				if len(qw) < 3 || english.IsStopWord(qw) {
					continue
				}
				qs := stem(qw)
				covered := false
				for i := range right {
					covered = covered || ents[i][qs]
				}
				for _, r := range lexicon.Related(qw) {
					st := stats[key{r.Kind, r.Rank}]
					if st == nil {
						st = &stat{}
						stats[key{r.Kind, r.Rank}] = st
					}
					st.relations++
					rs := stem(r.Word)
					if rs == qs || !anywhere[rs] {
						continue
					}
					st.inTranscript++
					hit, holders := false, 0
					for i, e := range ents {
						if e[rs] {
							holders++
							hit = hit || right[i]
						}
					}
					// The chance that holders entries drawn at random include a right one.
					miss := 1.0
					for j := range holders {
						miss *= float64(len(ents)-len(right)-j) / float64(len(ents)-j)
					}
					st.chance += 1 - miss
					switch {
					case hit:
						st.right++
						if !covered {
							st.bridged++
						}
					case !covered:
						st.misled++
					}
				}
			}
		}, len(ents))
		if err != nil {
			return err
		}
	}
	keys := make([]key, 0, len(stats))
	for k := range stats {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].kind != keys[j].kind {
			return keys[i].kind < keys[j].kind
		}
		return keys[i].rank < keys[j].rank
	})
	fmt.Fprintf(w, "%d answerable queries, %d entries\n", queries, len(ents))
	fmt.Fprintf(w, "%-9s %4s %9s %13s %11s %5s %8s %7s\n", "kind", "rank", "relations", "in-transcript", "right-entry", "lift", "bridged", "misled")
	for _, k := range keys {
		st := stats[k]
		lift := 0.0
		if st.chance > 0 {
			lift = float64(st.right) / st.chance
		}
		fmt.Fprintf(w, "%-9v %4d %9d %13d %11d %5.2f %8d %7d\n", k.kind, k.rank, st.relations, st.inTranscript, st.right, lift, st.bridged, st.misled)
	}
	return nil
}

// eachQuery calls fn for each answerable query of an eval file; kind N (asking for a question
// by its number) is skipped.
func eachQuery(path string, fn func(expected []int, query string), entries int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		l := sc.Text()
		if strings.HasPrefix(l, "#") || strings.TrimSpace(l) == "" {
			continue
		}
		p := strings.SplitN(l, "\t", 3)
		if len(p) != 3 {
			return fmt.Errorf("%s:%d: want expected TAB kind TAB query", path, line)
		}
		var expected []int
		for _, s := range strings.Split(p[0], ",") {
			x, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || x < 0 || x > entries {
				return fmt.Errorf("%s:%d: bad question number %q", path, line, s)
			}
			if x > 0 {
				expected = append(expected, x)
			}
		}
		if len(expected) == 0 || p[1] == "N" {
			continue
		}
		fn(expected, p[2])
	}
	return sc.Err()
}
