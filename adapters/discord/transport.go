package discord

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// transport is the RoundTripper behind every REST call: it aims requests built for Discord's API
// at the configured base (a rate-limit proxy or a test server) without touching discordgo's
// package-level Endpoint values, and it retries 429 (honouring Retry-After) and 5xx responses a
// bounded number of times. discordgo's own unbounded 429 retry is switched off.
type transport struct {
	next     http.RoundTripper
	from     string   // discordgo's API prefix, e.g. https://discord.com/api/v10/
	to       *url.URL // replacement base; nil keeps requests as they are
	retries  int      // extra attempts after the first
	backoff  time.Duration
	maxWait  time.Duration // longest Retry-After honoured
	onGiveUp func(code int)
}

func (t *transport) rewrite(u *url.URL) *url.URL {
	if t.to == nil {
		return u
	}
	s := u.String()
	if !strings.HasPrefix(s, t.from) {
		return u
	}
	rest := strings.TrimPrefix(s, t.from)
	nu, err := url.Parse(strings.TrimSuffix(t.to.String(), "/") + "/" + rest)
	if err != nil {
		return u
	}
	return nu
}

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.URL = t.rewrite(req.URL)
	req.Host = ""
	for attempt := 0; ; attempt++ {
		if attempt > 0 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			req.Body = body
		}
		resp, err := t.next.RoundTrip(req)
		if err != nil {
			if attempt < t.retries && req.Context().Err() == nil && (req.GetBody != nil || req.Body == nil || req.Body == http.NoBody) {
				if werr := t.wait(req.Context(), t.backoffFor(attempt)); werr != nil {
					return nil, err
				}
				continue
			}
			if t.onGiveUp != nil {
				t.onGiveUp(0)
			}
			return nil, err
		}
		retryable := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
		if !retryable {
			if resp.StatusCode >= 400 && t.onGiveUp != nil {
				t.onGiveUp(resp.StatusCode)
			}
			return resp, nil
		}
		canResend := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
		if attempt >= t.retries || !canResend {
			if t.onGiveUp != nil {
				t.onGiveUp(resp.StatusCode)
			}
			return resp, nil
		}
		d := t.backoffFor(attempt)
		if resp.StatusCode == http.StatusTooManyRequests {
			ra, ok := retryAfter(resp)
			if ok {
				d = ra
			}
			if d > t.maxWait {
				// Waiting that long would outlive the interaction; give the 429 back.
				if t.onGiveUp != nil {
					t.onGiveUp(resp.StatusCode)
				}
				return resp, nil
			}
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		if err := t.wait(req.Context(), d); err != nil {
			return nil, err
		}
	}
}

func (t *transport) backoffFor(attempt int) time.Duration {
	d := t.backoff << attempt
	if d <= 0 || d > t.maxWait {
		d = t.maxWait
	}
	return d
}

func (t *transport) wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-tm.C:
		return nil
	}
}

// retryAfter reads how long Discord asks to wait from the Retry-After header (seconds, possibly
// fractional).
func retryAfter(resp *http.Response) (time.Duration, bool) {
	if h := resp.Header.Get("Retry-After"); h != "" {
		if f, err := strconv.ParseFloat(h, 64); err == nil && f >= 0 && !math.IsInf(f, 0) {
			return time.Duration(f * float64(time.Second)), true
		}
	}
	return 0, false
}

// newTransport builds the REST transport for cfg.
func newTransport(cfg *Config) (*transport, error) {
	t := &transport{
		next:     pooledTransport(),
		from:     discordgo.EndpointAPI,
		retries:  cfg.MaxRetries,
		backoff:  cfg.RetryBackoff,
		maxWait:  cfg.MaxRetryWait,
		onGiveUp: cfg.OnSendFailure,
	}
	if cfg.HTTPClient != nil && cfg.HTTPClient.Transport != nil {
		t.next = cfg.HTTPClient.Transport
	}
	if cfg.APIBase != "" {
		u, err := url.Parse(cfg.APIBase)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("%w: API base %q is not an http(s) URL", ErrConfig, cfg.APIBase)
		}
		t.to = u
	}
	return t, nil
}

// pooledTransport is http.DefaultTransport keeping more idle keep-alive connections per host
// (the default keeps 2), so concurrent follow-ups and REST calls reuse connections instead of
// opening one each, as the load test's profile showed.
func pooledTransport() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	return t
}
