package bot

import (
	"encoding/base64"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxActionID is the longest action id, in bytes (Telegram's callback_data limit).
const MaxActionID = 64

// Action ids are "<version>:<verb>[:<args>]", where version is the transcript hash:
//
//	<v>:f:3       full answer to question 3 (page 1)
//	<v>:p:3:2     answer 3, page 2 (pages recomputed from the request's limits)
//	<v>:l:2       list of questions, page 2
//	<v>:o:5.7.2   "other matches": questions 5, 7 and 2, stateless
//	<v>:n[:<q>]   "none of these"; q is the query packed against the transcript's vocabulary
//	              (see packQuery), base64url, when it fits in 64 bytes
//
// Every field is validated on the way back; anything else is expired or forged.
const (
	verbFull  = "f"
	verbPage  = "p"
	verbList  = "l"
	verbOther = "o"
	verbNone  = "n"
)

// maxOthers bounds the questions an "other matches" id carries.
const maxOthers = 5

// action is a decoded action id.
type action struct {
	verb   string
	n      int    // question (f, p)
	page   int    // page (p, l)
	others []int  // o
	packed []byte // n, optional: the query as packQuery wrote it
}

// encode returns the id of a under version.
func (a action) encode(version string) string {
	var b strings.Builder
	b.WriteString(version)
	b.WriteByte(':')
	b.WriteString(a.verb)
	switch a.verb {
	case verbFull:
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(a.n))
	case verbPage:
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(a.n))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(a.page))
	case verbList:
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(a.page))
	case verbOther:
		b.WriteByte(':')
		for i, n := range a.others {
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(strconv.Itoa(n))
		}
	case verbNone:
		if len(a.packed) > 0 {
			q := base64.RawURLEncoding.EncodeToString(a.packed)
			if b.Len()+1+len(q) <= MaxActionID {
				b.WriteByte(':')
				b.WriteString(q)
			}
		}
	}
	return b.String()
}

// parseAction decodes id, which must carry version. It checks the syntax only; ranges are
// checked by the handlers, which know the transcript and the limits.
func parseAction(id, version string) (action, bool) {
	if len(id) > MaxActionID || !utf8.ValidString(id) {
		return action{}, false
	}
	rest, ok := strings.CutPrefix(id, version+":")
	if !ok {
		return action{}, false
	}
	f := strings.Split(rest, ":")
	a := action{verb: f[0]}
	switch {
	case a.verb == verbFull && len(f) == 2:
		a.n, ok = parseCount(f[1])
	case a.verb == verbPage && len(f) == 3:
		a.n, ok = parseCount(f[1])
		if ok {
			a.page, ok = parseCount(f[2])
		}
	case a.verb == verbList && len(f) == 2:
		a.page, ok = parseCount(f[1])
	case a.verb == verbOther && len(f) == 2:
		parts := strings.Split(f[1], ".")
		if len(parts) > maxOthers {
			return action{}, false
		}
		for _, p := range parts {
			n, ok := parseCount(p)
			if !ok {
				return action{}, false
			}
			a.others = append(a.others, n)
		}
	case a.verb == verbNone && len(f) == 1:
	case a.verb == verbNone && len(f) == 2:
		q, err := base64.RawURLEncoding.DecodeString(f[1])
		if err != nil || len(q) == 0 {
			return action{}, false
		}
		a.packed = q
	default:
		return action{}, false
	}
	if !ok {
		return action{}, false
	}
	return a, true
}

// parseCount reads a positive decimal number of at most 6 digits, without sign or leading
// zeros, as it was written by encode.
func parseCount(s string) (int, bool) {
	if s == "" || len(s) > 6 || s[0] == '0' {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}
