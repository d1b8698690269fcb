package matcher

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// signOffs close a letter or a message; what follows the last one is a signature.
var signOffs = []string{"yours faithfully", "yours sincerely", "yours truly", "yours ever",
	"with kind regards", "kind regards", "best regards", "warm regards", "regards",
	"best wishes", "with thanks", "many thanks", "thanks", "thank you", "cheers", "love"}

// maxSignatureWords is the most words a signature may have ("Capt. (retd.) L. Bream").
const maxSignatureWords = 6

// DropSignature returns text without a closing signature: a sign-off ("Yours faithfully",
// "Many thanks", "Kind regards"), a comma or a new line, and a name of at most six
// capitalised words at the very end ("... through this wretched virus? Many thanks, Edna").
// A signature names the writer, not what is asked, and a name the transcript lacks counts
// against it; a story's closing words ("Hello, Norov") are no signature, as no sign-off
// comes before them. Other text is returned as it is.
func DropSignature(text string) string {
	i := strings.LastIndexAny(text, ",\n")
	if i < 0 || len(text)-i > 64 {
		return text
	}
	words := strings.Fields(text[i+1:])
	if len(words) == 0 || len(words) > maxSignatureWords {
		return text
	}
	for _, w := range words {
		if strings.HasPrefix(w, "(") {
			continue // "(retd.)"
		}
		w = strings.Trim(w, ".")
		if r, _ := utf8.DecodeRuneInString(w); w != "" && !unicode.IsUpper(r) {
			return text
		}
	}
	head := strings.TrimRight(text[:i], " \t,")
	for _, s := range signOffs {
		if len(head) < len(s) || !strings.EqualFold(head[len(head)-len(s):], s) {
			continue
		}
		rest := head[:len(head)-len(s)]
		before := strings.TrimRight(rest, " \t\r\n")
		if before == "" {
			return text // the whole message is the sign-off ("Thanks, Edna")
		}
		// The sign-off opens a clause or a line: a full stop, a question mark, a comma, a new
		// line or an emoji ends what came before it.
		newLine := strings.ContainsRune(rest[len(before):], '\n')
		if r, _ := utf8.DecodeLastRuneInString(before); newLine || strings.ContainsRune(".!?,;:)", r) || r >= 0x2000 {
			return before
		}
		return text
	}
	return text
}
