// Package matcher maps a user's message to the closest question of a transcript.
//
// CONTRACT STUB: the types and signatures below are the agreed API other packages build on.
// The transcript/matcher work fills in the bodies (and may add fields/options, never remove).
package matcher

import "transcriptbot/transcript"

// DefaultThreshold is the documented confidence below which Match abstains.
const DefaultThreshold = 0.35

// DefaultBudget is the default excerpt length budget in characters (runes).
const DefaultBudget = 500

// Options configure New. The zero value is valid: English, built-in synonyms, DefaultThreshold.
type Options struct {
	// Language is a snowball language: "english" (default), "spanish", "french", "russian",
	// "swedish", "norwegian", "hungarian".
	Language string
	// Threshold overrides DefaultThreshold when > 0.
	Threshold float64
	// NoBuiltinSynonyms drops transcript.BuiltinSynonyms; the transcript's own are always used.
	NoBuiltinSynonyms bool
}

// Matcher is an immutable index over one transcript, safe for concurrent use.
type Matcher struct {
	t *transcript.Transcript
}

// New builds the index. It returns an error for an unknown language.
func New(t *transcript.Transcript, opts Options) (*Matcher, error) { panic("stub") }

// Transcript returns the transcript the matcher was built on.
func (m *Matcher) Transcript() *transcript.Transcript { return m.t }

// Match is the outcome of matching one query.
type Match struct {
	// Number is the best entry's number, or 0 when the matcher abstains ("not in the transcript").
	Number int
	// Confidence in [0,1], comparable across queries. Set even when abstaining (the top score).
	Confidence float64
	// Ambiguous is true when the top two candidates are too close to call.
	Ambiguous bool
	// Terms are the query words (as typed) that matched the best entry.
	Terms []string
	// Alternatives are up to 3 next-best entries (when abstaining: the nearest questions,
	// starting with the top candidate).
	Alternatives []Alternative
	// Excerpt of the best entry's answer (zero when abstaining).
	Excerpt Excerpt
}

// Alternative is a runner-up entry.
type Alternative struct {
	Number     int
	Confidence float64
}

// Excerpt is a span of whole sentences of an answer, with the positions of matched terms.
type Excerpt struct {
	Text       string
	Highlights []Highlight // sorted, non-overlapping, byte offsets into Text on rune/word boundaries
}

// Highlight marks Text[Start:End] as a matched term.
type Highlight struct{ Start, End int }

// Match matches query and returns the result; budget is the excerpt length in runes
// (<= 0 means DefaultBudget). It never panics on any input.
func (m *Matcher) Match(query string, budget int) Match { panic("stub") }

// Excerpt returns the excerpt of entry n's answer that best covers query within budget runes,
// or the full answer with highlights when budget is < 0. ok is false when n is out of range.
func (m *Matcher) Excerpt(n int, query string, budget int) (ex Excerpt, ok bool) { panic("stub") }

// Rank returns up to max entries ordered by relevance to query (no abstention), for
// suggestions such as inline mode and autocomplete.
func (m *Matcher) Rank(query string, max int) []Alternative { panic("stub") }
