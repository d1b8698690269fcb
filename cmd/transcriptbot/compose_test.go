package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// The structs below model the subset of the compose specification that docker-compose.yml
// uses. Decoding with KnownFields rejects any key outside it (a typo such as "restrat" or
// "healtcheck"), which docker compose would also reject or, worse, silently ignore.

type composeFile struct {
	Name     string                    `yaml:"name"`
	Services map[string]composeService `yaml:"services"`
	Secrets  map[string]composeSecret  `yaml:"secrets"`
}

type composeService struct {
	Build           composeBuild       `yaml:"build"`
	Image           string             `yaml:"image"`
	Restart         string             `yaml:"restart"`
	EnvFile         []composeEnvFile   `yaml:"env_file"`
	Environment     map[string]string  `yaml:"environment"`
	Secrets         []string           `yaml:"secrets"`
	Ports           []string           `yaml:"ports"`
	Healthcheck     composeHealthcheck `yaml:"healthcheck"`
	StopGracePeriod string             `yaml:"stop_grace_period"`
	ReadOnly        bool               `yaml:"read_only"`
	Volumes         []string           `yaml:"volumes"`
}

type composeBuild struct {
	Context    string `yaml:"context"`
	Dockerfile string `yaml:"dockerfile"`
}

type composeEnvFile struct {
	Path     string `yaml:"path"`
	Required *bool  `yaml:"required"`
}

type composeHealthcheck struct {
	Test        []string `yaml:"test"`
	Interval    string   `yaml:"interval"`
	Timeout     string   `yaml:"timeout"`
	Retries     int      `yaml:"retries"`
	StartPeriod string   `yaml:"start_period"`
}

type composeSecret struct {
	File string `yaml:"file"`
}

const repoRoot = "../.."

func readRepoFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func loadCompose(t *testing.T) composeFile {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(readRepoFile(t, "docker-compose.yml")))
	dec.KnownFields(true)
	var c composeFile
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	return c
}

func TestComposeFile(t *testing.T) {
	c := loadCompose(t)
	known := settingEnvNames()
	if len(c.Services) != 1 {
		t.Fatalf("services: got %d, want 1 (the bot)", len(c.Services))
	}
	svc, ok := c.Services["bot"]
	if !ok {
		t.Fatalf("services: no service named bot")
	}

	// Built from the Dockerfile at the root.
	if got, want := svc.Build.Context, "."; got != want {
		t.Errorf("build.context: got %q, want %q", got, want)
	}
	if _, err := os.Stat(filepath.Join(repoRoot, svc.Build.Context, svc.Build.Dockerfile)); err != nil {
		t.Errorf("build.dockerfile %q: %v", svc.Build.Dockerfile, err)
	}
	if !slices.Contains([]string{"no", "always", "on-failure", "unless-stopped"}, svc.Restart) {
		t.Errorf("restart: got %q, want a compose restart policy", svc.Restart)
	}
	if got, want := svc.Restart, "unless-stopped"; got != want {
		t.Errorf("restart: got %q, want %q", got, want)
	}

	// The env file is optional, so that `docker compose up` works without one.
	if len(svc.EnvFile) != 1 || svc.EnvFile[0].Path != ".env" || svc.EnvFile[0].Required == nil || *svc.EnvFile[0].Required {
		t.Errorf("env_file: got %+v, want one entry with path .env and required: false", svc.EnvFile)
	}

	// Every variable set is one serve reads; *_FILE variables point at declared secrets.
	for name, value := range svc.Environment {
		if !slices.Contains(known, name) {
			t.Errorf("environment: %s is not a setting serve reads", name)
		}
		if strings.HasSuffix(name, "_FILE") {
			secret, ok := strings.CutPrefix(value, "/run/secrets/")
			if !ok || !slices.Contains(svc.Secrets, secret) {
				t.Errorf("environment: %s=%q, want /run/secrets/NAME of a secret the service uses", name, value)
			}
		}
	}
	for _, name := range []string{"TELEGRAM_TOKEN_FILE", "DISCORD_TOKEN_FILE"} {
		if _, ok := svc.Environment[name]; !ok {
			t.Errorf("environment: %s missing: the tokens come from secrets", name)
		}
	}
	for _, s := range svc.Secrets {
		def, ok := c.Secrets[s]
		if !ok {
			t.Errorf("secrets: the service uses %q, which is not declared at the top level", s)
			continue
		}
		if def.File == "" || filepath.IsAbs(def.File) {
			t.Errorf("secrets.%s.file: got %q, want a path relative to the project", s, def.File)
		}
	}
	for name := range c.Secrets {
		if !slices.Contains(svc.Secrets, name) {
			t.Errorf("secrets: %q is declared but no service uses it", name)
		}
	}

	// The HTTP port: the image's HTTP_ADDR (which compose leaves alone, so that it and the
	// published port cannot drift apart), exposed and published.
	if _, ok := svc.Environment["HTTP_ADDR"]; ok {
		t.Errorf("environment: HTTP_ADDR set in compose; the image's default and the published port must agree")
	}
	dockerfile := readRepoFile(t, "Dockerfile")
	m := regexp.MustCompile(`(?m)^ENV HTTP_ADDR=(\S+)$`).FindSubmatch(dockerfile)
	if m == nil {
		t.Fatalf("Dockerfile: no ENV HTTP_ADDR=")
	}
	addr := string(m[1])
	if err := checkAddr(addr); err != nil {
		t.Fatalf("Dockerfile HTTP_ADDR=%q: %v", addr, err)
	}
	_, port, _ := strings.Cut(addr, ":")
	if want := port + ":" + port; !slices.Contains(svc.Ports, want) {
		t.Errorf("ports: got %q, want %q", svc.Ports, want)
	}
	if !regexp.MustCompile(`(?m)^EXPOSE ` + port + `$`).Match(dockerfile) {
		t.Errorf("Dockerfile: no EXPOSE %s", port)
	}
	if got := settingDefault(t, "HTTP_ADDR"); got != addr {
		t.Errorf("Dockerfile HTTP_ADDR=%q, want serve's default %q", addr, got)
	}

	// The health check runs the healthcheck subcommand, which exists.
	if got, want := svc.Healthcheck.Test, []string{"CMD", "transcriptbot", "healthcheck"}; !slices.Equal(got, want) {
		t.Errorf("healthcheck.test: got %q, want %q", got, want)
	}
	if _, ok := commands["healthcheck"]; !ok {
		t.Errorf("healthcheck: no such subcommand registered")
	}
	for _, d := range []struct{ name, v string }{
		{"interval", svc.Healthcheck.Interval}, {"timeout", svc.Healthcheck.Timeout},
		{"start_period", svc.Healthcheck.StartPeriod}, {"stop_grace_period", svc.StopGracePeriod},
	} {
		if _, err := time.ParseDuration(d.v); err != nil {
			t.Errorf("%s: %q is not a duration: %v", d.name, d.v, err)
		}
	}
	if svc.Healthcheck.Retries < 1 {
		t.Errorf("healthcheck.retries: got %d, want at least 1", svc.Healthcheck.Retries)
	}

	// Docker's SIGKILL must not come before serve's own shutdown deadline.
	grace, _ := time.ParseDuration(svc.StopGracePeriod)
	shutdown, _ := time.ParseDuration(settingDefault(t, "SHUTDOWN_TIMEOUT"))
	if grace <= shutdown {
		t.Errorf("stop_grace_period %v must exceed the SHUTDOWN_TIMEOUT default %v", grace, shutdown)
	}

	// The commented example of a custom transcript mounted read-only.
	raw := string(readRepoFile(t, "docker-compose.yml"))
	if !regexp.MustCompile(`(?m)^\s*#\s*TRANSCRIPT_FILE: /data/`).MatchString(raw) ||
		!regexp.MustCompile(`(?m)^\s*#\s*- \./\S+:/data:ro$`).MatchString(raw) {
		t.Errorf("docker-compose.yml: want a commented example mounting a transcript folder read-only at /data")
	}
}

func settingDefault(t *testing.T, name string) string {
	t.Helper()
	for _, s := range settings {
		if s.env == name {
			return s.def
		}
	}
	t.Fatalf("no setting %s", name)
	return ""
}

// TestEnvExample checks that .env.example lists every variable serve reads, and nothing else.
func TestEnvExample(t *testing.T) {
	known := settingEnvNames()
	line := regexp.MustCompile(`^#?\s*([A-Z][A-Z0-9_]*)=`)
	listed := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(readRepoFile(t, ".env.example")))
	for n := 1; sc.Scan(); n++ {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		if !slices.Contains(known, m[1]) {
			t.Errorf(".env.example:%d: %s is not a setting serve reads", n, m[1])
		}
		listed[m[1]] = true
	}
	for _, name := range known {
		if !listed[name] {
			t.Errorf(".env.example: %s is missing", name)
		}
	}
}

// TestDockerfile checks the image recipe: multi-stage, static, non-root, health-checked.
func TestDockerfile(t *testing.T) {
	df := string(readRepoFile(t, "Dockerfile"))
	var from []string
	var user, entrypoint, cmd, health string
	for l := range strings.SplitSeq(strings.ReplaceAll(df, "\\\n", " "), "\n") {
		f := strings.Fields(l)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), f[0]))
		switch strings.ToUpper(f[0]) {
		case "FROM":
			from = append(from, rest)
		case "USER":
			user = rest
		case "ENTRYPOINT":
			entrypoint = rest
		case "CMD":
			cmd = rest
		case "HEALTHCHECK":
			health = rest
		}
	}
	tests := []struct {
		name string
		ok   bool
		got  string
	}{
		{"two stages, the first named", len(from) == 2 && strings.Contains(from[0], " AS "), strings.Join(from, " | ")},
		{"builder is golang:1.26", len(from) > 0 && strings.HasPrefix(from[0], "golang:1.26"), strings.Join(from, " | ")},
		{"final stage distroless static or scratch", len(from) == 2 && (strings.Contains(from[1], "distroless/static") || from[1] == "scratch"), strings.Join(from, " | ")},
		{"static build", strings.Contains(df, "CGO_ENABLED=0") && strings.Contains(df, "-trimpath") && strings.Contains(df, `-ldflags "-s -w"`), ""},
		{"non-root user", user != "" && user != "root" && !strings.HasPrefix(user, "0"), user},
		{"healthcheck subcommand", strings.HasSuffix(health, `CMD ["transcriptbot", "healthcheck"]`), health},
		{"entrypoint", entrypoint == `["transcriptbot"]`, entrypoint},
		{"default command serve", cmd == `["serve"]`, cmd},
	}
	for _, tc := range tests {
		if !tc.ok {
			t.Errorf("Dockerfile: want %s; got %q", tc.name, tc.got)
		}
	}
	if _, ok := commands["serve"]; !ok {
		t.Errorf("serve: no such subcommand registered")
	}
	ignore := string(readRepoFile(t, ".dockerignore"))
	for _, want := range []string{".env", "secrets/"} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(want) + `$`).MatchString(ignore) {
			t.Errorf(".dockerignore: %q missing: secrets must stay out of the build context", want)
		}
	}
}
