package bot

import "context"

// Handler is the bot's request interface: the core (*Bot) implements it, and the middleware
// around the core (flood control in bot/flood, metrics in adapters/prometheus) both wraps a
// Handler and is one, so that the chat adapters take the core or the core behind its
// middleware alike.
type Handler interface {
	// Handle answers one request.
	Handle(ctx context.Context, req Request) Reply
	// Suggest returns up to max answers for a partial query (autocomplete, inline mode).
	Suggest(ctx context.Context, query string, max int, limits Limits) []Reply
}

var _ Handler = (*Bot)(nil)
