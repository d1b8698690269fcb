package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"sort"
	"strings"
)

// The redacting log handler lives with the command because the command builds every logger
// and knows the secrets (bot tokens, webhook secrets, the Redis password) from its
// configuration.

// redactedText replaces a secret in log output.
const redactedText = "[REDACTED]"

// minSecretLen is the length below which redactSecrets leaves a value alone.
const minSecretLen = 6

// redactSecrets returns a slog.Handler that writes through h with every occurrence of each secret
// (and of its URL-escaped forms, as it appears in request URLs) replaced by redactedText: in the
// message, in string attributes, in errors and Stringers, and in any other value whose
// printed form contains a secret. Secrets shorter than minSecretLen are ignored: replacing
// them would garble every line, and they are too short to keep anything secret. It is a
// belt-and-braces guard: code should not log secrets in the first place.
func redactSecrets(h slog.Handler, secrets ...string) slog.Handler {
	seen := map[string]bool{}
	var forms []string
	for _, s := range secrets {
		if len(s) < minSecretLen {
			continue
		}
		for _, f := range []string{s, url.QueryEscape(s), url.PathEscape(s)} {
			if !seen[f] {
				seen[f] = true
				forms = append(forms, f)
			}
		}
	}
	if len(forms) == 0 {
		return h
	}
	// Longest first, so that a secret containing another is replaced whole.
	sort.Slice(forms, func(i, j int) bool { return len(forms[i]) > len(forms[j]) })
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, redactedText)
	}
	return &redactor{h: h, forms: forms, r: strings.NewReplacer(pairs...)}
}

type redactor struct {
	h     slog.Handler
	forms []string
	r     *strings.Replacer
}

func (x *redactor) Enabled(ctx context.Context, l slog.Level) bool { return x.h.Enabled(ctx, l) }

func (x *redactor) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, x.r.Replace(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(x.attr(a))
		return true
	})
	return x.h.Handle(ctx, out)
}

func (x *redactor) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = x.attr(a)
	}
	return &redactor{h: x.h.WithAttrs(clean), forms: x.forms, r: x.r}
}

func (x *redactor) WithGroup(name string) slog.Handler {
	return &redactor{h: x.h.WithGroup(x.r.Replace(name)), forms: x.forms, r: x.r}
}

func (x *redactor) contains(s string) bool {
	for _, f := range x.forms {
		if strings.Contains(s, f) {
			return true
		}
	}
	return false
}

// attr returns a with secrets removed from its key and value.
func (x *redactor) attr(a slog.Attr) slog.Attr {
	a.Key = x.r.Replace(a.Key)
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		a.Value = slog.StringValue(x.r.Replace(v.String()))
	case slog.KindGroup:
		g := v.Group()
		clean := make([]slog.Attr, len(g))
		for i, ga := range g {
			clean[i] = x.attr(ga)
		}
		a.Value = slog.GroupValue(clean...)
	case slog.KindAny:
		// Errors, Stringers and anything else: if its printed form holds a secret, log the
		// cleaned printed form instead (a JSON handler would otherwise marshal the original).
		// fmt calls Error and String for us, and survives their panics.
		s := fmt.Sprintf("%+v", v.Any())
		if x.contains(s) {
			a.Value = slog.StringValue(x.r.Replace(s))
		} else {
			a.Value = v
		}
	default:
		a.Value = v
	}
	return a
}
