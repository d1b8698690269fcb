package vectors

import (
	"math"
	"strings"
	"testing"
)

func TestDefaultTable(t *testing.T) {
	tab := Default()
	if tab.Len() != 20000 || tab.Dim() != 50 {
		t.Fatalf("table of %d words x %d, want 20000 x 50", tab.Len(), tab.Dim())
	}
	seen := map[string]bool{}
	for i := range tab.Len() {
		w, rank, vec := tab.Word(i)
		if w == "" || strings.Trim(w, "abcdefghijklmnopqrstuvwxyz") != "" || seen[w] {
			t.Fatalf("word %d %q: want distinct lower-case words of letters", i, w)
		}
		seen[w] = true
		if j, ok := tab.Find(w); !ok || j != i {
			t.Fatalf("Find(%q) = %d, %v; want %d", w, j, ok, i)
		}
		if i > 0 {
			if _, prev, _ := tab.Word(i - 1); prev >= rank {
				t.Fatalf("word %d %q: rank %d after %d, want the most frequent first", i, w, rank, prev)
			}
		}
		// Unit vectors scaled by 127, each value rounded: the length is 127 within rounding.
		var n float64
		for k := 0; k < len(vec); k++ {
			x := float64(int8(vec[k]))
			n += x * x
		}
		if n = math.Sqrt(n); math.Abs(n-127) > 3 {
			t.Fatalf("word %q: length %.1f, want 127", w, n)
		}
	}
	for _, w := range []string{"", "zzzzqx", "The", "covid", "2020"} {
		if _, ok := tab.Find(w); ok {
			t.Errorf("Find(%q) found a word the table should not have", w)
		}
	}
}

func cos(t *testing.T, a, b string) float64 {
	t.Helper()
	va, _, ok1 := Default().Lookup(a)
	vb, _, ok2 := Default().Lookup(b)
	if !ok1 || !ok2 {
		t.Fatalf("%q or %q missing", a, b)
	}
	var dot float64
	for i := 0; i < len(va); i++ {
		dot += float64(int8(va[i])) * float64(int8(vb[i]))
	}
	return dot / (127 * 127)
}

// The vectors place words used alike close together: what the matcher relies on.
func TestVectorsMeanSomething(t *testing.T) {
	for _, c := range [][3]string{
		{"doctors", "physicians", "marathon"},
		{"online", "internet", "terrorism"},
		{"summit", "meeting", "virus"},
		{"pandemic", "epidemic", "trade"},
		{"border", "frontier", "vaccine"},
	} {
		if near, far := cos(t, c[0], c[1]), cos(t, c[0], c[2]); near <= far+0.2 {
			t.Errorf("cos(%s, %s) = %.2f, cos(%s, %s) = %.2f: want the first well above", c[0], c[1], near, c[0], c[2], far)
		}
	}
}

func TestWeight(t *testing.T) {
	if w := Weight(0); w > 0.002 {
		t.Errorf("Weight(0) = %v, want about 0.001", w)
	}
	if w := Weight(999); math.Abs(w-0.5) > 1e-9 {
		t.Errorf("Weight(999) = %v, want 0.5", w)
	}
	if w := Weight(99999); w < 0.99 {
		t.Errorf("Weight(99999) = %v, want nearly 1", w)
	}
}

func TestWriteOpen(t *testing.T) {
	entries := []Entry{{"the", 0, []int8{127, 0, 0}}, {"summit", 4000, []int8{0, 127, 0}}, {"meeting", 900, []int8{0, 90, 90}}}
	tab, err := Open(string(Write(entries)))
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range entries {
		j, ok := tab.Find(e.Word)
		w, rank, vec := tab.Word(j)
		if !ok || j != i || w != e.Word || rank != e.Rank || vec != string([]byte{byte(e.Vec[0]), byte(e.Vec[1]), byte(e.Vec[2])}) {
			t.Errorf("word %q: got %d %q %d %v", e.Word, j, w, rank, []byte(vec))
		}
	}
	if _, _, ok := tab.Lookup("summits"); ok {
		t.Error("found a word not written")
	}
}

func TestOpenRejectsMalformed(t *testing.T) {
	good := string(Write([]Entry{{"aa", 1, []int8{1, 2}}, {"bb", 2, []int8{3, 4}}}))
	bad := map[string]string{
		"empty":       "",
		"wrong magic": "XXXXXXXX" + good[8:],
		"truncated":   good[:len(good)-1],
		"extra byte":  good + "x",
		"header only": good[:header],
		"no words":    Magic + "\x00\x00\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00",
		"huge dims":   good[:len(Magic)+4] + "\xff\xff\x00\x00" + good[len(Magic)+8:],
	}
	// n = 2 words: the hash slots start after the offsets (3) and ranks (2).
	slots := header + 4*5
	bad["slot past the words"] = good[:slots] + "\x09\x00\x00\x00" + good[slots+4:]
	bad["offsets backwards"] = good[:header+4] + "\x09\x00\x00\x00" + good[header+8:]
	for name, data := range bad {
		if _, err := Open(data); err == nil {
			t.Errorf("%s: opened", name)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	tab := Default()
	words := []string{"summit", "pandemic", "the", "cooperation", "zzzzqx", "marathon"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		tab.Lookup(words[i%len(words)])
	}
}
