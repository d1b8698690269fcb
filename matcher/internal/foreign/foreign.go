// Package foreign holds a small bilingual word list: everyday words of the languages users
// most often mix into English, or write whole messages in, when they ask a bot about an
// English transcript (Portuguese, Spanish, French, Italian, German, Turkish and Korean since
// the twenty-seventh round; Indonesian and Malay, Polish and Tagalog since the twenty-ninth;
// Dutch since the thirty-second; Russian, in Cyrillic and in Latin letters, since the
// thirty-third; Swahili since the thirty-fourth), each with one to three English words it
// means, or marked as a filler (a function word, a greeting, laughter) that carries no topic.
// The matcher looks a query word up here when the transcript lacks it and it is no common
// English word, and searches the transcript for the English words instead.
//
// The lists (data/*.tsv, one "word<TAB>english[,english...]" a line, "-" for a filler) were
// written for this project by assistants, one language at a time, from a brief that names the domains
// (public affairs, news, health, economy, sport, culture, events, time, common verbs and the
// language's function words and chat fillers) and never from a transcript or a query set; they
// are the project's own and carry its licence. Since the thirty-fifth round each also holds a
// section of the language's most frequent words in news and chat that it lacked ("nchi",
// Swahili for country; Spanish "tengo", "quiero"), found by an assistant who wrote down a
// thousand or more of them from its own knowledge and kept those missing from the list. The
// Spanish and Portuguese lists have a second such section since the thirty-eighth round (the
// words of ranks about 1,000 to 3,000: "licencia", "remesas"), and the French list one of
// chat and SMS spellings since the thirty-seventh ("mnt", maintenant; "kand", quand).
//
// Each list ends with a short section of its words spelt as English ones ("top", Dutch for
// summit; "die", German for the; "once", Spanish for eleven), written by an assistant from a
// brief that named a few such words of Dutch, German, Spanish, Indonesian and Portuguese and
// asked for the others of each language, kept where SCOWL counts the spelling as common
// English. The matcher never reads a common English word through the lists, except in a
// message the lists read mostly as one language, and then through that language's list alone
// (LookupIn; Entry.Langs says which lists have a word).
//
// Where a function word of one language is a content word of another once folded, the filler
// reading wins (Indonesian "dia", he or she, is Portuguese "dia", day), except for three
// Tagalog fillers left out of its list because the other reading matters more to a question:
// Spanish "hoy" (today), French "mars" (March) and Turkish "oy" (vote); and Dutch "indien"
// (if), left out for German "Indien" (India).
//
// Words are looked up folded: lower-cased, without accents or other combining marks
// ("cúpula" and "cupula" are one key; Hangul is recomposed, not decomposed), with Turkish
// dotless ı as i and German ß as ss, since chat drops them as often as it types them. A word
// the lists lack may be a listed word with an ending (Portuguese and Spanish plurals, Turkish
// cases, Korean particles): Prefix finds the longest listed word it starts with. A word
// typed with a slip ("geholfn") or two words run together as German writes them
// ("Sicherheitsgesetz") are found by Slip and Compound, which the matcher tries last, for a
// word that found nothing else. A Swahili verb is found by its root behind its prefixes
// (Verb: "itafanyika", it will take place).
package foreign

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"math/bits"
	"path"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

//go:embed data/*.tsv
var data embed.FS

// Entry is what a folded word means: English words, the most usual first, or Filler.
type Entry struct {
	English []string
	// Filler: a list marks the word as carrying no topic. Folded words of several languages
	// meet ("né", a Portuguese filler and French "born"; Turkish "ne", what): the filler
	// reading wins, since a dropped word misleads nobody and the short words that meet are
	// most often function words.
	Filler bool
	// Langs has bit i set when the i-th list (Languages) has the word.
	Langs uint16
	// own holds each language's own reading when several lists have the word (LookupIn); a
	// pointer, since few words have one.
	own *[]ownEntry
}

// ownEntry is one language's reading of a word several lists have.
type ownEntry struct {
	lang  int
	entry Entry
}

// maxEnglish bounds the English words kept for one key (several languages may list it).
const maxEnglish = 4

// lists is the embedded lists' table, read on first use.
var lists = sync.OnceValue(func() table {
	t, err := parse(data)
	if err != nil {
		// The lists are embedded and tested (TestEmbeddedLists): an error here is a build
		// defect, not input.
		panic(err)
	}
	return t
})

// table maps folded words to their entries.
type table map[string]Entry

// Languages returns the lists' names ("de", "es", ...), whose index is an Entry.Langs bit and
// LookupIn's lang.
func Languages() []string { return embeddedNames() }

var embeddedNames = sync.OnceValue(func() []string { return listNames(data) })

// listNames returns the names of fsys's lists (the files' base names), in the order of
// Entry.Langs' bits: the order parse reads them in.
func listNames(fsys fs.FS) []string {
	names, _ := fs.Glob(fsys, "data/*.tsv") // the pattern is well-formed: no error
	for i, n := range names {
		names[i] = strings.TrimSuffix(path.Base(n), ".tsv")
	}
	return names
}

// MaxLists bounds the lists (Entry.Langs' bits).
const MaxLists = 16

// parse reads every data/*.tsv of fsys into a table of folded keys.
func parse(fsys fs.FS) (table, error) {
	names, err := fs.Glob(fsys, "data/*.tsv")
	if err != nil {
		return nil, err
	}
	if len(names) > MaxLists {
		return nil, fmt.Errorf("%d lists, at most %d", len(names), MaxLists)
	}
	t := make(table, 16384)
	var ru table // the Russian list's own readings, for their Latin spellings
	ruLang := -1
	for li, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ft := make(table, 8192) // this list's own readings
		sc := bufio.NewScanner(bytes.NewReader(b))
		line := 0
		for sc.Scan() {
			line++
			text := sc.Text()
			if text == "" || strings.HasPrefix(text, "#") {
				continue
			}
			word, eng, ok := strings.Cut(text, "\t")
			if !ok || word == "" || eng == "" || strings.ContainsAny(word, " \t") || strings.ContainsAny(eng, " \t") {
				return nil, fmt.Errorf("%s:%d: want \"word<TAB>english[,english...]\" or \"word<TAB>-\", got %q", name, line, text)
			}
			key := Fold(word)
			e := ft[key]
			if eng == "-" {
				e.Filler = true
				ft[key] = e
				continue
			}
			for _, w := range strings.Split(eng, ",") {
				if w == "" {
					return nil, fmt.Errorf("%s:%d: empty English word in %q", name, line, text)
				}
				w = strings.ToLower(w)
				if w == key || slices.Contains(e.English, w) || len(e.English) == maxEnglish {
					continue // a word that is its own translation ("hotel") says nothing new
				}
				e.English = append(e.English, w)
			}
			if e.Filler || len(e.English) > 0 {
				ft[key] = e
			}
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for key, own := range ft {
			t[key] = merge(t[key], own, li)
		}
		if path.Base(name) == "ru.tsv" {
			ru, ruLang = ft, li
		}
	}
	// Russian typed in Latin letters ("kak SHOS sobiraetsya sotrudnichat'"): each Cyrillic
	// word of at least minTranslit letters also in the spellings chats use (translit), where
	// no list has that spelling already. The list's own Latin section holds the commonest
	// words in the spellings these rules miss.
	// In order, so that of two words spelt alike in Latin letters the same one is kept.
	for _, key := range slices.Sorted(maps.Keys(ru)) {
		if utf8.RuneCountInString(key) < minTranslit {
			continue
		}
		own := ru[key]
		own.Langs = 1 << ruLang
		for _, lat := range translit(key) {
			if _, ok := t[lat]; !ok && lat != "" {
				t[lat] = own
			}
		}
	}
	return t, nil
}

// minTranslit is the shortest Cyrillic word given Latin spellings: shorter ones, spelt in
// Latin letters, are too often another language's words.
const minTranslit = 4

// translitSchemes spell each Cyrillic letter of a folded key (й folds to и, ё to е) in the
// ways Russian chats do without a Cyrillic keyboard: the scientific-looking one ("kh",
// "ts", "yu", "ya", "zh", "shch"), the short one ("h", "c", "ju", "ja", "j", "sch") and the
// mixed one most chats write ("h", "ts", "yu", "ya", "zh", "sch"). A soft or hard sign is
// dropped, as chats mostly drop it.
var translitSchemes = [3]map[rune]string{
	translitScheme("kh", "ts", "yu", "ya", "y", "zh", "shch"),
	translitScheme("h", "c", "ju", "ja", "i", "j", "sch"),
	translitScheme("h", "ts", "yu", "ya", "y", "zh", "sch"),
}

func translitScheme(kh, ts, yu, ya, y, zh, shch string) map[rune]string {
	return map[rune]string{'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e",
		'ж': zh, 'з': "z", 'и': "i", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o",
		'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': kh, 'ц': ts,
		'ч': "ch", 'ш': "sh", 'щ': shch, 'ъ': "", 'ы': y, 'ь': "", 'э': "e", 'ю': yu,
		'я': ya}
}

// translit returns key's Latin spellings (translitSchemes), without repeats, or nil when key
// holds a letter no scheme spells.
func translit(key string) []string {
	var out []string
	for _, scheme := range translitSchemes {
		var b strings.Builder
		for _, r := range key {
			lat, ok := scheme[r]
			if !ok {
				return nil
			}
			b.WriteString(lat)
		}
		if lat := b.String(); !slices.Contains(out, lat) {
			out = append(out, lat)
		}
	}
	return out
}

// merge adds own, list li's reading of a word, to e, the other lists' (a filler reading wins;
// the English words of each, up to maxEnglish, in the lists' order), keeping each list's own
// reading when another list has the word too.
func merge(e, own Entry, li int) Entry {
	own.Langs = 1 << li
	if e.Langs == 0 {
		return own
	}
	if e.own == nil {
		first := e
		e.own = &[]ownEntry{{lang: bits.TrailingZeros16(e.Langs), entry: first}}
	}
	*e.own = append(*e.own, ownEntry{lang: li, entry: own})
	e.Langs |= own.Langs
	e.Filler = e.Filler || own.Filler
	english := slices.Clone(e.English)
	for _, w := range own.English {
		if !slices.Contains(english, w) && len(english) < maxEnglish {
			english = append(english, w)
		}
	}
	e.English = english
	return e
}

// Fold returns the key w is looked up by: lower case, without combining marks, ı as i, ß as
// ss, Hangul syllables kept whole.
func Fold(w string) string {
	plain := true
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 0x80 || 'A' <= c && c <= 'Z' {
			plain = false
			break
		}
	}
	if plain {
		return w
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(w)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'ı':
			b.WriteByte('i')
		case r == 'ß':
			b.WriteString("ss")
		default:
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

// Lookup returns the entry of w (a lower-case word, folded here), if a list has it.
func Lookup(w string) (Entry, bool) { return lists().lookup(w) }

// LookupIn returns what w (folded here) means in the lang-th list (Languages) alone, if that
// list has it: Dutch "top" is a summit, Turkish "top" a ball.
func LookupIn(w string, lang int) (Entry, bool) { return lists().lookupIn(w, lang) }

func (t table) lookupIn(w string, lang int) (Entry, bool) {
	e, ok := t.lookup(w)
	if !ok || lang < 0 || lang >= MaxLists || e.Langs&(1<<lang) == 0 {
		return Entry{}, false
	}
	if e.own == nil {
		return e, true
	}
	for _, o := range *e.own {
		if o.lang == lang {
			return o.entry, true
		}
	}
	return Entry{}, false
}

func (t table) lookup(w string) (Entry, bool) {
	e, ok := t[Fold(w)]
	return e, ok
}

// Prefix returns the entry of the longest listed word that w (folded here) starts with and
// that leaves an ending of at most maxEnding runes, the listed word being at least minRunes
// long; a filler is never found this way (Portuguese "para" does not make "parar" a
// filler). It also returns the listed word.
func Prefix(w string, minRunes, maxEnding int) (Entry, string, bool) {
	return lists().prefix(w, minRunes, maxEnding)
}

func (t table) prefix(w string, minRunes, maxEnding int) (Entry, string, bool) {
	k := Fold(w)
	n := utf8.RuneCountInString(k)
	cut := len(k)
	for i := 0; i < maxEnding && cut > 0; i++ {
		_, size := utf8.DecodeLastRuneInString(k[:cut])
		cut -= size
		n--
		if n < minRunes {
			break
		}
		if e, ok := t[k[:cut]]; ok && !e.Filler {
			return e, k[:cut], true
		}
	}
	return Entry{}, "", false
}

// Load reads the embedded lists, if they have not been read yet (about 40 ms, once a
// process); the lookups read them on first use otherwise.
func Load() { lists() }

// Len returns the number of words the lists have (folded: "cúpula" and "cupula" are one).
func Len() int { return len(lists()) }

// questionWords are the English question words the lists map other languages' to; "howmany"
// stands for "how many" and "how much".
var questionWords = map[string]string{"who": "who", "where": "where", "when": "when",
	"how": "how", "what": "what", "which": "which", "why": "why", "howmany": "how many"}

// QuestionWord returns the English question word en, an English word of an entry, stands for
// ("howmany": "how many"), or "" when it is none.
func QuestionWord(en string) string { return questionWords[en] }

// Question returns the English question word w (folded here) is, when the lists have it as
// one ("quando": "when", "kaç": "how many"), else "": its first English word, or for a filler
// any (Turkish "ne", what, folds as Portuguese "né").
func Question(w string) string {
	e, ok := lists().lookup(w)
	if !ok || len(e.English) == 0 {
		return ""
	}
	if q := questionWords[e.English[0]]; q != "" || !e.Filler {
		return q
	}
	for _, en := range e.English[1:] {
		if q := questionWords[en]; q != "" {
			return q
		}
	}
	return ""
}

// slipLetters are the letters a slip may add: the folded keys' Latin letters.
const slipLetters = "abcdefghijklmnopqrstuvwxyz"

// Slip returns the entry of the listed word one letter's slip from w (folded here): a letter
// w has too many or too few, or two neighbours swapped, never the first letter; w is at least
// minRunes long and written in Latin letters (a Hangul syllable is no letter). A letter
// changed is no slip here: across ten languages' words it finds another language's word more
// often than the one meant (Dutch "welke", which, as German "Welle", wave; "datum" as German
// "darum"), where a letter typed twice or left out ("Lännder", "geholfn") keeps to the word.
// Listed words that mean different things one slip away are no reading at all: a slip is
// taken only when it is the one thing w can be. A filler is found too (a misspelt function
// word, "solln", is one). It also returns the listed word.
func Slip(w string, minRunes int) (Entry, string, bool) {
	return lists().slip(w, minRunes)
}

// maxSlip bounds the words Slip reads (and its buffer).
const maxSlip = 40

func (t table) slip(w string, minRunes int) (Entry, string, bool) {
	k, ok := latinKey(w, minRunes, maxSlip)
	if !ok {
		return Entry{}, "", false
	}
	var buf [maxSlip + 1]byte
	var found Entry
	var word string
	n := 0
	try := func(b []byte) {
		e, ok := t[string(b)]
		if !ok || n > 0 && sameMeaning(found, e) {
			return
		}
		if n == 0 {
			found, word = e, string(b)
		}
		n++
	}
	// A letter too many, too few, or two swapped.
	for i := 1; i < len(k); i++ {
		try(append(append(buf[:0], k[:i]...), k[i+1:]...))
	}
	for i := 1; i <= len(k); i++ {
		for c := 0; c < len(slipLetters); c++ {
			try(append(append(append(buf[:0], k[:i]...), slipLetters[c]), k[i:]...))
		}
	}
	for i := 1; i+1 < len(k); i++ {
		if k[i] != k[i+1] {
			b := append(buf[:0], k...)
			b[i], b[i+1] = b[i+1], b[i]
			try(b)
		}
	}
	if n == 1 {
		return found, word, true
	}
	return Entry{}, "", false
}

// latinKey returns w folded when it is written in Latin letters alone (one byte each once
// folded: Slip and Compound index it by bytes) and is lo to hi letters long.
func latinKey(w string, lo, hi int) (string, bool) {
	k := Fold(w)
	if len(k) < lo || len(k) > hi {
		return "", false
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; c < 'a' || c > 'z' {
			return "", false
		}
	}
	return k, true
}

// sameMeaning reports whether a and b read alike: both fillers, or the same first English
// word.
func sameMeaning(a, b Entry) bool {
	if a.Filler || b.Filler {
		return a.Filler && b.Filler
	}
	return len(a.English) > 0 && len(b.English) > 0 && a.English[0] == b.English[0]
}

// compoundLinks are the letters German, Dutch and the Scandinavian languages put between the
// words of a compound ("Wirtschaft-s-krise"), the longest first; "" is none.
var compoundLinks = [...]string{"en", "es", "er", "s", "n", "e", ""}

// Compound returns the entries of the two listed content words w (folded here) is made of,
// as German writes "Sicherheitsgesetz" for "Sicherheit" (security) and "Gesetz" (law): each
// at least minRunes long, a linking letter or two allowed between them (compoundLinks).
// The split with the longest second word is taken, the word a compound is about.
func Compound(w string, minRunes int) (first, second Entry, ok bool) {
	return lists().compound(w, minRunes)
}

func (t table) compound(w string, minRunes int) (first, second Entry, ok bool) {
	k, ok := latinKey(w, 2*minRunes, 60)
	if !ok {
		return Entry{}, Entry{}, false
	}
	content := func(key string) (Entry, bool) {
		e, ok := t[key]
		return e, ok && !e.Filler && len(e.English) > 0
	}
	// The second word starts at j, the first ends at j less a link.
	for j := minRunes; j+minRunes <= len(k); j++ {
		s, ok := content(k[j:])
		if !ok {
			continue
		}
		for _, link := range compoundLinks {
			end := j - len(link)
			if end < minRunes || k[end:j] != link {
				continue
			}
			if f, ok := content(k[:end]); ok {
				return f, s, true
			}
		}
	}
	return Entry{}, Entry{}, false
}

// Swahili verbs carry their subject, tense and object before the root ("i-ta-fanyika", it
// will take place; "wa-me-ahirisha", they have postponed; "ku-saidiana", to cooperate): the
// Swahili list has the roots, and Verb finds a root a typed verb ends in. The prefixes, in
// the order a verb takes them:
var (
	// swSubjects are the subject prefixes of the noun classes and persons, the negative
	// ones, the habitual "hu" and the infinitive "ku".
	swSubjects = []string{"ni", "u", "a", "yu", "tu", "m", "mu", "wa", "i", "zi", "li", "ya",
		"ki", "vi", "ku", "pa", "hu", "si", "ha", "hatu", "ham", "hawa", "hai", "hazi",
		"hali", "haya", "haki", "havi", "haku", "hapa", ""}
	// swTenses are the tense and aspect markers, none for the infinitive and the habitual.
	swTenses = []string{"na", "li", "ta", "me", "ki", "nge", "ngali", "ja", "sha", "ka", ""}
	// swObjects are the object infixes, and the reflexive "ji".
	swObjects = []string{"ni", "ku", "m", "mw", "mu", "tu", "wa", "ji", "i", "zi", "li", "ya",
		"ki", "vi", "u", ""}
)

// minVerbRoot is the shortest Swahili root Verb takes: shorter ones ("wa", be; "la", eat)
// are found inside too many words.
const minVerbRoot = 4

// VerbRoots returns the roots a Swahili verb w (folded here) may end in once its subject,
// tense and object prefixes are taken off ("itafanyika": "fanyika"), the longest prefix
// first: the Swahili list's roots, and the rest for the caller to read, since chats put
// English verbs behind Swahili prefixes ("wamepostpone"). Nil when no Swahili list is
// embedded or w is no Latin word longer than minVerbRoot.
func VerbRoots(w string) []string { return lists().verbRoots(w, swIndex()) }

// swIndex is the index of the Swahili list among Languages, or -1.
var swIndex = sync.OnceValue(func() int { return slices.Index(Languages(), "sw") })

func (t table) verbRoots(w string, sw int) []string {
	if sw < 0 {
		return nil
	}
	k, ok := latinKey(w, minVerbRoot+1, 40)
	if !ok {
		return nil
	}
	var roots []string
	for _, s := range swSubjects {
		rest, ok := strings.CutPrefix(k, s)
		if !ok {
			continue
		}
		for _, tm := range swTenses {
			if s == "" && tm == "" || (s == "ku" || s == "hu") && tm != "" {
				continue // a bare root is the word itself; "ku" and "hu" take no tense
			}
			rest, ok := strings.CutPrefix(rest, tm)
			if !ok {
				continue
			}
			for _, o := range swObjects {
				root, ok := strings.CutPrefix(rest, o)
				if !ok || len(root) < minVerbRoot || slices.Contains(roots, root) {
					continue
				}
				roots = append(roots, root)
			}
		}
	}
	// The longest prefix first: "wamesaidiana" is "wa-me-saidiana" before "wa-me-sa-idiana".
	slices.SortStableFunc(roots, func(a, b string) int { return len(a) - len(b) })
	return roots
}

// Verb returns the entry of the Swahili root w ends in once its prefixes are taken off
// (VerbRoots), and the root, when the Swahili list has one.
func Verb(w string) (Entry, string, bool) {
	t, sw := lists(), swIndex()
	for _, root := range t.verbRoots(w, sw) {
		if e, ok := t.lookupIn(root, sw); ok && !e.Filler {
			return e, root, true
		}
	}
	return Entry{}, "", false
}
