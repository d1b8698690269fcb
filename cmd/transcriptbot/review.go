package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"transcriptbot/adapters/misses"
	"transcriptbot/transcript"
)

func init() {
	register(&command{
		name:    "review",
		summary: "group the questions the bot could not answer into a report",
		usage:   "review [--max N] [--json] [--any-transcript] [FILE]",
		help: `Reads FILE, the JSON-lines log of questions the bot could not answer (one object a line
with "query", "reason" and "time", as serve writes it when the miss log is enabled; "-"
reads standard input), and groups the questions by what they ask: the same content words
(stemmed as the matcher stems them, so --lang matters) or nearly the same.

The report lists, most frequent first, the clusters that look like alternate phrasings of
a question of the transcript (--transcript, else the embedded one), with the lines to add
to its sidecar (FILE.ini) so that the matcher answers them, then the clusters that are
gaps in the transcript. Questions the current transcript now answers are counted and left
out. A malformed line is reported as FILE:LINE: reason (exit 1).

FILE defaults to MISS_LOG, the log serve writes. Each record carries the hash of the
transcript that could not answer it: when no record was written for the transcript reviewed
against (TRANSCRIPT_FILE or --transcript, else the embedded one), review refuses (exit 1),
naming the hashes found; when only some were, it says how many on stderr and goes on. A
sidecar edit changes the hash too: --any-transcript reviews the records all the same.

With --transcripts DIR (TRANSCRIPT_DIR) each record also names the briefing that could not
answer it, and the records are reviewed briefing by briefing, each against its own
transcript, most records first, under a heading naming the briefing (id, title, date); the
sidecar lines go to that briefing's sidecar. Records of a briefing no longer in DIR are
counted and left out; records of another version of a briefing are reviewed all the same.`,
		run: runReview,
	})
}

func runReview(_ context.Context, env *cliEnv, args []string) int {
	fs := env.flagSet("review")
	maxClusters := fs.Int("max", 20, "show at most `N` clusters of each kind (0: all)")
	asJSON := fs.Bool("json", false, "print the whole report as JSON")
	anyTranscript := fs.Bool("any-transcript", false, "review records written for another transcript (or sidecar) version too")
	rest, code, ok := env.parse(fs, args)
	if !ok {
		return code
	}
	if len(rest) == 0 {
		if v := strings.TrimSpace(env.Getenv("MISS_LOG")); v != "" {
			rest = []string{v}
		}
	}
	if len(rest) != 1 {
		return env.usageError("review", "want exactly one FILE (or MISS_LOG set), got %d arguments", len(rest))
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
	if env.Transcripts != "" {
		return env.reviewArchive(name, records, *maxClusters, *asJSON)
	}
	t, err := env.loadTranscript()
	if err != nil {
		return env.runtimeError("review", err)
	}
	if msg, refuse := env.checkRecordHashes(name, records, t); msg != "" {
		if refuse && !*anyTranscript {
			fmt.Fprintf(env.Stderr, "transcriptbot review: %s\n", msg)
			return exitError
		}
		fmt.Fprintf(env.Stderr, "transcriptbot review: warning: %s\n", msg)
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

// checkRecordHashes compares the transcript hashes the records carry with t's. It returns ""
// when they match (or no record carries one); otherwise a message, and refuse=true when no
// record at all was written for t.
func (env *cliEnv) checkRecordHashes(name string, records []misses.Record, t *transcript.Transcript) (msg string, refuse bool) {
	other := map[string]int{}
	withHash, same := 0, 0
	for _, r := range records {
		if r.Transcript == "" {
			continue
		}
		withHash++
		if r.Transcript == t.Hash {
			same++
		} else {
			other[r.Transcript]++
		}
	}
	if withHash == same {
		return "", false
	}
	hashes := make([]string, 0, len(other))
	for h := range other {
		hashes = append(hashes, h)
	}
	sort.Slice(hashes, func(i, j int) bool {
		if other[hashes[i]] != other[hashes[j]] {
			return other[hashes[i]] > other[hashes[j]]
		}
		return hashes[i] < hashes[j]
	})
	if len(hashes) > 3 {
		hashes = append(hashes[:3], "...")
	}
	against := "the embedded transcript"
	if env.Transcript != "" {
		against = env.Transcript
	}
	if same == 0 {
		return fmt.Sprintf("%s was written for another transcript (%s), not for %s (%s): name that transcript with "+
			"--transcript or TRANSCRIPT_FILE, or, if only its sidecar changed since, add --any-transcript",
			name, strings.Join(hashes, ", "), against, t.Hash), true
	}
	return fmt.Sprintf("%d of the %d records in %s were written for another version of the transcript (%s); "+
		"they are reviewed against %s (%s)", withHash-same, len(records), name, strings.Join(hashes, ", "), against, t.Hash), false
}

// briefingReport is one briefing's part of an archive's review (review --json).
type briefingReport struct {
	Briefing string        `json:"briefing"`
	Title    string        `json:"title"`
	Date     string        `json:"date"`
	Report   misses.Report `json:"report"`
}

// reviewArchive reviews records briefing by briefing (--transcripts).
func (env *cliEnv) reviewArchive(name string, records []misses.Record, maxClusters int, asJSON bool) int {
	a, err := env.loadArchive()
	if err != nil {
		return env.runtimeError("review", err)
	}
	snap := a.Snapshot()
	groups := map[string][]misses.Record{}
	gone := 0
	for _, r := range records {
		id := r.Briefing
		if id == "" {
			id = snap.Newest().ID // a record of a bot of one transcript: the newest
		}
		if _, ok := snap.Get(id); !ok {
			gone++
			continue
		}
		groups[id] = append(groups[id], r)
	}
	ids := make([]string, 0, len(groups))
	for id := range groups {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if len(groups[ids[i]]) != len(groups[ids[j]]) {
			return len(groups[ids[i]]) > len(groups[ids[j]])
		}
		return ids[i] < ids[j]
	})
	if gone > 0 {
		fmt.Fprintf(env.Stderr, "transcriptbot review: warning: %d of the %d records in %s name a briefing no longer in %s (left out)\n", gone, len(records), name, env.Transcripts)
	}
	var out []briefingReport
	for i, id := range ids {
		br, _ := snap.Get(id)
		rep := misses.Review(groups[id], br.Matcher)
		if asJSON {
			out = append(out, briefingReport{Briefing: br.ID, Title: br.Title, Date: br.DateString(), Report: rep})
			continue
		}
		if i > 0 {
			fmt.Fprintln(env.Stdout)
		}
		head := "Briefing " + br.ID
		if br.Title != "" {
			head += " — " + br.Title
		}
		if d := br.DateString(); d != "" {
			head += " (" + d + ")"
		}
		fmt.Fprintf(env.Stdout, "== %s; sidecar: %s ==\n", head, sidecarName(br.Path))
		if err := rep.Write(env.Stdout, maxClusters); err != nil {
			return env.runtimeError("review", err)
		}
	}
	if asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if out == nil {
			out = []briefingReport{}
		}
		if err := enc.Encode(out); err != nil {
			return env.runtimeError("review", err)
		}
	}
	return exitOK
}

// sidecarName is the sidecar file of the transcript at path ("(none)" without a path).
func sidecarName(path string) string {
	if path == "" {
		return "(none)"
	}
	return transcript.SidecarPath(path)
}
