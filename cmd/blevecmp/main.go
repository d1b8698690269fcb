// Command blevecmp is the Bleve column of the README's figures: plain full-text search on the
// same labelled sets, for comparison. It indexes one document per numbered question of a
// transcript (fields question and answer) in memory with Bleve's English analyzer, runs each
// answerable query of the sets given (the format `eval` reads; out-of-scope queries are
// skipped) as a match query, and counts the top hit right when it is one of the expected
// questions. Bleve never declines, so this is its top-1.
//
// It is a module of its own, so that the bot does not depend on Bleve; run it from here:
//
//	cd cmd/blevecmp && go run . ../../matcher/testdata/holdout79.tsv ../../matcher/testdata/holdout80.tsv
//	cd cmd/blevecmp && go run . -transcript ../../matcher/testdata/exams/briefing.txt ../../matcher/testdata/exams/*.tsv
//
// It prints each file's right/answerable and top-1, then the pooled figure.
package main

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"

	"transcriptbot/bot/evaluate"
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
// question as Bleve's top hit, and how many answerable queries it holds. The set is read by
// the bot's own evaluator (evaluate.Parse), so both count the same queries.
func score(idx bleve.Index, file string) (right, n int, err error) {
	fh, err := os.Open(file)
	if err != nil {
		return 0, 0, err
	}
	defer fh.Close()
	cases, err := evaluate.Parse(fh)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %w", file, err)
	}
	for _, c := range cases {
		if !c.Answerable() {
			continue
		}
		n++
		req := bleve.NewSearchRequestOptions(bleve.NewMatchQuery(c.Query), 4, 0, false)
		res, err := idx.Search(req)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: line %d: %v", file, c.Line, err)
		}
		if len(res.Hits) > 0 {
			if top, err := strconv.Atoi(res.Hits[0].ID); err == nil && slices.Contains(c.Expected, top) {
				right++
			}
		}
	}
	return right, n, nil
}

func percent(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}
