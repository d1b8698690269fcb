package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/bwmarrin/discordgo"
)

// Interaction responses and their follow-ups are sent here rather than through discordgo's
// session methods: its rate limiter keeps a bucket per URL forever, and these URLs are unique
// per interaction, so a long-running bot would grow without bound. They are authenticated by
// the interaction token in the path, so no bot token is sent. The transport still aims them at
// Config.APIBase and retries 429 and 5xx within bounds.

// restError is a failed REST call; its text never contains the interaction token.
type restError struct {
	Method, Route string
	Status        int
	Body          string
}

func (e *restError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d: %s", e.Method, e.Route, e.Status, e.Body)
}

// webhookREST sends one interaction-token-authenticated request. route names the endpoint
// for errors without the token.
func (a *Adapter) webhookREST(ctx context.Context, method, path, route string, body any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("encoding %s: %w", route, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, discordgo.EndpointAPI+path, rd)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, route, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", a.session.UserAgent)
	resp, err := a.session.Client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the *url.Error's text carries the URL, and so the interaction token
		}
		return fmt.Errorf("%s %s: %w", method, route, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode >= 300 {
		return &restError{Method: method, Route: route, Status: resp.StatusCode, Body: string(msg)}
	}
	return nil
}

// callback sends the initial response to an interaction.
func (a *Adapter) callback(ctx context.Context, i *discordgo.Interaction, r response) error {
	return a.webhookREST(ctx, http.MethodPost, "interactions/"+i.ID+"/"+i.Token+"/callback",
		"interactions/"+i.ID+"/callback", r.wire())
}

// appIDFor is the application id of an interaction's webhook.
func (a *Adapter) appIDFor(i *discordgo.Interaction) string {
	if i.AppID != "" {
		return i.AppID
	}
	return a.getAppID()
}

// editOriginal replaces the original response (or, after a deferred update, the message the
// button was on).
func (a *Adapter) editOriginal(ctx context.Context, i *discordgo.Interaction, m message) error {
	d := wireMessage(m)
	d.Flags = 0 // flags cannot change on edit
	return a.webhookREST(ctx, http.MethodPatch, "webhooks/"+a.appIDFor(i)+"/"+i.Token+"/messages/@original",
		"webhooks/"+a.appIDFor(i)+"/messages/@original", d)
}

// deleteOriginal removes the original response.
func (a *Adapter) deleteOriginal(ctx context.Context, i *discordgo.Interaction) error {
	return a.webhookREST(ctx, http.MethodDelete, "webhooks/"+a.appIDFor(i)+"/"+i.Token+"/messages/@original",
		"webhooks/"+a.appIDFor(i)+"/messages/@original", nil)
}

// followUp sends a new message after the initial response.
func (a *Adapter) followUp(ctx context.Context, i *discordgo.Interaction, m message) error {
	return a.webhookREST(ctx, http.MethodPost, "webhooks/"+a.appIDFor(i)+"/"+i.Token,
		"webhooks/"+a.appIDFor(i), wireMessage(m))
}
