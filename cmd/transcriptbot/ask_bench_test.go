package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// askBenchInput is the ask --json benchmark's input: the query (last tab-separated field)
// of every line of the matcher's evaluation sets, in file order, one a line.
func askBenchInput(b *testing.B) (string, int) {
	b.Helper()
	files, err := filepath.Glob("../../matcher/testdata/*.tsv")
	if err != nil || len(files) == 0 {
		b.Fatalf("no evaluation sets: %v", err)
	}
	var in strings.Builder
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, "#") {
				continue
			}
			if i := strings.LastIndexByte(l, '\t'); i >= 0 {
				in.WriteString(l[i+1:])
				in.WriteByte('\n')
				n++
			}
		}
	}
	return in.String(), n
}

// BenchmarkAskJSON is the ask --json loop on the default transcript: every evaluation query
// read from a buffer, answered, and written as JSON, per iteration; ns/query is the cost of
// one line (the matcher built once, outside the timing).
func BenchmarkAskJSON(b *testing.B) {
	in, n := askBenchInput(b)
	a := defaultMatcher(b)
	var out bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		if err := askJSONBatch(context.Background(), strings.NewReader(in), &out, a, 500); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/query")
	b.ReportMetric(float64(out.Len())/float64(n), "bytes/query")
}
