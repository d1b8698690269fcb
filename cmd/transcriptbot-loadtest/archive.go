package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"transcriptbot/matcher/archive"
	"transcriptbot/matcher/archive/archivetest"
	"transcriptbot/transcript"
)

// archiveUsage and archiveHelp describe "transcriptbot-loadtest archive".
const (
	archiveUsage = "transcriptbot-loadtest archive [--briefings N] [--entries M] [--topics T] [--queries Q] [--procs P] [--write DIR] [--json]"
	archiveHelp  = `Measures an archive of many briefings at scale (matcher/archive): a synthetic archive of
--briefings transcripts of --entries answers each (about 1 KB per answer; the default,
1,000 x 100, is about 100 MB), generated deterministically from --seed, each with a topic
vocabulary of its own over a shared one (--topics T: one of T shared topic vocabularies, as
an office's weekly briefings return to the same subjects; routing has less to go on).

It reports the time to index the whole archive (on --procs cores, default all), the Go heap
the archive holds, the process's resident set once the build's garbage is collected and
returned to the system (the archive and its parsed transcripts, as a server holds them; the
generated text is dropped first) and its peak resident set over the run, the latency of --queries queries
matched one after the other (median, p90, p99, max, and the briefings matched per query),
how often the answer is the question the query was made from, and the time to re-index one
changed briefing while the others serve. Queries run with GOMAXPROCS=1: one core.

--write DIR writes the generated transcripts into DIR (one .txt file each, named
YYYY-MM-DD-briefing-NNNN.txt) and exits: an archive to try transcriptbot --transcripts on.`
)

// archiveResult is what "archive" measures.
type archiveResult struct {
	Briefings    int     `json:"briefings"`
	Entries      int     `json:"entries"`
	TextMB       float64 `json:"text_mb"`
	Procs        int     `json:"procs"`
	BuildSeconds float64 `json:"build_seconds"`
	HeapMB       float64 `json:"heap_mb"`
	RSSMB        float64 `json:"rss_mb"`
	PeakRSSMB    float64 `json:"peak_rss_mb"`
	Queries      int     `json:"queries"`
	MedianMs     float64 `json:"median_ms"`
	P90ms        float64 `json:"p90_ms"`
	P99ms        float64 `json:"p99_ms"`
	MaxMs        float64 `json:"max_ms"`
	Searched     float64 `json:"searched_per_query"`
	Right        float64 `json:"right_share"`
	ReindexMs    float64 `json:"reindex_median_ms"`
}

// runArchive implements "transcriptbot-loadtest archive".
func runArchive(_ context.Context, env *cliEnv, args []string) int {
	fs := flag.NewFlagSet(progName+" archive", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	briefings := fs.Int("briefings", 1000, "transcripts in the generated archive")
	entries := fs.Int("entries", 100, "answers per transcript")
	queries := fs.Int("queries", 2000, "queries to time")
	procs := fs.Int("procs", runtime.NumCPU(), "cores to index on")
	seed := fs.Uint64("seed", 1, "random seed of the archive and the queries")
	topics := fs.Int("topics", 0, "briefings share `N` topic vocabularies (0: each its own)")
	write := fs.String("write", "", "write the generated archive into `DIR` and exit")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(env.Stdout, "usage: %s\n\n%s\n\nFlags:\n", archiveUsage, archiveHelp)
		fs.SetOutput(env.Stdout)
		fs.PrintDefaults()
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s archive: %v\nusage: %s\n", progName, err, archiveUsage)
		return exitUsage
	}
	if fs.NArg() > 0 || *briefings < 1 || *entries < 1 || *queries < 1 || *procs < 1 {
		fmt.Fprintf(env.Stderr, "%s archive: --briefings, --entries, --queries and --procs must be positive, and no arguments\nusage: %s\n", progName, archiveUsage)
		return exitUsage
	}
	if *topics < 0 {
		fmt.Fprintf(env.Stderr, "%s archive: --topics must be 0 or more\nusage: %s\n", progName, archiveUsage)
		return exitUsage
	}
	gen := archivetest.Options{Briefings: *briefings, Entries: *entries, Seed: *seed, Topics: *topics}
	if *write != "" {
		files := archivetest.Generate(gen)
		if err := os.MkdirAll(*write, 0o755); err != nil {
			return env.runtimeError("", err)
		}
		if err := archivetest.Write(*write, files); err != nil {
			return env.runtimeError("", err)
		}
		fmt.Fprintf(env.Stdout, "wrote %d transcripts to %s\n", len(files), *write)
		return exitOK
	}
	res, err := measureArchive(gen, *queries, *procs)
	if err != nil {
		return env.runtimeError("", err)
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return env.runtimeError("", err)
		}
		return exitOK
	}
	fmt.Fprintf(env.Stdout, "archive: %d briefings x %d answers, %.0f MB of text\n", res.Briefings, res.Entries, res.TextMB)
	fmt.Fprintf(env.Stdout, "index build: %.2f s on %d cores; heap %.0f MB, resident %.0f MB, peak resident %.0f MB\n", res.BuildSeconds, res.Procs, res.HeapMB, res.RSSMB, res.PeakRSSMB)
	fmt.Fprintf(env.Stdout, "queries (1 core): %d, median %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.1f ms; %.1f briefings matched per query; %.1f%% answered from their own question\n",
		res.Queries, res.MedianMs, res.P90ms, res.P99ms, res.MaxMs, res.Searched, 100*res.Right)
	fmt.Fprintf(env.Stdout, "one changed briefing re-indexed: median %.1f ms\n", res.ReindexMs)
	return exitOK
}

// archiveInput is what measureArchive needs of a generated archive: the parsed briefings,
// the queries and the briefing it re-indexes.
type archiveInput struct {
	bs     []*transcript.Briefing
	qs     []archivetest.Query
	f      archivetest.File
	textMB float64
}

// parseArchive generates the archive and parses it. The generated text is garbage once it
// returns, so that the memory measured after is the archive's and its transcripts'.
func parseArchive(gen archivetest.Options, nQueries int) (archiveInput, error) {
	files := archivetest.Generate(gen)
	in := archiveInput{bs: make([]*transcript.Briefing, len(files))}
	for i, f := range files {
		in.textMB += float64(len(f.Text)) / (1 << 20)
		t, err := transcript.Parse(strings.NewReader(f.Text))
		if err != nil {
			return in, fmt.Errorf("%s: %w", f.Name, err)
		}
		in.bs[i] = transcript.NewBriefing(f.ID(), "", t)
	}
	in.qs = archivetest.Queries(files, nQueries, gen.Seed+1)
	in.f = files[len(files)/2]
	return in, nil
}

// measureArchive builds the archive gen describes and times it.
func measureArchive(gen archivetest.Options, nQueries, procs int) (archiveResult, error) {
	res := archiveResult{Briefings: gen.Briefings, Entries: gen.Entries, Procs: procs, Queries: nQueries}
	in, err := parseArchive(gen, nQueries)
	if err != nil {
		return res, err
	}
	bs, qs, f := in.bs, in.qs, in.f
	res.TextMB = in.textMB
	in = archiveInput{}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	prev := runtime.GOMAXPROCS(procs)
	a := archive.New(archive.Options{})
	start := time.Now()
	if errs := a.Load(bs); len(errs) > 0 {
		runtime.GOMAXPROCS(prev)
		return res, errs[0]
	}
	res.BuildSeconds = time.Since(start).Seconds()
	bs = nil
	runtime.GC()
	debug.FreeOSMemory()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	res.HeapMB = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / (1 << 20)
	res.RSSMB = float64(ltRSS()) / (1 << 20)

	runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	snap := a.Snapshot()
	times := make([]time.Duration, len(qs))
	right, searched := 0, 0
	for i, q := range qs {
		t0 := time.Now()
		r := snap.Match(q.Text, 0, archive.Scope{})
		times[i] = time.Since(t0)
		searched += r.Searched
		if r.Briefing != nil && r.Briefing.ID == q.Briefing && r.Number == q.Number {
			right++
		}
	}
	slices.Sort(times)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	res.MedianMs, res.P90ms = ms(times[len(times)/2]), ms(times[len(times)*9/10])
	res.P99ms, res.MaxMs = ms(times[len(times)*99/100]), ms(times[len(times)-1])
	res.Searched = float64(searched) / float64(len(qs))
	res.Right = float64(right) / float64(len(qs))

	// One briefing edited and put back, as serve does when its file changes.
	var reindex []time.Duration
	for k := range 11 {
		t, err := transcript.Parse(strings.NewReader(f.Text + fmt.Sprintf("Edit %d of the last answer.\n", k)))
		if err != nil {
			return res, err
		}
		t0 := time.Now()
		if err := a.Put(transcript.NewBriefing(f.ID(), "", t)); err != nil {
			return res, err
		}
		reindex = append(reindex, time.Since(t0))
	}
	slices.Sort(reindex)
	res.ReindexMs = ms(reindex[len(reindex)/2])
	res.PeakRSSMB = float64(ltPeakRSS()) / (1 << 20)
	return res, nil
}
