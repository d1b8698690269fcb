package bot

import "context"

// Handler is the bot's request interface: the core (*Bot) implements it, and the middleware
// around the core (flood control in bot/flood, metrics in adapters/prometheus) both wraps a
// Handler and is one, so that the chat adapters take the core or the core behind its
// middleware alike.
type Handler interface {
	// Handle answers one request.
	Handle(ctx context.Context, req Request) Reply
	// Suggest returns up to req.Max answers for a partial query (autocomplete, inline mode).
	Suggest(ctx context.Context, req SuggestRequest) []Reply
}

// SuggestRequest is what Suggest is asked: a partial query, how many answers, their sizes,
// and the chat the suggestions are for when there is one.
type SuggestRequest struct {
	// Query is what the user typed so far.
	Query string
	// Platform and ChatID name the chat the suggestions are shown in, as in the Request the
	// adapter builds for a message or command there. In archive mode a number means question
	// N of the chat's current briefing, so a chat's suggestions come from that briefing (the
	// one /answer N would open). Both are empty where there is no chat (Telegram inline
	// mode): suggestions then come from the briefing that answers Query best, else the newest.
	Platform, ChatID string
	// Briefing, when set, names the briefing the suggested numbers are to belong to, as in
	// "BRIEFING#N" (an id, a short key or a date): Discord's /answer "in" option. A name that
	// names no briefing gives no suggestions, as /answer then opens none.
	Briefing string
	// Max bounds the number of answers (at most 100); zero or negative gives none.
	Max int
	// Limits are the sizes of each answer's title and body.
	Limits Limits
}

var _ Handler = (*Bot)(nil)
