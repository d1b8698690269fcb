// Package telegram is the Telegram front door of the bot: it turns Telegram updates (private
// chats, groups and forum topics, inline queries, inline-keyboard button presses) into
// bot.Request values and renders each bot.Reply as an HTML-parse-mode message.
//
// It uses github.com/go-telegram-bot-api/telegram-bot-api/v5 for the Bot API types, getMe and
// request parameters, and works around the library's faults through its MakeRequest escape
// hatch:
//
//   - every request carries a context (the library has none), so a long poll ends promptly on
//     shutdown;
//   - a non-JSON error page (an HTML 502 from a proxy) becomes a typed *APIError with the HTTP
//     status instead of a JSON decode error;
//   - the token is redacted from every error and log line, including *url.Error values from the
//     HTTP client and the library's own logger;
//   - the adapter runs its own getUpdates loop, confirming an update's offset only after the
//     update is handled and its replies sent (or refused for good, or failing for the whole
//     SendRetryWindow), de-duplicating by update_id, and treating 409 Conflict and 401
//     Unauthorized as fatal. An update waiting for its replies holds the offset back while that
//     stalls nothing, and for MaxHold when it does; in a Bot API outage replies are held and
//     retried, their updates stay unconfirmed (MaxHold's clock stops while sends fail),
//     getUpdates pauses at MaxPending updates in progress, and updates not answered by
//     shutdown are delivered again (a send already made when shutdown cuts replies short still
//     gets its answer, so a reply Telegram took is not sent twice);
//   - forum topics are honoured with message_thread_id, which the library does not know;
//   - setWebhook is sent with secret_token and max_connections, and the webhook handler checks
//     the secret in constant time; it answers 200 only once the update is answered (its replies
//     sent), and 503 — so Telegram delivers it again — when they fail on every try, are not sent
//     within WebhookReplyTimeout, or are cut short by shutdown.
//
// Beyond questions, it handles the everyday events of a chat: an edited question (edited_message)
// within Config.EditWindow updates the bot's earlier reply with editMessageText, or answers anew
// when that reply is gone; being added to a group (my_chat_member) posts a brief introduction
// once, and being removed says nothing. allowed_updates lists every type handled, in polling
// and webhook setup alike.
//
// Outgoing messages go through a send queue that respects Telegram's rate limits (per chat, per
// group and overall), with one lane per chat so that a chat's stuck reply holds back that chat
// only. It honours retry_after on 429, retries 5xx and network errors with capped backoff (in
// polling mode for SendRetryWindow, otherwise MaxTries tries; the first answer after an outage
// wakes every waiting lane), and does not retry 400 or 403.
package telegram
