package transcript

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Acronym is an abbreviation a reader may type for a name the transcript spells out: "CAA"
// for "Civil Aviation Authority", "BPA" for "Baltavian Pilots' Association".
type Acronym struct {
	Acronym string // in capitals
	Name    string // as the transcript writes it
	// Defined is set when the transcript itself gives the acronym in brackets after the name
	// ("the Monetary Policy Committee (MPC)"); otherwise it is the initials of the name.
	Defined bool
}

// acronymMaxWords is the most words (function words included) a name may have.
const acronymMaxWords = 6

// acronymConnectors may stand inside a name without a capital ("Bank of Norland", "Ministry
// for Transport and Infrastructure"); they start no name and end none.
var acronymConnectors = map[string]bool{"of": true, "for": true, "and": true, "the": true,
	"on": true, "&": true, "de": true, "du": true, "des": true, "la": true, "le": true,
	"del": true, "der": true, "und": true, "für": true}

// Acronyms returns the acronyms of the names in the transcript's questions and answers (the
// title's are TitleAcronyms): each run of two or more capitalised words (with connectors such as "of" inside)
// gives the initials of its capitalised words ("Civil Aviation Authority": CAA) and, when it
// has connectors, the initials of all its words ("Bank of Norland": BN and BON); every part of a
// longer run that starts and ends with a capitalised word counts as a name too ("the Baltavia
// Civil Aviation Authority" gives BCAA and CAA). A name followed by an acronym in brackets
// defines it ("Air Passenger Rights Act (APR Act)", "Bank of Norland (BoN)"), whatever its
// letters. An acronym that two different names give is dropped, unless the transcript defines
// it. The result is sorted by acronym; an acronym may have several names only when they are
// the same name written differently ("Prime Minister", "Prime Minister's").
func (t *Transcript) Acronyms() []Acronym {
	type found struct {
		names   map[string]string // folded name -> first spelling
		defined string            // the folded name that the transcript defines it as
	}
	byAcr := map[string]*found{}
	folded := map[string]string{} // name -> foldName(name): names recur
	add := func(acr, name string, defined bool) {
		f := byAcr[acr]
		if f == nil {
			f = &found{names: map[string]string{}}
			byAcr[acr] = f
		}
		key, ok := folded[name]
		if !ok {
			key = foldName(name)
			folded[name] = key
		}
		if _, ok := f.names[key]; !ok {
			f.names[key] = name
		}
		if defined && f.defined == "" {
			f.defined = key
		}
	}
	scan := func(text string) { scanAcronyms(text, add) }
	for i := range t.Entries {
		e := &t.Entries[i]
		scan(e.Question)
		for _, p := range e.Paragraphs {
			scan(p)
		}
	}
	var out []Acronym
	for acr, f := range byAcr {
		switch {
		case f.defined != "":
			out = append(out, Acronym{Acronym: acr, Name: f.names[f.defined], Defined: true})
		case len(f.names) == 1:
			for _, name := range f.names {
				out = append(out, Acronym{Acronym: acr, Name: name})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Acronym < out[j].Acronym })
	return out
}

// TitleAcronyms returns the acronyms of the names in the title, found as Acronyms finds
// them: "Chief Operating Officer" gives COO, "Secretary-General" SG. They name the event and
// its speakers, what every entry shares.
func (t *Transcript) TitleAcronyms() []string {
	seen := map[string]bool{}
	var out []string
	scanAcronyms(t.Title, func(acr, _ string, _ bool) {
		if !seen[acr] {
			seen[acr] = true
			out = append(out, acr)
		}
	})
	sort.Strings(out)
	return out
}

// foldName is a name's key for telling names apart: lower-cased, a possessive dropped.
func foldName(name string) string {
	name = strings.ToLower(name)
	name = strings.ReplaceAll(name, "’", "'")
	name = strings.ReplaceAll(name, "'s ", " ")
	name = strings.TrimSuffix(name, "'s")
	return strings.ReplaceAll(name, "' ", " ")
}

// nameWord is one word of a run of capitalised words.
type nameWord struct {
	text      string
	start     int // byte offsets in the scanned text
	end       int
	connector bool
}

// scanAcronyms calls add for every acronym that the names in text give (see Acronyms).
func scanAcronyms(text string, add func(acr, name string, defined bool)) {
	var run []nameWord
	flush := func() {
		emitAcronyms(text, run, add)
		run = run[:0]
	}
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '&':
			if len(run) > 0 {
				run = append(run, nameWord{text: "&", start: i, end: i + size, connector: true})
			}
			i += size
			continue
		case r == ' ':
			i += size
			continue
		case !isWordRune(r):
			if r == '(' && len(run) > 0 {
				if acr, rest, end, ok := bracketAcronym(text, i); ok {
					defineAcronym(text, trimWords(run, rest), acr, add)
					flush()
					i = end
					continue
				}
			}
			flush()
			i += size
			continue
		}
		j := i
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if !isWordRune(r) {
				break
			}
			j += size
		}
		w := text[i:j]
		first, _ := utf8.DecodeRuneInString(w)
		lower := strings.ToLower(w)
		switch {
		case acronymConnectors[lower] && w == lower:
			if len(run) > 0 {
				run = append(run, nameWord{text: w, start: i, end: j, connector: true})
			}
		case unicode.IsUpper(first) && !allCaps(w) && !isArticle(w) && !calendarWords[lower]:
			run = append(run, nameWord{text: w, start: i, end: j})
		default:
			// Anything else ends the run; so does a capitalised article, which starts no
			// name ("The Civil Aviation Authority" names the authority).
			flush()
		}
		if len(run) > acronymMaxWords*3 {
			flush() // a heading in title case, not a name
		}
		i = j
	}
	flush()
}

// calendarWords are capitalised in English but name no organisation: a day or a month ends a
// name ("the Pilots' Association on Monday").
var calendarWords = map[string]bool{"monday": true, "tuesday": true, "wednesday": true,
	"thursday": true, "friday": true, "saturday": true, "sunday": true, "january": true,
	"february": true, "march": true, "april": true, "may": true, "june": true, "july": true,
	"august": true, "september": true, "october": true, "november": true, "december": true}

// isArticle reports whether w is a capitalised article, which starts no name ("The", "A").
func isArticle(w string) bool { return w == "The" || w == "A" || w == "An" }

// isWordRune reports whether r belongs to a word: a letter, a digit, an apostrophe or a hyphen.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' || r == '-'
}

// allCaps reports whether w has two or more letters, all capitals: an acronym already.
func allCaps(w string) bool {
	n := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n >= 2
}

// emitAcronyms adds the acronyms of every part of run that starts and ends with a
// capitalised word and has two or more of them.
func emitAcronyms(text string, run []nameWord, add func(acr, name string, defined bool)) {
	for a := range run {
		if run[a].connector {
			continue
		}
		if compound(run[a].text) {
			add(initials(run[a:a+1], false), run[a].text, false)
		}
		caps := 1
		for z := a + 1; z < len(run) && z < a+acronymMaxWords; z++ {
			if run[z].connector {
				continue
			}
			caps++
			name := text[run[a].start:run[z].end]
			part := run[a : z+1]
			add(initials(part, false), name, false)
			if caps < z-a+1 {
				add(initials(part, true), name, false)
			}
		}
	}
}

// initials returns the capitalised first letters of the words, of connectors too when all;
// a compound of capitalised parts gives each part's ("Secretary-General": SG).
func initials(ws []nameWord, all bool) string {
	var b strings.Builder
	b.Grow(len(ws) + 2)
	for _, w := range ws {
		if w.connector && (!all || w.text == "&" || w.text == "the") {
			continue
		}
		writeInitials(&b, w.text)
	}
	return b.String()
}

// writeInitials writes the initial of w, or of each part of a compound whose parts are all
// capitalised ("Secretary-General", not "Anti-terrorist").
func writeInitials(b *strings.Builder, w string) {
	first, _ := utf8.DecodeRuneInString(w)
	b.WriteRune(unicode.ToUpper(first))
	if strings.IndexByte(w, '-') < 0 {
		return
	}
	mark := b.Len()
	for rest := w; ; {
		i := strings.IndexByte(rest, '-')
		if i < 0 {
			return
		}
		rest = rest[i+1:]
		r, _ := utf8.DecodeRuneInString(rest)
		if rest == "" || !unicode.IsUpper(r) {
			// Not every part is capitalised ("Anti-terrorist"): the first initial alone.
			s := b.String()[:mark]
			b.Reset()
			b.WriteString(s)
			return
		}
		b.WriteRune(r)
	}
}

// compound reports whether w is a compound of two or more capitalised parts.
func compound(w string) bool {
	var b strings.Builder
	writeInitials(&b, w)
	return b.Len() >= 2
}

// bracketAcronym reads "(CAA)" or "(APR Act)" at text[i] (the bracket): an acronym of two to
// eight letters with at least two capitals, and the words after it (rest: "Act").
func bracketAcronym(text string, i int) (acr, rest string, end int, ok bool) {
	close := strings.IndexByte(text[i:], ')')
	if close < 0 || close > 40 {
		return "", "", 0, false
	}
	inner := strings.TrimSpace(text[i+1 : i+close])
	head, rest, _ := strings.Cut(inner, " ")
	caps, letters := 0, 0
	for _, r := range head {
		switch {
		case unicode.IsUpper(r):
			caps++
			letters++
		case unicode.IsLetter(r):
			letters++
		default:
			return "", "", 0, false
		}
	}
	if caps < 2 || letters > 8 {
		return "", "", 0, false
	}
	return head, rest, i + close + 1, true
}

// trimWords drops from the end of run the words of rest that end it too: "Air Passenger
// Rights Act (APR Act)" defines APR as "Air Passenger Rights".
func trimWords(run []nameWord, rest string) []nameWord {
	ws := strings.Fields(rest)
	for len(ws) > 0 && len(run) > 0 && strings.EqualFold(run[len(run)-1].text, ws[len(ws)-1]) {
		run, ws = run[:len(run)-1], ws[:len(ws)-1]
	}
	return run
}

// defineAcronym adds acr, given in brackets after run, as defined by the shortest end of run
// whose initials it spells, or by the whole run (at most acronymMaxWords words) when none
// does ("Bank of Norland (BoN)").
func defineAcronym(text string, run []nameWord, acr string, add func(acr, name string, defined bool)) {
	for len(run) > 0 && run[len(run)-1].connector {
		run = run[:len(run)-1]
	}
	if len(run) == 0 {
		return
	}
	upper := strings.ToUpper(acr)
	last := run[len(run)-1].end
	for a := len(run) - 1; a >= 0 && a >= len(run)-acronymMaxWords; a-- {
		if run[a].connector {
			continue
		}
		part := run[a:]
		if initials(part, false) == upper || initials(part, true) == upper {
			add(upper, text[run[a].start:last], true)
			return
		}
	}
	a := max(0, len(run)-acronymMaxWords)
	for a < len(run) && run[a].connector {
		a++
	}
	add(upper, text[run[a].start:last], true)
}
