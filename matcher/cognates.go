package matcher

import (
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Readers who mix another language into English write its words for the topic, and many
// are the English word in that language's spelling: Indonesian and Malay "konflik",
// "ekonomi", "kontribusi", "kooperasi", "organisasi"; French "coopération", "économique";
// Spanish "cooperación"; Portuguese "cooperação", "economia". cognateForms rewrites such a
// word by the regular correspondences of those spellings (k for c, -asi and -ción for
// -ation, a final -i for -y) and the matcher looks the forms up in the transcript's
// vocabulary, exactly or one typo away, when the word itself found nothing.

// cognateEndings are the endings rewritten, longest first: the form's ending, English's.
var cognateEndings = [...]struct{ from, to string }{
	{"isasi", "isation"}, {"isasi", "ization"}, {"ciones", "tions"}, {"ções", "tions"},
	{"coes", "tions"}, {"sasi", "sation"}, {"ción", "tion"}, {"cion", "tion"}, {"ção", "tion"},
	{"cao", "tion"}, {"asi", "ation"}, {"usi", "ution"}, {"isme", "ism"}, {"ismo", "ism"},
	{"itas", "ity"}, {"idad", "ity"}, {"ique", "ic"}, {"ico", "ic"}, {"ica", "ic"},
	{"ité", "ity"}, {"ite", "ity"}, {"ia", "y"}, {"ik", "ic"}, {"si", "sion"}, {"i", "y"},
}

// maxCognateForms bounds the forms tried for one word.
const maxCognateForms = 8

// minCognateTypo is the shortest word whose cognate forms are looked up one typo away.
const minCognateTypo = 6

// cognateForms returns the English spellings w may be a cognate of (w lower-cased), not w
// itself: with its accents dropped, k read as c, ks as x, and one ending rewritten.
func cognateForms(w string, out []string) []string {
	plain := stripAccents(w)
	bases := []string{plain}
	if strings.ContainsRune(plain, 'k') {
		bases = append(bases, strings.ReplaceAll(strings.ReplaceAll(plain, "ks", "x"), "k", "c"))
	}
	add := func(f string) {
		if f != w && len(out) < maxCognateForms && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	for _, b := range bases {
		for _, e := range cognateEndings {
			if stem, ok := strings.CutSuffix(b, e.from); ok && len(stem) >= 3 {
				add(stem + e.to)
			}
		}
		add(b)
	}
	return out
}

// stripAccents drops the combining marks of w's letters ("coopération" -> "cooperation").
func stripAccents(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return w
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(w) {
		if r >= 0x300 && r <= 0x36f {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// cognates adds, for a word w that found no alternative, the transcript words its cognate
// forms name: exactly (at typoWeight1), or, failing that, one typo away with the same first
// letter (at typoWeight2). It reports whether it added any.
func (m *Matcher) cognates(s *scratch, w string) bool {
	var buf [maxCognateForms]string
	forms := cognateForms(w, buf[:0])
	a0 := len(s.alts)
	for _, f := range forms {
		if t, ok := m.vocabTerm(f); ok {
			s.addAlt([]int32{t}, typoWeight1)
		}
	}
	// One typo away only for a word of minCognateTypo letters or more: shorter ones read
	// with k as c are too often other words (Hindi "karne", "kitni": "care", "city").
	if len(s.alts) > a0 || utf8.RuneCountInString(w) < minCognateTypo {
		return len(s.alts) > a0
	}
	for _, f := range forms {
		for _, c := range m.typo.lookup(f, maxTypoCandidates) {
			if c.dist == 1 && !c.firstDiffers {
				s.addAlt([]int32{c.term}, typoWeight2)
			}
		}
	}
	return len(s.alts) > a0
}
