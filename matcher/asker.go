package matcher

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// An operator's transcript often names who asked each question and for which outlet:
// "Sarah Whitlock, Merrow Vale Gazette: How many operations have been cancelled?". Those
// names are not what the question asks about, and an outlet named after the town or the
// organisation ("Merrow Vale Gazette") would draw every query that names them ("did Merrow
// Vale pay the attackers?") to that journalist's questions. The question field is indexed
// without them (the reply still shows the question as written).

// maxAskerWords is the most words the attribution before the colon may have.
const maxAskerWords = 10

// askerConnectors may stand in an attribution without a capital ("Jenny Cole of the
// Courier", "for Radio Merrow", "Le Monde").
var askerConnectors = map[string]bool{"of": true, "the": true, "for": true, "and": true,
	"&": true, "de": true, "du": true, "la": true, "le": true, "from": true, "at": true}

// WithoutAsker returns question q without a leading attribution: up to a colon, a name and
// an outlet of capitalised words (connectors allowed), with a comma or "from" between them
// ("Tom Harrington, Radio Merrow:", "Priya Raman (Halvergate Sport):"), followed by the
// question itself. Anything else, a question with a colon inside it ("Two questions: when
// ..."), is returned as it is.
func WithoutAsker(q string) string {
	colon := strings.IndexByte(q, ':')
	if colon <= 0 || colon+1 >= len(q) {
		return q
	}
	head, rest := q[:colon], strings.TrimSpace(q[colon+1:])
	if rest == "" || strings.ContainsAny(head, "?!.;") {
		return q
	}
	words := strings.FieldsFunc(head, func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == '(' || r == ')' || r == '/'
	})
	if len(words) < 2 || len(words) > maxAskerWords || !strings.ContainsAny(head, ",(") && !strings.Contains(head, " from ") {
		return q
	}
	for _, w := range words {
		if askerConnectors[w] {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return q
		}
	}
	return rest
}
