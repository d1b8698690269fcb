package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"transcriptbot/adapters/dedup"
	"transcriptbot/adapters/discord"
	"transcriptbot/adapters/misses"
	"transcriptbot/adapters/prometheus"
	"transcriptbot/adapters/recent"
	"transcriptbot/adapters/redis"
	"transcriptbot/adapters/telegram"
	"transcriptbot/bot"
	"transcriptbot/bot/flood"
	"transcriptbot/matcher/archive"
	"transcriptbot/transcript"
)

func init() {
	register(&command{
		name:    "serve",
		summary: "run the bot on Telegram and Discord, with health checks and metrics",
		usage:   "serve [--check] [FLAGS]",
		help: `Runs every platform whose credentials are set, in one process: Telegram (TELEGRAM_TOKEN),
the Discord gateway (DISCORD_TOKEN) and Discord HTTP interactions (DISCORD_PUBLIC_KEY).
One HTTP server on HTTP_ADDR serves /telegram/webhook, /discord/interactions, /healthz,
/readyz and /metrics (Prometheus).

Every setting is an environment variable with a flag of the same meaning (the flag wins);
secrets also have a NAME_FILE form that reads the value from a file (Docker secrets).
All invalid settings are reported together, before anything connects (exit status 2).

SIGHUP, or a change to the transcript or its sidecar on disk, reloads the transcript; a bad
file keeps the old one serving. SIGHUP also reopens MISS_LOG (after a log rotation).

SIGTERM or SIGINT stops taking updates, finishes the replies in flight within
SHUTDOWN_TIMEOUT and exits 0. Telegram gets back what was not answered by then: polling leaves
those updates unconfirmed; a webhook answers their requests 503 (it answers 200 only once an
update's reply is sent). Either way Telegram delivers them again.

With REDIS_URL, flood control, update de-duplication and the group repeat pointers are
shared in Redis, so several replicas can serve one bot. Redis is an optimisation: each
operation is bounded by REDIS_TIMEOUT, and a Redis that is slow, frozen or gone is skipped
(the bot answers without the shared state) until it answers again; /readyz reports it in
its body and stays 200, and transcriptbot_redis_up says it in /metrics.

The transcript comes from TRANSCRIPT_FILE (or --transcript) and is stemmed in TRANSCRIPT_LANG
(or --lang), as for every command.

--check validates the configuration and the transcript and exits without connecting (exit 0
when valid, also before any platform's credentials are set; 2 with the problems listed).`,
		run:       runServe,
		ownConfig: true,
	})
}

// runServe implements the serve subcommand.
func runServe(ctx context.Context, env *cliEnv, args []string) int {
	fs := env.flagSet("serve")
	cf := bindConfigFlags(fs, "")
	check := fs.Bool("check", false, "check the configuration and the transcript, then exit")
	rest, code, ok := env.parse(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return env.usageError("serve", "unexpected argument %q", rest[0])
	}
	// --check validates what is set; having no platform yet is worth saying, not failing:
	// one checks the transcript and the settings before getting a token.
	cfg, err := loadConfig(cf.given(fs, env), env.Getenv, !*check)
	if err != nil {
		reportConfigErrors(env.Stderr, "serve", err)
		return exitUsage
	}
	if *check {
		platforms := strings.Join(cfg.platforms(), ", ")
		if platforms == "" {
			platforms = "none yet (serve needs TELEGRAM_TOKEN, DISCORD_TOKEN or DISCORD_PUBLIC_KEY to start)"
		}
		fmt.Fprintf(env.Stdout, "configuration OK: %d questions; platforms: %s\n", cfg.Transcript.Len(), platforms)
		return exitOK
	}
	return serve(ctx, cfg, serveOptions{Stderr: env.Stderr})
}

// reportConfigErrors prints each of the joined start-up errors on its own line.
func reportConfigErrors(w io.Writer, name string, err error) {
	fmt.Fprintf(w, "transcriptbot %s: invalid configuration:\n", name)
	for line := range strings.SplitSeq(err.Error(), "\n") {
		fmt.Fprintf(w, "  - %s\n", line)
	}
	if errors.Is(err, errNoPlatform) {
		fmt.Fprintf(w, "Run 'transcriptbot %s --help' for the settings.\n", name)
	}
}

// platforms names the front doors the configuration enables.
func (c *Config) platforms() []string {
	var p []string
	if c.Telegram.Token != "" {
		mode := "polling"
		if c.Telegram.WebhookURL != "" {
			mode = "webhook"
		}
		p = append(p, "telegram ("+mode+")")
	}
	if c.Discord.Token != "" && c.Discord.Gateway {
		p = append(p, "discord gateway")
	}
	if c.Discord.PublicKey != "" {
		p = append(p, "discord interactions")
	}
	return p
}

// serveOptions are serve's dependencies besides the configuration; tests set the hooks.
type serveOptions struct {
	// Stderr receives the logs.
	Stderr io.Writer
	// Listener, when set, is used instead of listening on Config.HTTPAddr.
	Listener net.Listener
	// Reload, when set, triggers reloads like SIGHUP does.
	Reload <-chan struct{}
	// WrapCore, when set, wraps the bot core (under flood control and metrics).
	WrapCore func(bot.Handler) bot.Handler
	// Started, when set, is called once the HTTP server listens and the adapters run.
	Started func(addr net.Addr)
}

// frontDoor is one platform as serve runs it.
type frontDoor struct {
	name  string
	run   func(ctx context.Context) error // nil: nothing to run (HTTP interactions only)
	ready func() bool
	drain func(ctx context.Context) error // optional: wait for work outliving run
}

// serve runs the bot until ctx is done or a platform fails, and returns the exit status.
func serve(ctx context.Context, cfg *Config, opts serveOptions) int {
	if opts.Stderr == nil {
		opts.Stderr = io.Discard
	}
	logger := newLogger(cfg, opts.Stderr)
	restore := installDefaultLogger(logger)
	defer restore()
	hup, stopHUP := notifyHUP() // from the start: SIGHUP must never end the process
	defer stopHUP()

	metrics := prometheus.NewMetrics()
	metrics.Loaded(cfg.Transcript.Len(), time.Now())

	st, err := openState(ctx, cfg, logger, metrics)
	if err != nil {
		if ctx.Err() != nil {
			logger.Info("interrupted while connecting to Redis")
			return exitOK
		}
		logger.Error("cannot start", "err", err)
		return exitError
	}
	defer st.close(logger)

	botOpts := bot.Options{Logger: logger, Turns: st.turns, TurnTTL: cfg.FollowUpWindow}
	if cfg.FollowUpWindow <= 0 {
		botOpts.TurnTTL = -1 // follow-ups off
	}
	if st.misses != nil {
		botOpts.OnMiss = func(query string) {
			if err := st.misses.Record(query, misses.ReasonAbstained); err != nil {
				logger.Warn("miss log: a question was not recorded", "err", err)
			}
		}
		botOpts.OnMissIn = func(query, briefing, version string) {
			if err := st.misses.RecordIn(query, misses.ReasonAbstained, briefing, version); err != nil {
				logger.Warn("miss log: a question was not recorded", "err", err)
			}
		}
	}
	core := bot.New(cfg.Matcher, botOpts)
	if cfg.Archive != nil {
		core = bot.NewArchive(cfg.Archive, botOpts)
		for _, err := range cfg.Skipped {
			logger.Error("archive: file skipped; the other briefings serve", "err", unwrapPathError(err))
		}
	}
	var inner bot.Handler = core
	if opts.WrapCore != nil {
		inner = opts.WrapCore(inner)
	}
	limited := flood.New(inner, flood.Config{
		User:     cfg.FloodUser,
		Chat:     cfg.FloodChat,
		Cooldown: cfg.FloodCooldown,
		Store:    st.flood,
		Logger:   logger,
	})
	handlerFor := func(platform string) bot.Handler {
		return metrics.Wrap(limited, prometheus.WrapOptions{Platform: platform, Logger: logger, LogMessages: cfg.LogMessages})
	}

	mux := http.NewServeMux()
	var doors []frontDoor
	var discordAdapter *discord.Adapter // the running one, told of reloads

	// Connect in this order: Discord first needs no network, Telegram's New calls getMe.
	if cfg.Discord.Token != "" || cfg.Discord.PublicKey != "" {
		dc := cfg.Discord
		a, err := discord.New(discord.Config{
			Token:         dc.Token,
			AppID:         dc.AppID,
			PublicKey:     dc.PublicKey,
			GuildID:       dc.GuildID,
			APIBase:       dc.APIBase,
			ShardID:       dc.ShardID,
			ShardCount:    dc.ShardCount,
			Logger:        logger,
			Source:        cfg.Transcript.Title,
			Questions:     cfg.Transcript.Len(),
			OnSendFailure: func(code int) { metrics.SendFailure(discord.Platform, code) },
			Dedup:         st.discordDedup,
			Recent:        st.discordRecent,
			RepeatWindow:  repeatWindow(cfg),
		}, handlerFor(discord.Platform))
		if err != nil {
			logger.Error("discord: cannot start", "err", err)
			return exitError
		}
		discordAdapter = a
		door := frontDoor{name: "discord", ready: a.Ready, drain: a.Shutdown}
		switch {
		case dc.Token != "" && dc.Gateway:
			door.run = a.Run
		case dc.Token != "":
			// Gateway off: register the commands once, then serve HTTP interactions only.
			door.run = func(ctx context.Context) error {
				if err := a.Register(ctx); err != nil && ctx.Err() == nil {
					logger.Error("discord: registering commands failed; existing commands stay", "err", err)
				}
				<-ctx.Done()
				return nil
			}
		}
		if dc.PublicKey != "" {
			mux.Handle("/discord/interactions", a.InteractionsHandler())
		}
		doors = append(doors, door)
	}
	if cfg.Telegram.Token != "" {
		tg := cfg.Telegram
		a, err := telegram.New(ctx, telegram.Config{
			Token:                 tg.Token,
			APIEndpoint:           tg.APIEndpoint,
			WebhookURL:            tg.WebhookURL,
			WebhookSecret:         tg.WebhookSecret,
			WebhookMaxConnections: tg.WebhookMaxConnections,
			WebhookReplyTimeout:   tg.WebhookReplyTimeout,
			Logger:                logger,
			OnSendFailure:         func(code int) { metrics.SendFailure(telegram.Platform, code) },
			ShutdownTimeout:       max(cfg.ShutdownTimeout-time.Second, cfg.ShutdownTimeout/2),
			Dedup:                 st.telegramDedup,
			Recent:                st.telegramRecent,
			RepeatWindow:          repeatWindow(cfg),
			Edits:                 st.telegramRecent, // its "edit:" keys never meet the pointers'
			EditWindow:            editWindow(tg.EditWindow),
		}, handlerFor(telegram.Platform))
		if err != nil {
			if ctx.Err() != nil {
				logger.Info("interrupted while connecting to Telegram")
				return exitOK
			}
			logger.Error("telegram: cannot start", "err", err)
			return exitError
		}
		if tg.WebhookURL != "" {
			mux.Handle("/telegram/webhook", a.WebhookHandler())
		}
		doors = append(doors, frontDoor{name: "telegram", run: a.Run, ready: a.Ready})
	}

	// Health, readiness and metrics.
	var stopping atomic.Bool
	var questions atomic.Int64 // of the transcript being served
	questions.Store(int64(cfg.Transcript.Len()))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		ready := !stopping.Load()
		if stopping.Load() {
			b.WriteString("shutting down\n")
		}
		fmt.Fprintf(&b, "transcript: %d questions\n", questions.Load())
		for _, d := range doors {
			state := "ready"
			if !d.ready() {
				state, ready = "not ready", false
			}
			fmt.Fprintf(&b, "%s: %s\n", d.name, state)
		}
		if st.redis != nil {
			// Redis is an optimisation: while it does not answer the bot still does
			// (failing open), so it is reported here and in transcriptbot_redis_up but
			// never makes the replica unready.
			if h := st.redis.Health(); h.Up {
				b.WriteString("redis: ready\n")
			} else {
				fmt.Fprintf(&b, "redis: not answering since %s (skipped: answering without the shared state)\n",
					h.Since.UTC().Format(time.RFC3339))
			}
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if !ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		io.WriteString(w, b.String())
	})
	mux.Handle("/metrics", metrics.HTTPHandler())

	ln := opts.Listener
	if ln == nil {
		var err error
		ln, err = net.Listen("tcp", cfg.HTTPAddr)
		if err != nil {
			logger.Error("cannot listen", "addr", cfg.HTTPAddr, "err", err)
			return exitError
		}
	}
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// A webhook request is held until its update is answered (at most the reply timeout).
		WriteTimeout: max(30*time.Second, cfg.Telegram.WebhookReplyTimeout+10*time.Second),
		IdleTimeout:  2 * time.Minute,
		ErrorLog:     slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}

	// failed carries the first fatal error of the server or a platform.
	failed := make(chan error, len(doors)+1)
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			failed <- fmt.Errorf("http server: %w", err)
		}
	}()
	runCtx, stopRun := context.WithCancel(context.WithoutCancel(ctx))
	defer stopRun()
	var running sync.WaitGroup
	for _, d := range doors {
		if d.run == nil {
			continue
		}
		running.Go(func() {
			err := d.run(runCtx)
			if err != nil && runCtx.Err() == nil {
				failed <- fmt.Errorf("%s: %w", d.name, err)
			} else if err != nil {
				logger.Warn(d.name+" stopped with an error", "err", err)
			}
		})
	}

	rl := newReloader(cfg, core, metrics, logger)
	registered := commandShape(cfg.Transcript)
	if st.misses != nil {
		rl.onHUP = func() {
			if err := st.misses.Reopen(); err != nil {
				logger.Error("miss log: reopening after SIGHUP failed; still writing to the old file", "err", err)
			}
		}
	}
	rl.onSwap = func(t *transcript.Transcript) {
		questions.Store(int64(t.Len()))
		if st.misses != nil {
			st.misses.SetTranscript(t.Hash)
		}
		if discordAdapter != nil {
			discordAdapter.SetQuestions(t.Len()) // autocomplete offers the new questions at once
		}
		// The registered Discord commands carry the number of questions (/answer's maximum)
		// and the title: publish them again when a reload changes either.
		if shape := commandShape(t); cfg.Discord.Token != "" && shape != registered {
			registered = shape
			running.Go(func() { reregisterDiscord(runCtx, cfg.Discord, t, logger) })
		}
	}
	reloadCtx, stopReload := context.WithCancel(ctx)
	reloadDone := make(chan struct{})
	var aw *archiveWatcher
	if cfg.Archive != nil {
		aw = newArchiveWatcher(cfg, cfg.Archive, metrics, logger)
		aw.onHUP = rl.onHUP
		aw.onChange = func(snap *archive.Snapshot) {
			if newest := snap.Newest(); newest != nil {
				questions.Store(int64(newest.Transcript.Len()))
			}
		}
	}
	go func() {
		defer close(reloadDone)
		if aw != nil {
			aw.watch(reloadCtx, hup, opts.Reload)
			return
		}
		rl.watch(reloadCtx, hup, opts.Reload)
	}()

	logger.Info("serving", "addr", ln.Addr().String(), "platforms", strings.Join(cfg.platforms(), ", "),
		"questions", cfg.Transcript.Len(), "transcript", transcriptName(cfg))
	if opts.Started != nil {
		opts.Started(ln.Addr())
	}

	status := exitOK
	select {
	case <-ctx.Done():
		logger.Info("shutting down: finishing replies in flight", "timeout", cfg.ShutdownTimeout.String())
	case err := <-failed:
		logger.Error("stopping after a fatal error", "err", err)
		status = exitError
	}

	// Stop taking updates (webhooks, interactions, polling) and finish the replies in flight,
	// all within the shutdown timeout.
	stopping.Store(true)
	stopReload()
	<-reloadDone
	deadline, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	var stopped sync.WaitGroup
	stopped.Go(func() {
		if err := srv.Shutdown(deadline); err != nil {
			logger.Warn("http server: requests still in flight at the deadline", "err", err)
			srv.Close()
		}
	})
	stopRun()
	adaptersDone := make(chan struct{})
	go func() {
		running.Wait()
		for _, d := range doors {
			if d.drain != nil {
				if err := d.drain(deadline); err != nil {
					logger.Warn(d.name+": replies still in flight at the deadline", "err", err)
				}
			}
		}
		close(adaptersDone)
	}()
	select {
	case <-adaptersDone:
	case <-deadline.Done():
		logger.Error("shutdown timed out: some replies were not finished (Telegram delivers their updates again: unconfirmed when polling, refused or cut off in webhook mode)",
			"timeout", cfg.ShutdownTimeout.String())
		status = exitError
	}
	stopped.Wait()
	if status == exitOK {
		logger.Info("stopped")
	}
	return status
}

// sharedState is the state serve keeps besides the bot core: in memory for one process, or
// in Redis (REDIS_URL) for several replicas; and the log of unanswered questions (MISS_LOG).
type sharedState struct {
	redis          *redis.Client // nil without REDIS_URL
	flood          flood.Store
	telegramDedup  dedup.Deduper // nil: the adapter's in-memory default
	discordDedup   dedup.Deduper // nil: none across gateway events (one process)
	telegramRecent recent.Store
	discordRecent  recent.Store
	turns          bot.TurnStore // conversations' last menus and answers, for follow-ups
	misses         *misses.Log   // nil without MISS_LOG
}

// Key prefixes in Redis, one per platform: chat and update ids of the two never mix.
const (
	redisTelegramPrefix = redis.DefaultPrefix + "telegram:"
	redisDiscordPrefix  = redis.DefaultPrefix + "discord:"
)

// discordClaimTTL is how long a Discord event id stays claimed (in Redis): Discord redelivers an event
// only while resuming a session, minutes at most.
const discordClaimTTL = time.Hour

// openState connects to Redis when cfg.RedisURL is set and opens the miss log when
// cfg.MissLog is set. Errors never contain the Redis password.
func openState(ctx context.Context, cfg *Config, logger *slog.Logger, metrics *prometheus.Metrics) (*sharedState, error) {
	st := &sharedState{}
	if cfg.RedisURL == "" {
		st.flood = flood.NewMemoryStore(flood.MemoryOptions{MaxKeys: cfg.FloodMaxKeys, Idle: max(flood.DefaultIdle, cfg.FloodCooldown)})
		st.telegramRecent = recent.NewMemory(recent.MemoryOptions{})
		st.discordRecent = recent.NewMemory(recent.MemoryOptions{})
		st.turns = bot.NewMemoryTurns(bot.MemoryTurnsOptions{})
	} else {
		redis.SetLogger(logger)
		octx, cancel := context.WithTimeout(ctx, 15*time.Second)
		metrics.TrackRedis()
		c, err := redis.OpenWith(octx, cfg.RedisURL, redis.Options{
			Timeout:   cfg.RedisTimeout,
			Logger:    logger,
			OnHealth:  func(up bool, _ error) { metrics.RedisHealth(up) },
			OnFailure: metrics.RedisFailure,
		})
		cancel()
		if err != nil {
			return nil, err
		}
		logger.Info("sharing state in Redis", "redis", c.String())
		st.redis = c
		// While Redis does not answer, each store falls back to this process's memory: flood
		// control, de-duplication and the pointers then hold per replica.
		floodIdle := max(flood.DefaultIdle, cfg.FloodCooldown)
		st.flood = c.Flood(redis.FloodOptions{Idle: floodIdle,
			Fallback: flood.NewMemoryStore(flood.MemoryOptions{MaxKeys: cfg.FloodMaxKeys, Idle: floodIdle})})
		st.telegramDedup = c.Deduper(redis.DedupOptions{Prefix: redisTelegramPrefix,
			Fallback: dedup.NewMemory(dedup.MemoryOptions{})})
		st.discordDedup = c.Deduper(redis.DedupOptions{Prefix: redisDiscordPrefix, TTL: discordClaimTTL,
			Fallback: dedup.NewMemory(dedup.MemoryOptions{TTL: discordClaimTTL})})
		st.telegramRecent = c.Recent(redis.RecentOptions{Prefix: redisTelegramPrefix + "recent:",
			Fallback: recent.NewMemory(recent.MemoryOptions{})})
		st.discordRecent = c.Recent(redis.RecentOptions{Prefix: redisDiscordPrefix + "recent:",
			Fallback: recent.NewMemory(recent.MemoryOptions{})})
		st.turns = c.Turns(redis.TurnsOptions{}) // keys name the platform
	}
	if cfg.MissLog != "" {
		l, err := misses.NewLog(cfg.MissLog)
		if err != nil {
			st.close(logger)
			return nil, fmt.Errorf("MISS_LOG: %w", err)
		}
		l.SetTranscript(cfg.Transcript.Hash)
		st.misses = l
	}
	return st, nil
}

// close releases the Redis connections and closes the miss log.
func (st *sharedState) close(logger *slog.Logger) {
	if st.misses != nil {
		if err := st.misses.Close(); err != nil {
			logger.Warn("miss log: closing", "err", err)
		}
	}
	if st.redis != nil {
		if err := st.redis.Close(); err != nil {
			logger.Warn("redis: closing", "err", err)
		}
	}
}

// editWindow is the Telegram adapter's EditWindow for TELEGRAM_EDIT_WINDOW: negative turns
// edits off (zero would take the adapter's default).
func editWindow(d time.Duration) time.Duration {
	if d <= 0 {
		return -1
	}
	return d
}

// repeatWindow is the adapters' RepeatWindow for cfg: negative turns the pointers off.
func repeatWindow(cfg *Config) time.Duration {
	if cfg.RepeatWindow <= 0 {
		return -1
	}
	return cfg.RepeatWindow
}

// commandShape is what of a transcript shows in the registered Discord commands.
func commandShape(t *transcript.Transcript) string {
	return strconv.Itoa(t.Len()) + "\x00" + t.Title
}

// reregisterDiscord publishes the Discord commands again for transcript t, through an
// adapter used for that alone (the running one keeps serving).
func reregisterDiscord(ctx context.Context, dc DiscordSettings, t *transcript.Transcript, logger *slog.Logger) {
	a, err := discord.New(discord.Config{
		Token: dc.Token, AppID: dc.AppID, GuildID: dc.GuildID, APIBase: dc.APIBase,
		Logger: logger, Source: t.Title, Questions: t.Len(),
	}, nopHandler{})
	if err == nil {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		err = a.Register(ctx)
	}
	if err != nil && ctx.Err() == nil {
		logger.Error("discord: re-registering the commands for the reloaded transcript failed", "err", err)
	}
}

// nopHandler answers nothing: the registration-only adapter never receives a request.
type nopHandler struct{}

func (nopHandler) Handle(context.Context, bot.Request) bot.Reply {
	return bot.Reply{Kind: bot.ReplyError}
}

func (nopHandler) Suggest(context.Context, string, int, bot.Limits) []bot.Reply { return nil }

// transcriptName names the transcript served, for logs.
func transcriptName(cfg *Config) string {
	if cfg.TranscriptDir != "" {
		return cfg.TranscriptDir + " (" + strconv.Itoa(cfg.Archive.Snapshot().Len()) + " briefings)"
	}
	if cfg.TranscriptFile == "" {
		return "(embedded)"
	}
	return cfg.TranscriptFile
}

// newLogger returns the configured slog logger writing to w, with every configured secret
// redacted.
func newLogger(cfg *Config, w io.Writer) *slog.Logger {
	hopts := &slog.HandlerOptions{Level: cfg.LogLevel}
	var h slog.Handler
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(w, hopts)
	} else {
		h = slog.NewTextHandler(w, hopts)
	}
	return slog.New(redactSecrets(h, cfg.secrets()...))
}

// installDefaultLogger makes l the default slog logger and the destination of the standard
// log package (which libraries write to), and returns a function restoring both.
func installDefaultLogger(l *slog.Logger) (restore func()) {
	prev, out, flags := slog.Default(), log.Writer(), log.Flags()
	slog.SetDefault(l)
	return func() {
		slog.SetDefault(prev)
		log.SetOutput(out)
		log.SetFlags(flags)
	}
}
