package smtp

import (
	"errors"
	"fmt"

	"github.com/wneessen/go-mail"

	"github.com/visite-health/visite/core/errs"
)

// ErrTemporary marks every failure that is not a permanent refusal: a 4xx
// reply, the relay unreachable, a failed login, a 5xx at a step that does
// not concern the recipient. Retrying later may work.
var ErrTemporary = errors.New("smtp: temporary delivery failure")

func errRefused() error { return errs.E(errs.Invalid, "mail.recipient_refused") }

// fromSendError turns go-mail's error into Visite's. go-mail's SendError
// text lists the recipients, so it is never wrapped as is: only the step
// and the reply code survive.
func fromSendError(err error) error {
	var se *mail.SendError
	if !errors.As(err, &se) {
		// Connecting, greeting, TLS or login failed: no message data involved.
		return fmt.Errorf("smtp: connect: %w: %w", err, ErrTemporary)
	}
	if permanent(se) {
		return fmt.Errorf("smtp: %s, reply %d: %w", se.Reason, se.ErrorCode(), errRefused())
	}
	return fmt.Errorf("smtp: %s, reply %d: %w", se.Reason, se.ErrorCode(), ErrTemporary)
}

// permanent reports whether retrying cannot help this message: the relay
// refused the recipient or the content with a 5xx reply, or the address
// could not be used at all. A 5xx to MAIL FROM points at Visite's own
// configuration (sender not allowed) and is left to the retries, so that
// fixing the configuration lets queued mail through.
func permanent(se *mail.SendError) bool {
	if se.IsTemp() {
		return false
	}
	switch se.Reason {
	case mail.ErrGetRcpts:
		return true
	case mail.ErrSMTPRcptTo, mail.ErrSMTPData, mail.ErrSMTPDataClose:
		return se.ErrorCode() >= 500 && se.ErrorCode() < 600
	}
	return false
}
