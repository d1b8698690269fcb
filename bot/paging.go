package bot

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"transcriptbot/matcher"
)

// Default and minimum sizes, in UTF-16 code units.
const (
	// DefaultBody is the page size used when Limits.Body is zero or negative.
	DefaultBody = 4096
	// DefaultTitle is the title size used when Limits.Title is zero or negative.
	DefaultTitle = 256
	// MinBody is the smallest page size honoured; smaller positive limits are raised to it so
	// that a page always has room for its label and some text.
	MinBody = 40
	// MinTitle is the smallest title size honoured.
	MinTitle = 8
	// DefaultLabel is the button label size used when Limits.Label is zero or negative: what
	// Telegram clients show of a button in full.
	DefaultLabel = 64
	// MinLabel is the smallest label size honoured: room for "123. " and a few words.
	MinLabel = 24
)

// normalize returns l with defaults and minimums applied.
func (l Limits) normalize() Limits {
	if l.Body <= 0 {
		l.Body = DefaultBody
	} else if l.Body < MinBody {
		l.Body = MinBody
	}
	if l.Title <= 0 {
		l.Title = DefaultTitle
	} else if l.Title < MinTitle {
		l.Title = MinTitle
	}
	if l.Label <= 0 {
		l.Label = DefaultLabel
	} else if l.Label < MinLabel {
		l.Label = MinLabel
	}
	return l
}

// LabelReserve returns the room, in UTF-16 code units, kept free on every page of a reply
// with the given number of pages for the adapter's page label: a blank line and "(p/n)".
// A single page needs none.
func LabelReserve(pages int) int {
	if pages <= 1 {
		return 0
	}
	d := len(strconv.Itoa(pages))
	return len("\n\n(/)") + 2*d
}

// fitPrefix returns the largest end such that text[start:end] is at most limit UTF-16 code
// units and end is on a rune boundary.
func fitPrefix(text string, start, limit int) int {
	units := 0
	i := start
	for i < len(text) {
		if text[i] < utf8.RuneSelf {
			if units+1 > limit {
				break
			}
			units++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		w := utf16.RuneLen(r)
		if w <= 0 {
			w = 1
		}
		if units+w > limit {
			break
		}
		units += w
		i += size
	}
	return i
}

// paginate splits text into pages that fit body units each, reserving room for the page
// label when there is more than one page. It returns the page boundaries: byte offsets
// b[0]=0 < b[1] < ... < b[n]=len(text), each on a rune boundary; page i is text[b[i]:b[i+1]]
// and the pages concatenate to text.
func paginate(text string, body int) []int {
	if UTF16Len(text) <= body {
		return []int{0, len(text)}
	}
	pages := 2
	for {
		limit := body - LabelReserve(pages)
		if limit < 2 {
			limit = 2 // a surrogate pair must fit; MinBody keeps us far from here
		}
		b := split(text, limit)
		if n := len(b) - 1; LabelReserve(n) > LabelReserve(pages) {
			pages = n
			continue
		}
		return b
	}
}

// split cuts text into pieces of at most limit UTF-16 code units, preferring paragraph, then
// sentence, then line, then word boundaries, and never splitting a rune.
func split(text string, limit int) []int {
	bounds := []int{0}
	start := 0
	for start < len(text) {
		end := fitPrefix(text, start, limit)
		if end == len(text) {
			bounds = append(bounds, end)
			break
		}
		if end == start { // cannot happen with limit >= 2; guard against a loop anyway
			_, size := utf8.DecodeRuneInString(text[start:])
			end = start + size
		}
		cut := chooseCut(text, start, end)
		bounds = append(bounds, cut)
		start = cut
	}
	return bounds
}

// chooseCut picks where a page starting at start and able to hold text[start:end] ends.
// Paragraph and sentence boundaries are only taken in the second half of the window, so pages
// are not needlessly short; the cut lands after the whitespace at the boundary.
func chooseCut(text string, start, end int) int {
	lo := start + (end-start)/2
	after := func(i int) int { // skip the whitespace run at i, staying within the window
		for i < end && isASCIISpace(text[i]) {
			i++
		}
		return i
	}
	// Paragraph: a blank line.
	if i := strings.LastIndex(text[lo:end], "\n\n"); i >= 0 && lo+i > start {
		return after(lo + i)
	}
	// Sentence: whitespace after . ! ? … possibly followed by closing quotes or brackets.
	for i := end - 1; i > lo; i-- {
		if isASCIISpace(text[i]) && endsSentence(text[start:i]) {
			return after(i)
		}
	}
	// Line break.
	if i := strings.LastIndexByte(text[lo:end], '\n'); i >= 0 && lo+i > start {
		return after(lo + i)
	}
	// Word: any whitespace in the window.
	for i := end - 1; i > start; i-- {
		if isASCIISpace(text[i]) {
			return after(i)
		}
	}
	return end
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r'
}

// endsSentence reports whether s ends with sentence-final punctuation, allowing closing
// quotes and brackets after it.
func endsSentence(s string) bool {
	for s != "" {
		r, size := utf8.DecodeLastRuneInString(s)
		switch r {
		case '.', '!', '?', '…':
			return true
		case '"', '\'', ')', ']', '”', '’', '»':
			s = s[:len(s)-size]
			continue
		}
		return false
	}
	return false
}

// trimRange narrows text[a:b] to exclude leading and trailing whitespace.
func trimRange(text string, a, b int) (int, int) {
	for a < b {
		r, size := utf8.DecodeRuneInString(text[a:b])
		if !unicode.IsSpace(r) {
			break
		}
		a += size
	}
	for b > a {
		r, size := utf8.DecodeLastRuneInString(text[a:b])
		if !unicode.IsSpace(r) {
			break
		}
		b -= size
	}
	return a, b
}

// marked is text with highlighted byte ranges (sorted, non-overlapping, in bounds).
type marked struct {
	text string
	hl   []matcher.Highlight
}

// newMarked returns text with the valid highlights among hl: in bounds, on rune
// boundaries, sorted and non-overlapping. Anything else from the matcher is dropped rather
// than trusted.
func newMarked(text string, hl []matcher.Highlight) marked {
	m := marked{text: text}
	last := 0
	for _, h := range hl {
		if h.Start < last || h.End <= h.Start || h.End > len(text) {
			continue
		}
		if !utf8.RuneStart(text[h.Start]) || (h.End < len(text) && !utf8.RuneStart(text[h.End])) {
			continue
		}
		m.hl = append(m.hl, h)
		last = h.End
	}
	return m
}

// spans returns the spans of m.text[a:b], trimmed of surrounding whitespace.
func (m marked) spans(a, b int) []Span {
	a, b = trimRange(m.text, a, b)
	if a >= b {
		return nil
	}
	var out []Span
	pos := a
	for _, h := range m.hl {
		if h.End <= pos || h.Start >= b {
			continue
		}
		s, e := max(h.Start, pos), min(h.End, b)
		if s > pos {
			out = append(out, Span{Text: m.text[pos:s]})
		}
		out = append(out, Span{Text: m.text[s:e], Highlight: true})
		pos = e
	}
	if pos < b {
		out = append(out, Span{Text: m.text[pos:b]})
	}
	return out
}

// cutWords returns s cut to at most limit UTF-16 code units, at a word boundary when there
// is one in the second half, ending with "…" when anything was cut.
func cutWords(s string, limit int) string {
	s = strings.TrimSpace(s)
	if UTF16Len(s) <= limit {
		return s
	}
	if limit < 1 {
		return ""
	}
	end := fitPrefix(s, 0, limit-1) // room for "…"
	cut := end
	if end < len(s) && !isASCIISpace(s[end]) {
		if i := strings.LastIndexAny(s[:end], " \n\t"); i > 0 && i >= end/2 {
			cut = i
		}
	}
	head := strings.TrimRightFunc(s[:cut], func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:-–—(", r)
	})
	return head + "…"
}
