package lexicon

import "testing"

// FuzzDecode feeds arbitrary tables (gzipped, as embedded) to the three decoders: each either
// decodes or reports an error, never panics, and a decoded table answers lookups.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(tinyThesaurus))
	f.Add([]byte("0the 100\n3y 200\n"))
	f.Add([]byte("colour color\n"))
	f.Add([]byte(thesaurusMagic + "\n1\n0a\n1\nb\t0\n\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		z := gz(string(data))
		if th := decodeThesaurus(z); th.err == nil {
			for _, w := range th.vocab {
				th.lookup(w)
			}
			th.lookup("docs")
		}
		if wt := decodeWords(z); wt.err == nil {
			for i := range len(wt.starts) - 1 {
				if wt.find(wt.word(i)) == "" {
					t.Fatalf("word %q of a decoded table not found", wt.word(i))
				}
			}
		}
		decodeVariants(z)
	})
}
