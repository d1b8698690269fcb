package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"

	"transcriptbot/adapters/console"
)

func init() {
	register(&command{
		name:    "chat",
		summary: "talk to the bot in the terminal",
		usage:   "chat [--plain] [--json]",
		help: `Starts a conversation with the bot, with the same commands as on Telegram and Discord:
  What is the Shanghai spirit?   ask in your own words
  3, #3, q3, question 3          read the answer to question 3
  /questions                     list the questions
  /answer N, /ask TEXT, /help    the chat platforms' commands
  [1], [2], ...                  pick one of the numbered choices under a reply
  /press ID                      press a button by its id (as chat --json lists them)
  /quit, /exit, Ctrl-D           leave
On a terminal, lines can be edited and recalled (history is kept in the file named by
TRANSCRIPTBOT_HISTORY, by default in the user cache directory; set it to "off" to keep
none). When standard input is not a terminal, lines are read as a script: no prompt, no
greeting, and exactly one reply per input line (blank lines included), each followed by a
blank line.

With --json, each input line gets exactly one line of JSON instead: {"line": N, "input":
..., "kind": "answer"|"by-number"|"ambiguous"|"not-covered"|"list"|"help"|"small-talk"|
"invalid"|"expired"|"error"|"throttled"|"silent"|"no-choice"|"quit", "number": N,
"question": ..., "text": ..., "highlights": [...], "page": N, "pages": N, "actions":
[{"choice": 1, "id": ..., "label": ..., "question": N}, ...]}. The next line presses an
action with [choice] or /press id.`,
		run: runChat,
	})
}

func runChat(ctx context.Context, env *cliEnv, args []string) int {
	fs := env.flagSet("chat")
	plain := fs.Bool("plain", false, "no line editing, prompt or colours even on a terminal")
	asJSON := fs.Bool("json", false, "write each reply as one line of JSON (implies --plain)")
	rest, code, ok := env.parse(fs, args)
	if !ok {
		return code
	}
	if len(rest) != 0 {
		return env.usageError("chat", "unexpected argument %q", rest[0])
	}
	b, _, err := env.newBot()
	if err != nil {
		return env.runtimeError("chat", err)
	}
	interactive := !*plain && !*asJSON && isTerminal(env.Stdin) && isTerminal(env.Stdout)
	opts := console.Options{
		JSON:        *asJSON,
		Interactive: interactive,
		Color:       interactive && env.color(),
		Locale:      env.locale(),
	}
	if interactive {
		opts.Width = -1 // follow the terminal, also when it is resized
	}
	if interactive {
		opts.HistoryFile = env.historyFile()
	}
	err = console.New(b, env.Stdin, env.Stdout, opts).Run(ctx)
	if err != nil && !errors.Is(err, context.Canceled) {
		return env.runtimeError("chat", err)
	}
	return exitOK
}

// historyFile returns where chat keeps its line history: TRANSCRIPTBOT_HISTORY, "" for "off",
// else transcriptbot/history in the user cache directory (created on demand; "" when that
// cannot be done, so history is then kept for the session only).
func (env *cliEnv) historyFile() string {
	switch v := env.Getenv("TRANSCRIPTBOT_HISTORY"); v {
	case "off", "none":
		return ""
	case "":
	default:
		return v
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	dir = filepath.Join(dir, "transcriptbot")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return ""
	}
	return filepath.Join(dir, "history")
}
