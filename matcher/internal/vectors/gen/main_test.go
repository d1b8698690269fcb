package main

import (
	"math"
	"strings"
	"testing"

	"transcriptbot/matcher/internal/vectors"
)

func TestReadTextKeepsListedWordsInOrder(t *testing.T) {
	in := "the 1 0 0\n, 0 1 0\nsummit 0 3 4\n2020 1 1 1\nbruhh 1 0 1\nmeeting -3 0 4\n"
	var got []vectors.Entry
	err := readText(strings.NewReader(in), func(rank int, w string, v []float64) bool {
		if e, ok := entry(rank, w, v); ok {
			got = append(got, e)
		}
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []vectors.Entry{
		{Word: "the", Rank: 0, Vec: []int8{127, 0, 0}},
		{Word: "summit", Rank: 2, Vec: []int8{0, 76, 102}},   // (0, 3, 4) / 5 * 127
		{Word: "meeting", Rank: 5, Vec: []int8{-76, 0, 102}}, // punctuation, numbers, unlisted words left out
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].Word != want[i].Word || got[i].Rank != want[i].Rank || string(toBytes(got[i].Vec)) != string(toBytes(want[i].Vec)) {
			t.Errorf("entry %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func toBytes(v []int8) []byte {
	b := make([]byte, len(v))
	for i, x := range v {
		b[i] = byte(x)
	}
	return b
}

func TestReadErrors(t *testing.T) {
	add := func(int, string, []float64) bool { return true }
	if err := readText(strings.NewReader("the 1 x\n"), add); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("bad value: %v", err)
	}
	if err := readText(strings.NewReader("lonely\n"), add); err == nil {
		t.Error("a word without values was accepted")
	}
	if err := readJSON(strings.NewReader(`{"words":["a"],"vectors":{"a":[1]},"dimensions":2}`), add); err == nil {
		t.Error("a short vector was accepted")
	}
}

// Points spread along one direction in 3-D keep that direction as their first component.
func TestProjectKeepsTheLargestVariance(t *testing.T) {
	ws := []word{
		{0, "aa", []float64{1, 0.1, 0}}, {1, "bb", []float64{-1, 0.1, 0.05}},
		{2, "cc", []float64{0.9, 0.12, 0.02}}, {3, "dd", []float64{-0.95, 0.08, 0}},
	}
	project(ws, 1)
	for _, w := range ws {
		if len(w.v) != 1 {
			t.Fatalf("%s: %d values, want 1", w.w, len(w.v))
		}
	}
	// aa and cc lie on one side of the mean, bb and dd on the other.
	if ws[0].v[0]*ws[2].v[0] <= 0 || ws[1].v[0]*ws[3].v[0] <= 0 || ws[0].v[0]*ws[1].v[0] >= 0 {
		t.Errorf("first component does not separate the two groups: %v %v %v %v", ws[0].v, ws[1].v, ws[2].v, ws[3].v)
	}
	vals, _ := jacobi([][]float64{{2, 1}, {1, 2}})
	if lo, hi := min(vals[0], vals[1]), max(vals[0], vals[1]); math.Abs(lo-1) > 1e-9 || math.Abs(hi-3) > 1e-9 {
		t.Errorf("eigenvalues of [[2 1] [1 2]]: %v, want 1 and 3", vals)
	}
}
