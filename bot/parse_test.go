package bot

import (
	"strings"
	"testing"
	"unicode/utf8"

	"transcriptbot/transcript"
)

func TestParseNumberWords(t *testing.T) {
	tests := []struct {
		in      string
		n       int
		ordinal bool
		ok      bool
	}{
		{"one", 1, false, true},
		{"zero", 0, false, true},
		{"nineteen", 19, false, true},
		{"twenty", 20, false, true},
		{"twenty one", 21, false, true},
		{"twenty first", 21, true, true},
		{"forty two", 42, false, true},
		{"one hundred", 100, false, true},
		{"hundred", 100, false, true},
		{"one hundred and five", 105, false, true},
		{"one hundred fifth", 105, true, true},
		{"two hundred thirty four", 234, false, true},
		{"one thousand", 1000, false, true},
		{"two thousand and twenty", 2020, false, true},
		{"one million two hundred thousand", 1_200_000, false, true},
		{"hundredth", 100, true, true},
		{"thousandth", 1000, true, true},
		{"first", 1, true, true},
		{"twelfth", 12, true, true},
		{"ninetieth", 90, true, true},
		{"nine hundred ninety nine trillion", hugeNumber + 1, false, true},
		{"one two", 0, false, false},
		{"twenty ten", 0, false, false},
		{"ten twenty", 0, false, false},
		{"first second", 0, false, false},
		{"third one", 0, false, false},
		{"and", 0, false, false},
		{"one and", 0, false, false},
		{"two hundred hundred", 0, false, false},
		{"thousand thousand", 0, false, false},
		{"two thousand three million", 0, false, false},
		{"zero hundred", 0, false, false},
		{"apple", 0, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			n, ord, ok := parseNumberWords(strings.Fields(tc.in))
			if n != tc.n || ord != tc.ordinal || ok != tc.ok {
				t.Errorf("got %d %v %v, want %d %v %v", n, ord, ok, tc.n, tc.ordinal, tc.ok)
			}
		})
	}
}

func TestParseNumberRequest(t *testing.T) {
	tests := []struct {
		in     string
		ok     bool
		status numStatus
		n      int
	}{
		{"3", true, numOK, 3},
		{"+3", true, numOK, 3},
		{"#3", true, numOK, 3},
		{"#03", true, numOK, 3},
		{"№3", true, numOK, 3},
		{"q3?", true, numOK, 3},
		{"Q 3", true, numOK, 3},
		{"Q#3", true, numOK, 3},
		{"question3", true, numOK, 3},
		{"(question 3)", true, numOK, 3},
		{"[3]", true, numOK, 3},
		{"3️⃣", true, numOK, 3},
		{"question ３", true, numOK, 3},
		{"q.3", true, numOK, 3},
		{"question no. 3", true, numOK, 3},
		{"question nomer 8 what it was?", true, numOK, 8},
		{"nummer 4", true, numOK, 4},
		{"answer 3, please", true, numOK, 3},
		{"three", true, numOK, 3},
		{"Twenty-one", true, numOK, 21},
		{"twenty-first question", true, numOK, 21},
		{"the 21st one", true, numOK, 21},
		{"the hundredth question", true, numOK, 100},
		{"one hundred and seventh", true, numOK, 107},
		{"last one", true, numOK, 10},
		{"final question", true, numOK, 10},
		{"what was the third question", true, numOK, 3},
		{"What does question 3 say?", true, numOK, 3},
		{"what did the second question ask", true, numOK, 2},
		{"what was said in 2019", false, 0, 0},
		{"what did they say about 3", false, 0, 0},
		{"2020", true, numOK, 2020},
		{"0", true, numZero, 0},
		{"q0", true, numZero, 0},
		{"-3", true, numNegative, 0},
		{"−3", true, numNegative, 0},
		{"question -0", true, numZero, 0},
		{"100000000000000000000000000000000000000", true, numHuge, 0},
		{"3.5", true, numMalformed, 0},
		{"1,000", true, numMalformed, 0},
		{"q3x", true, numMalformed, 0},
		{"question 1e9", true, numMalformed, 0},
		{"", false, 0, 0},
		{"question", false, 0, 0},
		{"q", false, 0, 0},
		{"what about 2020", false, 0, 0},
		{"what is 3", false, 0, 0},
		{"3 countries", false, 0, 0},
		{"13 april", false, 0, 0},
		{"19 years", false, 0, 0},
		{"5g", false, 0, 0},
		{"1e9", false, 0, 0},
		{"3 and 4", false, 0, 0},
		{"question 3 and 4", false, 0, 0},
		{"3 4", false, 0, 0},
		{"one road", false, 0, 0},
		{"second wave", false, 0, 0},
		{"last year", false, 0, 0},
		{"no", false, 0, 0},
		{"no thanks", false, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := parseNumberRequest(tc.in, 10, nil)
			if ok != tc.ok {
				t.Fatalf("ok: got %v, want %v (%+v)", ok, tc.ok, got)
			}
			if !ok {
				return
			}
			if got.status != tc.status || (tc.status == numOK && got.n != tc.n) {
				t.Errorf("got status %d n %d, want status %d n %d", got.status, got.n, tc.status, tc.n)
			}
		})
	}
}

func TestSmallTalk(t *testing.T) {
	tests := []struct {
		in   string
		want talkKind
	}{
		{"hi", talkGreeting},
		{"Hi!", talkGreeting},
		{"hiiii", talkGreeting},
		{"hello there", talkGreeting},
		{"Hello, bot!", talkGreeting},
		{"hey guys", talkGreeting},
		{"good morning", talkGreeting},
		{"Goood morning everyone", talkGreeting},
		{"👋 hi", talkGreeting},
		{"привет", talkGreeting},
		{"thanks", talkThanks},
		{"thanks a lot", talkThanks},
		{"Thank you!", talkThanks},
		{"thank you very much", talkThanks},
		{"thx", talkThanks},
		{"many thanks for the answer", talkThanks},
		{"ok great, thanks", talkThanks},
		{"cheers mate", talkThanks},
		{"bye", talkBye},
		{"see you later", talkBye},
		{"how are you?", talkHowAreYou},
		{"hi, how are you doing?", talkHowAreYou},
		{"ok", talkAck},
		{"cool", talkAck},
		{"got it", talkAck},
		{"test", talkCheck},
		{"testing testing", talkCheck},
		{"hello? anyone there?", talkCheck},
		{"@bot ping", talkCheck},
		{"are you there bot", talkCheck},
		{"is this thing on?", talkCheck},
		{"testing 1 2 3", talkCheck},
		{"test test 1 2 3 abeg confirm say this bot dey work", talkCheck},
		{"teste teste, o bot tá funcionando?", talkCheck},
		{"test test, le bot marche?", talkCheck},
		{"test lang po", talkCheck},
		{"prueba", talkCheck},
		{"тест", talkCheck},
		{"please confirm", talkNone},
		{"does it work in member states", talkNone},
		{"test results", talkNone},
		{"testing in member states", talkNone},
		{"", talkNone},
		{"🙂", talkNone},
		{"a lot", talkNone},
		{"hi, what about Hong Kong?", talkNone},
		{"hello, tell me about trade", talkNone},
		{"thanks, and what about security?", talkNone},
		{"good question", talkNone},
		{"how are the SCO countries cooperating", talkNone},
		{"good morning, what did the secretary general say about covid", talkNone},
		{"great wall", talkNone},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := smallTalk(tc.in); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCutWords(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"short", 10, "short"},
		{"  padded  ", 6, "padded"},
		{"exactly ten", 11, "exactly ten"},
		{"one two three four", 12, "one two…"},
		{"one two, three", 10, "one two…"},
		{"supercalifragilistic", 8, "superca…"},
		{"a bb ccc dddd eeeee", 10, "a bb ccc…"},
		{"emoji 🌏🌏🌏🌏", 9, "emoji…"},
		{"🌏🌏🌏🌏🌏🌏", 5, "🌏🌏…"},
		{"Организация сотрудничества", 15, "Организация…"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := cutWords(tc.in, tc.limit)
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if UTF16Len(got) > tc.limit || !utf8.ValidString(got) {
				t.Errorf("%q is over %d units or invalid", got, tc.limit)
			}
		})
	}
}

func TestSplitPrefersBoundaries(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		limit int
		want  []string
	}{
		{"paragraph", "First para one. Two.\n\nSecond para here.", 30, []string{"First para one. Two.\n\n", "Second para here."}},
		{"sentence", "One sentence here. Another one follows here.", 30, []string{"One sentence here. ", "Another one follows here."}},
		{"sentence with quote", "He said “no.” Then he left the room.", 24, []string{"He said “no.” ", "Then he left the room."}},
		{"line", "a line without stop\nand another line", 25, []string{"a line without stop\n", "and another line"}},
		{"word", "words without any stops go on", 12, []string{"words ", "without any ", "stops go on"}},
		{"hard", "abcdefghijklmnop", 5, []string{"abcde", "fghij", "klmno", "p"}},
		{"surrogates", "🌏🌏🌏🌏🌏", 5, []string{"🌏🌏", "🌏🌏", "🌏"}},
		{"fits", "short", 10, []string{"short"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := split(tc.text, tc.limit)
			var got []string
			for i := 0; i+1 < len(b); i++ {
				got = append(got, tc.text[b[i]:b[i+1]])
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// checkPages verifies paginate's invariants on text for limit body.
func checkPages(t *testing.T, text string, body int) {
	t.Helper()
	b := paginate(text, body)
	if text == "" {
		if len(b) != 2 || b[1] != 0 {
			t.Fatalf("empty text: bounds %v, want one empty page", b)
		}
		return
	}
	if len(b) < 2 || b[0] != 0 || b[len(b)-1] != len(text) {
		t.Fatalf("bounds %v do not cover %d bytes", b, len(text))
	}
	pages := len(b) - 1
	starts := map[int]bool{len(text): true} // rune starts, invalid bytes counting as runes
	for i := range text {
		starts[i] = true
	}
	var rebuilt strings.Builder
	for i := 0; i+1 < len(b); i++ {
		if b[i+1] <= b[i] {
			t.Fatalf("empty or backward page %d: %v", i, b)
		}
		if !starts[b[i]] {
			t.Fatalf("page %d starts inside a rune", i)
		}
		page := text[b[i]:b[i+1]]
		if u := UTF16Len(page) + LabelReserve(pages); u > body {
			t.Fatalf("page %d of %d is %d units with its label, limit %d", i+1, pages, u, body)
		}
		rebuilt.WriteString(page)
	}
	if rebuilt.String() != text {
		t.Fatalf("pages do not reassemble")
	}
}

func TestPaginateInvariants(t *testing.T) {
	long := strings.Repeat("Word ", 5000) + strings.Repeat("🌏", 3000) + strings.Repeat("ж", 3000)
	for _, body := range []int{MinBody, 41, 57, 100, 999, 2000, 4096} {
		checkPages(t, long, body)
	}
	// Hundreds of pages: the label grows to three digits and the reserve follows.
	if n := len(paginate(strings.Repeat("x", 20000), MinBody)) - 1; n < 100 {
		t.Errorf("got %d pages, want over 100", n)
	}
}

func FuzzPaginate(f *testing.F) {
	f.Add("Hello world. This is a test.\n\nSecond paragraph.", 40)
	f.Add(strings.Repeat("🌏a ", 100), 41)
	f.Add("\xff\xfe invalid", 50)
	f.Fuzz(func(t *testing.T, text string, body int) {
		if body < MinBody || body > 5000 {
			body = MinBody + (body%1000+1000)%1000
		}
		checkPages(t, text, body)
		// The displayed spans of each page, trimmed, keep the text's words in order.
		b := paginate(text, body)
		m := marked{text: text}
		var words []string
		for i := 0; i+1 < len(b); i++ {
			for _, s := range m.spans(b[i], b[i+1]) {
				words = append(words, s.Text)
			}
		}
		if strings.Join(strings.Fields(strings.Join(words, "")), "") != strings.Join(strings.Fields(text), "") {
			t.Fatalf("trimmed pages lose words")
		}
	})
}

func TestReplyKindString(t *testing.T) {
	tests := []struct {
		k    ReplyKind
		want string
	}{
		{ReplyAnswer, "answer"}, {ReplyByNumber, "by-number"}, {ReplySilent, "silent"}, {ReplyKind(99), "ReplyKind(99)"}, {ReplyKind(-1), "ReplyKind(-1)"},
	}
	for _, tc := range tests {
		if got := tc.k.String(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func TestUTF16Len(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0}, {"abc", 3}, {"é", 1}, {"ж€", 2}, {"🌏", 2}, {"a🌏b", 4}, {"\xff", 1}, {"\xf0\x9f", 2}, {"a\xf0🌏", 4},
	}
	for _, tc := range tests {
		if got := UTF16Len(tc.in); got != tc.want {
			t.Errorf("UTF16Len(%q): got %d, want %d", tc.in, got, tc.want)
		}
	}
}

// The words of the transcript's title name the press conference, as "press" does; the same
// number said twice is one request; who is asked and how exactly are politeness.
func TestNumberRequestInFreeText(t *testing.T) {
	named := titleWords("Answers of the SCO Secretary-General Vladimir Norov to media questions at a press conference")
	tests := []struct {
		in string
		n  int
	}{
		{"Read me number five from the SCO presser.", 5},
		{"Show me the seventh question from the SCO press conference, please.", 7},
		{"Can you pull up the second question from the presser and its answer?", 2},
		{"the last question in the transcript, number ten, what was it?", 10},
		{"last question (10) what was it exactly", 10},
		{"hi guys can someone paste question 9 text 🙏", 9},
		{"Question ten: what exactly was asked and how did he answer?", 10},
		{"what did Norov say in question 4", 4},
		{"whats the 2nd question in this thread about?", 2},
	}
	for _, tc := range tests {
		got, ok := parseNumberRequest(tc.in, 10, named)
		if !ok || got.status != numOK || got.n != tc.n {
			t.Errorf("%q: got %+v, %v; want question %d", tc.in, got, ok, tc.n)
		}
	}
	for _, in := range []string{
		"what did Norov say about the SCO",    // no number
		"SCO 2020",                            // a year, not a question
		"the last question (9)",               // two numbers
		"question 3, number 4",                // two numbers
		"how many questions did the SCO get",  // no number
		"the second wave in SCO countries",    // a word the grammar does not know
		"Read me number five from the summit", // not the title's word
	} {
		if got, ok := parseNumberRequest(in, 10, named); ok {
			t.Errorf("%q: read as a number request %+v", in, got)
		}
	}
	if w := titleWords("Town hall 2024, part two: the mayor's answers"); w["2024"] || w["two"] || !w["mayor's"] || !w["town"] {
		t.Errorf("titleWords: %v", w)
	}
}

func TestNamedWordsHaveSpeakers(t *testing.T) {
	tr, err := transcript.Parse(strings.NewReader("Hurricane briefing\n\n1. When will it hit?\n\nHaverkamp: Late on Tuesday.\n\nColonel Whitlock: The roads close at noon.\n\n2. Where to go?\n\nTo the shelters: there are twelve of them.\n"))
	if err != nil {
		t.Fatal(err)
	}
	named := namedWords(tr)
	for _, w := range []string{"hurricane", "briefing", "haverkamp", "colonel", "whitlock"} {
		if !named[w] {
			t.Errorf("namedWords lacks %q: %v", w, named)
		}
	}
	if named["shelters"] {
		t.Errorf("namedWords took a sentence's opening for a speaker: %v", named)
	}
	if r, ok := parseNumberRequest("can someone paste question 2 and what haverkamp said", tr.Len(), named); !ok || r.n != 2 {
		t.Errorf("got %+v, %v; want question 2", r, ok)
	}
}
