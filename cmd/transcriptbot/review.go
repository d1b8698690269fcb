package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"transcriptbot/bot/misses"
)

func init() {
	register(&command{
		name:    "review",
		summary: "group the questions the bot could not answer into a report",
		usage:   "review [--max N] [--json] FILE",
		help: `Reads FILE, the JSON-lines log of questions the bot could not answer (one object a line
with "query", "reason" and "time", as serve writes it when the miss log is enabled; "-"
reads standard input), and groups the questions by what they ask: the same content words
(stemmed as the matcher stems them, so --lang matters) or nearly the same.

The report lists, most frequent first, the clusters that look like alternate phrasings of
a question of the transcript (--transcript, else the embedded one), with the lines to add
to its sidecar (FILE.ini) so that the matcher answers them, then the clusters that are
gaps in the transcript. Questions the current transcript now answers are counted and left
out. A malformed line is reported as FILE:LINE: reason (exit 1).`,
		run: runReview,
	})
}

func runReview(_ context.Context, env *cliEnv, args []string) int {
	fs := env.flagSet("review")
	maxClusters := fs.Int("max", 20, "show at most `N` clusters of each kind (0: all)")
	asJSON := fs.Bool("json", false, "print the whole report as JSON")
	rest, code, ok := env.parse(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 1 {
		return env.usageError("review", "want exactly one FILE, got %d arguments", len(rest))
	}
	if *maxClusters < 0 {
		return env.usageError("review", "--max must be 0 or more, got %d", *maxClusters)
	}
	name := rest[0]
	var in io.Reader = env.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintln(env.Stderr, locateError(name, err))
			return exitError
		}
		defer f.Close()
		in = f
	} else {
		name = "(standard input)"
	}
	records, err := misses.Read(in)
	if err != nil {
		var pe *misses.ParseError
		if errors.As(err, &pe) {
			fmt.Fprintf(env.Stderr, "%s:%d: %v\n", name, pe.Line, pe.Err)
		} else {
			fmt.Fprintf(env.Stderr, "%s: %v\n", name, err)
		}
		return exitError
	}
	t, err := env.loadTranscript()
	if err != nil {
		return env.runtimeError("review", err)
	}
	m, err := env.newMatcher(t)
	if err != nil {
		return env.runtimeError("review", err)
	}
	rep := misses.Review(records, m)
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	} else {
		err = rep.Write(env.Stdout, *maxClusters)
	}
	if err != nil {
		return env.runtimeError("review", err)
	}
	return exitOK
}
