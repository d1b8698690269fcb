package main

import (
	"errors"
	"fmt"
	"strings"

	"transcriptbot/bot"
	"transcriptbot/matcher"
	"transcriptbot/matcher/archive"
	"transcriptbot/transcript"
)

// loadTranscript returns the transcript named by --transcript, or the embedded default.
func (env *cliEnv) loadTranscript() (*transcript.Transcript, error) {
	if env.Transcripts != "" {
		return nil, fmt.Errorf("this command reads one transcript: use --transcript FILE, not --transcripts %s", env.Transcripts)
	}
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
	return matcher.New(t, matcher.Options{Language: env.Lang, Threshold: env.Threshold})
}

// newBot loads the transcript, builds the matcher and returns a bot over them. With
// --transcripts it returns a bot over the archive (NewArchive) and a nil matcher.
func (env *cliEnv) newBot() (*bot.Bot, *matcher.Matcher, error) {
	if env.Transcripts != "" {
		a, err := env.loadArchive()
		if err != nil {
			return nil, nil, err
		}
		return bot.NewArchive(a, bot.Options{}), nil, nil
	}
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

// singleID is the briefing id of a transcript that is not in a directory: its file name
// without extension, or "default" for the embedded one.
func (env *cliEnv) singleID() string {
	if env.Transcript == "" {
		return "default"
	}
	return transcript.BriefingID(env.Transcript)
}

// loadArchive builds the archive of --transcripts DIR, or, without it, the archive of one
// transcript (--transcript or the embedded default). Files of DIR that do not load are
// reported on stderr, each as "FILE:LINE: reason", and left out; it fails only when none
// loads.
func (env *cliEnv) loadArchive() (*archive.Archive, error) {
	a := archive.New(archive.Options{Language: env.Lang, Threshold: env.Threshold})
	if env.Transcripts == "" {
		t, err := env.loadTranscript()
		if err != nil {
			return nil, err
		}
		if err := a.Put(transcript.NewBriefing(env.singleID(), env.Transcript, t)); err != nil {
			return nil, err
		}
		return a, nil
	}
	bs, broken, err := transcript.LoadDir(env.Transcripts)
	if err != nil {
		return nil, err
	}
	broken = append(broken, a.Load(bs)...)
	for _, e := range broken {
		fmt.Fprintf(env.Stderr, "transcriptbot: skipped %v\n", e)
	}
	if a.Snapshot().Len() == 0 {
		return nil, errors.New(env.Transcripts + ": no transcript loaded")
	}
	return a, nil
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
