package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"transcriptbot/adapters/prometheus"
	"transcriptbot/bot"
	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

// loadTranscriptFile reads and validates the transcript at path, with its sidecar.
func loadTranscriptFile(path string) (*transcript.Transcript, error) {
	t, err := transcript.Load(path)
	if err != nil {
		return nil, unwrapPathError(err)
	}
	return t, nil
}

// sidecarOf returns the path of the sidecar file of the transcript at path (NAME.ini next to
// NAME.txt).
func sidecarOf(path string) string {
	return transcript.SidecarPath(path)
}

// fileStamp identifies a version of a file on disk cheaply: modification time and size (a
// missing file has the zero stamp).
type fileStamp struct {
	mod  time.Time
	size int64
	ok   bool
}

func stampOf(path string) fileStamp {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{mod: fi.ModTime(), size: fi.Size(), ok: true}
}

// reloader swaps a new transcript into the bot on SIGHUP or when the transcript or its
// sidecar changes on disk.
type reloader struct {
	path     string // "" for the embedded transcript: nothing to reload
	lang     string
	interval time.Duration
	core     *bot.Bot
	metrics  *prometheus.Metrics
	log      *slog.Logger
	// onSwap, when set, is called after a new transcript was swapped in.
	onSwap func(t *transcript.Transcript)
	// onHUP, when set, is called on SIGHUP before the reload (to reopen log files).
	onHUP func()

	mu     sync.Mutex
	stamps []fileStamp // of path and its sidecar, as last loaded (or tried)
}

func newReloader(cfg *Config, core *bot.Bot, m *prometheus.Metrics, log *slog.Logger) *reloader {
	r := &reloader{path: cfg.TranscriptFile, lang: cfg.Lang, interval: cfg.ReloadInterval, core: core, metrics: m, log: log}
	r.stamps = r.current()
	return r
}

// files returns the files the transcript is made of.
func (r *reloader) files() []string {
	return []string{r.path, sidecarOf(r.path)}
}

func (r *reloader) current() []fileStamp {
	if r.path == "" {
		return nil
	}
	var s []fileStamp
	for _, f := range r.files() {
		s = append(s, stampOf(f))
	}
	return s
}

// notifyHUP starts relaying SIGHUP to the returned channel (from then on, SIGHUP no longer
// ends the process) and returns a function undoing that.
func notifyHUP() (<-chan os.Signal, func()) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	return hup, func() { signal.Stop(hup) }
}

// watch reloads on a value from hup (SIGHUP) or trigger, and (every interval, when > 0) when
// the files changed, until ctx is done.
func (r *reloader) watch(ctx context.Context, hup <-chan os.Signal, trigger <-chan struct{}) {
	var tick <-chan time.Time
	if r.path != "" && r.interval > 0 {
		t := time.NewTicker(r.interval)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			if r.onHUP != nil {
				r.onHUP()
			}
			r.reload("SIGHUP")
		case <-trigger:
			r.reload("request")
		case <-tick:
			r.poll()
		}
	}
}

// poll reloads when a file's stamp changed since the last load or attempt.
func (r *reloader) poll() {
	now := r.current()
	r.mu.Lock()
	changed := !equalStamps(now, r.stamps)
	r.mu.Unlock()
	if changed {
		r.reload("file changed")
	}
}

func equalStamps(a, b []fileStamp) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ok != b[i].ok || a[i].size != b[i].size || !a[i].mod.Equal(b[i].mod) {
			return false
		}
	}
	return true
}

// reload parses and validates the transcript and swaps it in; on any error the old one keeps
// serving. It reports whether the new transcript was swapped in.
func (r *reloader) reload(reason string) bool {
	if r.path == "" {
		r.log.Info("reload: nothing to reload: serving the embedded transcript (set TRANSCRIPT_FILE)", "reason", reason)
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stamps = r.current() // a failed attempt is not retried until the files change again
	t, err := loadTranscriptFile(r.path)
	var m *matcher.Matcher
	if err == nil {
		m, err = matcher.New(t, matcher.Options{Language: r.lang})
	}
	if err != nil {
		r.metrics.Reloaded(false)
		r.log.Error("reload failed: keeping the current transcript", "reason", reason, "err", err)
		return false
	}
	r.core.Reload(m)
	r.metrics.Reloaded(true)
	r.metrics.Loaded(t.Len(), time.Now())
	r.log.Info("transcript reloaded", "reason", reason, "file", r.path, "questions", t.Len(), "version", t.Hash)
	if r.onSwap != nil {
		r.onSwap(t)
	}
	return true
}
