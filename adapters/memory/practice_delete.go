package memory

import (
	"context"

	"github.com/visite-health/visite/core/identity"
	"github.com/visite-health/visite/core/practice"
)

// Delete erases the practice with every tenant row, as the PostgreSQL
// adapter and its cascades do: staff and patients with their accounts,
// those accounts' sessions and tokens, settings, consultations with their
// invitations and guest sessions, and the billing account. NotFound when
// the practice does not exist or is hidden by DoInPractice.
func (r *Practices) Delete(ctx context.Context, id practice.ID) (err error) {
	r.db.locked(func(t *tables) {
		if _, ok := t.practices[id]; !ok || !visible(ctx, id) {
			err = notFound()
			return
		}
		accounts := map[identity.AccountID]bool{}
		for mid, m := range t.staff {
			if m.PracticeID() == id {
				accounts[m.AccountID()] = true
				delete(t.staff, mid)
			}
		}
		for _, p := range t.patients {
			if p.Patient.PracticeID() == id {
				accounts[p.Patient.AccountID()] = true
			}
		}
		for cid, c := range t.consultations {
			if c.PracticeID() == id {
				deleteConsultation(t, cid)
			}
		}
		for acc := range accounts {
			deleteAccount(t, acc) // its sessions and its patient
		}
		for h, tok := range t.tokens {
			if accounts[identity.AccountID(tok.Subject())] {
				delete(t.tokens, h)
			}
		}
		delete(t.settings, id)
		delete(t.billing, id)
		delete(t.practices, id)
	})
	return err
}
