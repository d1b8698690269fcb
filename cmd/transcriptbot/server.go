package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"transcriptbot/adapters/discord"
	"transcriptbot/adapters/misses"
	"transcriptbot/adapters/prometheus"
	"transcriptbot/adapters/telegram"
	"transcriptbot/bot"
	"transcriptbot/bot/flood"
	"transcriptbot/matcher/archive"
	"transcriptbot/transcript"
)

// server is what serve runs: the bot core behind its middleware (flood control, metrics), the
// platforms' front doors, the HTTP endpoints (webhooks, interactions, health, readiness,
// metrics) and the shared state. newServer wires it; Run serves until its context is done.
type server struct {
	cfg     *Config
	opts    serveOptions
	logger  *slog.Logger
	hup     <-chan os.Signal
	metrics *prometheus.Metrics
	st      *sharedState
	core    *bot.Bot
	mux     *http.ServeMux
	doors   []frontDoor
	discord *discord.Adapter // the running one, told of reloads

	stopping  atomic.Bool  // shutdown began: not ready
	questions atomic.Int64 // of the transcript being served
}

// frontDoor is one platform as serve runs it.
type frontDoor struct {
	name  string
	run   func(ctx context.Context) error // nil: nothing to run (HTTP interactions only)
	ready func() bool
	drain func(ctx context.Context) error // optional: wait for work outliving run
}

// startError is a failure to start, with the log line that says what failed.
type startError struct {
	msg string
	err error
}

func (e *startError) Error() string { return e.msg + ": " + e.err.Error() }
func (e *startError) Unwrap() error { return e.err }

// interrupted means ctx ended while the server was connecting: not a failure.
type interrupted struct{ msg string }

func (e interrupted) Error() string { return e.msg }

// newServer connects the shared state and the platforms and sets up the HTTP endpoints. On
// failure it has released what it opened.
func newServer(ctx context.Context, cfg *Config, opts serveOptions, logger *slog.Logger, hup <-chan os.Signal) (*server, error) {
	s := &server{cfg: cfg, opts: opts, logger: logger, hup: hup, metrics: prometheus.NewMetrics(), mux: http.NewServeMux()}
	s.metrics.Loaded(cfg.Transcript.Len(), time.Now())
	s.questions.Store(int64(cfg.Transcript.Len()))

	st, err := openState(ctx, cfg, logger, s.metrics)
	if err != nil {
		if ctx.Err() != nil {
			return nil, interrupted{"interrupted while connecting to Redis"}
		}
		return nil, &startError{"cannot start", err}
	}
	s.st = st
	if err := s.connect(ctx); err != nil {
		st.close(logger)
		return nil, err
	}
	s.routes()
	return s, nil
}

// close releases the shared state.
func (s *server) close() { s.st.close(s.logger) }

// handlers builds the bot core and returns the handler a platform gets: the core under flood
// control and metrics.
func (s *server) handlers() func(platform string) bot.Handler {
	cfg, logger, st := s.cfg, s.logger, s.st
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
	s.core = bot.New(cfg.Matcher, botOpts)
	if cfg.Archive != nil {
		s.core = bot.NewArchive(cfg.Archive, botOpts)
		for _, err := range cfg.Skipped {
			logger.Error("archive: file skipped; the other briefings serve", "err", unwrapPathError(err))
		}
	}
	var inner bot.Handler = s.core
	if s.opts.WrapCore != nil {
		inner = s.opts.WrapCore(inner)
	}
	limited := flood.New(inner, flood.Config{
		User:     cfg.FloodUser,
		Chat:     cfg.FloodChat,
		Cooldown: cfg.FloodCooldown,
		Store:    st.flood,
		Logger:   logger,
	})
	return func(platform string) bot.Handler {
		return s.metrics.Wrap(limited, prometheus.WrapOptions{Platform: platform, Logger: logger, LogMessages: cfg.LogMessages})
	}
}

// connect builds the bot core and the adapters of the platforms configured.
func (s *server) connect(ctx context.Context) error {
	cfg, logger, st, metrics, mux := s.cfg, s.logger, s.st, s.metrics, s.mux
	handlerFor := s.handlers()
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
			Source:        discordSource(cfg),
			Questions:     discordQuestions(cfg),
			Briefings:     discordBriefings(cfg, s.core),
			OnSendFailure: func(code int) { metrics.SendFailure(discord.Platform, code) },
			Dedup:         st.discordDedup,
			Recent:        st.discordRecent,
			RepeatWindow:  repeatWindow(cfg),
		}, handlerFor(discord.Platform))
		if err != nil {
			return &startError{"discord: cannot start", err}
		}
		s.discord = a
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
		s.doors = append(s.doors, door)
	}
	if cfg.Telegram.Token != "" {
		tg := cfg.Telegram
		a, err := telegram.New(ctx, telegram.Config{
			Token:                 tg.Token,
			Archive:               cfg.Archive != nil,
			APIEndpoint:           tg.APIEndpoint,
			WebhookURL:            tg.WebhookURL,
			WebhookSecret:         tg.WebhookSecret,
			WebhookMaxConnections: tg.WebhookMaxConnections,
			WebhookReplyTimeout:   tg.WebhookReplyTimeout,
			SendRetryWindow:       tg.SendRetryWindow,
			Logger:                logger,
			OnSendFailure:         func(code int) { metrics.SendFailure(telegram.Platform, code) },
			OnOutage:              func(down bool) { metrics.APIDown(telegram.Platform, down) },
			OnReplyDropped:        func() { metrics.ReplyDropped(telegram.Platform) },
			ShutdownTimeout:       max(cfg.ShutdownTimeout-time.Second, cfg.ShutdownTimeout/2),
			Dedup:                 st.telegramDedup,
			Recent:                st.telegramRecent,
			RepeatWindow:          repeatWindow(cfg),
			Edits:                 st.telegramRecent, // its "edit:" keys never meet the pointers'
			EditWindow:            editWindow(tg.EditWindow),
		}, handlerFor(telegram.Platform))
		if err != nil {
			if ctx.Err() != nil {
				return interrupted{"interrupted while connecting to Telegram"}
			}
			return &startError{"telegram: cannot start", err}
		}
		if tg.WebhookURL != "" {
			mux.Handle("/telegram/webhook", a.WebhookHandler())
		}
		s.doors = append(s.doors, frontDoor{name: "telegram", run: a.Run, ready: a.Ready})
	}
	return nil
}

// routes adds health, readiness and metrics to the mux.
func (s *server) routes() {
	s.mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	s.mux.HandleFunc("/readyz", s.readyz)
	s.mux.Handle("/metrics", s.metrics.HTTPHandler())
}

// readyz reports readiness: 503 while shutting down or while a platform is not connected.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) {
	var b strings.Builder
	ready := !s.stopping.Load()
	if s.stopping.Load() {
		b.WriteString("shutting down\n")
	}
	fmt.Fprintf(&b, "transcript: %d questions\n", s.questions.Load())
	for _, d := range s.doors {
		state := "ready"
		if !d.ready() {
			state, ready = "not ready", false
		}
		fmt.Fprintf(&b, "%s: %s\n", d.name, state)
	}
	if s.st.redis != nil {
		// Redis is an optimisation: while it does not answer the bot still does
		// (failing open), so it is reported here and in transcriptbot_redis_up but
		// never makes the replica unready.
		if h := s.st.redis.Health(); h.Up {
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
}

// Run serves until ctx is done or the HTTP server or a platform fails, then stops taking
// updates and finishes the replies in flight within the shutdown timeout. It returns an error
// (already logged) when it stopped for a fatal error or the shutdown timed out.
func (s *server) Run(ctx context.Context) error {
	cfg, logger, opts := s.cfg, s.logger, s.opts
	ln := opts.Listener
	if ln == nil {
		var err error
		ln, err = net.Listen("tcp", cfg.HTTPAddr)
		if err != nil {
			logger.Error("cannot listen", "addr", cfg.HTTPAddr, "err", err)
			return err
		}
	}
	srv := &http.Server{
		Handler:           s.mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// A webhook request is held until its update is answered (at most the reply timeout).
		WriteTimeout: max(30*time.Second, cfg.Telegram.WebhookReplyTimeout+10*time.Second),
		IdleTimeout:  2 * time.Minute,
		ErrorLog:     slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}

	// failed carries the first fatal error of the server or a platform.
	failed := make(chan error, len(s.doors)+1)
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			failed <- fmt.Errorf("http server: %w", err)
		}
	}()
	runCtx, stopRun := context.WithCancel(context.WithoutCancel(ctx))
	defer stopRun()
	var running sync.WaitGroup
	for _, d := range s.doors {
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

	reloadCtx, stopReload := context.WithCancel(ctx)
	reloadDone := make(chan struct{})
	rl := s.reloader(runCtx, &running)
	var aw *archiveWatcher
	if cfg.Archive != nil {
		aw = newArchiveWatcher(cfg, cfg.Archive, s.metrics, logger)
		aw.onHUP = rl.onHUP
		aw.onChange = func(snap *archive.Snapshot) {
			if newest := snap.Newest(); newest != nil {
				s.questions.Store(int64(newest.Transcript.Len()))
			}
		}
	}
	go func() {
		defer close(reloadDone)
		if aw != nil {
			aw.watch(reloadCtx, s.hup, opts.Reload)
			return
		}
		rl.watch(reloadCtx, s.hup, opts.Reload)
	}()

	logger.Info("serving", "addr", ln.Addr().String(), "platforms", strings.Join(cfg.platforms(), ", "),
		"questions", cfg.Transcript.Len(), "transcript", transcriptName(cfg))
	if opts.Started != nil {
		opts.Started(ln.Addr())
	}

	var runErr error
	select {
	case <-ctx.Done():
		logger.Info("shutting down: finishing replies in flight", "timeout", cfg.ShutdownTimeout.String())
	case err := <-failed:
		logger.Error("stopping after a fatal error", "err", err)
		runErr = err
	}

	// Stop taking updates (webhooks, interactions, polling) and finish the replies in flight,
	// all within the shutdown timeout.
	s.stopping.Store(true)
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
		for _, d := range s.doors {
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
		runErr = errors.Join(runErr, deadline.Err())
	}
	stopped.Wait()
	return runErr
}

// reloader returns the transcript reloader, wired to tell the rest of the server of a new
// transcript; work it starts (publishing Discord's commands again) joins running under runCtx.
func (s *server) reloader(runCtx context.Context, running *sync.WaitGroup) *reloader {
	cfg, logger, st := s.cfg, s.logger, s.st
	rl := newReloader(cfg, s.core, s.metrics, logger)
	registered := commandShape(cfg.Transcript)
	if st.misses != nil {
		rl.onHUP = func() {
			if err := st.misses.Reopen(); err != nil {
				logger.Error("miss log: reopening after SIGHUP failed; still writing to the old file", "err", err)
			}
		}
	}
	rl.onSwap = func(t *transcript.Transcript) {
		s.questions.Store(int64(t.Len()))
		if st.misses != nil {
			st.misses.SetTranscript(t.Hash)
		}
		if s.discord != nil {
			s.discord.SetQuestions(t.Len()) // autocomplete offers the new questions at once
		}
		// The registered Discord commands carry the number of questions (/answer's maximum)
		// and the title: publish them again when a reload changes either.
		if shape := commandShape(t); cfg.Discord.Token != "" && shape != registered {
			registered = shape
			running.Go(func() { reregisterDiscord(runCtx, cfg.Discord, t, logger) })
		}
	}
	return rl
}
