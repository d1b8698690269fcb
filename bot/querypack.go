package bot

import (
	"bytes"
	"compress/flate"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode"

	"transcriptbot/transcript"
)

// A "none of these" button must bring the user's query back to Options.OnMiss, statelessly,
// inside a 64-byte id. Raw, that leaves room for 39 bytes of query, which most questions
// exceed. The query is therefore DEFLATE-compressed against a preset dictionary made from the
// transcript's own vocabulary: people ask in the transcript's words, so a 60–90 character
// question usually packs into 20–35 bytes. The id carries the transcript version, and the
// dictionary is computed from that version alone, so packing and unpacking always agree; a
// button from another version is expired before it is unpacked.

// maxDict bounds the dictionary, in bytes: a larger one barely packs better and costs more
// to prime for every query.
const maxDict = 4096

// packedBudget is the room for the packed query in an id: 64 bytes less "<version>:n:".
func packedBudget(version string) int {
	return (MaxActionID - len(version) - len(":n:")) * 3 / 4 // base64 without padding
}

// queryPacker compresses and expands queries against one transcript's dictionary. It is
// safe for concurrent use.
type queryPacker struct {
	dict    []byte
	writers sync.Pool // *flate.Writer primed with dict
}

// newQueryPacker builds the dictionary for t: its distinct words, the most frequent last
// (DEFLATE reaches nearer text more cheaply), up to maxDict bytes.
func newQueryPacker(t *transcript.Transcript) *queryPacker {
	freq := map[string]int{}
	var order []string
	add := func(text string) {
		for _, w := range strings.Fields(text) {
			w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
			if w == "" {
				continue
			}
			if freq[w] == 0 {
				order = append(order, w)
			}
			freq[w]++
		}
	}
	for i := range t.Entries {
		e := &t.Entries[i]
		add(e.Question)
		for _, a := range e.Alternates {
			add(a)
		}
		for _, p := range e.Paragraphs {
			add(p)
		}
	}
	// Most frequent first (ties in order of appearance), cut to size, then reversed.
	slices.SortStableFunc(order, func(a, b string) int { return freq[b] - freq[a] })
	var kept []string
	size := 0
	for _, w := range order {
		if size+len(w)+1 > maxDict {
			break
		}
		kept = append(kept, w)
		size += len(w) + 1
	}
	slices.Reverse(kept)
	return &queryPacker{dict: []byte(strings.Join(kept, " ") + " ")}
}

// pack compresses q; ok is false when the result exceeds budget bytes.
func (p *queryPacker) pack(q string, budget int) ([]byte, bool) {
	var buf bytes.Buffer
	w, _ := p.writers.Get().(*flate.Writer)
	if w == nil {
		var err error
		if w, err = flate.NewWriterDict(&buf, flate.BestCompression, p.dict); err != nil {
			return nil, false
		}
	} else {
		w.Reset(&buf)
	}
	_, err := io.WriteString(w, q)
	if err == nil {
		err = w.Close()
	}
	p.writers.Put(w)
	if err != nil || buf.Len() > budget {
		return nil, false
	}
	return buf.Bytes(), true
}

// unpack expands data written by pack; ok is false for anything else, or for more than max
// bytes of output.
func (p *queryPacker) unpack(data []byte, max int) (string, bool) {
	r := flate.NewReaderDict(bytes.NewReader(data), p.dict)
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, int64(max)+1))
	if err != nil || len(out) == 0 || len(out) > max {
		return "", false
	}
	return string(out), true
}
