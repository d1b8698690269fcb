package main

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// Reading and checking one configuration value: strings, secrets (inline or from a file),
// durations, integers, booleans, rates, addresses and URLs, each failing with the variable's
// name and the value's problem.

// configReader resolves and checks settings, collecting every problem.
type configReader struct {
	flags  map[string]string
	getenv func(string) string
	errs   []error
}

func (r *configReader) fail(format string, a ...any) {
	r.errs = append(r.errs, fmt.Errorf(format, a...))
}

// lookup returns a setting's text: the flag's when given, else the environment's, else the
// default. ok is false when none of them gives a value.
func (r *configReader) lookup(name string) (v string, ok bool) {
	if v, ok := r.flags[name]; ok {
		return v, true
	}
	if v := r.getenv(name); v != "" {
		return v, true
	}
	for _, s := range settings {
		if s.env == name && s.def != "" {
			return s.def, true
		}
	}
	return "", false
}

func (r *configReader) str(name string) string {
	v, _ := r.lookup(name)
	return strings.TrimSpace(v)
}

// secret resolves a secret from NAME (flag or environment) or NAME_FILE (flag or
// environment), in that order of precedence. A file that is empty (or only white space)
// counts as unset, so that a compose file can declare the secrets of both platforms while
// the operator fills in one. Both forms giving a value in the environment is an error.
func (r *configReader) secret(name string) string {
	fileName := name + "_FILE"
	if v, ok := r.flags[name]; ok {
		return strings.TrimSpace(v)
	}
	path, fromFlag := r.flags[fileName]
	if !fromFlag {
		path = r.getenv(fileName)
	}
	direct := strings.TrimSpace(r.getenv(name))
	if path == "" {
		return direct
	}
	b, err := os.ReadFile(path)
	if err != nil {
		r.fail("%s: cannot read the secret file: %v", fileName, unwrapPathError(err))
		return ""
	}
	v := strings.TrimSpace(string(b))
	if v != "" && direct != "" && !fromFlag {
		r.fail("%s and %s are both set: set only one", name, fileName)
		return ""
	}
	if v == "" {
		return direct
	}
	return v
}

// unwrapPathError drops the *fs.PathError's repetition of the path, which the caller names.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}

func (r *configReader) duration(name string, min time.Duration) time.Duration {
	v := r.str(name)
	if v == "" {
		return 0
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		if n, nerr := strconv.Atoi(v); nerr == nil && n == 0 {
			return 0
		}
		r.fail("%s=%q is not a duration (like 30s, 5m or 1h)", name, v)
		return 0
	}
	if d < min {
		r.fail("%s=%q must be at least %v", name, v, min)
	}
	return d
}

func (r *configReader) integer(name string, min, max int) int {
	v := r.str(name)
	n, err := strconv.Atoi(v)
	if err != nil {
		r.fail("%s=%q is not a whole number", name, v)
		return 0
	}
	if n < min || n > max {
		r.fail("%s=%d is out of range (want %d to %d)", name, n, min, max)
	}
	return n
}

func (r *configReader) boolean(name string) bool {
	v := r.str(name)
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail("%s=%q is not true or false", name, v)
	}
	return b
}

// rate parses "N/DURATION" (N events per DURATION) or "N" (per second).
func (r *configReader) rate(name string) rate.Limit {
	v := r.str(name)
	num, per, hasPer := strings.Cut(v, "/")
	n, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || !(n > 0) || math.IsInf(n, 0) {
		r.fail("%s=%q: want N/DURATION with N > 0, like 20/1m", name, v)
		return 0
	}
	d := time.Second
	if hasPer {
		per = strings.TrimSpace(per)
		if per != "" && (per[0] < '0' || per[0] > '9') {
			per = "1" + per // "20/m" means 20/1m
		}
		d, err = time.ParseDuration(per)
		if err != nil || d <= 0 {
			r.fail("%s=%q: %q is not a positive duration (like 1m)", name, v, per)
			return 0
		}
	}
	lim := n / d.Seconds()
	if math.IsInf(lim, 0) || !(lim > 0) {
		r.fail("%s=%q: the rate is out of range", name, v)
		return 0
	}
	return rate.Limit(lim)
}

// checkAddr checks a listen address: host:port with a numeric port (the host may be empty).
func checkAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if strings.ContainsAny(host, " /") {
		return fmt.Errorf("bad host %q", host)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	return nil
}

func checkHTTPURL(raw string, httpsOnly bool) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	if u.Host == "" || (u.Scheme != "https" && (httpsOnly || u.Scheme != "http")) {
		if httpsOnly {
			return errors.New("want an absolute https:// URL")
		}
		return errors.New("want an absolute http:// or https:// URL")
	}
	return nil
}

// checkRedisURL checks the form of a Redis URL without connecting. Its errors never contain
// the URL's password: they show the URL with the password masked, or nothing of it.
func checkRedisURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		if strings.Contains(raw, "@") {
			return errors.New("not a valid URL (details withheld: it holds a password)")
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("not a valid URL: %v", err)
	}
	shown := u.Redacted()
	switch u.Scheme {
	case "redis", "rediss":
		if u.Host == "" {
			return fmt.Errorf("%s has no host (want redis://[user:password@]host:port/db)", shown)
		}
		if port := u.Port(); port != "" {
			if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
				return fmt.Errorf("%s: port %q is not a number from 1 to 65535", shown, port)
			}
		}
		if db := strings.Trim(u.Path, "/"); db != "" {
			if n, err := strconv.Atoi(db); err != nil || n < 0 {
				return fmt.Errorf("%s: database %q is not a number", shown, db)
			}
		}
	case "unix":
		if u.Path == "" {
			return fmt.Errorf("%s has no socket path (want unix:///path/to/redis.sock)", shown)
		}
	default:
		return fmt.Errorf("%s: want a redis://, rediss:// or unix:// URL", shown)
	}
	return nil
}

// checkAppendable checks that a log file can be created or appended to at path, without
// creating it: its folder exists and it is not a folder itself.
func checkAppendable(path string) error {
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return errors.New("is a folder, want a file")
		}
		return nil
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	if err != nil {
		return unwrapPathError(err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a folder", dir)
	}
	return nil
}
