package redis

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"transcriptbot/adapters/redis/redistest"
)

// serverURL is the redis:// URL of the server TestMain started ("" when none could be).
var serverURL string

// skipReason says why the Redis tests skip, when serverURL is "".
var skipReason string

// TestMain starts a private redis-server on a free loopback port for the package's tests and
// stops it after them. Without a redis-server binary the tests skip, unless CI=true, where a
// missing server is a failure (the CI script installs one).
func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	SetLogger(nil) // the tests provoke failed dials on purpose
	srv, err := redistest.Start()
	if errors.Is(err, redistest.ErrNotInstalled) && os.Getenv("CI") != "true" {
		skipReason = err.Error()
		return m.Run()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "redis tests: %v\n", err)
		return 1
	}
	serverURL = srv.URL
	code := m.Run()
	srv.Close()
	return code
}

// newClient opens a client to the test server, or skips the test when there is none. The
// client is closed when the test ends. Its operations' timeout is generous: these tests check
// what the stores do, not how fast a loaded machine answers (the timeout and the breaker have
// tests of their own, on private servers).
func newClient(t testing.TB) *Client {
	t.Helper()
	if serverURL == "" {
		t.Skip(skipReason)
	}
	c, err := OpenWith(context.Background(), serverURL, Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// testPrefix returns a key prefix of the test's own, so tests never see each other's keys.
func testPrefix(t testing.TB) string {
	return "test:" + t.Name() + ":" + strconv.FormatInt(time.Now().UnixNano(), 36) + ":"
}
