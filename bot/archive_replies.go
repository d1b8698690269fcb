package bot

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"transcriptbot/matcher"
	"transcriptbot/matcher/archive"
)

// Replies across the archive's briefings: the list of briefings, their buttons, a question
// matched across briefings, and the citation of the briefing an answer comes from.

// briefingsPerPage is the number of briefings on one page of their list.
const briefingsPerPage = 8

// briefings is page page of the list of briefings, newest first, each a button opening its
// questions.
func (c conv) briefings(page int, fromCommand bool) Reply {
	c.ar.allBriefings = true
	list := c.ar.snap.List()
	pages := max(1, (len(list)+briefingsPerPage-1)/briefingsPerPage)
	if page < 1 || page > pages {
		if !fromCommand {
			return c.st.expired()
		}
		page = min(max(page, 1), pages)
	}
	r := Reply{Kind: ReplyList, Page: page, Pages: pages, Source: "Briefings"}
	var body strings.Builder
	lineMax := max(20, min(maxListLine, c.lim.Title+8))
	for i, br := range list[(page-1)*briefingsPerPage : min(page*briefingsPerPage, len(list))] {
		if i > 0 {
			body.WriteByte('\n')
		}
		line := briefingLabel(br)
		body.WriteString(cutWords(line, lineMax))
		st := c.b.arc.stateOf(c.ar.snap, br)
		r.Actions = append(r.Actions, Action{ID: action{verb: verbList, page: 1}.encode(st.version), Label: cutWords(line, 60)})
	}
	r.Body = []Span{{Text: body.String()}}
	if page > 1 {
		r.Actions = append(r.Actions, Action{ID: archiveVersion + ":" + verbBriefings + ":" + strconv.Itoa(page-1), Label: "◀ Newer"})
	}
	if page < pages {
		r.Actions = append(r.Actions, Action{ID: archiveVersion + ":" + verbBriefings + ":" + strconv.Itoa(page+1), Label: "Older ▶"})
	}
	return r
}

// briefingLabel is "2020-06-12 · Title (24 questions)".
func briefingLabel(br *archive.Briefing) string {
	s := br.Title
	if s == "" {
		s = br.ID
	}
	if d := br.DateString(); d != "" {
		s = d + " · " + s
	}
	return s + " (" + strconv.Itoa(br.Transcript.Len()) + " questions)"
}

// archiveButton answers a pressed button of any briefing.
func (c conv) archiveButton(id string) Reply {
	if len(id) > MaxActionID {
		return c.st.expired()
	}
	version, rest, ok := strings.Cut(id, ":")
	if !ok {
		return c.st.expired()
	}
	if version == archiveVersion {
		verb, arg, _ := strings.Cut(rest, ":")
		if n, ok := parseCount(arg); ok && verb == verbBriefings {
			return c.briefings(n, false)
		}
		return c.st.expired()
	}
	key, _, ok := strings.Cut(version, ".")
	br, found := c.ar.snap.ByKey(key)
	if !ok || !found {
		return c.st.expired()
	}
	c = c.withBriefing(br)
	if verb, arg, _ := strings.Cut(rest, ":"); verb == verbCross && strings.HasPrefix(id, c.st.version+":") {
		return c.crossOthers(arg)
	}
	return c.button(id) // checks the version: a changed briefing's buttons expire
}

// crossVersion is the short version of a briefing in "other matches" ids: the first
// characters of its hash, enough to tell an edit from the version the id was made for.
func crossVersion(br *archive.Briefing) string {
	v := br.Version()
	return v[:min(3, len(v))]
}

// crossOthers is the menu behind "Other matches" across briefings: "<key>-<n>-<v>.…", each
// a briefing's key, a question number and the briefing's short version (crossVersion).
func (c conv) crossOthers(arg string) Reply {
	parts := strings.Split(arg, ".")
	if len(parts) == 0 || len(parts) > maxOthers {
		return c.st.expired()
	}
	r := Reply{Kind: ReplyAmbiguous, Source: c.st.title, Page: 1, Pages: 1,
		Body: []Span{{Text: "Other questions that may answer it:"}}}
	for _, p := range parts {
		f := strings.Split(p, "-")
		if len(f) != 3 {
			return c.st.expired()
		}
		n, okN := parseCount(f[1])
		br, okB := c.ar.snap.ByKey(f[0])
		if !okN || !okB || n > br.Transcript.Len() || f[2] != crossVersion(br) {
			return c.st.expired() // forged, or that briefing changed since
		}
		st := c.b.arc.stateOf(c.ar.snap, br)
		e := &br.Transcript.Entries[n-1]
		label := cutWords(strconv.Itoa(n)+". "+e.Question, 60)
		if st != c.st {
			label = cutWords(br.DateString()+" #"+strconv.Itoa(n)+" "+e.Question, 60)
		}
		r.Actions = append(r.Actions, Action{ID: action{verb: verbFull, n: n}.encode(st.version), Label: label})
		if st == c.st {
			r.Choices = append(r.Choices, n)
		}
	}
	return r
}

// archiveMatch answers free text across the archive (or the scope an "in:" prefix names).
func (c conv) archiveMatch(query string) Reply {
	scope, q, err := parseScope(c.ar.snap, query)
	if err != "" {
		return c.invalid(err)
	}
	budget := min(matcher.DefaultBudget, c.lim.Body)
	res := c.ar.snap.Match(q, budget, scope)
	if res.Briefing == nil {
		what := "That period holds no briefing."
		if !scope.IsZero() && scope.ID != "" {
			what = "There is no such briefing."
		}
		return c.invalid(what + " /questions lists the briefings.")
	}
	c = c.withBriefing(res.Briefing)
	r := c.matchResult(q, res.Match)
	if r.Kind != ReplyAnswer {
		return r
	}
	// Other matches across briefings replace the briefing's own when they reach outside it.
	cross := false
	for _, o := range res.Others {
		cross = cross || o.Briefing != res.Briefing
	}
	if !cross {
		return r
	}
	var parts []string
	var same []int
	for _, o := range res.Others[:min(len(res.Others), maxOthers)] {
		parts = append(parts, o.Briefing.Key+"-"+strconv.Itoa(o.Number)+"-"+crossVersion(o.Briefing))
		if o.Briefing == res.Briefing {
			same = append(same, o.Number)
		}
	}
	acts := r.Actions[:0:0]
	for _, a := range r.Actions {
		if a.Label != "Other matches" {
			acts = append(acts, a)
		}
	}
	id := c.st.version + ":" + verbCross + ":" + strings.Join(parts, ".")
	for len(id) > MaxActionID && len(parts) > 1 {
		parts = parts[:len(parts)-1]
		id = c.st.version + ":" + verbCross + ":" + strings.Join(parts, ".")
	}
	r.Actions = append(acts, Action{ID: id, Label: "Other matches"})
	r.Others = same
	return r
}

// parseScope reads an "in:PERIOD" or "in:BRIEFING" prefix of query (archive.SplitScope).
// errMsg is a reply for a prefix that names nothing.
func parseScope(snap *archive.Snapshot, query string) (scope archive.Scope, rest string, errMsg string) {
	scope, rest, err := snap.SplitScope(query)
	switch {
	case err == nil:
		return scope, rest, ""
	case errors.Is(err, archive.ErrScopeMissing):
		return scope, "", "Write the period or briefing right after “in:”, then the question, for example: in:2020-06 what was said about the border?"
	}
	name, _, _ := strings.Cut(strings.TrimSpace(query)[3:], " ")
	return scope, "", fmt.Sprintf("“in:%s” names no period or briefing. Write a year (in:2020), a month (in:2020-06), a day (in:2020-06-12), a range (in:2020-03..2020-06) or a briefing's id.", cutWords(name, 40))
}

// cite names the briefing an answer, a menu or a list comes from (Reply.Briefing, Date)
// and, when the archive holds more than one, adds its citation: "— Title, 2020-06-12,
// question 3" after the body, title and date in Source.
func (c conv) cite(r Reply) Reply {
	if c.ar == nil || c.st.briefing == nil {
		return r
	}
	switch r.Kind {
	case ReplyAnswer, ReplyByNumber, ReplyList, ReplyAmbiguous, ReplyNotCovered:
	default:
		return r
	}
	br := c.st.briefing
	r.Briefing, r.Date = br.ID, br.DateString()
	if !c.ar.multi {
		return r
	}
	title := br.Title
	if title == "" {
		title = br.ID
	}
	title = cutWords(title, maxCiteTitle)
	src := title
	if d := br.DateString(); d != "" {
		src += ", " + d
	}
	r.Source = src
	if r.Number > 0 {
		src += ", question " + strconv.Itoa(r.Number)
	}
	r.Body = append(r.Body, Span{Text: "\n\n— " + src})
	return r
}
