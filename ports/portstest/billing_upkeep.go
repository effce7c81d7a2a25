package portstest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/visite-health/visite/core/billing"
	"github.com/visite-health/visite/core/consultation"
	"github.com/visite-health/visite/core/errs"
	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/patient"
	"github.com/visite-health/visite/core/practice"
	"github.com/visite-health/visite/core/sales"
	"github.com/visite-health/visite/core/staff"
)

// PriceSync checks the provider price ids of ports.PriceBook: none at
// first, recorded once per version (again with the same id is fine,
// another id or another version's id is a Conflict), NotFound for a
// version not stored, Unsynced listing exactly the current versions
// without one, and a failed unit of work undoing a recording.
func PriceSync(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()
	plan := billing.Plan{Type: practice.TypeTherapy, Tier: "1", Interval: billing.Monthly}
	other := billing.Plan{Type: practice.TypeTherapy, Tier: "1", Interval: billing.Yearly}
	cur, second := currentPrice(t, r, plan), currentPrice(t, r, other)
	id := "price_" + unique()

	unsynced := func(t *testing.T) []string {
		t.Helper()
		prices, err := r.PriceBook.Unsynced(ctx)
		noErr(t, "unsynced", err)
		var keys []string
		for _, p := range prices {
			if !p.Current() {
				t.Errorf("unsynced lists the retired %s", p.LookupKey())
			}
			keys = append(keys, p.LookupKey())
		}
		return keys
	}

	t.Run("none at first", func(t *testing.T) {
		got, err := r.PriceBook.ProviderPriceID(ctx, cur)
		if err != nil || got != "" {
			t.Errorf("provider id %q %v, want none", got, err)
		}
		if keys := unsynced(t); !slices.Contains(keys, cur.LookupKey()) || !slices.Contains(keys, second.LookupKey()) {
			t.Errorf("unsynced %v lacks %s", keys, cur.LookupKey())
		}
	})

	t.Run("rolled back with the unit of work", func(t *testing.T) {
		boom := errors.New("boom")
		err := r.UnitOfWork.Do(ctx, func(ctx context.Context) error {
			noErr(t, "set", r.PriceBook.SetProviderPriceID(ctx, cur, id))
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("unit of work: %v", err)
		}
		if got, _ := r.PriceBook.ProviderPriceID(ctx, cur); got != "" {
			t.Errorf("rolled-back id %q is visible", got)
		}
	})

	t.Run("recorded once per version", func(t *testing.T) {
		noErr(t, "set", r.PriceBook.SetProviderPriceID(ctx, cur, id))
		noErr(t, "set the same again", r.PriceBook.SetProviderPriceID(ctx, cur, id))
		got, err := r.PriceBook.ProviderPriceID(ctx, cur)
		if err != nil || got != id {
			t.Errorf("provider id %q %v, want %q", got, err, id)
		}
		wantErr(t, "another id", r.PriceBook.SetProviderPriceID(ctx, cur, "price_"+unique()), errs.Conflict, "price.provider_id")
		wantErr(t, "another version's id", r.PriceBook.SetProviderPriceID(ctx, second, id), errs.Conflict, "price.provider_id")
		if got, _ := r.PriceBook.ProviderPriceID(ctx, cur); got != id {
			t.Errorf("after the conflicts: %q", got)
		}
		if got, _ := r.PriceBook.ProviderPriceID(ctx, second); got != "" {
			t.Errorf("the other version got %q", got)
		}
		keys := unsynced(t)
		if slices.Contains(keys, cur.LookupKey()) || !slices.Contains(keys, second.LookupKey()) {
			t.Errorf("unsynced %v: want %s gone and %s still there", keys, cur.LookupKey(), second.LookupKey())
		}
	})

	t.Run("a version not stored", func(t *testing.T) {
		ahead := billing.RehydratePrice(plan, cur.Net(), cur.Version()+5, cur.CreatedAt(), time.Time{})
		_, err := r.PriceBook.ProviderPriceID(ctx, ahead)
		wantErr(t, "get", err, errs.NotFound, "")
		wantErr(t, "set", r.PriceBook.SetProviderPriceID(ctx, ahead, "price_"+unique()), errs.NotFound, "")
	})

	t.Run("a new version is unsynced again", func(t *testing.T) {
		next, err := cur.Next(cur.Net()+100, cur.CreatedAt().Add(time.Minute))
		noErr(t, "next", err)
		noErr(t, "replace", r.PriceBook.Replace(ctx, next))
		if keys := unsynced(t); !slices.Contains(keys, next.LookupKey()) || slices.Contains(keys, cur.LookupKey()) {
			t.Errorf("unsynced %v after a new version", keys)
		}
		if got, _ := r.PriceBook.ProviderPriceID(ctx, cur); got != id {
			t.Errorf("the retired version lost its id: %q", got)
		}
	})
}

// BillingAccountList checks ports.BillingAccounts.List: every practice's
// account across practices, by practice id; inside DoInPractice only that
// practice's.
func BillingAccountList(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()
	p, q := newPractice(t, r), newPractice(t, r)
	newPractice(t, r) // without an account
	for _, pr := range []practice.Practice{p, q} {
		a := billing.NewAccount(pr.ID())
		a.Sync(billing.ProviderSubscription{Customer: "cus_" + unique(), Subscription: "sub_" + unique(),
			Status: billing.StatusActive, Seats: 2, PriceLookupKey: "visite_group_2to5_monthly_v1", PeriodEnd: t0}, t0)
		noErr(t, "save", r.BillingAccounts.Save(ctx, a))
	}
	all, err := r.BillingAccounts.List(ctx)
	noErr(t, "list", err)
	var pids []practice.ID
	for _, a := range all {
		pids = append(pids, a.Practice())
	}
	if !slices.IsSorted(pids) || !slices.Contains(pids, p.ID()) || !slices.Contains(pids, q.ID()) {
		t.Errorf("listed %v, want both practices, by id", pids)
	}
	noErr(t, "in a practice", r.UnitOfWork.DoInPractice(ctx, p.ID(), func(ctx context.Context) error {
		mine, err := r.BillingAccounts.List(ctx)
		if err != nil || len(mine) != 1 || mine[0].Practice() != p.ID() {
			t.Errorf("inside the practice: %d accounts %v, want its own", len(mine), err)
		}
		return err
	}))
}

// Tenant is one practice with a row in every tenant repository
// (SeedTenant).
type Tenant struct {
	Practice   practice.Practice
	Staff      []staff.Member
	Patient    patient.ID
	Accounts   []identity.AccountID // staff and patient accounts
	Sessions   []string             // hashes of account and guest sessions
	Tokens     []string             // hashes of the accounts' tokens
	Visit      consultation.ID
	Invitation consultation.InvitationID
}

// SeedTenant stores a practice with an owner and a practitioner, a
// patient, settings, a consultation with a guest invitation and its
// session, sessions and tokens of its accounts, and a cancelled billing
// account; adapter tests use it for what only their store can check.
func SeedTenant(ctx context.Context, t *testing.T, r Repos) Tenant {
	t.Helper()
	p := newPractice(t, r)
	d := Tenant{Practice: p}
	for _, role := range []staff.Role{staff.RoleOwner, staff.RolePractitioner} {
		m := newMember(t, r, p.ID(), role, "Dr. "+unique())
		d.Staff = append(d.Staff, m)
		d.Accounts = append(d.Accounts, m.AccountID())
	}
	pe := addPatient(ctx, t, r, p.ID(), patient.Username("pat"+unique()), "Paula Patientin", patientEmail("pat"))
	d.Patient = pe.Patient.ID()
	d.Accounts = append(d.Accounts, pe.Patient.AccountID())
	settings := practice.DefaultSettings()
	noErr(t, "settings", settings.Update(true, "Ich willige ein, dass die Praxis meine Daten verarbeitet."))
	noErr(t, "save settings", r.Settings.Save(ctx, p.ID(), settings))
	c := newConsultation(ctx, t, r, d.Staff[1], 30*time.Minute)
	g := withGuest(ctx, t, r, c)
	d.Visit, d.Invitation, d.Sessions = c.ID(), g.inv.ID(), []string{g.session}
	for _, acc := range d.Accounts {
		_, s := identity.NewSession(acc, t0)
		noErr(t, "session", r.Sessions.Create(ctx, s))
		_, tok := identity.NewToken(identity.PurposePasswordReset, string(acc), time.Hour, t0)
		noErr(t, "token", r.Tokens.Save(ctx, tok))
		d.Sessions, d.Tokens = append(d.Sessions, s.Hash()), append(d.Tokens, tok.Hash())
	}
	a := billing.NewAccount(p.ID())
	a.Sync(billing.ProviderSubscription{Customer: "cus_" + unique(), Subscription: "sub_" + unique(),
		Status: billing.StatusCanceled, Seats: 2, PriceLookupKey: "visite_group_2to5_monthly_v1", PeriodEnd: t0}, t0)
	noErr(t, "billing account", r.BillingAccounts.Save(ctx, a))
	return d
}

// remaining lists what of d the store still holds, by kind.
func remaining(ctx context.Context, t *testing.T, r Repos, d Tenant) []string {
	t.Helper()
	var left []string
	found := func(kind string, err error) {
		switch {
		case err == nil:
			left = append(left, kind)
		case !errs.Is(err, errs.NotFound):
			t.Fatalf("look for %s: %v", kind, err)
		}
	}
	pid := d.Practice.ID()
	found("practice", errOnly(r.Practices.Get(ctx, pid)))
	for _, m := range d.Staff {
		found("staff member", errOnly(r.Staff.GetByAccount(ctx, m.AccountID())))
	}
	for _, acc := range d.Accounts {
		found("account", errOnly(r.Accounts.Get(ctx, acc)))
	}
	found("patient", errOnly(r.Patients.Get(ctx, pid, d.Patient)))
	found("consultation", errOnly(r.Consultations.Get(ctx, pid, d.Visit)))
	found("invitation", errOnly(r.Invitations.Get(ctx, d.Invitation)))
	for _, s := range d.Sessions {
		found("session", errOnly(r.Sessions.Get(ctx, s)))
	}
	for _, h := range d.Tokens {
		noErr(t, "tokens", r.UnitOfWork.Do(ctx, func(ctx context.Context) error {
			found("token", errOnly(r.Tokens.GetForUpdate(ctx, h)))
			return nil
		}))
	}
	found("billing account", errOnly(r.BillingAccounts.Get(ctx, pid)))
	return left
}

func errOnly[T any](_ T, err error) error { return err }

// PracticeDeletion checks ports.Practices.Delete: the practice goes with
// every tenant row and its accounts' sessions and tokens, another practice
// keeps everything, a failed unit of work undoes it, another practice's
// unit of work cannot delete it, and a practice not stored is NotFound.
func PracticeDeletion(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()
	doomed, bystander := SeedTenant(ctx, t, r), SeedTenant(ctx, t, r)
	everything := len(remaining(ctx, t, r, doomed))
	// The practice, patient, consultation, invitation and billing account.
	if want := 5 + len(doomed.Staff) + len(doomed.Accounts) + len(doomed.Sessions) + len(doomed.Tokens); everything != want {
		t.Fatalf("the store holds %d of the practice's %d rows before the deletion", everything, want)
	}

	t.Run("rolled back with the unit of work", func(t *testing.T) {
		boom := errors.New("boom")
		err := r.UnitOfWork.DoInPractice(ctx, doomed.Practice.ID(), func(ctx context.Context) error {
			noErr(t, "delete", r.Practices.Delete(ctx, doomed.Practice.ID()))
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("unit of work: %v", err)
		}
		if left := remaining(ctx, t, r, doomed); len(left) != everything {
			t.Errorf("after a rollback %d of %d rows are left: %v", len(left), everything, left)
		}
	})

	t.Run("not from another practice", func(t *testing.T) {
		err := r.UnitOfWork.DoInPractice(ctx, bystander.Practice.ID(), func(ctx context.Context) error {
			return r.Practices.Delete(ctx, doomed.Practice.ID())
		})
		wantErr(t, "delete from another practice", err, errs.NotFound, "")
		if left := remaining(ctx, t, r, doomed); len(left) != everything {
			t.Errorf("another practice's unit of work deleted %v", left)
		}
	})

	t.Run("everything goes", func(t *testing.T) {
		noErr(t, "delete", r.UnitOfWork.DoInPractice(ctx, doomed.Practice.ID(), func(ctx context.Context) error {
			return r.Practices.Delete(ctx, doomed.Practice.ID())
		}))
		if left := remaining(ctx, t, r, doomed); len(left) > 0 {
			t.Errorf("left after the deletion: %v", left)
		}
		if left := remaining(ctx, t, r, bystander); len(left) != everything {
			t.Errorf("the other practice keeps %d of %d rows: %v", len(left), everything, left)
		}
		wantErr(t, "delete again", r.Practices.Delete(ctx, doomed.Practice.ID()), errs.NotFound, "")
		wantErr(t, "unknown", r.Practices.Delete(ctx, unknownID), errs.NotFound, "")
	})
}

// LeadRetention checks ports.Leads.DeleteClosedBefore: exactly the leads of
// the state whose state changed before the cut-off go, with their notes; a
// failed unit of work undoes it. Its leads lie in 2001, before any other
// suite's.
func LeadRetention(t *testing.T, newRepos Factory) {
	r := newRepos(t)
	ctx := context.Background()
	at := time.Date(2001, 5, 1, 12, 0, 0, 0, time.UTC)
	add := func(state sales.State, changed time.Time, notes int) sales.Lead {
		l := newLead(t, "Praxis "+unique(), "lead-"+unique()+"@example.org", at.Add(-time.Hour))
		if state != sales.StateNew {
			if state == sales.StateWon {
				noErr(t, "contacted", l.ChangeState(sales.StateContacted, changed))
			}
			noErr(t, "state", l.ChangeState(state, changed))
		}
		for range notes {
			_, err := l.AddNote(sales.Author{Account: identity.AccountID(unknownID), Name: "team@visite.test"}, "Notiz", changed)
			noErr(t, "note", err)
		}
		noErr(t, "add lead", r.Leads.Add(ctx, l))
		return l
	}
	oldLost := add(sales.StateLost, at, 2)
	newLost := add(sales.StateLost, at.Add(time.Minute), 0)
	oldWon := add(sales.StateWon, at, 1)
	oldOpen := add(sales.StateContacted, at, 1)
	cutoff := at.Add(time.Second)

	boom := errors.New("boom")
	err := r.UnitOfWork.Do(ctx, func(ctx context.Context) error {
		n, err := r.Leads.DeleteClosedBefore(ctx, sales.StateLost, cutoff)
		if err != nil || n != 1 {
			t.Errorf("deleted %d %v inside the unit of work, want 1", n, err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("unit of work: %v", err)
	}
	if _, err := r.Leads.Get(ctx, oldLost.ID()); err != nil {
		t.Errorf("a rolled-back deletion is visible: %v", err)
	}

	n, err := r.Leads.DeleteClosedBefore(ctx, sales.StateLost, cutoff)
	if err != nil || n != 1 {
		t.Errorf("lost: deleted %d %v, want 1", n, err)
	}
	n, err = r.Leads.DeleteClosedBefore(ctx, sales.StateWon, cutoff)
	if err != nil || n != 1 {
		t.Errorf("won: deleted %d %v, want 1", n, err)
	}
	for _, l := range []sales.Lead{oldLost, oldWon} {
		_, err := r.Leads.Get(ctx, l.ID())
		wantErr(t, "deleted lead", err, errs.NotFound, "")
	}
	for _, l := range []sales.Lead{newLost, oldOpen} {
		got, err := r.Leads.Get(ctx, l.ID())
		noErr(t, "kept lead", err)
		if len(got.Notes()) != len(l.Notes()) {
			t.Errorf("kept lead has %d notes, want %d", len(got.Notes()), len(l.Notes()))
		}
	}
	err = r.UnitOfWork.DoInPractice(ctx, newPractice(t, r).ID(), func(ctx context.Context) error {
		_, err := r.Leads.DeleteClosedBefore(ctx, sales.StateLost, at.Add(time.Hour))
		return err
	})
	if err == nil {
		t.Error("a practice's unit of work may delete leads")
	}
	if _, err := r.Leads.Get(ctx, newLost.ID()); err != nil {
		t.Errorf("the practice's unit of work deleted a lead: %v", err)
	}
}
