package lexicon

import (
	_ "embed" // the generated tables
	"fmt"
	"strings"
	"sync"
)

//go:embed variants.gz
var variantsGz []byte

type variantTable struct {
	toAmerican, toBritish map[string]string
	err                   error
}

var (
	variantsOnce sync.Once
	variants     variantTable
)

func loadVariants() *variantTable {
	variantsOnce.Do(func() { variants = decodeVariants(variantsGz) })
	return &variants
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

// Variant returns word's spelling in the other of British and American English
// ("organisation" → "organization", "colour" → "color", "center" → "centre"), or "" when
// SCOWL pairs it with none. The pairs come from SCOWL's British-only and American-only word
// lists (up to level 80), matched by the regular spelling differences (-ise/-ize, -our/-or,
// -tre/-ter, -ence/-ense, -ogue/-og, -ll-/-l-, ae/oe/e, -mme/-m). word is matched as given
// (lower case); Variant does not allocate.
func Variant(word string) string {
	t := loadVariants()
	if t.err != nil {
		return ""
	}
	if a, ok := t.toAmerican[word]; ok {
		return a
	}
	return t.toBritish[word]
}
