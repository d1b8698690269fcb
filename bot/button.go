package bot

// Button presses, and the replies to stale or forged buttons and to internal failures.

// button answers a pressed button.
func (c conv) button(id string) Reply {
	a, ok := parseAction(id, c.st.version)
	if !ok {
		return c.st.expired()
	}
	inRange := func(n int) bool { return n >= 1 && n <= c.total() }
	switch a.verb {
	case verbFull:
		if inRange(a.n) {
			return c.byNumber(a.n, 1, true)
		}
	case verbPage:
		if inRange(a.n) {
			return c.byNumber(a.n, a.page, true)
		}
	case verbList:
		return c.list(a.page, false)
	case verbOther:
		for i, n := range a.others {
			if !inRange(n) || containsInt(a.others[:i], n) {
				return c.st.expired()
			}
		}
		r := Reply{Kind: ReplyAmbiguous, Source: c.st.title, Page: 1, Pages: 1,
			Body: []Span{{Text: "Other questions that may answer it:"}}}
		for i, label := range c.menuLabels(a.others, "") {
			r.Actions = append(r.Actions, Action{ID: c.id(action{verb: verbFull, n: a.others[i]}), Label: label})
			r.Choices = append(r.Choices, a.others[i])
		}
		return r
	case verbNone:
		if len(a.packed) > 0 {
			q, ok := c.st.packer.unpack(a.packed, 4*c.b.opts.MaxInput)
			if !ok || validate(q, c.b.opts.MaxInput) != "" {
				return c.st.expired() // forged: real ids hold what the bot packed
			}
			c.miss(q)
		}
		return Reply{Kind: ReplyNotCovered, Source: c.st.title, Page: 1, Pages: 1,
			Body:    []Span{{Text: "Sorry I couldn't find it. The transcript may not cover that: try other words, or pick from the list of questions."}},
			Actions: []Action{{ID: c.id(action{verb: verbList, page: 1}), Label: "All questions"}}}
	}
	return c.st.expired()
}

// ExpiredText is the reply to a stale or forged button.
const ExpiredText = "This button has expired — ask again."

// expired is the reply to a stale or forged button, offering the current list.
func (st *state) expired() Reply {
	return Reply{Kind: ReplyExpired, Body: []Span{{Text: ExpiredText}}, Page: 1, Pages: 1, Source: st.source(),
		Actions: []Action{{ID: action{verb: verbList, page: 1}.encode(st.version), Label: "All questions"}}}
}

// errorReply is the short apology for an internal failure (st may be nil).
func (st *state) errorReply() Reply {
	return Reply{Kind: ReplyError, Page: 1, Pages: 1, Source: st.source(),
		Body: []Span{{Text: "Sorry, something went wrong on my side. Please try again in a moment."}}}
}
