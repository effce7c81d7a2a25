package app

import (
	"context"
	"fmt"
	"time"

	"github.com/visite-health/visite/core/access"
	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/errs"
)

// BillingNotice is what a practice's staff are told about its subscription
// on every page: nothing (the zero value), the owner's banner while a
// payment is past due, or the notice that the practice may only read.
type BillingNotice struct {
	// GraceUntil is set for the owner while a payment is past due: full use
	// until then, suspended from then on.
	GraceUntil time.Time
	// ReadOnly is set while the subscription allows reading only; for every
	// member of the staff.
	ReadOnly billing.Reason
	// Owner says the actor manages the subscription (the billing page is
	// theirs); the others are sent to the owner.
	Owner bool
}

// Shown reports whether there is anything to show.
func (n BillingNotice) Shown() bool { return !n.GraceUntil.IsZero() || n.ReadOnly != "" }

// BillingNotice reads what the actor is to be told about the practice's
// subscription (billing.Account's access rules). Patients, guests, platform
// accounts and practices without a billing account get the zero value:
// patients never see billing states.
//
// Errors: Internal when the store fails.
func (a *App) BillingNotice(ctx context.Context, me Me) (BillingNotice, error) {
	pid := me.Actor.Practice
	if pid == "" || me.Patient != "" || me.Guest != "" || a.Authz.Authorize(ctx, me.Actor, access.PracticeView) != nil {
		return BillingNotice{}, nil
	}
	var acc billing.Account
	err := a.UoW.DoInPractice(ctx, pid, func(ctx context.Context) error {
		var err error
		acc, err = a.Billing.Get(ctx, pid)
		return err
	})
	if errs.Is(err, errs.NotFound) {
		return BillingNotice{}, nil
	}
	if err != nil {
		return BillingNotice{}, fmt.Errorf("load billing account: %w", err)
	}
	n := BillingNotice{Owner: a.Authz.Authorize(ctx, me.Actor, access.PracticeUpdate) == nil}
	ac := acc.Access(a.now(), a.cfg.BillingGrace)
	switch {
	case !ac.Full:
		n.ReadOnly = ac.Reason
	case n.Owner:
		n.GraceUntil = ac.GraceUntil // zero unless past due
	}
	return n, nil
}
