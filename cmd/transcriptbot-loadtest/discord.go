package main

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"transcriptbot/adapters/discord"
	"transcriptbot/adapters/discord/discordtest"
	"transcriptbot/bot"
	"transcriptbot/transcript"
)

const (
	ltDCWindow = 3 * time.Second // the first response must arrive within it
	ltDCAppID  = "900000000000000001"
)

// ltDCExpect is one interaction's bookkeeping: the follow-ups the fake REST server received.
type ltDCExpect struct {
	id       string
	deferred atomic.Bool
	acked    atomic.Bool // the client has read the interaction's HTTP response
	mu       sync.Mutex
	finals   int       // follow-up messages and edits of the original
	at       time.Time // when the first final arrived
	buttons  []string  // its buttons' custom ids
	done     chan struct{}
}

// ltDCRest is the load test's view of the fake Discord REST API (discordtest): the server
// checks every message; ltDCRest answers interaction follow-ups and matches each to the
// interaction waiting for it.
type ltDCRest struct {
	srv      *discordtest.Server
	prob     *ltProblems
	requests atomic.Int64
	conns    atomic.Int64
	early    atomic.Int64 // follow-ups that arrived before the deferral was received

	mu      sync.Mutex
	expects map[string]*ltDCExpect // by interaction token
}

func newLtDCRest(prob *ltProblems) (*ltDCRest, error) {
	d := &ltDCRest{prob: prob, expects: map[string]*ltDCExpect{}}
	srv := discordtest.NewUnstartedServer()
	srv.AppID = ltDCAppID
	srv.Forget = true // the fake's memory must not grow with the run and blur the measurement
	srv.Config.ReadHeaderTimeout = 10 * time.Second
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			d.conns.Add(1)
		}
	}
	srv.Observe = func(discordtest.Call) { d.requests.Add(1) }
	srv.Handle(d.serve)
	srv.Start()
	d.srv = srv
	return d, nil
}

// collect reports what the server refused as Discord would as violations.
func (d *ltDCRest) collect() {
	for _, v := range d.srv.Violations() {
		d.prob.violationf("discord REST: %s", v)
	}
}

func ltDCError(status int, message string, code int) (int, any, bool) {
	return status, map[string]any{"message": message, "code": code}, true
}

// serve answers a follow-up (a new message, or an edit of the original response).
func (d *ltDCRest) serve(c discordtest.Call) (int, any, bool) {
	path, ok := strings.CutPrefix(c.Path, "/api/v10/webhooks/"+ltDCAppID+"/")
	if !ok {
		d.prob.violationf("discord REST: unexpected %s", c)
		return ltDCError(http.StatusNotFound, "404: Not Found", 0)
	}
	token, rest, _ := strings.Cut(path, "/")
	d.mu.Lock()
	e := d.expects[token]
	d.mu.Unlock()
	if e == nil {
		d.prob.violationf("discord REST: %s for an unknown interaction token", c.Method)
		return ltDCError(http.StatusNotFound, "Unknown Webhook", 10015)
	}
	switch {
	case c.Method == http.MethodDelete && rest == "messages/@original":
		return http.StatusNoContent, nil, true
	case (c.Method == http.MethodPost && rest == "") || (c.Method == http.MethodPatch && rest == "messages/@original"):
		if !e.acked.Load() {
			// As Discord does until it has the deferral, there is no original to edit yet.
			d.early.Add(1)
			return ltDCError(http.StatusNotFound, "Unknown Webhook", 10015)
		}
	default:
		d.prob.violationf("discord REST: unexpected %s webhooks/{app}/{token}/%s", c.Method, rest)
		return ltDCError(http.StatusMethodNotAllowed, "405: Method Not Allowed", 0)
	}
	var m discordtest.Message
	if err := json.Unmarshal(c.Body, &m); err != nil {
		d.prob.violationf("discord REST %s of interaction %s: bad JSON: %v", c.Method, e.id, err)
		return ltDCError(http.StatusBadRequest, "Invalid Form Body", 50035)
	}
	ids, reason := m.Check()
	if reason != "" {
		d.prob.violationf("discord %s follow-up of interaction %s: %s", c.Method, e.id, reason)
		return ltDCError(http.StatusBadRequest, "Invalid Form Body", 50035)
	}
	now := time.Now()
	e.mu.Lock()
	e.finals++
	n := e.finals
	if n == 1 {
		e.at, e.buttons = now, ids
		close(e.done)
	}
	e.mu.Unlock()
	if n > 1 {
		d.prob.duplicatef("discord interaction %s answered by %d follow-ups", e.id, n)
	}
	return http.StatusOK, map[string]any{"id": strconv.FormatInt(now.UnixNano(), 10), "type": 0,
		"content": m.Content, "channel_id": "1", "author": map[string]any{"id": ltDCAppID, "username": "transcriptbot", "bot": true}}, true
}

// ltDCRun is the Discord scenario in progress.
type ltDCRun struct {
	gen    *ltGen
	opts   ltOptions
	rest   *ltDCRest
	signer *discordtest.Signer
	url    string
	client *http.Client
	prob   *ltProblems
	lat    *ltLatencies
	seq    atomic.Int64

	deferred atomic.Int64
	answered atomic.Int64
	mix      ltMix // response types
	firstAt  time.Time
	lastMu   sync.Mutex
	lastAt   time.Time
}

// ltRunDiscord runs the Discord HTTP interactions scenario.
func ltRunDiscord(ctx context.Context, core *bot.Bot, t *transcript.Transcript, gen *ltGen, opts ltOptions) (*ltResult, error) {
	prob, lat := &ltProblems{}, &ltLatencies{}
	rest, err := newLtDCRest(prob)
	if err != nil {
		return nil, err
	}
	defer rest.srv.Close()
	signer := discordtest.NewSigner()
	logger, logs := ltNewCountingLogger()
	a, err := discord.New(discord.Config{
		PublicKey:    signer.PublicKey(),
		APIBase:      rest.srv.Base(),
		Logger:       logger,
		Source:       t.Title,
		Questions:    t.Len(),
		AnswerWindow: opts.DCWindow,
		RepeatWindow: opts.Repeat,
	}, core)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/discord/interactions", a.InteractionsHandler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	dr := &ltDCRun{gen: gen, opts: opts, rest: rest, signer: signer, prob: prob, lat: lat,
		url: "http://" + ln.Addr().String() + "/discord/interactions",
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
			MaxIdleConns: opts.Concurrency, MaxIdleConnsPerHost: opts.Concurrency, MaxConnsPerHost: opts.Concurrency}}}
	defer dr.client.CloseIdleConnections()

	dr.firstAt = time.Now()
	var wg sync.WaitGroup
	for w := range opts.Concurrency {
		n := opts.Interactions / opts.Concurrency
		if w < opts.Interactions%opts.Concurrency {
			n++
		}
		if n == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			dr.user(ctx, w, n, rand.New(rand.NewPCG(opts.Seed, 1<<32+uint64(w))))
		}()
	}
	wg.Wait()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := a.Shutdown(sctx); err != nil {
		prob.violationf("discord adapter: %v", err)
	}

	res := &ltResult{Count: opts.Interactions, Concurrency: opts.Concurrency, Answered: int(dr.answered.Load()),
		Deferred: int(dr.deferred.Load()), Requests: int(rest.requests.Load()) + opts.Interactions, Posted: opts.Interactions,
		Conns: int(rest.conns.Load()),
		Early: int(rest.early.Load())}
	rest.mu.Lock()
	for _, e := range rest.expects {
		e.mu.Lock()
		if !e.deferred.Load() && e.finals > 0 {
			prob.duplicatef("discord interaction %s answered in its HTTP response and again by follow-up", e.id)
		}
		e.mu.Unlock()
	}
	rest.mu.Unlock()
	rest.collect()
	dr.lastMu.Lock()
	if dr.lastAt.After(dr.firstAt) {
		res.Seconds = dr.lastAt.Sub(dr.firstAt).Seconds()
		res.Throughput = float64(opts.Interactions) / res.Seconds
	}
	dr.lastMu.Unlock()
	lat.fill(res)
	prob.fill(res)
	logs.fill(res)
	dr.mix.fill(res)
	return res, nil
}

func (dr *ltDCRun) finished(at time.Time) {
	dr.answered.Add(1)
	dr.lastMu.Lock()
	if at.After(dr.lastAt) {
		dr.lastAt = at
	}
	dr.lastMu.Unlock()
}

// user is one Discord user sending n interactions one after the other, pressing buttons of
// the answers it got.
func (dr *ltDCRun) user(ctx context.Context, w, n int, r *rand.Rand) {
	userID := strconv.Itoa(500000000000000000 + w)
	guild := w%4 != 3 // one user in four talks to the bot in DMs
	channel := strconv.Itoa(800000000000000000 + w%7)
	if !guild {
		channel = strconv.Itoa(810000000000000000 + w)
	}
	var buttons []string
	for range n {
		if ctx.Err() != nil {
			return
		}
		seq := dr.seq.Add(1)
		var tok [8]byte
		_, _ = crand.Read(tok[:])
		in := map[string]any{
			"id":             strconv.FormatInt(1200000000000000000+seq, 10),
			"token":          "lt" + hex.EncodeToString(tok[:]) + strconv.FormatInt(seq, 10),
			"application_id": ltDCAppID,
			"channel_id":     channel,
			"locale":         "en-US",
			"version":        1,
		}
		who := map[string]any{"id": userID, "username": "user" + strconv.Itoa(w), "global_name": "User " + strconv.Itoa(w)}
		if guild {
			in["guild_id"] = "700000000000000001"
			in["guild_locale"] = "en-US"
			in["app_permissions"] = "2248473465835073"
			in["member"] = map[string]any{"user": who, "roles": []any{}, "joined_at": "2024-01-01T00:00:00.000000+00:00",
				"permissions": "2248473465835073"}
		} else {
			in["user"] = who
		}
		kind := dr.fill(in, r, buttons)
		got := dr.send(ctx, in, kind)
		if got != nil {
			buttons = got
		}
	}
}

// Interaction kinds as the load generator names them.
const (
	ltDCPing = iota
	ltDCCommand
	ltDCAutocomplete
	ltDCButton
)

// fill sets the type and data of interaction in and returns its kind.
func (dr *ltDCRun) fill(in map[string]any, r *rand.Rand, buttons []string) int {
	g := dr.gen
	opt := func(name string, typ int, v any) map[string]any {
		return map[string]any{"name": name, "type": typ, "value": v}
	}
	command := func(name string, opts ...map[string]any) int {
		data := map[string]any{"id": "300000000000000001", "name": name, "type": 1}
		if len(opts) > 0 {
			data["options"] = opts
		}
		in["type"], in["data"] = 2, data
		return ltDCCommand
	}
	button := func(id string) int {
		in["type"] = 3
		in["data"] = map[string]any{"custom_id": id, "component_type": 2}
		in["message"] = map[string]any{"id": "600000000000000001", "channel_id": in["channel_id"], "content": "",
			"author": map[string]any{"id": ltDCAppID, "username": "transcriptbot", "bot": true}, "embeds": []any{}, "components": []any{}}
		return ltDCButton
	}
	switch p := r.IntN(100); {
	case p < 35:
		q := g.question(r)
		if r.IntN(3) == 0 {
			q = g.text(r)
		}
		if r.IntN(7) == 0 {
			return command("ask", opt("question", 3, q), opt("private", 5, true))
		}
		return command("ask", opt("question", 3, q))
	case p < 45:
		n, _ := strconv.Atoi(g.numberArg(r))
		return command("answer", opt("number", 4, n))
	case p < 50:
		if r.IntN(2) == 0 {
			return command("questions", opt("page", 4, 1+r.IntN(2)))
		}
		return command("questions")
	case p < 53:
		return command("help")
	case p < 65:
		partial := ""
		switch r.IntN(3) {
		case 0:
			partial = strconv.Itoa(1 + r.IntN(max(g.questions, 1)))
		case 1:
			q := []rune(g.question(r))
			partial = string(q[:min(len(q), 1+r.IntN(20))])
		}
		in["type"] = 4
		in["data"] = map[string]any{"id": "300000000000000002", "name": "answer", "type": 1,
			"options": []any{map[string]any{"name": "number", "type": 4, "value": partial, "focused": true}}}
		return ltDCAutocomplete
	case p < 82 && len(buttons) > 0:
		return button(buttons[r.IntN(len(buttons))])
	case p < 84:
		return button(g.staleAction(r))
	case p < 88:
		target := "610000000000000001"
		in["type"] = 2
		in["data"] = map[string]any{"id": "300000000000000003", "name": "Answer from transcript", "type": 3, "target_id": target,
			"resolved": map[string]any{"messages": map[string]any{target: map[string]any{"id": target, "channel_id": in["channel_id"],
				"content": g.text(r) + " @everyone", "author": map[string]any{"id": "510000000000000001", "username": "someone"},
				"timestamp": "2024-05-01T10:00:00.000000+00:00"}}}}
		return ltDCCommand
	case p < 90:
		in["type"] = 1
		delete(in, "data")
		return ltDCPing
	default:
		return command("ask", opt("question", 3, g.odd(r)))
	}
}

// send signs and POSTs one interaction, checks the answer (and waits for the follow-up when it
// was deferred) and returns the buttons of the message it got, if any.
func (dr *ltDCRun) send(ctx context.Context, in map[string]any, kind int) []string {
	body, err := json.Marshal(in)
	if err != nil {
		panic(err) // maps of strings and numbers always marshal
	}
	id, token := in["id"].(string), in["token"].(string)
	e := &ltDCExpect{id: id, done: make(chan struct{})}
	dr.rest.mu.Lock()
	dr.rest.expects[token] = e
	dr.rest.mu.Unlock()

	req, err := dr.signer.NewRequest(ctx, dr.url, body) // signing is Discord's work, not timed
	if err != nil {
		dr.prob.lostf("discord interaction %s: %v", id, err)
		return nil
	}
	start := time.Now()
	resp, err := dr.client.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			dr.prob.lostf("discord interaction %s: %v", id, err)
		}
		return nil
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	took := time.Since(start)
	e.acked.Store(true)
	if err != nil {
		dr.prob.lostf("discord interaction %s: reading the response: %v", id, err)
		return nil
	}
	if resp.StatusCode != http.StatusOK {
		dr.prob.lostf("discord interaction %s: HTTP %d: %.200s", id, resp.StatusCode, raw)
		return nil
	}
	if took > ltDCWindow {
		dr.prob.latef("discord interaction %s answered after %v, past the 3-second window", id, took.Round(time.Millisecond))
	}
	var r discordtest.Response
	if err := json.Unmarshal(raw, &r); err != nil {
		dr.prob.violationf("discord interaction %s: response is not JSON: %.200s", id, raw)
		return nil
	}
	dr.mix.add("type " + strconv.Itoa(r.Type))
	want := map[int][]int{ltDCPing: {1}, ltDCAutocomplete: {8}, ltDCCommand: {4, 5}, ltDCButton: {4, 6, 7}}[kind]
	ok := false
	for _, t := range want {
		ok = ok || t == r.Type
	}
	if !ok {
		dr.prob.violationf("discord interaction %s of kind %d answered with response type %d, want one of %v", id, kind, r.Type, want)
		return nil
	}
	switch r.Type {
	case 1:
		dr.finish(start, start.Add(took))
		return nil
	case 8:
		var choices *[]discordtest.Choice
		if r.Data != nil {
			choices = r.Data.Choices
		}
		if reason := discordtest.CheckChoices(choices); reason != "" {
			dr.prob.violationf("discord autocomplete %s: %s", id, reason)
			return nil
		}
		dr.finish(start, start.Add(took))
		return nil
	case 4, 7:
		if r.Data == nil {
			dr.prob.violationf("discord interaction %s: response type %d without data", id, r.Type)
			return nil
		}
		ids, reason := r.Data.Check()
		if reason != "" {
			dr.prob.violationf("discord interaction %s response type %d: %s", id, r.Type, reason)
			return nil
		}
		dr.finish(start, start.Add(took))
		return ids
	}
	// Deferred (5, or 6 for a button): the answer comes as a follow-up.
	e.deferred.Store(true)
	dr.deferred.Add(1)
	t := time.NewTimer(30 * time.Second)
	defer t.Stop()
	select {
	case <-e.done:
	case <-t.C:
		dr.prob.lostf("discord interaction %s deferred, but no follow-up within 30s", id)
		return nil
	case <-ctx.Done():
		dr.prob.lostf("discord interaction %s deferred, but the run ended before its follow-up", id)
		return nil
	}
	e.mu.Lock()
	at, ids := e.at, e.buttons
	e.mu.Unlock()
	dr.finish(start, at)
	return ids
}

func (dr *ltDCRun) finish(start, at time.Time) {
	dr.lat.add(at.Sub(start))
	dr.finished(at)
}
