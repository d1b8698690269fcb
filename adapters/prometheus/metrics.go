// Package prometheus makes the bot observable the way operators expect of a Go service:
// Prometheus metrics on a registry of the Metrics' own (names start transcriptbot_), served
// over HTTP for a scraper outside the process. Metrics.Wrap is middleware around the bot core
// that counts requests, outcomes and latency and logs one line per request; counters for send
// failures and dropped replies, a gauge of each platform's API being down (an outage),
// transcript reloads and the Redis connection's health complete it.
//
// It is the adapter to Prometheus, under adapters/ with the other packages that speak to the
// world outside the process, and the only package that imports the Prometheus client (inside
// this package the identifier prometheus names that client). The redacting log handler that
// once shared its room lives in cmd/transcriptbot, which builds the loggers.
package prometheus

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"transcriptbot/bot"
)

// Metrics holds the bot's Prometheus collectors on a registry of its own (never the global
// one), together with the Go runtime and process collectors. It is safe for concurrent use.
type Metrics struct {
	reg          *prometheus.Registry
	requests     *prometheus.CounterVec
	answers      *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	sendFailures *prometheus.CounterVec
	dropped      *prometheus.CounterVec
	apiDown      *prometheus.GaugeVec
	reloads      *prometheus.CounterVec
	questions    prometheus.Gauge
	loaded       prometheus.Gauge

	redisOnce     sync.Once
	redisUp       prometheus.Gauge
	redisFailures *prometheus.CounterVec
}

// Outcomes are the values of the outcome label of transcriptbot_answers_total, one per
// bot.ReplyKind (index), "other" for a kind this package does not know.
var Outcomes = []string{
	bot.ReplyAnswer:     "matched",
	bot.ReplyByNumber:   "by_number",
	bot.ReplyAmbiguous:  "ambiguous",
	bot.ReplyNotCovered: "not_covered",
	bot.ReplyList:       "list",
	bot.ReplyHelp:       "help",
	bot.ReplySmallTalk:  "small_talk",
	bot.ReplyInvalid:    "invalid",
	bot.ReplyExpired:    "expired",
	bot.ReplyError:      "error",
	bot.ReplyThrottled:  "throttled",
	bot.ReplySilent:     "silent",
}

// Outcome returns the outcome label for k.
func Outcome(k bot.ReplyKind) string {
	if int(k) >= 0 && int(k) < len(Outcomes) && Outcomes[k] != "" {
		return Outcomes[k]
	}
	return "other"
}

// KindLabel returns the kind label of transcriptbot_requests_total for k.
func KindLabel(k bot.Kind) string {
	switch k {
	case bot.KindMessage:
		return "message"
	case bot.KindCommand:
		return "command"
	case bot.KindMention:
		return "mention"
	case bot.KindInline:
		return "inline"
	case bot.KindButton:
		return "button"
	case bot.KindJoined:
		return "joined"
	}
	return "other"
}

// NewMetrics returns a Metrics with every collector registered on a fresh registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "transcriptbot_requests_total",
			Help: "Requests handled, by platform and kind (message, command, mention, inline, button, joined, suggest).",
		}, []string{"platform", "kind"}),
		answers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "transcriptbot_answers_total",
			Help: "Replies by outcome (matched, by_number, ambiguous, not_covered, list, help, small_talk, invalid, expired, error, throttled, silent).",
		}, []string{"outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "transcriptbot_reply_duration_seconds",
			Help:    "Time taken to compute a reply, by platform.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"platform"}),
		sendFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "transcriptbot_send_failures_total",
			Help: "Replies the platform did not accept after retries, by platform and code (HTTP status or error class).",
		}, []string{"platform", "code"}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "transcriptbot_replies_dropped_total",
			Help: "Replies given up for good, by platform: after temporary failures (network, 429, 5xx) for as long as the platform's retry policy allows, or cut short by shutdown after their update was acknowledged.",
		}, []string{"platform"}),
		apiDown: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "transcriptbot_platform_api_down",
			Help: "1 while the platform's API is failing sends (an outage: replies are held and retried), 0 otherwise.",
		}, []string{"platform"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "transcriptbot_transcript_reloads_total",
			Help: "Transcript reload attempts, by result (ok, error).",
		}, []string{"result"}),
		questions: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "transcriptbot_transcript_questions",
			Help: "Number of questions in the transcript being served.",
		}),
		loaded: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "transcriptbot_transcript_loaded_timestamp_seconds",
			Help: "Unix time at which the transcript being served was loaded.",
		}),
	}
	m.reg.MustRegister(m.requests, m.answers, m.latency, m.sendFailures, m.dropped, m.apiDown, m.reloads, m.questions, m.loaded,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, o := range Outcomes {
		m.answers.WithLabelValues(o) // present at zero from the first scrape
	}
	for _, r := range []string{"ok", "error"} {
		m.reloads.WithLabelValues(r)
	}
	return m
}

// Registry returns the registry holding the collectors, to register more or to gather.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// HTTPHandler serves the metrics in the Prometheus exposition format, for /metrics.
func (m *Metrics) HTTPHandler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// SendFailure counts a reply the platform did not accept; code is its HTTP status, or 0 for
// a network error (labelled "network").
func (m *Metrics) SendFailure(platform string, code int) {
	label := "network"
	if code != 0 {
		label = strconv.Itoa(code)
	}
	m.sendFailures.WithLabelValues(platform, label).Inc()
}

// ReplyDropped counts a reply the platform's adapter gave up for good after temporary
// failures.
func (m *Metrics) ReplyDropped(platform string) {
	m.dropped.WithLabelValues(platform).Inc()
}

// APIDown records whether the platform's API is failing sends (an outage).
func (m *Metrics) APIDown(platform string, down bool) {
	v := 0.0
	if down {
		v = 1
	}
	m.apiDown.WithLabelValues(platform).Set(v)
}

// Loaded records that a transcript of questions questions is now being served (at start-up
// or after a successful reload).
func (m *Metrics) Loaded(questions int, at time.Time) {
	m.questions.Set(float64(questions))
	m.loaded.Set(float64(at.UnixNano()) / 1e9)
}

// Reloaded counts a reload attempt: ok when the new transcript was swapped in.
func (m *Metrics) Reloaded(ok bool) {
	if ok {
		m.reloads.WithLabelValues("ok").Inc()
	} else {
		m.reloads.WithLabelValues("error").Inc()
	}
}

// RedisFailureKinds are the values of the kind label of transcriptbot_redis_failures_total.
var RedisFailureKinds = []string{"timeout", "error", "skipped"}

// TrackRedis registers the Redis collectors, transcriptbot_redis_up (1 while the shared state
// is in Redis, 0 while Redis is skipped because it stopped answering) and
// transcriptbot_redis_failures_total (operations that did not reach Redis, by kind: timeout,
// error, skipped), and sets transcriptbot_redis_up to 1. Without it, as without Redis, neither
// is exported. Calling it again does nothing.
func (m *Metrics) TrackRedis() {
	m.redisOnce.Do(func() {
		m.redisUp = prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "transcriptbot_redis_up",
			Help: "1 while the shared state is kept in Redis, 0 while Redis is skipped because it stopped answering (the bot fails open).",
		})
		m.redisFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "transcriptbot_redis_failures_total",
			Help: "Redis operations that did not reach Redis, by kind (timeout, error: a connection failure, skipped: Redis was not answering).",
		}, []string{"kind"})
		m.reg.MustRegister(m.redisUp, m.redisFailures)
		for _, k := range RedisFailureKinds {
			m.redisFailures.WithLabelValues(k)
		}
		m.redisUp.Set(1)
	})
}

// RedisHealth sets transcriptbot_redis_up. It does nothing before TrackRedis.
func (m *Metrics) RedisHealth(up bool) {
	if m.redisUp == nil {
		return
	}
	if up {
		m.redisUp.Set(1)
	} else {
		m.redisUp.Set(0)
	}
}

// RedisFailure counts a Redis operation that did not reach Redis. It does nothing before
// TrackRedis.
func (m *Metrics) RedisFailure(kind string) {
	if m.redisFailures == nil {
		return
	}
	m.redisFailures.WithLabelValues(kind).Inc()
}

// WrapOptions configure Wrap.
type WrapOptions struct {
	// Platform labels requests and Suggest calls whose Platform is empty.
	Platform string
	// Logger, when set, gets one debug line per request: platform, kind, outcome, duration.
	Logger *slog.Logger
	// LogMessages adds the user's text to those lines, cut to MaxLoggedText bytes. Off by
	// default: message text is personal data; turn it on only to debug.
	LogMessages bool
}

// MaxLoggedText bounds the message text one log line carries (LogMessages): a longer text is
// cut at a character boundary and marked with its full length.
const MaxLoggedText = 200

// logText is s cut to MaxLoggedText bytes, never inside a character.
func logText(s string) string {
	if len(s) <= MaxLoggedText {
		return s
	}
	cut := MaxLoggedText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "… (" + strconv.Itoa(len(s)) + " bytes)"
}

// Wrap returns a bot.Handler that forwards to next and records every request in m.
func (m *Metrics) Wrap(next bot.Handler, opts WrapOptions) bot.Handler {
	return &observed{next: next, m: m, opts: opts}
}

var _ bot.Handler = (*observed)(nil)

type observed struct {
	next bot.Handler
	m    *Metrics
	opts WrapOptions
}

func (o *observed) Handle(ctx context.Context, req bot.Request) bot.Reply {
	platform := req.Platform
	if platform == "" {
		platform = o.opts.Platform
	}
	start := time.Now()
	reply := o.next.Handle(ctx, req)
	took := time.Since(start)
	kind := KindLabel(req.Kind)
	outcome := Outcome(reply.Kind)
	o.m.requests.WithLabelValues(platform, kind).Inc()
	o.m.answers.WithLabelValues(outcome).Inc()
	o.m.latency.WithLabelValues(platform).Observe(took.Seconds())
	if o.opts.Logger != nil && o.opts.Logger.Enabled(ctx, slog.LevelDebug) {
		attrs := []slog.Attr{
			slog.String("platform", platform), slog.String("kind", kind), slog.String("outcome", outcome),
			slog.Int("number", reply.Number), slog.Duration("took", took),
		}
		if req.Command != "" {
			attrs = append(attrs, slog.String("command", req.Command))
		}
		if o.opts.LogMessages {
			attrs = append(attrs, slog.String("text", logText(req.Text)))
		}
		o.opts.Logger.LogAttrs(ctx, slog.LevelDebug, "request", attrs...)
	}
	return reply
}

func (o *observed) Suggest(ctx context.Context, req bot.SuggestRequest) []bot.Reply {
	platform := req.Platform
	if platform == "" {
		platform = o.opts.Platform
	}
	start := time.Now()
	replies := o.next.Suggest(ctx, req)
	took := time.Since(start)
	o.m.requests.WithLabelValues(platform, "suggest").Inc()
	o.m.latency.WithLabelValues(platform).Observe(took.Seconds())
	if o.opts.Logger != nil && o.opts.Logger.Enabled(ctx, slog.LevelDebug) {
		attrs := []slog.Attr{slog.String("platform", platform), slog.String("kind", "suggest"),
			slog.Int("results", len(replies)), slog.Duration("took", took)}
		if o.opts.LogMessages {
			attrs = append(attrs, slog.String("text", logText(req.Query)))
		}
		o.opts.Logger.LogAttrs(ctx, slog.LevelDebug, "request", attrs...)
	}
	return replies
}
