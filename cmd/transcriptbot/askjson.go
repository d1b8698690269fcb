package main

import (
	"errors"
	"math"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"transcriptbot/matcher/archive"
	"transcriptbot/transcript"
)

// appendJSON appends r as encoding/json would marshal it (HTML left unescaped) followed by a
// newline: the same field names, order and values, byte for byte. ask --json writes one such
// line per query; a hand-written encoder costs a fraction of the reflection-driven one, which
// was a tenth of the loop's time. The strings that recur from one answer to the next (the
// question, the briefing's id, title and date) are written through memo, which may be nil.
func (r *askResult) appendJSON(b []byte, memo *quoteMemo) ([]byte, error) {
	var err error
	b = append(b, `{"query":`...)
	b = appendJSONString(b, r.Query)
	b = append(b, `,"number":`...)
	b = strconv.AppendInt(b, int64(r.Number), 10)
	b = append(b, `,"confidence":`...)
	if b, err = appendJSONFloat(b, r.Confidence); err != nil {
		return b, err
	}
	b = append(b, `,"ambiguous":`...)
	b = strconv.AppendBool(b, r.Ambiguous)
	b = append(b, `,"question":`...)
	b = memo.question(b, r)
	b = append(b, `,"excerpt":`...)
	b = memo.excerpt(b, r.Excerpt)
	b = append(b, `,"terms":`...)
	if r.Terms == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, t := range r.Terms {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, t)
		}
		b = append(b, ']')
	}
	b = append(b, `,"alternatives":`...)
	if r.Alternatives == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, n := range r.Alternatives {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(n), 10)
		}
		b = append(b, ']')
	}
	b = append(b, `,"alternative_confidences":`...)
	if r.AlternativeConfidences == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, c := range r.AlternativeConfidences {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendJSONFloat(b, c); err != nil {
				return b, err
			}
		}
		b = append(b, ']')
	}
	b = memo.briefing(b, r)
	b = append(b, `,"unread":`...)
	b = strconv.AppendInt(b, int64(r.Unread), 10)
	b = append(b, `,"read":`...)
	b = strconv.AppendInt(b, int64(r.Read), 10)
	if len(r.Others) > 0 { // omitempty
		b = append(b, `,"others":[`...)
		for i, o := range r.Others {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"transcript":`...)
			b = appendJSONString(b, o.Transcript)
			b = append(b, `,"number":`...)
			b = strconv.AppendInt(b, int64(o.Number), 10)
			b = append(b, `,"confidence":`...)
			if b, err = appendJSONFloat(b, o.Confidence); err != nil {
				return b, err
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, "}\n"...), nil
}

// quoteMemo holds the JSON of the fields that recur from one answer of a batch to the next,
// keyed by where they come from: each question quoted (by its entry) and each briefing's
// "transcript", "title" and "date" (by the briefing). A lookup hashes a pointer, where
// quoting a question is a pass over its bytes. It keeps at most quoteMemoMax of each, so
// that a batch over a large archive stays bounded.
type quoteMemo struct {
	questions map[*transcript.Entry]string
	briefings map[*archive.Briefing]string
	// excerpts holds excerpts quoted, keyed by the address and length of their bytes: an
	// excerpt is a slice of its answer's text, so the same passage shown again is the same
	// string. The key's pointer keeps those bytes alive, so an address is never reused for
	// other bytes while it is a key. (An excerpt cut short with an ellipsis is a new string
	// each time; it takes a place and is never found again.)
	excerpts map[textKey]string
}

// textKey names a string by its bytes' address and length.
type textKey struct {
	p *byte
	n int
}

// quoteMemoMax is the most questions, briefings and excerpts a quoteMemo keeps, each.
const quoteMemoMax = 4096

func newQuoteMemo() *quoteMemo {
	return &quoteMemo{questions: map[*transcript.Entry]string{}, briefings: map[*archive.Briefing]string{}, excerpts: map[textKey]string{}}
}

// question appends r.Question quoted; a nil memo only quotes.
func (q *quoteMemo) question(b []byte, r *askResult) []byte {
	if q == nil || r.entry == nil {
		return appendJSONString(b, r.Question)
	}
	if quoted, ok := q.questions[r.entry]; ok {
		return append(b, quoted...)
	}
	n := len(b)
	b = appendJSONString(b, r.Question)
	if len(q.questions) < quoteMemoMax {
		q.questions[r.entry] = string(b[n:])
	}
	return b
}

// excerpt appends text, an excerpt, quoted; a nil memo only quotes.
func (q *quoteMemo) excerpt(b []byte, text string) []byte {
	if q == nil || text == "" {
		return appendJSONString(b, text)
	}
	k := textKey{unsafe.StringData(text), len(text)}
	if quoted, ok := q.excerpts[k]; ok {
		return append(b, quoted...)
	}
	n := len(b)
	b = appendJSONString(b, text)
	if len(q.excerpts) < quoteMemoMax {
		q.excerpts[k] = string(b[n:])
	}
	return b
}

// briefing appends r's "transcript", "title" and "date" fields, each after a comma.
func (q *quoteMemo) briefing(b []byte, r *askResult) []byte {
	if q != nil && r.briefing != nil {
		if fields, ok := q.briefings[r.briefing]; ok {
			return append(b, fields...)
		}
	}
	n := len(b)
	b = append(b, `,"transcript":`...)
	b = appendJSONString(b, r.Transcript)
	b = append(b, `,"title":`...)
	b = appendJSONString(b, r.Title)
	b = append(b, `,"date":`...)
	b = appendJSONString(b, r.Date)
	if q != nil && r.briefing != nil && len(q.briefings) < quoteMemoMax {
		q.briefings[r.briefing] = string(b[n:])
	}
	return b
}

// errJSONFloat is returned for a NaN or infinite number, which JSON cannot hold.
var errJSONFloat = errors.New("json: unsupported value: NaN or infinite number")

// appendJSONFloat formats f as encoding/json does for a float64: the shortest decimal that
// reads back as f, in exponent form below 1e-6 and from 1e21 on ("1e-07" written "1e-7").
func appendJSONFloat(b []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return b, errJSONFloat
	}
	// A confidence, rounded to 4 decimals in [0, 1], is n/10000 for an integer n: its
	// shortest decimal is n's digits after "0." (no shorter decimal is the same float, the
	// nearest others being 0.0001 away), written without strconv's general search.
	if n := math.Round(f * 1e4); f >= 0 && f <= 1 && n/1e4 == f {
		return appendTenThousandths(b, int(n)), nil
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

// appendTenThousandths appends n/10000, for n in [0, 10000], as its shortest decimal: "0",
// "1", "0.5", "0.9829".
func appendTenThousandths(b []byte, n int) []byte {
	if n%10000 == 0 {
		return append(b, byte('0'+n/10000))
	}
	digits := [4]byte{byte('0' + n/1000%10), byte('0' + n/100%10), byte('0' + n/10%10), byte('0' + n%10)}
	k := 4
	for digits[k-1] == '0' {
		k--
	}
	b = append(b, '0', '.')
	return append(b, digits[:k]...)
}

// appendJSONString appends s quoted as encoding/json does with HTML escaping off: '"', '\\'
// and control characters escaped (\n, \r, \t, \b, \f by name, the rest as \u00XX), invalid
// UTF-8 replaced by \ufffd, and U+2028 and U+2029 escaped for JavaScript. One pass: runs of
// plain ASCII are skipped eight bytes at a time and copied whole; a multi-byte rune is
// decoded, which also checks it.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			// One bounds check, and the loads combine into one.
			w := s[i : i+8]
			x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
				uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
			if !jsonMaybeSpecial(x) {
				i += 8
				continue
			}
		}
		if c := s[i]; c < utf8.RuneSelf {
			i++
			if c >= 0x20 && c != '"' && c != '\\' {
				continue
			}
			b = append(b, s[start:i-1]...)
			b = appendJSONEscape(b, c)
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', "89"[r-'\u2028'])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// jsonMaybeSpecial reports whether one of the eight bytes of x may need more than copying:
// a control character, '"', '\\' or a byte of a multi-byte rune. A byte is never reported
// plain when it is not (the tests below are exact for "none of the bytes"); a plain byte
// may be reported, which only sends its word through the byte-by-byte path.
func jsonMaybeSpecial(x uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	hasZero := func(v uint64) uint64 { return (v - lo) &^ v & hi }
	control := (x - 0x20*lo) &^ x & hi // some byte < 0x20
	return (control | hasZero(x^('"'*lo)) | hasZero(x^('\\'*lo)) | x&hi) != 0
}

// appendJSONEscape appends the escape of an ASCII byte that needs one.
func appendJSONEscape(b []byte, c byte) []byte {
	const hex = "0123456789abcdef"
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
}
