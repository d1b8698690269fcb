package discord

import (
	"encoding/json"
	"strings"
	"testing"

	"transcriptbot/bot"
)

// briefingsFake offers a period and two briefings, recording what it was asked.
type briefingsFake struct{ queries []string }

func (f *briefingsFake) choices(query string, max int) []bot.BriefingChoice {
	f.queries = append(f.queries, query)
	out := []bot.BriefingChoice{{Name: "All briefings of 2020", Value: "2020"},
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
