package telegram

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"transcriptbot/bot"
)

// apology is shown when the handler fails.
const apology = "Sorry, something went wrong on my side. Please try again."

// process handles one update: de-duplication, routing, the handler, and queueing the replies.
// It returns once the replies are queued (so the chat's order is kept); a goroutine reports
// the outcome to j.done when they are sent. An update is not finished when a reply was cut
// short (shutdown, or its webhook request gave up) or, in webhook mode, could not be sent
// within the bounded tries (Telegram then delivers it again).
func (a *Adapter) process(ctx context.Context, j *job) {
	in := j.in
	work := ctx // the lanes' context: they outlive this update
	if j.ctx != nil {
		ctx = j.ctx
	}
	if ctx.Err() != nil { // cut short while it waited for its worker
		j.done(false)
		return
	}
	finished := true
	defer func() {
		if r := recover(); r != nil {
			a.log.Error("telegram update handling panicked", "update_id", in.ID, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			j.done(true) // a poison update must not be redelivered forever
		}
	}()
	key := "tg:" + strconv.FormatInt(a.self.ID, 10) + ":" + strconv.Itoa(in.ID)
	first, err := a.cfg.Dedup.FirstSeen(ctx, key)
	if err != nil {
		// Fail open: a rare duplicate answer is better than a lost question.
		a.log.Warn("telegram dedup store failed; handling anyway", "update_id", in.ID, "err", a.redactor.redact(err.Error()))
		first = true
	}
	if !first {
		a.log.Debug("telegram duplicate update skipped", "update_id", in.ID)
		j.done(true)
		return
	}
	p := route(in, a.self)
	var outs []*outMsg
	switch p.kind {
	case planIgnore:
		a.log.Debug("telegram update ignored", "update_id", in.ID, "why", p.why)
	case planMessage:
		outs = a.messageReplies(ctx, p, a.handle(ctx, p.req))
	case planCallback:
		outs = a.callbackReplies(ctx, p, a.handle(ctx, p.req))
	case planEdit:
		outs = a.editReplies(ctx, p)
	case planJoined:
		a.log.Info("telegram: added to a group; introducing myself", "chat", p.chatID)
		outs = a.joinedReplies(p, a.handle(ctx, p.req))
	case planInline:
		if m := a.inlineAnswer(ctx, p); m != nil {
			outs = append(outs, m)
		}
	}
	for _, m := range outs {
		m.ctx = ctx
		a.sender.enqueue(work, m)
	}
	go func() {
		for _, m := range outs {
			err := <-m.done
			if errors.Is(err, errAborted) || (a.cfg.WebhookURL != "" && errors.Is(err, errGaveUp)) {
				finished = false
			}
		}
		if !finished {
			_ = a.cfg.Dedup.Forget(context.WithoutCancel(ctx), key)
		}
		j.done(finished)
	}()
}

// handle calls the handler, turning a panic into an error reply.
func (a *Adapter) handle(ctx context.Context, req bot.Request) (rep bot.Reply) {
	defer func() {
		if r := recover(); r != nil {
			a.log.Error("bot handler panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			rep = bot.Reply{Kind: bot.ReplyError, Body: []bot.Span{{Text: apology}}}
		}
	}()
	return a.h.Handle(ctx, req)
}

// suggest calls the handler's Suggest for an inline query, turning a panic into no
// suggestions. An inline query comes from no chat (Telegram does not say where the result
// will be sent), so no ChatID is given: in archive mode the suggestions come from the
// briefing that answers query best, or the one its "in:" names, else the newest — never a
// chat's current briefing. Each result carries its briefing's id in its buttons and citation,
// so it means the same wherever it is sent.
func (a *Adapter) suggest(ctx context.Context, query string) (reps []bot.Reply) {
	defer func() {
		if r := recover(); r != nil {
			a.log.Error("bot suggest panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			reps = nil
		}
	}()
	return a.h.Suggest(ctx, bot.SuggestRequest{Query: query, Platform: Platform, Max: a.cfg.InlineResults, Limits: limits})
}

// sendParams are the sendMessage parameters for rendered text in the plan's chat and topic.
func (a *Adapter) sendParams(p plan, r rendered) tgbotapi.Params {
	params := tgbotapi.Params{
		"chat_id":                  strconv.FormatInt(p.chatID, 10),
		"text":                     r.HTML,
		"parse_mode":               tgbotapi.ModeHTML,
		"disable_web_page_preview": "true",
	}
	params.AddNonZero("message_thread_id", p.thread)
	if p.replyTo != 0 {
		params.AddNonZero("reply_to_message_id", p.replyTo)
		params.AddBool("allow_sending_without_reply", true)
	}
	if r.Keyboard != nil {
		_ = params.AddInterface("reply_markup", r.Keyboard)
	}
	return params
}

// messageReplies renders a reply to a message: in a group, an answer given there a moment ago
// becomes a pointer to it.
func (a *Adapter) messageReplies(ctx context.Context, p plan, rep bot.Reply) []*outMsg {
	if rep.Kind == bot.ReplySilent {
		return nil
	}
	r := a.renderLogged(rep)
	if r.empty() {
		return nil
	}
	m := &outMsg{method: "sendMessage", params: a.sendParams(p, r), chatID: p.chatID, group: p.group}
	out := a.answerOrPointer(ctx, p, rep, m)
	a.trackForEdits(p, out)
	return []*outMsg{out}
}

func (a *Adapter) renderLogged(rep bot.Reply) rendered {
	r := render(rep)
	if len(r.Dropped) > 0 {
		a.log.Warn("telegram: action ids not usable as callback_data (1-64 bytes) were left out", "ids", r.Dropped)
	}
	return r
}

// callbackReplies acknowledges a button press and answers it: an expired or invalid button
// only in the callback answer; a page turn by editing the message in place; a button on an
// inline-mode message by editing that message; anything else as a new message in the chat
// (in a group, a pointer to the same answer given there a moment ago).
func (a *Adapter) callbackReplies(ctx context.Context, p plan, rep bot.Reply) []*outMsg {
	ack := tgbotapi.Params{"callback_query_id": p.callbackID}
	acked := []*outMsg{{method: "answerCallbackQuery", params: ack}}
	if rep.Kind == bot.ReplySilent {
		return acked
	}
	r := a.renderLogged(rep)
	switch rep.Kind {
	case bot.ReplyExpired, bot.ReplyInvalid, bot.ReplyThrottled:
		r = rendered{} // said in the callback answer only
	}
	switch {
	case r.empty() || (p.chatID == 0 && p.inlineMsgID == ""):
		if t := plainText(rep); t != "" {
			ack["text"] = ellipsize(t, maxCallbackAnswer)
		}
		return acked
	case p.chatID == 0: // an inline-mode message: edit it
		edit := editParams(r)
		edit["inline_message_id"] = p.inlineMsgID
		return append(acked, &outMsg{method: "editMessageText", params: edit})
	case isPageTurn(p.origText, rep):
		edit := editParams(r)
		edit["chat_id"] = strconv.FormatInt(p.chatID, 10)
		edit.AddNonZero("message_id", p.origMsgID)
		return append(acked, &outMsg{method: "editMessageText", params: edit, chatID: p.chatID, group: p.group})
	}
	m := &outMsg{method: "sendMessage", params: a.sendParams(p, r), chatID: p.chatID, group: p.group}
	return append(acked, a.answerOrPointer(ctx, p, rep, m))
}

// editParams are the editMessageText parameters for rendered text.
func editParams(r rendered) tgbotapi.Params {
	params := tgbotapi.Params{
		"text":                     r.HTML,
		"parse_mode":               tgbotapi.ModeHTML,
		"disable_web_page_preview": "true",
	}
	if r.Keyboard != nil {
		_ = params.AddInterface("reply_markup", r.Keyboard)
	}
	return params
}

// isPageTurn reports whether rep is another page of the paged message whose text (as Telegram
// returns it, markup removed) is orig: orig ends with a page label of the same page count and
// the same question header.
func isPageTurn(orig string, rep bot.Reply) bool {
	if rep.Pages < 2 || orig == "" {
		return false
	}
	if !strings.HasSuffix(strings.TrimSpace(orig), "/"+strconv.Itoa(rep.Pages)+")") {
		return false
	}
	if rep.Number > 0 {
		return strings.HasPrefix(orig, strconv.Itoa(rep.Number)+". ")
	}
	return true
}

// inlineAnswer builds answerInlineQuery with the handler's suggestions as articles.
func (a *Adapter) inlineAnswer(ctx context.Context, p plan) *outMsg {
	var results []any
	seen := map[string]bool{}
	for _, rep := range a.suggest(ctx, p.req.Text) {
		r := a.renderLogged(rep) // its buttons come back as callbacks with an inline_message_id
		if r.empty() {
			continue
		}
		id := "q" + strconv.Itoa(rep.Number)
		if rep.Number <= 0 {
			id = "r" + strconv.Itoa(len(results))
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		title := bot.QuestionLabel(rep.Question) // a result's title: the question, not who asked it
		if rep.Number > 0 {
			title = strconv.Itoa(rep.Number) + ". " + title
		}
		if title == "" {
			title = plainText(rep)
		}
		var body string
		for _, sp := range rep.Body {
			body += sp.Text
		}
		art := tgbotapi.NewInlineQueryResultArticleHTML(id, ellipsize(title, 120), r.HTML)
		art.Description = ellipsize(plainText(bot.Reply{Body: []bot.Span{{Text: body}}}), 120)
		art.ReplyMarkup = r.Keyboard
		if c, ok := art.InputMessageContent.(tgbotapi.InputTextMessageContent); ok {
			c.DisableWebPagePreview = true
			art.InputMessageContent = c
		}
		results = append(results, art)
		if len(results) == 50 {
			break
		}
	}
	params := tgbotapi.Params{
		"inline_query_id": p.inlineID,
		"cache_time":      strconv.Itoa(int(a.cfg.InlineCacheTime / 1e9)),
	}
	if results == nil {
		results = []any{}
	}
	if err := params.AddInterface("results", results); err != nil {
		a.log.Error("telegram inline results not encodable", "err", err)
		return nil
	}
	return &outMsg{method: "answerInlineQuery", params: params}
}
