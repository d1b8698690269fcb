package discord

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/bwmarrin/discordgo"

	"transcriptbot/bot"
)

// Discord's message limits, counted in UTF-16 code units (at least as strict as Discord's own
// character counts).
const (
	maxContent       = 2000
	maxEmbedTitle    = 256
	maxDescription   = 4096
	maxFooter        = 2048
	maxEmbedTotal    = 6000
	maxCustomID      = 100
	maxButtonLabel   = 80
	maxButtonsPerRow = 5
	maxRows          = 5
	maxChoices       = 25
	maxChoiceName    = 100
)

// replyLimits are the sizes asked of the bot core. The body budget leaves room in the 4096-unit
// description for the escaping and bold markers added here; render still enforces the limit.
var replyLimits = bot.Limits{Body: 3000, Title: maxEmbedTitle - len("9999 · "), Label: maxButtonLabel}

// embedColor is the accent colour of answer embeds.
const embedColor = 0x5865F2

// message is a rendered reply, ready to become an interaction response or a channel message.
type message struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
	// Ephemeral asks for a reply only the invoking user sees (interactions only).
	Ephemeral bool
	// Silent means nothing should be shown (interactions still get a minimal acknowledgement).
	Silent bool
}

// noMentions returns allowed mentions that let nothing ping: an empty, non-nil parse list.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// Texts shown when the bot core leaves the words to the adapter.
const (
	textExpired   = "This button has expired. Ask again for a fresh answer."
	textError     = "Sorry, something went wrong on my side. Please try again in a moment."
	textThrottled = "You are sending questions faster than I can answer. Please slow down a little."
	textStale     = "This command has changed since your Discord client loaded it. Please try again in a moment (or restart Discord)."
	textUnknown   = "I don't know this command (any more). Try /help."
	textNoText    = "That message has no text I can answer."
	textSilentAck = "…"
)

// render turns a bot reply into a Discord message.
func (a *Adapter) render(r bot.Reply) message {
	if silent(r) {
		return message{Silent: true, Ephemeral: true, Content: textSilentAck}
	}
	if notice, fallback, ephemeral := noticeOf(r); notice {
		text := plainText(r.Body)
		if strings.TrimSpace(text) == "" {
			text = fallback
		}
		return message{Content: cutEscaped(escapeMarkdown(text), maxContent), Ephemeral: ephemeral}
	}
	e := &discordgo.MessageEmbed{Color: embedColor}
	if r.Number > 0 {
		e.Title = cutEscaped(escapeMarkdown(fmt.Sprintf("%d · %s", r.Number, oneLine(r.Question))), maxEmbedTitle)
	} else if r.Kind == bot.ReplyList {
		e.Title = "Questions"
	}
	e.Description = renderSpans(r.Body, maxDescription)
	footer := r.Source
	if footer == "" {
		footer = a.source()
	}
	footer = cutUTF16(neutraliseMentions(oneLine(footer)), 1024)
	if r.Pages > 1 {
		label := fmt.Sprintf("(%d/%d)", r.Page, r.Pages)
		if footer != "" {
			footer += " · "
		}
		footer += label
	}
	if footer != "" {
		e.Footer = &discordgo.MessageEmbedFooter{Text: footer}
	}
	m := message{Components: buttons(r.Actions)}
	if e.Title == "" && e.Description == "" {
		m.Content = "…"
		return m
	}
	m.Embeds = []*discordgo.MessageEmbed{e}
	return m
}

// silent reports a reply that should show nothing (flood control after the first warning).
func silent(r bot.Reply) bool {
	return r.Kind == bot.ReplySilent
}

// noticeOf reports whether r is a short notice rendered as plain content rather than an
// embed, the text to use when the bot gave none, and whether it is for the invoker only.
func noticeOf(r bot.Reply) (notice bool, fallback string, ephemeral bool) {
	switch r.Kind {
	case bot.ReplyExpired:
		return true, textExpired, true
	case bot.ReplyError:
		return true, textError, true
	case bot.ReplyInvalid:
		return true, "Please send a question.", true
	case bot.ReplySmallTalk:
		return true, "👋", false
	}
	if r.Kind == bot.ReplyThrottled {
		return true, textThrottled, true
	}
	return false, "", false
}

// plainText joins the body spans.
func plainText(spans []bot.Span) string {
	var b strings.Builder
	for _, s := range spans {
		b.WriteString(s.Text)
	}
	return b.String()
}

// oneLine folds whitespace runs (including newlines) into single spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// cutUTF16 shortens s to at most max UTF-16 units, ending with "…" when it cuts, never
// inside a rune, preferring a word boundary near the end.
func cutUTF16(s string, max int) string {
	if bot.UTF16Len(s) <= max {
		return s
	}
	if max <= 0 {
		return ""
	}
	cut := bot.PrefixUTF16(s, max-1) // room for the ellipsis
	if sp := strings.LastIndexFunc(cut, unicode.IsSpace); sp > 0 && sp > len(cut)-20 {
		cut = cut[:sp]
	}
	return strings.TrimRightFunc(cut, unicode.IsSpace) + "…"
}

// cutEscaped is cutUTF16 for text already escaped for markdown: it never leaves a lone
// backslash that would escape the ellipsis.
func cutEscaped(s string, max int) string {
	if bot.UTF16Len(s) <= max {
		return s
	}
	c := strings.TrimSuffix(cutUTF16(s, max), "…")
	trailing := len(c) - len(strings.TrimRight(c, `\`))
	if trailing%2 == 1 {
		c = c[:len(c)-1]
	}
	return c + "…"
}

// prefixEscaped returns the longest prefix of escaped text within n UTF-16 units that does
// not end in a lone escaping backslash.
func prefixEscaped(s string, n int) string {
	c := bot.PrefixUTF16(s, n)
	if trailing := len(c) - len(strings.TrimRight(c, `\`)); trailing%2 == 1 {
		c = c[:len(c)-1]
	}
	return c
}

// escapeMarkdown escapes Discord markdown in s and neutralises mentions, so transcript and
// user text shows as written and pings nobody even where allowed mentions do not apply.
func escapeMarkdown(s string) string {
	return newEscaper(true).escape(s)
}

type escaper struct {
	lineStart bool // only spaces so far on this line
	digits    bool // only digits (after indentation) so far on this line
}

func newEscaper(lineStart bool) *escaper { return &escaper{lineStart: lineStart} }

func (e *escaper) escape(s string) string {
	// Every character escaped is ASCII, so the scan is bytewise and copies untouched runs
	// whole; text needing no escape is returned as it is.
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		rep := ""
		switch {
		case strings.IndexByte("\\*_~`|>[]", c) >= 0:
			rep = escaped[c]
		case e.lineStart && (c == '#' || c == '-' || c == '+'):
			rep = escaped[c]
		case c == '.' && e.digits:
			rep = `\.`
		case c == '<' && i+1 < len(s) && (s[i+1] == '@' || s[i+1] == '#' || s[i+1] == '/'):
			rep = "<\u200b"
		case c == '@' && (strings.HasPrefix(s[i:], "@everyone") || strings.HasPrefix(s[i:], "@here")):
			rep = "@\u200b"
		}
		if rep != "" {
			if last == 0 {
				b.Grow(len(s) + len(s)/8 + 8)
			}
			b.WriteString(s[last:i])
			b.WriteString(rep)
			last = i + 1
		}
		switch {
		case c == '\n':
			e.lineStart, e.digits = true, false
		case e.lineStart && (c == ' ' || c == '\t'):
		case (e.lineStart || e.digits) && c >= '0' && c <= '9':
			e.lineStart, e.digits = false, true
		default:
			e.lineStart, e.digits = false, false
		}
	}
	if last == 0 && b.Len() == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// escaped maps each ASCII character escaped to its backslashed form.
var escaped = func() [128]string {
	var t [128]string
	for _, c := range "\\*_~`|>[]#-+" {
		t[c] = "\\" + string(c)
	}
	return t
}()

// neutraliseMentions breaks @everyone, @here and <@…>/<#…> in text that is not markdown
// (footers), without escaping anything else.
func neutraliseMentions(s string) string {
	return mentionBreaker.Replace(s)
}

var mentionBreaker = strings.NewReplacer("@everyone", "@\u200beveryone", "@here", "@\u200bhere", "<@", "<\u200b@", "<#", "<\u200b#", "</", "<\u200b/")

// renderSpans renders body spans as markdown within max UTF-16 units: text escaped,
// highlights in bold, ending with "…" if anything had to be dropped.
func renderSpans(spans []bot.Span, max int) string {
	var merged []bot.Span
	for _, s := range spans {
		if s.Text == "" {
			continue
		}
		if n := len(merged); n > 0 && merged[n-1].Highlight == s.Highlight {
			merged[n-1].Text += s.Text
			continue
		}
		merged = append(merged, s)
	}
	var b strings.Builder
	used := 0
	esc := newEscaper(true)
	for k, s := range merged {
		var piece string
		if s.Highlight {
			core := strings.TrimSpace(s.Text)
			if core == "" {
				piece = esc.escape(s.Text)
			} else {
				lead := s.Text[:strings.Index(s.Text, core)]
				trail := s.Text[len(lead)+len(core):]
				piece = esc.escape(lead) + "**" + esc.escape(core) + "**" + esc.escape(trail)
			}
		} else {
			piece = esc.escape(s.Text)
		}
		l := bot.UTF16Len(piece)
		last := k == len(merged)-1
		if used+l <= max && (last || used+l <= max-1) {
			b.WriteString(piece)
			used += l
			continue
		}
		// Out of room: keep what fits of plain text before the ellipsis (used <= max-1 here),
		// drop a highlight whole.
		if !s.Highlight {
			c := prefixEscaped(piece, max-used-1)
			if len(c) < len(piece) && !unicode.IsSpace(rune(piece[len(c)])) {
				if sp := strings.LastIndexFunc(c, unicode.IsSpace); sp > 0 && sp > len(c)-20 {
					c = c[:sp] // end at a word when one is near
				}
			}
			b.WriteString(c)
		}
		out := strings.TrimRightFunc(b.String(), unicode.IsSpace)
		return out + "…"
	}
	return strings.TrimRightFunc(b.String(), unicode.IsSpace)
}

// buttons lays actions out as rows of buttons within Discord's limits, skipping ids Discord
// would reject and duplicates (custom ids must be unique within a message). When there are
// more than fit, the last two are kept, since the bot core puts page navigation last.
func buttons(actions []bot.Action) []discordgo.MessageComponent {
	var valid []bot.Action
	seen := map[string]bool{}
	for _, act := range actions {
		if act.ID == "" || bot.UTF16Len(act.ID) > maxCustomID || seen[act.ID] {
			continue
		}
		seen[act.ID] = true
		valid = append(valid, act)
	}
	const maxButtons = maxRows * maxButtonsPerRow
	if len(valid) > maxButtons {
		valid = append(valid[:maxButtons-2:maxButtons-2], valid[len(valid)-2:]...)
	}
	rows := []discordgo.MessageComponent{}
	for start := 0; start < len(valid); start += maxButtonsPerRow {
		var row []discordgo.MessageComponent
		for k, act := range valid[start:min(start+maxButtonsPerRow, len(valid))] {
			label := cutUTF16(oneLine(act.Label), maxButtonLabel)
			if label == "" {
				label = "Open"
			}
			style := discordgo.SecondaryButton
			if start+k == 0 {
				style = discordgo.PrimaryButton
			}
			row = append(row, discordgo.Button{Label: label, Style: style, CustomID: act.ID})
		}
		rows = append(rows, discordgo.ActionsRow{Components: row})
	}
	return rows
}

// checkLimits reports the first way m breaks Discord's message limits.
func checkLimits(m message) error {
	if bot.UTF16Len(m.Content) > maxContent {
		return fmt.Errorf("content is %d units, over %d", bot.UTF16Len(m.Content), maxContent)
	}
	if m.Content == "" && len(m.Embeds) == 0 && !m.Silent {
		return errors.New("message is empty")
	}
	if len(m.Embeds) > 10 {
		return fmt.Errorf("%d embeds, over 10", len(m.Embeds))
	}
	total := 0
	for _, e := range m.Embeds {
		if l := bot.UTF16Len(e.Title); l > maxEmbedTitle {
			return fmt.Errorf("embed title is %d units, over %d", l, maxEmbedTitle)
		}
		if l := bot.UTF16Len(e.Description); l > maxDescription {
			return fmt.Errorf("embed description is %d units, over %d", l, maxDescription)
		}
		total += bot.UTF16Len(e.Title) + bot.UTF16Len(e.Description)
		if e.Footer != nil {
			if l := bot.UTF16Len(e.Footer.Text); l > maxFooter {
				return fmt.Errorf("embed footer is %d units, over %d", l, maxFooter)
			}
			total += bot.UTF16Len(e.Footer.Text)
		}
		if len(e.Fields) > 25 {
			return fmt.Errorf("%d embed fields, over 25", len(e.Fields))
		}
		for _, f := range e.Fields {
			total += bot.UTF16Len(f.Name) + bot.UTF16Len(f.Value)
		}
	}
	if total > maxEmbedTotal {
		return fmt.Errorf("embeds total %d units, over %d", total, maxEmbedTotal)
	}
	if len(m.Components) > maxRows {
		return fmt.Errorf("%d component rows, over %d", len(m.Components), maxRows)
	}
	ids := map[string]bool{}
	for _, c := range m.Components {
		row, ok := c.(discordgo.ActionsRow)
		if !ok {
			return fmt.Errorf("top-level component %T is not an action row", c)
		}
		if len(row.Components) == 0 || len(row.Components) > maxButtonsPerRow {
			return fmt.Errorf("row has %d buttons, want 1..%d", len(row.Components), maxButtonsPerRow)
		}
		for _, bc := range row.Components {
			btn, ok := bc.(discordgo.Button)
			if !ok {
				return fmt.Errorf("component %T is not a button", bc)
			}
			if l := bot.UTF16Len(btn.CustomID); l == 0 || l > maxCustomID {
				return fmt.Errorf("custom id %q is %d units, want 1..%d", btn.CustomID, l, maxCustomID)
			}
			if ids[btn.CustomID] {
				return fmt.Errorf("custom id %q repeated", btn.CustomID)
			}
			ids[btn.CustomID] = true
			if l := bot.UTF16Len(btn.Label); l == 0 || l > maxButtonLabel {
				return fmt.Errorf("button label %q is %d units, want 1..%d", btn.Label, l, maxButtonLabel)
			}
		}
	}
	return nil
}

// choiceName renders an autocomplete choice: "3 · What has the SCO contributed…".
func choiceName(number int, question string) string {
	// The journalist and outlet an operator's transcript opens a question with would take
	// most of the 100 units: the choice shows the question (bot.QuestionLabel).
	name := strconv.Itoa(number) + " · " + oneLine(bot.QuestionLabel(question))
	return cutUTF16(name, maxChoiceName)
}
