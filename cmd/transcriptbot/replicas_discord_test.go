package main

import (
	"net/http"
	"strings"
	"testing"
)

// TestReplicasDiscordReplay runs two serve replicas of one Discord application's HTTP
// interactions endpoint sharing one real Redis: a signed interaction is answered by the
// replica it reaches first, and the same request replayed to either replica within the
// signature window is refused with 409 and logged. Without REDIS_URL, a replica refuses a
// replay of what it answered itself.
func TestReplicasDiscordReplay(t *testing.T) {
	redisURL := startRedisServer(t)
	s := newDiscordSigner(t)
	env := discordEnv(s, map[string]string{"REDIS_URL": redisURL, "REDIS_TIMEOUT": "5s"})
	replicas := []*running{startServe(t, env, nil), startServe(t, env, nil)}
	ask := askInteraction("5001", "what about Hong Kong")
	if code, rep := replicas[0].interact(s, ask); code != http.StatusOK || rep.Type != 4 {
		t.Fatalf("first delivery: got %d type %d, want 200 and an answer", code, rep.Type)
	}
	for i, r := range []*running{replicas[1], replicas[0], replicas[1]} {
		if code, _ := r.interact(s, ask); code != http.StatusConflict {
			t.Errorf("replay %d: got %d, want 409", i, code)
		}
	}
	for i, r := range replicas {
		if !strings.Contains(r.logs.String(), "replayed request") {
			t.Errorf("replica %d logged no replay; logs:\n%s", i, r.logs)
		}
	}
	// Another interaction is answered as usual.
	if code, _ := replicas[1].interact(s, askInteraction("5001", "what about trade")); code != http.StatusOK {
		t.Errorf("a new interaction: got %d, want 200", code)
	}

	// In memory, without Redis.
	solo := startServe(t, discordEnv(s, nil), nil)
	again := askInteraction("5002", "what about Hong Kong")
	if code, _ := solo.interact(s, again); code != http.StatusOK {
		t.Fatalf("without Redis, first delivery: got %d, want 200", code)
	}
	if code, _ := solo.interact(s, again); code != http.StatusConflict {
		t.Errorf("without Redis, replay: got %d, want 409", code)
	}
}
