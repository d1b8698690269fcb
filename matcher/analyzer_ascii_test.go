package matcher

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestIsWordRuneASCII: the ASCII fast path answers as the Unicode tables do.
func TestIsWordRuneASCII(t *testing.T) {
	for r := rune(0); r < 0x80; r++ {
		want := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
		if got := isWordRune(r); got != want {
			t.Errorf("isWordRune(%q) = %v, want %v", r, got, want)
		}
	}
}

// wordsByRune is words as it reads text rune by rune, with the Unicode tables: the reference
// that words' byte-wise ASCII paths must agree with (initials and thousands go through initialsEnd and thousandsEnd in both).
func wordsByRune(text string) []rawWord {
	var out []rawWord
	isWord := func(r rune) bool {
		return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
	}
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWord(r) {
			i += size
			continue
		}
		start := i
		i += size
		for i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			if isWord(r) {
				i += size
				continue
			}
			if isApostrophe(r) && i+size < len(text) {
				if nr, _ := utf8.DecodeRuneInString(text[i+size:]); unicode.IsLetter(nr) {
					i += size
					continue
				}
			}
			break
		}
		i = initialsEnd(text, start, i) // the same rules for both: not what is checked here
		i = thousandsEnd(text, start, i)
		if next := elided(text, start, i); next > 0 {
			start = next
		}
		out = append(out, rawWord{start, i})
	}
	return out
}

// FuzzWords: words splits any text as the rune-by-rune reference does.
func FuzzWords(f *testing.F) {
	for _, s := range []string{"", "don't", "U.S. and U.K.", "l’ONU ʼtis", "naïve café\u0301 Ünïcode", "a'", "'a", "x\xffy", "12,000 SCO-wide", "日本語 テキスト"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := words(s, nil), wordsByRune(s); !slices.Equal(got, want) {
			t.Fatalf("words(%q) = %v, want %v", s, got, want)
		}
	})
}

// TestWordsElision: a French or Italian elided article or preposition is left out of the
// word it opens ("l'ONU" is "ONU"); an English contraction or name with an apostrophe stays
// one word, and so does an elision before a single letter.
func TestWordsElision(t *testing.T) {
	for text, want := range map[string]string{
		"l'ONU":                          "ONU",
		"dell'antiterrorismo":            "antiterrorismo",
		"la SCO e l’ONU vanno d'accordo": "la SCO e ONU vanno accordo",
		"qu'est-ce":                      "est ce",
		"don't":                          "don't",
		"O'Brien and D'Souza":            "O'Brien and Souza",
		"y'all":                          "y'all",
		"l'a":                            "l'a",
	} {
		var got []string
		for _, w := range words(text, nil) {
			got = append(got, text[w.start:w.end])
		}
		if strings.Join(got, " ") != want {
			t.Errorf("words(%q) = %q, want %q", text, got, want)
		}
	}
}
