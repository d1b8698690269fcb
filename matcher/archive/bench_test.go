package archive

import (
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"transcriptbot/matcher/archive/archivetest"
	"transcriptbot/transcript"
)

// benchArchive is the generated archive of the benchmarks: ARCHIVE_BENCH_BRIEFINGS
// briefings (default 1000) of 100 answers, parsed once per process.
var benchArchive = sync.OnceValues(func() ([]archivetest.File, []*transcript.Briefing) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("ARCHIVE_BENCH_BRIEFINGS")); err == nil && v > 0 {
		n = v
	}
	files := archivetest.Generate(archivetest.Options{Briefings: n, Entries: 100, Seed: 1})
	bs := make([]*transcript.Briefing, len(files))
	for i, f := range files {
		t, err := transcript.Parse(strings.NewReader(f.Text))
		if err != nil {
			panic(err)
		}
		bs[i] = transcript.NewBriefing(f.ID(), "", t)
	}
	return files, bs
})

func loadBench(b *testing.B) (*Archive, []archivetest.File) {
	files, bs := benchArchive()
	a := New(Options{})
	if errs := a.Load(bs); len(errs) > 0 {
		b.Fatal(errs)
	}
	return a, files
}

func heapMB() float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) / (1 << 20)
}

// procStatusMB returns a size field of /proc/self/status ("VmRSS", "VmHWM") in MB, and false
// where there is none (not Linux).
func procStatusMB(field string) (float64, bool) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		rest, ok := strings.CutPrefix(line, field+":")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return 0, false
		}
		kb, err := strconv.ParseFloat(f[0], 64)
		return kb / 1024, err == nil
	}
	return 0, false
}

// BenchmarkBuild indexes the generated archive (text already parsed) and reports the heap the
// archive holds afterwards (MB-heap), and, on Linux, the process's resident set once the
// garbage is collected and returned to the system (MB-rss: the archive with its parsed
// transcripts and the generated text) and its peak over the whole run (MB-peak-rss).
func BenchmarkBuild(b *testing.B) {
	_, bs := benchArchive()
	base := heapMB()
	var a *Archive
	b.ReportAllocs()
	for b.Loop() {
		a = New(Options{})
		if errs := a.Load(bs); len(errs) > 0 {
			b.Fatal(errs)
		}
	}
	b.StopTimer()
	b.ReportMetric(heapMB()-base, "MB-heap")
	debug.FreeOSMemory()
	if rss, ok := procStatusMB("VmRSS"); ok {
		b.ReportMetric(rss, "MB-rss")
	}
	if peak, ok := procStatusMB("VmHWM"); ok {
		b.ReportMetric(peak, "MB-peak-rss")
	}
	runtime.KeepAlive(a)
}

// BenchmarkQuery is one archive Match per iteration over generated queries; it also reports
// the median and 99th percentile of the per-query times (us-median, us-p99) and the mean
// number of briefings matched per query (searched/op).
func BenchmarkQuery(b *testing.B) {
	a, files := loadBench(b)
	qs := archivetest.Queries(files, 2000, 3)
	snap := a.Snapshot()
	var times []time.Duration
	searched := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		r := snap.Match(qs[i%len(qs)].Text, 0, Scope{})
		times = append(times, time.Since(t0))
		searched += r.Searched
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Nanoseconds())/1e3, "us-median")
	b.ReportMetric(float64(times[len(times)*99/100].Nanoseconds())/1e3, "us-p99")
	b.ReportMetric(float64(searched)/float64(len(times)), "searched/op")
}

// BenchmarkReindex replaces one briefing of the archive with an edited version.
func BenchmarkReindex(b *testing.B) {
	a, files := loadBench(b)
	f := files[len(files)/2]
	var versions []*transcript.Briefing
	for k := range 2 {
		t, err := transcript.Parse(strings.NewReader(f.Text + strconv.Itoa(k) + " more words.\n"))
		if err != nil {
			b.Fatal(err)
		}
		versions = append(versions, transcript.NewBriefing(f.ID(), "", t))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := a.Put(versions[i%2]); err != nil {
			b.Fatal(err)
		}
	}
}
