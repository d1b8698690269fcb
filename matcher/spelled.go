package matcher

import "strings"

// Spelled-out abbreviations.
//
// Speech recognition and some typists spell an abbreviation letter by letter: "the s c o
// summit", "does it work with the u n", "S. C. O.". joinSpelled writes such a run as one
// word ("sco", "un"), as the transcript does. A run is two or more single ASCII letters,
// each standing alone, separated by a space, a full stop or both; a run of two that holds
// "a" or "i" is left alone, since those are words of their own ("am i a member").

// joinSpelled returns query with each run of spelled-out letters joined into one word; it
// returns query itself, allocating nothing, when there is none.
func joinSpelled(query string) string {
	var b strings.Builder
	last := 0 // query[last:] is not yet copied to b
	for i := 0; i < len(query); {
		if joinsByte[query[i]] {
			// Inside a word: a single letter starts only where a word does. Skip to the
			// word's end, checking its start: one byte long and a letter?
			j := i + 1
			for j < len(query) && joinsByte[query[j]] {
				j++
			}
			if j-i != 1 || !isASCIILetter(query[i]) || i > 0 && joinsByte[query[i-1]] {
				i = j
				continue
			}
		} else {
			i++
			continue
		}
		// A run starts at i: letters at starts, each followed by a gap of spaces and dots.
		var letters [16]byte
		n := 0
		j := i
		end := i + 1 // byte after the run's last letter
		for n < len(letters) && j < len(query) && singleLetter(query, j) {
			letters[n] = query[j]
			n++
			end = j + 1
			k := j + 1
			for k < len(query) && k-end < 3 && (query[k] == ' ' || query[k] == '.') {
				k++
			}
			if k == end || k-end >= 3 {
				break
			}
			j = k
		}
		if n < 2 || n == 2 && (isAorI(letters[0]) || isAorI(letters[1])) {
			i = end
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(query))
		}
		b.WriteString(query[last:i])
		b.Write(letters[:n])
		// A full stop after the last letter belongs to the abbreviation ("S. C. O.").
		if end < len(query) && query[end] == '.' {
			end++
		}
		last, i = end, end
	}
	if last == 0 {
		return query
	}
	b.WriteString(query[last:])
	return b.String()
}

// singleLetter reports whether query[i] is an ASCII letter that stands alone: no letter,
// digit or apostrophe joined to it on either side.
func singleLetter(query string, i int) bool {
	if !isASCIILetter(query[i]) {
		return false
	}
	if i > 0 && joinsByte[query[i-1]] {
		return false
	}
	return i+1 == len(query) || !joinsByte[query[i+1]]
}

// joinsByte holds the bytes that join a letter to a word: letters, digits, ', -, _ and every
// byte of a non-ASCII rune.
var joinsByte = func() (t [256]bool) {
	for c := range 256 {
		t[c] = isASCIILetter(byte(c)) || '0' <= c && c <= '9' || c == '\'' || c == '-' || c == '_' || c >= 0x80
	}
	return t
}()

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isAorI(c byte) bool { return c == 'a' || c == 'A' || c == 'i' || c == 'I' }
