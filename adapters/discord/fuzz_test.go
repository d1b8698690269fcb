package discord

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"transcriptbot/bot"
)

// FuzzDispatch feeds arbitrary interaction JSON to the dispatcher without the panic guard:
// no input may panic, and every message produced must fit Discord's limits.
func FuzzDispatch(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"type":2,"data":{"type":3,"name":"Answer from transcript","target_id":"1","resolved":{"messages":{"1":null}}}}`))
	f.Add([]byte(`{"type":4,"data":{"name":"answer","options":[null,{"name":"number","type":4,"value":1e300,"focused":true}]}}`))
	f.Add([]byte(`{"id":"1","token":"t","type":2,"channel":{"id":5},"data":{"type":3,"name":"Answer from transcript","target_id":"1","resolved":{"messages":{"1":{"components":[{"type":17,"components":[{"type":10,"content":"hi"},{"type":99,"components":[[[]]]}]}]}}}}}`))
	a, err := New(Config{PublicKey: strings.Repeat("ab", 32), Questions: 10}, &fakeHandler{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		i, err := decodeInteraction(raw)
		if err != nil {
			if !errors.Is(err, errMalformed) {
				t.Errorf("decodeInteraction: error %v does not wrap errMalformed", err)
			}
			return
		}
		if i.Type == discordgo.InteractionPing {
			return
		}
		r := a.dispatch(context.Background(), i)
		if r.Type == discordgo.InteractionResponseChannelMessageWithSource || r.Type == discordgo.InteractionResponseUpdateMessage {
			if err := checkLimits(r.Msg); err != nil {
				t.Errorf("response breaks limits: %v", err)
			}
		}
		if len(r.Choices) > maxChoices {
			t.Errorf("%d choices", len(r.Choices))
		}
		for _, c := range r.Choices {
			if u16(c.Name) > maxChoiceName {
				t.Errorf("choice name %q too long", c.Name)
			}
		}
	})
}

// FuzzRenderSpans checks the body renderer on arbitrary text: within the limit, valid UTF-8,
// and no mention left able to ping.
func FuzzRenderSpans(f *testing.F) {
	f.Add("On Hong Kong the *spokesperson* said", "Hong Kong", 100)
	f.Add("@everyone <@1> > quote\n# head", "@here", 20)
	f.Add("🎉🎉🎉\\", "_x_", 5)
	f.Fuzz(func(t *testing.T, plain, hl string, max int) {
		if max < 2 || max > 5000 || !utf8.ValidString(plain) || !utf8.ValidString(hl) {
			return
		}
		got := renderSpans([]bot.Span{{Text: plain}, {Text: hl, Highlight: true}, {Text: plain}}, max)
		if u16(got) > max {
			t.Errorf("got %d units, over %d", u16(got), max)
		}
		if !utf8.ValidString(got) {
			t.Errorf("invalid UTF-8 %q", got)
		}
		if strings.Contains(got, "@everyone") || strings.Contains(got, "@here") || strings.Contains(got, "<@") {
			t.Errorf("mention left in %q", got)
		}
	})
}

// FuzzDecodeMessage: a gateway message of any shape is decoded or refused with an error, never
// a panic, and the text of a Components V2 message is valid UTF-8 when its input is.
func FuzzDecodeMessage(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "message_*.json"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"components":[{"type":10,"content":"a"},{"type":9,"components":[{"type":10,"content":"b"}],"accessory":{"type":10,"content":"c"}}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := decodeMessage(raw)
		if err != nil {
			return
		}
		if utf8.Valid(raw) && !utf8.ValidString(m.Content) {
			t.Errorf("content %q is not valid UTF-8", m.Content)
		}
	})
}
