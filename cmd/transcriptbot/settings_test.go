package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

// runEnv runs the program in-process with the given environment.
func runEnv(t *testing.T, env map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut strings.Builder
	e := &cliEnv{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: envOf(env)}
	code = e.main(context.Background(), args)
	return code, out.String(), errOut.String()
}

// TestEveryCommandReadsTheTranscriptSettings checks that TRANSCRIPT_FILE and TRANSCRIPT_LANG
// act like --transcript and --lang for every command that reads a transcript, and that the
// flags win.
func TestEveryCommandReadsTheTranscriptSettings(t *testing.T) {
	fromFile := map[string]string{"TRANSCRIPT_FILE": small}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"ask", fromFile, []string{"ask", "how much is a ticket"}, "2. How much will a ticket to the islands cost"},
		{"ask --json", fromFile, []string{"ask", "--json", "lighthouse tours"}, `"number":4`},
		{"answer", fromFile, []string{"answer", "4"}, "4. Will the old lighthouse be opened to visitors?"},
		{"list", fromFile, []string{"list"}, "Briefing of the Harbour Authority"},
		{"check", fromFile, []string{"check"}, "testdata/small.txt: ok"},
		{"chat", fromFile, []string{"chat"}, "1. When does the summer ferry timetable start?"},
		{"serve --check", fromFile, []string{"serve", "--check"}, "configuration OK: 4 questions"},
		{"flag wins over the variable", map[string]string{"TRANSCRIPT_FILE": "testdata/does-not-exist.txt"},
			[]string{"--transcript", small, "list"}, "Briefing of the Harbour Authority"},
		{"language from the variable", map[string]string{"TRANSCRIPT_FILE": small, "TRANSCRIPT_LANG": "Spanish"},
			[]string{"ask", "ticket"}, "--lang spanish answer 2"},
		{"--lang wins over the variable", map[string]string{"TRANSCRIPT_LANG": "klingon"},
			[]string{"--lang", "english", "answer", "1"}, "1. A new type of coronavirus"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runEnv(t, tc.env, "1\n", tc.args...)
			if code != exitOK || !strings.Contains(stdout, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want 0 and %q", code, stdout, stderr, tc.want)
			}
		})
	}
}

func TestTranscriptSettingErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string
	}{
		{"unknown language named by its variable", map[string]string{"TRANSCRIPT_LANG": "klingon"}, []string{"list"},
			exitUsage, `transcriptbot list: unknown TRANSCRIPT_LANG "klingon"`},
		{"unknown language from the flag", nil, []string{"list", "--lang", "klingon"}, exitUsage, `unknown --lang "klingon"`},
		{"missing file from the variable", map[string]string{"TRANSCRIPT_FILE": "testdata/does-not-exist.txt"}, []string{"ask", "x"},
			exitError, "does-not-exist.txt"},
		{"sidecar error as FILE:LINE", map[string]string{"TRANSCRIPT_FILE": "testdata/badsidecar.txt"}, []string{"list"},
			exitError, "testdata/badsidecar.ini:4: "},
		{"transcript error as FILE:LINE", nil, []string{"--transcript", "testdata/bad-sequence.txt", "answer", "1"},
			exitError, "testdata/bad-sequence.txt:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runEnv(t, tc.env, "", tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tc.code, tc.want)
			}
			if strings.Contains(stderr, ": line ") {
				t.Errorf("stderr %q: want FILE:LINE, not FILE: line N", stderr)
			}
		})
	}
}

func TestHelpNamesTheVariables(t *testing.T) {
	for _, cmd := range []string{"serve", "ask", "list", "chat", "review"} {
		code, stdout, _ := runCLI(t, "", cmd, "--help")
		if code != exitOK || !strings.Contains(stdout, "TRANSCRIPT_FILE") || !strings.Contains(stdout, "TRANSCRIPT_LANG") || !strings.Contains(stdout, "TRANSCRIPT_DIR") {
			t.Errorf("%s --help does not name TRANSCRIPT_FILE, TRANSCRIPT_DIR and TRANSCRIPT_LANG:\n%s", cmd, stdout)
		}
	}
	code, stdout, _ := runCLI(t, "", "check", "--help")
	if code != exitOK || !strings.Contains(stdout, "usage: transcriptbot check [--strict] [--similarity S] [FILE | DIR]") {
		t.Errorf("check --help does not show --similarity in its usage:\n%s", stdout)
	}
}

func TestVersion(t *testing.T) {
	// Test binaries carry build information too: the module path's version is "(devel)"
	// or a pseudo-version, followed by the Go version.
	re := regexp.MustCompile(`^transcriptbot \S+ .*go1\.\d+`)
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, stdout, stderr := runCLI(t, "", args...)
		if code != exitOK || !re.MatchString(stdout) || stderr != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want the version", args, code, stdout, stderr)
		}
	}
	if code, _, stderr := runCLI(t, "", "version", "x"); code != exitUsage || !strings.Contains(stderr, "usage: transcriptbot version") {
		t.Errorf("version x: exit %d, stderr %q; want a usage error", code, stderr)
	}
	if code, stdout, _ := runCLI(t, "", "--help"); code != exitOK || !strings.Contains(stdout, "--version") {
		t.Errorf("--help does not mention --version:\n%s", stdout)
	}
}

func TestServeCheckWithoutPlatform(t *testing.T) {
	code, stdout, stderr := runCLI(t, "", "serve", "--check")
	if code != exitOK || !strings.Contains(stdout, "configuration OK: 10 questions; platforms: none yet") ||
		!strings.Contains(stdout, "TELEGRAM_TOKEN") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 0 and a note that serve needs a platform", code, stdout, stderr)
	}
	// Other errors still fail the check.
	code, _, stderr = runEnv(t, map[string]string{"LOG_FORMAT": "xml"}, "", "serve", "--check")
	if code != exitUsage || !strings.Contains(stderr, `LOG_FORMAT="xml"`) || strings.Contains(stderr, "no platform") {
		t.Errorf("exit %d, stderr %q; want 2 and the LOG_FORMAT error only", code, stderr)
	}
	// serve itself still refuses to start without one.
	if code, _, stderr := runCLI(t, "", "serve"); code != exitUsage || !strings.Contains(stderr, "no platform configured") {
		t.Errorf("serve: exit %d, stderr %q; want 2 and no platform configured", code, stderr)
	}
}

func TestCheckPlurals(t *testing.T) {
	tests := []struct {
		n               int
		one, many, want string
	}{
		{0, "group", "groups", "0 groups"},
		{1, "group", "groups", "1 group"},
		{2, "alternate phrasing", "alternate phrasings", "2 alternate phrasings"},
		{1, "alternate phrasing", "alternate phrasings", "1 alternate phrasing"},
	}
	for _, tc := range tests {
		if got := plural(tc.n, tc.one, tc.many); got != tc.want {
			t.Errorf("plural(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}
