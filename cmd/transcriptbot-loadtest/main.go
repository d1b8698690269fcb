// Command transcriptbot-loadtest measures the bot under load: the real bot core behind the real
// Telegram and Discord adapters, driven through fake platform servers on 127.0.0.1
// (adapters/telegram/telegramtest and adapters/discord/discordtest), with every reply checked
// against the platforms' rules. It is a command of its own so that the binary serving users
// (cmd/transcriptbot) carries no fake server, no load generator and no profiler.
//
// Usage:
//
//	transcriptbot-loadtest [--transcript FILE] [--lang LANG] [--scenario NAME] [--updates N] ...
//
// Run it with --help for the scenarios, the checks and every flag. "transcriptbot-loadtest
// archive" measures an archive of many briefings instead (archive --help).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"transcriptbot/bot"
	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

// Exit statuses, as cmd/transcriptbot's.
const (
	exitOK    = 0 // success, every check passed
	exitError = 1 // a check failed, or a runtime failure
	exitUsage = 2 // usage error: unknown flag, bad value, extra arguments
)

const (
	progName    = "transcriptbot-loadtest"
	defaultLang = "english"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole program minus the process: it parses args (without the program name), runs
// the scenarios and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	env := &cliEnv{Stdout: stdout, Stderr: stderr, Lang: defaultLang, Getenv: os.Getenv}
	if len(args) > 0 && args[0] == "archive" {
		return runArchive(ctx, env, args[1:])
	}
	return runLoadtest(ctx, env, args)
}

// cliEnv is the command's standard streams and its transcript flags.
type cliEnv struct {
	Stdout io.Writer
	Stderr io.Writer
	// Transcript is the --transcript flag: a transcript file, or "" for the embedded default.
	Transcript string
	// Lang is the --lang flag: the snowball stemming language.
	Lang string
	// Getenv reads the environment: TRANSCRIPT_FILE and TRANSCRIPT_LANG are the flags'
	// defaults, as for transcriptbot's commands.
	Getenv func(string) string
}

// flagSet returns a flag set with --transcript and --lang defined.
func (env *cliEnv) flagSet(string) *flag.FlagSet {
	fs := flag.NewFlagSet(progName, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parse reports errors and prints usage itself
	file, lang := "", defaultLang
	if env.Getenv != nil {
		file = strings.TrimSpace(env.Getenv("TRANSCRIPT_FILE"))
		if v := strings.TrimSpace(env.Getenv("TRANSCRIPT_LANG")); v != "" {
			lang = v
		}
	}
	fs.StringVar(&env.Transcript, "transcript", file, "transcript `FILE` to load (TRANSCRIPT_FILE; default: the embedded transcript)")
	fs.StringVar(&env.Lang, "lang", lang, "stemming `LANG`uage (TRANSCRIPT_LANG): one of "+strings.Join(matcher.Languages, ", "))
	return fs
}

// parse parses args with fs. It returns the positional arguments and ok=true, or ok=false with
// the exit code to return: exitOK after printing help for -h/--help, exitUsage after reporting
// a bad flag on stderr.
func (env *cliEnv) parse(fs *flag.FlagSet, args []string) (rest []string, code int, ok bool) {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(env.Stdout, "usage: %s\n\n%s\n\nFlags:\n", usage, help)
		fs.SetOutput(env.Stdout)
		fs.PrintDefaults()
		return nil, exitOK, false
	}
	if err != nil {
		return nil, env.usageError("", "%v", err), false
	}
	env.Lang = strings.ToLower(strings.TrimSpace(env.Lang))
	if !slices.Contains(matcher.Languages, env.Lang) {
		return nil, env.usageError("", "unknown --lang %q: want one of %s", env.Lang, strings.Join(matcher.Languages, ", ")), false
	}
	return fs.Args(), exitOK, true
}

// usageError reports a usage error on stderr and returns exitUsage.
func (env *cliEnv) usageError(_, format string, a ...any) int {
	fmt.Fprintf(env.Stderr, "%s: %s\nusage: %s\nRun '%s --help' for details.\n", progName, fmt.Sprintf(format, a...), usage, progName)
	return exitUsage
}

// runtimeError reports a runtime failure on stderr and returns exitError.
func (env *cliEnv) runtimeError(_ string, err error) int {
	fmt.Fprintf(env.Stderr, "%s: %v\n", progName, err)
	return exitError
}

// newBot loads the transcript, builds the matcher and returns a bot over them.
func (env *cliEnv) newBot() (*bot.Bot, *matcher.Matcher, error) {
	t := transcript.Default()
	if env.Transcript != "" {
		var err error
		if t, err = transcript.Load(env.Transcript); err != nil {
			return nil, nil, err
		}
	}
	m, err := matcher.New(t, matcher.Options{Language: env.Lang})
	if err != nil {
		return nil, nil, err
	}
	return bot.New(m, bot.Options{}), m, nil
}
