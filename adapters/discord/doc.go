// Package discord is the Discord adapter: it turns Discord interactions and mentions into
// platform-neutral bot requests and bot replies into Discord messages, using discordgo.
//
// Users get the slash commands /ask (with an optional private flag), /answer (with
// autocomplete over the transcript's questions — for an archive, those of the briefing /answer
// would open in that channel: its "in" option's, else the channel's current one), /questions
// and /help; a message context-menu command, "Answer from transcript", that answers someone
// else's message as a reply to it; and mentions ("@Bot 3", "@Bot what about Hong Kong"),
// which need no message-content intent. Replies are embeds with escaped markdown, matched
// words in bold, a footer naming the transcript and buttons for the bot's actions; every
// message sets allowed mentions to none.
//
// The bot posts nothing uninvited, not even when it joins a server: what it does and how to
// ask it are in /help (which adds the Discord-only ways to ask to the bot's help) and in the
// application's description, which Register sets alongside the commands. A user's next
// mention, DM or /ask in the channel can follow up the bot's last menu or answer to them
// ("the first one", "more"), which the bot core remembers per channel and user.
//
// Two ways in, which can run together or alone:
//
//   - Run connects to the gateway (one shard of a sharded bot if configured), registers the
//     commands, and answers interactions and mentions; it stops on fatal close codes.
//   - InteractionsHandler serves Discord's HTTP interactions endpoint: Ed25519-verified,
//     answering in the HTTP response within the answer window and deferring when not; each
//     interaction id is answered once (a replayed request is refused with 409), remembered in
//     memory and, through Config.Dedup, across replicas.
//
// Interactions and gateway messages are decoded by the adapter, not by discordgo, into what it
// reads: unknown fields and component types (which discordgo refuses whole) are ignored, so a
// message command on a message holding a component newer than the library still works. Every
// request the endpoint refuses is logged at level Warn with the reason.
//
// REST calls go through a transport that aims them at Config.APIBase when set (a rate-limit
// proxy or a test server) and retries 429 and 5xx responses a bounded number of times.
package discord
