package telegram

import (
	"strconv"
	"strings"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"transcriptbot/bot"
)

// Telegram's sizes.
const (
	// MaxMessageLen is the longest message text, in UTF-16 code units after entity parsing.
	MaxMessageLen = 4096
	// MaxCallbackData is the longest callback_data, in bytes.
	MaxCallbackData = 64
	// maxCallbackAnswer is the longest answerCallbackQuery text, in characters.
	maxCallbackAnswer = 200
	// maxButtonLabel bounds a button's label, in runes (Telegram truncates long labels).
	maxButtonLabel = 64
	// titleLimit is the question title budget passed to the bot, in UTF-16 code units.
	titleLimit = 256
	// headerBudget is what the header ("123. " + title + blank line) can take.
	headerBudget = titleLimit + 16
	// bodyLimit is the page budget passed to the bot: the message limit less the header, the
	// page label's separator and a safety margin.
	bodyLimit = MaxMessageLen - headerBudget - 16
)

// limits are the bot.Limits every Telegram request carries.
var limits = bot.Limits{Body: bodyLimit, Title: titleLimit}

// htmlBuilder builds an HTML-parse-mode text and counts its visible length (what Telegram
// measures after entity parsing) in UTF-16 code units.
type htmlBuilder struct {
	sb      strings.Builder
	visible int
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// text appends user or transcript text, escaped.
func (b *htmlBuilder) text(s string) {
	s = strings.ToValidUTF8(s, "\uFFFD")
	b.sb.WriteString(htmlEscaper.Replace(s))
	b.visible += bot.UTF16Len(s)
}

// tagged appends text wrapped in a tag such as "b".
func (b *htmlBuilder) tagged(tag, s string) {
	if s == "" {
		return
	}
	b.sb.WriteString("<" + tag + ">")
	b.text(s)
	b.sb.WriteString("</" + tag + ">")
}

// ellipsize cuts s to n UTF-16 code units, ending with "…" when cut, preferably at a space.
func ellipsize(s string, n int) string {
	if bot.UTF16Len(s) <= n {
		return s
	}
	cut := bot.PrefixUTF16(s, n-1)
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " \n") + "…"
}

// rendered is a reply as Telegram will get it.
type rendered struct {
	HTML     string
	Visible  int // UTF-16 length after entity parsing
	Keyboard *tgbotapi.InlineKeyboardMarkup
	Dropped  []string // action ids that could not become buttons
}

// empty reports whether there is nothing to send.
func (r rendered) empty() bool { return strings.TrimSpace(r.HTML) == "" }

// render turns a bot reply into HTML parse-mode text within MaxMessageLen, and its actions into
// an inline keyboard.
func render(rep bot.Reply) rendered {
	var b htmlBuilder
	if rep.Number > 0 || rep.Question != "" {
		if rep.Number > 0 {
			b.tagged("b", strconv.Itoa(rep.Number)+".")
		}
		if q := ellipsize(strings.TrimSpace(rep.Question), titleLimit); q != "" {
			if rep.Number > 0 {
				b.text(" ")
			}
			b.text(q)
		}
	}
	label := ""
	if rep.Pages > 1 {
		// bot.Reply.PageLabel's format, built here so rendering depends on data only.
		label = "(" + strconv.Itoa(rep.Page) + "/" + strconv.Itoa(rep.Pages) + ")"
	}
	// The body gets whatever room the header and the page label leave.
	room := MaxMessageLen - b.visible - bot.UTF16Len(label) - 4
	body := trimSpans(rep.Body)
	if len(body) > 0 {
		if b.visible > 0 {
			b.text("\n\n")
			room -= 2
		}
		for _, sp := range body {
			if room <= 1 {
				break
			}
			t := sp.Text
			if bot.UTF16Len(t) > room {
				t = bot.PrefixUTF16(t, room-1) + "…"
			}
			room -= bot.UTF16Len(t)
			if sp.Highlight {
				b.tagged("b", t)
			} else {
				b.text(t)
			}
		}
	}
	if label != "" {
		if b.visible > 0 {
			b.text("\n\n")
		}
		b.tagged("i", label)
	}
	out := rendered{HTML: b.sb.String(), Visible: b.visible}
	out.Keyboard, out.Dropped = keyboard(rep.Actions)
	return out
}

// trimSpans drops leading and trailing whitespace of the body (Telegram trims it anyway, and a
// whitespace-only message is rejected).
func trimSpans(spans []bot.Span) []bot.Span {
	out := make([]bot.Span, 0, len(spans))
	for _, sp := range spans {
		if sp.Text != "" {
			out = append(out, sp)
		}
	}
	for len(out) > 0 && strings.TrimSpace(out[0].Text) == "" {
		out = out[1:]
	}
	for len(out) > 0 && strings.TrimSpace(out[len(out)-1].Text) == "" {
		out = out[:len(out)-1]
	}
	if len(out) > 0 {
		out[0].Text = strings.TrimLeft(out[0].Text, " \t\r\n")
		last := len(out) - 1
		out[last].Text = strings.TrimRight(out[last].Text, " \t\r\n")
	}
	return out
}

// keyboard lays the actions out as inline buttons: short labels share a row (at most three,
// about 30 characters), long ones get their own. Actions whose id does not fit callback_data are
// returned as dropped.
func keyboard(actions []bot.Action) (*tgbotapi.InlineKeyboardMarkup, []string) {
	var rows [][]tgbotapi.InlineKeyboardButton
	var dropped []string
	var row []tgbotapi.InlineKeyboardButton
	rowLen := 0
	for _, act := range actions {
		if len(act.ID) == 0 || len(act.ID) > MaxCallbackData || !utf8.ValidString(act.ID) {
			dropped = append(dropped, act.ID)
			continue
		}
		label := strings.TrimSpace(strings.ToValidUTF8(act.Label, "\uFFFD"))
		if label == "" {
			label = act.ID
		}
		label = ellipsize(label, maxButtonLabel)
		n := utf8.RuneCountInString(label)
		if len(row) > 0 && (len(row) == 3 || rowLen+n > 30) {
			rows = append(rows, row)
			row, rowLen = nil, 0
		}
		row = append(row, tgbotapi.NewInlineKeyboardButtonData(label, act.ID))
		rowLen += n
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, dropped
	}
	return &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}, dropped
}

// plainText returns the reply as plain text on one line (for callback answers and inline
// descriptions).
func plainText(rep bot.Reply) string {
	head := strings.TrimSpace(rep.Question)
	if rep.Number > 0 {
		head = strings.TrimSpace(strconv.Itoa(rep.Number) + ". " + head)
	}
	var body strings.Builder
	for _, sp := range rep.Body {
		body.WriteString(sp.Text)
	}
	text := strings.Join(strings.Fields(body.String()), " ")
	switch {
	case head == "":
		return text
	case text == "":
		return head
	}
	return head + " — " + text
}
