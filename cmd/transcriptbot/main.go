// Command transcriptbot answers people's questions from a press-conference transcript of
// numbered questions and answers: from the command line, in a terminal chat, and (through the
// serve subcommand) on Discord and Telegram.
//
// Usage:
//
//	transcriptbot [--transcript FILE] [--lang LANG] COMMAND [ARGS...]
//
// # Adding a subcommand
//
// Subcommands register themselves; main.go knows none of them by name. To add one, create a
// file in this folder (for example serve.go) with:
//
//	func init() {
//		register(&command{
//			name:    "serve",
//			summary: "run the bot on Discord and Telegram",   // one line, shown by --help
//			usage:   "serve [--addr ADDR]",                    // after "transcriptbot "
//			help:    "Longer description shown by serve --help.",
//			run:     runServe,
//		})
//	}
//
//	func runServe(ctx context.Context, env *cliEnv, args []string) int {
//		fs := env.flagSet("serve")          // has --transcript, --lang and -h/--help already
//		addr := fs.String("addr", ":8080", "listen address")
//		rest, code, ok := env.parse(fs, args)
//		if !ok {
//			return code // 0 after --help, 2 after a usage error (already reported)
//		}
//		...
//		t, err := env.loadTranscript()      // honours --transcript (+ sidecar), else the embedded default
//		m, err := env.newMatcher(t)         // honours --lang
//		// or: b, m, err := env.newBot()    // both of the above, then bot.New(m, bot.Options{})
//		...
//		return exitOK                       // or exitError (runtime failure), exitUsage
//	}
//
// run receives the arguments after the subcommand name. The context is cancelled on SIGINT
// and SIGTERM. Write to env.Stdout and env.Stderr (never os.Stdout), read env.Stdin, and read
// the environment with env.Getenv, so that tests can run the command in-process. Global flags
// are accepted both before the subcommand name and among the subcommand's own flags; env.parse
// also accepts flags after positional arguments (use "--" to end flags), and a negative number
// ("ask -1") as an argument. TRANSCRIPT_FILE and TRANSCRIPT_LANG give the global flags'
// defaults for every command.
//
// A command that suggests another command to type builds it with env.commandLine, which
// writes the program the way it was run (env.Prog: "transcriptbot", "./transcriptbot" or
// "go run ./cmd/transcriptbot") with the --transcript and --lang in use, shell-quoted, so
// that the suggestion works when copied. The README's examples are run by readme_test.go.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"transcriptbot/adapters/console"
	"transcriptbot/matcher"
)

// Exit codes, as a shell user expects them.
const (
	exitOK    = 0 // success
	exitError = 1 // runtime failure: unreadable file, bad transcript, out-of-range number
	exitUsage = 2 // usage error: unknown command or flag, missing or extra arguments
)

// defaultLang is the snowball stemming language used when --lang is not given.
const defaultLang = "english"

// command is one subcommand.
type command struct {
	name    string // what the user types, e.g. "ask"
	summary string // one line for the program's usage
	usage   string // synopsis after the program name, e.g. "ask [--json] QUESTION..."
	help    string // longer description for COMMAND --help (optional)
	// ownConfig: the command validates TRANSCRIPT_LANG with its other settings (loadConfig),
	// reporting every invalid setting together.
	ownConfig bool
	run       func(ctx context.Context, env *cliEnv, args []string) int
}

// commands is the registry filled by register from each subcommand file's init.
var commands = map[string]*command{}

// register adds c to the registry. It panics on a duplicate or malformed registration: that is
// a programming error found by any test run.
func register(c *command) {
	if c.name == "" || c.run == nil {
		panic("transcriptbot: register needs a name and a run function")
	}
	if _, dup := commands[c.name]; dup {
		panic("transcriptbot: command " + c.name + " registered twice")
	}
	commands[c.name] = c
}

// cliEnv is what a subcommand gets from main: its standard streams, the environment and the
// global flags. Tests build one with in-memory streams.
type cliEnv struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads an environment variable (os.Getenv outside tests).
	Getenv func(string) string

	// Transcript is the --transcript flag: a transcript file, or "" for the embedded default.
	Transcript string
	// Transcripts is the --transcripts flag (TRANSCRIPT_DIR): a directory of transcripts,
	// an archive of briefings; "" for one transcript.
	Transcripts string
	// Lang is the --lang flag: the snowball stemming language.
	Lang string
	// Prog is how the user runs the program, for the commands the output suggests:
	// "transcriptbot", "./transcriptbot" or "go run ./cmd/transcriptbot" (see progName).
	// Empty means "transcriptbot".
	Prog string

	// langFrom names where Lang came from, for error messages: "--lang" or "TRANSCRIPT_LANG".
	langFrom string
	// Threshold is --answer-threshold (ANSWER_THRESHOLD): the matcher's answer threshold, 0
	// for its fitted default; threshold is the text given, thresholdFrom where it came from.
	Threshold     float64
	threshold     string
	thresholdFrom string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole program minus the process: it parses args (without the program name),
// dispatches to a subcommand and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &cliEnv{Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: os.Getenv, Lang: defaultLang,
		Prog: progName(os.Args[0])}
	return env.main(ctx, args)
}

// main parses the global flags and runs the subcommand.
func (env *cliEnv) main(ctx context.Context, args []string) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if env.Lang == "" {
		env.Lang = defaultLang
	}
	env.fromEnvironment()
	fs := flag.NewFlagSet("transcriptbot", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	env.globalFlags(fs)
	help := fs.Bool("help", false, "")
	fs.BoolVar(help, "h", false, "")
	version := fs.Bool("version", false, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			env.usage(env.Stdout)
			return exitOK
		}
		fmt.Fprintf(env.Stderr, "transcriptbot: %v\n", err)
		fmt.Fprintf(env.Stderr, "Run '%s --help' for usage.\n", env.prog())
		return exitUsage
	}
	if *help {
		env.usage(env.Stdout)
		return exitOK
	}
	if *version {
		fmt.Fprintln(env.Stdout, versionLine())
		return exitOK
	}
	if code, ok := env.checkLang("transcriptbot"); !ok {
		return code
	}
	rest := fs.Args()
	if len(rest) == 0 {
		env.usage(env.Stderr)
		return exitUsage
	}
	name := rest[0]
	switch name {
	case "help":
		return env.helpCommand(ctx, rest[1:])
	case "version":
		if len(rest) > 1 {
			fmt.Fprintln(env.Stderr, "usage: transcriptbot version")
			return exitUsage
		}
		fmt.Fprintln(env.Stdout, versionLine())
		return exitOK
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(env.Stderr, "transcriptbot: unknown command %q\n", name)
		fmt.Fprintf(env.Stderr, "Run '%s --help' for the list of commands.\n", env.prog())
		return exitUsage
	}
	return c.run(ctx, env, rest[1:])
}

// helpCommand implements "transcriptbot help [COMMAND]".
func (env *cliEnv) helpCommand(ctx context.Context, args []string) int {
	switch len(args) {
	case 0:
		env.usage(env.Stdout)
		return exitOK
	case 1:
		c, ok := commands[args[0]]
		if !ok {
			fmt.Fprintf(env.Stderr, "transcriptbot help: unknown command %q\n", args[0])
			return exitUsage
		}
		return c.run(ctx, env, []string{"--help"})
	default:
		fmt.Fprintln(env.Stderr, "usage: transcriptbot help [COMMAND]")
		return exitUsage
	}
}

// fromEnvironment takes the global settings from TRANSCRIPT_FILE and TRANSCRIPT_LANG, for
// every command alike; the flags, parsed afterwards, win.
func (env *cliEnv) fromEnvironment() {
	if v := strings.TrimSpace(env.Getenv("TRANSCRIPT_FILE")); v != "" && env.Transcript == "" {
		env.Transcript = v
	}
	if v := strings.TrimSpace(env.Getenv("TRANSCRIPT_DIR")); v != "" && env.Transcripts == "" {
		env.Transcripts = v
	}
	if v := strings.TrimSpace(env.Getenv("ANSWER_THRESHOLD")); v != "" && env.thresholdFrom == "" {
		env.threshold, env.thresholdFrom = v, "ANSWER_THRESHOLD"
	}
	if v := strings.TrimSpace(env.Getenv("TRANSCRIPT_LANG")); v != "" && env.langFrom == "" {
		env.Lang = v
		env.langFrom = "TRANSCRIPT_LANG"
	}
}

// globalFlags defines --transcript and --lang on fs, writing into env.
func (env *cliEnv) globalFlags(fs *flag.FlagSet) {
	fs.StringVar(&env.Transcript, "transcript", env.Transcript,
		"transcript `FILE` (TRANSCRIPT_FILE; default: the embedded transcript); its sidecar, FILE with the extension .ini, is read too")
	fs.StringVar(&env.Transcripts, "transcripts", env.Transcripts,
		"`DIR`ectory of transcripts, one briefing per *.txt file with its sidecar (TRANSCRIPT_DIR): answers come from all of them")
	fs.Func("answer-threshold", "`CONFIDENCE` in (0, 1] from which to answer rather than say the transcript does not cover it (ANSWER_THRESHOLD; default: the threshold fitted for the transcript)",
		func(v string) error {
			env.threshold, env.thresholdFrom = v, "--answer-threshold"
			return nil
		})
	fs.Func("lang", "snowball stemming `LANG`uage (TRANSCRIPT_LANG; default "+defaultLang+"): "+strings.Join(matcher.Languages, ", "),
		func(v string) error {
			env.Lang = v
			env.langFrom = "--lang"
			return nil
		})
}

// progName returns how the user ran the program, given os.Args[0], for the commands that
// hints suggest: the bare name when it was found on PATH, "go run ./cmd/transcriptbot" for a
// binary that go run built in a temporary folder, else the path as typed ("./transcriptbot").
func progName(arg0 string) string {
	if arg0 == "" {
		return "transcriptbot"
	}
	if !strings.ContainsRune(arg0, os.PathSeparator) && !strings.ContainsRune(arg0, '/') {
		return arg0
	}
	if strings.Contains(filepath.ToSlash(arg0), "/go-build") {
		if fi, err := os.Stat(filepath.Join("cmd", "transcriptbot")); err == nil && fi.IsDir() {
			return "go run ./cmd/transcriptbot"
		}
		return "go run ."
	}
	return shellQuote(arg0)
}

// prog returns env.Prog, or "transcriptbot" when unset.
func (env *cliEnv) prog() string {
	if env.Prog == "" {
		return "transcriptbot"
	}
	return env.Prog
}

// versionLine describes the build from the module's build information: the module version
// (a tag for go install ...@vX, "(devel)" for a local build), the VCS revision and time when
// built from a checkout, and the Go version.
func versionLine() string {
	v := "transcriptbot (unknown version)"
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v + " " + runtime.Version()
	}
	v = "transcriptbot " + info.Main.Version
	var rev, when string
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		v += " " + rev
		if dirty {
			v += "+modified"
		}
		if when != "" {
			v += " " + when
		}
	}
	return v + " " + info.GoVersion
}

// usage prints the program's usage and the list of commands to w.
func (env *cliEnv) usage(w io.Writer) {
	fmt.Fprintln(w, "transcriptbot answers questions from a press-conference transcript.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage:")
	fmt.Fprintln(w, "  transcriptbot [--transcript FILE | --transcripts DIR] [--lang LANG] COMMAND [ARGS...]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	names := make([]string, 0, len(commands))
	width := 4
	for name := range commands {
		names = append(names, name)
		width = max(width, len(name))
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-*s  %s\n", width, name, commands[name].summary)
	}
	fmt.Fprintf(w, "  %-*s  %s\n", width, "help", "show help for a command")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Global flags (before or after the command name):")
	fmt.Fprintln(w, "  --transcript FILE  transcript file (default: the embedded SCO press conference); or TRANSCRIPT_FILE")
	fmt.Fprintln(w, "  --transcripts DIR  a directory of transcripts, one briefing per *.txt file, answered together; or TRANSCRIPT_DIR")
	fmt.Fprintln(w, "  --lang LANG        snowball stemming language (default: english); or TRANSCRIPT_LANG")
	fmt.Fprintln(w, "  --answer-threshold C  confidence from which to answer (default: the fitted one); or ANSWER_THRESHOLD")
	fmt.Fprintln(w, "  --version          print the version and exit (also: transcriptbot version)")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Run '%s COMMAND --help' for a command's own flags.\n", env.prog())
}

// flagSet returns a FlagSet for the named command that already has the global flags and
// -h/--help. Parse it with env.parse.
func (env *cliEnv) flagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // env.parse reports errors and prints usage itself
	env.globalFlags(fs)
	return fs
}

// parse parses a command's arguments with fs, allowing flags before and after positional
// arguments ("--" ends flags). It returns the positional arguments and ok=true, or ok=false
// with the exit code to return: exitOK after printing help for -h/--help, exitUsage after
// reporting a bad flag on stderr.
func (env *cliEnv) parse(fs *flag.FlagSet, args []string) (rest []string, code int, ok bool) {
	for {
		// A negative number ("ask -1", "answer -3") is an argument, not an unknown flag,
		// unless it is the value of the flag before it ("--budget -1").
		if i := negativeNumberArg(fs, args); i >= 0 {
			head, tail := args[:i], args[i+1:]
			err := fs.Parse(head)
			if err == nil && fs.NArg() == 0 {
				rest = append(rest, args[i])
				args = tail
				continue
			}
			// Otherwise head ends the flags or has an error: parse as usual below.
		}
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			env.commandHelp(env.Stdout, fs)
			return nil, exitOK, false
		}
		if err != nil {
			return nil, env.usageError(fs.Name(), "%v", err), false
		}
		if code, ok := env.checkLang(fs.Name()); !ok {
			return nil, code, false
		}
		if code, ok := env.checkThreshold(fs.Name()); !ok {
			return nil, code, false
		}
		if env.Transcript != "" && env.Transcripts != "" {
			return nil, env.usageError(fs.Name(), "--transcript (TRANSCRIPT_FILE) and --transcripts (TRANSCRIPT_DIR) exclude each other: name one transcript or one directory"), false
		}
		left := fs.Args()
		consumed := len(args) - len(left)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(rest, left...), exitOK, true
		}
		if len(left) == 0 {
			return rest, exitOK, true
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}

// negativeNumberArg returns the index of the first argument that is a negative number
// ("-1") and not the value of a flag before it, or -1. It stops at "--".
func negativeNumberArg(fs *flag.FlagSet, args []string) int {
	for i, a := range args {
		if a == "--" {
			return -1
		}
		if len(a) < 2 || a[0] != '-' {
			continue
		}
		if _, err := strconv.Atoi(a); err != nil {
			continue
		}
		if i > 0 {
			prev := strings.TrimLeft(args[i-1], "-")
			if f := fs.Lookup(prev); f != nil && !strings.Contains(args[i-1], "=") && strings.HasPrefix(args[i-1], "-") {
				if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); !ok || !bf.IsBoolFlag() {
					continue // the flag's value
				}
			}
		}
		return i
	}
	return -1
}

// parseThreshold reads an answer threshold: a confidence in (0, 1].
func parseThreshold(v string) (float64, error) {
	th, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || !(th > 0 && th <= 1) {
		return 0, fmt.Errorf("want a confidence in (0, 1], such as %.2f (the default for a transcript of your own)", matcher.DefaultThreshold)
	}
	return th, nil
}

// checkThreshold validates --answer-threshold (or ANSWER_THRESHOLD) into env.Threshold.
func (env *cliEnv) checkThreshold(name string) (code int, ok bool) {
	if c := commands[name]; env.threshold == "" || (c != nil && c.ownConfig) {
		// serve and discord report it among every other invalid setting (loadConfig).
		return exitOK, true
	}
	th, err := parseThreshold(env.threshold)
	if err != nil {
		return env.usageError(name, "%s=%q: %v", env.thresholdFrom, env.threshold, err), false
	}
	env.Threshold = th
	return exitOK, true
}

// checkLang validates --lang (normalised to lower case) against the stemming languages.
func (env *cliEnv) checkLang(name string) (code int, ok bool) {
	if env.langFrom == "TRANSCRIPT_LANG" {
		// Checked by the command itself: serve and discord report it among every other
		// invalid setting, the others in their own env.parse.
		if c := commands[name]; name == "transcriptbot" || (c != nil && c.ownConfig) {
			return exitOK, true
		}
	}
	env.Lang = strings.ToLower(strings.TrimSpace(env.Lang))
	if env.Lang == "" {
		env.Lang = defaultLang
	}
	if slices.Contains(matcher.Languages, env.Lang) {
		return exitOK, true
	}
	from := env.langFrom
	if from == "" {
		from = "--lang"
	}
	return env.usageError(name, "unknown %s %q: want one of %s",
		from, env.Lang, strings.Join(matcher.Languages, ", ")), false
}

// usageError reports a usage error for the named command on stderr and returns exitUsage.
func (env *cliEnv) usageError(name, format string, a ...any) int {
	prog := "transcriptbot " + name
	if name == "transcriptbot" || name == "" {
		prog = "transcriptbot"
	}
	fmt.Fprintf(env.Stderr, "%s: %s\n", prog, fmt.Sprintf(format, a...))
	// The usage and the hint are commands to type: written the way the program was run.
	run := env.prog()
	if name != "transcriptbot" && name != "" {
		run += " " + name
	}
	if c, ok := commands[name]; ok {
		fmt.Fprintf(env.Stderr, "usage: %s %s\n", env.prog(), c.usage)
	}
	fmt.Fprintf(env.Stderr, "Run '%s --help' for details.\n", run)
	return exitUsage
}

// runtimeError reports a runtime failure of the named command on stderr and returns exitError.
func (env *cliEnv) runtimeError(name string, err error) int {
	fmt.Fprintf(env.Stderr, "transcriptbot %s: %v\n", name, err)
	return exitError
}

// commandHelp prints the named command's usage, description and flags to w.
func (env *cliEnv) commandHelp(w io.Writer, fs *flag.FlagSet) {
	c := commands[fs.Name()]
	if c != nil {
		fmt.Fprintf(w, "usage: transcriptbot %s\n\n", c.usage)
		if c.help != "" {
			fmt.Fprintln(w, strings.TrimRight(c.help, "\n"))
		} else {
			fmt.Fprintln(w, c.summary)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "Flags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// isTerminal reports whether w is a terminal (a character device), for ANSI styling and
// line editing. Honours NO_COLOR for styling through env.color.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	return fi.Mode()&os.ModeCharDevice != 0
}

// color reports whether output to env.Stdout may use ANSI styling: it must be a terminal,
// NO_COLOR must be unset and TERM must not be "dumb".
func (env *cliEnv) color() bool {
	return isTerminal(env.Stdout) && env.Getenv("NO_COLOR") == "" && env.Getenv("TERM") != "dumb"
}

// wrap breaks text at spaces to the width of the terminal when env.Stdout is one.
func (env *cliEnv) wrap(text string) string {
	if !isTerminal(env.Stdout) {
		return text
	}
	return console.Wrap(text, console.TerminalWidth()-1)
}
