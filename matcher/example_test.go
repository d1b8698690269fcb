package matcher_test

import (
	"fmt"
	"strings"

	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

func ExampleMatcher_Match() {
	m, err := matcher.New(transcript.Default(), matcher.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := m.Match("Where will the summit take place?", 120)
	fmt.Println(r.Number, r.Confidence >= m.Threshold())
	fmt.Println(r.Excerpt.Text)

	r = m.Match("How do I bake sourdough bread?", 0)
	fmt.Println(r.Number)
	// Output:
	// 10 true
	// As I have already said, the SCO Summit will be held in St. Petersburg in the autumn of this year.
	// 0
}

func ExampleMatcher_Excerpt() {
	t, _ := transcript.Parse(strings.NewReader("1. When does the bridge open?\nIt opens in September. Buses only at first.\n"))
	m, _ := matcher.New(t, matcher.Options{})
	ex, _ := m.Excerpt(1, "buses", 100)
	for _, h := range ex.Highlights {
		fmt.Printf("%s[%s]%s\n", ex.Text[:h.Start], ex.Text[h.Start:h.End], ex.Text[h.End:])
	}
	// Output:
	// It opens in September. [Buses] only at first.
}

func ExampleAnalyzer_Stems() {
	a, _ := matcher.NewAnalyzer("english")
	fmt.Println(a.Stems("What did the WHO say about the pandemics?"))
	// Output:
	// [who pandem]
}
