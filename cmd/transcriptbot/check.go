package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

func init() {
	register(&command{
		name:    "check",
		summary: "validate a transcript file and its sidecar",
		usage:   "check [--strict] [--similarity S] [FILE | DIR]",
		help: `Parses FILE (default: the --transcript file, else the embedded transcript) and its sidecar
of alternate phrasings and synonyms, and reports the first error as FILE:LINE: reason
(exit 1). On success it prints the title, the number of questions and the content hash,
then warns about questions so alike that the matcher confuses them: a question (or one
of its alternate phrasings) whose own text is matched to another question, or matched
only ambiguously, and pairs of questions whose words are at least S similar (--similarity,
default 0.6). Warnings exit 0 unless --strict is given.

With a directory (DIR, or --transcripts DIR) every transcript file in it (*.txt) is checked
the same way, each on its own, with its date and language; any file in error makes the
exit status 1, and the others are still checked.`,
		run: runCheck,
	})
}

func runCheck(_ context.Context, env *cliEnv, args []string) int {
	fs := env.flagSet("check")
	strict := fs.Bool("strict", false, "exit 1 when there are warnings")
	similarity := fs.Float64("similarity", defaultSimilarity,
		"warn about pairs of questions at least this similar (cosine of their words, 0-1)")
	rest, code, ok := env.parse(fs, args)
	if !ok {
		return code
	}
	if *similarity <= 0 || *similarity > 1 {
		return env.usageError("check", "--similarity must be in (0, 1], got %g", *similarity)
	}
	if len(rest) > 1 {
		return env.usageError("check", "want at most one FILE, got %d", len(rest))
	}
	name := env.Transcript
	if name == "" {
		name = env.Transcripts
	}
	if len(rest) == 1 {
		name = rest[0]
	}
	if fi, err := os.Stat(name); name != "" && err == nil && fi.IsDir() {
		return env.checkDir(name, *strict, *similarity)
	}
	warnings, code := env.checkOne(name, *similarity, env.Transcripts != "")
	if code != exitOK {
		return code
	}
	if warnings > 0 && *strict {
		fmt.Fprintf(env.Stderr, "transcriptbot check: %s (--strict)\n", plural(warnings, "warning", "warnings"))
		return exitError
	}
	return exitOK
}

// checkDir checks every transcript file of dir, one after the other.
func (env *cliEnv) checkDir(dir string, strict bool, similarity float64) int {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return env.runtimeError("check", err)
	}
	files, broken, warnings := 0, 0, 0
	ids := map[string]string{}
	for _, e := range ents {
		if e.IsDir() || !transcript.IsTranscriptFile(e.Name()) {
			continue
		}
		files++
		path := filepath.Join(dir, e.Name())
		if other, dup := ids[transcript.BriefingID(path)]; dup {
			fmt.Fprintf(env.Stderr, "%s: %v as %s\n", path, transcript.ErrDuplicateID, other)
			broken++
			continue
		}
		ids[transcript.BriefingID(path)] = path
		w, code := env.checkOne(path, similarity, true)
		if code != exitOK {
			broken++
		}
		warnings += w
	}
	if files == 0 {
		return env.runtimeError("check", fmt.Errorf("%s: %w", dir, transcript.ErrNoTranscripts))
	}
	fmt.Fprintf(env.Stdout, "%s: %s, %d in error, %s\n", dir, plural(files, "transcript", "transcripts"), broken, plural(warnings, "warning", "warnings"))
	if broken > 0 || (strict && warnings > 0) {
		return exitError
	}
	return exitOK
}

// checkOne checks the transcript file name ("" for the embedded one), printing what it
// finds (with briefing, also the date and language it has as a briefing of an archive),
// and returns the number of warnings and exitOK, or the exit code of an error it
// reported.
func (env *cliEnv) checkOne(name string, similarity float64, briefing bool) (warnings int, code int) {
	var t *transcript.Transcript
	sidecar := "none"
	if name == "" {
		t = transcript.Default()
		name = "(embedded transcript)"
		sidecar = "none"
	} else {
		var (
			errFile string
			err     error
		)
		t, sidecar, errFile, err = checkFiles(name)
		if err != nil {
			fmt.Fprintln(env.Stderr, locateError(errFile, err))
			return 0, exitError
		}
	}
	lang := env.Lang
	if t.Language != "" {
		lang = t.Language
	}
	m, err := matcher.New(t, matcher.Options{Language: lang, Threshold: env.Threshold})
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s: %v\n", name, err)
		return 0, exitError
	}

	alternates := 0
	for _, e := range t.Entries {
		alternates += len(e.Alternates)
	}
	fmt.Fprintf(env.Stdout, "%s: ok\n", name)
	fmt.Fprintf(env.Stdout, "  title:      %s\n", orNone(t.Title))
	fmt.Fprintf(env.Stdout, "  questions:  %d\n", t.Len())
	fmt.Fprintf(env.Stdout, "  hash:       %s\n", t.Hash)
	if briefing || !t.Date.IsZero() || t.Language != "" {
		b := transcript.NewBriefing(transcript.BriefingID(name), name, t)
		date := "none"
		if !b.Date.IsZero() {
			date = b.Date.Format(transcript.DateLayout)
		}
		fmt.Fprintf(env.Stdout, "  date:       %s\n", date)
		fmt.Fprintf(env.Stdout, "  language:   %s\n", m.Analyzer().Language())
	}
	fmt.Fprintf(env.Stdout, "  sidecar:    %s\n", sidecar)
	fmt.Fprintf(env.Stdout, "  alternates: %s\n", plural(alternates, "alternate phrasing", "alternate phrasings"))
	fmt.Fprintf(env.Stdout, "  synonyms:   %s (besides the %d built in)\n",
		plural(len(t.Synonyms), "group", "groups"), len(transcript.BuiltinSynonyms()))

	ws := confusions(m, similarity)
	for _, w := range ws {
		fmt.Fprintf(env.Stdout, "warning: %s\n", w)
	}
	if len(ws) == 0 {
		fmt.Fprintln(env.Stdout, "  no confusable questions")
	}
	return len(ws), exitOK
}

// defaultSimilarity is the question similarity from which check warns of near-duplicates.
const defaultSimilarity = 0.6

// checkFiles parses the transcript at name and its sidecar step by step, so that an error
// names the file it is in. It returns the transcript, a description of the sidecar, and on
// failure the file the error concerns.
func checkFiles(name string) (t *transcript.Transcript, sidecar, errFile string, err error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, "", name, err
	}
	defer f.Close()
	t, err = transcript.Parse(f)
	if err != nil {
		return nil, "", name, err
	}
	sp := transcript.SidecarPath(name)
	if sp == name {
		return t, "none", "", nil
	}
	sf, err := os.Open(sp)
	if errors.Is(err, fs.ErrNotExist) {
		return t, "none (no " + sp + ")", "", nil
	}
	if err != nil {
		return nil, "", sp, err
	}
	defer sf.Close()
	s, err := transcript.ParseSidecar(sf)
	if err != nil {
		return nil, "", sp, err
	}
	t, err = t.WithSidecar(s)
	if err != nil {
		return nil, "", sp, err
	}
	return t, sp, "", nil
}

// locateError formats a load error as "FILE:LINE: reason" (or "FILE: reason" when the error
// has no line), the form editors and CI annotators jump to.
func locateError(name string, err error) string {
	var pe *transcript.ParseError
	if errors.As(err, &pe) {
		reason := pe.Err.Error()
		if pe.Line > 0 {
			return fmt.Sprintf("%s:%d: %s", name, pe.Line, reason)
		}
		return fmt.Sprintf("%s: %s", name, reason)
	}
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return fmt.Sprintf("%s: %v", pathErr.Path, pathErr.Err)
	}
	return fmt.Sprintf("%s: %v", name, err)
}

// plural returns "1 group" or "3 groups".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// confusions reports pairs of questions so alike that users will get the wrong one: pairs the
// matcher finds at least similarity alike (matcher.Similar), then every question whose own
// text, or one of its alternate phrasings, the matcher answers with another question, only
// ambiguously, or not at all.
func confusions(m *matcher.Matcher, similarity float64) []string {
	t := m.Transcript()
	var out []string
	seen := map[[2]int]bool{}
	for _, p := range similarPairs(m, similarity) {
		seen[p] = true
		out = append(out, fmt.Sprintf("questions %d and %d are near-duplicates "+
			"(similarity %.2f): users asking either may get the other", p[0], p[1], m.Similarity(p[0], p[1])))
	}
	for _, e := range t.Entries {
		texts := append([]string{e.Question}, e.Alternates...)
		for i, text := range texts {
			what := fmt.Sprintf("question %d", e.Number)
			if i > 0 {
				what = fmt.Sprintf("alternate phrasing %q of question %d", text, e.Number)
			}
			r := m.Match(text, 0)
			switch {
			case r.Number == e.Number && !r.Ambiguous:
				continue
			case r.Number == e.Number:
				other := 0
				for _, a := range r.Alternatives {
					if a.Number != e.Number {
						other = a.Number
						break
					}
				}
				key := pair(e.Number, other)
				if other == 0 || seen[key] {
					continue
				}
				seen[key] = true
				out = append(out, fmt.Sprintf("questions %d and %d are so alike that the matcher "+
					"cannot tell them apart: %s is matched ambiguously (confidence %.2f)",
					e.Number, other, what, r.Confidence))
			case r.Number == 0:
				out = append(out, fmt.Sprintf("%s is not matched to any question "+
					"(confidence %.2f, below the threshold)", what, r.Confidence))
			default:
				key := pair(e.Number, r.Number)
				if i == 0 && seen[key] {
					continue
				}
				seen[key] = true
				out = append(out, fmt.Sprintf("questions %d and %d are so alike that the matcher "+
					"confuses them: %s is matched to question %d (confidence %.2f)",
					e.Number, r.Number, what, r.Number, r.Confidence))
			}
		}
	}
	return out
}

// exactSimilarLimit is the largest transcript whose question pairs are all compared
// (matcher.Similar is quadratic); larger ones compare each question with its nearest ranks.
const exactSimilarLimit = 1000

// similarPairs returns the pairs of questions at least threshold similar, most similar first.
// Up to exactSimilarLimit questions every pair is compared; beyond, each question only with the
// questions the matcher ranks nearest to its text, which keeps check fast on 10,000 entries.
func similarPairs(m *matcher.Matcher, threshold float64) [][2]int {
	t := m.Transcript()
	if t.Len() <= exactSimilarLimit {
		return m.Similar(threshold)
	}
	type scored struct {
		p   [2]int
		sim float64
	}
	var ps []scored
	seen := map[[2]int]bool{}
	for _, e := range t.Entries {
		for _, a := range m.Rank(e.Question, 5) {
			p := pair(e.Number, a.Number)
			if a.Number == e.Number || seen[p] {
				continue
			}
			seen[p] = true
			if sim := m.Similarity(p[0], p[1]); sim >= threshold {
				ps = append(ps, scored{p, sim})
			}
		}
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].sim > ps[j].sim })
	out := make([][2]int, len(ps))
	for i, p := range ps {
		out[i] = p.p
	}
	return out
}

func pair(a, b int) [2]int {
	if a > b {
		a, b = b, a
	}
	return [2]int{a, b}
}
