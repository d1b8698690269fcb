package main

import (
	"path/filepath"
	"strings"
	"testing"

	"transcriptbot/matcher"
)

// runCLIEnv is runCLI with environment variables and no input.
func runCLIEnv(t *testing.T, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLIEnvInput(t, vars, "", args...)
}

// TestAnswerThreshold: --answer-threshold and ANSWER_THRESHOLD set the confidence from which
// every command answers; the flag wins; a value outside (0, 1] is a usage error naming it.
func TestAnswerThreshold(t *testing.T) {
	const q = "what is the meaning of life" // declined at the fitted threshold
	answered := func(out string) bool { return !strings.Contains(out, "does not cover") }
	if _, out, _ := runCLIEnv(t, nil, "ask", q); answered(out) {
		t.Fatalf("the default threshold answers %q:\n%s", q, out)
	}
	if code, out, stderr := runCLIEnv(t, nil, "ask", "--answer-threshold", "0.001", q); code != exitOK || !answered(out) {
		t.Errorf("--answer-threshold 0.001: exit %d, want an answer; got\n%s%s", code, out, stderr)
	}
	if _, out, _ := runCLIEnv(t, map[string]string{"ANSWER_THRESHOLD": "0.001"}, "ask", q); !answered(out) {
		t.Errorf("ANSWER_THRESHOLD=0.001: want an answer; got\n%s", out)
	}
	if _, out, _ := runCLIEnv(t, map[string]string{"ANSWER_THRESHOLD": "0.01"}, "ask", "--answer-threshold", "0.99", q); answered(out) {
		t.Errorf("the flag must win over ANSWER_THRESHOLD; got\n%s", out)
	}
	if _, out, _ := runCLIEnv(t, map[string]string{"ANSWER_THRESHOLD": "0.42"}, "--transcript", small, "eval", "--misses=false", "testdata/small.tsv"); !strings.Contains(out, "matcher threshold 0.42") {
		t.Errorf("eval under ANSWER_THRESHOLD=0.42: got\n%s", out)
	}
	for _, bad := range []string{"0", "1.5", "-0.2", "high"} {
		code, _, stderr := runCLIEnv(t, nil, "ask", "--answer-threshold", bad, q)
		if code != exitUsage || !strings.Contains(stderr, "--answer-threshold") || !strings.Contains(stderr, "(0, 1]") {
			t.Errorf("--answer-threshold %s: exit %d, stderr %q; want a usage error naming the flag and the range", bad, code, stderr)
		}
	}
	code, _, stderr := runCLIEnv(t, map[string]string{"ANSWER_THRESHOLD": "2"}, "answer", "1")
	if code != exitUsage || !strings.Contains(stderr, "ANSWER_THRESHOLD") {
		t.Errorf("ANSWER_THRESHOLD=2: exit %d, stderr %q; want a usage error naming the variable", code, stderr)
	}
}

// TestServeAnswerThreshold: serve reads ANSWER_THRESHOLD into its matcher, and reports a bad
// one with its other settings.
func TestServeAnswerThreshold(t *testing.T) {
	env := map[string]string{"TELEGRAM_TOKEN": "123:abc", "ANSWER_THRESHOLD": "0.42"}
	c, err := parseConfigArgs(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.Threshold != 0.42 || c.Matcher.Threshold() != 0.42 {
		t.Errorf("got threshold %v, matcher %v; want 0.42", c.Threshold, c.Matcher.Threshold())
	}
	env["ANSWER_THRESHOLD"] = "none"
	if _, err := parseConfigArgs(nil, func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "ANSWER_THRESHOLD") {
		t.Errorf("ANSWER_THRESHOLD=none: got %v, want an error naming it", err)
	}
	delete(env, "ANSWER_THRESHOLD")
	c, err = parseConfigArgs(nil, func(k string) string { return env[k] })
	// The embedded transcript's own fitted threshold; another transcript's is the general one.
	if err != nil || c.Matcher.Threshold() != matcher.EmbeddedThreshold {
		t.Errorf("no ANSWER_THRESHOLD: got %v, err %v; want the embedded transcript's %v", c.Matcher.Threshold(), err, matcher.EmbeddedThreshold)
	}
	env["TRANSCRIPT_FILE"] = filepath.Join("testdata", "small.txt")
	c, err = parseConfigArgs(nil, func(k string) string { return env[k] })
	if err != nil || c.Matcher.Threshold() != matcher.DefaultThreshold {
		t.Errorf("another transcript, no ANSWER_THRESHOLD: got %v, err %v; want the default %v", c.Matcher.Threshold(), err, matcher.DefaultThreshold)
	}
}
