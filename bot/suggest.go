package bot

import (
	"context"
	"fmt"
	"strings"

	"transcriptbot/matcher"
)

// Suggest returns up to req.Max answer replies ranked for req.Query — for Telegram inline
// mode and Discord autocomplete. A query that is a number (or its prefix) ranks that question
// first. Each reply is ReplyAnswer-shaped: Number, Question, Body (excerpt), one page. An
// empty query lists the first questions in order; an invalid one (too long, control
// characters) gives none. In archive mode the briefing they come from is chosen as
// suggestState says; suggesting never changes a chat's current briefing.
func (b *Bot) Suggest(ctx context.Context, req SuggestRequest) (out []Reply) {
	st := b.state.Load()
	query, max, limits := req.Query, req.Max, req.Limits
	var ac *archiveConv
	if b.arc != nil {
		st, ac, query = b.suggestState(ctx, req)
	}
	if st == nil || max <= 0 {
		return nil
	}
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("bot: panic suggesting", "panic", fmt.Sprint(p))
			out = nil
		}
	}()
	c := conv{b: b, st: st, lim: limits.normalize(), private: true, ar: ac}
	if ac != nil && ac.multi && c.lim.Body >= 3*citeReserve {
		c.lim.Body -= citeReserve // room for the citation
	}
	max = min(max, c.total(), 100)
	query = strings.TrimSpace(query)
	if query != "" && validate(query, b.opts.MaxInput) != "" {
		return nil
	}
	var nums []int
	excerptQuery := query
	add := func(n int) {
		if n >= 1 && n <= c.total() && len(nums) < max && !containsInt(nums, n) {
			nums = append(nums, n)
		}
	}
	switch {
	case query == "":
		for n := 1; n <= max; n++ {
			add(n)
		}
	default:
		if prefix, ok := numberPrefix(query); ok {
			// The number itself, then those it begins, shortest first: 1, 10–19, 100–199, ...
			if p, ok := parseCount(prefix); ok {
				for lo, width := p, 1; lo <= c.total() && len(nums) < max; lo, width = lo*10, width*10 {
					for n := lo; n < lo+width && n <= c.total() && len(nums) < max; n++ {
						add(n)
					}
				}
			}
			if len(nums) > 0 {
				excerptQuery = "" // a number says nothing about which part of the answer to show
				break
			}
		}
		if nr, ok := parseNumberRequest(query, c.total(), c.st.named); ok && nr.status == numOK {
			add(nr.n)
		}
		for _, a := range st.m.Rank(query, max) {
			add(a.Number)
		}
	}
	budget := min(matcher.DefaultBudget, c.lim.Body)
	for _, n := range nums {
		e := &st.t.Entries[n-1]
		ex, ok := st.m.Excerpt(n, excerptQuery, budget)
		body := newMarked(ex.Text, ex.Highlights)
		if !ok || strings.TrimSpace(ex.Text) == "" {
			body = marked{text: firstParagraph(e)}
		}
		out = append(out, Reply{
			Kind:     ReplyAnswer,
			Number:   n,
			Question: cutWords(e.Question, c.lim.Title),
			Body:     fitSpans(body, c.lim.Body),
			Page:     1,
			Pages:    1,
			Source:   st.title,
			Actions:  []Action{{ID: c.id(action{verb: verbFull, n: n}), Label: "Full answer"}},
		})
		if ac != nil {
			out[len(out)-1] = c.cite(out[len(out)-1])
		}
	}
	return out
}

// numberPrefix returns the digits of a query that is a question number or its beginning
// ("1", "q1", "#1", "question 1").
func numberPrefix(query string) (string, bool) {
	toks := tokenizeRequest(query, nil)
	digits := ""
	for _, t := range toks {
		switch {
		case requestKeywords[t]:
		case digits == "" && t != "" && strings.Trim(t, "0123456789") == "":
			digits = strings.TrimLeft(t, "0")
		default:
			return "", false
		}
	}
	return digits, digits != ""
}
