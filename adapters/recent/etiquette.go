package recent

import (
	"context"
	"strconv"
	"time"

	"transcriptbot/bot"
)

// Group etiquette: when a question was answered in a group chat (a Telegram group or forum
// topic, a Discord guild channel or thread) within the repeat window, asking it again gets a
// short reply pointing to that earlier answer instead of a second copy of it. Both chat adapters
// apply the rule through Etiquette; what counts as a group, how the pointer is sent and what
// an answer's message id looks like stay with each adapter.
//
// Answers are remembered per chat and question number, in two families: every answer under
// the chat's own key, full answers (by number, page 1) also under a "full" key. A free-text
// question (an excerpt) is pointed at any recent answer to its question; a request for the
// full answer only at a recent full answer, since an excerpt would not do.

// StoreTimeout bounds one call to the Store: etiquette is not worth a slow reply.
const StoreTimeout = 2 * time.Second

const fullSuffix = "|full"

// Etiquette is the group etiquette rule over a Store. Its zero value is off.
type Etiquette struct {
	// Store remembers the answers; nil turns etiquette off.
	Store Store
	// Window is how long an answer counts as recent; zero or negative turns etiquette off.
	Window time.Duration
}

// On reports whether etiquette is on: a window and a store.
func (e Etiquette) On() bool { return e.Window > 0 && e.Store != nil }

// PointerText is the reply sent in place of a second copy of the answer to question n.
func PointerText(n int) string {
	return "Asked and answered a moment ago — see question " + strconv.Itoa(n) + " above."
}

// NoteText is the note for a user who must get an answer of their own (a Discord slash
// command) when question n was answered a moment ago at link.
func NoteText(n int, link string) string {
	return "Asked and answered a moment ago — see question " + strconv.Itoa(n) + ": " + link
}

// etiquetteKey returns the Store key for rep in chat, and ok false when etiquette does not cover it:
// not in a group (chat ""), or not an answer to a question (an excerpt, or page 1 of a full
// answer).
func etiquetteKey(chat string, rep bot.Reply) (k string, full, ok bool) {
	if chat == "" || rep.Number <= 0 {
		return "", false, false
	}
	switch {
	case rep.Kind == bot.ReplyAnswer:
	case rep.Kind == bot.ReplyByNumber && rep.Page <= 1:
		full = true
	default:
		return "", false, false
	}
	return chat, full, true
}

// Covers reports whether etiquette applies to rep in chat ("" for a chat that is not a group):
// it is on and rep is an answer it covers.
func (e Etiquette) Covers(chat string, rep bot.Reply) bool {
	_, _, ok := etiquetteKey(chat, rep)
	return ok && e.On()
}

// Earlier returns the id of the message that answered rep in chat within the window, or ""
// when there is none or etiquette does not apply. A store failure is returned with "".
func (e Etiquette) Earlier(ctx context.Context, chat string, rep bot.Reply) (string, error) {
	k, full, ok := etiquetteKey(chat, rep)
	if !ok || !e.On() {
		return "", nil
	}
	if full {
		k += fullSuffix
	}
	ctx, cancel := context.WithTimeout(ctx, StoreTimeout)
	defer cancel()
	id, found, err := e.Store.Lookup(ctx, k, rep.Number)
	if err != nil || !found {
		return "", err
	}
	return id, nil
}

// Remember records that message id answered rep in chat, for the window; it does nothing when
// etiquette does not apply. It is not cut short when ctx is cancelled (the answer was sent).
func (e Etiquette) Remember(ctx context.Context, chat string, rep bot.Reply, id string) error {
	k, full, ok := etiquetteKey(chat, rep)
	if !ok || !e.On() {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), StoreTimeout)
	defer cancel()
	keys := []string{k}
	if full {
		keys = append(keys, k+fullSuffix)
	}
	for _, k := range keys {
		if err := e.Store.Remember(ctx, k, rep.Number, id, e.Window); err != nil {
			return err
		}
	}
	return nil
}
