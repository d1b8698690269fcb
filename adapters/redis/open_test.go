package redis

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

func TestOpenErrors(t *testing.T) {
	// A port nothing listens on: take one and close it.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()

	const secret = "s3cr3t-Pa55"
	tests := []struct {
		name string
		url  string
		want string // in the error
	}{
		{"empty", "  ", "empty Redis URL"},
		{"wrong scheme", "http://" + closed, "invalid URL scheme"},
		{"bad database", "redis://:" + secret + "@" + closed + "/x", "invalid database number"},
		{"malformed with a password", "redis://u:" + secret + "%zz@" + closed, "details withheld"},
		{"malformed without a password", "redis://127.0.0.1:%zz", "not a valid URL"},
		{"nothing listening", "redis://:" + secret + "@" + closed + "/0?dial_timeout=1s", "connect to redis://:xxxxx@" + closed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Short: the client retries a refused dial until the context ends.
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			c, err := Open(ctx, tc.url)
			if err == nil {
				c.Close()
				t.Fatalf("Open(%q): got no error", tc.url)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %q, want it to contain %q", err, tc.want)
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(fmt.Sprintf("%+v", err), secret) {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}

// TestOpenWrongPassword: a user whose password is not the one sent; the error must not show
// the password sent.
func TestOpenWrongPassword(t *testing.T) {
	admin := newClient(t)
	ctx := context.Background()
	user := "tester" + strings.ReplaceAll(testPrefix(t), ":", "-")
	if err := admin.rdb.Do(ctx, "ACL", "SETUSER", user, "on", ">the-right-one", "~*", "+@all").Err(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.rdb.Do(ctx, "ACL", "DELUSER", user) })
	const secret = "an0ther-s3cret"
	url := strings.Replace(serverURL, "redis://", "redis://"+user+":"+secret+"@", 1)
	c, err := Open(ctx, url)
	if err == nil {
		c.Close()
		t.Fatal("Open with a wrong password: got no error")
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("error %q shows the password", err)
	}
	for _, want := range []string{user + ":xxxxx@", "WRONGPASS"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("got %q, want it to contain %q", err, want)
		}
	}
	// The right password works.
	c, err = Open(ctx, strings.Replace(url, secret, "the-right-one", 1))
	if err != nil {
		t.Fatalf("Open with the right password: %v", err)
	}
	c.Close()
}

func TestOpenPing(t *testing.T) {
	c := newClient(t)
	if err := c.Ping(context.Background()); err != nil {
		t.Errorf("Ping: %v", err)
	}
	if got := c.String(); got != serverURL {
		t.Errorf("String: got %q, want %q", got, serverURL)
	}
}
