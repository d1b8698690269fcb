package discord

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"transcriptbot/bot"
	"transcriptbot/matcher/archive"
	"transcriptbot/transcript"
)

// briefingsFake offers a period and two briefings, recording what it was asked.
type briefingsFake struct{ queries []string }

func (f *briefingsFake) choices(query string, max int) []bot.BriefingChoice {
	f.queries = append(f.queries, query)
	out := []bot.BriefingChoice{{Name: "All briefings of 2020", Value: "2020", Period: true},
		{Name: "2020-06-12 · " + strings.Repeat("A very long title ", 10), Value: "2020-06-12-sco"},
		{Name: "2020-01-10 · Winter briefing", Value: "2020-01-10-winter"}}
	return out[:min(max, len(out))]
}

func TestAskInOption(t *testing.T) {
	bf := &briefingsFake{}
	h := &fakeHandler{}
	env := newEnv(t, h, func(c *Config) { c.Briefings = bf.choices })

	// Registered only for an archive: /ask gains "in", autocompleted.
	var in bool
	for _, o := range env.a.commands()[0].Options {
		in = in || (o.Name == optIn && o.Autocomplete)
	}
	if !in {
		t.Error("/ask has no autocompleted in option with Briefings set")
	}
	plain := newEnv(t, &fakeHandler{}, nil)
	for _, o := range plain.a.commands()[0].Options {
		if o.Name == optIn {
			t.Error("/ask has an in option without Briefings")
		}
	}

	// The option reaches the bot as the archive's syntax.
	gatewayInteraction(t, env, "ask_in.json")
	h.mu.Lock()
	reqs := append([]bot.Request(nil), h.reqs...)
	h.mu.Unlock()
	if len(reqs) != 1 || reqs[0].Text != "in:2020-06 what about Hong Kong" {
		t.Fatalf("got requests %+v, want the question narrowed to 2020-06", reqs)
	}

	// /answer's "in" names the briefing of the number.
	gatewayInteraction(t, env, "answer_in.json")
	h.mu.Lock()
	reqs = append([]bot.Request(nil), h.reqs...)
	h.mu.Unlock()
	if len(reqs) != 2 || reqs[1].Command != cmdAnswer || reqs[1].Text != "2020-06-12-sco#3" {
		t.Fatalf("got requests %+v, want /answer 2020-06-12-sco#3", reqs)
	}
	var answerIn bool
	for _, o := range env.a.commands()[1].Options {
		answerIn = answerIn || (o.Name == optIn && o.Autocomplete)
	}
	if !answerIn {
		t.Error("/answer has no autocompleted in option with Briefings set")
	}

	// Autocomplete of "in" offers the archive's choices.
	calls := gatewayInteraction(t, env, "autocomplete_in.json")
	if len(calls) == 0 || !strings.Contains(calls[len(calls)-1].Path, "itok-ac-in") {
		t.Fatalf("got calls %v, want the autocomplete answer last", calls)
	}
	calls = calls[len(calls)-1:]
	var r struct {
		Type int `json:"type"`
		Data struct {
			Choices []struct {
				Name  string `json:"name"`
				Value string `json:"value"`
			} `json:"choices"`
		} `json:"data"`
	}
	if err := json.Unmarshal(calls[0].Body, &r); err != nil {
		t.Fatal(err)
	}
	if r.Type != 8 || len(r.Data.Choices) != 3 || r.Data.Choices[1].Value != "2020-06-12-sco" {
		t.Fatalf("got %s", calls[0].Body)
	}
	for _, c := range r.Data.Choices {
		if u16(c.Name) > maxChoiceName {
			t.Errorf("choice %q over %d units", c.Name, maxChoiceName)
		}
	}
	if len(bf.queries) != 1 || bf.queries[0] != "2020" {
		t.Errorf("Briefings asked %q, want the typed 2020", bf.queries)
	}
}

// townArchive is a real archive bot of two briefings: March (three questions) and May (two,
// the newest).
func townArchive(t *testing.T) *bot.Bot {
	t.Helper()
	const (
		march = "Town hall, March 2024\n\n1. When will the new bridge open?\n\nThe bridge opens in September.\n\n" +
			"2. What is the city doing about housing costs?\n\nWe are building 2,000 affordable homes by 2027.\n\n" +
			"3. Will the library stay open on Sundays?\n\nYes. Sunday hours continue through the summer.\n"
		may = "Town hall, May 2024\n\n1. What happens to the old harbour park?\n\nThe harbour park gets new trees next spring.\n\n" +
			"2. Are the library hours changing?\n\nThe library opens an hour earlier on weekdays from June.\n"
	)
	a := archive.New(archive.Options{})
	for id, text := range map[string]string{"2024-03-05-town-hall": march, "2024-05-07-town-hall": may} {
		tr, err := transcript.Parse(strings.NewReader(text))
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Put(transcript.NewBriefing(id, "", tr)); err != nil {
			t.Fatal(err)
		}
	}
	return bot.NewArchive(a, bot.Options{})
}

// inChannel builds an interaction as Discord sends it, in guild channel channel.
func inChannel(t *testing.T, id, channel string, typ discordgo.InteractionType, data any) []byte {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(interactionJSON(t, id, typ, data), &v); err != nil {
		t.Fatal(err)
	}
	v["channel_id"] = channel
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAnswerAutocompleteFollowsTheChannel: in an archive, /answer's number autocomplete offers
// the questions of the briefing /answer would open in that channel — the one its "in" option
// names, else the channel's current briefing, else the newest — over the signed HTTP endpoint
// with the real bot core.
func TestAnswerAutocompleteFollowsTheChannel(t *testing.T) {
	b := townArchive(t)
	env := newHTTPEnv(t, b, func(c *Config) {
		c.Questions = 0 // an archive has no one maximum (as serve configures it)
		c.Briefings = b.BriefingChoices
		c.AnswerWindow = 10 * time.Second // a deadline for the answer, not a pause
	})
	seq := 0
	next := func() string { seq++; return fmt.Sprint(seq) }
	number := func(typed string) map[string]any {
		return map[string]any{"name": optNumber, "type": 4, "value": typed, "focused": true}
	}
	in := func(v string) map[string]any { return map[string]any{"name": optIn, "type": 3, "value": v} }
	offered := func(channel string, opts ...map[string]any) []string {
		t.Helper()
		body := inChannel(t, next(), channel, discordgo.InteractionApplicationCommandAutocomplete, slash(cmdAnswer, opts...))
		status, out := env.post(t, body, env.priv, testNow, nil)
		if status != 200 {
			t.Fatalf("autocomplete: got status %d (%s)", status, out)
		}
		var r struct {
			Type int `json:"type"`
			Data struct {
				Choices []struct {
					Name  string  `json:"name"`
					Value float64 `json:"value"`
				} `json:"choices"`
			} `json:"data"`
		}
		decodeInto(t, out, &r)
		if r.Type != 8 {
			t.Fatalf("autocomplete: got %s, want choices", out)
		}
		var names []string
		for _, c := range r.Data.Choices {
			if !strings.HasPrefix(c.Name, fmt.Sprintf("%d · ", int(c.Value))) {
				t.Errorf("choice %q has value %v", c.Name, c.Value)
			}
			names = append(names, c.Name)
		}
		return names
	}
	answer := func(channel string, opts ...map[string]any) wireMsg {
		t.Helper()
		_, m := env.exchange(t, inChannel(t, next(), channel, discordgo.InteractionApplicationCommand, slash(cmdAnswer, opts...)))
		if len(m.Embeds) != 1 {
			t.Fatalf("/answer: got %+v, want one answer embed", m)
		}
		return m
	}
	const (
		march1 = "1 · When will the new bridge open?"
		march2 = "2 · What is the city doing about housing costs?"
		march3 = "3 · Will the library stay open on Sundays?"
		may1   = "1 · What happens to the old harbour park?"
		may2   = "2 · Are the library hours changing?"
	)
	check := func(what string, got []string, want ...string) {
		t.Helper()
		if strings.Join(got, " | ") != strings.Join(want, " | ") {
			t.Errorf("%s: got choices %q, want %q", what, got, want)
		}
	}

	// No history: the newest briefing, as /answer 1 would open.
	check("a new channel", offered("8001", number("")), may1, may2)

	// /answer with "in" moves channel 8001 to March; its suggestions follow.
	if m := answer("8001", map[string]any{"name": optNumber, "type": 4, "value": 2}, in("2024-03-05")); !strings.Contains(m.Embeds[0].Title, "housing costs") {
		t.Fatalf("/answer 2 in 2024-03-05: got title %q", m.Embeds[0].Title)
	}
	check("after /answer in March", offered("8001", number("")), march1, march2, march3)
	check("a number of March", offered("8001", number("3")), march3)
	// What was suggested is what /answer opens there.
	if m := answer("8001", map[string]any{"name": optNumber, "type": 4, "value": 3}); !strings.Contains(m.Embeds[0].Title, "library stay open on Sundays") {
		t.Errorf("/answer 3 after the suggestion %q: got title %q", march3, m.Embeds[0].Title)
	}

	// Another channel keeps the newest; suggesting in 8001 moved nothing.
	check("another channel", offered("8002", number("")), may1, may2)

	// A filled "in" option wins over the channel's current briefing, both ways.
	check("8002 with in March", offered("8002", in("2024-03-05-town-hall"), number("")), march1, march2, march3)
	check("8001 with in May", offered("8001", number("1"), in("2024-05-07")), may1)
	check("in naming no briefing", offered("8001", in("1999-01-01"), number("")))

	// /answer's "in" is offered briefings only: a period opens no question "#N"; /ask's
	// "in" is offered the period too.
	inChoices := func(command string) []string {
		t.Helper()
		body := inChannel(t, next(), "8001", discordgo.InteractionApplicationCommandAutocomplete,
			slash(command, map[string]any{"name": optIn, "type": 3, "value": "2024", "focused": true}))
		status, out := env.post(t, body, env.priv, testNow, nil)
		var r struct {
			Data struct {
				Choices []struct {
					Value string `json:"value"`
				} `json:"choices"`
			} `json:"data"`
		}
		decodeInto(t, out, &r)
		if status != 200 {
			t.Fatalf("autocomplete in: got status %d (%s)", status, out)
		}
		var vals []string
		for _, c := range r.Data.Choices {
			vals = append(vals, c.Value)
		}
		return vals
	}
	check("/answer in 2024", inChoices(cmdAnswer), "2024-05-07-town-hall", "2024-03-05-town-hall")
	check("/ask in 2024", inChoices(cmdAsk), "2024", "2024-05-07-town-hall", "2024-03-05-town-hall")

	// Suggesting did not change the channels' current briefings.
	check("8001 still on March", offered("8001", number("")), march1, march2, march3)
	if m := answer("8002", map[string]any{"name": optNumber, "type": 4, "value": 1}); !strings.Contains(m.Embeds[0].Title, "harbour park") {
		t.Errorf("/answer 1 in 8002: got title %q, want May's question 1", m.Embeds[0].Title)
	}
}
