package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"transcriptbot/bot"
	"transcriptbot/transcript"
)

// usage is the command line, and help what --help prints above the flags.
const (
	usage = "transcriptbot-loadtest [--scenario NAME] [--updates N] [--chats C] [--interactions N] [--concurrency K] [--json] [--cpuprofile FILE]"
	help  = `Runs the real bot core (over --transcript and --lang) behind the real Telegram and Discord
adapters, against fake platform servers listening on 127.0.0.1, and checks every reply.

Scenarios:
  telegram-poll     --updates updates across --chats chats (private chats and groups) through
                    a fake Bot API: getUpdates with real offsets and long polling, sendMessage,
                    editMessageText, answerCallbackQuery, answerInlineQuery.
  telegram-webhook  the same stream POSTed to the adapter's webhook handler with the secret
                    header, --concurrency requests at a time (Telegram's max_connections).
  discord-http      --interactions Ed25519-signed interactions (/ask, /answer, /questions,
                    /help, autocomplete, buttons, the context menu, PING) POSTed by
                    --concurrency clients to the interactions endpoint; deferred answers arrive
                    as follow-ups at a fake REST server (Config.APIBase).
  all               the three, one after the other (the default).

Each chat is a user who sends a message and waits for the answer before sending the next
(free-text questions, numbers, commands, small talk, out-of-scope questions, odd input,
button presses on the bot's last message, inline queries; in groups also chatter the bot must
ignore). Latency is the time from an update becoming available (queued for getUpdates, or
handed to the webhook sender, including any wait for one of its --concurrency connections) to
the fake platform receiving its reply; for a button press, both the callback answer and the new
or edited message. A Discord interaction's latency runs to its HTTP answer,
or to its follow-up when it was deferred.

The Telegram adapter's send limits are raised far above Telegram's published rates (1 message
per second per chat, 20 per minute per group, 30 per second overall), which would otherwise
bound throughput at 30 messages per second; --telegram-rates real keeps them and measures that.

With --group-repeat, a question asked again in a group may be answered by a reply pointing to
the bot's earlier answer there, which counts as its answer.

Checks: every update answered exactly once (nothing lost, nothing twice, no reply to chatter),
every update confirmed (polling), every Telegram text valid HTML parse mode of 1-4096 UTF-16
units after entity parsing with valid buttons, every Discord interaction answered with HTTP 200
within the 3-second window, every Discord message within content 2000, embed title 256,
description 4096, footer 2048, all embeds 6000, components and choices limits, with
allowed_mentions.parse empty. Exit status 1 when any check fails.

Memory: the peak heap in use and Go runtime total sampled during each scenario, and the
process's peak resident set (VmHWM, Linux) at the end; the fake servers and load generators
run in the same process and are included.`
)

// discordWindowMax bounds --discord-window: past 3 seconds Discord has given up.
const discordWindowMax = 3 * time.Second

// Loadtest scenario names.
const (
	scenarioTelegramPoll    = "telegram-poll"
	scenarioTelegramWebhook = "telegram-webhook"
	scenarioDiscordHTTP     = "discord-http"
	scenarioAll             = "all"
)

// ltOptions are the loadtest's parameters.
type ltOptions struct {
	Updates      int           // Telegram updates per Telegram scenario
	Chats        int           // Telegram chats
	Interactions int           // Discord interactions
	Concurrency  int           // concurrent webhook POSTs and Discord clients
	Seed         uint64        // the load is a deterministic function of the seed
	Timeout      time.Duration // bound on each scenario
	RealRates    bool          // keep Telegram's published send rates
	DCWindow     time.Duration // Discord adapter's AnswerWindow (0: its default)
	Repeat       time.Duration // adapters' RepeatWindow: group etiquette (0: off)
	Progress     io.Writer     // optional progress lines
}

// ltResult is one scenario's measurements.
type ltResult struct {
	Scenario    string  `json:"scenario"`
	Count       int     `json:"count"` // updates or interactions offered
	Chats       int     `json:"chats,omitempty"`
	Concurrency int     `json:"concurrency,omitempty"`
	Answered    int     `json:"answered"`   // answered exactly as expected
	Ignored     int     `json:"ignored"`    // group chatter correctly left unanswered
	Seconds     float64 `json:"seconds"`    // first update offered to last answer
	Throughput  float64 `json:"throughput"` // updates (or interactions) per second
	P50ms       float64 `json:"p50_ms"`
	P90ms       float64 `json:"p90_ms"`
	P99ms       float64 `json:"p99_ms"`
	MaxMs       float64 `json:"max_ms"`
	Lost        int     `json:"lost"`
	Duplicates  int     `json:"duplicates"`
	Violations  int     `json:"violations"`
	WindowMiss  int     `json:"window_misses"`              // Discord: HTTP answer later than 3 s
	Deferred    int     `json:"deferred,omitempty"`         // Discord: answered by follow-up
	Early       int     `json:"early_follow_ups,omitempty"` // Discord: follow-ups before their deferral arrived (404, retried)
	Requests    int     `json:"requests"`                   // requests the fake platform received
	Posted      int     `json:"posted,omitempty"`           // Discord: of Requests, the interactions posted to the bot
	Conns       int     `json:"connections"`                // TCP connections the fake platform accepted
	PeakHeap    uint64  `json:"peak_heap_bytes"`            // heap in use, sampled
	PeakGo      uint64  `json:"peak_go_total_bytes"`
	Warnings    int     `json:"adapter_warnings"` // adapter log records at Warn or above
	// Mix counts what the fake platform saw: Bot API methods, or Discord response types.
	Mix      map[string]int `json:"mix,omitempty"`
	Problems []string       `json:"problems,omitempty"`
}

// failed reports whether any check of the scenario failed.
func (r *ltResult) failed() bool {
	return r.Lost > 0 || r.Duplicates > 0 || r.Violations > 0 || r.WindowMiss > 0
}

// ltReport is the whole run.
type ltReport struct {
	Transcript string      `json:"transcript"`
	Questions  int         `json:"questions"`
	GoVersion  string      `json:"go"`
	GOMAXPROCS int         `json:"gomaxprocs"`
	Scenarios  []*ltResult `json:"scenarios"`
	PeakRSS    uint64      `json:"peak_rss_bytes,omitempty"` // VmHWM
	OK         bool        `json:"ok"`
}

func runLoadtest(ctx context.Context, env *cliEnv, args []string) int {
	fs := env.flagSet("loadtest")
	scenario := fs.String("scenario", scenarioAll, "`NAME`: telegram-poll, telegram-webhook, discord-http or all")
	updates := fs.Int("updates", 10000, "Telegram updates per Telegram scenario")
	chats := fs.Int("chats", 200, "Telegram chats the updates are spread over (a mix of private chats and groups)")
	interactions := fs.Int("interactions", 10000, "Discord interactions")
	concurrency := fs.Int("concurrency", 40, "concurrent webhook POSTs and Discord clients")
	seed := fs.Uint64("seed", 1, "seed of the generated load (the same seed gives the same messages)")
	timeout := fs.Duration("timeout", 10*time.Minute, "give up a scenario after this long")
	window := fs.Duration("discord-window", 0, "the Discord adapter's answer window before it defers (0: its default, 2.5s); a tiny one makes most interactions defer and answer by follow-up")
	repeat := fs.Duration("group-repeat", 0, "group etiquette window of the adapters (serve's GROUP_REPEAT_WINDOW): a question answered in a group this recently gets a pointer to that answer (0: off, every question answered in full)")
	rates := fs.String("telegram-rates", "high", "Telegram adapter send limits: high (far above Telegram's) or real (Telegram's published rates)")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the run to `FILE` (go tool pprof -top FILE)")
	verbose := fs.Bool("v", false, "print progress to stderr")
	rest, code, ok := env.parse(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 0 {
		return env.usageError("loadtest", "unexpected argument %q", rest[0])
	}
	var scenarios []string
	switch *scenario {
	case scenarioAll:
		scenarios = []string{scenarioTelegramPoll, scenarioTelegramWebhook, scenarioDiscordHTTP}
	case scenarioTelegramPoll, scenarioTelegramWebhook, scenarioDiscordHTTP:
		scenarios = []string{*scenario}
	default:
		return env.usageError("loadtest", "unknown --scenario %q: want telegram-poll, telegram-webhook, discord-http or all", *scenario)
	}
	const maxCount = 10_000_000
	switch {
	case *updates < 1 || *updates > maxCount:
		return env.usageError("loadtest", "--updates must be in 1..%d", maxCount)
	case *chats < 1 || *chats > 100_000:
		return env.usageError("loadtest", "--chats must be in 1..100000")
	case *interactions < 1 || *interactions > maxCount:
		return env.usageError("loadtest", "--interactions must be in 1..%d", maxCount)
	case *concurrency < 1 || *concurrency > 10_000:
		return env.usageError("loadtest", "--concurrency must be in 1..10000")
	case *timeout <= 0:
		return env.usageError("loadtest", "--timeout must be positive")
	case *repeat < 0:
		return env.usageError("loadtest", "--group-repeat must not be negative")
	case *window < 0 || *window > discordWindowMax:
		return env.usageError("loadtest", "--discord-window must be in 0..%v", discordWindowMax)
	case *rates != "high" && *rates != "real":
		return env.usageError("loadtest", "unknown --telegram-rates %q: want high or real", *rates)
	}

	core, m, err := env.newBot()
	if err != nil {
		return env.runtimeError("loadtest", err)
	}
	t := m.Transcript()
	opts := ltOptions{Updates: *updates, Chats: *chats, Interactions: *interactions, Concurrency: *concurrency,
		Seed: *seed, Timeout: *timeout, RealRates: *rates == "real", DCWindow: *window, Repeat: *repeat}
	if *verbose {
		opts.Progress = env.Stderr
	}

	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return env.runtimeError("loadtest", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return env.runtimeError("loadtest", err)
		}
		defer func() {
			pprof.StopCPUProfile()
			if err := f.Close(); err != nil {
				fmt.Fprintf(env.Stderr, "transcriptbot-loadtest: %v\n", err)
			}
		}()
	}

	report := &ltReport{Transcript: ltTranscriptName(env, t), Questions: t.Len(), GoVersion: runtime.Version(),
		GOMAXPROCS: runtime.GOMAXPROCS(0), OK: true}
	gen := newLtGen(t, core)
	for _, name := range scenarios {
		if ctx.Err() != nil {
			break
		}
		res, err := ltRunScenario(ctx, name, core, t, gen, opts)
		if err != nil {
			return env.runtimeError("loadtest", fmt.Errorf("%s: %w", name, err))
		}
		report.Scenarios = append(report.Scenarios, res)
		if res.failed() {
			report.OK = false
		}
	}
	if ctx.Err() != nil {
		fmt.Fprintln(env.Stderr, "transcriptbot-loadtest: interrupted")
		report.OK = false
	}
	report.PeakRSS = ltPeakRSS()
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return env.runtimeError("loadtest", err)
		}
	} else if err := ltWriteReport(env.Stdout, report); err != nil {
		return env.runtimeError("loadtest", err)
	}
	if !report.OK {
		return exitError
	}
	return exitOK
}

// ltTranscriptName names the transcript in the report.
func ltTranscriptName(env *cliEnv, t *transcript.Transcript) string {
	if env.Transcript != "" {
		return env.Transcript
	}
	return "embedded: " + t.Title
}

// ltRunScenario runs one scenario with memory sampling around it.
func ltRunScenario(ctx context.Context, name string, core *bot.Bot, t *transcript.Transcript, gen *ltGen, opts ltOptions) (*ltResult, error) {
	runtime.GC()
	sampler := ltStartMemSampler()
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	var res *ltResult
	var err error
	switch name {
	case scenarioTelegramPoll:
		res, err = ltRunTelegram(ctx, core, gen, opts, false)
	case scenarioTelegramWebhook:
		res, err = ltRunTelegram(ctx, core, gen, opts, true)
	case scenarioDiscordHTTP:
		res, err = ltRunDiscord(ctx, core, t, gen, opts)
	default:
		err = fmt.Errorf("unknown scenario %q", name)
	}
	heap, total := sampler.stop()
	if err != nil {
		return nil, err
	}
	res.Scenario = name
	res.PeakHeap, res.PeakGo = heap, total
	if ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		res.Problems = append(res.Problems, fmt.Sprintf("scenario cut short by --timeout %v", opts.Timeout))
		res.Violations++
	}
	return res, nil
}

// ltCount returns "1 request" or "3 requests".
func ltCount(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// ltLegend explains the table's columns that are not self-evident.
const ltLegend = `answered: as expected; ignored: group chatter rightly left unanswered; lost: never answered;
dup: answered more than once; viol: replies breaking a platform rule (message or button limits,
rates, malformed requests; each is listed below); late: Discord interactions answered after 3 s;
deferred: Discord interactions answered by a deferral, then a follow-up.`

// ltWriteReport prints the report as a table.
func ltWriteReport(w io.Writer, r *ltReport) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "transcript: %s (%d questions); %s, GOMAXPROCS %d\n\n", r.Transcript, r.Questions, r.GoVersion, r.GOMAXPROCS)
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tcount\tanswered\tignored\tseconds\tper s\tp50 ms\tp90 ms\tp99 ms\tmax ms\tlost\tdup\tviol\tlate\tdeferred\tpeak heap MiB\t")
	for _, s := range r.Scenarios {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.2f\t%.0f\t%.1f\t%.1f\t%.1f\t%.1f\t%d\t%d\t%d\t%d\t%d\t%.1f\t\n",
			s.Scenario, s.Count, s.Answered, s.Ignored, s.Seconds, s.Throughput, s.P50ms, s.P90ms, s.P99ms, s.MaxMs,
			s.Lost, s.Duplicates, s.Violations, s.WindowMiss, s.Deferred, ltMiB(s.PeakHeap))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, ltLegend)
	fmt.Fprintln(bw)
	for _, s := range r.Scenarios {
		if s.Posted > 0 {
			// Discord: the interactions go to the bot; only deferred answers reach the fake API.
			fmt.Fprintf(bw, "%s: %s posted to the bot; %s to the fake REST API over %s; Go runtime peak %.1f MiB; %s\n",
				s.Scenario, ltCount(s.Posted, "interaction"), ltCount(s.Requests-s.Posted, "request"), ltCount(s.Conns, "connection"),
				ltMiB(s.PeakGo), ltCount(s.Warnings, "adapter warning"))
		} else {
			fmt.Fprintf(bw, "%s: %s to the fake platform over %s; Go runtime peak %.1f MiB; %s\n",
				s.Scenario, ltCount(s.Requests, "request"), ltCount(s.Conns, "connection"), ltMiB(s.PeakGo), ltCount(s.Warnings, "adapter warning"))
		}
		if len(s.Mix) > 0 {
			keys := make([]string, 0, len(s.Mix))
			for k := range s.Mix {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			var parts []string
			for _, k := range keys {
				parts = append(parts, fmt.Sprintf("%s %d", k, s.Mix[k]))
			}
			fmt.Fprintf(bw, "  mix: %s\n", strings.Join(parts, ", "))
		}
		if s.Early > 0 {
			fmt.Fprintf(bw, "  %d follow-ups reached the REST API before their deferral had (404; the adapter retried them)\n", s.Early)
		}
		for _, p := range s.Problems {
			fmt.Fprintf(bw, "  problem: %s\n", p)
		}
	}
	if r.PeakRSS > 0 {
		fmt.Fprintf(bw, "peak resident set of the process (VmHWM): %.1f MiB\n", ltMiB(r.PeakRSS))
	}
	if r.OK {
		fmt.Fprintln(bw, "OK: nothing lost, nothing answered twice, no reply over a platform limit")
	} else {
		fmt.Fprintln(bw, "FAILED: see the problems above")
	}
	return bw.Flush()
}

func ltMiB(b uint64) float64 { return float64(b) / (1 << 20) }

// progressf prints a progress line when --v was given.
func (o ltOptions) progressf(format string, a ...any) {
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, "loadtest: "+format+"\n", a...)
	}
}
