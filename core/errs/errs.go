// Package errs holds Visite's one error type: a machine-readable code, a
// message key that the edge translates into the user's language, and optional
// per-field problems. Nothing in an Error is ever personal data, so it is safe
// to show to users and to log.
package errs

import (
	"errors"
	"time"
)

// Code classifies an error; adapters map codes to transport statuses (one
// table in the HTTP adapter).
type Code string

// The codes Visite uses.
const (
	Invalid         Code = "invalid"
	NotFound        Code = "not_found"
	Conflict        Code = "conflict"
	Unauthenticated Code = "unauthenticated"
	Forbidden       Code = "forbidden"
	Gone            Code = "gone"
	RateLimited     Code = "rate_limited"
	Internal        Code = "internal"
)

// FieldError names one input field and the message key describing its problem.
type FieldError struct {
	Field string
	Key   string
}

// Error is a domain or application error that is safe to show.
type Error struct {
	Code Code
	// Key is the message key ("auth.wrong_credentials"); the catalogue in the
	// i18n adapter holds its German and English texts.
	Key string
	// Fields lists per-field problems of an Invalid error, in form order.
	Fields []FieldError
	// RetryAfter tells a rate-limited caller when to try again.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return string(e.Code) + ": " + e.Key + " (" + e.Fields[0].Field + ": " + e.Fields[0].Key + ")"
	}
	return string(e.Code) + ": " + e.Key
}

// E returns an Error with the given code and message key.
func E(code Code, key string) *Error { return &Error{Code: code, Key: key} }

// Field returns an Invalid error for one field.
func Field(field, key string) *Error {
	return &Error{Code: Invalid, Key: "invalid_input", Fields: []FieldError{{Field: field, Key: key}}}
}

// RateLimit returns a RateLimited error that tells when to retry.
func RateLimit(retryAfter time.Duration) *Error {
	return &Error{Code: RateLimited, Key: "rate_limited", RetryAfter: retryAfter}
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// CodeOf returns err's code: Internal for errors that are not *Error, "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	if e, ok := As(err); ok {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries the given code.
func Is(err error, code Code) bool { return CodeOf(err) == code }

// Validation collects field problems so that a form reports all of them at once.
// The zero value is ready to use.
type Validation struct{ fields []FieldError }

// Add records a problem with field.
func (v *Validation) Add(field, key string) { v.fields = append(v.fields, FieldError{field, key}) }

// Check records the field problem carried by err, if err is an Invalid *Error;
// any other non-nil error is recorded under field with the key "invalid".
func (v *Validation) Check(field string, err error) {
	if err == nil {
		return
	}
	if e, ok := As(err); ok && e.Code == Invalid && len(e.Fields) > 0 {
		for _, f := range e.Fields {
			v.fields = append(v.fields, FieldError{Field: field, Key: f.Key})
		}
		return
	}
	v.Add(field, "invalid")
}

// Err returns nil when nothing was recorded, else an Invalid error with all fields.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Key: "invalid_input", Fields: v.fields}
}
