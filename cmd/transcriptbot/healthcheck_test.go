package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthURL(t *testing.T) {
	tests := []struct {
		addr    string
		want    string
		wantErr string
	}{
		{":8080", "http://127.0.0.1:8080/healthz", ""},
		{"0.0.0.0:9000", "http://127.0.0.1:9000/healthz", ""},
		{"[::]:9000", "http://127.0.0.1:9000/healthz", ""},
		{"127.0.0.1:81", "http://127.0.0.1:81/healthz", ""},
		{"[::1]:81", "http://[::1]:81/healthz", ""},
		{"10.1.2.3:8080", "http://10.1.2.3:8080/healthz", ""},
		{"bot.internal:8080", "http://bot.internal:8080/healthz", ""},
		{"8080", "", "missing port"},
		{":http", "", "not a number"},
	}
	for _, tc := range tests {
		t.Run(tc.addr, func(t *testing.T) {
			got, err := healthURL(tc.addr)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %q (%v), want %q", got, err, tc.want)
			}
		})
	}
}

// healthServer serves /healthz with status on a loopback port and returns its port.
func healthServer(t *testing.T, status int) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" || r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	return port
}

func TestHealthcheckCommand(t *testing.T) {
	healthy := healthServer(t, http.StatusOK)
	sick := healthServer(t, http.StatusServiceUnavailable)
	// A port nothing listens on: take one and free it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, closed, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close()

	tests := []struct {
		name       string
		env        map[string]string
		args       []string
		code       int
		wantStdout string
		wantStderr string
	}{
		{"healthy from HTTP_ADDR", map[string]string{"HTTP_ADDR": ":" + healthy}, nil, exitOK, "ok", ""},
		{"healthy from flag", map[string]string{"HTTP_ADDR": ":1"}, []string{"--http-addr", "127.0.0.1:" + healthy}, exitOK, "ok", ""},
		{"unhealthy", map[string]string{"HTTP_ADDR": "0.0.0.0:" + sick}, nil, exitError, "", "503 Service Unavailable"},
		{"nothing listening", map[string]string{"HTTP_ADDR": ":" + closed}, nil, exitError, "", "connection refused"},
		{"bad address", map[string]string{"HTTP_ADDR": "8080"}, nil, exitUsage, "", `HTTP_ADDR="8080"`},
		{"bad timeout", nil, []string{"--timeout", "0s"}, exitUsage, "", "--timeout must be positive"},
		{"stray argument", nil, []string{"now"}, exitUsage, "", `unexpected argument "now"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut strings.Builder
			env := &cliEnv{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: envOf(tc.env)}
			code := env.main(t.Context(), append([]string{"healthcheck"}, tc.args...))
			if code != tc.code {
				t.Errorf("exit code: got %d, want %d; stderr %q", code, tc.code, errOut.String())
			}
			if !strings.Contains(out.String(), tc.wantStdout) {
				t.Errorf("stdout: got %q, want %q", out.String(), tc.wantStdout)
			}
			if !strings.Contains(errOut.String(), tc.wantStderr) {
				t.Errorf("stderr: got %q, want %q", errOut.String(), tc.wantStderr)
			}
		})
	}
}

// TestHealthcheckAgainstServe: the subcommand the image's HEALTHCHECK runs passes against a
// running serve.
func TestHealthcheckAgainstServe(t *testing.T) {
	s := newDiscordSigner(t)
	r := startServe(t, discordEnv(s, nil), nil)
	var out, errOut strings.Builder
	env := &cliEnv{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: envOf(nil)}
	if code := env.main(t.Context(), []string{"healthcheck", "--http-addr", strings.TrimPrefix(r.base, "http://")}); code != exitOK {
		t.Errorf("exit code: got %d, want 0; stderr %q", code, errOut.String())
	}
}
