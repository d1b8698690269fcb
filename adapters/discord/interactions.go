package discord

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"transcriptbot/bot"
)

// Command names as registered with Discord.
const (
	cmdAsk         = "ask"
	cmdAnswer      = "answer"
	cmdQuestions   = "questions"
	cmdHelp        = "help"
	cmdAnswerThis  = "Answer from transcript"
	optQuestion    = "question"
	optIn          = "in"
	optPrivate     = "private"
	optNumber      = "number"
	optPage        = "page"
	followupWindow = 14 * time.Minute // interaction tokens live 15 minutes
)

// response is an interaction response before it goes on the wire.
type response struct {
	Type    discordgo.InteractionResponseType
	Msg     message                                     // types 4 and 7
	Choices []*discordgo.ApplicationCommandOptionChoice // type 8
}

// wireResponse is the JSON of an acknowledgement (PONG, deferrals). Responses with a message
// or choices use messageData and choicesData, which unlike discordgo's types always carry the
// fields Discord needs: the choices list even when empty, empty lists that clear old embeds
// and buttons on update, and allowed mentions with an empty parse list.
type wireResponse struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data *wireData                         `json:"data,omitempty"`
}

type wireData struct {
	Flags discordgo.MessageFlags `json:"flags,omitempty"`
}

// choicesData marshals an autocomplete answer with its choices list always present.
type choicesData struct {
	Choices []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
}

type messageData struct {
	Content         string                            `json:"content"`
	Embeds          []*discordgo.MessageEmbed         `json:"embeds"`
	Components      []discordgo.MessageComponent      `json:"components"`
	AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions"`
	Flags           discordgo.MessageFlags            `json:"flags,omitempty"`
}

// wire returns the JSON-ready form of r.
func (r response) wire() any {
	switch r.Type {
	case discordgo.InteractionApplicationCommandAutocompleteResult:
		ch := r.Choices
		if ch == nil {
			ch = []*discordgo.ApplicationCommandOptionChoice{}
		}
		return struct {
			Type discordgo.InteractionResponseType `json:"type"`
			Data choicesData                       `json:"data"`
		}{r.Type, choicesData{ch}}
	case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseUpdateMessage:
		return struct {
			Type discordgo.InteractionResponseType `json:"type"`
			Data messageData                       `json:"data"`
		}{r.Type, wireMessage(r.Msg)}
	case discordgo.InteractionResponseDeferredChannelMessageWithSource:
		if r.Msg.Ephemeral {
			return wireResponse{Type: r.Type, Data: &wireData{Flags: discordgo.MessageFlagsEphemeral}}
		}
	}
	return wireResponse{Type: r.Type}
}

func wireMessage(m message) messageData {
	d := messageData{
		Content:         m.Content,
		Embeds:          m.Embeds,
		Components:      m.Components,
		AllowedMentions: noMentions(),
	}
	if d.Embeds == nil {
		d.Embeds = []*discordgo.MessageEmbed{}
	}
	if d.Components == nil {
		d.Components = []discordgo.MessageComponent{}
	}
	if m.Ephemeral {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return d
}

func reply(m message) response {
	return response{Type: discordgo.InteractionResponseChannelMessageWithSource, Msg: m}
}

func ephemeral(text string) response {
	return reply(message{Content: text, Ephemeral: true})
}

// serve answers interaction i: within window directly through ack, otherwise with a deferred
// acknowledgement through ack and the answer later over REST. ack is called exactly once,
// before serve returns.
func (a *Adapter) serve(parent context.Context, i *discordgo.Interaction, window time.Duration, ack func(response) error) {
	if a.getAppID() == "" && i.AppID != "" {
		a.appID.Store(i.AppID)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), followupWindow)
	done := make(chan response, 1)
	a.inflight.add()
	go func() {
		defer a.inflight.done()
		done <- a.guard(a.safeDispatch(ctx, i))
	}()
	timer := time.NewTimer(window)
	defer timer.Stop()
	select {
	case resp := <-done:
		cancel()
		if err := ack(resp); err != nil {
			a.log.Error("discord: answering interaction failed", "interaction", i.ID, "err", a.redact(err, i.Token))
		}
		return
	case <-timer.C:
	}
	if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
		// Autocomplete cannot be deferred: offer no choices rather than none at all.
		cancel()
		if err := ack(response{Type: discordgo.InteractionApplicationCommandAutocompleteResult}); err != nil {
			a.log.Error("discord: answering autocomplete failed", "interaction", i.ID, "err", a.redact(err, i.Token))
		}
		return
	}
	def := a.deferred(i)
	if err := ack(def); err != nil {
		cancel()
		a.log.Error("discord: deferring interaction failed", "interaction", i.ID, "err", a.redact(err, i.Token))
		return
	}
	a.inflight.add()
	go func() {
		defer a.inflight.done()
		defer cancel()
		defer a.recoverPanic("follow-up")
		a.finish(ctx, i, def, <-done)
	}()
}

// guard replaces a message that would break Discord's limits (which render should never
// produce) with a short apology, so Discord does not reject the response outright.
func (a *Adapter) guard(r response) response {
	if r.Type != discordgo.InteractionResponseChannelMessageWithSource && r.Type != discordgo.InteractionResponseUpdateMessage {
		return r
	}
	if r.Msg.Silent {
		return r
	}
	if err := checkLimits(r.Msg); err != nil {
		a.log.Error("discord: rendered reply breaks Discord's limits", "err", err)
		return ephemeral(textError)
	}
	return r
}

// deferred is the acknowledgement sent when the answer is not ready in time.
func (a *Adapter) deferred(i *discordgo.Interaction) response {
	if i.Type == discordgo.InteractionMessageComponent {
		return response{Type: discordgo.InteractionResponseDeferredMessageUpdate}
	}
	return response{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Msg:  message{Ephemeral: wantsEphemeral(i)},
	}
}

// finish delivers resp after the deferred acknowledgement def. Discord may not have
// processed the acknowledgement yet when the answer is ready just after the window, so a
// "not found" is retried once, shortly after.
func (a *Adapter) finish(ctx context.Context, i *discordgo.Interaction, def, resp response) {
	err := a.finishOnce(ctx, i, def, resp)
	var re *restError
	if errors.As(err, &re) && re.Status == http.StatusNotFound {
		t := time.NewTimer(notFoundRetry)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
			err = a.finishOnce(ctx, i, def, resp)
		}
	}
	if err != nil {
		a.log.Error("discord: sending follow-up failed", "interaction", i.ID, "err", a.redact(err, i.Token))
	}
}

// notFoundRetry is the pause before retrying a follow-up that found no original response.
const notFoundRetry = 300 * time.Millisecond

func (a *Adapter) finishOnce(ctx context.Context, i *discordgo.Interaction, def, resp response) error {
	var err error
	switch {
	case resp.Type == discordgo.InteractionResponseDeferredMessageUpdate:
		return nil // nothing to change
	case resp.Msg.Silent:
		// Muted by flood control: take the "thinking…" away and say nothing.
		err = a.deleteOriginal(ctx, i)
	case resp.Type == discordgo.InteractionResponseUpdateMessage,
		def.Type == discordgo.InteractionResponseDeferredChannelMessageWithSource && (def.Msg.Ephemeral || !resp.Msg.Ephemeral):
		err = a.editOriginal(ctx, i, resp.Msg)
	default:
		if def.Type == discordgo.InteractionResponseDeferredChannelMessageWithSource {
			// A public "thinking…" cannot become ephemeral: remove it, answer privately.
			if derr := a.deleteOriginal(ctx, i); derr != nil {
				a.log.Warn("discord: deleting deferred response failed", "interaction", i.ID, "err", a.redact(derr, i.Token))
			}
		}
		err = a.followUp(ctx, i, resp.Msg)
	}
	return err
}

// safeDispatch is dispatch with panics turned into a logged error and an apology.
func (a *Adapter) safeDispatch(ctx context.Context, i *discordgo.Interaction) (resp response) {
	defer func() {
		if p := recover(); p != nil {
			a.logPanic("interaction", p)
			if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
				resp = response{Type: discordgo.InteractionApplicationCommandAutocompleteResult}
			} else {
				resp = ephemeral(textError)
			}
		}
	}()
	return a.dispatch(ctx, i)
}

// recoverPanic logs a recovered panic; deferred at the top of every handler and goroutine.
func (a *Adapter) recoverPanic(where string) {
	if p := recover(); p != nil {
		a.logPanic(where, p)
	}
}

// logPanic logs a recovered panic with its stack.
func (a *Adapter) logPanic(where string, p any) {
	a.log.Error("discord: panic recovered", "in", where, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
}

// dispatch computes the response to an interaction.
func (a *Adapter) dispatch(ctx context.Context, i *discordgo.Interaction) response {
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			return ephemeral(textStale)
		}
		if data.CommandType == discordgo.MessageApplicationCommand {
			return a.answerMessage(ctx, i, data)
		}
		return a.command(ctx, i, data)
	case discordgo.InteractionApplicationCommandAutocomplete:
		data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			return response{Type: discordgo.InteractionApplicationCommandAutocompleteResult}
		}
		return a.autocomplete(ctx, i, data)
	case discordgo.InteractionMessageComponent:
		data, ok := i.Data.(discordgo.MessageComponentInteractionData)
		if !ok {
			return ephemeral(textExpired)
		}
		return a.button(ctx, i, data)
	}
	return ephemeral("I can't handle this kind of interaction.")
}

// helpOnDiscord is added to the bot's /help text: the ways to ask that only Discord has, and
// the promise that matters to a server's admins.
const helpOnDiscord = "\n\nOn Discord: /ask with your question, a mention of me, or a message's Apps menu → " +
	"“Answer from transcript” (answers that message, in a reply). I post only when asked: nothing when " +
	"I join a server, nothing in channels unless someone asks me there."

// request fills the platform-neutral fields of a request from an interaction.
func (a *Adapter) request(i *discordgo.Interaction) bot.Request {
	req := bot.Request{
		Platform: Platform,
		Private:  i.GuildID == "",
		ChatID:   i.ChannelID,
		Locale:   string(i.Locale),
		Limits:   replyLimits,
	}
	switch {
	case i.Member != nil && i.Member.User != nil:
		req.UserID = i.Member.User.ID
	case i.User != nil: // DMs carry no guild member
		req.UserID = i.User.ID
	}
	return req
}

// command answers a slash command.
func (a *Adapter) command(ctx context.Context, i *discordgo.Interaction, data discordgo.ApplicationCommandInteractionData) response {
	req := a.request(i)
	req.Kind = bot.KindCommand
	private := false
	switch data.Name {
	case cmdAsk:
		q, ok := stringOption(data.Options, optQuestion)
		if !ok {
			return ephemeral(textStale)
		}
		p, ok := boolOption(data.Options, optPrivate)
		if !ok {
			return ephemeral(textStale)
		}
		if in, ok := stringOption(data.Options, optIn); ok && a.cfg.Briefings != nil {
			// The archive's own syntax: the bot narrows the question to that briefing or period.
			if in = strings.Join(strings.Fields(in), ""); in != "" {
				q = "in:" + in + " " + q
			}
		}
		req.Command, req.Text, private = cmdAsk, q, p
	case cmdAnswer:
		n, ok := numberOption(data.Options, optNumber)
		if !ok {
			return ephemeral(textStale)
		}
		req.Command, req.Text = cmdAnswer, n
		if in, ok := stringOption(data.Options, optIn); ok && a.cfg.Briefings != nil {
			// Question n of that briefing: the archive's BRIEFING#N.
			if in = strings.Join(strings.Fields(in), ""); in != "" {
				req.Text = in + "#" + n
			}
		}
	case cmdQuestions:
		req.Command = cmdQuestions
		if findOption(data.Options, optPage) != nil {
			p, ok := numberOption(data.Options, optPage)
			if !ok {
				return ephemeral(textStale)
			}
			req.Text = p
		}
	case cmdHelp:
		req.Command = cmdHelp
	default:
		return ephemeral(textUnknown)
	}
	rep := a.h.Handle(ctx, req)
	if req.Command == cmdHelp && rep.Kind == bot.ReplyHelp {
		rep.Body = append(rep.Body, bot.Span{Text: helpOnDiscord})
	}
	m := a.render(rep)
	if private {
		m.Ephemeral = true
	}
	if m.Ephemeral || m.Silent {
		return reply(m)
	}
	if earlier := a.earlierAnswer(ctx, i.GuildID, i.ChannelID, rep); earlier != "" {
		// A slash command must be answered: privately, pointing to the earlier answer.
		return earlierNote(i.GuildID, i.ChannelID, earlier, rep.Number)
	}
	// The interaction's own response is not remembered: its message id would cost another
	// REST call per answer to learn.
	return reply(m)
}

// answerMessage answers the target of the "Answer from transcript" context-menu command on its
// author's behalf: a reply to that message in the channel, and a private note to the invoker.
func (a *Adapter) answerMessage(ctx context.Context, i *discordgo.Interaction, data discordgo.ApplicationCommandInteractionData) response {
	if data.Name != cmdAnswerThis {
		return ephemeral(textUnknown)
	}
	var target *discordgo.Message
	if data.Resolved != nil {
		target = data.Resolved.Messages[data.TargetID]
	}
	if target == nil {
		return ephemeral(textStale)
	}
	text := strings.TrimSpace(target.Content)
	if text == "" {
		return ephemeral(textNoText)
	}
	req := a.request(i)
	req.Kind, req.Command, req.Text, req.IsReply = bot.KindCommand, cmdAsk, text, true
	rep := a.h.Handle(ctx, req)
	m := a.render(rep)
	if m.Silent || m.Ephemeral {
		return reply(m)
	}
	if a.hasToken() && i.GuildID != "" && i.ChannelID != "" {
		if earlier := a.earlierAnswer(ctx, i.GuildID, i.ChannelID, rep); earlier != "" {
			err := a.postPointer(ctx, i.GuildID, i.ChannelID, earlier, rep.Number)
			if err == nil {
				return ephemeral("That was asked and answered a moment ago: I pointed to the earlier answer in the channel.")
			}
			a.log.Info("discord: pointing to the earlier answer failed (deleted?); answering in full", "channel", i.ChannelID, "err", a.redact(err))
		}
		fail := false
		send := &discordgo.MessageSend{
			Content:         m.Content,
			Embeds:          m.Embeds,
			Components:      m.Components,
			AllowedMentions: noMentions(),
			Reference: &discordgo.MessageReference{
				MessageID: target.ID, ChannelID: i.ChannelID, GuildID: i.GuildID, FailIfNotExists: &fail,
			},
		}
		sent, err := a.session.ChannelMessageSendComplex(i.ChannelID, send, discordgo.WithContext(ctx))
		if err == nil {
			if sent != nil {
				a.remember(ctx, i.GuildID, i.ChannelID, rep, sent.ID)
			}
			return ephemeral("Answered in the channel, as a reply to that message.")
		}
		a.log.Warn("discord: replying in the channel failed; answering the interaction instead", "channel", i.ChannelID, "err", a.redact(err))
	}
	// No channel access (DM, missing permission, HTTP-only without a token): answer the
	// interaction itself, pointing at the message answered when its ids are known.
	if link := jumpLink(i.GuildID, i.ChannelID, target); link != "" && m.Content == "" {
		m.Content = "Answer to " + link
	}
	return reply(m)
}

// jumpLink returns the link to message target in the interaction's channel (or the one the
// message names), or "" when the channel or the message id is unknown.
func jumpLink(guildID, channelID string, target *discordgo.Message) string {
	if channelID == "" {
		channelID = target.ChannelID
	}
	if channelID == "" || target.ID == "" {
		return ""
	}
	if guildID == "" {
		guildID = "@me"
	}
	return fmt.Sprintf("https://discord.com/channels/%s/%s/%s", guildID, channelID, target.ID)
}

// button answers a button press.
func (a *Adapter) button(ctx context.Context, i *discordgo.Interaction, data discordgo.MessageComponentInteractionData) response {
	req := a.request(i)
	req.Kind, req.Action = bot.KindButton, data.CustomID
	r := a.h.Handle(ctx, req)
	m := a.render(r)
	switch {
	case m.Silent:
		return response{Type: discordgo.InteractionResponseDeferredMessageUpdate}
	case m.Ephemeral || r.Kind == bot.ReplyExpired:
		m.Ephemeral = true
		return reply(m)
	}
	return response{Type: discordgo.InteractionResponseUpdateMessage, Msg: m}
}

// autocomplete offers briefings for the "in" options, and questions for /answer number as the
// user types digits or words. The questions offered are those /answer would open in this
// channel: of the briefing the "in" option already filled names, else of the chat's current
// briefing (the bot is asked with the same Platform and ChatID as the command's Request).
func (a *Adapter) autocomplete(ctx context.Context, i *discordgo.Interaction, data discordgo.ApplicationCommandInteractionData) response {
	resp := response{Type: discordgo.InteractionApplicationCommandAutocompleteResult, Choices: []*discordgo.ApplicationCommandOptionChoice{}}
	var focused *discordgo.ApplicationCommandInteractionDataOption
	for _, o := range data.Options {
		if o != nil && o.Focused {
			focused = o
		}
	}
	if focused != nil && focused.Name == optIn && (data.Name == cmdAsk || data.Name == cmdAnswer) && a.cfg.Briefings != nil {
		typed, _ := focused.Value.(string)
		for _, c := range a.cfg.Briefings(cutUTF16(strings.TrimSpace(typed), 100), maxChoices) {
			if len(resp.Choices) == maxChoices {
				break
			}
			if c.Value == "" || bot.UTF16Len(c.Value) > 100 || (c.Period && data.Name == cmdAnswer) {
				continue // /answer's "in" names one briefing: "2020-06#3" opens none
			}
			resp.Choices = append(resp.Choices, &discordgo.ApplicationCommandOptionChoice{Name: cutUTF16(oneLine(c.Name), maxChoiceName), Value: c.Value})
		}
		return resp
	}
	if focused == nil || focused.Name != optNumber || data.Name != cmdAnswer {
		return resp
	}
	query := ""
	switch v := focused.Value.(type) {
	case string: // partial input arrives as a string
		query = v
	case float64:
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			query = strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	query = strings.TrimSpace(query)
	if bot.UTF16Len(query) > 100 {
		query = cutUTF16(query, 100)
	}
	chat := a.request(i)
	sreq := bot.SuggestRequest{Query: query, Platform: chat.Platform, ChatID: chat.ChatID, Max: maxChoices,
		Limits: bot.Limits{Body: 200, Title: maxChoiceName}}
	if in, ok := stringOption(data.Options, optIn); ok && a.cfg.Briefings != nil {
		// The briefing /answer will open: the command sends "IN#N" (see command).
		sreq.Briefing = strings.Join(strings.Fields(in), "")
	}
	seen := map[int]bool{}
	for _, r := range a.h.Suggest(ctx, sreq) {
		if len(resp.Choices) == maxChoices {
			break
		}
		if r.Number <= 0 || seen[r.Number] || (a.questions() > 0 && r.Number > a.questions()) {
			continue
		}
		seen[r.Number] = true
		resp.Choices = append(resp.Choices, &discordgo.ApplicationCommandOptionChoice{
			Name:  choiceName(r.Number, r.Question),
			Value: r.Number,
		})
	}
	return resp
}
