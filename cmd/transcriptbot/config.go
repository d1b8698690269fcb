package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"transcriptbot/bot/flood"
	"transcriptbot/matcher"
	"transcriptbot/matcher/archive"
	"transcriptbot/transcript"
)

// setting is one configuration variable of serve: an environment variable with a flag of the
// same meaning (the flag wins) and, for secrets, a NAME_FILE form reading the value from a
// file (Docker secrets).
type setting struct {
	env    string // environment variable, e.g. TELEGRAM_TOKEN
	flag   string // flag name without dashes, e.g. telegram-token
	def    string // default, as text ("" when none)
	help   string // one line for --help and the README
	secret bool   // a secret: has a NAME_FILE form and is redacted from logs
	global bool   // the flag is one of main's global flags (--transcript, --lang)
	// cmds names the commands that read the setting, for the README's table ("" = serve).
	cmds string
}

// settings lists every variable serve reads. The README's table, .env.example and the
// compose test are checked against it. Other commands read some of them too (cmds).
var settings = []setting{
	{env: "HTTP_ADDR", flag: "http-addr", def: ":8080", help: "listen address of the HTTP server (webhooks, interactions, /healthz, /readyz, /metrics)", cmds: "serve, healthcheck"},
	{env: "TRANSCRIPT_FILE", flag: "transcript", global: true, help: "transcript file (default: the embedded one); its sidecar NAME.ini next to it is read and watched too", cmds: "every command"},
	{env: "TRANSCRIPT_DIR", flag: "transcripts", global: true, help: "directory of transcripts, one briefing per *.txt file (with its NAME.ini sidecar), answered together; serve watches it and re-indexes a new, changed or removed file alone (instead of TRANSCRIPT_FILE)", cmds: "every command"},
	{env: "TRANSCRIPT_LANG", flag: "lang", def: defaultLang, global: true, help: "stemming language: english, spanish, french, russian, swedish, norwegian, hungarian", cmds: "every command"},
	{env: "ANSWER_THRESHOLD", flag: "answer-threshold", global: true, help: "confidence, in (0, 1], from which the bot answers rather than saying the transcript does not cover the question (default: the threshold fitted for the transcript, one for the embedded transcript and one for any other; lower answers more and gets more wrong, see the README's Answer quality)", cmds: "every command"},
	{env: "RELOAD_INTERVAL", flag: "reload-interval", def: "5s", help: "how often to check the transcript and sidecar for changes (0: only on SIGHUP)"},
	{env: "LOG_FORMAT", flag: "log-format", def: "text", help: "log format: text or json", cmds: "serve, discord register"},
	{env: "LOG_LEVEL", flag: "log-level", def: "info", help: "log level: debug, info, warn or error", cmds: "serve, discord register"},
	{env: "LOG_MESSAGES", flag: "log-messages", def: "false", help: "include users' message text in debug logs (personal data: for debugging only)"},
	{env: "FLOOD_USER_RATE", flag: "flood-user-rate", def: "20/1m", help: "messages one user may send, as N/DURATION (refill rate of the user's bucket)"},
	{env: "FLOOD_USER_BURST", flag: "flood-user-burst", def: "8", help: "messages one user may send at once (0: no per-user limit)"},
	{env: "FLOOD_CHAT_RATE", flag: "flood-chat-rate", def: "40/1m", help: "messages one group chat may get answered, as N/DURATION"},
	{env: "FLOOD_CHAT_BURST", flag: "flood-chat-burst", def: "20", help: "messages one group chat may get answered at once (0: no per-chat limit)"},
	{env: "FLOOD_COOLDOWN", flag: "flood-cooldown", def: "1m", help: "how long a flooding user or chat gets no answers after one \"slow down\""},
	{env: "FLOOD_MAX_KEYS", flag: "flood-max-keys", def: strconv.Itoa(flood.DefaultMaxKeys), help: "users and chats tracked at most (memory bound; idle ones are forgotten first)"},
	{env: "SHUTDOWN_TIMEOUT", flag: "shutdown-timeout", def: "8s", help: "how long SIGTERM waits for replies in flight before exiting"},
	{env: "GROUP_REPEAT_WINDOW", flag: "group-repeat-window", def: "5m", help: "a question answered in a group chat this recently gets a reply pointing to that answer, not a second copy (0: always answer again)"},
	{env: "FOLLOW_UP_WINDOW", flag: "follow-up-window", def: "15m", help: "how long the bot's last menu or answer to a user in a chat can be followed up with \"the first one\", \"yes\" or \"more\" (0: never)"},
	{env: "MISS_LOG", flag: "miss-log", help: "append the questions the bot could not answer to this JSON-lines file, without user or chat ids (see transcriptbot review); reopened on SIGHUP", cmds: "serve, review"},
	{env: "REDIS_URL", flag: "redis-url", secret: true, help: "Redis shared by replicas, redis://[user:password@]host:port/db (rediss:// for TLS): flood control, update de-duplication, group repeat pointers and follow-up context (default: in memory, per process)"},
	{env: "REDIS_TIMEOUT", flag: "redis-timeout", def: "50ms", help: "bound on each Redis operation; a Redis slower than this, frozen or gone is skipped (failing open: the bot answers without the shared state) and probed every second until it answers again"},
	{env: "TELEGRAM_TOKEN", flag: "telegram-token", secret: true, help: "Telegram bot token from @BotFather; enables Telegram"},
	{env: "TELEGRAM_API_ENDPOINT", flag: "telegram-api-endpoint", help: "Bot API URL pattern with %s for token and method (self-hosted Bot API server)"},
	{env: "TELEGRAM_WEBHOOK_URL", flag: "telegram-webhook-url", help: "public https URL routed to /telegram/webhook; set to use a webhook instead of long polling"},
	{env: "TELEGRAM_WEBHOOK_SECRET", flag: "telegram-webhook-secret", secret: true, help: "webhook secret token (1-256 of A-Z a-z 0-9 _ -); required with TELEGRAM_WEBHOOK_URL"},
	{env: "TELEGRAM_WEBHOOK_MAX_CONNECTIONS", flag: "telegram-webhook-max-connections", def: "40", help: "webhook requests Telegram keeps open at once (1-100); each is held until its update is answered"},
	{env: "TELEGRAM_WEBHOOK_REPLY_TIMEOUT", flag: "telegram-webhook-reply-timeout", def: "20s", help: "how long a webhook request waits for its update's reply; then it is answered 503 and Telegram delivers the update again"},
	{env: "TELEGRAM_SEND_RETRY_WINDOW", flag: "telegram-send-retry-window", def: "5m", help: "long polling: how long a reply failing with network errors, 429 or 5xx (a Bot API outage) is retried, its update left unconfirmed; then it is dropped (at least 1s)"},
	{env: "TELEGRAM_EDIT_WINDOW", flag: "telegram-edit-window", def: "15m", help: "a question edited within this time of being sent gets the bot's reply updated (or a new one when that is gone); 0: edits are ignored"},
	{env: "DISCORD_TOKEN", flag: "discord-token", secret: true, help: "Discord bot token; enables the Discord gateway and command registration", cmds: "serve, discord register"},
	{env: "DISCORD_PUBLIC_KEY", flag: "discord-public-key", secret: true, help: "application public key (hex); enables HTTP interactions at /discord/interactions"},
	{env: "DISCORD_APP_ID", flag: "discord-app-id", help: "application id (default: looked up with the token)", cmds: "serve, discord register"},
	{env: "DISCORD_GUILD_ID", flag: "discord-guild-id", help: "register the commands in this guild only (instant updates) instead of globally", cmds: "serve, discord register"},
	{env: "DISCORD_GATEWAY", flag: "discord-gateway", def: "true", help: "with DISCORD_TOKEN, connect to the gateway; false: register the commands and serve HTTP interactions only"},
	{env: "DISCORD_API_BASE", flag: "discord-api-base", help: "REST base URL, e.g. a rate-limit proxy (default: Discord's)", cmds: "serve, discord register"},
	{env: "DISCORD_SHARD_ID", flag: "discord-shard-id", def: "0", help: "this process's shard of a sharded bot"},
	{env: "DISCORD_SHARD_COUNT", flag: "discord-shard-count", def: "1", help: "number of shards of a sharded bot"},
}

// otherVariables are the environment variables that commands other than serve read, with no
// flag: the README's table of settings lists them with the others.
var otherVariables = []setting{
	{env: "TRANSCRIPT_DIR", flag: "transcripts", cmds: "ask, answer, list, check, chat", help: "a directory of transcripts, one briefing per *.txt file with its sidecar, answered together (instead of TRANSCRIPT_FILE)"},
	{env: "TRANSCRIPTBOT_HISTORY", cmds: "chat", help: "file of the terminal chat's line history (default: transcriptbot/history in the user cache directory; off: none)"},
	{env: "NO_COLOR", cmds: "ask, answer, chat", help: "set to anything: no bold on a terminal"},
}

// settingEnvNames returns every environment variable serve reads, NAME_FILE forms included.
func settingEnvNames() []string {
	var names []string
	for _, s := range settings {
		names = append(names, s.env)
		if s.secret {
			names = append(names, s.env+"_FILE")
		}
	}
	return names
}

// Config is serve's validated configuration.
type Config struct {
	HTTPAddr       string
	TranscriptFile string // "" for the embedded transcript
	Lang           string
	// Threshold is ANSWER_THRESHOLD: the matcher's answer threshold, 0 for its fitted default.
	Threshold       float64
	ReloadInterval  time.Duration // 0: reload on SIGHUP only
	LogFormat       string        // "text" or "json"
	LogLevel        slog.Level
	LogMessages     bool
	FloodUser       flood.Rule
	FloodChat       flood.Rule
	FloodCooldown   time.Duration
	FloodMaxKeys    int
	ShutdownTimeout time.Duration
	// RepeatWindow is how long an answer in a group chat counts as recent (0: no pointers).
	RepeatWindow time.Duration
	// FollowUpWindow is how long a conversation's last menu or answer can be followed up
	// (0: never).
	FollowUpWindow time.Duration
	// MissLog is the file unanswered questions are appended to ("" for none).
	MissLog string
	// RedisURL, when set, moves the state replicas share to Redis. It may hold a password.
	RedisURL string
	// RedisTimeout bounds each Redis operation.
	RedisTimeout time.Duration

	Telegram TelegramSettings
	Discord  DiscordSettings

	// Transcript and Matcher are what TranscriptFile and Lang yielded at start-up (with
	// TranscriptDir: the newest briefing's).
	Transcript *transcript.Transcript
	Matcher    *matcher.Matcher

	// TranscriptDir is the directory of an archive of briefings ("" for one transcript);
	// Archive is what it held at start-up, and Skipped the files of it that did not load
	// (each error "FILE:LINE: reason"), which serve logs.
	TranscriptDir string
	Archive       *archive.Archive
	Skipped       []error
}

// TelegramSettings configure the Telegram adapter; it runs when Token is set.
type TelegramSettings struct {
	Token         string
	APIEndpoint   string
	WebhookURL    string
	WebhookSecret string
	// WebhookMaxConnections is setWebhook's max_connections.
	WebhookMaxConnections int
	// WebhookReplyTimeout bounds how long a webhook request waits for its update's reply.
	WebhookReplyTimeout time.Duration
	// EditWindow is how long after sending a question a user's edit of it is answered
	// (0: edits are ignored).
	EditWindow time.Duration
	// SendRetryWindow is how long, polling, a reply failing temporarily keeps being retried.
	SendRetryWindow time.Duration
}

// DiscordSettings configure the Discord adapter: the gateway runs when Token is set (and
// Gateway is true); HTTP interactions are served when PublicKey is set.
type DiscordSettings struct {
	Token      string
	PublicKey  string
	AppID      string
	GuildID    string
	Gateway    bool
	APIBase    string
	ShardID    int
	ShardCount int
}

// secrets returns the configured secret values, for the redacting log handler.
func (c *Config) secrets() []string {
	s := []string{c.Telegram.Token, c.Telegram.WebhookSecret, c.Discord.Token, c.Discord.PublicKey}
	if u, err := url.Parse(c.RedisURL); err == nil && c.RedisURL != "" {
		if p, ok := u.User.Password(); ok && p != "" {
			s = append(s, c.RedisURL, p) // the URL itself is no secret without a password
		}
	}
	return s
}

// errNoPlatform is the start-up error when no platform is configured.
var errNoPlatform = errors.New("no platform configured: set TELEGRAM_TOKEN (Telegram), DISCORD_TOKEN (Discord gateway) " +
	"or DISCORD_PUBLIC_KEY (Discord HTTP interactions), or their _FILE forms")

// configFlags holds serve's flag values as text, bound to a FlagSet by bindConfigFlags.
type configFlags struct {
	values map[string]*string // by flag name; global flags are not here
}

// bindConfigFlags defines a flag for every setting (and NAME_FILE flag for secrets) on fs,
// except the global ones main defines; with a prefix, only for the settings whose variable
// starts with it.
func bindConfigFlags(fs *flag.FlagSet, prefix string) *configFlags {
	cf := &configFlags{values: map[string]*string{}}
	for _, s := range settings {
		if s.global || !strings.HasPrefix(s.env, prefix) {
			continue
		}
		help := s.help + " (" + s.env + ")"
		if s.def != "" {
			help = s.help + " (" + s.env + "; default " + s.def + ")"
		}
		if s.secret {
			help += "; prefer " + s.env + "_FILE: flags show in the process list"
		}
		cf.values[s.flag] = fs.String(s.flag, "", help)
		if s.secret {
			cf.values[s.flag+"-file"] = fs.String(s.flag+"-file", "", "file holding "+s.env+" ("+s.env+"_FILE)")
		}
	}
	return cf
}

// given returns the values of the flags given on the command line, keyed by environment
// variable name (NAME_FILE for a secret's file flag). env supplies the global flags.
func (cf *configFlags) given(fs *flag.FlagSet, env *cliEnv) map[string]string {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	out := map[string]string{}
	for _, s := range settings {
		switch {
		case s.env == "TRANSCRIPT_FILE":
			if env.Transcript != "" {
				out[s.env] = env.Transcript
			}
		case s.env == "TRANSCRIPT_DIR":
			if env.Transcripts != "" {
				out[s.env] = env.Transcripts
			}
		case s.env == "ANSWER_THRESHOLD":
			if env.threshold != "" {
				out[s.env] = env.threshold
			}
		case s.env == "TRANSCRIPT_LANG":
			// The global flag may come before the command name, where fs did not see it:
			// a value other than the default was given.
			if set["lang"] || (env.Lang != "" && env.Lang != defaultLang) {
				out[s.env] = env.Lang
			}
		case cf.values[s.flag] == nil:
			// not bound on this command
		default:
			if set[s.flag] {
				out[s.env] = *cf.values[s.flag]
			}
			if s.secret && set[s.flag+"-file"] {
				out[s.env+"_FILE"] = *cf.values[s.flag+"-file"]
			}
		}
	}
	return out
}

// parseConfigArgs parses serve's arguments (flags only) and the environment into a Config:
// the whole of configuration in one function, for tests. Errors are joined.
func parseConfigArgs(args []string, getenv func(string) string) (*Config, error) {
	env := &cliEnv{Getenv: getenv, Lang: defaultLang}
	fs := env.flagSet("serve")
	cf := bindConfigFlags(fs, "")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return loadConfig(cf.given(fs, env), getenv, true)
}

// Formats checked before anything connects, compiled on first use: their counted
// repetitions make big programs, and only serve and check look at them.
var (
	telegramTokenRE  = lazyRE(`^[0-9]{1,20}:[A-Za-z0-9_-]{1,200}$`)
	webhookSecretRE  = lazyRE(`^[A-Za-z0-9_-]{1,256}$`)
	snowflakeRE      = lazyRE(`^[0-9]{1,20}$`)
	discordPublicKey = lazyRE(`^[0-9a-fA-F]{64}$`)
)

func lazyRE(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// loadConfig resolves every setting from flags (keyed by environment variable name), the
// environment and the defaults, checks them, and loads the transcript and builds the matcher.
// Every problem is reported, joined, in one error. With needPlatform, a configuration with
// no platform is an error (errNoPlatform among the joined errors).
func loadConfig(flags map[string]string, getenv func(string) string, needPlatform bool) (*Config, error) {
	r := &configReader{flags: flags, getenv: getenv}
	c := &Config{}

	c.HTTPAddr = r.str("HTTP_ADDR")
	if err := checkAddr(c.HTTPAddr); err != nil {
		r.fail("HTTP_ADDR=%q is not a listen address (want HOST:PORT or :PORT): %v", c.HTTPAddr, err)
	}
	c.ReloadInterval = r.duration("RELOAD_INTERVAL", 0)
	if c.ReloadInterval > 0 && c.ReloadInterval < 100*time.Millisecond {
		r.fail("RELOAD_INTERVAL=%v is too short (want 0 to disable, or at least 100ms)", c.ReloadInterval)
	}
	c.LogFormat = strings.ToLower(r.str("LOG_FORMAT"))
	if c.LogFormat != "text" && c.LogFormat != "json" {
		r.fail("LOG_FORMAT=%q: want text or json", c.LogFormat)
	}
	if err := c.LogLevel.UnmarshalText([]byte(r.str("LOG_LEVEL"))); err != nil {
		r.fail("LOG_LEVEL=%q: want debug, info, warn or error", r.str("LOG_LEVEL"))
	}
	c.LogMessages = r.boolean("LOG_MESSAGES")
	c.FloodUser = flood.Rule{Rate: r.rate("FLOOD_USER_RATE"), Burst: r.integer("FLOOD_USER_BURST", 0, 1_000_000)}
	c.FloodChat = flood.Rule{Rate: r.rate("FLOOD_CHAT_RATE"), Burst: r.integer("FLOOD_CHAT_BURST", 0, 1_000_000)}
	c.FloodCooldown = r.duration("FLOOD_COOLDOWN", time.Second)
	c.FloodMaxKeys = r.integer("FLOOD_MAX_KEYS", 1, 100_000_000)
	c.ShutdownTimeout = r.duration("SHUTDOWN_TIMEOUT", 100*time.Millisecond)
	c.RepeatWindow = r.duration("GROUP_REPEAT_WINDOW", 0)
	if c.RepeatWindow > 0 && c.RepeatWindow < time.Second {
		r.fail("GROUP_REPEAT_WINDOW=%v is too short (want 0 to disable, or at least 1s)", c.RepeatWindow)
	}
	c.FollowUpWindow = r.duration("FOLLOW_UP_WINDOW", 0)
	if c.FollowUpWindow > 0 && c.FollowUpWindow < time.Second {
		r.fail("FOLLOW_UP_WINDOW=%v is too short (want 0 to disable, or at least 1s)", c.FollowUpWindow)
	}
	c.MissLog = r.str("MISS_LOG")
	if c.MissLog != "" {
		if err := checkAppendable(c.MissLog); err != nil {
			r.fail("MISS_LOG=%q: %v", c.MissLog, err)
		}
	}
	c.RedisURL = r.secret("REDIS_URL")
	if c.RedisURL != "" {
		if err := checkRedisURL(c.RedisURL); err != nil {
			r.fail("REDIS_URL: %v", err)
		}
	}
	n := len(r.errs)
	c.RedisTimeout = r.duration("REDIS_TIMEOUT", time.Millisecond)
	if len(r.errs) == n && (c.RedisTimeout <= 0 || c.RedisTimeout > 10*time.Second) {
		r.fail("REDIS_TIMEOUT=%q: want a duration from 1ms to 10s, like 50ms", r.str("REDIS_TIMEOUT"))
	}

	// Telegram.
	tg := &c.Telegram
	tg.Token = r.secret("TELEGRAM_TOKEN")
	tg.APIEndpoint = r.str("TELEGRAM_API_ENDPOINT")
	tg.WebhookURL = r.str("TELEGRAM_WEBHOOK_URL")
	tg.WebhookSecret = r.secret("TELEGRAM_WEBHOOK_SECRET")
	tg.WebhookMaxConnections = r.integer("TELEGRAM_WEBHOOK_MAX_CONNECTIONS", 1, 100)
	tg.WebhookReplyTimeout = r.duration("TELEGRAM_WEBHOOK_REPLY_TIMEOUT", time.Second)
	tg.SendRetryWindow = r.duration("TELEGRAM_SEND_RETRY_WINDOW", time.Second)
	tg.EditWindow = r.duration("TELEGRAM_EDIT_WINDOW", 0)
	if tg.EditWindow > 0 && tg.EditWindow < time.Second {
		r.fail("TELEGRAM_EDIT_WINDOW=%v is too short (want 0 to ignore edits, or at least 1s)", tg.EditWindow)
	}
	if tg.Token != "" && !telegramTokenRE().MatchString(tg.Token) {
		r.fail("TELEGRAM_TOKEN is malformed: want digits:letters, as @BotFather gives it")
	}
	if tg.APIEndpoint != "" {
		if strings.Count(tg.APIEndpoint, "%s") != 2 || strings.Count(tg.APIEndpoint, "%") != 2 {
			r.fail("TELEGRAM_API_ENDPOINT=%q must contain %%s twice (token, then method), like https://api.telegram.org/bot%%s/%%s", tg.APIEndpoint)
		} else if err := checkHTTPURL(fmt.Sprintf(tg.APIEndpoint, "t", "m"), false); err != nil {
			r.fail("TELEGRAM_API_ENDPOINT=%q: %v", tg.APIEndpoint, err)
		}
	}
	if tg.WebhookURL != "" {
		if err := checkHTTPURL(tg.WebhookURL, true); err != nil {
			r.fail("TELEGRAM_WEBHOOK_URL=%q: %v", tg.WebhookURL, err)
		}
		if tg.WebhookSecret == "" {
			r.fail("TELEGRAM_WEBHOOK_URL is set but TELEGRAM_WEBHOOK_SECRET is not: a webhook needs a secret")
		}
	}
	if tg.WebhookSecret != "" && !webhookSecretRE().MatchString(tg.WebhookSecret) {
		r.fail("TELEGRAM_WEBHOOK_SECRET must be 1 to 256 of A-Z a-z 0-9 _ -")
	}
	if tg.Token == "" && tg.WebhookURL != "" {
		r.fail("TELEGRAM_WEBHOOK_URL is set but TELEGRAM_TOKEN is not")
	}

	// Discord.
	dc := &c.Discord
	dc.Token = r.secret("DISCORD_TOKEN")
	dc.PublicKey = r.secret("DISCORD_PUBLIC_KEY")
	dc.AppID = r.str("DISCORD_APP_ID")
	dc.GuildID = r.str("DISCORD_GUILD_ID")
	dc.Gateway = r.boolean("DISCORD_GATEWAY")
	dc.APIBase = r.str("DISCORD_API_BASE")
	dc.ShardID = r.integer("DISCORD_SHARD_ID", 0, 1<<20)
	dc.ShardCount = r.integer("DISCORD_SHARD_COUNT", 1, 1<<20)
	if dc.ShardID >= dc.ShardCount && dc.ShardCount >= 1 {
		r.fail("DISCORD_SHARD_ID=%d must be less than DISCORD_SHARD_COUNT=%d", dc.ShardID, dc.ShardCount)
	}
	if dc.PublicKey != "" && !discordPublicKey().MatchString(dc.PublicKey) {
		r.fail("DISCORD_PUBLIC_KEY must be 64 hex digits (the application's Ed25519 public key)")
	}
	if dc.Token != "" && strings.ContainsAny(dc.Token, " \t\n") && !strings.HasPrefix(dc.Token, "Bot ") {
		r.fail("DISCORD_TOKEN contains white space")
	}
	for _, id := range []struct{ name, v string }{{"DISCORD_APP_ID", dc.AppID}, {"DISCORD_GUILD_ID", dc.GuildID}} {
		if id.v != "" && !snowflakeRE().MatchString(id.v) {
			r.fail("%s=%q is not a Discord id (digits)", id.name, id.v)
		}
	}
	if dc.APIBase != "" {
		if err := checkHTTPURL(dc.APIBase, false); err != nil {
			r.fail("DISCORD_API_BASE=%q: %v", dc.APIBase, err)
		}
	}
	if needPlatform && tg.Token == "" && dc.Token == "" && dc.PublicKey == "" {
		r.errs = append(r.errs, errNoPlatform)
	}

	// The transcript and the language, last: the costliest checks.
	c.TranscriptFile = r.str("TRANSCRIPT_FILE")
	c.TranscriptDir = r.str("TRANSCRIPT_DIR")
	c.Lang = strings.ToLower(r.str("TRANSCRIPT_LANG"))
	if v := r.str("ANSWER_THRESHOLD"); v != "" {
		th, err := parseThreshold(v)
		if err != nil {
			r.fail("ANSWER_THRESHOLD=%q: %w", v, err)
		}
		c.Threshold = th
	}
	var err error
	if c.TranscriptDir != "" {
		if c.TranscriptFile != "" {
			r.fail("TRANSCRIPT_FILE and TRANSCRIPT_DIR exclude each other: name one transcript or one directory")
		}
		if _, err := matcher.NewAnalyzer(c.Lang); err != nil {
			r.fail("TRANSCRIPT_LANG=%q: %w", c.Lang, err)
		} else if err := c.loadArchive(); err != nil {
			r.fail("TRANSCRIPT_DIR: %w", err)
		}
		if len(r.errs) > 0 {
			return nil, errors.Join(r.errs...)
		}
		return c, nil
	}
	if c.TranscriptFile != "" {
		c.Transcript, err = loadTranscriptFile(c.TranscriptFile)
		if err != nil {
			r.fail("TRANSCRIPT_FILE: %w", err)
		}
	} else {
		c.Transcript = transcript.Default()
	}
	t := c.Transcript
	if t == nil {
		t = transcript.Default() // to check the language all the same
	}
	m, err := matcher.New(t, matcher.Options{Language: c.Lang, Threshold: c.Threshold})
	if err != nil {
		r.fail("TRANSCRIPT_LANG=%q: %w", c.Lang, err)
	} else if c.Transcript != nil {
		c.Matcher = m
	}
	if len(r.errs) > 0 {
		return nil, errors.Join(r.errs...)
	}
	return c, nil
}

// loadArchive loads the briefings of TranscriptDir into Archive (files that do not load go
// to Skipped) and sets Transcript and Matcher to the newest briefing's.
func (c *Config) loadArchive() error {
	bs, broken, err := transcript.LoadDir(c.TranscriptDir)
	if err != nil {
		return err
	}
	a := archive.New(archive.Options{Language: c.Lang, Threshold: c.Threshold})
	c.Skipped = append(broken, a.Load(bs)...)
	newest := a.Snapshot().Newest()
	if newest == nil {
		return fmt.Errorf("%s: no transcript loaded (%d skipped)", c.TranscriptDir, len(c.Skipped))
	}
	c.Archive, c.Transcript, c.Matcher = a, newest.Transcript, newest.Matcher
	return nil
}
