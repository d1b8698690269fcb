package matcher

// A briefing tells what was known and planned on its day. A query that asks how something
// turned out ("did the summit go ahead in person in the end", "what was finally decided",
// "did the law actually pass") asks what happened after it: when the passage it matches
// speaks of that in the future ("the Summit will be held in St Petersburg"), the briefing
// cannot answer it however well the topic matches. The decision reads that as evidence
// (fHindsight); the ranking is left alone. A briefing given after the event ("how much did
// the census cost in the end") answers in the past, and the feature stays off.

// pastAux are the auxiliaries of a question about what has happened ("did it finally",
// "was it eventually", "has it actually"); not "have", which is as often a verb ("if two
// members have a dispute, what would actually happen").
var pastAux = map[string]bool{"did": true, "was": true, "were": true, "has": true,
	"had": true}

// outcomeVerbs follow "actually" in a question about what happened ("did it actually take
// place", "actually happened"); the past forms ask it without an auxiliary.
var outcomeVerbs = map[string]bool{"happen": false, "happened": true, "take": false,
	"took": true, "go": false, "went": true, "hold": false, "held": true, "pass": false,
	"passed": true}

// decisionVerbs ask what a meeting or a body decided: the bare form after "did" ("what did
// the ministers decide", "did they agree on anything") and the participle after "was",
// "were", "has" or "had" ("what was agreed", "has anything been decided"). "Decided" and
// "agreed" alone are as often a statement's ("the members agreed that ...") and need the
// auxiliary too.
var decisionVerbs = map[string]bool{"decide": true, "decided": true, "agree": true,
	"agreed": true, "conclude": true, "concluded": true, "adopt": true, "adopted": true,
	"approve": true, "approved": true, "achieve": true, "achieved": true, "resolve": true,
	"resolved": true}

// hindsight reports 1 when the analysed query s asks how something turned out: "in the
// end"; "ended up", or "end up", "finally", "eventually" after a past auxiliary ("did it end
// up", "was it finally decided"); "actually" before a verb of taking place ("did it actually
// happen", "actually took place"); "went ahead" or "did it go ahead"; what a meeting
// decided, after a past auxiliary ("what did the health ministers decide", "what was
// agreed"), what "came out of" it, or its outcome or result asked in the past ("what was
// the outcome of the meeting").
func (m *Matcher) hindsight(s *scratch, query string) float64 {
	var buf [16]byte
	lower := func(i int) string {
		if i < 0 || i >= len(s.raw) {
			return ""
		}
		return string(rawLower(buf[:], query, s.raw[i]))
	}
	aux := false // a past auxiliary came before
	for i := range s.raw {
		w := lower(i)
		if pastAux[w] {
			aux = true
		}
		switch w {
		case "end":
			if lower(i-2) == "in" && lower(i-1) == "the" && lower(i+1) != "of" {
				return 1 // "in the end", not "in the end of June"
			}
			if aux && lower(i+1) == "up" {
				return 1
			}
		case "ended":
			if lower(i+1) == "up" {
				return 1
			}
		case "finally", "eventually":
			if aux {
				return 1
			}
		case "actually", "really":
			if past, ok := outcomeVerbs[lower(i+1)]; ok && (past || aux) {
				return 1
			}
		case "went":
			if lower(i+1) == "ahead" {
				return 1
			}
		case "go":
			if aux && lower(i+1) == "ahead" {
				return 1
			}
		case "came":
			if lower(i+1) == "out" && lower(i+2) == "of" {
				return 1
			}
		case "outcome", "outcomes", "result", "results":
			if aux && lower(i+1) == "of" {
				return 1
			}
		}
		if decisionVerbs[w] && aux && lower(i-1) != "to" {
			// Not "did they decide to postpone it", "did they agree that ...": whether a
			// decision was taken, which a briefing may say, rather than what it was; nor
			// "did he agree with" an opinion.
			if next := lower(i + 1); next != "to" && next != "that" && next != "with" {
				return 1
			}
		}
	}
	return 0
}

// futureWords make a sentence speak of what is to come (typeFuture).
var futureWords = map[string]bool{"will": true, "shall": true, "planned": true,
	"scheduled": true, "upcoming": true, "expected": true}
