package console

import "testing"

func TestWrap(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		width int
		want  string
	}{
		{"off", "one two three", 0, "one two three"},
		{"fits", "one two three", 13, "one two three"},
		{"breaks at spaces", "one two three four", 9, "one two\nthree\nfour"},
		{"paragraphs kept", "aaa bbb\n\nccc ddd", 5, "aaa\nbbb\n\nccc\nddd"},
		{"long word whole", "a verylongword b", 6, "a\nverylongword\nb"},
		{"indent kept", "    aa bb cc", 9, "    aa bb\n    cc"},
		{"choice hangs", "  [1] alpha beta gamma", 14, "  [1] alpha\n      beta\n      gamma"},
		{"ansi zero width", "\x1b[1mone\x1b[0m two three", 9, "\x1b[1mone\x1b[0m two\nthree"},
		{"runes not bytes", "ééé ééé ééé", 7, "ééé ééé\nééé"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Wrap(tc.text, tc.width); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
