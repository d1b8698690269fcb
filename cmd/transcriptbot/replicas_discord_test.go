package main

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
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

// TestDiscordFrozenRedis: with the shared Redis frozen (SIGSTOP), Discord HTTP interactions
// are still answered within Discord's window, in the response, and a replayed request is still
// refused by the replica that answered it (its memory stands in for Redis).
func TestDiscordFrozenRedis(t *testing.T) {
	redisURL, proc := startRedisProcess(t)
	s := newDiscordSigner(t)
	r := startServe(t, discordEnv(s, map[string]string{"REDIS_URL": redisURL}), nil)
	if err := proc.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = proc.Signal(syscall.SIGCONT) })

	bodies := make([]string, 10)
	for i := range bodies {
		bodies[i] = askInteraction("6"+strconv.Itoa(i), "what about Hong Kong")
	}
	var wg sync.WaitGroup
	for i, body := range bodies {
		wg.Go(func() {
			if code, rep := r.interact(s, body); code != http.StatusOK || rep.Type != 4 || len(rep.Data.Embeds) == 0 {
				t.Errorf("interaction %d with Redis frozen: got %d type %d, want 200 with the answer", i, code, rep.Type)
			}
		})
	}
	wg.Wait()
	if code, _ := r.interact(s, bodies[0]); code != http.StatusConflict {
		t.Errorf("a replay with Redis frozen: got %d, want 409", code)
	}
	if _, body := r.get("/readyz"); !strings.Contains(body, "redis: not answering") {
		t.Errorf("/readyz with Redis frozen: got %q, want Redis reported not answering", body)
	}
}
