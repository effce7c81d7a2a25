package sales

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/ids"
)

// NoteID identifies a note.
type NoteID string

// MaxNoteLength bounds a note, in characters: notes are short.
const MaxNoteLength = 1000

// Author is the sales user who wrote a note: the account, and its address
// at the time as the name shown (kept if the account goes).
type Author struct {
	Account identity.AccountID
	Name    string
}

// Note is one short, dated remark on a lead. Notes are never edited.
type Note struct {
	ID        NoteID
	Author    Author
	Text      string
	CreatedAt time.Time
}

// NewNote checks text and returns a new note.
//
// Errors: Invalid for the field "note" ("lead.note_required",
// "lead.note_length").
func NewNote(author Author, text string, now time.Time) (Note, error) {
	text = strings.TrimSpace(text)
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		return Note{}, errs.Field("note", "lead.note_required")
	case n > MaxNoteLength:
		return Note{}, errs.Field("note", "lead.note_length")
	}
	return Note{ID: NoteID(ids.New()), Author: author, Text: text, CreatedAt: now.UTC()}, nil
}

func invalidState() error { return errs.Field("state", "lead.state_invalid") }
