package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/bwmarrin/discordgo"

	"transcriptbot/bot"
)

// commands returns the application commands: /ask, /answer, /questions, /help and the
// message context-menu command.
func (a *Adapter) commands() []*discordgo.ApplicationCommand {
	one := 1.0
	minLen := 1
	dm := true
	number := &discordgo.ApplicationCommandOption{
		Type:         discordgo.ApplicationCommandOptionInteger,
		Name:         optNumber,
		Description:  "The question's number (type digits or words to search)",
		Required:     true,
		Autocomplete: true,
		MinValue:     &one,
	}
	if n := a.questions(); n > 0 {
		number.MaxValue = float64(n)
	}
	about := "the transcript"
	if a.cfg.Source != "" {
		about = oneLine(a.cfg.Source)
	}
	cmds := []*discordgo.ApplicationCommand{
		{
			Name:         cmdAsk,
			Type:         discordgo.ChatApplicationCommand,
			Description:  cutUTF16("Ask a question about "+about, 100),
			DMPermission: &dm,
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type:        discordgo.ApplicationCommandOptionString,
					Name:        optQuestion,
					Description: "Your question, in your own words",
					Required:    true,
					MinLength:   &minLen,
					MaxLength:   500,
				},
				{
					Type:        discordgo.ApplicationCommandOptionBoolean,
					Name:        optPrivate,
					Description: "Show the answer only to you",
				},
			},
		},
		{
			Name:         cmdAnswer,
			Type:         discordgo.ChatApplicationCommand,
			Description:  "Show the answer to a question by its number",
			DMPermission: &dm,
			Options:      []*discordgo.ApplicationCommandOption{number},
		},
		{
			Name:         cmdQuestions,
			Type:         discordgo.ChatApplicationCommand,
			Description:  cutUTF16("List the questions in "+about, 100),
			DMPermission: &dm,
			Options: []*discordgo.ApplicationCommandOption{{
				Type:        discordgo.ApplicationCommandOptionInteger,
				Name:        optPage,
				Description: "Start at this page of the list",
				MinValue:    &one,
			}},
		},
		{
			Name:         cmdHelp,
			Type:         discordgo.ChatApplicationCommand,
			Description:  "How to ask me about the transcript",
			DMPermission: &dm,
			Options:      []*discordgo.ApplicationCommandOption{},
		},
		{
			Name:         cmdAnswerThis,
			Type:         discordgo.MessageApplicationCommand,
			DMPermission: &dm,
		},
	}
	if a.cfg.Briefings != nil {
		cmds[0].Options = append(cmds[0].Options, &discordgo.ApplicationCommandOption{
			Type:         discordgo.ApplicationCommandOptionString,
			Name:         optIn,
			Description:  "Only this briefing or period (a date, 2020-06, 2020); type to search",
			Autocomplete: true,
			MaxLength:    100,
		})
		cmds[1].Options = append(cmds[1].Options, &discordgo.ApplicationCommandOption{
			Type:         discordgo.ApplicationCommandOptionString,
			Name:         optIn,
			Description:  "Of this briefing (a date or its id) instead of the current one; type to search",
			Autocomplete: true,
			MaxLength:    100,
		})
	}
	return cmds
}

// Register overwrites the application's commands with this bot's (a bulk overwrite, so it is
// idempotent): in Config.GuildID when set (instant), otherwise globally; then it sets the
// application's description (Description), which Discord shows on the bot's profile, so that a
// server's members and admins can read what the bot does and how to ask it without the bot
// posting anything uninvited.
func (a *Adapter) Register(ctx context.Context) error {
	if !a.hasToken() {
		return errors.New("discord: registering commands needs a bot token")
	}
	appID, err := a.resolveAppID(ctx)
	if err != nil {
		return err
	}
	cmds := a.commands()
	if _, err := a.session.ApplicationCommandBulkOverwrite(appID, a.cfg.GuildID, cmds, discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("discord: registering commands: %s", a.redact(err))
	}
	where := "globally"
	if a.cfg.GuildID != "" {
		where = "in guild " + a.cfg.GuildID
	}
	a.log.Info("discord: commands registered", "count", len(cmds), "where", where)
	desc := map[string]string{"description": a.Description()}
	if _, err := a.session.RequestWithBucketID(http.MethodPatch, discordgo.EndpointApplication("@me"), desc,
		discordgo.EndpointApplication("@me"), discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("discord: commands registered, but setting the application description failed: %s", a.redact(err))
	}
	return nil
}

// maxAppDescription is the longest application description Discord accepts, in characters.
const maxAppDescription = 400

// Description is the application description Register sets: what the bot answers from and the
// ways to ask it on Discord, at most 400 characters.
func (a *Adapter) Description() string {
	const how = ". Ask with /ask, mention me, or pick “Answer from transcript” in a message's Apps menu; " +
		"/questions lists the questions, /help tells more. I post only when asked."
	about := "a press-conference transcript"
	if a.cfg.Source != "" {
		about = "“" + oneLine(a.cfg.Source) + "”"
	}
	count := ""
	if n := a.questions(); n > 0 {
		count = fmt.Sprintf(", from its %d numbered questions and answers", n)
	}
	if room := maxAppDescription - bot.UTF16Len("I answer questions about "+count+how); bot.UTF16Len(about) > room {
		about = cutUTF16(strings.TrimSuffix(about, "”"), room-1) + "”" // cutUTF16 ends it with "…"
	}
	return "I answer questions about " + about + count + how
}

// resolveAppID returns the application id: configured, learnt from READY or an interaction,
// or read from /applications/@me, falling back to the bot user's id from /users/@me.
func (a *Adapter) resolveAppID(ctx context.Context) (string, error) {
	if id := a.getAppID(); id != "" {
		return id, nil
	}
	app, err := a.session.Application("@me")
	if err == nil && app != nil && app.ID != "" {
		a.appID.Store(app.ID)
		return app.ID, nil
	}
	u, uerr := a.session.User("@me", discordgo.WithContext(ctx))
	if uerr == nil && u != nil && u.ID != "" {
		a.appID.Store(u.ID)
		if a.getBotID() == "" {
			a.botID.Store(u.ID)
		}
		return u.ID, nil
	}
	if err == nil {
		err = uerr
	}
	return "", fmt.Errorf("discord: finding the application id: %s", a.redact(err))
}
