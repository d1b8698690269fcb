package transcript

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations end with a full stop without ending a sentence ("St. Petersburg").
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "st": true, "jr": true,
	"sr": true, "gen": true, "gov": true, "sen": true, "rep": true, "vs": true, "etc": true,
	"e.g": true, "i.e": true, "no": true, "nos": true, "inc": true, "ltd": true, "co": true,
	"corp": true, "jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true,
	"aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true, "u.s": true,
	"u.k": true, "u.n": true, "approx": true, "fig": true, "vol": true, "art": true, "para": true,
	"cf": true, "al": true, "mt": true, "ft": true, "pres": true, "amb": true, "min": true,
}

// SplitSentences splits a normalised paragraph into sentences: a sentence ends at '.', '!',
// '?' or '…' (with any closing quotes or brackets) followed by a space and a capital, digit
// or opening quote, or at the end of the paragraph. Common abbreviations and initials do not
// end a sentence. The sentences are trimmed and, joined by spaces, give back the paragraph.
func SplitSentences(p string) []string {
	var out []string
	start := 0
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRuneInString(p[i:])
		i += size
		if r != '.' && r != '!' && r != '?' && r != '…' {
			continue
		}
		end := i
		for end < len(p) {
			c, sz := utf8.DecodeRuneInString(p[end:])
			if c == '.' || c == '!' || c == '?' || c == '…' || isCloser(c) {
				end += sz
				continue
			}
			break
		}
		if end >= len(p) {
			break
		}
		if p[end] != ' ' {
			i = end
			continue
		}
		next, _ := utf8.DecodeRuneInString(p[end+1:])
		if !(unicode.IsUpper(next) || unicode.IsDigit(next) || isOpener(next) || unicode.Is(unicode.Lo, next)) {
			i = end
			continue
		}
		if r == '.' && isAbbreviation(p[start:i-1]) {
			i = end
			continue
		}
		out = append(out, strings.TrimSpace(p[start:end]))
		start = end + 1
		i = end + 1
	}
	if rest := strings.TrimSpace(p[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

func isCloser(r rune) bool {
	return r == '"' || r == '\'' || r == ')' || r == ']' || r == '»' || r == '”' || r == '’' || r == '」'
}

func isOpener(r rune) bool {
	return r == '"' || r == '\'' || r == '(' || r == '[' || r == '«' || r == '“' || r == '‘' || r == '—' || r == '-'
}

// isAbbreviation reports whether the text before a full stop ends with an abbreviation or an
// initial ("J" in "J. Smith").
func isAbbreviation(before string) bool {
	j := strings.LastIndexAny(before, " (\"'“«")
	word := before[j+1:]
	if word == "" {
		return false
	}
	if utf8.RuneCountInString(word) == 1 {
		r, _ := utf8.DecodeRuneInString(word)
		return unicode.IsUpper(r)
	}
	return abbreviations[strings.ToLower(word)]
}

// splitParagraphs returns the sentences of all paragraphs, each with its paragraph index.
func splitParagraphs(ps []string) []Sentence {
	var out []Sentence
	for i, p := range ps {
		for _, s := range SplitSentences(p) {
			out = append(out, Sentence{Text: s, Paragraph: i})
		}
	}
	return out
}
