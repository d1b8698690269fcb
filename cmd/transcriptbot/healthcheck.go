package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

func init() {
	register(&command{
		name:    "healthcheck",
		summary: "check that a running serve answers /healthz (for Docker's HEALTHCHECK)",
		usage:   "healthcheck [--http-addr ADDR] [--timeout D]",
		help: `Sends GET /healthz to the serve process on this machine, at the port of HTTP_ADDR
(the flag wins), and exits 0 when it answers 200 OK, 1 otherwise. The container image has
no curl: its HEALTHCHECK runs this.`,
		run: runHealthcheck,
	})
}

func runHealthcheck(ctx context.Context, env *cliEnv, args []string) int {
	fs := env.flagSet("healthcheck")
	addr := fs.String("http-addr", "", "address serve listens on (HTTP_ADDR; default :8080)")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	rest, code, ok := env.parse(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return env.usageError("healthcheck", "unexpected argument %q", rest[0])
	}
	if *timeout <= 0 {
		return env.usageError("healthcheck", "--timeout must be positive")
	}
	a := *addr
	if a == "" {
		a = env.Getenv("HTTP_ADDR")
	}
	if a == "" {
		a = ":8080"
	}
	url, err := healthURL(a)
	if err != nil {
		return env.usageError("healthcheck", "HTTP_ADDR=%q: %v", a, err)
	}
	if err := checkHealth(ctx, url, *timeout); err != nil {
		fmt.Fprintf(env.Stderr, "transcriptbot healthcheck: %v\n", err)
		return exitError
	}
	fmt.Fprintln(env.Stdout, "ok")
	return exitOK
}

// healthURL returns the /healthz URL of a server listening on addr, reached from this
// machine: a wildcard or empty host becomes 127.0.0.1.
func healthURL(addr string) (string, error) {
	if err := checkAddr(addr); err != nil {
		return "", err
	}
	host, port, _ := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}

// checkHealth gets url and returns an error unless the answer is 200 OK within timeout.
func checkHealth(ctx context.Context, url string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", url, resp.Status)
	}
	return nil
}
