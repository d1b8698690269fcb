package discordtest

import (
	"encoding/json"
	"fmt"
	"strings"

	"transcriptbot/bot"
)

// Discord's limits as the checks apply them, in UTF-16 code units (at least as strict as
// Discord's character counts).
const (
	MaxContent     = 2000
	MaxEmbeds      = 10
	MaxTitle       = 256
	MaxDescription = 4096
	MaxFooter      = 2048
	MaxFieldName   = 256
	MaxFieldValue  = 1024
	MaxFields      = 25
	MaxEmbedTotal  = 6000
	MaxRows        = 5
	MaxRowButtons  = 5
	MaxCustomID    = 100
	MaxLabel       = 80
	MaxChoices     = 25
	MaxChoiceName  = 100
)

// Message is a message as a bot sends it (interaction responses of types 4 and 7, follow-ups,
// edits, channel messages), decoded independently of discordgo.
type Message struct {
	Content *string `json:"content"`
	Embeds  []struct {
		Title       string `json:"title"`
		Description string `json:"description"`
		Footer      *struct {
			Text string `json:"text"`
		} `json:"footer"`
		Author *struct {
			Name string `json:"name"`
		} `json:"author"`
		Fields []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"fields"`
	} `json:"embeds"`
	Components []struct {
		Type       int `json:"type"`
		Components []struct {
			Type     int    `json:"type"`
			Style    int    `json:"style"`
			Label    string `json:"label"`
			CustomID string `json:"custom_id"`
			URL      string `json:"url"`
		} `json:"components"`
	} `json:"components"`
	AllowedMentions *struct {
		Parse *[]string `json:"parse"`
		Users []string  `json:"users"`
		Roles []string  `json:"roles"`
	} `json:"allowed_mentions"`
	Flags int `json:"flags"`
}

// Choice is an autocomplete choice.
type Choice struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// Response is an interaction response as an interactions endpoint returns it, decoded in one
// pass: a message for types 4 and 7, choices for type 8.
type Response struct {
	Type int `json:"type"`
	Data *struct {
		Message
		Choices *[]Choice `json:"choices"`
	} `json:"data"`
}

type measured struct {
	what   string
	n, max int
}

// CheckMessage decodes raw as a Message and checks it; see Message.Check.
func CheckMessage(raw []byte) (customIDs []string, reason string) {
	var m Message
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, "not a message: " + err.Error()
	}
	return m.Check()
}

// Check checks m against Discord's limits and the rule that nothing a bot sends pings
// (allowed_mentions.parse an empty list); it returns the custom ids of its buttons, or why it
// breaks a rule.
func (m *Message) Check() (customIDs []string, reason string) {
	if m.AllowedMentions == nil || m.AllowedMentions.Parse == nil || len(*m.AllowedMentions.Parse) > 0 ||
		len(m.AllowedMentions.Users) > 0 || len(m.AllowedMentions.Roles) > 0 {
		return nil, "allowed_mentions.parse is not an empty list"
	}
	content := ""
	if m.Content != nil {
		content = *m.Content
	}
	if n := bot.UTF16Len(content); n > MaxContent {
		return nil, fmt.Sprintf("content is %d long, over %d", n, MaxContent)
	}
	if len(m.Embeds) > MaxEmbeds {
		return nil, fmt.Sprintf("%d embeds, over %d", len(m.Embeds), MaxEmbeds)
	}
	total := 0
	for _, e := range m.Embeds {
		lens := []measured{{"embed title", bot.UTF16Len(e.Title), MaxTitle}, {"embed description", bot.UTF16Len(e.Description), MaxDescription}}
		if e.Footer != nil {
			lens = append(lens, measured{"embed footer", bot.UTF16Len(e.Footer.Text), MaxFooter})
		}
		if e.Author != nil {
			lens = append(lens, measured{"embed author", bot.UTF16Len(e.Author.Name), MaxTitle})
		}
		if len(e.Fields) > MaxFields {
			return nil, fmt.Sprintf("%d embed fields, over %d", len(e.Fields), MaxFields)
		}
		for _, f := range e.Fields {
			lens = append(lens, measured{"field name", bot.UTF16Len(f.Name), MaxFieldName}, measured{"field value", bot.UTF16Len(f.Value), MaxFieldValue})
		}
		for _, l := range lens {
			if l.n > l.max {
				return nil, fmt.Sprintf("%s is %d long, over %d", l.what, l.n, l.max)
			}
			total += l.n
		}
	}
	if total > MaxEmbedTotal {
		return nil, fmt.Sprintf("embeds total %d, over %d", total, MaxEmbedTotal)
	}
	if strings.TrimSpace(content) == "" && len(m.Embeds) == 0 {
		return nil, "message is empty"
	}
	if len(m.Components) > MaxRows {
		return nil, fmt.Sprintf("%d component rows, over %d", len(m.Components), MaxRows)
	}
	seen := map[string]bool{}
	for _, row := range m.Components {
		if row.Type != 1 || len(row.Components) == 0 || len(row.Components) > MaxRowButtons {
			return nil, fmt.Sprintf("action row of type %d with %d components", row.Type, len(row.Components))
		}
		for _, b := range row.Components {
			if b.Type != 2 {
				return nil, fmt.Sprintf("component of type %d in a row", b.Type)
			}
			if n := bot.UTF16Len(b.Label); n == 0 || n > MaxLabel {
				return nil, fmt.Sprintf("button label %q is %d long, want 1..%d", b.Label, n, MaxLabel)
			}
			if b.Style == 5 {
				continue // a link button has a URL, no custom id
			}
			if n := bot.UTF16Len(b.CustomID); n == 0 || n > MaxCustomID || seen[b.CustomID] {
				return nil, fmt.Sprintf("custom_id %q is %d long or repeated, want 1..%d and unique", b.CustomID, n, MaxCustomID)
			}
			seen[b.CustomID] = true
			customIDs = append(customIDs, b.CustomID)
		}
	}
	return customIDs, ""
}

// CheckChoices checks an autocomplete answer's choices (nil: the list is missing).
func CheckChoices(choices *[]Choice) string {
	if choices == nil {
		return "no choices list"
	}
	if len(*choices) > MaxChoices {
		return fmt.Sprintf("%d choices, over %d", len(*choices), MaxChoices)
	}
	for _, c := range *choices {
		if n := bot.UTF16Len(c.Name); n == 0 || n > MaxChoiceName {
			return fmt.Sprintf("choice name %q is %d long, want 1..%d", c.Name, n, MaxChoiceName)
		}
		// A number for an integer option; for a string option ("in" of /ask) a string of at
		// most 100 characters.
		if v, ok := c.Value.(string); ok {
			if n := bot.UTF16Len(v); n == 0 || n > MaxChoiceName {
				return fmt.Sprintf("choice value %q is %d long, want 1..%d", v, n, MaxChoiceName)
			}
			continue
		}
		if _, ok := c.Value.(float64); !ok {
			return fmt.Sprintf("choice value %v is not a number or a string", c.Value)
		}
	}
	return ""
}
