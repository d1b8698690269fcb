package main

import (
	"strings"

	"transcriptbot/bot"
	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

// loadTranscript returns the transcript named by --transcript, or the embedded default.
func (env *cliEnv) loadTranscript() (*transcript.Transcript, error) {
	if env.Transcript == "" {
		return transcript.Default(), nil
	}
	return loadFile(env.Transcript)
}

// loadFile reads the transcript file at path and, when present, its sidecar.
func loadFile(path string) (*transcript.Transcript, error) {
	return transcript.Load(path)
}

// newMatcher builds a matcher over t in the --lang language.
func (env *cliEnv) newMatcher(t *transcript.Transcript) (*matcher.Matcher, error) {
	return matcher.New(t, matcher.Options{Language: env.Lang})
}

// newBot loads the transcript, builds the matcher and returns a bot over them.
func (env *cliEnv) newBot() (*bot.Bot, *matcher.Matcher, error) {
	t, err := env.loadTranscript()
	if err != nil {
		return nil, nil, err
	}
	m, err := env.newMatcher(t)
	if err != nil {
		return nil, nil, err
	}
	return bot.New(m, bot.Options{}), m, nil
}

// locale derives the user's IETF language tag from LC_ALL, LC_MESSAGES or LANG
// ("de_DE.UTF-8" becomes "de-DE"); "" for the C/POSIX locale or when unset.
func (env *cliEnv) locale() string {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := env.Getenv(name)
		if v == "" {
			continue
		}
		v, _, _ = strings.Cut(v, ".")
		v, _, _ = strings.Cut(v, "@")
		if v == "C" || v == "POSIX" {
			return ""
		}
		return strings.ReplaceAll(v, "_", "-")
	}
	return ""
}
