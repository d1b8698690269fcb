package discord

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"transcriptbot/adapters/discord/discordtest"
)

// newFakeGateway starts discordtest's fake gateway, closed when t ends.
func newFakeGateway(t *testing.T, script func(n int, g *discordtest.Gateway, c *websocket.Conn)) *discordtest.Gateway {
	t.Helper()
	g := discordtest.NewGateway(script)
	t.Cleanup(g.Close)
	return g
}

func runAdapter(t *testing.T, env *testEnv, ctx context.Context) <-chan error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- env.a.Run(ctx) }()
	return done
}

func waitErr(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return")
		return nil
	}
}

func TestRunStopsOnFatalCloseCodes(t *testing.T) {
	for _, code := range []int{4004, 4010, 4011, 4012, 4013, 4014} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			gw := newFakeGateway(t, func(n int, g *discordtest.Gateway, c *websocket.Conn) {
				if _, err := g.Hello(c); err != nil {
					return
				}
				discordtest.CloseWith(c, code)
			})
			env := newEnv(t, &fakeHandler{}, nil)
			env.api.SetGateway(gw.WebsocketURL())
			err := waitErr(t, runAdapter(t, env, context.Background()))
			var fe *FatalCloseError
			if !errors.As(err, &fe) || fe.Code != code {
				t.Fatalf("got error %v, want a fatal close with code %d", err, code)
			}
			if !strings.Contains(err.Error(), "not reconnecting") {
				t.Errorf("got message %q, want it to say it stops", err)
			}
			if n := gw.Connections(); n != 1 {
				t.Errorf("got %d connections, want 1 (no reconnect after a fatal code)", n)
			}
			if env.a.Ready() {
				t.Error("adapter ready after a fatal close")
			}
		})
	}
}

func TestRunReconnectsThenStopsOnFatalClose(t *testing.T) {
	gw := newFakeGateway(t, func(n int, g *discordtest.Gateway, c *websocket.Conn) {
		if _, err := g.Hello(c); err != nil {
			return
		}
		if n == 1 {
			if err := g.Ready(c, testAppID); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
			discordtest.CloseWith(c, 4000) // unknown error: resumable
			return
		}
		discordtest.CloseWith(c, 4004) // the token was reset meanwhile
	})
	env := newEnv(t, &fakeHandler{}, func(c *Config) { c.GuildID = "7001"; c.ShardID, c.ShardCount = 1, 2 })
	env.api.SetGateway(gw.WebsocketURL())
	err := waitErr(t, runAdapter(t, env, context.Background()))
	var fe *FatalCloseError
	if !errors.As(err, &fe) || fe.Code != 4004 {
		t.Fatalf("got error %v, want a fatal close with code 4004", err)
	}
	p := gw.Received()
	if len(p) != 2 || p[0].Op != 2 || p[1].Op != 6 {
		t.Fatalf("got payloads %+v, want identify then resume", p)
	}
	var id struct {
		Token   string `json:"token"`
		Intents int    `json:"intents"`
		Shard   []int  `json:"shard"`
	}
	decodeInto(t, p[0].D, &id)
	if id.Intents != 1|1<<9|1<<12 {
		t.Errorf("got intents %b, want guilds, guild messages and direct messages only", id.Intents)
	}
	if id.Intents&(1<<15) != 0 {
		t.Error("identify asks for the privileged message-content intent")
	}
	if len(id.Shard) != 2 || id.Shard[0] != 1 || id.Shard[1] != 2 {
		t.Errorf("got shard %v, want [1 2]", id.Shard)
	}
	if id.Token != "Bot "+testToken {
		t.Errorf("identify carried the wrong token")
	}
	var registered bool
	for _, c := range env.api.Calls() {
		if c.Method == "PUT" && c.Path == "/api/v10/applications/9001/guilds/7001/commands" {
			registered = true
		}
	}
	if !registered {
		t.Errorf("commands not registered after connecting: %v", env.api.Calls())
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	gw := newFakeGateway(t, func(n int, g *discordtest.Gateway, c *websocket.Conn) {
		if _, err := g.Hello(c); err != nil {
			return
		}
		if err := g.Ready(c, testAppID); err != nil {
			return
		}
		discordtest.Drain(c)
	})
	env := newEnv(t, &fakeHandler{}, nil)
	env.api.SetGateway(gw.WebsocketURL())
	ctx, cancel := context.WithCancel(context.Background())
	done := runAdapter(t, env, ctx)
	// discordgo calls the READY handler on a goroutine of its own, so the bot id may be
	// stored a moment after the adapter reports ready: wait for both.
	deadline := time.Now().Add(10 * time.Second)
	for (!env.a.Ready() || env.a.getBotID() == "") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !env.a.Ready() {
		t.Fatal("adapter never became ready")
	}
	if got := env.a.getBotID(); got != testAppID {
		t.Errorf("got bot id %q from READY, want %q", got, testAppID)
	}
	cancel()
	if err := waitErr(t, done); err != nil {
		t.Errorf("got %v after cancel, want nil", err)
	}
	if env.a.Ready() {
		t.Error("adapter still ready after Run returned")
	}
}

func TestRunRetriesUnreachableGateway(t *testing.T) {
	env := newEnv(t, &fakeHandler{}, nil)
	env.api.SetGateway("ws://127.0.0.1:1/ws") // nothing listens on port 1
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := waitErr(t, runAdapter(t, env, ctx)); err != nil {
		t.Errorf("got %v, want nil after retrying until the context ended", err)
	}
	if n := strings.Count(env.logs.String(), "gateway connection failed"); n < 2 {
		t.Errorf("got %d connection attempts logged, want retries", n)
	}
}

func TestRunNeedsToken(t *testing.T) {
	env := newEnv(t, &fakeHandler{}, func(c *Config) { c.Token = ""; c.PublicKey = strings.Repeat("ab", 32) })
	if err := env.a.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "token") {
		t.Errorf("got %v, want an error asking for a token", err)
	}
}
