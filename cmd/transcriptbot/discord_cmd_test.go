package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"transcriptbot/adapters/discord/discordtest"
)

// fakeDiscord is the fake Discord REST API of adapters/discord/discordtest, read for the
// command registrations (bulk overwrites) it received.
type fakeDiscord struct{ *discordtest.Server }

// newFakeDiscord starts a fake Discord whose first registration answers status (0: success).
func newFakeDiscord(t *testing.T, status int) *fakeDiscord {
	s := discordtest.NewServer()
	t.Cleanup(s.Close)
	if status != 0 {
		s.FailNext(http.MethodPut, "/api/v10/applications/", status)
	}
	return &fakeDiscord{s}
}

func (f *fakeDiscord) base() string { return f.Base() }

// registration is one bulk overwrite of the commands.
type registration struct {
	path, auth string
	names      []string
	max        *float64 // max_value of /answer's number option
}

func (f *fakeDiscord) registrations(t *testing.T) []registration {
	t.Helper()
	var out []registration
	for _, c := range f.Calls() {
		if c.Method != http.MethodPut || !strings.HasSuffix(c.Path, "/commands") {
			continue
		}
		var cmds []struct {
			Name    string `json:"name"`
			Options []struct {
				Name     string   `json:"name"`
				MaxValue *float64 `json:"max_value"`
			} `json:"options"`
		}
		if err := json.Unmarshal(c.Body, &cmds); err != nil {
			t.Fatalf("registration %s: %v", c.Body, err)
		}
		r := registration{path: c.Path, auth: c.Auth}
		for _, cmd := range cmds {
			r.names = append(r.names, cmd.Name)
			for _, o := range cmd.Options {
				if cmd.Name == "answer" && o.Name == "number" && o.MaxValue != nil {
					r.max = o.MaxValue
				}
			}
		}
		out = append(out, r)
	}
	return out
}

func TestDiscordRegister(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		env        map[string]string
		args       []string
		code       int
		wantPath   string
		wantStdout string
		wantStderr string
	}{
		{name: "in a guild", env: map[string]string{"DISCORD_GUILD_ID": "7001"}, code: exitOK,
			wantPath: "/api/v10/applications/9001/guilds/7001/commands", wantStdout: "commands registered in guild 7001"},
		{name: "globally, guild by flag", args: []string{"--discord-guild-id", "7002"}, code: exitOK,
			wantPath: "/api/v10/applications/9001/guilds/7002/commands", wantStdout: "in guild 7002"},
		{name: "globally", code: exitOK, wantPath: "/api/v10/applications/9001/commands", wantStdout: "registered globally"},
		{name: "token rejected", status: http.StatusUnauthorized, code: exitError,
			wantPath: "/api/v10/applications/9001/commands", wantStderr: "discord register failed"},
		{name: "no token", env: map[string]string{"DISCORD_TOKEN": ""}, code: exitUsage, wantStderr: "DISCORD_TOKEN (or DISCORD_TOKEN_FILE) is not set"},
		{name: "bad guild", env: map[string]string{"DISCORD_GUILD_ID": "general"}, code: exitUsage, wantStderr: `DISCORD_GUILD_ID="general"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeDiscord(t, tc.status)
			env := map[string]string{"DISCORD_TOKEN": testDiscordToken, "DISCORD_APP_ID": "9001", "DISCORD_API_BASE": f.base()}
			for k, v := range tc.env {
				env[k] = v
			}
			var out, errOut strings.Builder
			e := &cliEnv{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: envOf(env)}
			code := e.main(t.Context(), append([]string{"discord", "register"}, tc.args...))
			if code != tc.code {
				t.Fatalf("exit code: got %d, want %d; stderr %q", code, tc.code, errOut.String())
			}
			if !strings.Contains(out.String(), tc.wantStdout) {
				t.Errorf("stdout: got %q, want %q", out.String(), tc.wantStdout)
			}
			if !strings.Contains(errOut.String(), tc.wantStderr) {
				t.Errorf("stderr: got %q, want %q", errOut.String(), tc.wantStderr)
			}
			if strings.Contains(errOut.String(), testDiscordToken) {
				t.Errorf("stderr contains the token: %q", errOut.String())
			}
			regs := f.registrations(t)
			if tc.wantPath == "" {
				if len(regs) != 0 {
					t.Errorf("registrations: got %+v, want none", regs)
				}
				return
			}
			if len(regs) != 1 || regs[0].path != tc.wantPath {
				t.Fatalf("registrations: got %+v, want one at %q", regs, tc.wantPath)
			}
			if got, want := regs[0].auth, "Bot "+testDiscordToken; got != want {
				t.Errorf("authorization: got %q, want %q", got, want)
			}
			for _, want := range []string{"ask", "answer", "questions", "help"} {
				if !strings.Contains(strings.Join(regs[0].names, " "), want) {
					t.Errorf("commands: got %q, want %q among them", regs[0].names, want)
				}
			}
			if m := regs[0].max; m == nil || *m != 10 {
				t.Errorf("/answer number max: got %v, want 10 (the embedded transcript's questions)", m)
			}
		})
	}
}

func TestDiscordCommandUsage(t *testing.T) {
	tests := []struct {
		args       []string
		code       int
		wantStdout string
		wantStderr string
	}{
		{nil, exitUsage, "", "missing subcommand"},
		{[]string{"unregister"}, exitUsage, "", `unknown subcommand "unregister"`},
		{[]string{"--help"}, exitOK, "-discord-guild-id", ""},
		{[]string{"register", "extra"}, exitUsage, "", `unexpected argument "extra"`},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", append([]string{"discord"}, tc.args...)...)
			if code != tc.code {
				t.Errorf("exit code: got %d, want %d", code, tc.code)
			}
			if !strings.Contains(stdout, tc.wantStdout) || !strings.Contains(stderr, tc.wantStderr) {
				t.Errorf("got stdout %q stderr %q, want %q and %q", stdout, stderr, tc.wantStdout, tc.wantStderr)
			}
		})
	}
}

// TestServeDiscordHTTPOnlyRegisters: with the gateway off, serve registers the commands at
// start-up and answers HTTP interactions, connecting to no gateway.
func TestServeDiscordHTTPOnlyRegisters(t *testing.T) {
	f := newFakeDiscord(t, 0)
	s := newDiscordSigner(t)
	r := startServe(t, discordEnv(s, map[string]string{
		"DISCORD_TOKEN": testDiscordToken, "DISCORD_APP_ID": "9001", "DISCORD_GATEWAY": "false",
		"DISCORD_API_BASE": f.base(), "DISCORD_GUILD_ID": "7001",
	}), nil)
	waitFor(t, "the registration", func() bool { return len(f.registrations(t)) == 1 })
	if code, reply := r.interact(s, askInteraction("5001", "1")); code != http.StatusOK || len(reply.Data.Embeds) == 0 {
		t.Errorf("interaction: got %d %+v, want an answer", code, reply)
	}
	if code, body := r.get("/readyz"); code != http.StatusOK {
		t.Errorf("/readyz: got %d %q, want 200", code, body)
	}
}

// TestServeReloadReregistersDiscord: a reload that changes the number of questions publishes
// the commands again, so that /answer accepts the new numbers.
func TestServeReloadReregistersDiscord(t *testing.T) {
	f := newFakeDiscord(t, 0)
	s := newDiscordSigner(t)
	dir := t.TempDir()
	path := writeFile(t, dir, "harbour.txt", serveTranscript)
	r := startServe(t, discordEnv(s, map[string]string{
		"DISCORD_TOKEN": testDiscordToken, "DISCORD_APP_ID": "9001", "DISCORD_GATEWAY": "false",
		"DISCORD_API_BASE": f.base(), "TRANSCRIPT_FILE": path, "RELOAD_INTERVAL": "100ms",
	}), nil)
	maxes := func() []float64 {
		var out []float64
		for _, r := range f.registrations(t) {
			if r.max != nil {
				out = append(out, *r.max)
			}
		}
		return out
	}
	waitFor(t, "the start-up registration", func() bool { return len(maxes()) == 1 })

	// Same shape (an answer edited): nothing to publish.
	writeFile(t, dir, "harbour.txt", strings.Replace(serveTranscript, "four euros", "five euros", 1))
	waitFor(t, "the edit to be loaded", func() bool {
		return r.metric(`transcriptbot_transcript_reloads_total{result="ok"}`) == 1
	})
	writeFile(t, dir, "harbour.txt", reloadedTranscript)
	waitFor(t, "the new registration", func() bool { return len(maxes()) == 2 })
	if got := maxes(); got[0] != 2 || got[1] != 3 {
		t.Errorf("/answer maximum registered: got %v, want [2 3]", got)
	}
}
