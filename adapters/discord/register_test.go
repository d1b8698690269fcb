package discord

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

func TestRegister(t *testing.T) {
	tests := []struct {
		name     string
		guild    string
		appID    string
		failApp  bool
		wantPath string
		wantGets []string
	}{
		{name: "global, app id from the API", wantPath: "/api/v10/applications/9001/commands",
			wantGets: []string{"GET /api/v10/oauth2/applications/@me"}},
		{name: "guild with a configured app id", guild: "7001", appID: "4242", wantPath: "/api/v10/applications/4242/guilds/7001/commands"},
		{name: "app id from the bot user when the application endpoint fails", failApp: true,
			wantPath: "/api/v10/applications/9001/commands",
			wantGets: []string{"GET /api/v10/oauth2/applications/@me", "GET /api/v10/users/@me"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newEnv(t, &fakeHandler{}, func(c *Config) { c.GuildID = tc.guild; c.AppID = tc.appID })
			if tc.failApp {
				env.api.FailNext("GET", "/api/v10/oauth2/", 403)
			}
			if err := env.a.Register(context.Background()); err != nil {
				t.Fatalf("Register: %v", err)
			}
			calls := env.api.Calls()
			if len(calls) < 2 {
				t.Fatalf("got calls %v, want lookups, the commands and the description", calls)
			}
			// Last: the description, set once the commands are.
			patch := calls[len(calls)-1]
			if patch.Method != "PATCH" || patch.Path != "/api/v10/applications/@me" {
				t.Fatalf("got %s last, want PATCH /api/v10/applications/@me", patch)
			}
			var app struct{ Description string }
			decodeInto(t, patch.Body, &app)
			for _, want := range []string{"/ask", "mention me", "Answer from transcript", "/help", "only when asked"} {
				if !strings.Contains(app.Description, want) {
					t.Errorf("description %q lacks %q", app.Description, want)
				}
			}
			calls = calls[:len(calls)-1]
			var gets []string
			for _, c := range calls[:len(calls)-1] {
				gets = append(gets, c.String())
			}
			if strings.Join(gets, "|") != strings.Join(tc.wantGets, "|") {
				t.Errorf("got lookups %q, want %q", gets, tc.wantGets)
			}
			put := calls[len(calls)-1]
			if put.Method != "PUT" || put.Path != tc.wantPath {
				t.Fatalf("got %s, want PUT %s", put, tc.wantPath)
			}
			var cmds []struct {
				Name        string `json:"name"`
				Type        int    `json:"type"`
				Description string `json:"description"`
				Options     []struct {
					Name         string   `json:"name"`
					Type         int      `json:"type"`
					Description  string   `json:"description"`
					Required     bool     `json:"required"`
					Autocomplete bool     `json:"autocomplete"`
					MinValue     *float64 `json:"min_value"`
					MaxValue     float64  `json:"max_value"`
				} `json:"options"`
			}
			decodeInto(t, put.Body, &cmds)
			nameRE := regexp.MustCompile(`^[-_'\p{L}\p{N}]{1,32}$`)
			got := map[string]int{}
			for _, c := range cmds {
				got[c.Name] = c.Type
				if c.Type == 1 && (!nameRE.MatchString(c.Name) || strings.ToLower(c.Name) != c.Name || c.Description == "" || u16(c.Description) > 100) {
					t.Errorf("bad slash command %q / %q", c.Name, c.Description)
				}
				if c.Type == 3 && c.Description != "" {
					t.Errorf("message command %q has a description", c.Name)
				}
				for _, o := range c.Options {
					if c.Name == "questions" && (o.Name != "page" || o.Type != 4 || o.Required) {
						t.Errorf("got questions option %+v, want an optional integer page", o)
					}
					if !nameRE.MatchString(o.Name) || o.Description == "" || u16(o.Description) > 100 {
						t.Errorf("bad option %q / %q", o.Name, o.Description)
					}
					if c.Name == "answer" && (o.Type != 4 || !o.Required || !o.Autocomplete || o.MinValue == nil || *o.MinValue != 1 || o.MaxValue != 10) {
						t.Errorf("got answer option %+v, want a required integer 1..10 with autocomplete", o)
					}
				}
			}
			want := map[string]int{"ask": 1, "answer": 1, "questions": 1, "help": 1, "Answer from transcript": 3}
			if len(got) != len(want) {
				t.Errorf("got commands %v, want %v", got, want)
			}
			for n, typ := range want {
				if got[n] != typ {
					t.Errorf("command %q: got type %d, want %d", n, got[n], typ)
				}
			}
		})
	}
}

func TestRegisterErrors(t *testing.T) {
	env := newEnv(t, &fakeHandler{}, nil)
	env.api.FailNext("GET", "/api/v10/oauth2/", 401)
	env.api.FailNext("GET", "/api/v10/users/", 401)
	err := env.a.Register(context.Background())
	if err == nil || !strings.Contains(err.Error(), "application id") {
		t.Errorf("got %v, want an error about the application id", err)
	}
	if err != nil && strings.Contains(err.Error(), "SECRET") {
		t.Errorf("error leaks the token: %v", err)
	}
	env2 := newEnv(t, &fakeHandler{}, func(c *Config) { c.Token = ""; c.PublicKey = strings.Repeat("ab", 32) })
	if err := env2.a.Register(context.Background()); err == nil {
		t.Error("Register without a token succeeded")
	}
}

func TestSetQuestionsChangesRegistration(t *testing.T) {
	env := newEnv(t, &fakeHandler{}, func(c *Config) { c.AppID = testAppID })
	env.a.SetQuestions(14)
	if err := env.a.Register(context.Background()); err != nil {
		t.Fatal(err)
	}
	calls := env.api.Calls()
	if len(calls) != 2 || !strings.Contains(string(calls[0].Body), `"max_value":14`) ||
		!strings.Contains(string(calls[1].Body), "from its 14 numbered questions") {
		t.Errorf("got %v, want /answer registered with max_value 14 and a description of 14 questions", calls)
	}
}

func TestDescription(t *testing.T) {
	for _, title := range []string{"", "Press conference", strings.Repeat("A very long title ", 40)} {
		env := newEnv(t, &fakeHandler{}, func(c *Config) { c.Source = title; c.Questions = 10 })
		d := env.a.Description()
		if n := len([]rune(d)); n > 400 {
			t.Errorf("title %.20q: description of %d characters, over Discord's 400", title, n)
		}
		if !strings.Contains(d, "10 numbered questions") || !strings.HasSuffix(d, "I post only when asked.") {
			t.Errorf("title %.20q: description %q", title, d)
		}
	}
}

func TestRegisterDescriptionFailure(t *testing.T) {
	env := newEnv(t, &fakeHandler{}, func(c *Config) { c.AppID = testAppID })
	env.api.FailNext("PATCH", "/api/v10/applications/@me", 403)
	err := env.a.Register(context.Background())
	if err == nil || !strings.Contains(err.Error(), "commands registered, but setting the application description failed") {
		t.Errorf("got %v, want an error saying the commands are registered but the description is not", err)
	}
	if err != nil && strings.Contains(err.Error(), "SECRET") {
		t.Errorf("error leaks the token: %v", err)
	}
}
