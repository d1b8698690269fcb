package bot

import (
	"fmt"
)

// Replies to a number request: the full answer, paged.

// numberReply answers a parsed number request, or explains what is wrong with the number.
func (c conv) numberReply(nr numRequest) Reply {
	switch nr.status {
	case numOK:
		if nr.n <= c.total() {
			return c.byNumber(nr.n, 1, false)
		}
		return c.invalid(fmt.Sprintf("There is no question %d. %s", nr.n, c.rangeText()))
	case numZero:
		return c.invalid("Questions are numbered from 1. " + c.rangeText())
	case numNegative:
		return c.invalid("Question numbers cannot be negative. " + c.rangeText())
	case numHuge:
		return c.invalid("That number is far too large. " + c.rangeText())
	default:
		return c.invalid(fmt.Sprintf("“%s” is not a question number. %s", cutWords(nr.raw, 40), c.rangeText()))
	}
}

// byNumber is the full answer to question n, page page (1-based). fromButton says an
// out-of-range page came from an id, which is then expired rather than invalid.
func (c conv) byNumber(n, page int, fromButton bool) Reply {
	e := &c.st.t.Entries[n-1]
	text := c.st.answers[n-1]
	b := paginate(text, c.lim.Body)
	pages := len(b) - 1
	if page < 1 || page > pages {
		if fromButton {
			return c.st.expired()
		}
		page = 1
	}
	r := Reply{
		Kind:     ReplyByNumber,
		Number:   n,
		Question: cutWords(e.Question, c.lim.Title),
		Body:     marked{text: text}.spans(b[page-1], b[page]),
		Page:     page,
		Pages:    pages,
		Source:   c.st.title,
	}
	if page > 1 {
		r.Actions = append(r.Actions, Action{ID: c.id(action{verb: verbPage, n: n, page: page - 1}), Label: "◀ Previous page"})
	}
	if page < pages {
		r.Actions = append(r.Actions, Action{ID: c.id(action{verb: verbPage, n: n, page: page + 1}), Label: "Next page ▶"})
	}
	return r
}
