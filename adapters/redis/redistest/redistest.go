// Package redistest starts a private redis-server for tests: on a free 127.0.0.1 port, without
// persistence, in a temporary directory, stopped when the test (or the caller) is done. The
// Redis adapter's tests and cmd/transcriptbot's replica tests both use it.
//
// Without a redis-server on PATH, New skips the test, unless the environment has CI=true: the
// CI script installs Redis, so there a missing server is a failure.
//
// The package is test support: the serving binary never imports it.
package redistest

import (
	"bufio"
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

// ErrNotInstalled means there is no redis-server on PATH.
var ErrNotInstalled = errors.New("no redis-server on PATH: install Redis (for example .ci/install-redis) to run the Redis tests")

// Server is a running redis-server.
type Server struct {
	// URL is the redis:// URL of database 0.
	URL string
	// Process is the server process, for tests that freeze it (SIGSTOP) to play a hung server;
	// Close resumes it first.
	Process *os.Process

	dir    string
	exited chan struct{}
	once   sync.Once
}

// New starts a server for t and stops it when t ends. Without a redis-server it skips t, or
// fails it when CI=true.
func New(t testing.TB) *Server {
	t.Helper()
	s, err := Start()
	if errors.Is(err, ErrNotInstalled) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// Start starts a server; the caller stops it with Close. It returns ErrNotInstalled without a
// redis-server on PATH.
func Start() (*Server, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, ErrNotInstalled
	}
	dir, err := os.MkdirTemp("", "redistest-")
	if err != nil {
		return nil, err
	}
	var lastErr error
	for range 3 { // the free port may be taken in between
		port, err := freePort()
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		var out syncBuffer
		cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
			"--save", "", "--appendonly", "no", "--dir", dir)
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("start %s: %w", bin, err)
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		if err := waitReady(addr, exited); err != nil {
			_ = cmd.Process.Kill()
			<-exited
			lastErr = fmt.Errorf("%s on port %d: %w; its output:\n%s", bin, port, err, out.String())
			continue
		}
		return &Server{URL: "redis://" + addr + "/0", Process: cmd.Process, dir: dir, exited: exited}, nil
	}
	os.RemoveAll(dir)
	return nil, lastErr
}

// Close stops the server (resuming it first, in case a test left it frozen) and removes its
// directory. It may be called more than once.
func (s *Server) Close() {
	s.once.Do(func() {
		_ = s.Process.Signal(syscall.SIGCONT)
		_ = s.Process.Signal(syscall.SIGTERM)
		t := time.NewTimer(5 * time.Second)
		defer t.Stop()
		select {
		case <-s.exited:
		case <-t.C:
			_ = s.Process.Kill()
			<-s.exited
		}
		os.RemoveAll(s.dir)
	})
}

// waitReady sends PING to addr until it answers PONG, the process exits or 10 seconds pass.
func waitReady(addr string, exited <-chan struct{}) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := ping(addr)
		if err == nil {
			return nil
		}
		select {
		case <-exited:
			return errors.New("exited before answering PING")
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer to PING in 10s: %w", err)
		}
	}
}

// ping speaks the Redis protocol's PING on a fresh connection.
func ping(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "+PONG" {
		return fmt.Errorf("PING answered %q", strings.TrimSpace(line))
	}
	return nil
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
