package app

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/staff"
)

// Login is a started session: Secret goes into the cookie and is never stored.
type Login struct {
	Secret    string
	AccountID identity.AccountID
	ExpiresAt time.Time
}

// dummyHash is verified against when an address has no account, so a failed
// login takes as long whether or not the address is known. It is made once;
// the mutex guards it against concurrent logins.
var dummyHash struct {
	sync.Mutex
	hash string
}

// Login checks email and password and starts a session. Every failure
// answers the same Unauthenticated "auth.wrong_credentials".
//
// Errors: Unauthenticated; Invalid for a malformed address; RateLimited per
// client address and per account, with the time to wait.
func (a *App) Login(ctx context.Context, email, password, clientIP string) (Login, error) {
	addr, err := identity.ParseEmail(email)
	if err != nil {
		return Login{}, err
	}
	if err := a.limit(ctx, "login:ip:"+clientIP, a.cfg.Limits.LoginPerIP); err != nil {
		return Login{}, err
	}
	accountKey := "login:account:" + string(addr)
	if err := a.limit(ctx, accountKey, a.cfg.Limits.LoginPerAccount); err != nil {
		return Login{}, err
	}
	acc, err := a.Accounts.GetByEmail(ctx, addr)
	if errs.Is(err, errs.NotFound) {
		a.burnHash(password)
		return Login{}, wrongCredentials()
	}
	if err != nil {
		return Login{}, fmt.Errorf("look up account: %w", err)
	}
	ok, err := a.Hasher.Verify(password, acc.PasswordHash())
	if err != nil {
		return Login{}, fmt.Errorf("verify password: %w", err)
	}
	if !ok || !acc.Active() {
		return Login{}, wrongCredentials()
	}
	if err := a.mayLogIn(ctx, acc); err != nil {
		return Login{}, err
	}
	_ = a.Limiter.Reset(ctx, accountKey) // a failed reset only means a stricter limit
	return a.startSession(ctx, acc)
}

// burnHash spends the time of one password verification.
func (a *App) burnHash(password string) {
	dummyHash.Lock()
	if dummyHash.hash == "" {
		dummyHash.hash, _ = a.Hasher.Hash(identity.RandomSecret())
	}
	hash := dummyHash.hash
	dummyHash.Unlock()
	_, _ = a.Hasher.Verify(password, hash)
}

// mayLogIn checks that a staff account has an active membership; invited and
// deactivated members cannot log in.
func (a *App) mayLogIn(ctx context.Context, acc identity.Account) error {
	if acc.Kind() != identity.KindStaff {
		return nil
	}
	m, err := a.Staff.GetByAccount(ctx, acc.ID())
	if errs.Is(err, errs.NotFound) {
		return wrongCredentials()
	}
	if err != nil {
		return fmt.Errorf("load membership: %w", err)
	}
	if m.State() != staff.StateActive {
		return wrongCredentials()
	}
	return nil
}

// startSession stores a new session for acc (inside or outside a transaction).
func (a *App) startSession(ctx context.Context, acc identity.Account) (Login, error) {
	secret, s := identity.NewSession(acc.ID(), a.now())
	if err := a.Sessions.Create(ctx, s); err != nil {
		return Login{}, fmt.Errorf("create session: %w", err)
	}
	return Login{Secret: secret, AccountID: acc.ID(), ExpiresAt: s.ExpiresAt(a.cfg.Sessions)}, nil
}

// Logout ends the session with that secret. Ending a session that does not
// exist is not an error.
func (a *App) Logout(ctx context.Context, secret string) error {
	if secret == "" {
		return nil
	}
	return a.Sessions.Delete(ctx, identity.HashSecret(secret))
}
