// Package bot decides what to say: it turns a platform-neutral Request into a structured Reply.
// Adapters (Telegram, Discord, the terminal) only translate, rendering a Reply in their own
// markup with their own escaping.
//
// What a user can send, as a message, a command (structured in Request.Command, or raw in
// Request.Text as "/answer 3") or a button press:
//
//   - a question in their own words: the best question with an excerpt of its answer, the
//     matched words highlighted, and "Full answer" / "Other matches" actions; "did you mean"
//     choices when the matcher cannot tell two questions apart; "The transcript does not cover
//     that." with the nearest questions when it abstains (Options.OnMiss hears about it);
//   - a number request: "3", "#3", "q3", "Q 3", "question 3", "answer 3", "three", "third
//     question", "the 21st one", "last question", alone or in a sentence of politeness, chat
//     noise and words about the press conference ("can you repeat question 1 for me?", "what
//     was the eighth question at the press conference?", "yo show me q7 pls"; see
//     parseNumberRequest), and the commands /answer N and /qN: the full answer, paged; zero,
//     negative, out-of-range, huge and malformed numbers get a clear ReplyInvalid;
//   - /questions [page]: the list of questions, paged, with a button for each;
//   - /start [payload] and /help: what the bot knows and how to ask (a "q3" payload opens
//     answer 3); greetings and thanks get a short friendly reply.
//
// Long text is split into pages of Request.Limits.Body UTF-16 code units, less room for the
// page label (see LabelReserve), at paragraph, then sentence, then word boundaries and never
// inside a rune. Action ids carry the transcript's hash, so buttons from an older transcript,
// like forged ones, get ReplyExpired rather than a wrong answer (see the id grammar in
// actions.go).
//
// The bot remembers one thing per conversation (platform, chat and user): its last menu or
// answer, for a while (Options.Turns, Options.TurnTTL), so that "the first one", "2", "yes"
// and "more" can refer to it (see followup.go for how each is read). Every other reply is
// computed from the request alone. The bot keeps no global state and is safe for concurrent
// use.
//
// # Following one request
//
// request.go and reply.go hold the types; Bot.Handle (bot.go) validates a Request and hands
// it to dispatch (dispatch.go), which tells a command, a number, a button and free text apart
// and calls the builder of one reply kind: answer.go (a question in the user's own words:
// the match, "did you mean", "not covered"), bynumber.go, list.go, button.go, help.go (help,
// start, introductions, small talk), followup.go (what "the first one" or "more" refers to).
// Suggest (suggest.go) serves inline mode and autocomplete; a SuggestRequest may name the
// chat, whose numbers the suggestions then follow. Handler (handler.go) is the interface the
// core, its middleware and the adapters share.
//
// NewArchive makes a bot of many briefings (matcher/archive): answers come from the best
// briefing and cite it, numbers refer to the chat's current briefing, "2020-06-12#3" and
// /use name another, "in:2020-06 ..." narrows a question; see archive.go.
package bot
