package telegram

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"transcriptbot/adapters/dedup"
	"transcriptbot/bot"
)

// FuzzUpdate feeds arbitrary update JSON through decoding, routing and rendering: nothing
// panics, and whatever would be sent is valid HTML within the limit.
func FuzzUpdate(f *testing.F) {
	seeds := []string{
		`{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"text":"/start q3"}}`,
		`{"update_id":2,"message":{"message_id":1,"date":1,"chat":{"id":-1,"type":"supergroup"},"text":"/ask@ThisBot","reply_to_message":{"message_id":0,"date":1,"text":"x"}}}`,
		`{"update_id":3,"callback_query":{"id":"c","data":"x"}}`,
		`{"update_id":4,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"text":"/a","entities":[{"type":"bot_command","offset":0,"length":500}]}}`,
		`{"update_id":5,"inline_query":{"id":"i","query":"@ThisBot <b>"}}`,
		`{"update_id":6,"message":{"message_id":1,"date":1,"chat":{"id":-1,"type":"group"},"text":"@thisbot\u0000\ud83d"}}`,
		`{"update_id":7,"edited_message":{"message_id":1,"date":1,"edit_date":2,"chat":{"id":1,"type":"private"},"text":"fixed"}}`,
		`{"update_id":8,"my_chat_member":{"chat":{"id":-1,"type":"group"},"from":{"id":5},"date":1,"old_chat_member":{"status":"left","user":{"id":777}},"new_chat_member":{"status":"member","user":{"id":777}}}}`,
		`{"update_id":9,"my_chat_member":{"chat":{"id":-1,"type":"group"},"old_chat_member":{},"new_chat_member":{"status":"administrator"}}}`,
		`{"update_id":10,"message":{"message_id":2,"date":1,"chat":{"id":-1,"type":"supergroup"},"text":"the first one","reply_to_message":{"message_id":1,"date":1,"from":{"id":777},"text":"x","reply_markup":{"inline_keyboard":[[{"text":"a","callback_data":"v:f:3"},{"text":"b"}]]}}}}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		in, ok, err := decodeUpdate(raw)
		if err != nil || !ok {
			return
		}
		p := route(in, testSelf)
		if p.kind == planIgnore {
			return
		}
		rep := echoReply(p.req)
		r := render(rep)
		if _, err := checkHTML(r.HTML); err != nil {
			t.Fatalf("render of %q: %v", p.req.Text, err)
		}
	})
}

// FuzzRender renders arbitrary text: always valid HTML within Telegram's limit.
func FuzzRender(f *testing.F) {
	f.Add("Q <1>", "body & more", "hl", 2, 3)
	f.Add("", "\n\n", "", 0, 0)
	f.Add(strings.Repeat("😀", 300), strings.Repeat("a&<", 3000), "x", 1, 1)
	f.Fuzz(func(t *testing.T, q, body, hl string, page, pages int) {
		rep := bot.Reply{Number: page, Question: q, Body: []bot.Span{{Text: body}, {Text: hl, Highlight: true}}, Page: page, Pages: pages}
		r := render(rep)
		if r.empty() {
			return
		}
		n, err := checkHTML(r.HTML)
		if err != nil {
			if utf8.ValidString(r.HTML) {
				t.Fatalf("render(%q, %q): %v", q, body, err)
			}
			t.Fatalf("render produced invalid UTF-8")
		}
		if n != r.Visible {
			t.Fatalf("visible length: got %d, want %d", r.Visible, n)
		}
	})
}

type failingDedup struct{}

var _ dedup.Deduper = failingDedup{}

func (failingDedup) FirstSeen(context.Context, string) (bool, error) {
	return false, errors.New("redis: connection refused")
}

func (failingDedup) Forget(context.Context, string) error {
	return errors.New("redis: connection refused")
}

type panickySuggest struct{ fakeHandler }

func (*panickySuggest) Suggest(context.Context, bot.SuggestRequest) []bot.Reply {
	panic("suggest boom")
}

// TestFailOpen: a failing dedup store still lets questions through (logged), and a panicking
// Suggest answers the inline query with no results.
func TestFailOpen(t *testing.T) {
	e := newEnv(t)
	e.cfg.Dedup = failingDedup{}
	h := &panickySuggest{}
	a, err := New(context.Background(), e.cfg, h)
	if err != nil {
		t.Fatal(err)
	}
	e.fake.Push(
		message(msg(1, privateChat(5), 5, "hi")),
		map[string]any{"inline_query": map[string]any{"id": "iq", "from": user(5), "query": "x", "offset": ""}},
	)
	stop := run(t, a)
	waitFor(t, "answers", func() bool {
		return len(e.fake.SentTexts()) == 1 && len(e.fake.Calls("answerInlineQuery")) == 1
	})
	_ = stop()
	if got := e.fake.Calls("answerInlineQuery")[0].Params["results"]; got != "[]" {
		t.Errorf("inline results: got %q, want %q", got, "[]")
	}
	logs := e.logs.String()
	for _, want := range []string{"dedup store failed", "suggest panicked"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q", want)
		}
	}
}

// TestFakeAPIAcceptsJSON: the fake Bot API takes JSON bodies as Telegram does, not only forms.
func TestFakeAPIAcceptsJSON(t *testing.T) {
	f := newFakeAPI(t)
	body := `{"chat_id":5,"text":"<b>hi</b> &amp; bye","parse_mode":"HTML","reply_markup":{"inline_keyboard":[[{"text":"x","callback_data":"d"}]]}}`
	resp, err := http.Post(f.URL+"/bot"+testToken+"/sendMessage", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("got %d, want 200; problems %q", resp.StatusCode, f.Violations())
	}
	got := f.Calls("sendMessage")[0].Params
	if got["chat_id"] != "5" || got["text"] != "<b>hi</b> &amp; bye" {
		t.Errorf("got %v", got)
	}
	resp, err = http.Post(f.URL+"/bot"+testToken+"/sendMessage", "application/json", strings.NewReader(`{"chat_id":5,"text":"a < b","parse_mode":"HTML"}`))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unescaped '<': got %d, want 400", resp.StatusCode)
	}
}
