package telegramtest_test

import (
	"strings"
	"testing"

	"transcriptbot/adapters/telegram/telegramtest"
)

func TestCheckHTML(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"plain", "hello", true},
		{"tags and entities", "<b>1.</b> a &lt;b&gt; &amp; c <i>(1/2)</i>", true},
		{"unknown tag", "<script>x</script>", false},
		{"unclosed", "<b>x", false},
		{"crossed", "<b><i>x</b></i>", false},
		{"bare ampersand", "a & b", false},
		{"bare greater", "a > b", false},
		{"unknown entity", "&nbsp;", false},
		{"blank", " <b> </b> ", false},
		{"4096 units", strings.Repeat("😀", 2048), true},
		{"4097 units", strings.Repeat("😀", 2048) + "a", false},
		{"invalid UTF-8", "a\xffb", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := telegramtest.CheckHTML(tc.in)
			if (err == nil) != tc.ok {
				t.Errorf("CheckHTML(%.40q) error %v, want ok=%v", tc.in, err, tc.ok)
			}
		})
	}
}
