package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"transcriptbot/adapters/prometheus"
	"transcriptbot/matcher/archive"
	"transcriptbot/transcript"
)

// archiveWatcher keeps a served archive in step with its directory (TRANSCRIPT_DIR): every
// RELOAD_INTERVAL, on SIGHUP and on request it looks at each transcript file and its sidecar,
// and re-indexes only those that changed (archive.Put) or were removed (archive.Remove),
// while the others keep answering. A file is read with the same complete-file check as one
// TRANSCRIPT_FILE (readComplete): one still being written is left for the next look. A
// broken file is logged as FILE:LINE and its earlier version, if any, keeps serving.
type archiveWatcher struct {
	dir      string
	a        *archive.Archive
	interval time.Duration
	metrics  *prometheus.Metrics
	log      *slog.Logger
	// onChange, when set, is called after the archive changed.
	onChange func(snap *archive.Snapshot)
	// onHUP, when set, is called on SIGHUP before the look (to reopen log files).
	onHUP func()

	quiet time.Duration
	tries int
	sleep func(time.Duration)

	mu     sync.Mutex
	stamps map[string][]fileStamp // transcript path -> stamps of it and its sidecar, as last read
	ids    map[string]string      // transcript path -> the id it serves under
}

func newArchiveWatcher(cfg *Config, a *archive.Archive, m *prometheus.Metrics, log *slog.Logger) *archiveWatcher {
	w := &archiveWatcher{dir: cfg.TranscriptDir, a: a, interval: cfg.ReloadInterval, metrics: m, log: log,
		quiet: reloadQuiet, tries: reloadTries, sleep: time.Sleep,
		stamps: map[string][]fileStamp{}, ids: map[string]string{}}
	// What start-up loaded (or failed to) counts as read: only later changes are looked at.
	paths, _ := w.paths()
	for _, p := range paths {
		w.stamps[p] = w.current(p)
		if b, ok := a.Snapshot().Get(transcript.BriefingID(p)); ok && b.Path == p {
			w.ids[p] = b.ID
		}
	}
	return w
}

// paths lists the transcript files of the directory, sorted; ok is false (and the error
// logged) when the directory cannot be read.
func (w *archiveWatcher) paths() (out []string, ok bool) {
	ents, err := os.ReadDir(w.dir)
	if err != nil {
		w.log.Error("archive: cannot read the transcript directory; keeping what is served", "dir", w.dir, "err", err)
		return nil, false
	}
	for _, e := range ents {
		if !e.IsDir() && transcript.IsTranscriptFile(e.Name()) {
			out = append(out, filepath.Join(w.dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out, true
}

func (w *archiveWatcher) current(path string) []fileStamp {
	return []fileStamp{stampOf(path), stampOf(sidecarOf(path))}
}

// watch looks at the directory on a value from hup (SIGHUP) or trigger, and every interval
// (when > 0), until ctx is done.
func (w *archiveWatcher) watch(ctx context.Context, hup <-chan os.Signal, trigger <-chan struct{}) {
	scan := func(reason string) { w.scan(reason) }
	watchLoop(ctx, hup, trigger, w.interval, w.onHUP, scan, func() { scan("file changed") })
}

// scan re-indexes the briefings whose files changed since they were last read, and drops
// those whose files are gone. It returns the number of briefings added, replaced or removed.
func (w *archiveWatcher) scan(reason string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	changed := 0
	present := map[string]bool{}
	seenID := map[string]string{}
	paths, ok := w.paths()
	if !ok {
		return 0 // unreadable directory: logged, nothing removed
	}
	if len(paths) == 0 {
		// Every file gone at once is more likely an unmounted volume than an office
		// withdrawing all its briefings: keep answering from what is served.
		w.log.Error("archive: no transcript file left in the directory; keeping the briefings served", "dir", w.dir,
			"briefings", w.a.Snapshot().Len())
		return 0
	}
	for _, p := range paths {
		present[p] = true
		id := transcript.BriefingID(p)
		if other, dup := seenID[id]; dup {
			if !equalStamps(w.current(p), w.stamps[p]) {
				w.log.Error("archive: file skipped", "file", p, "err", transcript.ErrDuplicateID, "as", other)
				w.stamps[p] = w.current(p)
			}
			continue
		}
		seenID[id] = p
		if equalStamps(w.current(p), w.stamps[p]) {
			continue
		}
		if w.reindex(p, id, reason) {
			changed++
		}
	}
	for p, id := range w.ids {
		if present[p] {
			continue
		}
		delete(w.ids, p)
		delete(w.stamps, p)
		if b, ok := w.a.Snapshot().Get(id); ok && b.Path == p && w.a.Remove(id) {
			changed++
			w.log.Info("archive: briefing removed", "id", id, "file", p, "briefings", w.a.Snapshot().Len())
		}
	}
	for p := range w.stamps {
		if !present[p] {
			delete(w.stamps, p)
		}
	}
	if changed > 0 && w.onChange != nil {
		w.onChange(w.a.Snapshot())
	}
	return changed
}

// reindex reads the transcript at path once it is complete and puts it in the archive. It
// reports whether the archive changed.
func (w *archiveWatcher) reindex(path, id, reason string) bool {
	vs, err := readComplete([]string{path, sidecarOf(path)}, w.quiet, w.tries, w.sleep)
	var t *transcript.Transcript
	switch {
	case err == nil:
		w.stamps[path] = []fileStamp{vs[0].after, vs[1].after}
		t, err = parseVersions(path, vs[0], vs[1])
	case errors.Is(err, errStillChanging):
		delete(w.stamps, path) // still being written: look again next time
	default:
		w.stamps[path] = w.current(path)
	}
	if err == nil {
		if old, ok := w.a.Snapshot().Get(id); ok && old.Version() == t.Hash {
			w.ids[path] = id
			return false
		}
		start := time.Now()
		if err = w.a.Put(transcript.NewBriefing(id, path, t)); err == nil {
			w.ids[path] = id
			// Logged before it is counted, as the single transcript's reloads are.
			w.log.Info("archive: briefing indexed", "reason", reason, "id", id, "file", path, "questions", t.Len(),
				"version", t.Hash, "took", time.Since(start).Round(time.Microsecond).String(), "briefings", w.a.Snapshot().Len())
			w.metrics.Reloaded(true)
			return true
		}
	}
	msg := "archive: file not loaded; its earlier version, if any, keeps serving"
	if errors.Is(err, errStillChanging) {
		msg = "archive: file still being written; trying again at the next look"
	}
	w.log.Error(msg, "reason", reason, "file", path, "err", unwrapPathError(err))
	w.metrics.Reloaded(false)
	return false
}
