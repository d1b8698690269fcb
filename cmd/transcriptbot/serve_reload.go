package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
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

// errStillChanging means a transcript file changed while it was read, on every try: it is
// still being written.
var errStillChanging = errors.New("the file kept changing while it was read (still being written?); keeping the current transcript and trying again at the next check. Write a new file and rename it over the old one to replace it at once")

// Defaults of the complete-file check on reload.
const (
	reloadQuiet = 250 * time.Millisecond // between the two reads of one try
	reloadTries = 4
)

// fileVersion is one read of a file: its stamp before and after, and its content.
type fileVersion struct {
	before, after fileStamp
	data          []byte // nil for a missing file
	sum           [sha256.Size]byte
}

// readVersion reads the file at path (at most transcript.MaxSize bytes: a larger file is an
// error, never a prefix of it). A missing file has a nil data and the zero stamps.
func readVersion(path string) (fileVersion, error) {
	v := fileVersion{before: stampOf(path)}
	if v.before.ok && v.before.size > transcript.MaxSize {
		return v, errInFile(path, &transcript.ParseError{Err: fmt.Errorf("%w: %d bytes, more than %d", transcript.ErrTooLarge, v.before.size, transcript.MaxSize)})
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		v.after = stampOf(path)
		return v, nil
	}
	if err != nil {
		return v, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, transcript.MaxSize+1))
	if err != nil {
		return v, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > transcript.MaxSize {
		return v, errInFile(path, &transcript.ParseError{Err: fmt.Errorf("%w: more than %d bytes", transcript.ErrTooLarge, transcript.MaxSize)})
	}
	v.data = data
	v.sum = sha256.Sum256(data)
	v.after = stampOf(path)
	return v, nil
}

// same reports whether two reads saw one unchanged file: equal stamps before and after both
// reads, and equal content.
func (v fileVersion) same(w fileVersion) bool {
	s := []fileStamp{v.before, v.after, w.before, w.after}
	for i := 1; i < len(s); i++ {
		if !equalStamps(s[:1], s[i:i+1]) {
			return false
		}
	}
	return v.sum == w.sum && (v.data == nil) == (w.data == nil) && (v.data == nil || int64(len(v.data)) == v.after.size)
}

// readComplete reads the files twice, quiet apart, and returns their content once two reads
// agree (size, modification time and content hash before and after each read): a file
// rewritten in place while it is read is never returned half-written. It tries up to tries
// times, then fails with errStillChanging.
func readComplete(paths []string, quiet time.Duration, tries int, sleep func(time.Duration)) ([]fileVersion, error) {
	read := func() ([]fileVersion, error) {
		var vs []fileVersion
		for _, p := range paths {
			v, err := readVersion(p)
			if err != nil {
				return nil, err
			}
			vs = append(vs, v)
		}
		return vs, nil
	}
	prev, err := read()
	if err != nil {
		return nil, err
	}
	for try := 1; try <= tries; try++ {
		sleep(quiet)
		cur, err := read()
		if err != nil {
			return nil, err
		}
		stable := true
		for i := range cur {
			stable = stable && cur[i].same(prev[i])
		}
		if stable {
			return cur, nil
		}
		prev = cur
	}
	return nil, errStillChanging
}

// parseVersions parses a transcript and its sidecar as read by readComplete; errors name
// the file as transcript.Load's do ("FILE:LINE: reason").
func parseVersions(path string, tv, sv fileVersion) (*transcript.Transcript, error) {
	if tv.data == nil {
		return nil, fmt.Errorf("%s: %w", path, fs.ErrNotExist)
	}
	t, err := transcript.Parse(bytes.NewReader(tv.data))
	if err != nil {
		return nil, errInFile(path, err)
	}
	if sv.data == nil {
		return t, nil
	}
	sp := sidecarOf(path)
	sc, err := transcript.ParseSidecar(bytes.NewReader(sv.data))
	if err != nil {
		return nil, errInFile(sp, err)
	}
	if t, err = t.WithSidecar(sc); err != nil {
		return nil, errInFile(sp, err)
	}
	return t, nil
}

// errInFile names the file of a parse error: "FILE:LINE: reason", or "FILE: reason".
func errInFile(path string, err error) error {
	var pe *transcript.ParseError
	if errors.As(err, &pe) && pe.Line > 0 {
		return fmt.Errorf("%s:%d: %w", path, pe.Line, pe.Err)
	}
	return fmt.Errorf("%s: %w", path, err)
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
	path string // "" for the embedded transcript: nothing to reload
	lang string
	// threshold is ANSWER_THRESHOLD (0: the matcher's default).
	threshold float64
	interval  time.Duration
	core      *bot.Bot
	metrics   *prometheus.Metrics
	log       *slog.Logger
	// onSwap, when set, is called after a new transcript was swapped in.
	onSwap func(t *transcript.Transcript)
	// onHUP, when set, is called on SIGHUP before the reload (to reopen log files).
	onHUP func()

	// quiet, tries and sleep drive the complete-file check (readComplete).
	quiet time.Duration
	tries int
	sleep func(time.Duration)

	mu      sync.Mutex
	stamps  []fileStamp // of path and its sidecar, as last loaded (or tried)
	serving string      // hash of the transcript being served
}

func newReloader(cfg *Config, core *bot.Bot, m *prometheus.Metrics, log *slog.Logger) *reloader {
	r := &reloader{path: cfg.TranscriptFile, lang: cfg.Lang, threshold: cfg.Threshold, interval: cfg.ReloadInterval, core: core, metrics: m, log: log,
		quiet: reloadQuiet, tries: reloadTries, sleep: time.Sleep}
	r.stamps = r.current()
	if cfg.Transcript != nil {
		r.serving = cfg.Transcript.Hash
	}
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
	interval := r.interval
	if r.path == "" {
		interval = 0
	}
	watchLoop(ctx, hup, trigger, interval, r.onHUP, func(reason string) { r.reload(reason) }, r.poll)
}

// watchLoop is the loop of the transcript's and the archive's watchers: on a value from hup
// it calls onHUP (when set) and then load("SIGHUP"), on one from trigger load("request"), and
// every interval (when > 0) tick, until ctx is done.
func watchLoop(ctx context.Context, hup <-chan os.Signal, trigger <-chan struct{}, interval time.Duration,
	onHUP func(), load func(reason string), tick func()) {
	var ticks <-chan time.Time
	if interval > 0 {
		t := time.NewTicker(interval)
		defer t.Stop()
		ticks = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			if onHUP != nil {
				onHUP()
			}
			load("SIGHUP")
		case <-trigger:
			load("request")
		case <-ticks:
			tick()
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

// reload reads the transcript and its sidecar once they are complete (readComplete), parses
// and validates them and swaps them in; on any error the old one keeps serving. The same
// content (hash) as the one served is not swapped in again, so nothing changes, buttons
// included. It reports whether a new transcript was swapped in.
func (r *reloader) reload(reason string) bool {
	if r.path == "" {
		r.log.Info("reload: nothing to reload: serving the embedded transcript (set TRANSCRIPT_FILE)", "reason", reason)
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var t *transcript.Transcript
	vs, err := readComplete(r.files(), r.quiet, r.tries, r.sleep)
	if err == nil {
		// What was read is what is tried: a failed attempt is not retried until the files
		// change again.
		r.stamps = []fileStamp{vs[0].after, vs[1].after}
		t, err = parseVersions(r.path, vs[0], vs[1])
	} else if errors.Is(err, errStillChanging) {
		r.stamps = nil // still being written: look again at the next check
	} else {
		r.stamps = r.current()
	}
	// Each outcome is logged before it is counted, so that whoever sees the count (a
	// dashboard, a test) finds the log line already written.
	if err == nil && t.Hash == r.serving {
		r.log.Info("transcript unchanged: nothing to swap", "reason", reason, "file", r.path, "version", t.Hash)
		r.metrics.Reloaded(true)
		return false
	}
	var m *matcher.Matcher
	if err == nil {
		m, err = matcher.New(t, matcher.Options{Language: r.lang, Threshold: r.threshold})
	}
	if err != nil {
		r.log.Error("reload failed: keeping the current transcript", "reason", reason, "err", unwrapPathError(err))
		r.metrics.Reloaded(false)
		return false
	}
	r.serving = t.Hash
	r.core.Reload(m)
	r.log.Info("transcript reloaded", "reason", reason, "file", r.path, "questions", t.Len(), "version", t.Hash)
	r.metrics.Reloaded(true)
	r.metrics.Loaded(t.Len(), time.Now())
	if r.onSwap != nil {
		r.onSwap(t)
	}
	return true
}
