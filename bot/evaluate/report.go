package evaluate

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"transcriptbot/bot"
)

// KindNames describe the query kinds of the file format.
var KindNames = map[string]string{
	"P": "paraphrase",
	"A": "fact in answer",
	"K": "keywords",
	"T": "typo",
	"C": "chatty",
	"N": "by number",
	"O": "out of scope",
}

// Summary counts the outcomes of a set of results and derives the measures (see the package
// comment). Shares are in [0, 1], and 0 when their denominator is.
type Summary struct {
	// Kind is the query kind summarised, "" for all kinds.
	Kind string `json:"kind,omitempty"`

	Queries    int `json:"queries"`
	Answerable int `json:"answerable"`
	OutOfScope int `json:"out_of_scope"`

	// Outcomes of answerable queries.
	Right      int `json:"answered_right"`
	Wrong      int `json:"answered_wrong"`
	MenuFirst  int `json:"menu_right_first"`
	MenuLower  int `json:"menu_right_lower"`
	MenuAbsent int `json:"menu_right_absent"`
	NotCovered int `json:"not_covered"`
	Declined   int `json:"declined"` // another reply (small talk, help, list, invalid)

	// Outcomes of out-of-scope queries.
	OOSAnswered int `json:"oos_answered"`
	OOSMenu     int `json:"oos_menu"`
	OOSDeclined int `json:"oos_declined"`

	// The measures.
	Top1            float64 `json:"top1"`
	DirectCorrect   float64 `json:"direct_correct"`
	ConfidentWrong  float64 `json:"confident_wrong"`
	MenuRate        float64 `json:"menu_rate"`
	FalseNotCovered float64 `json:"false_not_covered"`
	OOSDeclinedRate float64 `json:"oos_declined_rate"`
	MRR             float64 `json:"mrr"`

	rr float64 // sum of reciprocal ranks over answerable queries
}

// add counts one result.
func (s *Summary) add(r Result) {
	s.Queries++
	if !r.Case.Answerable() {
		s.OutOfScope++
		switch {
		case r.Outcome.declined():
			s.OOSDeclined++
		case r.Outcome.menu():
			s.OOSMenu++
		default:
			s.OOSAnswered++
		}
		return
	}
	s.Answerable++
	if r.Rank > 0 {
		s.rr += 1 / float64(r.Rank)
	}
	switch r.Outcome {
	case AnsweredRight:
		s.Right++
	case AnsweredWrong:
		s.Wrong++
	case MenuFirst:
		s.MenuFirst++
	case MenuLower:
		s.MenuLower++
	case MenuAbsent:
		s.MenuAbsent++
	case NotCovered:
		s.NotCovered++
	default:
		s.Declined++
	}
}

// finish derives the measures from the counts.
func (s *Summary) finish() {
	s.Top1 = share(s.Right+s.MenuFirst, s.Answerable)
	s.DirectCorrect = share(s.Right, s.Answerable)
	s.ConfidentWrong = share(s.confidentWrong(), s.Queries)
	s.MenuRate = share(s.menus(), s.Queries)
	s.FalseNotCovered = share(s.NotCovered+s.Declined, s.Answerable)
	s.OOSDeclinedRate = share(s.OOSDeclined, s.OutOfScope)
	s.MRR = 0
	if s.Answerable > 0 {
		s.MRR = s.rr / float64(s.Answerable)
	}
}

func (s *Summary) confidentWrong() int { return s.Wrong + s.OOSAnswered }

func (s *Summary) menus() int { return s.MenuFirst + s.MenuLower + s.MenuAbsent + s.OOSMenu }

func share(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Summarize counts results overall and per kind (kinds sorted by name).
func Summarize(results []Result) (overall Summary, kinds []Summary) {
	byKind := map[string]*Summary{}
	for _, r := range results {
		overall.add(r)
		k := byKind[r.Case.Kind]
		if k == nil {
			k = &Summary{Kind: r.Case.Kind}
			byKind[r.Case.Kind] = k
		}
		k.add(r)
	}
	overall.finish()
	for _, k := range byKind {
		k.finish()
		kinds = append(kinds, *k)
	}
	sort.Slice(kinds, func(i, j int) bool { return kinds[i].Kind < kinds[j].Kind })
	return overall, kinds
}

// Report is the evaluation of one set, or of several pooled.
type Report struct {
	// Name is the set's file name, or "pooled" for several.
	Name    string    `json:"name"`
	Overall Summary   `json:"overall"`
	Kinds   []Summary `json:"kinds"`
	// Results are every case's result, in file order (pooled: file after file).
	Results []Result `json:"-"`
}

// NewReport summarises the results of the set called name.
func NewReport(name string, results []Result) Report {
	r := Report{Name: name, Results: results}
	r.Overall, r.Kinds = Summarize(results)
	return r
}

// Pool returns the report over all results of reports, named name.
func Pool(name string, reports ...Report) Report {
	var all []Result
	for _, r := range reports {
		all = append(all, r.Results...)
	}
	return NewReport(name, all)
}

// Misses returns the results that are misses (see Result.Miss), in order.
func (r Report) Misses() []Result {
	var out []Result
	for _, res := range r.Results {
		if res.Miss() {
			out = append(out, res)
		}
	}
	return out
}

// ratio is "12/34  35.3%", or "-" without a denominator.
func ratio(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%d/%d\t%5.1f%%", a, b, 100*float64(a)/float64(b))
}

// pct is "35.3%", or "-" without a denominator.
func pct(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
}

// WriteText writes the report as text: a header, one line per measure (each starting with
// the measure's name, so scripts can grep them), the outcomes, the per-kind table, and, when
// misses is set, every miss with what the user got. Lines are not indented except in the
// tables, so "^top-1" finds the overall figure alone.
func (r Report) WriteText(w io.Writer, misses bool) error {
	s := &r.Overall
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d queries (%d answerable, %d out of scope)\n", r.Name, s.Queries, s.Answerable, s.OutOfScope)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "top-1, answerable\t%s\tright question answered, or first in the menu\n", ratio(s.Right+s.MenuFirst, s.Answerable))
	fmt.Fprintf(tw, "direct-correct, answerable\t%s\tright question answered, no menu\n", ratio(s.Right, s.Answerable))
	fmt.Fprintf(tw, "confident-wrong, all queries\t%s\tanswered with a wrong question (out of scope included)\n", ratio(s.confidentWrong(), s.Queries))
	fmt.Fprintf(tw, "menu, all queries\t%s\t\"did you mean\" instead of an answer\n", ratio(s.menus(), s.Queries))
	fmt.Fprintf(tw, "false \"not covered\", answerable\t%s\tanswerable but declined\n", ratio(s.NotCovered+s.Declined, s.Answerable))
	fmt.Fprintf(tw, "declined, out of scope\t%s\tneither an answer nor a menu\n", ratio(s.OOSDeclined, s.OutOfScope))
	mrr := "-"
	if s.Answerable > 0 {
		mrr = fmt.Sprintf("%.3f", s.MRR)
	}
	fmt.Fprintf(tw, "MRR, answerable\t%s\t\trank of the right question in what the reply offers\n", mrr)
	tw.Flush()
	fmt.Fprintf(&b, "answerable: %d right, %d wrong, menu %d right first / %d lower / %d absent, %d not covered, %d other replies\n",
		s.Right, s.Wrong, s.MenuFirst, s.MenuLower, s.MenuAbsent, s.NotCovered, s.Declined)
	if s.OutOfScope > 0 {
		fmt.Fprintf(&b, "out of scope: %d answered, %d menu, %d declined\n", s.OOSAnswered, s.OOSMenu, s.OOSDeclined)
	}

	b.WriteString("\nBy kind:\n")
	tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  kind\tqueries\ttop-1\tdirect\twrong\tmenu\tdeclined\tMRR")
	for _, k := range r.Kinds {
		name := strings.TrimSpace(k.Kind + " " + KindNames[k.Kind])
		declined, of := k.NotCovered+k.Declined, k.Answerable
		mrr := "-"
		if k.Answerable > 0 {
			mrr = fmt.Sprintf("%.3f", k.MRR)
		} else {
			declined, of = k.OOSDeclined, k.OutOfScope
		}
		fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", name, k.Queries,
			pct(k.Right+k.MenuFirst, k.Answerable), pct(k.Right, k.Answerable),
			pct(k.confidentWrong(), k.Queries), pct(k.menus(), k.Queries), pct(declined, of), mrr)
	}
	tw.Flush()
	b.WriteString("  (top-1 and direct over answerable queries; wrong and menu over all; declined: answerable\n" +
		"  queries given neither an answer nor a menu, or for out of scope the share rightly declined)\n")

	if ms := r.Misses(); misses && len(ms) > 0 {
		fmt.Fprintf(&b, "\nMisses (%d):\n", len(ms))
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, m := range ms {
			fmt.Fprintf(tw, "  %d\t%s\twant %s\tgot %s\t%s\n", m.Case.Line, m.Case.Kind, want(m.Case), m.Got(), m.Case.Query)
		}
		tw.Flush()
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// want is the expected questions as written in the file ("1,8", or "0").
func want(c Case) string {
	if !c.Answerable() {
		return "0"
	}
	return joinInts(c.Expected)
}

// Got describes what the user got: "answer 8 (others 5,2)", "menu 5,2,9", "not covered
// (nearest 2,5)", "by-number 4", "small-talk".
func (r Result) Got() string {
	switch r.kind {
	case bot.ReplyAnswer:
		if len(r.Offered) > 1 {
			return fmt.Sprintf("answer %d (others %s)", r.Number, joinInts(r.Offered[1:]))
		}
		return fmt.Sprintf("answer %d", r.Number)
	case bot.ReplyByNumber:
		return fmt.Sprintf("by-number %d", r.Number)
	case bot.ReplyAmbiguous:
		return "menu " + joinInts(r.Offered)
	case bot.ReplyNotCovered:
		if len(r.Offered) > 0 {
			return "not covered (nearest " + joinInts(r.Offered) + ")"
		}
		return "not covered"
	}
	return r.Reply
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}
