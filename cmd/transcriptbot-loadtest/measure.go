package main

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// What the load tester measures besides the checks: the mix of calls, latencies, problems,
// memory and the adapters' warnings.

// ltMix counts occurrences by name, concurrently.
type ltMix struct {
	mu sync.Mutex
	m  map[string]int
}

func (x *ltMix) add(name string) {
	x.mu.Lock()
	if x.m == nil {
		x.m = map[string]int{}
	}
	x.m[name]++
	x.mu.Unlock()
}

func (x *ltMix) fill(r *ltResult) {
	x.mu.Lock()
	r.Mix = maps.Clone(x.m)
	x.mu.Unlock()
}

// ltLatencies collects durations and summarises them.
type ltLatencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *ltLatencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

// fill writes the percentiles into r.
func (l *ltLatencies) fill(r *ltResult) {
	l.mu.Lock()
	d := slices.Clone(l.d)
	l.mu.Unlock()
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	pct := func(p float64) float64 {
		i := int(p*float64(len(d))+0.5) - 1
		i = min(max(i, 0), len(d)-1)
		return ltMs(d[i])
	}
	r.P50ms, r.P90ms, r.P99ms, r.MaxMs = pct(0.50), pct(0.90), pct(0.99), ltMs(d[len(d)-1])
}

func ltMs(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// ltProblems counts failed checks by kind and keeps the first few descriptions.
type ltProblems struct {
	mu         sync.Mutex
	lost       int
	duplicates int
	violations int
	late       int
	first      []string
}

const ltMaxProblemSamples = 20

func (p *ltProblems) note(counter *int, format string, a ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	*counter++
	if len(p.first) < ltMaxProblemSamples {
		p.first = append(p.first, fmt.Sprintf(format, a...))
	}
}

func (p *ltProblems) lostf(format string, a ...any) { p.note(&p.lost, "lost: "+format, a...) }
func (p *ltProblems) duplicatef(format string, a ...any) {
	p.note(&p.duplicates, "duplicate: "+format, a...)
}
func (p *ltProblems) violationf(format string, a ...any) {
	p.note(&p.violations, "violation: "+format, a...)
}
func (p *ltProblems) latef(format string, a ...any) { p.note(&p.late, "late: "+format, a...) }

// fill copies the counts into r.
func (p *ltProblems) fill(r *ltResult) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r.Lost, r.Duplicates, r.Violations, r.WindowMiss = p.lost, p.duplicates, p.violations, p.late
	r.Problems = append(r.Problems, p.first...)
}

// ltMemSampler records the peak heap in use and Go runtime total while a scenario runs, from
// runtime/metrics (which does not stop the world).
type ltMemSampler struct {
	stopc chan struct{}
	done  chan struct{}
	heap  atomic.Uint64
	total atomic.Uint64
}

var ltMemMetrics = []string{
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/unused:bytes",
	"/memory/classes/total:bytes",
}

func ltStartMemSampler() *ltMemSampler {
	s := &ltMemSampler{stopc: make(chan struct{}), done: make(chan struct{})}
	samples := make([]metrics.Sample, len(ltMemMetrics))
	for i, name := range ltMemMetrics {
		samples[i].Name = name
	}
	read := func() {
		metrics.Read(samples)
		var v [3]uint64
		for i := range samples {
			if samples[i].Value.Kind() == metrics.KindUint64 {
				v[i] = samples[i].Value.Uint64()
			}
		}
		if h := v[0] + v[1]; h > s.heap.Load() {
			s.heap.Store(h)
		}
		if v[2] > s.total.Load() {
			s.total.Store(v[2])
		}
	}
	read()
	go func() {
		defer close(s.done)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				read()
			case <-s.stopc:
				read()
				return
			}
		}
	}()
	return s
}

// stop ends the sampling and returns the peaks.
func (s *ltMemSampler) stop() (heap, total uint64) {
	close(s.stopc)
	<-s.done
	return s.heap.Load(), s.total.Load()
}

// ltPeakRSS returns the process's peak resident set size from /proc/self/status (VmHWM), or 0
// where it is not available.
func ltPeakRSS() uint64 { return ltProcStatus("VmHWM") }

// ltRSS returns the process's resident set size from /proc/self/status (VmRSS), or 0 where it
// is not available.
func ltRSS() uint64 { return ltProcStatus("VmRSS") }

// ltProcStatus returns a size field of /proc/self/status in bytes, or 0.
func ltProcStatus(field string) uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), field+":")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) == 2 && fields[1] == "kB" {
			if kb, err := strconv.ParseUint(fields[0], 10, 64); err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// ltCountingHandler is the adapters' logger during a load test: it counts records at Warn and
// above and keeps the first few, which the report shows as problems only when checks fail.
type ltCountingHandler struct {
	n     *atomic.Int64
	mu    *sync.Mutex
	first *[]string
	attrs []slog.Attr
}

func ltNewCountingLogger() (*slog.Logger, *ltCountingHandler) {
	h := &ltCountingHandler{n: new(atomic.Int64), mu: new(sync.Mutex), first: new([]string)}
	return slog.New(h), h
}

func (h *ltCountingHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }

func (h *ltCountingHandler) Handle(_ context.Context, r slog.Record) error {
	h.n.Add(1)
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(*h.first) < 5 {
		var b strings.Builder
		b.WriteString(r.Level.String() + " " + r.Message)
		for _, a := range h.attrs {
			b.WriteString(" " + a.String())
		}
		r.Attrs(func(a slog.Attr) bool {
			b.WriteString(" " + a.String())
			return true
		})
		*h.first = append(*h.first, b.String())
	}
	return nil
}

func (h *ltCountingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append(slices.Clip(h.attrs), attrs...)
	return &c
}

func (h *ltCountingHandler) WithGroup(string) slog.Handler { return h }

// fill records the warnings in r; the first ones are shown when a check failed, as clues.
func (h *ltCountingHandler) fill(r *ltResult) {
	r.Warnings = int(h.n.Load())
	if r.failed() {
		h.mu.Lock()
		for _, s := range *h.first {
			r.Problems = append(r.Problems, "adapter log: "+s)
		}
		h.mu.Unlock()
	}
}
