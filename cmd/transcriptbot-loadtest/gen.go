package main

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"transcriptbot/bot"
	"transcriptbot/transcript"
)

// ltGen generates what users type: questions built in and drawn from the transcript, numbers
// in the forms people type them, commands, small talk, out-of-scope questions and odd input.
// It is deterministic given the rand source.
type ltGen struct {
	questions int        // number of questions in the transcript
	words     [][]string // per question, its content words (question and first paragraph)
	version   string     // the bot's action-id version, to forge stale buttons that differ
}

func newLtGen(t *transcript.Transcript, core *bot.Bot) *ltGen {
	g := &ltGen{questions: t.Len(), version: core.Version()}
	for _, e := range t.Entries {
		text := e.Question
		if len(e.Paragraphs) > 0 {
			text += " " + e.Paragraphs[0]
		}
		var ws []string
		for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' }) {
			if utf8.RuneCountInString(w) >= 4 && !ltStopWords[strings.ToLower(w)] {
				ws = append(ws, w)
			}
		}
		g.words = append(g.words, ws)
	}
	return g
}

// ltStopWords are left out of questions built from the transcript's words.
var ltStopWords = map[string]bool{"this": true, "that": true, "with": true, "from": true, "have": true, "which": true,
	"what": true, "were": true, "will": true, "their": true, "there": true, "about": true, "been": true, "also": true,
	"your": true, "into": true, "they": true, "these": true, "those": true, "would": true, "should": true, "could": true}

// ltQuestions are free-text questions about the embedded transcript (the SCO Secretary-General's
// press conference of June 2020), phrased as people ask them: paraphrases, facts only in the
// answers, bare keywords, typos and chatty messages.
var ltQuestions = []string{
	"What is the Shanghai spirit?",
	"How should SCO countries work together against the coronavirus?",
	"what about hong kong",
	"What did the Secretary-General say about the national security law in Hong Kong?",
	"Is the SCO directed against third parties?",
	"How does the SCO fight terrorism?",
	"what does RATS do",
	"Which countries joined the SCO recently?",
	"How does the SCO take decisions, by consensus?",
	"covid-19 joint response",
	"wuhan solidarity",
	"coronavirus cooperaton",
	"shangai sprit",
	"hey, what is the SCO actually doing about covid?",
	"so what's this shanghai spirit everyone keeps talking about?",
	"What about the economy after the pandemic?",
	"Is a second wave of the virus possible?",
	"Did China send medical specialists to other countries?",
	"what are the relations between India and Pakistan in the SCO",
	"Afghanistan peace process",
	"What is the SCO's position on drug trafficking?",
	"digital economy and e-commerce",
	"What did he say about the United Nations?",
	"tell me about the 20th anniversary",
	"How many people were infected worldwide according to WHO?",
	"regional security and joint development",
	"Should the SCO become a bearing structure of a new world order?",
	"sanctions and unilateral measures",
	"Can you summarise what was said about cooperation?",
	"WHO and the UN",
	"trade between member states",
	"Belt and Road",
	"what about cultural and humanitarian ties, tourism?",
	"Was anything said about the Chelyabinsk summit?",
	"What about the observers and dialogue partners?",
	"terrorism extremism separatism",
	"What role does the SCO play in Central Asia?",
	"vaccines",
	"What's the SCO's view of the US?",
	"health cooperation mechanisms",
}

// ltOutOfScope are questions no press-conference transcript answers.
var ltOutOfScope = []string{
	"How do I make a sourdough starter?",
	"What's the weather in Paris tomorrow?",
	"who won the football world cup in 1998",
	"Can you recommend a good laptop for programming?",
	"What is the capital of Australia?",
	"how to fix a flat bicycle tyre",
	"Tell me a joke about cats",
	"What's the best way to learn the guitar?",
	"is it going to rain",
	"convert 100 dollars to euros",
}

// ltSmallTalk are greetings, thanks and farewells.
var ltSmallTalk = []string{"hi", "Hello!", "hey there", "good morning", "thanks", "thank you so much!", "ok thanks",
	"bye", "Cheers", "hello bot", "thx", "great, thank you"}

// ltOdd is input that tests escaping, Unicode and limits.
var ltOdd = []string{
	"<b>what</b> about the Shanghai & spirit?",
	"what about 🇭🇰 hong kong? 😀😀",
	"ÇA VA? ¿Qué dijo sobre la cooperación económica?",
	"SELECT * FROM questions; -- terrorism",
	"   spaces    around   covid   ",
	"line one\nline two: what about security?",
	"&lt;script&gt;alert(1)&lt;/script&gt; spirit",
	"*bold* _italic_ `code` [link](http://example.com) @everyone",
	"𝓦𝓱𝓪𝓽 𝓪𝓫𝓸𝓾𝓽 𝓽𝓮𝓻𝓻𝓸𝓻𝓲𝓼𝓶",
	"ok",
}

var ltOrdinals = []string{"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"}

// question returns a free-text question: built in, or built from a transcript question's
// words (keywords, "what about ...", with a typo now and then).
func (g *ltGen) question(r *rand.Rand) string {
	if r.IntN(2) == 0 || g.questions == 0 {
		return ltQuestions[r.IntN(len(ltQuestions))]
	}
	ws := g.words[r.IntN(len(g.words))]
	if len(ws) == 0 {
		return ltQuestions[r.IntN(len(ltQuestions))]
	}
	n := min(len(ws), 2+r.IntN(4))
	start := r.IntN(len(ws) - n + 1)
	picked := slicesClone(ws[start : start+n])
	if r.IntN(5) == 0 { // a typo: drop a letter
		i := r.IntN(len(picked))
		if rs := []rune(picked[i]); len(rs) > 4 {
			j := 1 + r.IntN(len(rs)-2)
			picked[i] = string(append(rs[:j:j], rs[j+1:]...))
		}
	}
	q := strings.Join(picked, " ")
	switch r.IntN(4) {
	case 0:
		return "what about " + strings.ToLower(q) + "?"
	case 1:
		return "Tell me what was said about " + q
	case 2:
		return strings.ToLower(q)
	}
	return q + "?"
}

// number returns a request for a question by number in one of the forms people type, now
// and then out of range.
func (g *ltGen) number(r *rand.Rand) string {
	n := 1 + r.IntN(max(g.questions, 1))
	if r.IntN(12) == 0 {
		n = g.questions + 1 + r.IntN(100)
	}
	s := strconv.Itoa(n)
	switch r.IntN(7) {
	case 0:
		return "#" + s
	case 1:
		return "q" + s
	case 2:
		return "question " + s
	case 3:
		if n <= len(ltOrdinals) {
			return ltOrdinals[n-1] + " question"
		}
	case 4:
		return "Question " + s + "?"
	}
	return s
}

// numberArg returns a question number for /answer N, now and then out of range.
func (g *ltGen) numberArg(r *rand.Rand) string {
	if r.IntN(12) == 0 {
		return strconv.Itoa(g.questions + 1 + r.IntN(100))
	}
	return strconv.Itoa(1 + r.IntN(max(g.questions, 1)))
}

func (g *ltGen) outOfScope(r *rand.Rand) string { return ltOutOfScope[r.IntN(len(ltOutOfScope))] }
func (g *ltGen) smallTalk(r *rand.Rand) string  { return ltSmallTalk[r.IntN(len(ltSmallTalk))] }

// odd returns odd input; one time in four a message over the bot's input limit.
func (g *ltGen) odd(r *rand.Rand) string {
	if r.IntN(4) == 0 {
		return strings.Repeat("what about the spirit of cooperation ", 1+bot.DefaultMaxInput/36)
	}
	return ltOdd[r.IntN(len(ltOdd))]
}

// text returns any user text: a question most of the time.
func (g *ltGen) text(r *rand.Rand) string {
	switch p := r.IntN(100); {
	case p < 55:
		return g.question(r)
	case p < 72:
		return g.number(r)
	case p < 82:
		return g.smallTalk(r)
	case p < 92:
		return g.outOfScope(r)
	default:
		return g.odd(r)
	}
}

// staleAction is a button id from another transcript version: the bot must call it expired.
func (g *ltGen) staleAction(r *rand.Rand) string {
	v := "0badc0de"
	if v == g.version {
		v = "0badf00d"
	}
	return v + ":f:" + strconv.Itoa(1+r.IntN(max(g.questions, 1)))
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }
