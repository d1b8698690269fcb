package discord

import (
	"net/url"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestTransportRewrite(t *testing.T) {
	tests := []struct {
		name, base, in, want string
	}{
		{"test server", "http://127.0.0.1:8080/api/v10", discordgo.EndpointAPI + "channels/1/messages", "http://127.0.0.1:8080/api/v10/channels/1/messages"},
		{"proxy with a prefix and a slash", "https://proxy.internal/discord/api/v10/", discordgo.EndpointAPI + "gateway", "https://proxy.internal/discord/api/v10/gateway"},
		{"query kept", "http://127.0.0.1:1/api/v10", discordgo.EndpointAPI + "webhooks/9/tok?wait=true", "http://127.0.0.1:1/api/v10/webhooks/9/tok?wait=true"},
		{"other hosts untouched", "http://127.0.0.1:1/api/v10", "https://cdn.discordapp.com/avatars/1.png", "https://cdn.discordapp.com/avatars/1.png"},
		{"no base: untouched", "", discordgo.EndpointAPI + "users/@me", discordgo.EndpointAPI + "users/@me"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr, err := newTransport(&Config{APIBase: tc.base})
			if err != nil {
				t.Fatal(err)
			}
			in, err := url.Parse(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := tr.rewrite(in).String(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
