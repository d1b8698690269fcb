package telegramtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"transcriptbot/bot"
)

// check checks a call as Telegram would and returns its default result, or the error Telegram
// would answer with (recording a violation when the bot sent something Telegram refuses).
func (s *Server) check(method string, params map[string]string) (any, *Fault) {
	refuse := func(format string, a ...any) *Fault {
		msg := fmt.Sprintf(format, a...)
		s.violate("%s: %s", method, msg)
		return &Fault{Status: http.StatusBadRequest, Description: "Bad Request: " + msg}
	}
	switch method {
	case "getMe":
		u := s.BotUser()
		u["can_join_groups"], u["supports_inline_queries"] = true, true
		return u, nil
	case "deleteWebhook":
		s.SetWebhook(nil)
		return true, nil
	case "setWebhook":
		if params["url"] == "" {
			return nil, &Fault{Status: http.StatusBadRequest, Description: "Bad Request: bad webhook: URL is empty"}
		}
		s.SetWebhook(params)
		return true, nil
	case "setMyCommands":
		var cmds []struct{ Command, Description string }
		if err := json.Unmarshal([]byte(params["commands"]), &cmds); err != nil || len(cmds) == 0 {
			return nil, refuse("commands not found in %q", params["commands"])
		}
		for _, c := range cmds {
			if !validCommandName(c.Command) || len(c.Description) < 1 || len(c.Description) > 256 {
				return nil, refuse("BOT_COMMAND_INVALID: %q %q", c.Command, c.Description)
			}
		}
		return true, nil
	case "sendMessage":
		if params["chat_id"] == "" {
			return nil, refuse("chat_id is empty")
		}
		if _, _, reason := CheckMessage(params); reason != "" {
			return nil, refuse("%s: %.200q", reason, params["text"])
		}
		s.mu.Lock()
		s.nextMsgID++
		id := s.nextMsgID
		s.mu.Unlock()
		chatID, _ := strconv.ParseInt(params["chat_id"], 10, 64)
		return map[string]any{"message_id": id, "date": time.Now().Unix(), "text": params["text"],
			"chat": map[string]any{"id": chatID, "type": "private"}, "from": s.BotUser()}, nil
	case "editMessageText":
		if params["inline_message_id"] == "" && (params["chat_id"] == "" || params["message_id"] == "") {
			return nil, &Fault{Status: http.StatusBadRequest, Description: "Bad Request: message identifier is not specified"}
		}
		if _, _, reason := CheckMessage(params); reason != "" {
			return nil, refuse("%s: %.200q", reason, params["text"])
		}
		return true, nil
	case "answerCallbackQuery":
		if params["callback_query_id"] == "" {
			return nil, refuse("callback_query_id is empty")
		}
		if n := bot.UTF16Len(params["text"]); n > 200 {
			return nil, refuse("MESSAGE_TOO_LONG: callback answer of %d characters", n)
		}
		return true, nil
	case "answerInlineQuery":
		if params["inline_query_id"] == "" {
			return nil, refuse("inline_query_id is empty")
		}
		if reason := CheckInline(params["results"]); reason != "" {
			return nil, refuse("%s", reason)
		}
		return true, nil
	default:
		return nil, refuse("method %s not found", method)
	}
}

func validCommandName(s string) bool {
	if len(s) < 1 || len(s) > 32 {
		return false
	}
	for _, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// CheckMessage checks the text (HTML parse mode) and reply_markup of a sendMessage or
// editMessageText call as Telegram would; it returns the visible text and the buttons'
// callback_data, or why Telegram would refuse it.
func CheckMessage(params map[string]string) (visible string, buttons []string, reason string) {
	if params["parse_mode"] != "HTML" {
		return "", nil, "parse_mode is not HTML"
	}
	visible, err := CheckHTML(params["text"])
	if err != nil {
		return "", nil, "can't parse entities: " + err.Error()
	}
	if m := params["reply_markup"]; m != "" {
		buttons, reason = CheckKeyboard(m)
	}
	return visible, buttons, reason
}

// CheckKeyboard checks an inline keyboard (reply_markup JSON) and returns its buttons'
// callback_data, or why Telegram would refuse it.
func CheckKeyboard(markup string) (callbackData []string, reason string) {
	var kb struct {
		InlineKeyboard [][]struct {
			Text         string  `json:"text"`
			CallbackData *string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(markup), &kb); err != nil {
		return nil, "can't parse reply keyboard markup JSON object"
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if strings.TrimSpace(b.Text) == "" || b.CallbackData == nil || len(*b.CallbackData) < 1 || len(*b.CallbackData) > 64 {
				return nil, "BUTTON_DATA_INVALID"
			}
			callbackData = append(callbackData, *b.CallbackData)
		}
	}
	return callbackData, ""
}

// CheckInline checks answerInlineQuery's results (JSON) as Telegram would and returns why it
// would refuse them, or "".
func CheckInline(results string) string {
	var rs []struct {
		Type        string          `json:"type"`
		ID          string          `json:"id"`
		Title       string          `json:"title"`
		ReplyMarkup json.RawMessage `json:"reply_markup"`
		Content     struct {
			Text      string `json:"message_text"`
			ParseMode string `json:"parse_mode"`
		} `json:"input_message_content"`
	}
	if err := json.Unmarshal([]byte(results), &rs); err != nil {
		return "can't parse results: " + err.Error()
	}
	if len(rs) > 50 {
		return "RESULTS_TOO_MUCH"
	}
	seen := map[string]bool{}
	for _, r := range rs {
		if r.Type != "article" || r.ID == "" || len(r.ID) > 64 || seen[r.ID] || strings.TrimSpace(r.Title) == "" {
			return "RESULT_ID_INVALID or bad article " + strconv.Quote(r.ID)
		}
		seen[r.ID] = true
		if r.Content.ParseMode != "HTML" {
			return "parse_mode is not HTML"
		}
		if _, err := CheckHTML(r.Content.Text); err != nil {
			return "can't parse entities: " + err.Error()
		}
		if len(r.ReplyMarkup) > 0 && string(r.ReplyMarkup) != "null" {
			if _, reason := CheckKeyboard(string(r.ReplyMarkup)); reason != "" {
				return reason
			}
		}
	}
	return ""
}

var tags = map[string]bool{"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "a": true, "code": true, "pre": true, "blockquote": true, "tg-spoiler": true}

// CheckHTML parses text as Telegram's HTML parse mode does: only supported tags, properly
// nested; '<', '>' and '&' only as markup or entities. It returns the visible text, which must
// not be blank and must be at most MaxMessageLen UTF-16 code units (when it is longer, the
// visible text comes with the error).
func CheckHTML(s string) (string, error) {
	var stack []string
	var vis strings.Builder
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return "", fmt.Errorf("unclosed start tag at byte %d", i)
			}
			tag := s[i+1 : i+j]
			closing := strings.HasPrefix(tag, "/")
			tag = strings.TrimPrefix(tag, "/")
			name, _, _ := strings.Cut(tag, " ")
			if !tags[name] {
				return "", fmt.Errorf("unsupported start tag %q at byte %d", name, i)
			}
			if closing {
				if len(stack) == 0 || stack[len(stack)-1] != name {
					return "", fmt.Errorf("unmatched end tag %q at byte %d", name, i)
				}
				stack = stack[:len(stack)-1]
			} else {
				stack = append(stack, name)
			}
			i += j + 1
		case '>':
			return "", fmt.Errorf("unescaped '>' at byte %d", i)
		case '&':
			j := strings.IndexByte(s[i:], ';')
			if j < 0 {
				return "", fmt.Errorf("unescaped '&' at byte %d", i)
			}
			switch ent := s[i+1 : i+j]; ent {
			case "lt":
				vis.WriteByte('<')
			case "gt":
				vis.WriteByte('>')
			case "amp":
				vis.WriteByte('&')
			case "quot":
				vis.WriteByte('"')
			default:
				return "", fmt.Errorf("unsupported entity &%s; at byte %d", ent, i)
			}
			i += j + 1
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return "", fmt.Errorf("invalid UTF-8 at byte %d", i)
			}
			vis.WriteRune(r)
			i += size
		}
	}
	if len(stack) > 0 {
		return "", fmt.Errorf("unclosed tags %v", stack)
	}
	v := vis.String()
	if strings.TrimSpace(v) == "" {
		return "", errors.New("message text is empty")
	}
	if n := bot.UTF16Len(v); n > MaxMessageLen {
		return v, fmt.Errorf("message is too long: %d UTF-16 code units after entity parsing", n)
	}
	return v, nil
}
