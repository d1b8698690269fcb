package transcript

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Briefing is one transcript of a directory of transcripts (an archive): the file it came
// from, its id and its date.
type Briefing struct {
	// ID is the file name without its extension ("2020-06-12-sco.txt" -> "2020-06-12-sco").
	ID string
	// Path is the file the transcript was read from ("" for one not read from a file).
	Path string
	// Date is the transcript's own date (its Date: line or sidecar), else a leading
	// YYYY-MM-DD in the file name; the zero time when neither gives one.
	Date time.Time
	// Transcript is the parsed transcript with its sidecar.
	*Transcript
}

// ErrNoTranscripts is returned by LoadDir for a directory without a single transcript file.
var ErrNoTranscripts = errors.New("no transcript files (*.txt) in the directory")

// ErrDuplicateID is reported by LoadDir for a second file with the same id ("a.txt", "a.TXT").
var ErrDuplicateID = errors.New("same id")

// IsTranscriptFile reports whether a directory entry named name is a transcript of an
// archive: a name ending in ".txt" (any case) that is not hidden (".name") and not an
// editor's or a copy's temporary file ("#name#", "name~"). Sidecars end in ".ini".
func IsTranscriptFile(name string) bool {
	if name == "" || name[0] == '.' || name[0] == '#' || strings.HasSuffix(name, "~") {
		return false
	}
	ext := filepath.Ext(name)
	return strings.EqualFold(ext, ".txt") && len(name) > len(ext)
}

// BriefingID returns the id of the transcript file at path: its name without the extension.
func BriefingID(path string) string {
	name := filepath.Base(path)
	return strings.TrimSuffix(name, filepath.Ext(name))
}

// dateOfName returns the date a file name starts with ("2020-06-12-press.txt"), or the
// zero time.
func dateOfName(id string) time.Time {
	if len(id) < len(DateLayout) {
		return time.Time{}
	}
	if len(id) > len(DateLayout) && isDigit(id[len(DateLayout)]) {
		return time.Time{}
	}
	d, err := time.Parse(DateLayout, id[:len(DateLayout)])
	if err != nil {
		return time.Time{}
	}
	return d
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// LoadBriefing reads one transcript file of an archive (see Load) and gives it its id and
// date. Errors name the file as Load's do.
func LoadBriefing(path string) (*Briefing, error) {
	t, err := Load(path)
	if err != nil {
		return nil, err
	}
	return NewBriefing(BriefingID(path), path, t), nil
}

// NewBriefing returns the briefing of t with the given id: dated by t's own date, else by a
// leading YYYY-MM-DD in id.
func NewBriefing(id, path string, t *Transcript) *Briefing {
	b := &Briefing{ID: id, Path: path, Date: t.Date, Transcript: t}
	if b.Date.IsZero() {
		b.Date = dateOfName(id)
	}
	return b
}

// LoadDir reads every transcript file of dir (IsTranscriptFile), each with its sidecar, and
// returns them in the order of their ids. A file that does not load is left out and its
// error, naming the file and line ("DIR/a.txt:7: reason"), is in broken, so one broken file
// never keeps the others from serving. err is set only when dir itself cannot be read or
// holds no transcript file at all (ErrNoTranscripts).
func LoadDir(dir string) (briefings []*Briefing, broken []error, err error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("read transcript directory: %w", err)
	}
	seen := 0
	ids := map[string]string{}
	for _, e := range ents {
		if !IsTranscriptFile(e.Name()) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if e.IsDir() {
			continue
		}
		seen++
		if other, dup := ids[BriefingID(path)]; dup {
			broken = append(broken, fmt.Errorf("%s: %w as %s", path, ErrDuplicateID, other))
			continue
		}
		ids[BriefingID(path)] = path
		b, err := LoadBriefing(path)
		if err != nil {
			broken = append(broken, err)
			continue
		}
		briefings = append(briefings, b)
	}
	if seen == 0 {
		return nil, nil, fmt.Errorf("%s: %w", dir, ErrNoTranscripts)
	}
	sort.Slice(briefings, func(i, j int) bool { return briefings[i].ID < briefings[j].ID })
	return briefings, broken, nil
}
