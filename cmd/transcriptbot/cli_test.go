package main

import (
	"context"
	"strings"
	"testing"
)

// runCLI runs the program in-process with stdin and returns its exit code and output.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLIEnvInput(t, nil, stdin, args...)
}

// runCLIEnvInput is runCLI with environment variables.
func runCLIEnvInput(t *testing.T, vars map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut strings.Builder
	env := &cliEnv{
		Stdin:  strings.NewReader(stdin),
		Stdout: &out,
		Stderr: &errOut,
		Getenv: func(k string) string { return vars[k] },
	}
	code = env.main(context.Background(), args)
	return code, out.String(), errOut.String()
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		wantStdout string
		wantStderr string
	}{
		{"no arguments", nil, exitUsage, "", "Commands:"},
		{"program help", []string{"--help"}, exitOK, "Commands:", ""},
		{"program -h", []string{"-h"}, exitOK, "Global flags", ""},
		{"help command", []string{"help"}, exitOK, "Commands:", ""},
		{"help for a command", []string{"help", "ask"}, exitOK, "usage: transcriptbot ask", ""},
		{"help for unknown command", []string{"help", "nope"}, exitUsage, "", `unknown command "nope"`},
		{"unknown command", []string{"frobnicate"}, exitUsage, "", `unknown command "frobnicate"`},
		{"unknown global flag", []string{"--nope", "list"}, exitUsage, "", "flag provided but not defined: -nope"},
		{"global flag without value", []string{"--transcript"}, exitUsage, "", "flag needs an argument"},
		{"ask --help", []string{"ask", "--help"}, exitOK, "--json", ""},
		{"answer -h", []string{"answer", "-h"}, exitOK, "usage: transcriptbot answer [BRIEFING#]N", ""},
		{"list --help shows global flags", []string{"list", "--help"}, exitOK, "-transcript FILE", ""},
		{"check --help", []string{"check", "--help"}, exitOK, "--strict", ""},
		{"eval --help", []string{"eval", "--help"}, exitOK, "expected<TAB>kind<TAB>query", ""},
		{"chat --help", []string{"chat", "--help"}, exitOK, "[1], [2]", ""},
		{"ask without question", []string{"ask"}, exitUsage, "", "missing QUESTION"},
		{"ask blank question", []string{"ask", "  "}, exitUsage, "", "QUESTION is empty"},
		{"ask bad budget", []string{"ask", "--budget", "0", "x"}, exitUsage, "", "--budget must be positive"},
		{"ask unknown flag", []string{"ask", "--jsn", "x"}, exitUsage, "", "usage: transcriptbot ask"},
		{"answer without number", []string{"answer"}, exitUsage, "", "want exactly one question number"},
		{"answer two numbers", []string{"answer", "1", "2"}, exitUsage, "", "got 2 arguments"},
		{"answer not a number", []string{"answer", "three"}, exitUsage, "", `"three" is not a question number`},
		{"list with argument", []string{"list", "x"}, exitUsage, "", `unexpected argument "x"`},
		{"check two files", []string{"check", "a", "b"}, exitUsage, "", "want at most one FILE"},
		{"eval without file", []string{"eval"}, exitUsage, "", "want at least one FILE.tsv"},
		{"eval bad threshold", []string{"eval", "--threshold", "1.5", "x.tsv"}, exitUsage, "", "--threshold must be in (0, 1]"},
		{"eval negative threshold", []string{"eval", "--threshold", "-0.1", "x.tsv"}, exitUsage, "", "--threshold must be in (0, 1]"},
		{"chat with argument", []string{"chat", "hello"}, exitUsage, "", `unexpected argument "hello"`},
		{"missing transcript file", []string{"--transcript", "testdata/does-not-exist.txt", "list"}, exitError, "", "does-not-exist.txt"},
		{"missing transcript after command", []string{"answer", "1", "--transcript", "testdata/does-not-exist.txt"}, exitError, "", "does-not-exist.txt"},
		{"missing eval file", []string{"eval", "testdata/does-not-exist.tsv"}, exitError, "", "testdata/does-not-exist.tsv: no such file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d; stderr %q", code, tc.code, stderr)
			}
			if !strings.Contains(stdout, tc.wantStdout) {
				t.Errorf("stdout: got %q, want it to contain %q", stdout, tc.wantStdout)
			}
			if !strings.Contains(stderr, tc.wantStderr) {
				t.Errorf("stderr: got %q, want it to contain %q", stderr, tc.wantStderr)
			}
			if tc.wantStdout == "" && stdout != "" && tc.code != exitOK {
				t.Errorf("stdout should be empty on failure, got %q", stdout)
			}
		})
	}
}

func TestParseInterspersed(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		rest       string
		json       bool
		transcript string
	}{
		{"flags first", []string{"--json", "a", "b"}, "a|b", true, ""},
		{"flags last", []string{"a", "b", "--json"}, "a|b", true, ""},
		{"flags between", []string{"a", "--transcript", "f.txt", "b"}, "a|b", false, "f.txt"},
		{"double dash ends flags", []string{"a", "--", "--json", "-x"}, "a|--json|-x", false, ""},
		{"no args", nil, "", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := &cliEnv{Stdout: &strings.Builder{}, Stderr: &strings.Builder{}, Lang: defaultLang}
			fs := env.flagSet("ask")
			j := fs.Bool("json", false, "")
			rest, _, ok := env.parse(fs, tc.args)
			if !ok {
				t.Fatalf("parse failed: %v", env.Stderr)
			}
			if got := strings.Join(rest, "|"); got != tc.rest {
				t.Errorf("rest: got %q, want %q", got, tc.rest)
			}
			if *j != tc.json {
				t.Errorf("json: got %v, want %v", *j, tc.json)
			}
			if env.Transcript != tc.transcript {
				t.Errorf("transcript: got %q, want %q", env.Transcript, tc.transcript)
			}
		})
	}
}

func TestLocale(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, ""},
		{map[string]string{"LANG": "de_DE.UTF-8"}, "de-DE"},
		{map[string]string{"LANG": "C.UTF-8"}, ""},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_ALL": "fr_CA"}, "fr-CA"},
		{map[string]string{"LC_MESSAGES": "sr_RS@latin"}, "sr-RS"},
	}
	for _, tc := range tests {
		env := &cliEnv{Getenv: func(k string) string { return tc.env[k] }}
		if got := env.locale(); got != tc.want {
			t.Errorf("locale(%v): got %q, want %q", tc.env, got, tc.want)
		}
	}
}

func TestRunEntryPoint(t *testing.T) {
	var out, errOut strings.Builder
	code := run(context.Background(), []string{"list", "--transcript", "testdata/small.txt"},
		strings.NewReader(""), &out, &errOut)
	if code != exitOK || !strings.HasPrefix(out.String(), "Briefing of the Harbour Authority") {
		t.Errorf("run list: exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
	out.Reset()
	errOut.Reset()
	if code := run(context.Background(), nil, strings.NewReader(""), &out, &errOut); code != exitUsage || out.Len() != 0 {
		t.Errorf("run without arguments: exit %d, stdout %q, want 2 and usage on stderr", code, out.String())
	}
}
