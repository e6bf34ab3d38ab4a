// Package game holds the planning-poker domain: decks, rooms, players, rounds and the
// events a room emits. It knows nothing of HTTP or of any wire format.
package game

import (
	"errors"
	"fmt"
)

// ErrorCode classifies a domain error so that each front end can map it to its own
// status (an HTTP status, a WebSocket close code) in one place.
type ErrorCode string

const (
	ENotFound  ErrorCode = "not_found"  // no such room or deck
	ENotSeated ErrorCode = "not_seated" // the room has no such player
	EInvalid   ErrorCode = "invalid"    // the command or its input breaks a rule
	EForbidden ErrorCode = "forbidden"  // the player may not do this
	EConflict  ErrorCode = "conflict"   // the room cannot take this now (full)
	EExhausted ErrorCode = "exhausted"  // the server cannot take this now (too many rooms)
)

// Error is the one error type of the domain. Message is safe to show to a user.
type Error struct {
	Code    ErrorCode
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf builds a domain error with a user-safe message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// CodeOf returns the domain code of err, or "" when err is not a domain error.
func CodeOf(err error) ErrorCode {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
