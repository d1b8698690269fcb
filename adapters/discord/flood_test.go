package discord

import (
	"strconv"
	"strings"
	"testing"

	"golang.org/x/time/rate"

	"transcriptbot/bot/flood"
)

// TestFloodControlReplies puts the real flood-control decorator in front of the adapter: a
// flooding user gets one private "slow down", then silent acknowledgements (interactions
// must still be answered), and buttons are acknowledged without any change.
func TestFloodControlReplies(t *testing.T) {
	limited := flood.New(&fakeHandler{}, flood.Config{User: flood.Rule{Rate: rate.Limit(0.0001), Burst: 2}})
	env := newHTTPEnv(t, limited, nil)
	ask := readFixture(t, "ask.json")
	var kinds []string
	for i := 0; i < 4; i++ {
		status, out := env.post(t, withInteractionID(t, ask, "17"+strconv.Itoa(i)), env.priv, testNow, nil)
		if status != 200 {
			t.Fatalf("got status %d", status)
		}
		r := decodeResp(t, out)
		m := checkWire(t, r.Data)
		switch {
		case r.Type == 4 && len(m.Embeds) == 1 && m.Flags&64 == 0:
			kinds = append(kinds, "answer")
		case r.Type == 4 && m.Flags&64 != 0 && strings.Contains(strings.ToLower(m.Content), "faster"):
			kinds = append(kinds, "throttled")
		case r.Type == 4 && m.Flags&64 != 0 && m.Content == textSilentAck:
			kinds = append(kinds, "silent")
		default:
			kinds = append(kinds, string(out))
		}
	}
	if got, want := strings.Join(kinds, ","), "answer,answer,throttled,silent"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	status, out := env.post(t, readFixture(t, "button.json"), env.priv, testNow, nil)
	if status != 200 || strings.TrimSpace(string(out)) != `{"type":6}` {
		t.Errorf("got %d %s for a muted button press, want a bare deferred update", status, out)
	}
}
