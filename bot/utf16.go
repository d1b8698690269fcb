package bot

import (
	"unicode/utf16"
	"unicode/utf8"
)

// The UTF-16 measures, written once for the bot's paging and both chat adapters' limits.

// UTF16Len returns the length of s in UTF-16 code units, the measure of Telegram's and
// Discord's limits (invalid bytes count one each, as they are rendered as U+FFFD).
func UTF16Len(s string) int {
	if !utf8.ValidString(s) {
		return utf16LenSlow(s)
	}
	// Valid UTF-8: one unit per lead byte, two for 4-byte sequences (outside the BMP).
	n := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x80 || c >= 0xC0 {
			n++
			if c >= 0xF0 {
				n++
			}
		}
	}
	return n
}

func utf16LenSlow(s string) int {
	n := 0
	for _, r := range s {
		if w := utf16.RuneLen(r); w > 0 {
			n += w
		} else {
			n++
		}
	}
	return n
}

// PrefixUTF16 returns the longest prefix of s of at most n UTF-16 code units, never splitting
// a rune (nor a surrogate pair); an invalid byte counts as one unit.
func PrefixUTF16(s string, n int) string {
	if n <= 0 {
		return ""
	}
	used, end := 0, 0
	for end < len(s) {
		r, size := utf8.DecodeRuneInString(s[end:])
		w := utf16.RuneLen(r)
		if w < 0 {
			w = 1
		}
		if used+w > n {
			break
		}
		used += w
		end += size
	}
	return s[:end]
}
