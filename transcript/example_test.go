package transcript_test

import (
	"fmt"
	"strings"

	"transcriptbot/transcript"
)

func ExampleParse() {
	text := "Press conference\n\n1. When is the summit?\n\nIn the autumn. It is held in St. Petersburg.\n"
	t, err := transcript.Parse(strings.NewReader(text))
	if err != nil {
		fmt.Println(err)
		return
	}
	e, _ := t.Entry(1)
	fmt.Println(t.Title)
	fmt.Println(e.Number, e.Question)
	for _, s := range e.Sentences {
		fmt.Println("-", s.Text)
	}
	// Output:
	// Press conference
	// 1 When is the summit?
	// - In the autumn.
	// - It is held in St. Petersburg.
}

func ExampleParse_error() {
	_, err := transcript.Parse(strings.NewReader("1. First?\nYes.\n3. Third?\nNo.\n"))
	fmt.Println(err)
	// Output:
	// line 3: question number out of sequence: question 3 is out of sequence, want 2
}

func ExampleParseSidecar() {
	sidecar := "[question 1]\nwhen does the summit take place\n\n[synonyms]\nsummit, leaders' meeting\n"
	s, err := transcript.ParseSidecar(strings.NewReader(sidecar))
	if err != nil {
		fmt.Println(err)
		return
	}
	t, _ := transcript.Parse(strings.NewReader("1. When is the summit?\nIn the autumn.\n"))
	t, err = t.WithSidecar(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(t.Entries[0].Alternates)
	fmt.Println(t.Synonyms)
	// Output:
	// [when does the summit take place]
	// [[summit leaders' meeting]]
}
