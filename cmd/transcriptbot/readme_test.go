package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// updateREADME rewrites the README's checked parts from the program's output:
//
//	go test ./cmd/transcriptbot -run README -update-readme
var updateREADME = flag.Bool("update-readme", false, "rewrite the README's examples and settings table from the program's output")

// README examples
//
// Every fenced block marked ```console in the README is a transcript of commands and their
// output, checked by TestREADMEExamples:
//
//	$ transcriptbot list                    a command: transcriptbot or go run ./cmd/transcriptbot,
//	$ printf 'a\nb\n' | transcriptbot chat  optionally fed by printf, optionally after NAME=value
//	... output ...                          what it prints (stdout, then stderr), exactly, except:
//	a line ending in " ..."                 stands for a longer line starting with the rest
//	                                        (-update-readme cuts lines over 100 characters so,
//	                                        except JSON and FILE:LINE: errors)
//	a last line "..."                       stands for the rest of the output
//
// Commands run in the repository's root folder, in-process, with no other environment.

const readmeName = "README.md"

// readmeBlock is one console block: its commands and expected output.
type readmeBlock struct {
	start, end int // line indexes of the block's content in the README: [start, end)
	cmds       []readmeCmd
}

type readmeCmd struct {
	line string   // the command as written, after "$ "
	want []string // the expected output lines
}

// parseConsoleBlocks finds the ```console blocks of the README.
func parseConsoleBlocks(t *testing.T, lines []string) []readmeBlock {
	t.Helper()
	var blocks []readmeBlock
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "```console" {
			continue
		}
		b := readmeBlock{start: i + 1}
		j := i + 1
		for ; j < len(lines) && strings.TrimSpace(lines[j]) != "```"; j++ {
			if cmd, ok := strings.CutPrefix(lines[j], "$ "); ok {
				b.cmds = append(b.cmds, readmeCmd{line: cmd})
				continue
			}
			if len(b.cmds) == 0 {
				t.Fatalf("%s:%d: console block output before any $ command", readmeName, j+1)
			}
			c := &b.cmds[len(b.cmds)-1]
			c.want = append(c.want, lines[j])
		}
		if j == len(lines) {
			t.Fatalf("%s:%d: console block not closed", readmeName, i+1)
		}
		b.end = j
		blocks = append(blocks, b)
		i = j
	}
	return blocks
}

var envAssignRE = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*=`)

// runReadmeCmd runs a README command line in-process and returns its output lines.
func runReadmeCmd(t *testing.T, line string) []string {
	t.Helper()
	stdin := ""
	if head, tail, ok := strings.Cut(line, " | "); ok && strings.HasPrefix(head, "printf ") {
		words := shellSplit(t, head)
		if len(words) != 2 {
			t.Fatalf("README command %q: want printf 'TEXT' | ...", line)
		}
		stdin = strings.NewReplacer(`\n`, "\n", `\t`, "\t").Replace(words[1])
		line = tail
	}
	words := shellSplit(t, line)
	env := map[string]string{}
	for len(words) > 0 && envAssignRE.MatchString(words[0]) {
		k, v, _ := strings.Cut(words[0], "=")
		env[k] = v
		words = words[1:]
	}
	prog := ""
	switch {
	case len(words) > 0 && words[0] == "transcriptbot":
		prog, words = "transcriptbot", words[1:]
	case len(words) > 2 && words[0] == "go" && words[1] == "run" && words[2] == "./cmd/transcriptbot":
		prog, words = "go run ./cmd/transcriptbot", words[3:]
	default:
		t.Fatalf("README command %q: want transcriptbot or go run ./cmd/transcriptbot", line)
	}
	var out, errOut strings.Builder
	e := &cliEnv{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: envOf(env), Prog: prog}
	e.main(context.Background(), words)
	text := strings.TrimSuffix(out.String()+errOut.String(), "\n")
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n")
}

// matchOutput reports whether got fits want, with the elisions described above.
func matchOutput(want, got []string) bool {
	rest := len(want) > 0 && want[len(want)-1] == "..."
	if rest {
		want = want[:len(want)-1]
		if len(got) <= len(want) {
			return false
		}
		got = got[:len(want)]
	}
	if len(got) != len(want) {
		return false
	}
	for i := range want {
		if prefix, ok := strings.CutSuffix(want[i], " ..."); ok {
			if !strings.HasPrefix(got[i], prefix) || len(got[i]) <= len(prefix) {
				return false
			}
			continue
		}
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// keepWhole matches the lines -update-readme never cuts: JSON, and errors (FILE:LINE: reason).
var keepWhole = regexp.MustCompile(`^(\{|\S+:\d+: )`)

// maxExampleLine is where -update-readme cuts a long output line (in runes, before " ...").
const maxExampleLine = 100

// regenerate writes got in the README's form, keeping as many lines as want shows (all when
// want does not end in "..."), each long line cut at a word with " ...".
func regenerate(want, got []string) []string {
	keep := len(got)
	if len(want) > 0 && want[len(want)-1] == "..." && len(want)-1 < len(got) {
		keep = len(want) - 1
	}
	var out []string
	for _, l := range got[:keep] {
		if utf8.RuneCountInString(l) > maxExampleLine && !keepWhole.MatchString(l) {
			r := []rune(l)[:maxExampleLine]
			cut := strings.LastIndex(string(r), " ")
			if cut <= 0 {
				cut = len(string(r))
			}
			l = strings.TrimRight(string(r)[:cut], " ") + " ..."
		}
		out = append(out, l)
	}
	if keep < len(got) {
		out = append(out, "...")
	}
	return out
}

// TestREADMEExamples runs every command of the README's console blocks and checks that it
// prints what the README shows, so that the examples cannot go stale.
func TestREADMEExamples(t *testing.T) {
	data := readRepoFile(t, readmeName)
	lines := strings.Split(string(data), "\n")
	blocks := parseConsoleBlocks(t, lines)
	if len(blocks) < 5 {
		t.Fatalf("found %d console blocks in the README, want the examples (at least 5)", len(blocks))
	}
	t.Chdir(repoRoot)
	changed := false
	for bi := len(blocks) - 1; bi >= 0; bi-- { // from the end, so that rewriting keeps indexes
		b := blocks[bi]
		var rewritten []string
		for _, c := range b.cmds {
			got := runReadmeCmd(t, c.line)
			if !matchOutput(c.want, got) {
				if !*updateREADME {
					t.Errorf("%s:%d: $ %s\nREADME shows:\n%s\nthe program prints:\n%s\n(go test ./cmd/transcriptbot -run README -update-readme rewrites it)",
						readmeName, b.start+1, c.line, strings.Join(c.want, "\n"), strings.Join(got, "\n"))
				}
				changed = true
				rewritten = append(rewritten, "$ "+c.line)
				rewritten = append(rewritten, regenerate(c.want, got)...)
				continue
			}
			rewritten = append(rewritten, "$ "+c.line)
			rewritten = append(rewritten, c.want...)
		}
		lines = append(lines[:b.start], append(rewritten, lines[b.end:]...)...)
	}
	if *updateREADME && changed {
		if err := os.WriteFile(readmeName, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote the examples in %s", readmeName)
	}
}

// settingsTable renders the README's table of settings from settings and otherVariables.
func settingsTable() []string {
	out := []string{
		"| Variable | Flag | Default | Commands | Meaning |",
		"|---|---|---|---|---|",
	}
	code := func(s string) string { return "`" + s + "`" }
	for _, s := range append(append([]setting(nil), settings...), otherVariables...) {
		vars, flags := code(s.env), ""
		if s.flag != "" {
			flags = code("--" + s.flag)
		}
		if s.secret {
			vars += "<br>" + code(s.env+"_FILE")
			flags += "<br>" + code("--"+s.flag+"-file")
		}
		def := ""
		if s.def != "" {
			def = code(s.def)
		}
		cmds := s.cmds
		if cmds == "" {
			cmds = "serve"
		}
		out = append(out, "| "+vars+" | "+flags+" | "+def+" | "+cmds+" | "+s.help+" |")
	}
	return out
}

// TestREADMESettingsTable checks the README's table of settings against the settings the
// program reads.
func TestREADMESettingsTable(t *testing.T) {
	data := readRepoFile(t, readmeName)
	lines := strings.Split(string(data), "\n")
	start := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "| Variable | Flag |") {
			start = i
			break
		}
	}
	if start < 0 {
		t.Fatalf("%s: no table of settings (a line starting \"| Variable | Flag |\")", readmeName)
	}
	end := start
	for end < len(lines) && strings.HasPrefix(lines[end], "|") {
		end++
	}
	want := settingsTable()
	got := lines[start:end]
	if strings.Join(got, "\n") == strings.Join(want, "\n") {
		return
	}
	if *updateREADME {
		lines = append(lines[:start], append(want, lines[end:]...)...)
		if err := os.WriteFile(filepath.Join(repoRoot, readmeName), []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote the table of settings in %s", readmeName)
		return
	}
	t.Errorf("%s:%d: the table of settings differs from the program's; want:\n%s\n(go test ./cmd/transcriptbot -run README -update-readme rewrites it)",
		readmeName, start+1, strings.Join(want, "\n"))
}
