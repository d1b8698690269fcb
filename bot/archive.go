package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"transcriptbot/matcher/archive"
	"transcriptbot/transcript"
)

// Archive mode (NewArchive): the bot answers from many briefings at once.
//
//   - A question in words is matched across the archive (archive.Snapshot.Match); the answer
//     comes from the best briefing and, when the archive holds more than one, cites its
//     title, date and question number. "Other matches" may open questions of other briefings.
//   - A number ("3", "q3", /answer 3) means question 3 of the chat's current briefing: the
//     one it last got an answer or menu from, else the newest. "2020-06-12#3" (a date,
//     an id or a short key, '#', a number) names another; "/use 2020-06-12" sets the current
//     one and lists its questions. Suggestions for a chat (Discord's /answer autocomplete)
//     come from the same briefing, and never change it (suggestState).
//   - "in:2020-06 question", "in:2020 ...", "in:2020-03..2020-06 ...", "in:ID ..." narrow
//     a question to a period or a briefing (also after /ask).
//   - /questions lists the briefings, newest first, paged, each a button opening its
//     questions; "/questions 2020-06-12" lists the questions of one.
//
// Action ids of a briefing carry "<key>.<hash>" where a single transcript's carry its hash
// (key: archive.Briefing.Key, a few characters; hash: the transcript's version), so a button
// opens the briefing it was made for, and expires when that briefing changes. The list of
// briefings uses "arc:b:<page>"; "other matches" across briefings "<v>:x:<key>-<n>-<v3>.…".

// archiveVersion is the version field of ids that belong to no one briefing.
const archiveVersion = "arc"

// Archive action verbs (after archiveVersion or a briefing version).
const (
	verbBriefings = "b" // arc:b:<page>, the list of briefings
	verbCross     = "x" // <v>:x:<key>-<n>.<key>-<n>, other matches across briefings
)

// DefaultCurrentTTL is how long a chat's current briefing is remembered when
// Options.CurrentTTL is zero.
const DefaultCurrentTTL = 30 * 24 * time.Hour

// citeReserve is the room (UTF-16 units) an answer's body leaves for its citation line.
const citeReserve = 140

// maxCiteTitle bounds the title in a citation, in runes.
const maxCiteTitle = 90

// archiveMode is the bot's archive and the per-briefing states built from it.
type archiveMode struct {
	a      *archive.Archive
	states sync.Map // *archive.Briefing -> *state
	mu     sync.Mutex
	pruned *archive.Snapshot // the snapshot states was last pruned for
	cur    TurnStore         // current briefing per chat
	curTTL time.Duration
}

// NewArchive returns a bot answering from the briefings of a. Updates to a (Put, Remove)
// are seen by the next request. Options.Turns, when set, also keeps each chat's current
// briefing (under keys starting "cur:").
func NewArchive(a *archive.Archive, opts Options) *Bot {
	b := New(nil, opts)
	// The chat's current briefing is kept in the conversation store even when follow-ups are
	// off (a negative TurnTTL), so that replicas sharing one agree on it.
	b.arc = &archiveMode{a: a, cur: opts.Turns, curTTL: opts.CurrentTTL}
	if b.arc.cur == nil {
		b.arc.cur = b.turns
	}
	if b.arc.cur == nil {
		b.arc.cur = NewMemoryTurns(MemoryTurnsOptions{})
	}
	if b.arc.curTTL <= 0 {
		b.arc.curTTL = DefaultCurrentTTL
	}
	return b
}

// Archive returns the archive the bot answers from (nil for a bot of one transcript).
func (b *Bot) Archive() *archive.Archive {
	if b.arc == nil {
		return nil
	}
	return b.arc.a
}

// stateOf returns the conversation state of briefing br, built on first use.
func (am *archiveMode) stateOf(snap *archive.Snapshot, br *archive.Briefing) *state {
	if v, ok := am.states.Load(br); ok {
		return v.(*state)
	}
	st := newState(br.Matcher, br.Transcript)
	st.version = br.Key + "." + st.version
	st.briefing = br
	v, _ := am.states.LoadOrStore(br, st)
	am.prune(snap)
	return v.(*state)
}

// prune forgets the states of briefings no longer in snap (replaced or removed).
func (am *archiveMode) prune(snap *archive.Snapshot) {
	am.mu.Lock()
	defer am.mu.Unlock()
	if am.pruned == snap {
		return
	}
	am.pruned = snap
	am.states.Range(func(k, _ any) bool {
		br := k.(*archive.Briefing)
		if cur, ok := snap.Get(br.ID); !ok || cur != br {
			am.states.Delete(k)
		}
		return true
	})
}

// chatKey identifies a chat for its current briefing ("" when the request names none).
func chatKey(req Request) string {
	if req.ChatID == "" {
		return ""
	}
	return "cur:" + req.Platform + ":" + strconv.Itoa(len(req.ChatID)) + ":" + req.ChatID
}

// current returns the chat's current briefing: the stored one when it is still in snap,
// else the newest.
func (am *archiveMode) current(ctx context.Context, b *Bot, key string, snap *archive.Snapshot) *archive.Briefing {
	if key != "" {
		p, ok, err := am.cur.LoadTurn(ctx, key)
		if err != nil {
			b.log.Warn("bot: conversation store failed; using the newest briefing", "err", err)
		}
		if ok {
			if br, ok := snap.Get(string(p)); ok {
				return br
			}
		}
	}
	return snap.Newest()
}

// setCurrent remembers br as the chat's current briefing.
func (am *archiveMode) setCurrent(ctx context.Context, b *Bot, key string, br *archive.Briefing) {
	if key == "" || br == nil {
		return
	}
	if err := am.cur.SaveTurn(ctx, key, []byte(br.ID), am.curTTL); err != nil {
		b.log.Warn("bot: conversation store failed; the current briefing is not remembered", "err", err)
	}
}

// archiveConv is what a conversation in archive mode shares between its steps.
type archiveConv struct {
	snap  *archive.Snapshot
	multi bool // more than one briefing: replies cite their briefing
	// used is the state a reply came from, when not the conversation's own (a match in
	// another briefing).
	used *state
	// allBriefings: the reply is the list of briefings, from none of them.
	allBriefings bool
}

// handleArchive is Handle in archive mode.
func (b *Bot) handleArchive(ctx context.Context, req Request) (reply Reply) {
	am := b.arc
	snap := am.a.Snapshot()
	var st *state
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("bot: panic handling a request", "panic", fmt.Sprint(p),
				"kind", int(req.Kind), "platform", req.Platform)
			reply = st.errorReply()
		}
	}()
	if snap.Len() == 0 {
		b.log.Error("bot: the archive holds no briefing")
		return st.errorReply()
	}
	ck := chatKey(req)
	st = am.stateOf(snap, am.current(ctx, b, ck, snap))
	lim := req.Limits.normalize()
	multi := snap.Len() > 1
	if multi && lim.Body >= 3*citeReserve {
		lim.Body -= citeReserve
	}
	ac := &archiveConv{snap: snap, multi: multi}
	c := conv{b: b, st: st, lim: lim, private: req.Private, ar: ac}
	if r, ok := c.archiveRequest(req); ok {
		reply = r
	} else {
		key := turnKey(req)
		if st2 := b.turnBriefing(ctx, req, key, snap); st2 != nil && st2 != c.st {
			// A follow-up of this user's last menu or answer, of another briefing than the
			// chat's current one (another user moved the chat on): it follows that turn.
			c.st, ac.used = st2, st2
		}
		var ok bool
		reply, ok = c.followUpReply(ctx, req, key)
		if !ok {
			reply = c.handle(req)
		}
	}
	if ac.allBriefings {
		return c.fit(reply)
	}
	from := c
	if ac.used != nil {
		from.st = ac.used
	}
	reply = from.cite(c.fit(reply))
	b.saveTurn(ctx, turnKey(req), from.st.version, reply)
	switch reply.Kind {
	case ReplyAnswer, ReplyByNumber, ReplyAmbiguous, ReplyList:
		am.setCurrent(ctx, b, ck, from.st.briefing)
	case ReplyNotCovered:
		if len(reply.Choices) > 0 {
			am.setCurrent(ctx, b, ck, from.st.briefing)
		}
	}
	return reply
}

// turnBriefing returns the state of the briefing of the user's last turn when req reads as
// a follow-up of it and that briefing is still in snap, unchanged; nil otherwise.
func (b *Bot) turnBriefing(ctx context.Context, req Request, key string, snap *archive.Snapshot) *state {
	if key == "" || b.turns == nil || req.IsReply || (req.Kind != KindMessage && req.Kind != KindMention) {
		return nil
	}
	if parseFollowUp(req.Text).kind == followNone {
		return nil
	}
	p, ok, err := b.turns.LoadTurn(ctx, key)
	if err != nil || !ok {
		return nil
	}
	t, err := decodeTurn(p)
	if err != nil {
		return nil
	}
	k, _, _ := strings.Cut(t.version, ".")
	br, ok := snap.ByKey(k)
	if !ok {
		return nil
	}
	if st := b.arc.stateOf(snap, br); st.version == t.version {
		return st
	}
	return nil
}

// withBriefing returns c answering from briefing br, recording that the reply comes from it.
func (c conv) withBriefing(br *archive.Briefing) conv {
	st := c.b.arc.stateOf(c.ar.snap, br)
	c.st = st
	c.ar.used = st
	return c
}

// archiveRequest answers what only archive mode knows: buttons of any briefing, the list of
// briefings, /use, and "DATE#N". ok is false for everything else, which the conversation
// answers from its current briefing.
func (c conv) archiveRequest(req Request) (Reply, bool) {
	switch req.Kind {
	case KindButton:
		return c.archiveButton(req.Action), true
	case KindCommand:
		if msg := validate(req.Text, c.b.opts.MaxInput); msg != "" && strings.TrimSpace(req.Text) != "" {
			return Reply{}, false
		}
		return c.archiveCommand(req.Command, strings.TrimSpace(req.Text))
	case KindMessage, KindMention:
		if validate(req.Text, c.b.opts.MaxInput) != "" {
			return Reply{}, false
		}
		if !req.IsReply {
			if name, arg, ok := rawCommand(req.Text); ok {
				return c.archiveCommand(name, arg)
			}
		}
		text := strings.TrimSpace(req.Text)
		if r, ok := archive.ParseRef(text); ok && r.Briefing != "" && c.namesBriefing(r.Briefing) {
			return c.refReply(r), true
		}
		if c.ar.multi && isListRequest(text) {
			return c.briefings(1, true), true
		}
	}
	return Reply{}, false
}

// archiveCommand answers the commands archive mode changes.
func (c conv) archiveCommand(name, arg string) (Reply, bool) {
	name = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(name), "/"))
	name, _, _ = strings.Cut(name, "@")
	switch name {
	case "use":
		if arg == "" {
			return c.briefings(1, true), true
		}
		br, ok := c.ar.snap.Resolve(arg)
		if !ok {
			return c.noBriefing(arg), true
		}
		return c.withBriefing(br).list(1, true), true
	case "questions", "list":
		if arg == "" {
			if !c.ar.multi {
				return Reply{}, false
			}
			return c.briefings(1, true), true
		}
		if n, ok := parseCount(arg); ok && c.ar.multi {
			return c.briefings(n, true), true
		}
		if br, ok := c.ar.snap.Resolve(arg); ok {
			return c.withBriefing(br).list(1, true), true
		}
		if _, ok := parseCount(arg); ok {
			return Reply{}, false
		}
		return c.noBriefing(arg), true
	case "answer", "a", "q", "question":
		if r, ok := archive.ParseRef(arg); ok && r.Briefing != "" {
			return c.refReply(r), true
		}
	}
	return Reply{}, false
}

// namesBriefing reports whether name, written before '#', is meant as a briefing: one of the
// archive's, or a date. "COVID#19" is then a question about COVID-19, not a reference.
func (c conv) namesBriefing(name string) bool {
	if _, ok := c.ar.snap.Resolve(name); ok {
		return true
	}
	_, err := transcript.ParseDate(name)
	return err == nil
}

// refReply answers "BRIEFING#N".
func (c conv) refReply(r archive.Ref) Reply {
	br, ok := c.ar.snap.Resolve(r.Briefing)
	if !ok {
		return c.noBriefing(r.Briefing)
	}
	c = c.withBriefing(br)
	if r.Number > c.total() {
		return c.invalid(fmt.Sprintf("There is no question %d. %s", r.Number, c.rangeText()))
	}
	return c.byNumber(r.Number, 1, false)
}

// noBriefing is the reply to a briefing name that names none.
func (c conv) noBriefing(name string) Reply {
	return Reply{Kind: ReplyInvalid, Page: 1, Pages: 1, Source: c.st.title,
		Body:    []Span{{Text: fmt.Sprintf("There is no briefing “%s”. Name one by its date (2020-06-12) or its id; /questions lists them.", cutWords(name, 40))}},
		Actions: []Action{{ID: archiveVersion + ":" + verbBriefings + ":1", Label: "All briefings"}}}
}

// suggestState is what Suggest answers from in archive mode: the state of one briefing, the
// conversation's archive view, and the query without an "in:" prefix. The briefing is, in
// this order:
//
//   - the one req.Briefing names (none when it names none);
//   - with an "in:" prefix, the briefing in that scope answering the query best (the newest
//     of the scope for an empty query or a number);
//   - for a chat (req.ChatID), the chat's current briefing: the one /answer N opens there,
//     so that a suggested number means the same question when it is sent;
//   - without a chat, the briefing answering the query best (the newest for an empty query
//     or a number).
//
// Reading the chat's current briefing does not change it: suggesting is not answering.
func (b *Bot) suggestState(ctx context.Context, req SuggestRequest) (*state, *archiveConv, string) {
	snap := b.arc.a.Snapshot()
	query := req.Query
	if snap.Len() == 0 {
		return nil, nil, query
	}
	ac := &archiveConv{snap: snap, multi: snap.Len() > 1}
	if name := strings.TrimSpace(req.Briefing); name != "" {
		br, ok := snap.Resolve(name)
		if !ok {
			return nil, nil, query
		}
		return b.arc.stateOf(snap, br), ac, query
	}
	scope, q, err := snap.SplitScope(query)
	if err != nil {
		return nil, nil, query
	}
	var br *archive.Briefing
	switch {
	case !scope.IsZero():
		for _, c := range snap.List() {
			if scope.Contains(c) {
				br = c
				break
			}
		}
		if br == nil {
			return nil, nil, q
		}
	case req.ChatID != "":
		// The numbers of this chat are its current briefing's: rank within it alone.
		br = b.arc.current(ctx, b, chatKey(Request{Platform: req.Platform, ChatID: req.ChatID}), snap)
		return b.arc.stateOf(snap, br), ac, q
	default:
		br = snap.Newest()
	}
	if t := strings.TrimSpace(q); t != "" {
		if _, ok := numberPrefix(t); !ok {
			if res := snap.Match(t, 1, scope); res.Briefing != nil {
				br = res.Briefing
			}
		}
	}
	return b.arc.stateOf(snap, br), ac, q
}

// BriefingChoice is a briefing (or a period) offered while a user types one: Name to show,
// Value to put after "in:".
type BriefingChoice struct {
	Name, Value string
	// Period: Value is a period naming no one briefing (a year, a month), which narrows a
	// question but cannot stand before "#N". A day names its newest briefing, as in
	// "2020-06-12#3", and is no Period.
	Period bool
}

// BriefingChoices offers up to max briefings or periods matching what the user typed so far
// (a date's beginning, an id, words of a title), newest first; a year, month or day typed in
// full comes first as a period. It returns nil for a bot of one transcript. For Discord's
// autocomplete of /ask's "in" option.
func (b *Bot) BriefingChoices(query string, max int) []BriefingChoice {
	if b.arc == nil || max <= 0 {
		return nil
	}
	snap := b.arc.a.Snapshot()
	query = strings.TrimSpace(query)
	var out []BriefingChoice
	if sc, err := archive.ParsePeriod(query); err == nil && query != "" {
		v := strings.Join(strings.Fields(query), "")
		_, names := snap.Resolve(v)
		out = append(out, BriefingChoice{Name: "All briefings of " + sc.String(), Value: v, Period: !names})
	}
	lower := strings.ToLower(query)
	for _, br := range snap.List() {
		if len(out) >= max {
			break
		}
		if lower != "" && !strings.HasPrefix(br.DateString(), lower) && !strings.Contains(strings.ToLower(br.ID), lower) &&
			!strings.Contains(strings.ToLower(br.Title), lower) {
			continue
		}
		v := br.ID
		if strings.ContainsFunc(v, unicode.IsSpace) || utf8.RuneCountInString(v) > 90 {
			v = br.Key // an id that cannot stand in "in:ID" is named by its key
		}
		out = append(out, BriefingChoice{Name: briefingLabel(br), Value: v})
	}
	return out
}
