package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// Test credentials: well-formed, never real.
const (
	testTelegramToken = "123456789:AAtest-canary_token_for_serve_tests"
	testDiscordToken  = "discord.canary.token-for-serve-tests"
	testPublicKey     = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"
)

// serveTranscript is a small valid transcript for the serve tests.
const serveTranscript = `Briefing of the Harbour Authority

1. When does the summer ferry timetable start?

The summer timetable starts on the first of June. Ferries leave every thirty minutes.

2. How much will a ticket to the islands cost this year?

A single ticket costs four euros, a return ticket seven euros.
`

// writeFile writes content to name in dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// envOf returns a getenv reading from m.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestConfigNoPlatform(t *testing.T) {
	_, err := parseConfigArgs(nil, envOf(nil))
	if !errors.Is(err, errNoPlatform) {
		t.Fatalf("got %v, want errNoPlatform", err)
	}
	for _, name := range []string{"TELEGRAM_TOKEN", "DISCORD_TOKEN", "DISCORD_PUBLIC_KEY"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("got %q, want it to name %s", err, name)
		}
	}

	// Through the command line: exit status 2 and the names on stderr, nothing connected.
	code, stdout, stderr := runCLI(t, "", "serve")
	if code != exitUsage {
		t.Errorf("exit code: got %d, want %d", code, exitUsage)
	}
	if stdout != "" {
		t.Errorf("stdout: got %q, want nothing", stdout)
	}
	for _, name := range []string{"TELEGRAM_TOKEN", "DISCORD_TOKEN", "DISCORD_PUBLIC_KEY"} {
		if !strings.Contains(stderr, name) {
			t.Errorf("stderr: got %q, want it to name %s", stderr, name)
		}
	}
}

// TestConfigErrorsTogether: every invalid value is reported in one go, the transcript's with
// its line number.
func TestConfigErrorsTogether(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.txt", "Title\n\n1. First question?\n\nAn answer.\n\n3. Skipped a number?\n\nAnother.\n")
	env := map[string]string{
		"HTTP_ADDR":        "localhost:http-alt",
		"TRANSCRIPT_FILE":  bad,
		"TRANSCRIPT_LANG":  "klingon",
		"LOG_FORMAT":       "xml",
		"FLOOD_USER_RATE":  "fast",
		"DISCORD_SHARD_ID": "3",
		"TELEGRAM_TOKEN":   testTelegramToken,
	}
	_, err := parseConfigArgs(nil, envOf(env))
	if err == nil {
		t.Fatal("got no error, want several")
	}
	msg := err.Error()
	for _, want := range []string{
		`HTTP_ADDR="localhost:http-alt"`,
		"bad.txt:7:",
		`TRANSCRIPT_LANG="klingon"`,
		`LOG_FORMAT="xml"`,
		`FLOOD_USER_RATE="fast"`,
		"DISCORD_SHARD_ID=3 must be less than DISCORD_SHARD_COUNT=1",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("got %q, want it to contain %q", msg, want)
		}
	}
	if got, want := len(strings.Split(msg, "\n")), 6; got != want {
		t.Errorf("errors: got %d lines, want %d: %q", got, want, msg)
	}

	// On the command line, each on its own line, exit status 2.
	var out, errOut strings.Builder
	e := &cliEnv{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: envOf(env)}
	if code := e.main(t.Context(), []string{"serve"}); code != exitUsage {
		t.Errorf("exit code: got %d, want %d", code, exitUsage)
	}
	if got := strings.Count(errOut.String(), "\n  - "); got != 6 {
		t.Errorf("stderr: got %d listed errors, want 6: %q", got, errOut.String())
	}
}

func TestConfigValues(t *testing.T) {
	dir := t.TempDir()
	tokenFile := writeFile(t, dir, "tg", testTelegramToken+"\n")
	emptyFile := writeFile(t, dir, "empty", "\n")
	transcriptFile := writeFile(t, dir, "talk.txt", serveTranscript)
	base := map[string]string{"TELEGRAM_TOKEN": testTelegramToken}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(c *Config) (got, want any)
		wantErr string // substring of the error; "" for none
	}{
		{name: "defaults", check: func(c *Config) (any, any) {
			return []any{c.HTTPAddr, c.Lang, c.LogFormat, c.LogLevel, c.LogMessages, c.ReloadInterval, c.ShutdownTimeout, c.TranscriptFile, c.Transcript != nil},
				[]any{":8080", "english", "text", slog.LevelInfo, false, 5 * time.Second, 8 * time.Second, "", true}
		}},
		{name: "default flood rules", check: func(c *Config) (any, any) {
			return []any{c.FloodUser.Burst, c.FloodUser.Rate, c.FloodChat.Burst, c.FloodCooldown},
				[]any{8, rate.Limit(20.0 / 60), 20, time.Minute}
		}},
		{name: "flag wins over environment", args: []string{"--http-addr", "127.0.0.1:9000", "--log-format=json"},
			env:   map[string]string{"HTTP_ADDR": ":7000", "LOG_FORMAT": "text"},
			check: func(c *Config) (any, any) { return c.HTTPAddr + " " + c.LogFormat, "127.0.0.1:9000 json" }},
		{name: "environment", env: map[string]string{"HTTP_ADDR": ":7000", "LOG_LEVEL": "DEBUG", "LOG_MESSAGES": "true", "RELOAD_INTERVAL": "0"},
			check: func(c *Config) (any, any) {
				return []any{c.HTTPAddr, c.LogLevel, c.LogMessages, c.ReloadInterval}, []any{":7000", slog.LevelDebug, true, time.Duration(0)}
			}},
		{name: "global flags", args: []string{"--transcript", transcriptFile, "--lang", "french"},
			env: map[string]string{"TRANSCRIPT_LANG": "spanish"},
			check: func(c *Config) (any, any) {
				return []any{c.TranscriptFile, c.Lang, c.Transcript.Len()}, []any{transcriptFile, "french", 2}
			}},
		{name: "transcript from environment", env: map[string]string{"TRANSCRIPT_FILE": transcriptFile},
			check: func(c *Config) (any, any) { return c.Transcript.Title, "Briefing of the Harbour Authority" }},
		{name: "rate forms", env: map[string]string{"FLOOD_USER_RATE": "2", "FLOOD_CHAT_RATE": "30/m"},
			check: func(c *Config) (any, any) {
				return []any{c.FloodUser.Rate, c.FloodChat.Rate}, []any{rate.Limit(2), rate.Limit(0.5)}
			}},
		{name: "flood off", env: map[string]string{"FLOOD_USER_BURST": "0", "FLOOD_CHAT_BURST": "0"},
			check: func(c *Config) (any, any) { return c.FloodUser.Enabled() || c.FloodChat.Enabled(), false }},
		{name: "token from file", env: map[string]string{"TELEGRAM_TOKEN": "", "TELEGRAM_TOKEN_FILE": tokenFile},
			check: func(c *Config) (any, any) { return c.Telegram.Token, testTelegramToken }},
		{name: "token file flag", args: []string{"--telegram-token-file", tokenFile}, env: map[string]string{"TELEGRAM_TOKEN": ""},
			check: func(c *Config) (any, any) { return c.Telegram.Token, testTelegramToken }},
		{name: "empty secret file counts as unset", env: map[string]string{"DISCORD_TOKEN_FILE": emptyFile},
			check: func(c *Config) (any, any) { return c.Discord.Token, "" }},
		{name: "empty secret file and variable", env: map[string]string{"TELEGRAM_TOKEN_FILE": emptyFile},
			check: func(c *Config) (any, any) { return c.Telegram.Token, testTelegramToken }},
		{name: "discord only", env: map[string]string{"TELEGRAM_TOKEN": "", "DISCORD_PUBLIC_KEY": testPublicKey, "DISCORD_SHARD_ID": "1", "DISCORD_SHARD_COUNT": "2"},
			check: func(c *Config) (any, any) {
				return []any{c.platforms(), c.Discord.ShardID, c.Discord.ShardCount}, []any{[]string{"discord interactions"}, 1, 2}
			}},
		{name: "platforms", env: map[string]string{"DISCORD_TOKEN": testDiscordToken, "DISCORD_PUBLIC_KEY": testPublicKey},
			check: func(c *Config) (any, any) {
				return c.platforms(), []string{"telegram (polling)", "discord gateway", "discord interactions"}
			}},

		{name: "both forms of a secret", env: map[string]string{"TELEGRAM_TOKEN_FILE": tokenFile},
			wantErr: "TELEGRAM_TOKEN and TELEGRAM_TOKEN_FILE are both set"},
		{name: "unreadable secret file", env: map[string]string{"DISCORD_TOKEN_FILE": filepath.Join(dir, "nope")},
			wantErr: "DISCORD_TOKEN_FILE: cannot read the secret file: " + filepath.Join(dir, "nope") + ": no such file"},
		{name: "missing transcript", env: map[string]string{"TRANSCRIPT_FILE": filepath.Join(dir, "missing.txt")},
			wantErr: "TRANSCRIPT_FILE: " + filepath.Join(dir, "missing.txt") + ": no such file"},
		{name: "empty transcript", env: map[string]string{"TRANSCRIPT_FILE": emptyFile},
			wantErr: "TRANSCRIPT_FILE: " + emptyFile},
		{name: "address without port", env: map[string]string{"HTTP_ADDR": "8080"}, wantErr: `HTTP_ADDR="8080" is not a listen address`},
		{name: "address port out of range", env: map[string]string{"HTTP_ADDR": ":70000"}, wantErr: "from 0 to 65535"},
		{name: "log level", env: map[string]string{"LOG_LEVEL": "loud"}, wantErr: `LOG_LEVEL="loud"`},
		{name: "log messages", env: map[string]string{"LOG_MESSAGES": "sometimes"}, wantErr: `LOG_MESSAGES="sometimes" is not true or false`},
		{name: "duration", env: map[string]string{"FLOOD_COOLDOWN": "10"}, wantErr: `FLOOD_COOLDOWN="10" is not a duration`},
		{name: "short cooldown", env: map[string]string{"FLOOD_COOLDOWN": "10ms"}, wantErr: "must be at least 1s"},
		{name: "burst", env: map[string]string{"FLOOD_USER_BURST": "-1"}, wantErr: "FLOOD_USER_BURST=-1 is out of range"},
		{name: "rate period", env: map[string]string{"FLOOD_CHAT_RATE": "5/soon"}, wantErr: `FLOOD_CHAT_RATE="5/soon"`},
		{name: "reload interval too short", env: map[string]string{"RELOAD_INTERVAL": "1ms"}, wantErr: "RELOAD_INTERVAL=1ms is too short"},
		{name: "webhook without secret", env: map[string]string{"TELEGRAM_WEBHOOK_URL": "https://bot.example.org/telegram/webhook"},
			wantErr: "TELEGRAM_WEBHOOK_SECRET is not"},
		{name: "webhook not https", env: map[string]string{"TELEGRAM_WEBHOOK_URL": "http://bot.example.org/hook", "TELEGRAM_WEBHOOK_SECRET": "s3cret"},
			wantErr: "want an absolute https:// URL"},
		{name: "webhook secret charset", env: map[string]string{"TELEGRAM_WEBHOOK_URL": "https://x.example/h", "TELEGRAM_WEBHOOK_SECRET": "no spaces"},
			wantErr: "TELEGRAM_WEBHOOK_SECRET must be 1 to 256"},
		{name: "api endpoint", env: map[string]string{"TELEGRAM_API_ENDPOINT": "http://127.0.0.1:8081/bot"}, wantErr: "must contain %s twice"},
		{name: "malformed token", env: map[string]string{"TELEGRAM_TOKEN": "not-a-token"}, wantErr: "TELEGRAM_TOKEN is malformed"},
		{name: "public key", env: map[string]string{"DISCORD_PUBLIC_KEY": "abc"}, wantErr: "DISCORD_PUBLIC_KEY must be 64 hex digits"},
		{name: "guild id", env: map[string]string{"DISCORD_GUILD_ID": "my-guild"}, wantErr: `DISCORD_GUILD_ID="my-guild" is not a Discord id`},
		{name: "api base", env: map[string]string{"DISCORD_API_BASE": "127.0.0.1:9999"}, wantErr: "DISCORD_API_BASE"},
		{name: "shard count", env: map[string]string{"DISCORD_SHARD_COUNT": "0"}, wantErr: "DISCORD_SHARD_COUNT=0 is out of range"},
		{name: "gateway", env: map[string]string{"DISCORD_GATEWAY": "maybe"}, wantErr: `DISCORD_GATEWAY="maybe"`},
		{name: "stray argument", args: []string{"now"}, wantErr: `unexpected argument "now"`},
		{name: "unknown flag", args: []string{"--telegram-tokn", "x"}, wantErr: "flag provided but not defined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range base {
				env[k] = v
			}
			for k, v := range tc.env {
				env[k] = v
			}
			c, err := parseConfigArgs(tc.args, envOf(env))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			got, want := tc.check(c)
			if g, w := fmt.Sprint(got), fmt.Sprint(want); g != w {
				t.Errorf("got %q, want %q", g, w)
			}
		})
	}
}

// TestConfigSecretsNotInErrors: a rejected secret is never echoed back.
func TestConfigSecretsNotInErrors(t *testing.T) {
	const canary = "CANARY-discord-secret-value"
	env := map[string]string{
		"TELEGRAM_TOKEN":          "999:" + canary + " with space",
		"TELEGRAM_WEBHOOK_URL":    "https://x.example/h",
		"TELEGRAM_WEBHOOK_SECRET": canary + " !",
		"DISCORD_PUBLIC_KEY":      canary,
		"DISCORD_TOKEN":           canary + " x",
	}
	_, err := parseConfigArgs(nil, envOf(env))
	if err == nil {
		t.Fatal("got no error, want several")
	}
	if strings.Contains(err.Error(), "CANARY") {
		t.Errorf("got %q, want no secret in it", err)
	}
}

func TestSettingsTable(t *testing.T) {
	seenEnv, seenFlag := map[string]bool{}, map[string]bool{}
	for _, s := range settings {
		if seenEnv[s.env] || seenFlag[s.flag] {
			t.Errorf("%s: duplicate variable or flag %q", s.env, s.flag)
		}
		seenEnv[s.env], seenFlag[s.flag] = true, true
		if s.help == "" {
			t.Errorf("%s: no help", s.env)
		}
		if !s.global && s.flag != strings.ToLower(strings.ReplaceAll(s.env, "_", "-")) {
			t.Errorf("%s: flag --%s, want the variable's name in lower case with dashes", s.env, s.flag)
		}
	}
	// The serve --help output lists every flag with its variable.
	code, stdout, _ := runCLI(t, "", "serve", "--help")
	if code != exitOK {
		t.Fatalf("serve --help: exit code %d", code)
	}
	for _, s := range settings {
		if !strings.Contains(stdout, "-"+s.flag+" ") && !strings.Contains(stdout, "-"+s.flag+"\n") {
			t.Errorf("serve --help: no --%s", s.flag)
		}
		if !s.global && !strings.Contains(stdout, "("+s.env+")") && !strings.Contains(stdout, "("+s.env+"; default "+s.def+")") {
			t.Errorf("serve --help: %s not named", s.env)
		}
	}
}

// FuzzConfigValues feeds arbitrary text to the setting parsers: they must report a clear
// error or a valid value, never panic.
func FuzzConfigValues(f *testing.F) {
	for _, seed := range []string{"20/1m", "2", "30/m", "0/1s", "1/0s", "-5/1m", "1e308/1ns", "NaN/1m", ":8080", "[::1]:1", "x:y:z", "1h", "true", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		r := &configReader{getenv: func(string) string { return v }}
		if lim := r.rate("FLOOD_USER_RATE"); len(r.errs) == 0 && !(lim > 0) {
			t.Errorf("rate(%q): got %v without an error, want a positive rate", v, lim)
		}
		r.errs = nil
		if d := r.duration("FLOOD_COOLDOWN", time.Second); len(r.errs) == 0 && d != 0 && d < time.Second {
			t.Errorf("duration(%q): got %v without an error", v, d)
		}
		r.integer("FLOOD_USER_BURST", 0, 100)
		r.boolean("LOG_MESSAGES")
		if err := checkAddr(v); err == nil {
			if _, err := healthURL(v); err != nil {
				t.Errorf("healthURL(%q): %v for an address checkAddr accepts", v, err)
			}
		}
	})
}

func TestConfigSharedState(t *testing.T) {
	dir := t.TempDir()
	urlFile := filepath.Join(dir, "redis_url")
	if err := os.WriteFile(urlFile, []byte("redis://:file-CANARY-pw@redis:6379/2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		wantErr string // "" for none
		check   func(t *testing.T, c *Config)
	}{
		{name: "defaults: in memory, five-minute window, no miss log", check: func(t *testing.T, c *Config) {
			if c.RedisURL != "" || c.MissLog != "" || c.RepeatWindow != 5*time.Minute {
				t.Errorf("got %q %q %v", c.RedisURL, c.MissLog, c.RepeatWindow)
			}
		}},
		{name: "redis URL with a password", env: map[string]string{"REDIS_URL": "redis://:CANARY-pw@10.0.0.5:6380/1"}, check: func(t *testing.T, c *Config) {
			if c.RedisURL != "redis://:CANARY-pw@10.0.0.5:6380/1" {
				t.Errorf("RedisURL %q", c.RedisURL)
			}
			if s := strings.Join(c.secrets(), " "); !strings.Contains(s, "CANARY-pw") {
				t.Errorf("the password is not among the secrets redacted from logs: %q", s)
			}
		}},
		{name: "redis URL from a file", env: map[string]string{"REDIS_URL_FILE": urlFile}, check: func(t *testing.T, c *Config) {
			if c.RedisURL != "redis://:file-CANARY-pw@redis:6379/2" {
				t.Errorf("RedisURL %q", c.RedisURL)
			}
		}},
		{name: "redis URL flag", args: []string{"--redis-url", "rediss://cache.example.org"}, check: func(t *testing.T, c *Config) {
			if c.RedisURL != "rediss://cache.example.org" {
				t.Errorf("RedisURL %q", c.RedisURL)
			}
		}},
		{name: "unix socket", env: map[string]string{"REDIS_URL": "unix:///run/redis.sock"}},
		{name: "wrong scheme", env: map[string]string{"REDIS_URL": "http://user:CANARY-pw@redis:6379"}, wantErr: "REDIS_URL: http://user:xxxxx@redis:6379: want a redis://"},
		{name: "no host", env: map[string]string{"REDIS_URL": "redis:///0"}, wantErr: "has no host"},
		{name: "bad port", env: map[string]string{"REDIS_URL": "redis://:CANARY-pw@redis:99999/0"}, wantErr: "port \"99999\""},
		{name: "bad database", env: map[string]string{"REDIS_URL": "redis://:CANARY-pw@redis:6379/x"}, wantErr: "database \"x\""},
		{name: "unparsable with a password", env: map[string]string{"REDIS_URL": "redis://:CANARY pw%zz@redis:6379"}, wantErr: "details withheld"},
		{name: "both forms", env: map[string]string{"REDIS_URL": "redis://redis", "REDIS_URL_FILE": urlFile}, wantErr: "REDIS_URL and REDIS_URL_FILE are both set"},
		{name: "redis timeout", env: map[string]string{"REDIS_TIMEOUT": "120ms"}, check: func(t *testing.T, c *Config) {
			if c.RedisTimeout != 120*time.Millisecond {
				t.Errorf("RedisTimeout %v, want 120ms", c.RedisTimeout)
			}
		}},
		{name: "redis timeout default", check: func(t *testing.T, c *Config) {
			if c.RedisTimeout != 50*time.Millisecond {
				t.Errorf("RedisTimeout %v, want 50ms", c.RedisTimeout)
			}
		}},
		{name: "redis timeout zero", env: map[string]string{"REDIS_TIMEOUT": "0"}, wantErr: `REDIS_TIMEOUT="0" must be at least 1ms`},
		{name: "redis timeout too long", env: map[string]string{"REDIS_TIMEOUT": "1m"}, wantErr: `REDIS_TIMEOUT="1m": want a duration from 1ms to 10s`},
		{name: "redis timeout not a duration", env: map[string]string{"REDIS_TIMEOUT": "fast"}, wantErr: `REDIS_TIMEOUT="fast" is not a duration`},
		{name: "repeat window off", env: map[string]string{"GROUP_REPEAT_WINDOW": "0"}, check: func(t *testing.T, c *Config) {
			if c.RepeatWindow != 0 || repeatWindow(c) >= 0 {
				t.Errorf("RepeatWindow %v, adapters get %v; want off", c.RepeatWindow, repeatWindow(c))
			}
		}},
		{name: "repeat window too short", env: map[string]string{"GROUP_REPEAT_WINDOW": "10ms"}, wantErr: "GROUP_REPEAT_WINDOW=10ms is too short"},
		{name: "follow-up window default", env: map[string]string{}, check: func(t *testing.T, c *Config) {
			if c.FollowUpWindow != 15*time.Minute {
				t.Errorf("FollowUpWindow %v, want 15m", c.FollowUpWindow)
			}
		}},
		{name: "follow-up window off", env: map[string]string{"FOLLOW_UP_WINDOW": "0"}, check: func(t *testing.T, c *Config) {
			if c.FollowUpWindow != 0 {
				t.Errorf("FollowUpWindow %v, want 0", c.FollowUpWindow)
			}
		}},
		{name: "follow-up window too short", env: map[string]string{"FOLLOW_UP_WINDOW": "10ms"}, wantErr: "FOLLOW_UP_WINDOW=10ms is too short"},
		{name: "edit window", env: map[string]string{"TELEGRAM_EDIT_WINDOW": "2m"}, check: func(t *testing.T, c *Config) {
			if c.Telegram.EditWindow != 2*time.Minute || editWindow(c.Telegram.EditWindow) != 2*time.Minute {
				t.Errorf("EditWindow %v", c.Telegram.EditWindow)
			}
		}},
		{name: "edit window off", env: map[string]string{"TELEGRAM_EDIT_WINDOW": "0"}, check: func(t *testing.T, c *Config) {
			if editWindow(c.Telegram.EditWindow) >= 0 {
				t.Errorf("TELEGRAM_EDIT_WINDOW=0: the adapter gets %v, want edits off", editWindow(c.Telegram.EditWindow))
			}
		}},
		{name: "send retry window default", env: map[string]string{}, check: func(t *testing.T, c *Config) {
			if c.Telegram.SendRetryWindow != 5*time.Minute {
				t.Errorf("SendRetryWindow %v, want 5m", c.Telegram.SendRetryWindow)
			}
		}},
		{name: "send retry window", env: map[string]string{"TELEGRAM_SEND_RETRY_WINDOW": "90s"}, check: func(t *testing.T, c *Config) {
			if c.Telegram.SendRetryWindow != 90*time.Second {
				t.Errorf("SendRetryWindow %v, want 90s", c.Telegram.SendRetryWindow)
			}
		}},
		{name: "send retry window too short", env: map[string]string{"TELEGRAM_SEND_RETRY_WINDOW": "0"}, wantErr: `TELEGRAM_SEND_RETRY_WINDOW="0" must be at least 1s`},
		{name: "edit window too short", env: map[string]string{"TELEGRAM_EDIT_WINDOW": "10ms"}, wantErr: "TELEGRAM_EDIT_WINDOW=10ms is too short"},
		{name: "miss log", env: map[string]string{"MISS_LOG": filepath.Join(dir, "misses.jsonl")}, check: func(t *testing.T, c *Config) {
			if c.MissLog != filepath.Join(dir, "misses.jsonl") {
				t.Errorf("MissLog %q", c.MissLog)
			}
		}},
		{name: "miss log in a missing folder", env: map[string]string{"MISS_LOG": filepath.Join(dir, "nope", "m.jsonl")}, wantErr: "no such file or directory"},
		{name: "miss log is a folder", env: map[string]string{"MISS_LOG": dir}, wantErr: "is a folder"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"TELEGRAM_TOKEN": testTelegramToken}
			for k, v := range tc.env {
				env[k] = v
			}
			c, err := parseConfigArgs(tc.args, envOf(env))
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("got error %v", err)
				}
				if tc.check != nil {
					tc.check(t, c)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("got error %v, want one containing %q", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), "CANARY") {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}
