package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"transcriptbot/adapters/discord"
	"transcriptbot/bot"
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
		if cfg.Archive != nil {
			for _, err := range cfg.Skipped {
				fmt.Fprintf(env.Stderr, "transcriptbot serve: skipped %v\n", unwrapPathError(err))
			}
			fmt.Fprintf(env.Stdout, "configuration OK: %d briefings (%d files skipped); platforms: %s\n", cfg.Archive.Snapshot().Len(), len(cfg.Skipped), platforms)
			return exitOK
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

	srv, err := newServer(ctx, cfg, opts, logger, hup)
	var se *startError
	var in interrupted
	switch {
	case errors.As(err, &in):
		logger.Info(in.msg)
		return exitOK
	case errors.As(err, &se):
		logger.Error(se.msg, "err", se.err)
		return exitError
	case err != nil:
		logger.Error("cannot start", "err", err)
		return exitError
	}
	defer srv.close()
	if err := srv.Run(ctx); err != nil {
		return exitError
	}
	logger.Info("stopped")
	return exitOK
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

// discordSource names what the bot answers about in Discord's command descriptions: the
// transcript's title, or, for an archive, its briefings.
func discordSource(cfg *Config) string {
	if cfg.Archive != nil {
		return "the briefings"
	}
	return cfg.Transcript.Title
}

// discordQuestions is /answer's maximum: the transcript's questions, none for an archive
// (whose briefings differ in length and come and go).
func discordQuestions(cfg *Config) int {
	if cfg.Archive != nil {
		return 0
	}
	return cfg.Transcript.Len()
}

// discordBriefings gives /ask its "in" option for an archive (nil otherwise).
func discordBriefings(cfg *Config, core *bot.Bot) func(string, int) []bot.BriefingChoice {
	if cfg.Archive == nil {
		return nil
	}
	return core.BriefingChoices
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

func (nopHandler) Suggest(context.Context, bot.SuggestRequest) []bot.Reply { return nil }

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
