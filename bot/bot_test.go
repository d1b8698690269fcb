package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"encoding/base64"

	"transcriptbot/matcher"
)

var ctx = context.Background()

func msg(text string) Request {
	return Request{Kind: KindMessage, Text: text, Private: true}
}

func cmd(name, arg string) Request {
	return Request{Kind: KindCommand, Command: name, Text: arg, Private: true}
}

func press(id string) Request {
	return Request{Kind: KindButton, Action: id, Private: true}
}

func TestNumberRequests(t *testing.T) {
	tests := []struct {
		name   string
		req    Request
		kind   ReplyKind
		number int
		text   string // wanted body text, when not empty
	}{
		{"digit", msg("3"), ReplyByNumber, 3, ""},
		{"digit with spaces", msg("  7 \n"), ReplyByNumber, 7, ""},
		{"hash", msg("#3"), ReplyByNumber, 3, ""},
		{"q3", msg("q3"), ReplyByNumber, 3, ""},
		{"Q 3", msg("Q 3"), ReplyByNumber, 3, ""},
		{"question 3", msg("question 3"), ReplyByNumber, 3, ""},
		{"Question 3?", msg("Question 3?"), ReplyByNumber, 3, ""},
		{"answer 3", msg("answer 3"), ReplyByNumber, 3, ""},
		{"raw /answer 3", msg("/answer 3"), ReplyByNumber, 3, ""},
		{"raw /answer@bot 3", msg("/answer@SomeBot 3"), ReplyByNumber, 3, ""},
		{"raw /q3", msg("/q3"), ReplyByNumber, 3, ""},
		{"raw /3", msg("/3"), ReplyByNumber, 3, ""},
		{"three", msg("three"), ReplyByNumber, 3, ""},
		{"Three.", msg("Three."), ReplyByNumber, 3, ""},
		{"third question", msg("third question"), ReplyByNumber, 3, ""},
		{"the third one", msg("the third one"), ReplyByNumber, 3, ""},
		{"3rd", msg("show me the 3rd answer"), ReplyByNumber, 3, ""},
		{"question number ten", msg("question number ten"), ReplyByNumber, 10, ""},
		{"no. 4", msg("No. 4"), ReplyByNumber, 4, ""},
		{"question #4", msg("question #4"), ReplyByNumber, 4, ""},
		{"tenth", msg("the tenth question please"), ReplyByNumber, 10, ""},
		{"last question", msg("last question"), ReplyByNumber, 10, ""},
		{"what was question 2", msg("What was question 2?"), ReplyByNumber, 2, ""},
		{"question two", msg("question two"), ReplyByNumber, 2, ""},
		{"full answer to question 5", msg("full answer to question 5"), ReplyByNumber, 5, ""},
		{"greeting first", msg("Hi! Question 5 please"), ReplyByNumber, 5, ""},
		{"command answer", cmd("answer", "3"), ReplyByNumber, 3, ""},
		{"command answer words", cmd("answer", "third"), ReplyByNumber, 3, ""},
		{"command ANSWER", cmd("ANSWER", " 3 "), ReplyByNumber, 3, ""},
		{"command q3", cmd("q3", ""), ReplyByNumber, 3, ""},
		{"command q with arg", cmd("q", "3"), ReplyByNumber, 3, ""},
		{"command answer_3", cmd("answer_3", ""), ReplyByNumber, 3, ""},
		{"raw /q_3", msg("/q_3"), ReplyByNumber, 3, ""},
		{"command start q3", cmd("start", "q3"), ReplyByNumber, 3, ""},
		{"mention", Request{Kind: KindMention, Text: "q 6"}, ReplyByNumber, 6, ""},

		{"out of range", msg("11"), ReplyInvalid, 0, "There is no question 11. This transcript has questions 1–10."},
		{"out of range words", msg("twenty first question"), ReplyInvalid, 0, "There is no question 21. This transcript has questions 1–10."},
		{"out of range command", cmd("answer", "42"), ReplyInvalid, 0, "There is no question 42. This transcript has questions 1–10."},
		{"out of range q", cmd("q11", ""), ReplyInvalid, 0, "There is no question 11. This transcript has questions 1–10."},
		{"zero", msg("0"), ReplyInvalid, 0, "Questions are numbered from 1. This transcript has questions 1–10."},
		{"zero word", msg("question zero"), ReplyInvalid, 0, "Questions are numbered from 1. This transcript has questions 1–10."},
		{"negative", msg("-1"), ReplyInvalid, 0, "Question numbers cannot be negative. This transcript has questions 1–10."},
		{"negative question", msg("question -3"), ReplyInvalid, 0, "Question numbers cannot be negative. This transcript has questions 1–10."},
		{"negative command", cmd("answer", "-2"), ReplyInvalid, 0, "Question numbers cannot be negative. This transcript has questions 1–10."},
		{"huge", msg("99999999999999999999999999999"), ReplyInvalid, 0, "That number is far too large. This transcript has questions 1–10."},
		{"huge q", msg("q18446744073709551617"), ReplyInvalid, 0, "That number is far too large. This transcript has questions 1–10."},
		{"huge words", msg("question nine hundred trillion"), ReplyInvalid, 0, "That number is far too large. This transcript has questions 1–10."},
		{"huge negative", msg("-99999999999999999999999999"), ReplyInvalid, 0, "Question numbers cannot be negative. This transcript has questions 1–10."},
		{"decimal", msg("3.5"), ReplyInvalid, 0, "“3.5” is not a question number. This transcript has questions 1–10."},
		{"question decimal", msg("question 2.5"), ReplyInvalid, 0, "“2.5” is not a question number. This transcript has questions 1–10."},
		{"q3a", msg("q3a"), ReplyInvalid, 0, "“3a” is not a question number. This transcript has questions 1–10."},
		{"command malformed", cmd("answer", "abc"), ReplyInvalid, 0, "“abc” is not a question number. This transcript has questions 1–10. To ask in your own words, use /ask."},
		{"command 3a", cmd("answer", "3a"), ReplyInvalid, 0, "“3a” is not a question number. This transcript has questions 1–10."},
		{"command empty", cmd("answer", ""), ReplyInvalid, 0, "Which question? Send /answer with its number, for example /answer 1. This transcript has questions 1–10."},
		{"raw empty", msg("/answer"), ReplyInvalid, 0, "Which question? Send /answer with its number, for example /answer 1. This transcript has questions 1–10."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, f := newTestBot(Options{})
			r := b.Handle(ctx, tc.req)
			if r.Kind != tc.kind {
				t.Fatalf("kind: got %v, want %v (body %q)", r.Kind, tc.kind, r.Text())
			}
			if r.Number != tc.number {
				t.Errorf("number: got %d, want %d", r.Number, tc.number)
			}
			if tc.text != "" && r.Text() != tc.text {
				t.Errorf("text: got %q, want %q", r.Text(), tc.text)
			}
			if n := f.calls.Load(); n != 0 {
				t.Errorf("matcher called %d times for a number request", n)
			}
			if tc.kind == ReplyByNumber && (r.Page != 1 || r.Pages < 1 || r.Question == "") {
				t.Errorf("page %d/%d question %q", r.Page, r.Pages, r.Question)
			}
		})
	}
}

// Messages that contain numbers but ask something go to the matcher.
func TestNumbersInsideQuestions(t *testing.T) {
	for _, text := range []string{
		"What happened on 13 April?",
		"19 years",
		"what about 2020?",
		"What is 5G?",
		"5G",
		"one belt one road",
		"first wave",
		"the second wave of the virus",
		"3 countries",
		"questions 3 and 5",
		"trade in 2019 and 2020",
		"is question 3 about trade",
		"one two three",
	} {
		t.Run(text, func(t *testing.T) {
			b, f := newTestBot(Options{})
			r := b.Handle(ctx, msg(text))
			if f.calls.Load() != 1 {
				t.Errorf("matcher calls: got %d, want 1 (reply %v %q)", f.calls.Load(), r.Kind, r.Text())
			}
		})
	}
}

func TestInvalidInput(t *testing.T) {
	tests := []struct {
		name string
		req  Request
		want string
	}{
		{"empty", msg(""), "Please type a question, or send /help to see what I can do."},
		{"spaces", msg(" \t\n "), "Please type a question, or send /help to see what I can do."},
		{"no-break spaces", msg("\u00a0\u3000"), "Please type a question, or send /help to see what I can do."},
		{"too long", msg(strings.Repeat("a", 501)), "That message is too long (501 characters). Please keep questions under 500 characters."},
		{"too long runes", msg(strings.Repeat("я", 600)), "That message is too long (600 characters). Please keep questions under 500 characters."},
		{"NUL", msg("what\x00about trade"), "That message contains control characters. Please send plain text."},
		{"escape", msg("\x1b[31mtrade"), "That message contains control characters. Please send plain text."},
		{"DEL", msg("trade\x7f"), "That message contains control characters. Please send plain text."},
		{"C1", msg("trade\u0085"), "That message contains control characters. Please send plain text."},
		{"invalid UTF-8", msg("trade \xff\xfe"), "That message is not valid text. Please type it again."},
		{"ask empty", cmd("ask", ""), "Type your question after /ask, for example: /ask what was said about cooperation?\n\nThis transcript has questions 1–10."},
		{"ask too long", cmd("ask", strings.Repeat("word ", 101)), "That message is too long (505 characters). Please keep questions under 500 characters."},
		{"ask control", cmd("ask", "a\x07b"), "That message contains control characters. Please send plain text."},
		{"reply too long", Request{Kind: KindCommand, Command: "ask", IsReply: true, Text: strings.Repeat("x", 700)}, "That message is too long (700 characters). Please keep questions under 500 characters."},
		{"unknown command", cmd("frobnicate", ""), "I don't know the command /frobnicate. Send /help to see what I can do."},
		{"unknown raw command", msg("/frobnicate now"), "I don't know the command /frobnicate. Send /help to see what I can do."},
		{"odd command name", cmd("a b<c>", ""), "I don't know that command. Send /help to see what I can do."},
		{"bad list page", cmd("questions", "x"), "“x” is not a page number. Send /questions for the first page."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, f := newTestBot(Options{})
			r := b.Handle(ctx, tc.req)
			if r.Kind != ReplyInvalid {
				t.Errorf("kind: got %v, want %v", r.Kind, ReplyInvalid)
			}
			if got := r.Text(); got != tc.want {
				t.Errorf("text: got %q, want %q", got, tc.want)
			}
			if n := f.calls.Load(); n != 0 {
				t.Errorf("matcher called %d times for invalid input", n)
			}
		})
	}
}

func TestInputCap(t *testing.T) {
	tests := []struct {
		name     string
		max      int
		text     string
		wantKind ReplyKind
	}{
		{"default cap, at the limit", 0, strings.Repeat("é", 500), ReplyNotCovered},
		{"default cap, over", 0, strings.Repeat("é", 501), ReplyInvalid},
		{"custom cap, over", 10, "what about trade?", ReplyInvalid},
		{"custom cap, within", 20, "what about trade?", ReplyNotCovered},
		{"tabs and newlines are fine", 0, "trade\tand\r\nsecurity", ReplyNotCovered},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, _ := newTestBot(Options{MaxInput: tc.max})
			if got := b.Handle(ctx, msg(tc.text)).Kind; got != tc.wantKind {
				t.Errorf("kind: got %v, want %v", got, tc.wantKind)
			}
		})
	}
}

func TestSmallTalkReplies(t *testing.T) {
	tests := []struct {
		text string
		want string
	}{
		{"hi", "Hello! Ask me anything about “Test press conference”, or send /help to see how."},
		{"Hello!", "Hello! Ask me anything about “Test press conference”, or send /help to see how."},
		{"good morning", "Hello! Ask me anything about “Test press conference”, or send /help to see how."},
		{"heyyy there 👋", "Hello! Ask me anything about “Test press conference”, or send /help to see how."},
		{"thanks a lot", "You're welcome! Ask another question any time."},
		{"Thank you so much!!", "You're welcome! Ask another question any time."},
		{"ok thanks", "You're welcome! Ask another question any time."},
		{"hi, thanks", "You're welcome! Ask another question any time."},
		{"bye", "Goodbye! Come back with more questions any time."},
		{"how are you?", "I'm fine, thank you! What would you like to know about “Test press conference”?"},
		{"ok", "Anything else? Ask away, or send /questions for the list."},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			b, f := newTestBot(Options{})
			r := b.Handle(ctx, msg(tc.text))
			if r.Kind != ReplySmallTalk {
				t.Fatalf("kind: got %v, want %v", r.Kind, ReplySmallTalk)
			}
			if got := r.Text(); got != tc.want {
				t.Errorf("text: got %q, want %q", got, tc.want)
			}
			if f.calls.Load() != 0 {
				t.Errorf("matcher called for small talk")
			}
		})
	}
}

func TestHelpAndStart(t *testing.T) {
	b, _ := newTestBot(Options{})
	for _, req := range []Request{cmd("help", ""), cmd("start", ""), msg("/start"), msg("help"), cmd("start", "garbage-payload")} {
		r := b.Handle(ctx, req)
		if r.Kind != ReplyHelp {
			t.Fatalf("%+v: kind got %v, want %v", req, r.Kind, ReplyHelp)
		}
		for _, want := range []string{"“Test press conference”", "/questions", "/answer N", "/ask", "questions 1–10"} {
			if !strings.Contains(r.Text(), want) {
				t.Errorf("%+v: help %q lacks %q", req, r.Text(), want)
			}
		}
		if r.Source != "Test press conference" {
			t.Errorf("source: got %q, want %q", r.Source, "Test press conference")
		}
	}
	if got := b.Handle(ctx, cmd("start", "")).Text(); !strings.HasPrefix(got, "Hello! ") {
		t.Errorf("start: got %q, want a greeting first", got)
	}
	group := b.Handle(ctx, Request{Kind: KindCommand, Command: "help"})
	if !strings.Contains(group.Text(), "In a group, mention me or use /ask.") {
		t.Errorf("group help %q lacks the group hint", group.Text())
	}
}

func TestFreeTextAnswer(t *testing.T) {
	var misses []string
	b, f := newTestBot(Options{OnMiss: func(q string) { misses = append(misses, q) }})
	text := "Topic 4 is discussed here. It has a second sentence."
	f.matches["tell me about topic four"] = matcher.Match{
		Number: 4, Confidence: 0.8, Terms: []string{"topic"},
		Alternatives: []matcher.Alternative{{Number: 7, Confidence: 0.3}, {Number: 4, Confidence: 0.2}, {Number: 99, Confidence: 0.1}, {Number: 2, Confidence: 0.1}},
		Excerpt: matcher.Excerpt{Text: text, Highlights: []matcher.Highlight{
			{Start: 0, End: 5}, {Start: 2, End: 9}, {Start: 27, End: 29}, {Start: 40, End: 200},
		}},
	}
	r := b.Handle(ctx, msg("tell me about topic four"))
	if r.Kind != ReplyAnswer || r.Number != 4 {
		t.Fatalf("got %v %d, want answer 4", r.Kind, r.Number)
	}
	if r.Question != "What is the position on topic 4 and its future?" {
		t.Errorf("question: got %q", r.Question)
	}
	wantSpans := []Span{{"Topic", true}, {" 4 is discussed here. ", false}, {"It", true}, {" has a second sentence.", false}}
	if fmt.Sprint(r.Body) != fmt.Sprint(wantSpans) {
		t.Errorf("body: got %q, want %q", fmt.Sprint(r.Body), fmt.Sprint(wantSpans))
	}
	if r.Text() != text {
		t.Errorf("text: got %q, want %q", r.Text(), text)
	}
	if len(r.Actions) != 2 || r.Actions[0].Label != "Full answer" || r.Actions[1].Label != "Other matches" {
		t.Fatalf("actions: got %+v", r.Actions)
	}
	if fmt.Sprint(r.Others) != "[7 2]" || r.Choices != nil {
		t.Errorf("others, choices: got %v, %v, want [7 2] (the answer and 99 left out), none", r.Others, r.Choices)
	}
	full := b.Handle(ctx, press(r.Actions[0].ID))
	if full.Kind != ReplyByNumber || full.Number != 4 || full.Text() != "Topic 4 is discussed here. It has a second sentence.\n\nA second paragraph." {
		t.Errorf("full answer: got %v %d %q", full.Kind, full.Number, full.Text())
	}
	other := b.Handle(ctx, press(r.Actions[1].ID))
	var labels []string
	for _, a := range other.Actions {
		labels = append(labels, a.Label)
	}
	if want := "7. What is the position on topic 7 and its future?|2. What is the position on topic 2 and its future?"; strings.Join(labels, "|") != want {
		t.Errorf("other matches: got %q, want %q", strings.Join(labels, "|"), want)
	}
	if other.Kind != ReplyAmbiguous || fmt.Sprint(other.Choices) != "[7 2]" {
		t.Errorf("other matches: got %v choices %v, want ambiguous [7 2]", other.Kind, other.Choices)
	}
	if len(misses) != 0 {
		t.Errorf("OnMiss called for an answer: %q", misses)
	}
}

func TestNotCoveredAndAmbiguous(t *testing.T) {
	var mu sync.Mutex
	var misses []string
	b, f := newTestBot(Options{OnMiss: func(q string) { mu.Lock(); misses = append(misses, q); mu.Unlock() }})

	r := b.Handle(ctx, msg("what is the weather on Mars"))
	if r.Kind != ReplyNotCovered || !strings.HasPrefix(r.Text(), "The transcript does not cover that.") {
		t.Fatalf("got %v %q, want not covered", r.Kind, r.Text())
	}
	// Declined near the threshold: the reply says it found no clear answer, not that there
	// is none, and offers the same nearest questions.
	f.mu.Lock()
	f.matches["which city hosts the summit"] = matcher.Match{Confidence: 0.45, Alternatives: []matcher.Alternative{{Number: 10, Confidence: 0.45}, {Number: 8, Confidence: 0.4}}}
	f.mu.Unlock()
	unsure := b.Handle(ctx, msg("which city hosts the summit"))
	if unsure.Kind != ReplyNotCovered || !strings.HasPrefix(unsure.Text(), "I found no clear answer to that in the transcript.") || fmt.Sprint(unsure.Choices) != "[10 8]" {
		t.Errorf("unsure: got %v %q %v", unsure.Kind, unsure.Text(), unsure.Choices)
	}
	// Declined on a message mostly unread (another language's words): the reply says it
	// could not read it, not that the transcript does not cover it, even near the threshold.
	f.mu.Lock()
	f.matches["sınır anlaşmazlığı nasıl çözülür"] = matcher.Match{Confidence: 0.45, Unread: 3, Read: 1, Alternatives: []matcher.Alternative{{Number: 6, Confidence: 0.45}}}
	f.matches["galwan clashes and the sco"] = matcher.Match{Confidence: 0.1, Unread: 1, Read: 2}
	f.mu.Unlock()
	unread := b.Handle(ctx, msg("sınır anlaşmazlığı nasıl çözülür"))
	if unread.Kind != ReplyNotCovered || !strings.HasPrefix(unread.Text(), "I did not recognise most of the words in that") || !strings.Contains(unread.Text(), "question 1") || fmt.Sprint(unread.Choices) != "[6]" {
		t.Errorf("unread: got %v %q %v", unread.Kind, unread.Text(), unread.Choices)
	}
	if few := b.Handle(ctx, msg("galwan clashes and the sco")); !strings.HasPrefix(few.Text(), "The transcript does not cover that.") {
		t.Errorf("one unread word of three: got %q, want not covered", few.Text())
	}
	if len(r.Actions) != 3 || !strings.HasPrefix(r.Actions[0].Label, "2. ") || !strings.HasPrefix(r.Actions[1].Label, "5. ") || r.Actions[2].Label != "All questions" {
		t.Errorf("actions: got %+v", r.Actions)
	}
	if fmt.Sprint(r.Choices) != "[2 5]" {
		t.Errorf("nearest: got %v, want [2 5]", r.Choices)
	}
	if len(misses) != 4 || misses[0] != "what is the weather on Mars" || misses[1] != "which city hosts the summit" {
		t.Errorf("misses: got %q, want both declined questions", misses)
	}
	if got := b.Handle(ctx, press(r.Actions[0].ID)); got.Kind != ReplyByNumber || got.Number != 2 {
		t.Errorf("nearest question button: got %v %d", got.Kind, got.Number)
	}

	f.matches["security"] = matcher.Match{Number: 6, Ambiguous: true, Confidence: 0.5,
		Alternatives: []matcher.Alternative{{Number: 8, Confidence: 0.49}, {Number: 1, Confidence: 0.3}}}
	r = b.Handle(ctx, msg("security"))
	if r.Kind != ReplyAmbiguous || r.Text() != "Did you mean…" {
		t.Fatalf("got %v %q, want did you mean", r.Kind, r.Text())
	}
	var labels []string
	for _, a := range r.Actions {
		labels = append(labels, a.Label[:min(2, len(a.Label))])
	}
	if got, want := strings.Join(labels, "|"), "6.|8.|1.|No"; got != want {
		t.Errorf("choices: got %q, want %q", got, want)
	}
	if fmt.Sprint(r.Choices) != "[6 8 1]" || r.Others != nil {
		t.Errorf("choices, others: got %v, %v, want [6 8 1], none", r.Choices, r.Others)
	}
	misses = nil
	none := b.Handle(ctx, press(r.Actions[3].ID))
	if none.Kind != ReplyNotCovered {
		t.Errorf("none of these: got %v", none.Kind)
	}
	if len(misses) != 1 || misses[0] != "security" {
		t.Errorf("misses after none of these: got %q, want [security]", misses)
	}

	// A query too long for the id even packed: the button still works, but has no query for
	// OnMiss to report.
	var noise strings.Builder
	for i, x := 0, uint32(7); i < 120; i++ {
		x = x*1103515245 + 12345
		noise.WriteByte("abcdefghijklmnopqrstuvwxyz "[x>>16%27])
	}
	long := noise.String()
	f.matches[long] = f.matches["security"]
	r = b.Handle(ctx, msg(long))
	misses = nil
	last := r.Actions[len(r.Actions)-1]
	if len(last.ID) > MaxActionID {
		t.Fatalf("id %q is %d bytes", last.ID, len(last.ID))
	}
	if got := b.Handle(ctx, press(last.ID)).Kind; got != ReplyNotCovered || len(misses) != 0 {
		t.Errorf("long none of these: got %v, misses %q", got, misses)
	}
}

func TestMatcherOutOfRange(t *testing.T) {
	b, f := newTestBot(Options{})
	f.matches["bad"] = matcher.Match{Number: 42}
	if got := b.Handle(ctx, msg("bad")).Kind; got != ReplyError {
		t.Errorf("kind: got %v, want %v", got, ReplyError)
	}
}

func TestNoTranscript(t *testing.T) {
	b := New(nil, Options{})
	if got := b.Handle(ctx, msg("hi")).Kind; got != ReplyError {
		t.Errorf("kind: got %v, want %v", got, ReplyError)
	}
	if got := b.Suggest(ctx, SuggestRequest{Query: "1", Max: 5}); got != nil {
		t.Errorf("suggest: got %v, want nil", got)
	}
}

// pages follows "next page" buttons from r and returns every page.
func pages(t *testing.T, b *Bot, r Reply, lim Limits) []Reply {
	t.Helper()
	out := []Reply{r}
	for len(out) < 1000 {
		var next string
		for _, a := range r.Actions {
			if strings.HasPrefix(a.Label, "Next") {
				next = a.ID
			}
		}
		if next == "" {
			return out
		}
		req := press(next)
		req.Limits = lim
		r = b.Handle(ctx, req)
		out = append(out, r)
	}
	t.Fatal("too many pages")
	return nil
}

func TestAnswerPaging(t *testing.T) {
	tr := testTranscript(10, "x")
	answer := answerText(&tr.Entries[2])
	for _, body := range []int{0, 1, 41, 100, 333, 1000, 2000, 3000} {
		t.Run(fmt.Sprint(body), func(t *testing.T) {
			b, _ := newTestBot(Options{})
			lim := Limits{Body: body, Title: 50}
			req := msg("3")
			req.Limits = lim
			got := pages(t, b, b.Handle(ctx, req), lim)
			norm := lim.normalize()
			var all []string
			for i, p := range got {
				if p.Kind != ReplyByNumber || p.Number != 3 {
					t.Fatalf("page %d: got %v %d", i+1, p.Kind, p.Number)
				}
				if p.Page != i+1 || p.Pages != len(got) {
					t.Errorf("page %d: labelled %d/%d, want %d/%d", i+1, p.Page, p.Pages, i+1, len(got))
				}
				units := UTF16Len(p.Text()) + LabelReserve(p.Pages)
				if units > norm.Body {
					t.Errorf("page %d: %d units with label, limit %d", i+1, units, norm.Body)
				}
				if UTF16Len(p.Question) > 50 || !strings.HasSuffix(p.Question, "…") {
					t.Errorf("question %q not cut to 50 units with an ellipsis", p.Question)
				}
				if !utf8.ValidString(p.Text()) {
					t.Errorf("page %d is not valid UTF-8", i+1)
				}
				for _, a := range p.Actions {
					if len(a.ID) > MaxActionID {
						t.Errorf("action id %q over %d bytes", a.ID, MaxActionID)
					}
				}
				all = append(all, p.Text())
			}
			if gotW, wantW := strings.Fields(strings.Join(all, "")), strings.Fields(answer); strings.Join(gotW, "") != strings.Join(wantW, "") {
				t.Errorf("pages do not reassemble to the answer")
			}
			if body == 0 && len(got) != 1 {
				t.Errorf("default limit: %d pages, want 1", len(got))
			}
			if body == 333 && len(got) < 3 {
				t.Errorf("body 333: %d pages, want several", len(got))
			}
			// Previous from the last page goes back.
			lastPage := got[len(got)-1]
			for _, a := range lastPage.Actions {
				if strings.HasPrefix(a.Label, "◀") {
					req := press(a.ID)
					req.Limits = lim
					if prev := b.Handle(ctx, req); prev.Page != len(got)-1 || prev.Text() != got[len(got)-2].Text() {
						t.Errorf("previous: got page %d %q", prev.Page, prev.Text())
					}
				}
			}
		})
	}
}

func TestList(t *testing.T) {
	for _, lim := range []Limits{{}, {Body: 200, Title: 40}, {Body: 40}} {
		t.Run(fmt.Sprint(lim), func(t *testing.T) {
			b, _ := newTestBot(Options{})
			req := cmd("questions", "")
			req.Limits = lim
			first := b.Handle(ctx, req)
			got := pages(t, b, first, lim)
			norm := lim.normalize()
			seen := map[int]bool{}
			for i, p := range got {
				if p.Kind != ReplyList || p.Page != i+1 || p.Pages != len(got) {
					t.Fatalf("page %d: got %v %d/%d", i+1, p.Kind, p.Page, p.Pages)
				}
				if units := UTF16Len(p.Text()) + LabelReserve(p.Pages); units > norm.Body {
					t.Errorf("page %d: %d units, limit %d", i+1, units, norm.Body)
				}
				for _, a := range p.Actions {
					r := b.Handle(ctx, press(a.ID))
					if r.Kind == ReplyByNumber {
						if seen[r.Number] {
							t.Errorf("question %d on two pages", r.Number)
						}
						seen[r.Number] = true
					}
				}
			}
			if len(seen) != 10 {
				t.Errorf("list opens %d questions, want 10", len(seen))
			}
			if lim == (Limits{}) && len(got) != 1 {
				t.Errorf("default limits: %d pages, want 1", len(got))
			}
		})
	}
	b, _ := newTestBot(Options{})
	if r := b.Handle(ctx, cmd("questions", "99")); r.Kind != ReplyList || r.Page != r.Pages {
		t.Errorf("/questions 99: got %v page %d/%d, want the last page", r.Kind, r.Page, r.Pages)
	}
	if r := b.Handle(ctx, msg("list of questions")); r.Kind != ReplyList {
		t.Errorf("list of questions: got %v", r.Kind)
	}
}

func TestButtonsExpire(t *testing.T) {
	b, _ := newTestBot(Options{})
	v := b.Version()
	packed := func(q string) string {
		p, ok := b.state.Load().packer.pack(q, 1000)
		if !ok {
			t.Fatalf("cannot pack %q", q)
		}
		return base64.RawURLEncoding.EncodeToString(p)
	}
	good := []string{v + ":f:3", v + ":p:3:1", v + ":l:1", v + ":o:1.2.3", v + ":n", v + ":n:" + packed("security")}
	for _, id := range good {
		if r := b.Handle(ctx, press(id)); r.Kind == ReplyExpired {
			t.Errorf("%q: expired, want it to work", id)
		}
	}
	bad := []string{
		"", "x", v, v + ":", v + ":f", v + ":f:", v + ":f:0", v + ":f:11", v + ":f:03", v + ":f:+3", v + ":f:-3",
		v + ":f:3:1", v + ":f:3.0", v + ":f:9999999", v + ":f:99999999999999999999", v + ":p:3", v + ":p:3:0",
		v + ":p:3:99", v + ":p:11:1", v + ":p:3:1:1", v + ":l:0", v + ":l:2", v + ":l:x", v + ":o:", v + ":o:1.1",
		v + ":o:1..2", v + ":o:11", v + ":o:1.2.3.4.5.6", v + ":n:!!", v + ":n:AA", v + ":n:c2VjdXJpdHk", v + ":n:" + packed("\x1b[31m"),
		v + ":n:" + packed(strings.Repeat("a", 501)), v + ":n:" + packed(" "),
		v + ":q:3", v + ":F:3", "bbbb2222:f:3", "aaaa111:f:3", "aaaa11111:f:3", ":f:3", "f:3",
		v + ":f:3" + strings.Repeat(" ", 60), v + ":f:\xff", v + ":l:1\x00",
	}
	for _, id := range bad {
		r := b.Handle(ctx, press(id))
		if r.Kind != ReplyExpired || r.Text() != "This button has expired — ask again." {
			t.Errorf("%q: got %v %q, want expired", id, r.Kind, r.Text())
		}
		if len(r.Actions) != 1 || b.Handle(ctx, press(r.Actions[0].ID)).Kind != ReplyList {
			t.Errorf("%q: expired reply should offer the current list, got %+v", id, r.Actions)
		}
	}
}

func TestActionRoundTrip(t *testing.T) {
	tests := []action{
		{verb: verbFull, n: 1}, {verb: verbFull, n: 999999}, {verb: verbPage, n: 3, page: 2},
		{verb: verbList, page: 7}, {verb: verbOther, others: []int{5, 7, 2}}, {verb: verbOther, others: []int{1}},
		{verb: verbNone}, {verb: verbNone, packed: []byte("what about Hong Kong?")}, {verb: verbNone, packed: []byte{0, 1, 2, 255}},
	}
	for _, a := range tests {
		id := a.encode("abcdef12")
		if len(id) > MaxActionID {
			t.Errorf("%+v: id %q is %d bytes", a, id, len(id))
		}
		got, ok := parseAction(id, "abcdef12")
		if !ok || fmt.Sprint(got) != fmt.Sprint(a) {
			t.Errorf("round trip of %+v: got %+v, %v (id %q)", a, got, ok, id)
		}
		if _, ok := parseAction(id, "abcdef13"); ok {
			t.Errorf("%q parsed under another version", id)
		}
	}
	long := action{verb: verbNone, packed: []byte(strings.Repeat("x", 40))}
	if got, _ := parseAction(long.encode("abcdef12"), "abcdef12"); got.packed != nil {
		t.Errorf("a query too long for the id was carried: %q", got.packed)
	}
}

func TestReload(t *testing.T) {
	b, _ := newTestBot(Options{})
	oldVersion := b.Version()
	r := b.Handle(ctx, msg("3"))
	lim := Limits{Body: 200}
	req := msg("3")
	req.Limits = lim
	paged := b.Handle(ctx, req)

	t2 := testTranscript(4, "cccc3333")
	f2 := &fakeEngine{t: t2, matches: map[string]matcher.Match{}}
	b.load(f2, t2)
	if b.Version() == oldVersion {
		t.Fatal("version unchanged after reload")
	}
	for _, a := range append(r.Actions, paged.Actions...) {
		if got := b.Handle(ctx, press(a.ID)); got.Kind != ReplyExpired {
			t.Errorf("old id %q: got %v, want expired", a.ID, got.Kind)
		}
	}
	if got := b.Handle(ctx, msg("5")).Text(); got != "There is no question 5. This transcript has questions 1–4." {
		t.Errorf("after reload: got %q", got)
	}
	if got := b.Handle(ctx, press(b.Version()+":f:4")); got.Kind != ReplyByNumber {
		t.Errorf("new id: got %v", got.Kind)
	}
}

func TestVersionFallback(t *testing.T) {
	a, b := testTranscript(3, ""), testTranscript(3, "has:colon")
	if va, vb := version(a), version(b); va != vb || len(va) != 8 || strings.Contains(va, ":") {
		t.Errorf("fallback versions: got %q and %q, want equal 8-character hashes", va, vb)
	}
	c := testTranscript(4, "")
	if version(a) == version(c) {
		t.Errorf("different transcripts share fallback version %q", version(a))
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		query string
		max   int
		want  []int
	}{
		{"1", 5, []int{1, 10}},
		{"q1", 5, []int{1, 10}},
		{"#3", 5, []int{3}},
		{"", 3, []int{1, 2, 3}},
		{"third", 5, []int{3, 4, 2, 7, 9}},
		{"trade", 2, []int{4, 2}},
		{"trade", 0, nil},
		{"11", 5, []int{4, 2, 7, 9}},
		{"a\x00b", 5, nil},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			b, _ := newTestBot(Options{})
			rs := b.Suggest(ctx, SuggestRequest{Query: tc.query, Max: tc.max, Limits: Limits{Body: 100, Title: 30}})
			var got []int
			for _, r := range rs {
				got = append(got, r.Number)
				if r.Kind != ReplyAnswer || r.Pages != 1 || r.Question == "" || r.Text() == "" || UTF16Len(r.Text()) > 100 || UTF16Len(r.Question) > 30 {
					t.Errorf("reply %d: %v pages %d question %q body %q", r.Number, r.Kind, r.Pages, r.Question, r.Text())
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestReplyHelpers(t *testing.T) {
	tests := []struct {
		r     Reply
		label string
		text  string
	}{
		{Reply{}, "", ""},
		{Reply{Page: 1, Pages: 1, Body: []Span{{Text: "a"}}}, "", "a"},
		{Reply{Page: 2, Pages: 3, Body: []Span{{Text: "a "}, {Text: "b", Highlight: true}, {Text: "."}}}, "(2/3)", "a b."},
	}
	for _, tc := range tests {
		if got := tc.r.PageLabel(); got != tc.label {
			t.Errorf("PageLabel: got %q, want %q", got, tc.label)
		}
		if got := tc.r.Text(); got != tc.text {
			t.Errorf("Text: got %q, want %q", got, tc.text)
		}
	}
}

// TestConcurrentHandleAndReload exists for the race detector (go test -race): eight
// goroutines ask, press buttons and ask for suggestions while one reloads the transcript. It
// also checks every reply: never an internal error, a number always answered by that
// question (or refused when a reload left it out), a button of an older version either served
// or expired, suggestions within their limit; and the last version loaded is the one in use.
func TestConcurrentHandleAndReload(t *testing.T) {
	b, _ := newTestBot(Options{OnMiss: func(string) {}})
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				switch i % 5 {
				case 0:
					n := i % 12
					r := b.Handle(ctx, msg(fmt.Sprint(n)))
					switch {
					case n >= 1 && n <= 10 && (r.Kind != ReplyByNumber || r.Number != n):
						t.Errorf("%d: got %v %d, want question %d by number", n, r.Kind, r.Number, n)
					case n == 0 && r.Kind != ReplyInvalid, n == 11 && r.Kind != ReplyByNumber && r.Kind != ReplyInvalid:
						t.Errorf("%d: got %v, want it answered or refused", n, r.Kind)
					}
				case 1:
					if r := b.Handle(ctx, msg("what about trade")); r.Kind == ReplyError {
						t.Errorf("free text: got an internal error %+v", r)
					}
				case 2:
					r := b.Handle(ctx, press(b.Version()+":p:3:2"))
					if r.Kind != ReplyExpired && (r.Kind != ReplyByNumber || r.Number != 3) {
						t.Errorf("page button: got %v %d, want page 2 of question 3 or expired", r.Kind, r.Number)
					}
				case 3:
					if got := b.Suggest(ctx, SuggestRequest{Query: "1", Max: 5}); len(got) == 0 || len(got) > 5 {
						t.Errorf("suggest: got %d replies, want 1..5", len(got))
					}
				case 4:
					if g == 0 {
						tr := testTranscript(10+i%3, fmt.Sprintf("v%07d", i))
						b.load(&fakeEngine{t: tr, matches: map[string]matcher.Match{}}, tr)
					}
				}
			}
		}(g)
	}
	wg.Wait()
	if got, want := b.Version(), "v0000199"; got != want {
		t.Errorf("version after the reloads: got %q, want %q", got, want)
	}
}

func TestSuggestNumberPrefixLarge(t *testing.T) {
	tr := testTranscript(150, "dddd4444")
	b := New(nil, Options{})
	b.load(&fakeEngine{t: tr, matches: map[string]matcher.Match{}}, tr)
	tests := []struct {
		query string
		max   int
		want  []int
	}{
		{"1", 5, []int{1, 10, 11, 12, 13}},
		{"15", 5, []int{15, 150}},
		{"q14", 20, []int{14, 140, 141, 142, 143, 144, 145, 146, 147, 148, 149}},
		{"9", 3, []int{9, 90, 91}},
		{"150", 5, []int{150}},
	}
	for _, tc := range tests {
		var got []int
		for _, r := range b.Suggest(ctx, SuggestRequest{Query: tc.query, Max: tc.max}) {
			got = append(got, r.Number)
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("Suggest(%q, %d): got %v, want %v", tc.query, tc.max, got, tc.want)
		}
	}
}

func TestListLarge(t *testing.T) {
	tr := testTranscript(10_000, "eeee5555")
	b := New(nil, Options{})
	b.load(&fakeEngine{t: tr, matches: map[string]matcher.Match{}}, tr)
	tests := []struct {
		req       Request
		kind      ReplyKind
		page      int
		firstLine string
	}{
		{cmd("questions", ""), ReplyList, 1, "1. What is the position on topic 1 and its future?"},
		{press("eeee5555:l:537"), ReplyList, 537, "5361. What is the position on topic 5361 and its future?"},
		{press("eeee5555:l:1000"), ReplyList, 1000, "9991. What is the position on topic 9991 and its future?"},
		{cmd("questions", "5000"), ReplyList, 1000, "9991. What is the position on topic 9991 and its future?"},
		{press("eeee5555:l:1001"), ReplyExpired, 1, ""},
	}
	for _, tc := range tests {
		r := b.Handle(ctx, tc.req)
		if r.Kind != tc.kind || r.Page != tc.page {
			t.Errorf("%+v: got %v page %d, want %v page %d", tc.req, r.Kind, r.Page, tc.kind, tc.page)
			continue
		}
		if first, _, _ := strings.Cut(r.Text(), "\n"); tc.firstLine != "" && first != tc.firstLine {
			t.Errorf("%+v: first line got %q, want %q", tc.req, first, tc.firstLine)
		}
		if tc.kind == ReplyList && (r.Pages != 1000 || UTF16Len(r.Text())+LabelReserve(r.Pages) > DefaultBody) {
			t.Errorf("%+v: %d pages, %d units", tc.req, r.Pages, UTF16Len(r.Text()))
		}
	}
}

func TestActionQuestion(t *testing.T) {
	tests := []struct {
		id   string
		want int
	}{
		{"abcd1234:f:3", 3},
		{"abcd1234:p:12:2", 12},
		{"abcd1234:l:1", 0},
		{"abcd1234:o:5.7", 0},
		{"abcd1234:n", 0},
		{"abcd1234:f:03", 0},
		{"abcd1234:f:x", 0},
		{"f:3", 0},
		{"", 0},
	}
	for _, tc := range tests {
		if got := (Action{ID: tc.id}).Question(); got != tc.want {
			t.Errorf("Action{ID: %q}.Question() = %d, want %d", tc.id, got, tc.want)
		}
	}
}
