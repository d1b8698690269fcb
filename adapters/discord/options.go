package discord

import (
	"math"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// Reading the options of a slash command or autocomplete interaction.

// wantsEphemeral reports whether the answer to i is for the invoker only: /ask private:true,
// and the context-menu command's note (the answer itself goes to the channel).
func wantsEphemeral(i *discordgo.Interaction) bool {
	if i.Type != discordgo.InteractionApplicationCommand {
		return false
	}
	data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
	if !ok {
		return false
	}
	if data.CommandType == discordgo.MessageApplicationCommand {
		return true
	}
	p, _ := boolOption(data.Options, optPrivate)
	return p
}

func findOption(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) *discordgo.ApplicationCommandInteractionDataOption {
	for _, o := range opts {
		if o != nil && o.Name == name {
			return o
		}
	}
	return nil
}

// stringOption returns a required string option; ok is false when it is missing or has
// another type (a command registered with an older shape).
func stringOption(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) (string, bool) {
	o := findOption(opts, name)
	if o == nil || o.Type != discordgo.ApplicationCommandOptionString {
		return "", false
	}
	s, ok := o.Value.(string)
	return s, ok
}

// boolOption returns an optional boolean option (false when absent); ok is false when it has
// another type.
func boolOption(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) (bool, bool) {
	o := findOption(opts, name)
	if o == nil {
		return false, true
	}
	if o.Type != discordgo.ApplicationCommandOptionBoolean {
		return false, false
	}
	b, ok := o.Value.(bool)
	return b, ok
}

// numberOption returns a question number option as text for the bot core, which checks the
// range; an older string-typed shape is accepted too.
func numberOption(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) (string, bool) {
	o := findOption(opts, name)
	if o == nil {
		return "", false
	}
	switch o.Type {
	case discordgo.ApplicationCommandOptionInteger, discordgo.ApplicationCommandOptionNumber:
		switch v := o.Value.(type) {
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) || v != math.Trunc(v) || math.Abs(v) > 1e15 {
				return "", false
			}
			return strconv.FormatInt(int64(v), 10), true
		case string:
			return strings.TrimSpace(v), true
		}
	case discordgo.ApplicationCommandOptionString:
		if s, ok := o.Value.(string); ok {
			return strings.TrimSpace(s), true
		}
	}
	return "", false
}
