// Package ids makes and checks the random identifiers (UUIDv4) of Visite's
// entities. Each domain wraps them in its own ID type.
package ids

import "github.com/google/uuid"

// New returns a fresh random identifier in canonical form.
func New() string { return uuid.NewString() }

// Valid reports whether s is a canonical UUID; adapters use it to turn a
// malformed id from a URL into "not found" without asking the database.
func Valid(s string) bool {
	u, err := uuid.Parse(s)
	return err == nil && u.String() == s
}
