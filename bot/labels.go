package bot

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"transcriptbot/matcher"
)

// QuestionLabel returns question q as a short label shows it: without the journalist and
// outlet an operator's transcript may open it with ("Hanna Lyng, VLT Local Television: Have
// you got CCTV footage?" -> "Have you got CCTV footage?"). Replies carry the question as
// written; adapters use this where a platform gives a title or a choice little room.
func QuestionLabel(q string) string { return matcher.WithoutAsker(q) }

// menuLabels returns a button label for each question of a menu, "8. …" followed by the part
// of the question that tells it apart from the others, within Limits.Label, without the
// journalist and outlet that may open it (QuestionLabel). A question that fits is shown
// whole. A longer one that holds words of query (the menu answers a query) shows the stretch
// of words holding the most of them, then of words no other choice has, preferring a stretch
// that starts a sentence. Otherwise it shows the question from where it stops sharing
// a preamble of minPreamble words or more with another choice ("In your opinion, …"), with
// as many words before that as fit. So choices that begin alike can be told apart.
func (c conv) menuLabels(nums []int, query string) []string {
	stem := c.stemmer()
	var want map[string]bool
	if query != "" {
		want = map[string]bool{}
		for _, s := range stem(query) {
			want[s] = true
		}
	}
	words := make([][]labelWord, len(nums))
	for i, n := range nums {
		words[i] = c.st.questionWords(n, stem)
	}
	var df map[string]int // in how many of the menu's questions each stem is, when needed
	if len(want) > 0 && len(nums) > 1 {
		df = map[string]int{}
		for i := range words {
			for j, w := range words[i] {
				if w.stem != "" && !slices.ContainsFunc(words[i][:j], func(v labelWord) bool { return v.stem == w.stem }) {
					df[w.stem]++
				}
			}
		}
	}
	out := make([]string, len(nums))
	for i, n := range nums {
		prefix := strconv.Itoa(n) + ". "
		q := strings.Join(strings.Fields(QuestionLabel(c.st.t.Entries[n-1].Question)), " ")
		if UTF16Len(prefix+q) <= c.lim.Label {
			out[i] = prefix + q
			continue
		}
		budget := c.lim.Label - UTF16Len(prefix)
		hits := 0
		for _, w := range words[i] {
			if w.stem != "" && want[w.stem] {
				hits++
			}
		}
		if hits == 0 {
			// Nothing of the query here: show the question from where it stops sharing a
			// preamble (minPreamble words or more) with another question of the menu.
			from := 0
			for j := range nums {
				if shared := sharedWords(words[i], words[j]); j != i && shared >= minPreamble {
					from = max(from, shared)
				}
			}
			out[i] = prefix + renderStretch(words[i], min(from, len(words[i])-1), budget)
			continue
		}
		out[i] = prefix + bestStretch(words[i], budget, func(w labelWord) int {
			switch {
			case w.stem == "":
				return 0
			case want[w.stem]:
				return 10 // the query's words first, then what tells the choices apart
			case len(nums) > 1 && df[w.stem] == 1:
				return 1
			}
			return 0
		})
	}
	return out
}

// minPreamble is the fewest leading words two questions share for them to count as a
// preamble that labels skip ("In your opinion, …"), not a chance word ("The …").
const minPreamble = 3

// sharedWords is the number of leading words a and b have in common (letter case aside).
func sharedWords(a, b []labelWord) int {
	n := 0
	for n < len(a) && n < len(b) && strings.EqualFold(a[n].text, b[n].text) {
		n++
	}
	return n
}

// renderStretch shows ws from word from on, as much as fits in budget; when all the rest fits,
// words before from are added back while they fit, for context.
func renderStretch(ws []labelWord, from, budget int) string {
	if from == 0 {
		return bestStretch(ws, budget, func(labelWord) int { return 0 })
	}
	tail := func(i int) string {
		var b strings.Builder
		if i > 0 {
			b.WriteString("…")
		}
		for k := i; k < len(ws); k++ {
			if k > i {
				b.WriteByte(' ')
			}
			b.WriteString(ws[k].text)
		}
		return b.String()
	}
	if UTF16Len(tail(from)) > budget {
		return "…" + bestStretch(ws[from:], budget-1, func(labelWord) int { return 0 })
	}
	for from > 0 && UTF16Len(tail(from-1)) <= budget {
		from--
	}
	return tail(from)
}

// stemmer returns the matcher's analysis when the engine has one (content words, stemmed),
// else lower-cased words.
func (c conv) stemmer() func(string) []string {
	if m, ok := c.st.m.(interface{ Analyzer() *matcher.Analyzer }); ok && m.Analyzer() != nil {
		return m.Analyzer().Stems
	}
	return func(s string) []string { return talkWords(s, nil) }
}

// labelWord is one whitespace-separated word of a question.
type labelWord struct {
	text  string
	stem  string // "" for a stop word
	start bool   // begins a sentence
}

// questionWords returns the words of question n for labels, analysed once per transcript
// version and kept (a list page's labels would otherwise stem its ten questions every time).
func (st *state) questionWords(n int, stem func(string) []string) []labelWord {
	if n < 1 || n > len(st.labelWords) {
		return splitLabelWords(QuestionLabel(st.t.Entries[n-1].Question), stem)
	}
	p := &st.labelWords[n-1]
	if ws := p.Load(); ws != nil {
		return *ws
	}
	ws := splitLabelWords(QuestionLabel(st.t.Entries[n-1].Question), stem)
	p.Store(&ws) // a concurrent request may store an equal slice: either will do
	return ws
}

// splitLabelWords splits a question into words with the stem of each (its first stem, when
// punctuation makes one word of several).
func splitLabelWords(q string, stem func(string) []string) []labelWord {
	fields := strings.Fields(q)
	out := make([]labelWord, len(fields))
	for i, f := range fields {
		out[i].text = f
		if s := stem(f); len(s) > 0 {
			out[i].stem = s[0]
		}
		if i == 0 {
			out[i].start = true
		} else {
			prev := strings.TrimRight(fields[i-1], "\"'”’»)")
			r := []rune(f)
			out[i].start = strings.HasSuffix(prev, ".") || strings.HasSuffix(prev, "?") ||
				strings.HasSuffix(prev, "!") || strings.HasSuffix(prev, ":")
			out[i].start = out[i].start && len(r) > 0 && !unicode.IsLower(r[0])
		}
	}
	return out
}

// bestStretch returns the consecutive words of ws, with "…" where words are left out before
// or after, that fit in budget UTF-16 units and score highest: the sum of score over the
// words, plus one for starting a sentence. Ties go to the earliest stretch.
func bestStretch(ws []labelWord, budget int, score func(labelWord) int) string {
	if len(ws) == 0 {
		return ""
	}
	// render is the label for words [i, j).
	render := func(i, j int) string {
		var b strings.Builder
		if i > 0 {
			b.WriteString("…")
		}
		for k := i; k < j; k++ {
			if k > i {
				b.WriteByte(' ')
			}
			b.WriteString(ws[k].text)
		}
		if j < len(ws) {
			s := strings.TrimRightFunc(b.String(), func(r rune) bool {
				return unicode.IsSpace(r) || strings.ContainsRune(",;:-–—(", r)
			})
			b.Reset()
			b.WriteString(s)
			b.WriteString("…")
		}
		return b.String()
	}
	// width(i, j) bounds the rendered length of [i, j) from above (the trim only shortens it).
	wl := make([]int, len(ws))
	for k, w := range ws {
		wl[k] = UTF16Len(w.text)
	}
	bestI, bestJ, best := 0, 0, -1
	j, width, sum := 0, 0, 0 // the stretch [i, j): its words' width with spaces, its score
	for i := range ws {
		if j < i {
			j, width, sum = i, 0, 0
		}
		ell := func(j int) int {
			n := 0
			if i > 0 {
				n++
			}
			if j < len(ws) {
				n++
			}
			return n
		}
		for j < len(ws) {
			w := width + wl[j]
			if j > i {
				w++
			}
			if w+ell(j+1) > budget {
				break
			}
			width, sum = w, sum+score(ws[j])
			j++
		}
		if j > i {
			s := sum
			if ws[i].start {
				s++ // as much as one more distinguishing word
			}
			if s > best {
				bestI, bestJ, best = i, j, s
			}
			if j == len(ws) {
				break // later stretches are shorter tails of this one
			}
			// Drop word i before moving on.
			width -= wl[i]
			if j > i+1 {
				width-- // the space after it
			}
			sum -= score(ws[i])
		}
	}
	if best < 0 {
		// No single word fits: cut the first one.
		return cutWords(ws[0].text, budget)
	}
	return render(bestI, bestJ)
}
