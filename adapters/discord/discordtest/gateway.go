package discordtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Gateway plays Discord's gateway websocket on 127.0.0.1: Script runs each connection
// (numbered from 1) after the upgrade, with Hello, Ready, CloseWith and Drain as its moves.
// Give WebsocketURL to the fake REST API (Server.SetGateway), whose GET /gateway answers with
// it.
type Gateway struct {
	*httptest.Server

	mu       sync.Mutex
	conns    int
	payloads []Payload // identify (op 2) and resume (op 6) packets received
	script   func(n int, g *Gateway, c *websocket.Conn)
}

// Payload is a gateway packet: its opcode and data.
type Payload struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
}

// NewGateway starts a fake gateway running script on each connection. The caller closes it.
func NewGateway(script func(n int, g *Gateway, c *websocket.Conn)) *Gateway {
	g := &Gateway{script: script}
	up := websocket.Upgrader{}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		g.mu.Lock()
		g.conns++
		n := g.conns
		g.mu.Unlock()
		g.script(n, g, c)
	}))
	return g
}

// WebsocketURL is the gateway's ws:// URL.
func (g *Gateway) WebsocketURL() string { return "ws" + strings.TrimPrefix(g.URL, "http") + "/ws" }

// Hello sends Hello and reads the client's identify or resume packet.
func (g *Gateway) Hello(c *websocket.Conn) (Payload, error) {
	if err := c.WriteJSON(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}}); err != nil {
		return Payload{}, err
	}
	for {
		var p Payload
		if err := c.ReadJSON(&p); err != nil {
			return p, err
		}
		if p.Op == 2 || p.Op == 6 {
			g.mu.Lock()
			g.payloads = append(g.payloads, p)
			g.mu.Unlock()
			return p, nil
		}
	}
}

// Ready sends READY for the bot user botID (also the application id).
func (g *Gateway) Ready(c *websocket.Conn, botID string) error {
	return c.WriteJSON(map[string]any{"op": 0, "t": "READY", "s": 1, "d": map[string]any{
		"v": 10, "session_id": "sess-1", "user": map[string]any{"id": botID, "username": "transcriptbot", "bot": true},
		"application": map[string]any{"id": botID}, "guilds": []any{},
	}})
}

// Connections returns how many connections the gateway accepted.
func (g *Gateway) Connections() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.conns
}

// Received returns the identify and resume packets received, in order.
func (g *Gateway) Received() []Payload {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Payload(nil), g.payloads...)
}

// CloseWith closes the connection with a close code, keeping it until the client has read the
// close frame and hung up (or 5 s pass).
func CloseWith(c *websocket.Conn, code int) {
	_ = c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, "test"), time.Now().Add(time.Second))
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	Drain(c)
}

// Drain reads and discards what the client sends until the connection ends.
func Drain(c *websocket.Conn) {
	for {
		if _, _, err := c.ReadMessage(); err != nil {
			return
		}
	}
}
