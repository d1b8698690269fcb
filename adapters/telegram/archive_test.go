package telegram

import (
	"strings"
	"testing"
)

// TestArchiveMenu: an archive's bot publishes /use, and a bare /use in a group reaches it.
func TestArchiveMenu(t *testing.T) {
	for _, archive := range []bool{false, true} {
		e := newEnv(t)
		e.cfg.Archive = archive
		a := e.adapter(t)
		e.fake.Push(message(msg(1, groupChat(-100), 43, "/use 2020-06-12")))
		stop := run(t, a)
		waitFor(t, "the menu and the reply", func() bool {
			return len(e.fake.Calls("setMyCommands")) == 1 && len(e.fake.SentTexts()) == 1
		})
		if err := stop(); err != nil {
			t.Fatal(err)
		}
		menu := e.fake.Calls("setMyCommands")[0].Params["commands"]
		if got := strings.Contains(menu, `"use"`); got != archive {
			t.Errorf("Archive=%v: menu %s offers /use: %v", archive, menu, got)
		}
		reqs := e.h.requests()
		if len(reqs) != 1 || reqs[0].Command != "use" || reqs[0].Text != "2020-06-12" {
			t.Errorf("Archive=%v: got requests %+v, want /use 2020-06-12", archive, reqs)
		}
	}
}
