package discord

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"transcriptbot/bot"
)

// fatalCloseCodes are the gateway close codes after which reconnecting cannot help.
var fatalCloseCodes = map[int]string{
	4004: "authentication failed: the bot token is invalid",
	4010: "invalid shard",
	4011: "sharding required: run several shards",
	4012: "invalid API version",
	4013: "invalid intents",
	4014: "disallowed intents: enable them in the developer portal or drop them",
}

// FatalCloseError is returned by Run when Discord closes the gateway with a code after which
// reconnecting cannot succeed (4004, 4010–4014).
type FatalCloseError struct {
	Code   int    // the websocket close code
	Reason string // what the code means, for the operator
}

// Error implements error.
func (e *FatalCloseError) Error() string {
	return fmt.Sprintf("discord: gateway closed with code %d (%s); not reconnecting", e.Code, e.Reason)
}

// fatalClose reports whether err is a fatal gateway close.
func fatalClose(err error) (*FatalCloseError, bool) {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		if reason, ok := fatalCloseCodes[ce.Code]; ok {
			return &FatalCloseError{Code: ce.Code, Reason: reason}, true
		}
	}
	if errors.Is(err, discordgo.ErrWSShardBounds) {
		return &FatalCloseError{Code: 4010, Reason: fatalCloseCodes[4010]}, true
	}
	return nil, false
}

// Run connects to the gateway, registers the commands, and answers interactions and mentions
// until ctx is done; then it disconnects, waits for replies in flight, and returns nil. It
// reconnects with backoff after network errors, and returns a *FatalCloseError when Discord
// closes the connection with a fatal code.
func (a *Adapter) Run(ctx context.Context) error {
	if !a.hasToken() {
		return errors.New("discord: the gateway needs a bot token")
	}
	if !a.running.CompareAndSwap(false, true) {
		return errors.New("discord: Run is already running")
	}
	defer a.running.Store(false)
	a.runCtx.Store(&ctx)

	disconnected := make(chan struct{}, 1)
	remove := a.session.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) {
		a.connected.Store(false)
		select {
		case disconnected <- struct{}{}:
		default:
		}
	})
	defer remove()

	wait := a.cfg.ReconnectBackoff
	registered := false
	for {
		select {
		case <-disconnected: // stale signal from the previous connection
		default:
		}
		err := a.session.Open()
		if err == nil || errors.Is(err, discordgo.ErrWSAlreadyOpen) {
			a.connected.Store(true)
			connectedAt := time.Now()
			if err == nil {
				a.log.Info("discord: gateway connected", "shard", a.cfg.ShardID, "shards", a.session.ShardCount)
			}
			if !registered {
				if rerr := a.Register(ctx); rerr != nil {
					a.log.Error("discord: registering commands failed; existing commands stay", "err", rerr)
				}
				registered = true
			}
			select {
			case <-ctx.Done():
				return a.stop()
			case <-disconnected:
			}
			if time.Since(connectedAt) > stableConnection {
				wait = a.cfg.ReconnectBackoff // a long-lived connection dropped: start afresh
			}
			a.log.Warn("discord: gateway disconnected; reconnecting", "retry_in", wait)
		} else {
			if fe, ok := fatalClose(err); ok {
				a.connected.Store(false)
				return fe
			}
			a.log.Warn("discord: gateway connection failed", "err", a.redact(err), "retry_in", wait)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return a.stop()
		case <-t.C:
		}
		wait *= 2
		if wait > a.cfg.MaxReconnectWait {
			wait = a.cfg.MaxReconnectWait
		}
	}
}

// stableConnection is how long a connection must last for the reconnect backoff to reset.
const stableConnection = time.Minute

// stop closes the gateway and waits (a bounded time) for replies in flight.
func (a *Adapter) stop() error {
	a.connected.Store(false)
	if err := a.session.Close(); err != nil {
		a.log.Warn("discord: closing the gateway", "err", a.redact(err))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := a.Shutdown(ctx); err != nil {
		a.log.Warn("discord: " + err.Error())
	}
	return nil
}

// handlerContext is the context for work started by gateway events.
func (a *Adapter) handlerContext() context.Context {
	if p := a.runCtx.Load(); p != nil {
		return *p
	}
	return context.Background()
}

func (a *Adapter) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	defer a.recoverPanic("ready")
	if r == nil {
		return
	}
	if r.User != nil && r.User.ID != "" {
		a.botID.Store(r.User.ID)
	}
	if r.Application != nil && r.Application.ID != "" && a.getAppID() == "" {
		a.appID.Store(r.Application.ID)
	}
}

// gatewayAckAllowance is taken off the answer window for interactions received over the
// gateway, whose acknowledgement is a REST call of its own.
const gatewayAckAllowance = 500 * time.Millisecond

// onRawEvent decodes the gateway events the adapter answers, INTERACTION_CREATE and
// MESSAGE_CREATE, from their raw JSON with the tolerant decoder, and passes them on; an event
// that cannot be decoded at all is logged at level Warn with the reason and dropped.
func (a *Adapter) onRawEvent(s *discordgo.Session, e *discordgo.Event) {
	defer a.recoverPanic("event")
	if e == nil {
		return
	}
	switch e.Type {
	case "INTERACTION_CREATE":
		i, err := decodeInteraction(e.RawData)
		if err != nil {
			id := ""
			if i != nil {
				id = i.ID
			}
			a.log.Warn("discord: gateway interaction dropped", "reason", err.Error(), "interaction", id)
			return
		}
		a.onInteractionCreate(s, &discordgo.InteractionCreate{Interaction: i})
	case "MESSAGE_CREATE":
		m, err := decodeMessage(e.RawData)
		if err != nil {
			a.log.Warn("discord: gateway message dropped", "reason", err.Error())
			return
		}
		a.onMessageCreate(s, &discordgo.MessageCreate{Message: m})
	}
}

// onInteractionCreate answers an interaction received over the gateway: the initial response
// is a REST callback.
func (a *Adapter) onInteractionCreate(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
	a.inflight.add()
	defer a.inflight.done()
	defer a.recoverPanic("interaction")
	if ic == nil || ic.Interaction == nil {
		return
	}
	i := ic.Interaction
	ctx := a.handlerContext()
	if !a.claim(ctx, "interaction:"+i.ID) {
		a.log.Debug("discord: interaction already claimed; dropped", "interaction", i.ID)
		return
	}
	// The acknowledgement still has to travel to Discord over REST: leave it time to.
	window := max(a.cfg.AnswerWindow-gatewayAckAllowance, a.cfg.AnswerWindow/2)
	a.serve(ctx, i, window, func(r response) error {
		return a.callback(context.WithoutCancel(ctx), i, r)
	})
}

// onMessageCreate answers a message that mentions the bot in a channel, or any message in a
// DM, with a reply to that message; in a guild channel, a question answered there a moment
// ago gets a reply pointing to that answer instead.
func (a *Adapter) onMessageCreate(s *discordgo.Session, mc *discordgo.MessageCreate) {
	a.inflight.add()
	defer a.inflight.done()
	defer a.recoverPanic("message")
	if mc == nil || mc.Message == nil || mc.Author == nil || mc.Author.Bot || mc.Author.System {
		return
	}
	m := mc.Message
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return // joins, pins, boosts and other system messages
	}
	botID := a.getBotID()
	if botID == "" && s != nil && s.State != nil && s.State.User != nil {
		botID = s.State.User.ID
	}
	if botID == "" || m.Author.ID == botID {
		return
	}
	private := m.GuildID == ""
	mentioned := mentionsBot(m, botID)
	text := m.Content
	if roleID, ok := botRoleMentioned(s, m, botID); ok {
		// Typing "@Bot" often picks the bot's own (managed) role of the same name.
		mentioned = true
		text = strings.ReplaceAll(text, "<@&"+roleID+">", " ")
	}
	if !private && !mentioned {
		return
	}
	req := bot.Request{
		Kind:     bot.KindMessage,
		Platform: Platform,
		Text:     stripMention(text, botID),
		Private:  private,
		UserID:   m.Author.ID,
		ChatID:   m.ChannelID,
		Locale:   m.Author.Locale,
		Limits:   replyLimits,
	}
	if mentioned {
		req.Kind = bot.KindMention
	}
	ctx := a.handlerContext()
	if !a.claim(ctx, "message:"+m.ID) {
		a.log.Debug("discord: message already claimed; dropped", "message", m.ID)
		return
	}
	rep := a.h.Handle(ctx, req)
	out := a.render(rep)
	if out.Silent {
		return
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if earlier := a.earlierAnswer(sctx, m.GuildID, m.ChannelID, rep); earlier != "" {
		err := a.postPointer(sctx, m.GuildID, m.ChannelID, earlier, rep.Number)
		if err == nil {
			return
		}
		a.log.Info("discord: pointing to the earlier answer failed (deleted?); answering in full", "channel", m.ChannelID, "err", a.redact(err))
	}
	if err := checkLimits(out); err != nil {
		a.log.Error("discord: rendered reply breaks Discord's limits", "err", err)
		out = message{Content: textError}
	}
	fail := false
	send := &discordgo.MessageSend{
		Content:         out.Content,
		Embeds:          out.Embeds,
		Components:      out.Components,
		AllowedMentions: noMentions(),
		Reference:       &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID, GuildID: m.GuildID, FailIfNotExists: &fail},
	}
	sent, err := a.session.ChannelMessageSendComplex(m.ChannelID, send, discordgo.WithContext(sctx))
	if err != nil {
		a.log.Error("discord: replying to a mention failed", "channel", m.ChannelID, "err", a.redact(err))
		return
	}
	if sent != nil {
		a.remember(sctx, m.GuildID, m.ChannelID, rep, sent.ID)
	}
}

// mentionsBot reports whether m mentions the bot user.
func mentionsBot(m *discordgo.Message, botID string) bool {
	for _, u := range m.Mentions {
		if u != nil && u.ID == botID {
			return true
		}
	}
	return strings.Contains(m.Content, "<@"+botID+">") || strings.Contains(m.Content, "<@!"+botID+">")
}

// botRoleMentioned returns the id of a mentioned role that is the bot's own managed role in
// the message's guild, as known from the gateway state (GUILD_CREATE).
func botRoleMentioned(s *discordgo.Session, m *discordgo.Message, botID string) (string, bool) {
	if s == nil || s.State == nil || m.GuildID == "" || len(m.MentionRoles) == 0 {
		return "", false
	}
	member, err := s.State.Member(m.GuildID, botID)
	if err != nil || member == nil {
		return "", false
	}
	for _, rid := range m.MentionRoles {
		if !slices.Contains(member.Roles, rid) {
			continue
		}
		if role, err := s.State.Role(m.GuildID, rid); err == nil && role != nil && role.Managed {
			return rid, true
		}
	}
	return "", false
}

// stripMention removes the bot's mentions (<@id> and <@!id>) and the punctuation people put
// after a leading mention ("@Bot, what about…").
func stripMention(content, botID string) string {
	s := strings.ReplaceAll(content, "<@!"+botID+">", " ")
	s = strings.ReplaceAll(s, "<@"+botID+">", " ")
	s = strings.TrimSpace(s)
	s = strings.TrimLeft(s, ",:;")
	return strings.TrimSpace(s)
}
