// Command blevecmp is the Bleve column of the README's figures: plain full-text search on the
// same labelled sets, for comparison. It indexes one document per numbered question of a
// transcript (fields question and answer) in memory with Bleve's English analyzer, runs each
// answerable query of the sets given (tab-separated "expected<TAB>kind<TAB>query", as `eval`
// reads them; expected 0, out of scope, is skipped) as a match query, and counts the top hit
// right when it is one of the expected questions. Bleve never declines, so this is its top-1.
//
// It is a module of its own, so that the bot does not depend on Bleve; run it from here:
//
//	cd cmd/blevecmp && go run . ../../matcher/testdata/holdout79.tsv ../../matcher/testdata/holdout80.tsv
//	cd cmd/blevecmp && go run . -transcript ../../matcher/testdata/exams/briefing.txt ../../matcher/testdata/exams/*.tsv
//
// It prints each file's right/answerable and top-1, then the pooled figure.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"

	"transcriptbot/transcript"
)

func main() {
	path := flag.String("transcript", "", "transcript file (default: the embedded one)")
	flag.Parse()
	if err := run(*path, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "blevecmp:", err)
		os.Exit(1)
	}
}

func run(path string, files []string) error {
	t := transcript.Default()
	if path != "" {
		var err error
		if t, err = transcript.Load(path); err != nil {
			return err
		}
	}
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = en.AnalyzerName
	idx, err := bleve.NewMemOnly(m)
	if err != nil {
		return err
	}
	for _, e := range t.Entries {
		doc := map[string]any{"question": e.Question, "answer": strings.Join(e.Paragraphs, "\n")}
		if err := idx.Index(strconv.Itoa(e.Number), doc); err != nil {
			return err
		}
	}
	totalRight, total := 0, 0
	for _, f := range files {
		right, n, err := score(idx, f)
		if err != nil {
			return err
		}
		fmt.Printf("%s\t%d/%d\t%.1f%%\n", f, right, n, percent(right, n))
		totalRight += right
		total += n
	}
	fmt.Printf("pooled\t%d/%d\t%.1f%%\n", totalRight, total, percent(totalRight, total))
	return nil
}

// score returns how many of the answerable queries of the set in file get an expected
// question as Bleve's top hit, and how many answerable queries it holds.
func score(idx bleve.Index, file string) (right, n int, err error) {
	fh, err := os.Open(file)
	if err != nil {
		return 0, 0, err
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for line := 1; sc.Scan(); line++ {
		l := sc.Text()
		if strings.HasPrefix(l, "#") || strings.TrimSpace(l) == "" {
			continue
		}
		fields := strings.Split(l, "\t")
		if len(fields) < 2 {
			return 0, 0, fmt.Errorf("%s:%d: want expected<TAB>kind<TAB>query", file, line)
		}
		if fields[0] == "0" {
			continue
		}
		n++
		req := bleve.NewSearchRequestOptions(bleve.NewMatchQuery(fields[len(fields)-1]), 4, 0, false)
		res, err := idx.Search(req)
		if err != nil {
			return 0, 0, fmt.Errorf("%s:%d: %v", file, line, err)
		}
		if len(res.Hits) > 0 && expected(fields[0], res.Hits[0].ID) {
			right++
		}
	}
	return right, n, sc.Err()
}

// expected reports whether id is one of the comma-separated question numbers in want.
func expected(want, id string) bool {
	for _, w := range strings.Split(want, ",") {
		if strings.TrimSpace(w) == id {
			return true
		}
	}
	return false
}

func percent(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}
