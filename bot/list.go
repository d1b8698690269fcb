package bot

import (
	"strconv"
	"strings"
)

// The list of questions, paged.

// listPerPage bounds the questions on one page of the list (and so its buttons).
const listPerPage = 10

// maxListLine bounds one question's line in the list, in UTF-16 code units.
const maxListLine = 160

// listLayout is how the list of questions pages under the request's limits: each line is
// cut to lineMax units and each page holds perPage lines. Every line is bounded, so pages
// are computed without reading the questions: a page costs the same on a transcript of ten
// questions and of ten thousand.
func (c conv) listLayout() (lineMax, perPage, pages int) {
	n := c.total()
	layout := func(capacity int) (int, int) {
		lm := max(1, min(maxListLine, c.lim.Title+8, capacity))
		return lm, max(1, min(listPerPage, (capacity+1)/(lm+1)))
	}
	lineMax, perPage = layout(c.lim.Body)
	if n <= perPage {
		return lineMax, perPage, 1
	}
	for guess := 2; ; {
		lineMax, perPage = layout(c.lim.Body - LabelReserve(guess))
		pages = (n + perPage - 1) / perPage
		if LabelReserve(pages) <= LabelReserve(guess) {
			return lineMax, perPage, pages
		}
		guess = pages
	}
}

// list is page page of the list of questions. Out-of-range pages from a command show the
// nearest page; from a button they are expired.
func (c conv) list(page int, fromCommand bool) Reply {
	if c.total() == 0 {
		return Reply{Kind: ReplyList, Source: c.st.title, Page: 1, Pages: 1,
			Body: []Span{{Text: "This transcript has no questions."}}}
	}
	lineMax, perPage, pages := c.listLayout()
	if page < 1 || page > pages {
		if !fromCommand {
			return c.st.expired()
		}
		page = min(max(page, 1), pages)
	}
	from, to := (page-1)*perPage, min(page*perPage, c.total())
	var body strings.Builder
	r := Reply{Kind: ReplyList, Page: page, Pages: pages, Source: c.st.title}
	var nums []int
	for i := from; i < to; i++ {
		e := &c.st.t.Entries[i]
		if i > from {
			body.WriteByte('\n')
		}
		body.WriteString(cutWords(strconv.Itoa(e.Number)+". "+e.Question, lineMax))
		nums = append(nums, i+1)
	}
	for i, label := range c.menuLabels(nums, "") {
		r.Actions = append(r.Actions, Action{ID: c.id(action{verb: verbFull, n: nums[i]}), Label: label})
	}
	r.Body = []Span{{Text: body.String()}}
	if page > 1 {
		r.Actions = append(r.Actions, Action{ID: c.id(action{verb: verbList, page: page - 1}), Label: "◀ Previous"})
	}
	if page < pages {
		r.Actions = append(r.Actions, Action{ID: c.id(action{verb: verbList, page: page + 1}), Label: "Next ▶"})
	}
	return r
}
