package lexicon

import (
	"fmt"
	"strings"
)

type variantTable struct {
	toAmerican, toBritish map[string]string
	err                   error
}

// decodeVariants parses the table gen writes (see Variants in gen/main.go): lines
// "british SPACE american", sorted by the British word.
func decodeVariants(gz []byte) variantTable {
	text, err := gunzip(gz)
	if err != nil {
		return variantTable{err: fmt.Errorf("lexicon: variants table: %w", err)}
	}
	n := strings.Count(text, "\n")
	t := variantTable{toAmerican: make(map[string]string, n), toBritish: make(map[string]string, n)}
	prev := ""
	for line := 1; text != ""; line++ {
		l, rest, ok := strings.Cut(text, "\n")
		text = rest
		b, a, ok2 := strings.Cut(l, " ")
		if !ok || !ok2 || b <= prev || a == "" || a == b || strings.Contains(a, " ") {
			return variantTable{err: fmt.Errorf("lexicon: variants table line %d: want british SPACE american, sorted", line)}
		}
		prev = b
		t.toAmerican[b] = a
		if _, dup := t.toBritish[a]; !dup { // the first British spelling of an American one
			t.toBritish[a] = b
		}
	}
	return t
}
