package app

import (
	"context"
	"fmt"
	"strconv"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/notify"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/signup"
	"github.com/visite-health/visite/core/staff"
)

// Confirmed is the outcome of a confirmed sign-up: the new practice, the
// owner's fresh session, and where the owner goes next ("" = dashboard; the
// billing capability sends them to checkout).
type Confirmed struct {
	Practice practice.Practice
	Login    Login
	Next     string
}

// ConfirmSignup turns a pending sign-up into a practice in state trial with
// its owner, hands it to the Activation port, and logs the owner in — all in
// one transaction.
//
// Errors: NotFound for an unknown token; Gone when it was used or expired;
// Conflict "email.taken" when the address got an account meanwhile.
func (a *App) ConfirmSignup(ctx context.Context, token string) (Confirmed, error) {
	var out Confirmed
	var owner identity.Account
	err := a.UoW.Do(ctx, func(ctx context.Context) error {
		tok, err := a.useToken(ctx, token, identity.PurposeSignup)
		if err != nil {
			return err
		}
		s, err := a.Signups.Get(ctx, signup.ID(tok.Subject()))
		if err != nil {
			return fmt.Errorf("load sign-up: %w", err)
		}
		var p practice.Practice
		var next string
		p, owner, next, err = a.createPractice(ctx, s)
		if err != nil {
			return err
		}
		out.Next = next
		if err := a.Signups.Delete(ctx, s.ID); err != nil {
			return fmt.Errorf("delete sign-up: %w", err)
		}
		out.Practice = p
		out.Login, err = a.startSession(ctx, owner)
		return err
	})
	if err != nil {
		return Confirmed{}, err
	}
	return out, a.welcomeOwner(ctx, owner, out.Practice)
}

// welcomeOwner emails the owner of a new practice where to log in.
func (a *App) welcomeOwner(ctx context.Context, owner identity.Account, p practice.Practice) error {
	return a.Jobs.EnqueueEmail(ctx, notify.Email{To: owner.Email(), Lang: owner.Lang(), Template: notify.Welcome,
		Data: map[string]string{"practice": p.Name(), "login_link": a.link("/login")}})
}

// createPractice makes the practice of a checked sign-up with its owner
// (account, staff member, role) and hands it to the Activation port, inside
// the caller's unit of work. It returns the practice, the owner's account
// and where the owner goes next.
//
// Errors: Conflict "email.taken" when the address has an account.
func (a *App) createPractice(ctx context.Context, s signup.Signup) (practice.Practice, identity.Account, string, error) {
	slug, err := a.freeSlug(ctx, practice.Slugify(s.PracticeName))
	if err != nil {
		return practice.Practice{}, identity.Account{}, "", err
	}
	p, err := practice.New(slug, s.PracticeName, s.PracticeType, s.Address, s.Practitioners, a.now())
	if err != nil {
		return practice.Practice{}, identity.Account{}, "", err
	}
	if err := a.Practices.Create(ctx, p); err != nil {
		return practice.Practice{}, identity.Account{}, "", fmt.Errorf("create practice: %w", err)
	}
	owner, err := identity.NewAccount(identity.KindStaff, s.Email, s.PasswordHash, s.Lang, a.now())
	if err != nil {
		return practice.Practice{}, identity.Account{}, "", err
	}
	if err := a.Accounts.Create(ctx, owner); err != nil {
		return practice.Practice{}, identity.Account{}, "", err // Conflict "email.taken" passes through unchanged
	}
	if err := a.Staff.Add(ctx, staff.NewOwner(p.ID(), owner.ID(), s.Owner, a.now())); err != nil {
		return practice.Practice{}, identity.Account{}, "", fmt.Errorf("add owner: %w", err)
	}
	if err := a.Authz.Assign(ctx, owner.ID(), access.RoleOwner, access.PracticeDomain(p.ID())); err != nil {
		return practice.Practice{}, identity.Account{}, "", fmt.Errorf("assign owner role: %w", err)
	}
	before := p.State()
	next, err := a.Activation.Activate(ctx, &p)
	if err != nil {
		return practice.Practice{}, identity.Account{}, "", fmt.Errorf("activate practice: %w", err)
	}
	if p.State() != before {
		if err := a.Practices.Update(ctx, p); err != nil {
			return practice.Practice{}, identity.Account{}, "", fmt.Errorf("store practice state: %w", err)
		}
	}
	return p, owner, next, nil
}

// freeSlug returns base, or base-2, base-3 … whichever is not taken.
func (a *App) freeSlug(ctx context.Context, base practice.Slug) (practice.Slug, error) {
	for i := 1; i < 1000; i++ {
		candidate := base
		if i > 1 {
			candidate = base + practice.Slug("-"+strconv.Itoa(i))
		}
		_, err := a.Practices.GetBySlug(ctx, candidate)
		if errs.Is(err, errs.NotFound) {
			return candidate, nil
		}
		if err != nil {
			return "", fmt.Errorf("check slug: %w", err)
		}
	}
	return "", errs.E(errs.Conflict, "slug.taken")
}

// useToken loads a token by its plain text, locks it and marks it used.
func (a *App) useToken(ctx context.Context, plain string, p identity.Purpose) (identity.Token, error) {
	if plain == "" {
		return identity.Token{}, errs.E(errs.NotFound, "token.invalid")
	}
	tok, err := a.Tokens.GetForUpdate(ctx, identity.HashSecret(plain))
	if errs.Is(err, errs.NotFound) {
		return identity.Token{}, errs.E(errs.NotFound, "token.invalid")
	}
	if err != nil {
		return identity.Token{}, fmt.Errorf("load token: %w", err)
	}
	if err := tok.Use(p, a.now()); err != nil {
		return identity.Token{}, err
	}
	if err := a.Tokens.MarkUsed(ctx, tok); err != nil {
		return identity.Token{}, fmt.Errorf("mark token used: %w", err)
	}
	return tok, nil
}
