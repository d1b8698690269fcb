package bot

import (
	"strings"
	"unicode"
)

// talkKind is the sort of small talk a message is.
type talkKind int

const (
	talkNone talkKind = iota
	talkGreeting
	talkThanks
	talkBye
	talkAck
	talkHowAreYou
	// talkCheck is a message that checks the bot is there ("test", "ping", "are you there?").
	talkCheck
)

// talkPhrases are the words and phrases of small talk, longest first where they share a
// prefix. Each message is read as a sequence of these and talkFillers; any other word makes it
// a real question ("hi, what about Hong Kong?").
var talkPhrases = []struct {
	words []string
	kind  talkKind
}{
	{[]string{"how", "are", "you", "doing"}, talkHowAreYou},
	{[]string{"how", "are", "you"}, talkHowAreYou},
	{[]string{"how", "r", "u"}, talkHowAreYou},
	{[]string{"how's", "it", "going"}, talkHowAreYou},
	{[]string{"hows", "it", "going"}, talkHowAreYou},
	{[]string{"how", "is", "it", "going"}, talkHowAreYou},
	{[]string{"how", "do", "you", "do"}, talkHowAreYou},
	{[]string{"what's", "up"}, talkHowAreYou},
	{[]string{"whats", "up"}, talkHowAreYou},
	{[]string{"are", "you", "there"}, talkCheck},
	{[]string{"r", "u", "there"}, talkCheck},
	{[]string{"you", "there"}, talkCheck},
	{[]string{"anyone", "there"}, talkCheck},
	{[]string{"anybody", "there"}, talkCheck},
	{[]string{"anyone", "here"}, talkCheck},
	{[]string{"is", "this", "working"}, talkCheck},
	{[]string{"is", "this", "thing", "on"}, talkCheck},
	{[]string{"does", "this", "work"}, talkCheck},
	{[]string{"are", "you", "working"}, talkCheck},
	{[]string{"are", "you", "alive"}, talkCheck},
	{[]string{"dey", "work"}, talkCheck}, // Nigerian Pidgin: "this bot dey work?"
	{[]string{"dey", "working"}, talkCheck},
	{[]string{"1", "2", "3"}, talkCheck}, // "testing 1 2 3"
	{[]string{"test"}, talkCheck},
	{[]string{"testing"}, talkCheck},
	{[]string{"ping"}, talkCheck},
	// Checks in the languages chats mix in: Portuguese, Spanish, French, Russian ("teste
	// teste, o bot tá funcionando?", "test test, le bot marche?", "test lang po").
	{[]string{"teste"}, talkCheck},
	{[]string{"testando"}, talkCheck},
	{[]string{"prueba"}, talkCheck},
	{[]string{"probando"}, talkCheck},
	{[]string{"essai"}, talkCheck},
	{[]string{"тест"}, talkCheck},
	{[]string{"funcionando"}, talkCheck},
	{[]string{"funciona"}, talkCheck},
	{[]string{"marche"}, talkCheck},
	{[]string{"good", "morning"}, talkGreeting},
	{[]string{"good", "afternoon"}, talkGreeting},
	{[]string{"good", "evening"}, talkGreeting},
	{[]string{"good", "day"}, talkGreeting},
	{[]string{"good", "night"}, talkBye},
	{[]string{"thank", "you"}, talkThanks},
	{[]string{"thank", "u"}, talkThanks},
	{[]string{"many", "thanks"}, talkThanks},
	{[]string{"much", "appreciated"}, talkThanks},
	{[]string{"appreciate", "it"}, talkThanks},
	{[]string{"see", "you"}, talkBye},
	{[]string{"see", "ya"}, talkBye},
	{[]string{"talk", "later"}, talkBye},
	{[]string{"got", "it"}, talkAck},
	{[]string{"hi"}, talkGreeting},
	{[]string{"hii"}, talkGreeting},
	{[]string{"hello"}, talkGreeting},
	{[]string{"helo"}, talkGreeting},
	{[]string{"hey"}, talkGreeting},
	{[]string{"heya"}, talkGreeting},
	{[]string{"hiya"}, talkGreeting},
	{[]string{"howdy"}, talkGreeting},
	{[]string{"yo"}, talkGreeting},
	{[]string{"greetings"}, talkGreeting},
	{[]string{"hallo"}, talkGreeting},
	{[]string{"hola"}, talkGreeting},
	{[]string{"salut"}, talkGreeting},
	{[]string{"privet"}, talkGreeting},
	{[]string{"привет"}, talkGreeting},
	{[]string{"здравствуйте"}, talkGreeting},
	{[]string{"morning"}, talkGreeting},
	{[]string{"evening"}, talkGreeting},
	{[]string{"afternoon"}, talkGreeting},
	{[]string{"sup"}, talkHowAreYou},
	{[]string{"thanks"}, talkThanks},
	{[]string{"thank"}, talkThanks},
	{[]string{"thx"}, talkThanks},
	{[]string{"thnx"}, talkThanks},
	{[]string{"thanx"}, talkThanks},
	{[]string{"tnx"}, talkThanks},
	{[]string{"ty"}, talkThanks},
	{[]string{"tysm"}, talkThanks},
	{[]string{"cheers"}, talkThanks},
	{[]string{"merci"}, talkThanks},
	{[]string{"gracias"}, talkThanks},
	{[]string{"danke"}, talkThanks},
	{[]string{"спасибо"}, talkThanks},
	{[]string{"appreciated"}, talkThanks},
	{[]string{"bye"}, talkBye},
	{[]string{"goodbye"}, talkBye},
	{[]string{"byebye"}, talkBye},
	{[]string{"cya"}, talkBye},
	{[]string{"later"}, talkBye},
	{[]string{"ciao"}, talkBye},
	{[]string{"ok"}, talkAck},
	{[]string{"okay"}, talkAck},
	{[]string{"k"}, talkAck},
	{[]string{"cool"}, talkAck},
	{[]string{"nice"}, talkAck},
	{[]string{"great"}, talkAck},
	{[]string{"awesome"}, talkAck},
	{[]string{"perfect"}, talkAck},
	{[]string{"excellent"}, talkAck},
	{[]string{"wonderful"}, talkAck},
	{[]string{"good"}, talkAck},
	{[]string{"fine"}, talkAck},
	{[]string{"alright"}, talkAck},
	{[]string{"understood"}, talkAck},
	{[]string{"lol"}, talkAck},
}

// talkFillers may accompany small talk without adding content ("thanks a lot", "hello there",
// "hi bot", "ok great, thank you so much").
var talkFillers = map[string]bool{
	"a": true, "lot": true, "lots": true, "so": true, "very": true, "much": true,
	"you": true, "u": true, "there": true, "all": true, "everyone": true, "everybody": true,
	"bot": true, "guys": true, "folks": true, "again": true, "really": true, "and": true,
	"oh": true, "well": true, "dear": true, "friend": true, "mate": true, "buddy": true,
	"man": true, "team": true, "sir": true, "madam": true, "indeed": true, "just": true,
	"for": true, "the": true, "it": true, "that": true, "this": true,
	"to": true, "your": true, "ya": true, "y'all": true, "yall": true, "once": true,
	"more": true, "super": true, "ever": true, "in": true, "advance": true, "too": true,
	"is": true, "was": true, "helpful": true, "info": true, "answer": true, "answers": true,
	"reply": true, "i": true, "see": true, "my": true, "pal": true, "then": true, "now": true,
	// "abeg confirm say this bot dey work" (Nigerian Pidgin: please confirm that ...).
	"abeg": true, "confirm": true, "say": true, "please": true, "pls": true, "if": true,
	// The articles and "is" of those checks, and Tagalog "just" and politeness ("test lang
	// po").
	"o": true, "tá": true, "ta": true, "está": true, "esta": true, "le": true, "la": true,
	"el": true, "ça": true, "ca": true, "lang": true, "po": true,
}

// talkIndex maps the first word of each talk phrase to the phrases starting with it, in
// talkPhrases order (longest first). Built once, read-only afterwards.
var talkIndex = func() map[string][]int {
	idx := map[string][]int{}
	for i, p := range talkPhrases {
		idx[p.words[0]] = append(idx[p.words[0]], i)
	}
	return idx
}()

// talkVocab is every word small talk knows: phrase words and fillers. Built once.
var talkVocab = func() map[string]bool {
	v := map[string]bool{}
	for w := range talkFillers {
		v[w] = true
	}
	for _, p := range talkPhrases {
		for _, w := range p.words {
			v[w] = true
		}
	}
	return v
}()

// smallTalk classifies text as small talk, or talkNone when it has real content. The
// message must consist only of greetings, thanks, farewells or acknowledgements and filler.
func smallTalk(text string) talkKind {
	words := talkWords(text, talkVocab)
	if len(words) == 0 || len(words) > 12 {
		return talkNone
	}
	found := talkNone
	for i := 0; i < len(words); {
		if k, n := matchTalkPhrase(words[i:]); n > 0 {
			if found == talkNone || (found == talkAck && k != talkAck) || (found == talkGreeting && (k == talkHowAreYou || k == talkCheck)) || k == talkThanks {
				found = k
			}
			i += n
			continue
		}
		if talkFillers[words[i]] {
			i++
			continue
		}
		return talkNone
	}
	return found
}

// matchTalkPhrase returns the kind and length of the talk phrase that words start with.
// Words were squeezed by talkWords, so "hiiii" reads as "hi" and "goood" as "good".
func matchTalkPhrase(words []string) (talkKind, int) {
	for _, i := range talkIndex[words[0]] {
		p := talkPhrases[i]
		if len(p.words) > len(words) {
			continue
		}
		ok := true
		for j, w := range p.words {
			if words[j] != w {
				ok = false
				break
			}
		}
		if ok {
			return p.kind, len(p.words)
		}
	}
	return talkNone, 0
}

// talkWords lowercases text and splits it into words, dropping punctuation, emoji and other
// symbols (apostrophes inside words are kept: "what's"). Letters typed three or more times
// are squeezed to the spelling vocab knows ("hiiii" -> "hi", "goood" -> "good"). With a
// vocab, the first word outside it ends the work: the result is nil, as the message is not
// made of those words alone.
func talkWords(text string, vocab map[string]bool) []string {
	f := func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’')
	}
	var out []string
	for rest := text; rest != ""; {
		i := strings.IndexFunc(rest, func(r rune) bool { return !f(r) })
		if i < 0 {
			break
		}
		rest = rest[i:]
		j := strings.IndexFunc(rest, f)
		if j < 0 {
			j = len(rest)
		}
		w := strings.ToLower(rest[:j])
		rest = rest[j:]
		if strings.ContainsRune(w, '’') {
			w = strings.ReplaceAll(w, "’", "'")
		}
		w = strings.Trim(w, "'")
		if w == "" {
			continue
		}
		if hasRun(w) {
			if w2 := squeeze(w, 2); talkVocab[w2] {
				w = w2
			} else {
				w = squeeze(w, 1)
			}
		}
		if vocab != nil && !vocab[w] {
			return nil
		}
		out = append(out, w)
	}
	return out
}

// hasRun reports whether w repeats a letter three or more times in a row.
func hasRun(w string) bool {
	var prev rune
	n := 0
	for _, r := range w {
		if r == prev {
			n++
			if n >= 3 {
				return true
			}
		} else {
			prev, n = r, 1
		}
	}
	return false
}

// squeeze collapses letters repeated three or more times to keep of them ("hiiii" -> "hi",
// "thanksss" -> "thanks" with keep 1, "goood" -> "good" with keep 2); shorter runs stay.
func squeeze(w string, keep int) string {
	var b strings.Builder
	rs := []rune(w)
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && rs[j] == rs[i] {
			j++
		}
		if j-i >= 3 {
			for k := 0; k < keep; k++ {
				b.WriteRune(rs[i])
			}
		} else {
			for k := i; k < j; k++ {
				b.WriteRune(rs[k])
			}
		}
		i = j
	}
	return b.String()
}
