package discordtest_test

import (
	"encoding/json"
	"strings"
	"testing"

	"transcriptbot/adapters/discord/discordtest"
)

func TestCheckMessage(t *testing.T) {
	const ok = `"allowed_mentions":{"parse":[]}`
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"content", `{"content":"hi",` + ok + `}`, true},
		{"embed and button", `{"content":"","embeds":[{"title":"t","description":"d","footer":{"text":"f"}}],` +
			`"components":[{"type":1,"components":[{"type":2,"style":1,"label":"Full answer","custom_id":"v:f:3"}]}],` + ok + `}`, true},
		{"no allowed mentions", `{"content":"hi"}`, false},
		{"parse null", `{"content":"hi","allowed_mentions":{"parse":null}}`, false},
		{"parse everyone", `{"content":"hi","allowed_mentions":{"parse":["everyone"]}}`, false},
		{"empty", `{"content":"",` + ok + `}`, false},
		{"content 2001", `{"content":"` + strings.Repeat("a", 2001) + `",` + ok + `}`, false},
		{"title 257", `{"embeds":[{"title":"` + strings.Repeat("a", 257) + `"}],` + ok + `}`, false},
		{"description 4097", `{"embeds":[{"description":"` + strings.Repeat("a", 4097) + `"}],` + ok + `}`, false},
		{"total 6001", `{"embeds":[{"description":"` + strings.Repeat("a", 4000) + `"},{"description":"` + strings.Repeat("a", 2001) + `"}],` + ok + `}`, false},
		{"custom id 101", `{"content":"x","components":[{"type":1,"components":[{"type":2,"style":1,"label":"l","custom_id":"` + strings.Repeat("a", 101) + `"}]}],` + ok + `}`, false},
		{"repeated custom id", `{"content":"x","components":[{"type":1,"components":[{"type":2,"style":1,"label":"l","custom_id":"a"},{"type":2,"style":1,"label":"m","custom_id":"a"}]}],` + ok + `}`, false},
		{"six buttons", `{"content":"x","components":[{"type":1,"components":[` + strings.Repeat(`{"type":2,"style":5,"label":"l","url":"https://x"},`, 5) + `{"type":2,"style":5,"label":"l","url":"https://x"}]}],` + ok + `}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, reason := discordtest.CheckMessage([]byte(tc.in))
			if (reason == "") != tc.ok {
				t.Errorf("reason %q, want ok=%v", reason, tc.ok)
			}
		})
	}
	choices := func(raw string) *[]discordtest.Choice {
		var r discordtest.Response
		if err := json.Unmarshal([]byte(raw), &r); err != nil || r.Data == nil {
			t.Fatalf("%s: %v", raw, err)
		}
		return r.Data.Choices
	}
	many := `{"type":8,"data":{"choices":[` + strings.Repeat(`{"name":"1. q","value":1},`, 25) + `{"name":"1. q","value":1}]}}`
	if reason := discordtest.CheckChoices(choices(many)); reason == "" {
		t.Error("26 autocomplete choices accepted")
	}
	if reason := discordtest.CheckChoices(choices(`{"type":8,"data":{"choices":[]}}`)); reason != "" {
		t.Errorf("no choices refused: %s", reason)
	}
	if reason := discordtest.CheckChoices(choices(`{"type":8,"data":{}}`)); reason == "" {
		t.Error("missing choices list accepted")
	}
	if reason := discordtest.CheckChoices(choices(`{"type":8,"data":{"choices":[{"name":"","value":1}]}}`)); reason == "" {
		t.Error("empty choice name accepted")
	}
}
