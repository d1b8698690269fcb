package main

import (
	"context"
	"fmt"
	"time"

	"transcriptbot/adapters/discord"
	"transcriptbot/bot"
)

func init() {
	register(&command{
		name:    "discord",
		summary: "Discord tasks: 'discord register' publishes the slash commands",
		usage:   "discord register [--discord-guild-id ID] [FLAGS]",
		help: `discord register overwrites the application's commands with this bot's (/ask, /answer,
/questions, /help and the "Answer from transcript" message command) and exits, without
connecting to the gateway: globally, or in one guild with DISCORD_GUILD_ID (instant updates).
serve does the same at start-up with the gateway; use this for HTTP interactions only, or
from a deployment job. Needs DISCORD_TOKEN (or DISCORD_TOKEN_FILE); DISCORD_APP_ID is looked
up with the token when not set. The transcript settings give /answer its maximum.`,
		ownConfig: true,
		run:       runDiscord,
	})
}

func runDiscord(ctx context.Context, env *cliEnv, args []string) int {
	fs := env.flagSet("discord")
	cf := bindConfigFlags(fs, "DISCORD_")
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this long")
	switch {
	case len(args) == 0:
		return env.usageError("discord", "missing subcommand: want 'discord register'")
	case args[0] == "-h" || args[0] == "--help" || args[0] == "-help" || args[0] == "help":
		env.commandHelp(env.Stdout, fs)
		return exitOK
	case args[0] != "register":
		return env.usageError("discord", "unknown subcommand %q: want 'discord register'", args[0])
	}
	rest, code, ok := env.parse(fs, args[1:])
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return env.usageError("discord", "unexpected argument %q", rest[0])
	}
	cfg, err := loadConfig(cf.given(fs, env), env.Getenv, false)
	if err == nil && cfg.Discord.Token == "" {
		err = fmt.Errorf("DISCORD_TOKEN (or DISCORD_TOKEN_FILE) is not set: registering commands needs the bot token")
	}
	if err != nil {
		reportConfigErrors(env.Stderr, "discord register", err)
		return exitUsage
	}
	logger := newLogger(cfg, env.Stderr)
	dc := cfg.Discord
	core := bot.New(cfg.Matcher, bot.Options{})
	if cfg.Archive != nil {
		core = bot.NewArchive(cfg.Archive, bot.Options{})
	}
	a, err := discord.New(discord.Config{
		Token:     dc.Token,
		AppID:     dc.AppID,
		GuildID:   dc.GuildID,
		APIBase:   dc.APIBase,
		Logger:    logger,
		Source:    discordSource(cfg),
		Questions: discordQuestions(cfg),
		Briefings: discordBriefings(cfg, core),
	}, core)
	if err != nil {
		logger.Error("discord register failed", "err", err)
		return exitError
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	if err := a.Register(ctx); err != nil {
		logger.Error("discord register failed", "err", err)
		return exitError
	}
	where := "globally (may take up to an hour to show)"
	if dc.GuildID != "" {
		where = "in guild " + dc.GuildID
	}
	fmt.Fprintf(env.Stdout, "commands registered %s\n", where)
	return exitOK
}
