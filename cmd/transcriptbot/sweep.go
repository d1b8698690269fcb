package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"

	"transcriptbot/bot"
	"transcriptbot/bot/evaluate"
	"transcriptbot/matcher"
	"transcriptbot/transcript"
)

// sweepThresholds are the thresholds eval --sweep measures, besides the one in use.
var sweepThresholds = func() []float64 {
	var ts []float64
	for t := 10; t <= 95; t += 5 {
		ts = append(ts, float64(t)/100)
	}
	return ts
}()

// sweepRow is what users get, pooled over every file, at one threshold.
type sweepRow struct {
	Threshold float64 `json:"threshold"`
	// InUse marks the threshold eval would use without --sweep (the matcher's default, or
	// --answer-threshold / ANSWER_THRESHOLD).
	InUse           bool    `json:"in_use,omitempty"`
	Top1            float64 `json:"top1"`
	DirectCorrect   float64 `json:"direct_correct"`
	ConfidentWrong  float64 `json:"confident_wrong"`
	FalseNotCovered float64 `json:"false_not_covered"`
	OOSDeclinedRate float64 `json:"oos_declined_rate"`
	// AnswerPrecision is the share of answers (not menus) that name a right question, out of
	// scope queries included; NaN (null in JSON) when nothing was answered.
	AnswerPrecision *float64 `json:"answer_precision"`
	Answers         int      `json:"answers"`
}

// sweepOutput is eval --sweep --json's output.
type sweepOutput struct {
	Transcript string     `json:"transcript"`
	Questions  int        `json:"questions"`
	Files      []string   `json:"files"`
	Answerable int        `json:"answerable"`
	OutOfScope int        `json:"out_of_scope"`
	Precision  float64    `json:"precision_target"`
	Rows       []sweepRow `json:"sweep"`
	// Suggested is the lowest threshold whose answers reach the precision target, or null.
	Suggested *float64 `json:"suggested_threshold"`
}

// runSweep measures every set of sets, pooled, at each of sweepThresholds and at inUse (0:
// the threshold fitted for t), and suggests the lowest threshold at which at least precision of
// the answers name a right question: the operator's way to choose ANSWER_THRESHOLD for a
// transcript of their own from queries they labelled.
func runSweep(ctx context.Context, env *cliEnv, t *transcript.Transcript, names []string, sets [][]evaluate.Case, inUse, precision float64, asJSON bool) int {
	if inUse == 0 {
		inUse = matcher.DefaultThresholdFor(t, env.Lang)
	}
	ths := sweepThresholds
	if !slices.Contains(ths, inUse) {
		ths = append(slices.Clone(ths), inUse)
		slices.Sort(ths)
	}
	out := sweepOutput{Transcript: t.Hash, Questions: t.Len(), Files: names, Precision: precision}
	for _, th := range ths {
		m, err := matcher.New(t, matcher.Options{Language: env.Lang, Threshold: th})
		if err != nil {
			return env.runtimeError("eval", err)
		}
		b := bot.New(m, bot.Options{})
		reports := make([]evaluate.Report, len(sets))
		for i, cases := range sets {
			results, err := evaluate.Run(ctx, b, cases)
			if err != nil {
				return env.runtimeError("eval", err)
			}
			reports[i] = evaluate.NewReport(names[i], results)
		}
		s := evaluate.Pool("pooled", reports...).Overall
		out.Answerable, out.OutOfScope = s.Answerable, s.OutOfScope
		row := sweepRow{Threshold: th, InUse: th == inUse, Top1: s.Top1, DirectCorrect: s.DirectCorrect,
			ConfidentWrong: s.ConfidentWrong, FalseNotCovered: s.FalseNotCovered,
			OOSDeclinedRate: s.OOSDeclinedRate, Answers: s.Right + s.Wrong + s.OOSAnswered}
		if row.Answers > 0 {
			p := float64(s.Right) / float64(row.Answers)
			row.AnswerPrecision = &p
			if out.Suggested == nil && p >= precision {
				out.Suggested = &row.Threshold
			}
		}
		out.Rows = append(out.Rows, row)
	}
	if asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return env.runtimeError("eval", err)
		}
		return exitOK
	}
	if err := out.writeText(env.Stdout); err != nil {
		return env.runtimeError("eval", err)
	}
	return exitOK
}

// writeText writes the sweep as a table, then the suggestion.
func (o *sweepOutput) writeText(w io.Writer) error {
	files := "1 file"
	if len(o.Files) != 1 {
		files = fmt.Sprintf("%d files", len(o.Files))
	}
	fmt.Fprintf(w, "transcript %s (%d questions): what users get at each threshold, %s pooled (%d answerable, %d out of scope)\n\n",
		o.Transcript, o.Questions, files, o.Answerable, o.OutOfScope)
	fmt.Fprintln(w, "threshold  top-1   direct  wrong   not covered  out of scope declined  answers right")
	for _, r := range o.Rows {
		mark := "  "
		if r.InUse {
			mark = " *"
		}
		prec := "-"
		if r.AnswerPrecision != nil {
			prec = fmt.Sprintf("%.1f%% of %d", 100**r.AnswerPrecision, r.Answers)
		}
		fmt.Fprintf(w, "%.2f%s     %5.1f%%  %5.1f%%  %5.1f%%  %5.1f%%       %5.1f%%                 %s\n",
			r.Threshold, mark, 100*r.Top1, 100*r.DirectCorrect, 100*r.ConfidentWrong,
			100*r.FalseNotCovered, 100*r.OOSDeclinedRate, prec)
	}
	fmt.Fprintln(w, "  (* the threshold in use; wrong is over all queries, out of scope included; answers right:")
	fmt.Fprintln(w, "  the share of answers, menus aside, that name a right question)")
	fmt.Fprintln(w)
	target := fmt.Sprintf("%g%%", math.Round(1000*o.Precision)/10)
	if o.Suggested == nil {
		_, err := fmt.Fprintf(w, "No threshold measured gets %s of its answers right on these queries: the transcript\n"+
			"does not answer them reliably enough; label more queries, or accept a lower --precision.\n", target)
		return err
	}
	_, err := fmt.Fprintf(w, "The lowest threshold whose answers are right %s of the time or more: %.2f\n"+
		"(serve with --answer-threshold %.2f, or ANSWER_THRESHOLD=%.2f).\n", target, *o.Suggested, *o.Suggested, *o.Suggested)
	return err
}
