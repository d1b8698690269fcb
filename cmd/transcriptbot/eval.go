package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"transcriptbot/bot"
	"transcriptbot/bot/evaluate"
	"transcriptbot/matcher"
	"transcriptbot/matcher/archive"
)

func init() {
	register(&command{
		name:    "eval",
		summary: "measure what users get on labelled sets of queries",
		usage:   "eval [--json] [--misses=false] [--words-only] [--threshold T | --sweep [--precision P]] FILE.tsv...",
		help: `Sends every query of each FILE.tsv through the bot, as a private message, and classifies
what the user gets: the right question answered, a wrong one, a "did you mean" menu with the
right question first, lower or absent, "not covered", or another reply (small talk, help, an
invalid number). It reports, overall and per query kind:
  top-1               right question answered, or first in the menu (answerable queries)
  direct-correct      right question answered with no menu (answerable queries)
  confident-wrong     an answer with a wrong question, out of scope included (all queries)
  menu                a menu instead of an answer (all queries)
  false "not covered" answerable queries given neither an answer nor a menu
  declined            out-of-scope queries given neither an answer nor a menu
  MRR                 mean 1/rank of the right question in what the reply offers: the answer
                      then its "Other matches", the menu, or the nearest questions
then the queries the user did not get right (--misses=false leaves them out). With several
files, each file's report, then the pooled one. --json writes one JSON object instead.

--words-only ranks and decides the embedded transcript by the query's words alone, as any
other transcript, without its learned phrasings (see the README's Learned phrasings): what
the learned model adds, on your own labelled queries.

--sweep measures the files, pooled, at every threshold from 0.10 to 0.95 and at the one in
use, and prints the lowest threshold at which at least --precision (default 0.92) of the
answers name a right question: how to choose ANSWER_THRESHOLD for a transcript of your own
from a few hundred queries you labelled, some of them out of scope.

FILE.tsv has one query per line, three tab-separated fields:
  expected<TAB>kind<TAB>query
expected is the right question number, or several separated by commas (first = best;
any of them counts as right), or 0 when the transcript has no answer. kind is a
letter: P paraphrase, A fact only in an answer, K keywords, T typo, C chatty,
N a question asked for by number, O out of scope (others are reported as they are).
Lines starting with # and blank lines are ignored.

With --transcripts DIR the queries go to the archive, and the expected questions name their
briefing: 2020-06-12-sco#3 or 2020-06-12-sco#3,5 (the briefing's id, '#', the numbers); an
answer from another briefing is a wrong one.`,
		run: runEval,
	})
}

// evalOutput is the --json output.
type evalOutput struct {
	Transcript string `json:"transcript"`
	Questions  int    `json:"questions"`
	// Briefings is the number of briefings of an archive (--transcripts; Transcript is then
	// its directory and Questions the questions of all briefings).
	Briefings int     `json:"briefings,omitempty"`
	Threshold float64 `json:"threshold"`
	// Learned is set when the matcher ranks with the embedded transcript's learned phrasings.
	Learned bool             `json:"learned,omitempty"`
	Files   []evalFileOutput `json:"files"`
	Pooled  *evaluate.Report `json:"pooled,omitempty"`
}

type evalFileOutput struct {
	evaluate.Report
	Misses []evaluate.Result `json:"misses,omitempty"`
}

func runEval(ctx context.Context, env *cliEnv, args []string) int {
	fs := env.flagSet("eval")
	threshold := fs.Float64("threshold", 0, "the matcher's confidence threshold (0: its default)")
	misses := fs.Bool("misses", true, "list the queries the user did not get right")
	asJSON := fs.Bool("json", false, "write the reports as one JSON object")
	sweep := fs.Bool("sweep", false, "measure every threshold from 0.10 to 0.95, pooled, and suggest one")
	precision := fs.Float64("precision", 0.92, "with --sweep: the share of answers that must be right")
	wordsOnly := fs.Bool("words-only", false, "rank and decide by the query's words alone, without the embedded transcript's learned phrasings")
	rest, code, ok := env.parse(fs, args)
	if !ok {
		return code
	}
	if len(rest) == 0 {
		return env.usageError("eval", "want at least one FILE.tsv")
	}
	if *threshold < 0 || *threshold > 1 {
		return env.usageError("eval", "--threshold must be in (0, 1], or 0 for the matcher's default; got %g", *threshold)
	}
	if *sweep && (*threshold != 0 || env.Transcripts != "") {
		return env.usageError("eval", "--sweep measures every threshold of one transcript: give neither --threshold nor --transcripts")
	}
	if *wordsOnly && (*sweep || env.Transcripts != "") {
		return env.usageError("eval", "--words-only measures one transcript's replies: give neither --sweep nor --transcripts")
	}
	if !(*precision > 0 && *precision <= 1) {
		return env.usageError("eval", "--precision must be in (0, 1]; got %g", *precision)
	}
	sets := make([][]evaluate.Case, len(rest))
	for i, name := range rest {
		cases, err := readEvalFile(name)
		if err != nil {
			fmt.Fprintln(env.Stderr, err)
			return exitError
		}
		sets[i] = cases
	}
	th := *threshold // eval's own flag wins over --answer-threshold / ANSWER_THRESHOLD
	if th == 0 {
		th = env.Threshold
	}
	var (
		b      *bot.Bot
		header evalOutput
		title  string
	)
	if env.Transcripts != "" {
		env.Threshold = th
		a, err := env.loadArchive()
		if err != nil {
			return env.runtimeError("eval", err)
		}
		for i, name := range rest {
			if err := checkArchiveCases(sets[i], a.Snapshot()); err != nil {
				fmt.Fprintln(env.Stderr, evalFileError(name, err))
				return exitError
			}
		}
		snap := a.Snapshot()
		questions := 0
		for _, br := range snap.List() {
			questions += br.Transcript.Len()
		}
		b = bot.NewArchive(a, bot.Options{})
		header = evalOutput{Transcript: env.Transcripts, Questions: questions, Threshold: snap.Newest().Matcher.Threshold(), Briefings: snap.Len()}
		title = fmt.Sprintf("archive %s (%d briefings, %d questions), matcher threshold %.2f", env.Transcripts, snap.Len(), questions, header.Threshold)
	} else {
		t, err := env.loadTranscript()
		if err != nil {
			return env.runtimeError("eval", err)
		}
		for i, name := range rest {
			if err := evaluate.CheckRange(sets[i], t.Len()); err != nil {
				fmt.Fprintln(env.Stderr, evalFileError(name, err))
				return exitError
			}
		}
		if *sweep {
			return runSweep(ctx, env, t, rest, sets, th, *precision, *asJSON)
		}
		m, err := matcher.New(t, matcher.Options{Language: env.Lang, Threshold: th, WordsOnly: *wordsOnly})
		if err != nil {
			return env.runtimeError("eval", err)
		}
		b = bot.New(m, bot.Options{})
		header = evalOutput{Transcript: t.Hash, Questions: t.Len(), Threshold: m.Threshold(), Learned: m.Learned()}
		title = fmt.Sprintf("transcript %s (%d questions), matcher threshold %.2f", t.Hash, t.Len(), m.Threshold())
		switch {
		case m.Learned():
			title += ", with its learned phrasings"
		case *wordsOnly:
			title += ", by the words alone"
		}
	}

	reports := make([]evaluate.Report, len(rest))
	for i, name := range rest {
		results, err := evaluate.Run(ctx, b, sets[i])
		if err != nil {
			return env.runtimeError("eval", err)
		}
		reports[i] = evaluate.NewReport(name, results)
	}
	var pooled *evaluate.Report
	if len(reports) > 1 {
		p := evaluate.Pool(fmt.Sprintf("pooled (%d files)", len(reports)), reports...)
		pooled = &p
	}

	if *asJSON {
		out := header
		for _, r := range reports {
			f := evalFileOutput{Report: r}
			if *misses {
				f.Misses = r.Misses()
			}
			out.Files = append(out.Files, f)
		}
		out.Pooled = pooled
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return env.runtimeError("eval", err)
		}
		return exitOK
	}

	w := env.Stdout
	fmt.Fprintln(w, title)
	for _, r := range reports {
		fmt.Fprintln(w)
		if err := r.WriteText(w, *misses); err != nil {
			return env.runtimeError("eval", err)
		}
	}
	if pooled != nil {
		fmt.Fprintln(w)
		if err := pooled.WriteText(w, false); err != nil { // the misses are listed per file
			return env.runtimeError("eval", err)
		}
	}
	return exitOK
}

// readEvalFile reads and parses the evaluation set at name; errors name the file and line.
func readEvalFile(name string) ([]evaluate.Case, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, errors.New(locateError(name, err))
	}
	defer f.Close()
	cases, err := evaluate.Parse(f)
	if err != nil {
		return nil, evalFileError(name, err)
	}
	return cases, nil
}

// evalFileError is "FILE:LINE: reason" for an error in the evaluation set called name.
func evalFileError(name string, err error) error {
	var pe *evaluate.ParseError
	if errors.As(err, &pe) && pe.Line > 0 {
		return fmt.Errorf("%s:%d: %w", name, pe.Line, pe.Err)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// checkArchiveCases checks that every answerable case of an archive's evaluation set names
// a briefing of it (BRIEFING#N) and questions that briefing has.
func checkArchiveCases(cases []evaluate.Case, snap *archive.Snapshot) error {
	for _, c := range cases {
		if !c.Answerable() {
			continue
		}
		if c.Briefing == "" {
			return &evaluate.ParseError{Line: c.Line, Err: errors.New("in an archive write the expected question as BRIEFING#N (the briefing's id, '#', the number)")}
		}
		br, ok := snap.Get(c.Briefing)
		if !ok {
			return &evaluate.ParseError{Line: c.Line, Err: fmt.Errorf("no briefing %q in the archive", c.Briefing)}
		}
		for _, n := range c.Expected {
			if n > br.Transcript.Len() {
				return &evaluate.ParseError{Line: c.Line, Err: fmt.Errorf("question %d is not in briefing %s (it has 1-%d)", n, c.Briefing, br.Transcript.Len())}
			}
		}
	}
	return nil
}
