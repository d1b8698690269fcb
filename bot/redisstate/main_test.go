package redisstate

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
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
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			fmt.Fprintln(os.Stderr, "redisstate tests: no redis-server on PATH and CI=true; install it (.ci/install-redis)")
			return 1
		}
		skipReason = "no redis-server on PATH: install Redis (for example .ci/install-redis) to run the Redis tests"
		return m.Run()
	}
	stop, url, _, err := startRedis(bin)
	if err != nil {
		fmt.Fprintf(os.Stderr, "redisstate tests: %v\n", err)
		return 1
	}
	serverURL = url
	code := m.Run()
	stop()
	return code
}

// startRedis runs bin on a free 127.0.0.1 port without persistence and waits until it answers.
func startRedis(bin string) (stop func(), url string, proc *os.Process, err error) {
	dir, err := os.MkdirTemp("", "redisstate-test-")
	if err != nil {
		return nil, "", nil, err
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ { // the free port may be taken in between
		port, err := freePort()
		if err != nil {
			os.RemoveAll(dir)
			return nil, "", nil, err
		}
		var out syncBuffer
		cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
			"--save", "", "--appendonly", "no", "--dir", dir)
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			os.RemoveAll(dir)
			return nil, "", nil, fmt.Errorf("start %s: %w", bin, err)
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		url = fmt.Sprintf("redis://127.0.0.1:%d/0", port)
		if err := waitReady(url, exited); err != nil {
			_ = cmd.Process.Kill()
			<-exited
			lastErr = fmt.Errorf("%s on port %d: %w; its output:\n%s", bin, port, err, out.String())
			continue
		}
		stop = func() {
			_ = cmd.Process.Signal(syscall.SIGCONT) // in case a test left it frozen
			_ = cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-exited:
			case <-time.After(5 * time.Second):
				_ = cmd.Process.Kill()
				<-exited
			}
			os.RemoveAll(dir)
		}
		return stop, url, cmd.Process, nil
	}
	os.RemoveAll(dir)
	return nil, "", nil, lastErr
}

// waitReady pings url until it answers, the process exits or 10 seconds pass.
func waitReady(url string, exited <-chan struct{}) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		c, err := Open(ctx, url)
		cancel()
		if err == nil {
			return c.Close()
		}
		select {
		case <-exited:
			return errors.New("exited before answering PING")
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer to PING in 10s: %w", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// freePort returns a TCP port free on 127.0.0.1 at the time of the call.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// syncBuffer collects a process's output safely.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// newClient opens a client to the test server, or skips the test when there is none. The
// client is closed when the test ends.
func newClient(t testing.TB) *Client {
	t.Helper()
	if serverURL == "" {
		t.Skip(skipReason)
	}
	c, err := Open(context.Background(), serverURL)
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
