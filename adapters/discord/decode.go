package discord

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// Discord adds message component types every few months (18, Label, came to modals in 2025;
// Components V2 brought 9 to 17), and discordgo refuses a whole interaction or message that
// holds a component type it does not know. A message command carries its whole target
// message, components included, so the day someone's message holds a component newer than
// the library, answering it would fail. The adapter therefore decodes interactions and
// messages itself, into what it needs and nothing more: unknown fields and component types
// are ignored, absent optional fields stay empty, and only a payload that is not a JSON object
// or lacks what every interaction has (its type, id and token) is refused.

// errMalformed is wrapped by every decoding error: the payload cannot be an interaction.
var errMalformed = errors.New("malformed interaction")

// snowflake is a Discord id. Discord sends ids as strings; a number is accepted too.
type snowflake string

func (s *snowflake) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*s = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = snowflake(v)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("an id must be a string or a number, got %.20s", b)
	}
	if _, err := strconv.ParseUint(n.String(), 10, 64); err != nil {
		return fmt.Errorf("an id must be a whole number, got %s", n)
	}
	*s = snowflake(n.String())
	return nil
}

type inUser struct {
	ID         snowflake `json:"id"`
	Username   string    `json:"username"`
	GlobalName string    `json:"global_name"`
	Bot        bool      `json:"bot"`
	System     bool      `json:"system"`
	Locale     string    `json:"locale"`
}

func (u *inUser) user() *discordgo.User {
	if u == nil {
		return nil
	}
	return &discordgo.User{ID: string(u.ID), Username: u.Username, GlobalName: u.GlobalName, Bot: u.Bot, System: u.System, Locale: u.Locale}
}

type inMember struct {
	User *inUser `json:"user"`
	Nick *string `json:"nick"`
}

// inMessage is the part of a message the adapter reads: not its components, embeds,
// attachments or anything else Discord may add. Its components are read only for the text of
// a Components V2 message, which has no content.
type inMessage struct {
	ID           snowflake             `json:"id"`
	Type         discordgo.MessageType `json:"type"`
	ChannelID    snowflake             `json:"channel_id"`
	GuildID      snowflake             `json:"guild_id"`
	Content      string                `json:"content"`
	Author       *inUser               `json:"author"`
	Mentions     []*inUser             `json:"mentions"`
	MentionRoles []snowflake           `json:"mention_roles"`
	Components   json.RawMessage       `json:"components"`
}

func (m *inMessage) message() *discordgo.Message {
	out := &discordgo.Message{
		ID: string(m.ID), Type: m.Type, ChannelID: string(m.ChannelID), GuildID: string(m.GuildID),
		Content: m.Content, Author: m.Author.user(),
	}
	if out.Content == "" {
		// A Components V2 message has no content: its text is in its text displays.
		var b strings.Builder
		componentText(&b, m.Components, 0)
		out.Content = b.String()
	}
	for _, u := range m.Mentions {
		if u != nil {
			out.Mentions = append(out.Mentions, u.user())
		}
	}
	for _, r := range m.MentionRoles {
		out.MentionRoles = append(out.MentionRoles, string(r))
	}
	return out
}

// inComponent is what componentText reads of a component of any type, known or not.
type inComponent struct {
	Type       int               `json:"type"`
	Content    string            `json:"content"`
	Components []json.RawMessage `json:"components"`
	Component  json.RawMessage   `json:"component"`
	Accessory  json.RawMessage   `json:"accessory"`
}

// textDisplay is the component type whose content is message text (Components V2).
const textDisplay = 10

// maxComponentDepth bounds componentText's recursion (Discord nests three levels at most).
const maxComponentDepth = 8

// componentText appends to b, one per line, the text of the text displays in raw (a component
// or a list of them, of any type), looking inside the children of every component. Whatever
// it cannot read is skipped.
func componentText(b *strings.Builder, raw json.RawMessage, depth int) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || depth > maxComponentDepth {
		return
	}
	if raw[0] == '[' {
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) == nil {
			for _, c := range list {
				componentText(b, c, depth+1)
			}
		}
		return
	}
	var c inComponent
	if json.Unmarshal(raw, &c) != nil {
		return
	}
	if c.Type == textDisplay && strings.TrimSpace(c.Content) != "" {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.TrimSpace(c.Content))
	}
	for _, child := range c.Components {
		componentText(b, child, depth+1)
	}
	componentText(b, c.Component, depth+1)
	componentText(b, c.Accessory, depth+1)
}

// decodeMessage decodes a message (a MESSAGE_CREATE event's data, a message command's
// target) into the fields the adapter reads.
func decodeMessage(b []byte) (*discordgo.Message, error) {
	var m inMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("malformed message: %w", err)
	}
	return m.message(), nil
}

// inInteraction is the part of an interaction the adapter reads.
type inInteraction struct {
	ID        snowflake                 `json:"id"`
	AppID     snowflake                 `json:"application_id"`
	Type      discordgo.InteractionType `json:"type"`
	Data      json.RawMessage           `json:"data"`
	GuildID   snowflake                 `json:"guild_id"`
	ChannelID snowflake                 `json:"channel_id"`
	Channel   *struct {
		ID snowflake `json:"id"`
	} `json:"channel"`
	Member  *inMember `json:"member"`
	User    *inUser   `json:"user"`
	Token   string    `json:"token"`
	Version int       `json:"version"`
	Locale  string    `json:"locale"`
}

// inCommandData is the data of an application command or autocomplete interaction.
type inCommandData struct {
	ID          snowflake                                            `json:"id"`
	Name        string                                               `json:"name"`
	CommandType discordgo.ApplicationCommandType                     `json:"type"`
	Options     []*discordgo.ApplicationCommandInteractionDataOption `json:"options"`
	TargetID    snowflake                                            `json:"target_id"`
	Resolved    *struct {
		Messages map[string]json.RawMessage `json:"messages"`
	} `json:"resolved"`
}

// inComponentData is the data of a message component interaction (a button press).
type inComponentData struct {
	CustomID      string                  `json:"custom_id"`
	ComponentType discordgo.ComponentType `json:"component_type"`
	Values        []string                `json:"values"`
}

// inModalData is the data of a modal submit: its custom id, not its components.
type inModalData struct {
	CustomID string `json:"custom_id"`
}

// decodeInteraction decodes an interaction (an HTTP interaction's body, an INTERACTION_CREATE
// event's data) into a discordgo.Interaction holding what the adapter reads. The error wraps
// errMalformed and says what is wrong; the interaction's id is returned with it when known.
// A resolved message that cannot be decoded is left out (the command then finds no target),
// never the reason to refuse the interaction.
func decodeInteraction(b []byte) (*discordgo.Interaction, error) {
	var w inInteraction
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, fmt.Errorf("%w: %v", errMalformed, err)
	}
	i := &discordgo.Interaction{
		ID: string(w.ID), AppID: string(w.AppID), Type: w.Type, GuildID: string(w.GuildID),
		ChannelID: string(w.ChannelID), Token: w.Token, Version: w.Version, Locale: discordgo.Locale(w.Locale),
		User: w.User.user(),
	}
	if i.ChannelID == "" && w.Channel != nil {
		i.ChannelID = string(w.Channel.ID)
	}
	if w.Member != nil {
		i.Member = &discordgo.Member{User: w.Member.User.user(), GuildID: i.GuildID}
		if w.Member.Nick != nil {
			i.Member.Nick = *w.Member.Nick
		}
	}
	switch {
	case i.Type == 0:
		return i, fmt.Errorf("%w: no type", errMalformed)
	case i.Type == discordgo.InteractionPing:
		return i, nil
	case i.ID == "" || i.Token == "":
		return i, fmt.Errorf("%w: no id or token", errMalformed)
	}
	data := bytes.TrimSpace(w.Data)
	if len(data) == 0 || bytes.Equal(data, []byte("null")) {
		return i, nil // dispatch answers what it cannot use
	}
	var err error
	switch i.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		var d inCommandData
		if err = json.Unmarshal(data, &d); err == nil {
			cd := discordgo.ApplicationCommandInteractionData{
				ID: string(d.ID), Name: d.Name, CommandType: d.CommandType, Options: d.Options, TargetID: string(d.TargetID),
			}
			if d.Resolved != nil && len(d.Resolved.Messages) > 0 {
				cd.Resolved = &discordgo.ApplicationCommandInteractionDataResolved{Messages: map[string]*discordgo.Message{}}
				for id, raw := range d.Resolved.Messages {
					if m, merr := decodeMessage(raw); merr == nil {
						if m.ID == "" {
							m.ID = id
						}
						cd.Resolved.Messages[id] = m
					}
				}
			}
			i.Data = cd
		}
	case discordgo.InteractionMessageComponent:
		var d inComponentData
		if err = json.Unmarshal(data, &d); err == nil {
			i.Data = discordgo.MessageComponentInteractionData{CustomID: d.CustomID, ComponentType: d.ComponentType, Values: d.Values}
		}
	case discordgo.InteractionModalSubmit:
		var d inModalData
		if err = json.Unmarshal(data, &d); err == nil {
			i.Data = discordgo.ModalSubmitInteractionData{CustomID: d.CustomID}
		}
	}
	if err != nil {
		return i, fmt.Errorf("%w: data: %v", errMalformed, err)
	}
	return i, nil
}
