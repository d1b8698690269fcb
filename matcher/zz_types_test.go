package matcher

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
)

func TestZZTypes(t *testing.T) {
	m := defaultMatcher(t)
	stats := map[string][4]int{}
	for _, set := range fitSets {
		for _, c := range readFitSet(t, filepath.Join("testdata", set)) {
			if c.kind == "N" {
				continue
			}
			q := prepare(c.query)
			s := m.pool.Get().(*scratch)
			m.analyse(s, q)
			top := m.score(s, 4)
			asked := s.asked
			miss := len(top) > 0 && top[0].typeMissing
			m.pool.Put(s)
			if asked == typeNone {
				continue
			}
			right := len(top) > 0 && slices.Contains(c.expected, int(top[0].doc)+1)
			k := fmt.Sprintf("type%d", asked)
			v := stats[k]
			i := 0
			if right {
				i = 2
			}
			if miss {
				i++
			}
			v[i]++
			stats[k] = v
			if !right && !miss {
				t.Logf("type%d wrong, not missing: %s %q", asked, c.kind, c.query)
			}
		}
	}
	t.Logf("[wrong&present wrong&missing right&present right&missing] %v", stats)
}
