package console

import (
	"strings"
	"unicode/utf8"

	"github.com/chzyer/readline"
)

// TerminalWidth returns the width in columns of the terminal on standard output, or 0 when
// standard output is not a terminal.
func TerminalWidth() int {
	if w := readline.GetScreenWidth(); w > 0 {
		return w
	}
	return 0
}

// Wrap breaks the lines of text at spaces so that none is wider than width columns, counting
// ANSI escape sequences as zero wide. A continuation line keeps its line's indentation (and
// lines a choice's label up under its text, after "[N] "). Words wider than width stay whole.
// width <= 0 returns text unchanged.
func Wrap(text string, width int) string {
	if width <= 0 {
		return text
	}
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		if visibleLen(line) > width {
			lines[i] = wrapLine(line, width)
		}
	}
	return strings.Join(lines, "\n")
}

func wrapLine(line string, width int) string {
	body := strings.TrimLeft(line, " ")
	indent := line[:len(line)-len(body)]
	hang := indent
	if strings.HasPrefix(body, "[") {
		if end := strings.Index(body, "] "); end > 0 && end < 6 {
			hang = indent + strings.Repeat(" ", end+2)
		}
	}
	if len(hang) > width/2 {
		hang = ""
	}
	var b strings.Builder
	b.WriteString(indent)
	col := len(indent)
	start := true
	for _, w := range strings.Split(body, " ") {
		wl := visibleLen(w)
		if !start && col+1+wl > width {
			b.WriteString("\n")
			b.WriteString(hang)
			col = len(hang)
			start = true
		}
		if !start {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += wl
		start = false
	}
	return b.String()
}

// visibleLen counts the runes of s that take a column: ANSI CSI sequences ("\x1b[...m")
// take none.
func visibleLen(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j + 1
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	return n
}
