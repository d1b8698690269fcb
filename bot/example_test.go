package bot_test

import (
	"context"
	"fmt"

	"transcriptbot/bot"
	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

func ExampleBot_Handle() {
	m, err := matcher.New(transcript.Default(), matcher.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	b := bot.New(m, bot.Options{})
	ctx := context.Background()

	r := b.Handle(ctx, bot.Request{Kind: bot.KindMessage, Text: "third question", Private: true})
	fmt.Println(r.Kind, r.Number)

	r = b.Handle(ctx, bot.Request{Kind: bot.KindCommand, Command: "answer", Text: "42"})
	fmt.Println(r.Kind, r.Text())

	r = b.Handle(ctx, bot.Request{Kind: bot.KindMessage, Text: "thanks a lot!"})
	fmt.Println(r.Kind, r.Text())

	r = b.Handle(ctx, bot.Request{Kind: bot.KindButton, Action: "0000000:f:3"})
	fmt.Println(r.Kind, r.Text())
	// Output:
	// by-number 3
	// invalid There is no question 42. This transcript has questions 1–10.
	// small-talk You're welcome! Ask another question any time.
	// expired This button has expired — ask again.
}

func ExampleReply_PageLabel() {
	r := bot.Reply{Page: 2, Pages: 3}
	fmt.Println(r.PageLabel())
	// Output: (2/3)
}
